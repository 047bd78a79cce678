//! PDF text from lopdf's content-stream parser, laid out from glyph positions.
//!
//! lopdf's own `extract_text` concatenates strings in operator order: it glues words that Word
//! positions one by one, splits words at kerning, never enters Form XObjects and reads TrueType
//! fonts without an encoding as StandardEncoding. Counting from that text invents and loses
//! mentions ("capa city-building"). So this module keeps a real text state (Tm, Td, TJ kerning,
//! Tc, Tw, Tz, Ts and the CTM), measures every glyph with the font's widths, and builds lines from
//! baselines and words from gaps. Each page is extracted on its own: a page that fails (or
//! panics inside lopdf) is recorded with its reason and the others go on.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

use super::budget::{BUDGET, Work};
use crate::error::{Error, Result};

/// One line of a page as it would be read: glyphs on one baseline, left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The text, with spaces where the glyph gaps say a word ends.
    pub text: String,
    /// Left edge, in PDF points from the page's left.
    pub x: f32,
    /// Baseline, in PDF points from the page's bottom (larger is higher on the page).
    pub y: f32,
    /// The dominant font size of the line, in points.
    pub size: f32,
    /// False for rotated text (a landscape table), whose `x` and `y` are in its own frame.
    pub upright: bool,
}

/// The text of one page, or why there is none.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// 1-based page number.
    pub number: u32,
    /// Lines from top to bottom.
    pub lines: Vec<Line>,
    /// Page height in points (from the MediaBox), for telling headers from footers.
    pub height: f32,
    /// Set when the page could not be read; `lines` is then empty.
    pub error: Option<String>,
    /// The page's text was not language and became language once a font's character codes
    /// were shifted by this much (see [`recover_shifted_fonts`]).
    pub recovered_shift: Option<i32>,
    /// The page's text is still not language: counts from it are unreliable.
    pub garbled: bool,
}

/// Everything extracted from one PDF file.
#[derive(Debug, Clone, Default)]
pub struct PdfText {
    /// Every page in order, including failed ones.
    pub pages: Vec<Page>,
    /// The Info dictionary's /Title, when it has one.
    pub title: Option<String>,
    /// What reading the file cost (operations, glyphs, bytes inflated).
    pub work: Work,
}

/// Reads a PDF and extracts every page. Fails only when the file itself cannot be opened
/// or parsed; page failures are recorded per page.
pub fn extract_file(path: &Path) -> Result<PdfText> {
    let bytes = super::read_bounded(path, BUDGET.pdf_bytes)?;
    extract_bytes(&bytes).map_err(|reason| Error::Extract {
        path: path.to_path_buf(),
        reason,
    })
}

/// Extracts from PDF bytes; the error is a reason fit for a person.
pub fn extract_bytes(bytes: &[u8]) -> std::result::Result<PdfText, String> {
    if bytes.is_empty() {
        return Err("empty file".into());
    }
    if !bytes.starts_with(b"%PDF")
        && !bytes[..bytes.len().min(1024)]
            .windows(4)
            .any(|w| w == b"%PDF")
    {
        return Err("not a PDF (no %PDF header)".into());
    }
    if bytes.len() as u64 > BUDGET.pdf_bytes {
        return Err(super::budget::past_size(
            bytes.len() as u64,
            BUDGET.pdf_bytes,
        ));
    }
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(BUDGET.stream_bytes),
        ..Default::default()
    };
    let doc = catch_unwind(AssertUnwindSafe(|| {
        Document::load_mem_with_options(bytes, options)
    }))
    .map_err(|_| "the PDF parser panicked on this file".to_string())?
    .map_err(|e| format!("unreadable PDF: {e}"))?;
    if doc.is_encrypted() {
        return Err("encrypted PDF: decrypt it first".into());
    }
    let title = info_title(&doc);
    let mut work = Work {
        bytes: bytes.len() as u64,
        ..Work::default()
    };
    let raw = read_pages(&doc, &mut work)?;
    let mut shifts: HashMap<usize, i32> = HashMap::new();
    for (_, page) in raw
        .iter()
        .filter_map(|(n, r)| r.as_ref().ok().map(|p| (n, p)))
    {
        if !page.garbled {
            continue;
        }
        for (font, k) in find_shifts(&page.glyphs, &page.used) {
            shifts
                .entry(std::rc::Rc::as_ptr(&page.used[font]) as usize)
                .or_insert(k);
        }
    }
    extend_shifts(&raw, &mut shifts);
    let mut pages = Vec::new();
    for (number, result) in raw {
        pages.push(match result {
            Ok(p) => {
                let known = |font: usize| {
                    shifts
                        .get(&(std::rc::Rc::as_ptr(&p.used[font]) as usize))
                        .copied()
                };
                let applied = (0..p.used.len()).find_map(known);
                // Laid out again only when a shift applies to one of the page's fonts.
                let (lines, garbled) = match applied {
                    Some(_) => {
                        let lines = layout(shift_glyphs(&p.glyphs, &known));
                        let garbled = super::quality::garbled(&page_text(&lines));
                        (lines, garbled)
                    }
                    None => (p.lines, p.garbled),
                };
                Page {
                    number,
                    lines,
                    height: p.height,
                    error: None,
                    recovered_shift: applied,
                    garbled,
                }
            }
            Err(reason) => Page {
                number,
                error: Some(reason),
                ..Page::default()
            },
        });
    }
    if pages.is_empty() {
        return Err("the PDF has no pages".into());
    }
    Ok(PdfText { pages, title, work })
}

/// The reason for a stream past [`BUDGET`]'s `stream_bytes`.
fn past_inflate(what: &str) -> String {
    format!(
        "{what} inflates past the {} MiB a stream may have (a decompression bomb?)",
        BUDGET.stream_bytes >> 20
    )
}

type RawPages = Vec<(u32, std::result::Result<RawPage, String>)>;

/// First pass: every page's glyphs, each page under the page budget and all of them under the
/// file's. Pages are laid out after all are read, because a font shift proven on one page
/// applies to every page that uses the font.
fn read_pages(doc: &Document, work: &mut Work) -> std::result::Result<RawPages, String> {
    let pages = doc.get_pages();
    if pages.len() as u64 > BUDGET.pages {
        return Err(format!(
            "{} pages, more than the {} a file may have",
            pages.len(),
            BUDGET.pages
        ));
    }
    let mut fonts = FontCache::default();
    let mut raw = Vec::new();
    for (number, page_id) in pages {
        let mut page_work = Work::default();
        let result = catch_unwind(AssertUnwindSafe(|| {
            extract_page(doc, page_id, &mut fonts, &mut page_work)
        }))
        .unwrap_or_else(|_| Err("the PDF parser panicked on this page".into()));
        work.add_page(&page_work);
        if work.ops > BUDGET.file_ops {
            return Err(format!(
                "more than {} content operations in the file (by page {number})",
                BUDGET.file_ops
            ));
        }
        if work.glyphs > BUDGET.file_glyphs {
            return Err(format!(
                "more than {} glyphs in the file (by page {number})",
                BUDGET.file_glyphs
            ));
        }
        raw.push((number, result));
    }
    Ok(raw)
}

fn info_title(doc: &Document) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let info = match info {
        Object::Reference(id) => doc.get_dictionary(*id).ok()?,
        Object::Dictionary(d) => d,
        _ => return None,
    };
    let raw = info.get(b"Title").ok()?.as_str().ok()?;
    let title =
        lopdf::decode_text_string(&Object::String(raw.to_vec(), lopdf::StringFormat::Literal))
            .ok()?;
    let title = title.trim().to_string();
    (!title.is_empty()).then_some(title)
}

// ---------------------------------------------------------------------------------------------
// Fonts

/// What the layout needs of a font: how to turn codes into text, and how wide each glyph is.
struct Font {
    /// Type0 fonts read two bytes per code (Identity-H, the only CMap this corpus uses).
    two_byte: bool,
    /// The ToUnicode map, when present; preferred over the encoding.
    to_unicode: Option<Encoding<'static>>,
    /// Text of each single-byte code from the font's encoding.
    simple: Vec<GlyphText>,
    /// Glyph widths in 1/1000 text space units.
    widths: HashMap<u32, f32>,
    default_width: f32,
}

impl Font {
    fn decode(&self, code: u32) -> GlyphText {
        if let Some(Encoding::UnicodeMapEncoding(map)) = &self.to_unicode {
            let len = if self.two_byte { 2 } else { 1 };
            if let Some(units) = map.get(code, len) {
                return GlyphText::new(&String::from_utf16_lossy(&units));
            }
        }
        if self.two_byte {
            return char::from_u32(code)
                .map(|c| GlyphText::new(c.encode_utf8(&mut [0; 4])))
                .unwrap_or_default();
        }
        self.simple.get(code as usize).copied().unwrap_or_default()
    }

    fn width(&self, code: u32) -> f32 {
        self.widths
            .get(&code)
            .copied()
            .unwrap_or(self.default_width)
    }
}

/// Fonts by object, loaded once per file; a font past the budget is remembered as failed, so
/// a page that selects it a million times does not load it a million times.
#[derive(Default)]
struct FontCache {
    fonts: HashMap<ObjectId, std::result::Result<std::rc::Rc<Font>, String>>,
}

type FontResult = std::result::Result<Option<std::rc::Rc<Font>>, String>;

impl FontCache {
    fn get(&mut self, doc: &Document, font_obj: &Object) -> FontResult {
        let (id, dict) = match font_obj {
            Object::Reference(id) => match doc.get_dictionary(*id) {
                Ok(d) => (Some(*id), d),
                Err(_) => return Ok(None),
            },
            Object::Dictionary(d) => (None, d),
            _ => return Ok(None),
        };
        if let Some(id) = id
            && let Some(f) = self.fonts.get(&id)
        {
            return f.clone().map(Some);
        }
        let font = load_font(doc, dict).map(std::rc::Rc::new);
        if let Some(id) = id {
            self.fonts.insert(id, font.clone());
        }
        font.map(Some)
    }
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

fn load_font(doc: &Document, dict: &Dictionary) -> std::result::Result<Font, String> {
    let subtype = dict
        .get(b"Subtype")
        .and_then(Object::as_name)
        .unwrap_or(b"");
    let two_byte = subtype == b"Type0";
    // The ToUnicode map alone: lopdf prefers /Encoding when both are present, we do not.
    let to_unicode = if dict.has(b"ToUnicode") {
        let mut only = dict.clone();
        only.remove(b"Encoding");
        match only.get_font_encoding_with_limit(doc, BUDGET.stream_bytes) {
            Ok(Encoding::UnicodeMapEncoding(map)) => Some(Encoding::UnicodeMapEncoding(map)),
            Err(lopdf::Error::Decompress(_)) => return Err(past_inflate("its ToUnicode map")),
            _ => None,
        }
    } else {
        None
    };
    let mut simple = Vec::new();
    if !two_byte {
        // A TrueType font with no encoding is, in practice, WinAnsi (Word's output); lopdf
        // would fall back to StandardEncoding and lose dashes and quotes.
        let winansi = Encoding::SimpleEncoding(b"WinAnsiEncoding");
        let declared = if dict.has(b"Encoding") || subtype == b"Type1" {
            dict.get_font_encoding_with_limit(doc, BUDGET.stream_bytes)
                .ok()
        } else {
            None
        };
        let enc = declared.as_ref().unwrap_or(&winansi);
        for b in 0..=255u8 {
            let s = enc.bytes_to_string(&[b]).unwrap_or_default();
            simple.push(GlyphText::new(&s.replace('\u{0}', "")));
        }
        // Glyph names lopdf does not know (ligatures from TeX and groff, uniXXXX names).
        if let Ok(Object::Dictionary(enc)) = dict.get(b"Encoding").map(|o| deref(doc, o))
            && let Ok(Object::Array(diffs)) = enc.get(b"Differences").map(|o| deref(doc, o))
        {
            let mut code = 0usize;
            for item in diffs {
                match item {
                    Object::Integer(c) => code = (*c).clamp(0, 255) as usize,
                    Object::Name(name) => {
                        if code < 256
                            && simple[code].is_empty()
                            && let Some(t) = glyph_name_text(name)
                        {
                            simple[code] = GlyphText::new(&t);
                        }
                        code += 1;
                    }
                    _ => {}
                }
            }
        }
    }
    let (widths, default_width) = if two_byte {
        cid_widths(doc, dict)?
    } else {
        simple_widths(doc, dict)
    };
    Ok(Font {
        two_byte,
        to_unicode,
        simple,
        widths,
        default_width,
    })
}

/// A Type0 font's widths from its descendant's `/W` array (ranges expanded, within the
/// budget's entries: a 22 KB file whose ranges span every code once took 1.76 GB).
fn cid_widths(
    doc: &Document,
    dict: &Dictionary,
) -> std::result::Result<(HashMap<u32, f32>, f32), String> {
    let mut widths = HashMap::new();
    let mut default_width = 1000.0;
    let mut entries = 0u64;
    let mut put = |widths: &mut HashMap<u32, f32>, code: u32, v: f32| {
        entries += 1;
        if entries > BUDGET.font_widths {
            return Err(format!(
                "a font's width table has more than {} entries",
                BUDGET.font_widths
            ));
        }
        widths.insert(code, v);
        Ok(())
    };
    let Ok(Object::Array(desc)) = dict.get(b"DescendantFonts").map(|o| deref(doc, o)) else {
        return Ok((widths, default_width));
    };
    let Some(Object::Dictionary(cid)) = desc.first().map(|o| deref(doc, o)) else {
        return Ok((widths, default_width));
    };
    default_width = cid.get(b"DW").ok().and_then(num).unwrap_or(1000.0);
    let Ok(Object::Array(w)) = cid.get(b"W").map(|o| deref(doc, o)) else {
        return Ok((widths, default_width));
    };
    let mut i = 0;
    while i < w.len() {
        let first = num(deref(doc, &w[i])).unwrap_or(0.0) as u32;
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, v) in list.iter().enumerate() {
                    if let Some(v) = num(deref(doc, v)) {
                        put(&mut widths, first.saturating_add(k as u32), v)?;
                    }
                }
                i += 2;
            }
            Some(last) => {
                let last = num(last).unwrap_or(0.0) as u32;
                let v = w
                    .get(i + 2)
                    .map(|o| num(deref(doc, o)).unwrap_or(0.0))
                    .unwrap_or(0.0);
                for c in first..=last.min(first.saturating_add(65535)) {
                    put(&mut widths, c, v)?;
                }
                i += 3;
            }
            None => break,
        }
    }
    Ok((widths, default_width))
}

/// A simple font's widths: `/Widths` from `/FirstChar`, else the standard 14's.
fn simple_widths(doc: &Document, dict: &Dictionary) -> (HashMap<u32, f32>, f32) {
    let mut widths = HashMap::new();
    let mut default_width = 500.0;
    let first = dict.get(b"FirstChar").ok().and_then(num).unwrap_or(0.0) as u32;
    if let Ok(Object::Array(w)) = dict.get(b"Widths").map(|o| deref(doc, o)) {
        for (k, v) in w.iter().enumerate() {
            if let Some(v) = num(deref(doc, v)) {
                widths.insert(first.saturating_add(k as u32), v);
            }
        }
    } else {
        let base = dict
            .get(b"BaseFont")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        standard_widths(base, &mut widths);
    }
    if let Ok(Object::Dictionary(fd)) = dict.get(b"FontDescriptor").map(|o| deref(doc, o))
        && let Some(mw) = fd.get(b"MissingWidth").ok().and_then(num)
        && mw > 0.0
    {
        default_width = mw;
    }
    (widths, default_width)
}

/// Text for glyph names outside lopdf's list: the f-ligatures and `uniXXXX` / `uXXXX[XX]`.
fn glyph_name_text(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    let base = name.split('.').next().unwrap_or(name);
    match base {
        "fi" | "fl" | "ff" | "ffi" | "ffl" => return Some(base.to_string()),
        "f_i" | "f_l" | "f_f" | "f_f_i" | "f_f_l" => return Some(base.replace('_', "")),
        _ => {}
    }
    let hex = base
        .strip_prefix("uni")
        .or_else(|| base.strip_prefix('u'))?;
    if hex.len() < 4 || hex.len() % 4 != 0 && base.starts_with("uni") {
        return None;
    }
    if base.starts_with("uni") {
        let units: Option<Vec<u16>> = hex
            .as_bytes()
            .chunks(4)
            .map(|c| u16::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
            .collect();
        return Some(String::from_utf16_lossy(&units?));
    }
    char::from_u32(u32::from_str_radix(hex, 16).ok()?).map(String::from)
}

/// Widths of printable ASCII for the standard 14 fonts that PDFs may use without a /Widths
/// array (AFM metrics; bold and italic faces are close enough to their regular face for
/// finding word gaps).
fn standard_widths(base: &[u8], widths: &mut HashMap<u32, f32>) {
    const HELVETICA: [u16; 95] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
        556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722,
        722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722,
        667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
        556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,
        500, 334, 260, 334, 584,
    ];
    const TIMES: [u16; 95] = [
        250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500,
        500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667,
        722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722,
        722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500,
        500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500,
        444, 480, 200, 480, 541,
    ];
    const TIMES_BOLD: [u16; 95] = [
        250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500,
        500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722,
        722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722,
        722, 1000, 722, 722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500,
        556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500,
        444, 394, 220, 394, 520,
    ];
    let name = String::from_utf8_lossy(base);
    let table: Option<&[u16; 95]> = if name.contains("Courier") {
        None
    } else if name.contains("Helvetica") || name.contains("Arial") {
        Some(&HELVETICA)
    } else if name.contains("Bold") {
        Some(&TIMES_BOLD)
    } else {
        Some(&TIMES)
    };

    for code in 32u32..127 {
        let w = table.map_or(600.0, |t| f32::from(t[(code - 32) as usize]));
        widths.insert(code, w);
    }
}

// ---------------------------------------------------------------------------------------------
// Content stream interpretation

/// A glyph's text, inline: most glyphs are one character, ligatures up to three ("ffi"); a
/// ToUnicode entry longer than four characters is cut. Copy, so laying out a page allocates
/// nothing per glyph (measured: allocation was half the extraction time with Strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct GlyphText {
    chars: [char; 4],
    len: u8,
}

impl GlyphText {
    fn new(s: &str) -> Self {
        let mut t = GlyphText::default();
        for c in s.chars().take(4) {
            t.chars[t.len as usize] = c;
            t.len += 1;
        }
        t
    }

    fn as_slice(&self) -> &[char] {
        &self.chars[..self.len as usize]
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn is_blank(&self) -> bool {
        self.as_slice().iter().all(|c| c.is_whitespace())
    }

    fn first(&self) -> Option<char> {
        self.as_slice().first().copied()
    }

    fn push_to(&self, s: &mut String) {
        s.extend(self.as_slice());
    }
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

/// One positioned glyph in page space.
#[derive(Debug, Clone, Copy)]
struct Glyph {
    text: GlyphText,
    /// Raised above the line it belongs to (a footnote mark or an ordinal suffix).
    sup: bool,
    x: f32,
    y: f32,
    /// Advance in page space.
    adv: f32,
    size: f32,
    /// Order in the content stream, to keep stream order among equals.
    seq: usize,
    /// Index of the glyph's font in [`Interpreter::used`].
    font: usize,
    /// The character code as drawn (for undoing a shifted font encoding).
    code: u32,
    /// Direction of the baseline in quarter turns (0 = left to right, 1 = bottom to top...):
    /// landscape tables are drawn rotated, and `x`/`y` are in that direction's own frame.
    dir: u8,
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<std::rc::Rc<Font>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    hscale: f32,
    leading: f32,
    rise: f32,
}

impl Default for GState {
    fn default() -> Self {
        GState {
            ctm: IDENTITY,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

struct Interpreter<'a> {
    doc: &'a Document,
    fonts: &'a mut FontCache,
    glyphs: Vec<Glyph>,
    /// Fonts used on the page, in order of first use.
    used: Vec<std::rc::Rc<Font>>,
    depth: usize,
    /// Forms decoded on this page, by object: each is decoded once however often it is drawn.
    forms: HashMap<ObjectId, Option<std::rc::Rc<Form<'a>>>>,
    /// What the page has cost so far.
    work: &'a mut Work,
    /// Set when the page went past its budget (or a font failed): the page stops there.
    error: Option<String>,
}

/// A decoded Form XObject: its operations, matrix and own resources.
struct Form<'a> {
    content: Content,
    matrix: Option<Matrix>,
    resources: Option<&'a Dictionary>,
}

/// Resource dictionaries in the order they are searched (nearest first).
fn page_resources(doc: &Document, page_id: ObjectId) -> Vec<&Dictionary> {
    let mut out = Vec::new();
    if let Ok((dict, ids)) = doc.get_page_resources(page_id) {
        if let Some(d) = dict {
            out.push(d);
        }
        for id in ids {
            if let Ok(d) = doc.get_dictionary(id) {
                out.push(d);
            }
        }
    }
    out
}

fn lookup<'a>(
    doc: &'a Document,
    resources: &[&'a Dictionary],
    kind: &[u8],
    name: &[u8],
) -> Option<&'a Object> {
    for res in resources {
        if let Ok(Object::Dictionary(d)) = res.get(kind).map(|o| deref(doc, o))
            && let Ok(o) = d.get(name)
        {
            return Some(o);
        }
    }
    None
}

fn extract_page<'a>(
    doc: &'a Document,
    page_id: ObjectId,
    fonts: &'a mut FontCache,
    work: &'a mut Work,
) -> std::result::Result<RawPage, String> {
    let page = doc
        .get_dictionary(page_id)
        .map_err(|e| format!("page dictionary: {e}"))?;
    let height = media_height(doc, page).unwrap_or(842.0);
    let content = doc
        .get_page_content_with_limit(page_id, BUDGET.stream_bytes)
        .map_err(|e| match e {
            lopdf::Error::Decompress(_) => past_inflate("the page content"),
            e => format!("page content: {e}"),
        })?;
    work.inflated += content.len() as u64;
    work.max_stream = work.max_stream.max(content.len() as u64);
    let operations = super::content::decode_limited(&content, BUDGET.page_ops as usize)
        .map_err(|e| format!("content stream: {e}"))?;
    drop(content);
    let content = Content { operations };
    let resources = page_resources(doc, page_id);
    let mut it = Interpreter {
        doc,
        fonts,
        glyphs: Vec::new(),
        used: Vec::new(),
        depth: 0,
        forms: HashMap::new(),
        work,
        error: None,
    };
    it.run(&content, &resources, GState::default());
    if let Some(reason) = it.error {
        return Err(reason);
    }
    let lines = layout(it.glyphs.clone());
    // Only a font without a ToUnicode map can have shifted codes.
    let garbled = it.used.iter().any(|f| f.to_unicode.is_none())
        && super::quality::garbled(&page_text(&lines));
    Ok(RawPage {
        glyphs: it.glyphs,
        used: it.used,
        height,
        lines,
        garbled,
    })
}

fn page_text(lines: &[Line]) -> String {
    lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A shifted encoding proven on garbled pages is usually shared by the document's other faces
/// (italic "(PSKDVL]LQJ" for "Emphasizing", on pages that are otherwise fine). A font without a
/// ToUnicode map whose own words are mostly long capitals takes a shift already proven in
/// this document when that shift turns its words into ordinary lowercase words.
fn extend_shifts(
    raw: &[(u32, std::result::Result<RawPage, String>)],
    shifts: &mut HashMap<usize, i32>,
) {
    use super::quality::caps_share;
    let mut proven: Vec<i32> = shifts.values().copied().collect();
    proven.sort_unstable();
    proven.dedup();
    if proven.is_empty() {
        return;
    }
    // Each unshifted font's glyphs, page by page.
    let mut by_font: HashMap<usize, Vec<Glyph>> = HashMap::new();
    for page in raw.iter().filter_map(|(_, r)| r.as_ref().ok()) {
        for (i, f) in page.used.iter().enumerate() {
            let key = std::rc::Rc::as_ptr(f) as usize;
            if f.to_unicode.is_some() || shifts.contains_key(&key) {
                continue;
            }
            let mine: Vec<Glyph> = page
                .glyphs
                .iter()
                .filter(|g| g.font == i)
                .cloned()
                .map(|mut g| {
                    g.font = 0;
                    g
                })
                .collect();
            by_font.entry(key).or_default().extend(mine);
        }
    }
    for (key, glyphs) in by_font {
        let text = page_text(&layout(glyphs.clone()));
        if caps_share(&text) < 0.5 {
            continue;
        }
        for &k in &proven {
            let shifted = page_text(&layout(shift_glyphs(&glyphs, &|_| Some(k))));
            if caps_share(&shifted) < 0.2 {
                shifts.insert(key, k);
                break;
            }
        }
    }
}

/// A page's glyphs before layout, with the fonts they use.
struct RawPage {
    glyphs: Vec<Glyph>,
    used: Vec<std::rc::Rc<Font>>,
    height: f32,
    /// The page laid out as drawn, and whether that text looks garbled.
    lines: Vec<Line>,
    garbled: bool,
}

/// Redraws the glyphs of shifted fonts: code + shift, as ASCII.
fn shift_glyphs(glyphs: &[Glyph], shift: &dyn Fn(usize) -> Option<i32>) -> Vec<Glyph> {
    glyphs
        .iter()
        .map(|g| {
            let mut g = *g;
            if let Some(k) = shift(g.font) {
                g.text = match u8::try_from(i64::from(g.code) + i64::from(k)) {
                    Ok(b) if (0x20..0x7f).contains(&b) => {
                        GlyphText::new(char::from(b).encode_utf8(&mut [0; 4]))
                    }
                    _ => GlyphText::default(),
                };
            }
            g
        })
        .collect()
}

/// Some older PDFs (COP 5's report) embed fonts whose codes are glyph indices with no
/// ToUnicode map: "Guidelines" comes out as "*XLGHOLQHV", every letter shifted by the same
/// amount. poppler reads the same garbage. When a page's text is garbled (few function words,
/// mostly long capital words), each font without a ToUnicode map is tried with every shift in
/// ±64, keeping the best; the shifts are returned (font index, shift) when the page then reads
/// as language, or, for a table of labels, at least stops looking garbled.
fn find_shifts(glyphs: &[Glyph], used: &[std::rc::Rc<Font>]) -> Vec<(usize, i32)> {
    use super::quality::{garbled, language_score, reads_as_language};
    let text = page_text(&layout(glyphs.to_vec()));
    let before = language_score(&text);
    let mut chosen: HashMap<usize, i32> = HashMap::new();
    let mut best = before;
    for (font, f) in used.iter().enumerate() {
        if f.to_unicode.is_some() || !glyphs.iter().any(|g| g.font == font) {
            continue;
        }
        let mut best_k = 0;
        for k in (-64..=64).filter(|k| *k != 0) {
            let trial = |i: usize| {
                if i == font {
                    Some(k)
                } else {
                    chosen.get(&i).copied()
                }
            };
            let s = language_score(&page_text(&layout(shift_glyphs(glyphs, &trial))));
            if s > best + 0.05 {
                best = s;
                best_k = k;
            }
        }
        if best_k != 0 {
            chosen.insert(font, best_k);
        }
    }
    let text = page_text(&layout(shift_glyphs(glyphs, &|i| chosen.get(&i).copied())));
    let fixed = reads_as_language(&text) || (!garbled(&text) && best - before > 0.3);
    if fixed {
        chosen.into_iter().collect()
    } else {
        Vec::new()
    }
}

fn media_height(doc: &Document, page: &Dictionary) -> Option<f32> {
    let mut node = page;
    for _ in 0..32 {
        if let Ok(Object::Array(b)) = node.get(b"MediaBox").map(|o| deref(doc, o)) {
            let v: Vec<f32> = b.iter().filter_map(|o| num(deref(doc, o))).collect();
            return (v.len() == 4).then(|| (v[3] - v[1]).abs());
        }
        node = doc
            .get_dictionary(node.get(b"Parent").ok()?.as_reference().ok()?)
            .ok()?;
    }
    None
}

impl<'a> Interpreter<'a> {
    fn run(&mut self, content: &Content, resources: &[&'a Dictionary], start: GState) {
        let mut gs = start;
        let mut stack: Vec<GState> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        for op in &content.operations {
            self.work.ops += 1;
            if self.work.ops > BUDGET.page_ops {
                self.fail(format!(
                    "more than {} content operations (nested forms?)",
                    BUDGET.page_ops
                ));
            }
            if self.error.is_some() {
                return;
            }
            // Numeric operands, without allocating (no text operator has more than six).
            let mut numbuf = [0f32; 6];
            let mut count = 0;
            for v in op.operands.iter().filter_map(num).take(6) {
                numbuf[count] = v;
                count += 1;
            }
            let nums = &numbuf[..count];
            match op.operator.as_str() {
                "q" => stack.push(gs.clone()),
                "Q" => {
                    if let Some(g) = stack.pop() {
                        gs = g;
                    }
                }
                "cm" if nums.len() == 6 => {
                    let m = [nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]];
                    gs.ctm = mul(&m, &gs.ctm);
                }
                "BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                "Tf" => {
                    if let (Some(Object::Name(name)), Some(size)) =
                        (op.operands.first(), op.operands.get(1).and_then(num))
                    {
                        gs.size = size;
                        gs.font = self.font(resources, name);
                    }
                }
                "Tc" if !nums.is_empty() => gs.char_spacing = nums[0],
                "Tw" if !nums.is_empty() => gs.word_spacing = nums[0],
                "Tz" if !nums.is_empty() => gs.hscale = nums[0] / 100.0,
                "TL" if !nums.is_empty() => gs.leading = nums[0],
                "Ts" if !nums.is_empty() => gs.rise = nums[0],
                "Td" | "TD" if nums.len() == 2 => {
                    if op.operator == "TD" {
                        gs.leading = -nums[1];
                    }
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, nums[0], nums[1]], &tlm);
                    tm = tlm;
                }
                "Tm" if nums.len() == 6 => {
                    tlm = [nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]];
                    tm = tlm;
                }
                "T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if op.operator == "'" || op.operator == "\"" {
                        if op.operator == "\"" && nums.len() >= 2 {
                            gs.word_spacing = nums[0];
                            gs.char_spacing = nums[1];
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                        tm = tlm;
                    }
                    for operand in &op.operands {
                        match operand {
                            Object::String(bytes, _) => self.show(bytes, &gs, &mut tm),
                            Object::Array(items) => {
                                for item in items {
                                    match item {
                                        Object::String(bytes, _) => self.show(bytes, &gs, &mut tm),
                                        other => {
                                            if let Some(k) = num(other) {
                                                let tx = -k / 1000.0 * gs.size * gs.hscale;
                                                tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                                            }
                                        }
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                "Do" => {
                    if let Some(Object::Name(name)) = op.operands.first() {
                        self.form(name, resources, &gs);
                    }
                }
                _ => {}
            }
        }
    }

    /// Records why the page stops (the first reason wins).
    fn fail(&mut self, reason: String) {
        self.error.get_or_insert(reason);
    }

    /// The font a `Tf` names; a font past the budget fails the page.
    fn font(&mut self, resources: &[&Dictionary], name: &[u8]) -> Option<std::rc::Rc<Font>> {
        let obj = lookup(self.doc, resources, b"Font", name)?;
        match self.fonts.get(self.doc, obj) {
            Ok(font) => {
                if let Some(f) = &font {
                    let n = f.widths.len() as u64;
                    self.work.max_font_widths = self.work.max_font_widths.max(n);
                }
                font
            }
            Err(reason) => {
                self.fail(format!("font /{}: {reason}", String::from_utf8_lossy(name)));
                None
            }
        }
    }

    /// Enters a Form XObject: tables and boxes are often drawn as forms.
    fn form(&mut self, name: &[u8], resources: &[&'a Dictionary], gs: &GState) {
        if self.depth > 8 {
            return;
        }
        let Some(obj) = lookup(self.doc, resources, b"XObject", name) else {
            return;
        };
        let form = match obj {
            Object::Reference(id) => match self.forms.get(id) {
                Some(f) => f.clone(),
                None => {
                    let f = self.decode_form(deref(self.doc, obj)).map(std::rc::Rc::new);
                    self.forms.insert(*id, f.clone());
                    f
                }
            },
            direct => self.decode_form(direct).map(std::rc::Rc::new),
        };
        let Some(form) = form else {
            return;
        };
        let mut inner = gs.clone();
        if let Some(m) = &form.matrix {
            inner.ctm = mul(m, &gs.ctm);
        }
        let mut res: Vec<&Dictionary> = Vec::new();
        res.extend(form.resources);
        res.extend_from_slice(resources);
        self.depth += 1;
        self.run(&form.content, &res, inner);
        self.depth -= 1;
    }

    /// Reads a form's stream within the page's budget; None for anything that is not a form.
    fn decode_form(&mut self, obj: &'a Object) -> Option<Form<'a>> {
        let stream = obj.as_stream().ok()?;
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form") {
            return None;
        }
        let data = match stream.decompressed_content_with_limit(BUDGET.stream_bytes) {
            Ok(d) => d,
            Err(lopdf::Error::Decompress(_)) => {
                self.fail(past_inflate("a form"));
                return None;
            }
            Err(_) => stream.content.clone(),
        };
        self.work.forms += 1;
        self.work.inflated += data.len() as u64;
        self.work.max_stream = self.work.max_stream.max(data.len() as u64);
        if self.work.inflated > BUDGET.page_inflated {
            self.fail(format!(
                "more than {} MiB inflated (page content and forms)",
                BUDGET.page_inflated >> 20
            ));
            return None;
        }
        let left = BUDGET.page_ops.saturating_sub(self.work.ops) as usize;
        let operations = match super::content::decode_limited(&data, left) {
            Ok(ops) => ops,
            Err(e) if e.starts_with("more than") => {
                self.fail(format!("{e} (nested forms?)"));
                return None;
            }
            Err(_) => return None,
        };
        let matrix = match stream.dict.get(b"Matrix") {
            Ok(Object::Array(m)) => {
                let v: Vec<f32> = m.iter().filter_map(num).collect();
                (v.len() == 6).then(|| [v[0], v[1], v[2], v[3], v[4], v[5]])
            }
            _ => None,
        };
        let resources = match stream.dict.get(b"Resources").map(|o| deref(self.doc, o)) {
            Ok(Object::Dictionary(d)) => Some(d),
            _ => None,
        };
        Some(Form {
            content: Content { operations },
            matrix,
            resources,
        })
    }

    fn show(&mut self, bytes: &[u8], gs: &GState, tm: &mut Matrix) {
        let Some(font) = gs.font.clone() else {
            return;
        };
        let font_index = match self.used.iter().position(|f| std::rc::Rc::ptr_eq(f, &font)) {
            Some(i) => i,
            None => {
                self.used.push(font.clone());
                self.used.len() - 1
            }
        };
        let step = if font.two_byte { 2 } else { 1 };
        let drawn = bytes.len().div_ceil(step) as u64;
        self.work.glyphs += drawn;
        if self.work.glyphs > BUDGET.page_glyphs {
            self.fail(format!("more than {} glyphs", BUDGET.page_glyphs));
            return;
        }
        for chunk in bytes.chunks(step) {
            let code = chunk.iter().fold(0u32, |acc, b| acc * 256 + u32::from(*b));
            let w0 = font.width(code) / 1000.0;
            let trm = mul(
                &[gs.size * gs.hscale, 0.0, 0.0, gs.size, 0.0, gs.rise],
                &mul(tm, &gs.ctm),
            );
            let text = font.decode(code);
            let space = step == 1 && code == 32;
            let tx = (w0 * gs.size + gs.char_spacing + if space { gs.word_spacing } else { 0.0 })
                * gs.hscale;
            // Advance in page space: the glyph's own width along the baseline.
            let scale_x = (trm[0] * trm[0] + trm[1] * trm[1]).sqrt() / gs.hscale.max(0.01);
            let size = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
            // A code with no text is kept for fonts without a ToUnicode map: it may be a letter
            // of a shifted encoding (see recover_shifted_fonts).
            if !text.is_empty() || font.to_unicode.is_none() {
                // Rotate into the frame where this glyph's baseline runs left to right.
                let angle = trm[1].atan2(trm[0]);
                let dir = ((angle / std::f32::consts::FRAC_PI_2)
                    .round()
                    .rem_euclid(4.0)) as u8;
                let (x, y) = match dir {
                    1 => (trm[5], -trm[4]),
                    2 => (-trm[4], -trm[5]),
                    3 => (-trm[5], trm[4]),
                    _ => (trm[4], trm[5]),
                };
                self.glyphs.push(Glyph {
                    text,
                    sup: false,
                    x,
                    y,
                    font: font_index,
                    code,
                    dir,
                    // The glyph's advance includes letter spacing (Tc): a letter-spaced heading
                    // ("C O N F E R E N C E") is one word, not one per letter.
                    adv: (w0 + gs.char_spacing.max(0.0) / gs.size.max(0.01)) * scale_x * gs.hscale,

                    size,
                    seq: self.glyphs.len(),
                });
            }
            *tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], tm);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Layout: glyphs to lines

/// Builds lines from glyphs: same baseline (within a fraction of the font size) is one line;
/// a raised, smaller run (a footnote mark) joins the line it sits on, after a space; a gap
/// wider than 0.15 em between glyphs is a word break; a glyph drawn twice at the same place
/// (fake bold) is kept once.
fn layout(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    glyphs.retain(|g| g.size > 0.5 && g.x.is_finite() && g.y.is_finite());
    // Each reading direction is laid out on its own, upright text first.
    let mut lines = Vec::new();
    for dir in 0..4u8 {
        let part: Vec<Glyph> = glyphs.iter().filter(|g| g.dir == dir).cloned().collect();
        let mut part = layout_upright(part);
        for l in &mut part {
            l.upright = dir == 0;
        }
        lines.extend(part);
    }
    lines
}

fn layout_upright(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    if glyphs.is_empty() {
        return Vec::new();
    }
    // Lines: cluster by baseline, largest size first decides the baseline.
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.seq.cmp(&b.seq)));
    let mut bands: Vec<Band> = Vec::new();
    for g in glyphs {
        let fit = bands
            .iter_mut()
            .rev()
            .take(4)
            // Same baseline and a like size: a footnote line (8 pt) level with the other
            // column's body line (10 pt) is a line of its own.
            .find(|b| {
                (b.y - g.y).abs() <= 0.25 * b.size.max(g.size)
                    && g.size.min(b.size) >= 0.85 * g.size.max(b.size)
            });
        match fit {
            Some(b) => {
                if g.size > b.size {
                    b.size = g.size;
                }
                b.glyphs.push(g);
            }
            None => bands.push(Band {
                y: g.y,
                size: g.size,
                glyphs: vec![g],
            }),
        }
    }
    // Superscripts: a short run of smaller glyphs (footnote marks "4", "*"; ordinal suffixes
    // "13th", "1er") sitting just above a line of larger type, right after one of its glyphs,
    // joins that line. Looking a few bands down, and at the mark's x, finds the right line
    // when two columns put other lines in between.
    let n = bands.len();
    let mut host: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        let band = &bands[i];
        let chars: usize = band.glyphs.iter().map(|g| g.text.as_slice().len()).sum();
        if chars > 12 {
            continue;
        }
        let x0 = band.glyphs.iter().map(|g| g.x).fold(f32::MAX, f32::min);
        let x1 = band
            .glyphs
            .iter()
            .map(|g| g.x + g.adv)
            .fold(f32::MIN, f32::max);
        host[i] = (i + 1..n.min(i + 6)).find(|&j| {
            let below = &bands[j];
            below.size > band.size * 1.15
                && band.y - below.y > 0.0
                && band.y - below.y < 0.75 * below.size
                // right after a word ("cities¹") or right before one (a footnote's own mark)
                && below.glyphs.iter().any(|g| (g.x + g.adv - x0).abs() < below.size || (g.x - x1).abs() < below.size)
        });
    }
    // A host that is itself a mark cannot take one: that mark stays a line of its own.
    for i in 0..n {
        if let Some(j) = host[i]
            && host[j].is_some()
        {
            host[i] = None;
        }
    }
    let mut out: Vec<Band> = Vec::new();
    let mut index_of: Vec<Option<usize>> = vec![None; n];
    // Hosts come after their marks (lower on the page): place every band that is not a mark
    // first, then hand each mark to its host.
    for (i, band) in bands.iter().enumerate() {
        if host[i].is_none() {
            index_of[i] = Some(out.len());
            out.push(Band {
                y: band.y,
                size: band.size,
                glyphs: band.glyphs.clone(),
            });
        }
    }
    for (i, band) in bands.iter().enumerate() {
        if let Some(j) = host[i]
            && let Some(k) = index_of[j]
        {
            out[k]
                .glyphs
                .extend(band.glyphs.iter().map(|g| Glyph { sup: true, ..*g }));
        }
    }
    read_bands(out)
}

/// Glyphs on one baseline.
struct Band {
    y: f32,
    size: f32,
    glyphs: Vec<Glyph>,
}

/// A run of a band's glyphs between wide gaps (a table cell, a column's part of a line):
/// an x-range and the index range of its glyphs in the band.
struct Segment {
    x0: f32,
    x1: f32,
    from: usize,
    to: usize,
}

/// A paragraph or list marker that a tab separates from its text: "133.", "(a)", "1/CP.21".
static MARKER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"^(\(?[0-9]{1,3}[.)]?|\([a-z]{1,3}\)|[a-z]\.|[IVX]{1,5}\.|\d+/(CP|CMP|CMA)\.\d+|[•\-–*])$",
    )
    .unwrap()
});

/// Splits a band (glyphs sorted by x) where the gap exceeds 0.8 em; a leading marker stays
/// with its text. Blank glyphs belong to no segment.
fn segments(band: &Band) -> Vec<Segment> {
    let mut segs: Vec<Segment> = Vec::new();
    for (i, g) in band.glyphs.iter().enumerate() {
        if g.text.is_blank() {
            continue;
        }
        match segs.last_mut() {
            Some(s) if g.x - s.x1 <= 0.8 * band.size => {
                s.x1 = s.x1.max(g.x + g.adv);
                s.to = i + 1;
            }
            _ => segs.push(Segment {
                x0: g.x,
                x1: g.x + g.adv,
                from: i,
                to: i + 1,
            }),
        }
    }
    if segs.len() >= 2
        && MARKER.is_match(words(&band.glyphs[segs[0].from..segs[0].to], band.size).trim())
    {
        let first = segs.remove(0);
        segs[0].x0 = first.x0;
        segs[0].from = first.from;
    }
    segs
}

fn line_of(glyphs: &[Glyph], y: f32, size: f32) -> Option<Line> {
    let text = words(glyphs, size);
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| Line {
        text: trimmed.to_string(),
        x: glyphs[0].x,
        y,
        size,
        upright: true,
    })
}

/// Reads bands top to bottom, except multi-column text. Two consecutive, closely spaced
/// bands that each split at a wide gap into two or three parts, in columns each at least a
/// quarter of the width, start a multi-column region (the columns are the x-ranges the parts
/// cover, separated by gutters). The region grows up and down over bands none of whose parts
/// straddles a gutter's middle (a column's last line, or a line alone on its baseline), and is
/// read column by column when it spans at least four bands. Tables (many narrow columns) are read row by row, so a country stays
/// with its figures; poppler reads some tables by columns and some by rows.
fn read_bands(mut bands: Vec<Band>) -> Vec<Line> {
    for band in &mut bands {
        band.glyphs
            .sort_by(|a, b| a.x.total_cmp(&b.x).then(a.seq.cmp(&b.seq)));
    }
    let segs: Vec<Vec<Segment>> = bands.iter().map(segments).collect();
    let n = bands.len();
    let close = |k: usize| bands[k - 1].y - bands[k].y < 2.5 * bands[k].size.max(bands[k - 1].size);
    // Regions: (first band, end band, gutter middles).
    let mut regions: Vec<(usize, usize, Vec<f32>)> = Vec::new();
    let mut i = 0;
    while i + 1 < n {
        let start = (i..i + 2).all(|k| segs[k].len() >= 2) && close(i + 1);
        let mids = if start {
            text_columns(&segs[i..i + 2])
        } else {
            None
        };
        let Some(mids) = mids else {
            i += 1;
            continue;
        };
        let fits = |k: usize| {
            segs[k]
                .iter()
                .all(|s| !mids.iter().any(|m| s.x0 < *m && s.x1 > *m))
        };
        // Growing stays within the region's own line spacing: a header above or a heading
        // below, set apart by a wider gap, is not part of the columns.
        let step = bands[i].y - bands[i + 1].y;
        let regular = |k: usize| bands[k - 1].y - bands[k].y <= 1.6 * step + 1.0;
        let floor = regions.last().map_or(0, |r| r.1);
        let mut a = i;
        while a > floor && regular(a) && fits(a - 1) {
            a -= 1;
        }
        let mut b = i + 2;
        while b < n && regular(b) && fits(b) {
            b += 1;
        }
        if b - a < 4 {
            i += 1;
            continue;
        }
        regions.push((a, b, mids));
        i = b;
    }
    let mut lines = Vec::new();
    let mut k = 0;
    let mut next = regions.into_iter().peekable();
    while k < n {
        if let Some((a, b, mids)) = next.next_if(|r| r.0 == k) {
            for col in 0..=mids.len() {
                for band in a..b {
                    let glyphs: Vec<Glyph> = segs[band]
                        .iter()
                        .filter(|s| {
                            mids.iter().filter(|m| (s.x0 + s.x1) / 2.0 > **m).count() == col
                        })
                        .flat_map(|s| bands[band].glyphs[s.from..s.to].iter().copied())
                        .collect();
                    if !glyphs.is_empty() {
                        lines.extend(line_of(&glyphs, bands[band].y, bands[band].size));
                    }
                }
            }
            k = b;
            continue;
        }
        lines.extend(line_of(&bands[k].glyphs, bands[k].y, bands[k].size));
        k += 1;
    }
    lines
}

/// The gutter middles of two or three text columns, when these bands' parts form them: the
/// x-ranges the parts cover, merged, are two or three, each at least a quarter of the span.
fn text_columns(rows: &[Vec<Segment>]) -> Option<Vec<f32>> {
    let mut cols: Vec<(f32, f32)> = rows.iter().flatten().map(|s| (s.x0, s.x1)).collect();
    cols.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f32, f32)> = Vec::new();
    for (a, b) in cols {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    let span = merged.last()?.1 - merged.first()?.0;
    let ok = (2..=3).contains(&merged.len()) && merged.iter().all(|(a, b)| b - a >= 0.25 * span);
    ok.then(|| merged.windows(2).map(|w| (w[0].1 + w[1].0) / 2.0).collect())
}

/// Joins the glyphs of one line into text, deciding word breaks from gaps. Raised glyphs are
/// footnote marks or ordinal suffixes: a raised number is its own token ("cities 2", so that
/// "cities" still counts), raised letters stay on their word ("13th").
fn words(glyphs: &[Glyph], line_size: f32) -> String {
    let mut text = String::new();
    let mut prev: Option<&Glyph> = None;
    for g in glyphs.iter().filter(|g| !g.text.is_empty()) {
        let sup = g.sup;
        let first = g.text.first().unwrap_or(' ');
        if let Some(p) = prev {
            // Fake bold: the same glyph drawn again at (almost) the same place.
            if p.text == g.text
                && (g.x - p.x).abs() < 0.1 * g.size
                && (g.y - p.y).abs() < 0.1 * g.size
            {
                continue;
            }
            let gap = g.x - (p.x + p.adv);
            let p_sup = p.sup;
            let em = g.size.min(line_size).max(p.size.min(line_size));
            let blank = text.ends_with(' ') || first == ' ' || first == '\u{a0}';
            let raised_letters = sup && !p_sup && first.is_alphabetic() && gap < 0.15 * em;
            let mark_boundary = sup != p_sup
                && !raised_letters
                && !(p_sup && p.text.first().is_some_and(char::is_alphabetic));
            if !blank && (gap > 0.15 * em || mark_boundary) {
                text.push(' ');
            }
        }
        g.text.push_to(&mut text);
        prev = Some(g);
    }
    text
}
