//! A small PDF writer for the tests: well-formed files (objects, xref, trailer) whose content
//! is whatever a test needs, hostile included. Nothing large is committed; the files are made
//! where a test runs.

use std::io::Write;

/// A PDF under construction: objects numbered from 1 in the order they are added.
#[derive(Default)]
pub struct Pdf {
    objects: Vec<Vec<u8>>,
    /// The document information dictionary's object, when there is one.
    info: Option<usize>,
}

impl Pdf {
    /// Adds an object (its body, without `obj`/`endobj`) and returns its number.
    pub fn add(&mut self, body: &str) -> usize {
        self.objects.push(body.as_bytes().to_vec());
        self.objects.len()
    }

    /// Reserves a number for an object written later with [`Pdf::set`].
    pub fn reserve(&mut self) -> usize {
        self.add("null")
    }

    /// Writes the body of a reserved object.
    pub fn set(&mut self, n: usize, body: &str) {
        self.objects[n - 1] = body.as_bytes().to_vec();
    }

    /// Adds a stream object (`dict` without `/Length`), deflated when `deflate` is set.
    pub fn stream(&mut self, dict: &str, data: &[u8], deflate: bool) -> usize {
        let n = self.reserve();
        self.set_stream(n, dict, data, deflate);
        n
    }

    /// Writes a stream into a reserved object.
    pub fn set_stream(&mut self, n: usize, dict: &str, data: &[u8], deflate: bool) {
        let (data, filter) = if deflate {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            e.write_all(data).unwrap();
            (e.finish().unwrap(), " /Filter /FlateDecode")
        } else {
            (data.to_vec(), "")
        };
        let mut body =
            format!("<< {dict}{filter} /Length {} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(&data);
        body.extend_from_slice(b"\nendstream");
        self.objects[n - 1] = body;
    }

    /// The file: header, objects, xref table and trailer with `root` as the catalog.
    pub fn finish(self, root: usize) -> Vec<u8> {
        let mut out = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in self.objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
        );
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root {root} 0 R{} >>\nstartxref\n{xref}\n%%EOF\n",
                self.objects.len() + 1,
                self.info
                    .map_or(String::new(), |i| format!(" /Info {i} 0 R"))
            )
            .as_bytes(),
        );
        out
    }
}

/// A document whose pages draw these content streams, with Helvetica as /F1 and each page's
/// extra resources (`/XObject << ... >>` and the like) spliced into its resource dictionary.
/// `build` may add objects first (forms, fonts) and returns the pages' (content, resources).
pub fn document(build: impl FnOnce(&mut Pdf, usize) -> Vec<(Vec<u8>, String)>) -> Vec<u8> {
    document_titled(None, build)
}

/// [`document`] with an Info dictionary whose /Title is `title` (written as a literal string;
/// the caller keeps it free of parentheses and backslashes).
pub fn document_titled(
    title: Option<&str>,
    build: impl FnOnce(&mut Pdf, usize) -> Vec<(Vec<u8>, String)>,
) -> Vec<u8> {
    let mut pdf = Pdf::default();
    if let Some(t) = title {
        let info = pdf.add(&format!("<< /Title ({t}) >>"));
        pdf.info = Some(info);
    }
    let catalog = pdf.reserve();
    let pages = pdf.reserve();
    let font = pdf
        .add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    let contents = build(&mut pdf, font);
    let mut kids = Vec::new();
    for (content, resources) in contents {
        let c = pdf.stream("", &content, true);
        kids.push(pdf.add(&format!(
            "<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 595 842] /Contents {c} 0 R /Resources << /Font << /F1 {font} 0 R >> {resources} >> >>"
        )));
    }
    let kids_list: Vec<String> = kids.iter().map(|k| format!("{k} 0 R")).collect();
    pdf.set(
        pages,
        &format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids_list.join(" "),
            kids.len()
        ),
    );
    pdf.set(catalog, &format!("<< /Type /Catalog /Pages {pages} 0 R >>"));
    pdf.finish(catalog)
}

/// Content that writes these lines of text, 14 points apart from the top of the page.
pub fn text_content(lines: &[&str]) -> Vec<u8> {
    let mut s = String::from("BT /F1 11 Tf 72 780 Td 14 TL\n");
    for l in lines {
        let escaped = l
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        s.push_str(&format!("({escaped}) Tj T*\n"));
    }
    s.push_str("ET\n");
    s.into_bytes()
}

/// A plain, good document of `pages` pages of prose that mentions cities.
pub fn good(pages: usize) -> Vec<u8> {
    document(|_, _| {
        (1..=pages)
            .map(|p| {
                let line = format!(
                    "{p}. The Parties invite cities and local governments to act on page {p}."
                );
                (
                    text_content(&[&line, "The Conference of the Parties decides to continue."]),
                    String::new(),
                )
            })
            .collect()
    })
}

/// A page draws form 1 `fanout` times, form k draws form k+1 `fanout` times, `levels` deep;
/// every form writes a line of text (`fanout`^`levels` calls: 10^10 never finished).
pub fn fan_out_forms(levels: usize, fanout: usize) -> Vec<u8> {
    document(|pdf, font| {
        let ids: Vec<usize> = (0..levels).map(|_| pdf.reserve()).collect();
        for (k, &id) in ids.iter().enumerate() {
            let mut body = String::from("BT /F1 9 Tf 72 700 Td (a city in a form) Tj ET\n");
            let mut res = format!("/Font << /F1 {font} 0 R >>");
            if let Some(next) = ids.get(k + 1) {
                body.push_str(&"/Fx Do\n".repeat(fanout));
                res.push_str(&format!(" /XObject << /Fx {next} 0 R >>"));
            }
            pdf.set_stream(
                id,
                &format!(
                    "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << {res} >>"
                ),
                body.as_bytes(),
                true,
            );
        }
        let page = "/Fx Do\n".repeat(fanout).into_bytes();
        vec![(page, format!("/XObject << /Fx {} 0 R >>", ids[0]))]
    })
}

/// A form that draws itself `times` times (and writes text each time).
pub fn self_drawing_form(times: usize) -> Vec<u8> {
    document(|pdf, font| {
        let id = pdf.reserve();
        let body = format!(
            "BT /F1 9 Tf 72 700 Td (the city again) Tj ET\n{}",
            "/Fx Do\n".repeat(times)
        );
        pdf.set_stream(
            id,
            &format!("/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 {font} 0 R >> /XObject << /Fx {id} 0 R >> >>"),
            body.as_bytes(),
            true,
        );
        vec![(
            "/Fx Do\n".repeat(times).into_bytes(),
            format!("/XObject << /Fx {id} 0 R >>"),
        )]
    })
}

/// A page whose content stream inflates to `bytes` of spaces.
pub fn inflation_bomb(bytes: usize) -> Vec<u8> {
    document(|_, _| vec![(vec![b' '; bytes], String::new())])
}

/// A page that draws a form whose stream inflates to `bytes` of zeros.
pub fn form_bomb(bytes: usize) -> Vec<u8> {
    document(|pdf, _| {
        let id = pdf.stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 595 842]",
            &vec![b'0'; bytes],
            true,
        );
        vec![(b"/Fx Do\n".to_vec(), format!("/XObject << /Fx {id} 0 R >>"))]
    })
}

/// A page of `n` `q` operators (cheap bytes, many operations).
pub fn q_operators(n: usize) -> Vec<u8> {
    document(|_, _| vec![("q ".repeat(n).into_bytes(), String::new())])
}

/// A page that shows one string of `n` glyphs.
pub fn glyph_bomb(n: usize) -> Vec<u8> {
    document(|_, _| {
        let mut c = b"BT /F1 1 Tf 0 0 Td (".to_vec();
        c.extend(std::iter::repeat_n(b'a', n));
        c.extend_from_slice(b") Tj ET\n");
        vec![(c, String::new())]
    })
}

/// A Type0 font whose `/W` array has `ranges` ranges, each spanning every two-byte code.
pub fn wide_widths(ranges: usize) -> Vec<u8> {
    document(|pdf, _| {
        let w = "0 65535 500 ".repeat(ranges);
        let cid = pdf.add(&format!(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Wide /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /W [{w}] >>"
        ));
        let font = pdf.add(&format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /Wide /Encoding /Identity-H /DescendantFonts [{cid} 0 R] >>"
        ));
        vec![(
            b"BT /F2 12 Tf 72 700 Td <00410042> Tj ET\n".to_vec(),
            format!("/Font << /F2 {font} 0 R >>"),
        )]
    })
}

/// A `pages`-page document of which `broken` pages (from page 2 on) cannot be read (a content
/// stream that breaks off inside an inline image): a damaged upload.
pub fn damaged(pages: usize, broken: usize) -> Vec<u8> {
    document(|_, _| {
        (1..=pages)
            .map(|p| {
                if p >= 2 && p < 2 + broken {
                    (b"BT /F1 11 Tf 72 780 Td (The cities) Tj ET\nBI /W 4 /H 4 /BPC 8 /CS /G ID \x00\x01".to_vec(), String::new())
                } else {
                    let line = format!("{p}. The Parties invite cities to act.");
                    (text_content(&[&line]), String::new())
                }
            })
            .collect()
    })
}
