//! Extraction traps, on PDFs these tests write themselves (`pdfgen`; the content streams below
//! are their ground truth), and on small text fixtures.

use std::path::Path;

use lopdf::{Object, dictionary};

use crate::util::*;

/// Writes a PDF whose pages have these content streams, with Helvetica (standard 14, no
/// /Widths: the extractor must use the font's standard metrics).
pub fn write_pdf(path: &Path, pages: &[String]) {
    let pdf = crate::pdfgen::document(|_, _| {
        pages
            .iter()
            .map(|c| (c.as_bytes().to_vec(), String::new()))
            .collect()
    });
    std::fs::write(path, pdf).unwrap();
}

/// A page of an agreement with the traps lopdf's raw text falls into.
fn trap_page(n: u32) -> String {
    format!(
        "BT /F1 10 Tf 72 800 Td (FCCC/XX/2099/1) Tj ET\n\
         BT /F1 11 Tf 72 700 Td ({p}. Welcomes the efforts of) Tj ET\n\
         BT /F1 11 Tf 72 686 Td [(capa) -120 (city-building in D) -110 (urban) -300 (and the)] TJ ET\n\
         BT /F1 11 Tf 72 672 Td [(subnati) 40 (onal governments,)] TJ 160 0 Td (local) Tj 30 0 Td (authorities) Tj ET\n\
         BT /F1 11 Tf 72 658 Td (cities) Tj ET\n\
         BT /F1 11 Tf 72.2 658 Td (cities) Tj ET\n\
         BT /F1 11 Tf 110 658 Td (and mayors;) Tj ET\n\
         BT 0 1 -1 0 560 300 Tm /F1 11 Tf (Table {n}: municipal bonds issued by towns) Tj ET\n\
         BT /F1 10 Tf 290 60 Td (GE.99-12345) Tj ET\n\
         BT /F1 10 Tf 290 40 Td ({n}) Tj ET\n",
        p = n,
    )
}

#[test]
fn positioned_glyphs_make_true_words() {
    let dir = tempdir("pdftraps");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    write_pdf(
        &corpus.join("traps.en.pdf"),
        &(1..=3).map(trap_page).collect::<Vec<_>>(),
    );
    let index = dir.join("index");
    assert!(run(&corpus, &index, &["index"]).status.success());
    let text = json(&corpus, &index, &["text", "traps-en"], 0);
    let units = text["units"].as_array().unwrap();
    let all: Vec<&str> = units.iter().map(|u| u["text"].as_str().unwrap()).collect();
    let joined = all.join("\n");
    // Kerning below a space's width joins; a real gap or a new Td is a space.
    assert!(joined.contains("capacity-building in Durban and the subnational governments, local authorities cities and mayors;"), "{joined}");
    // Fake bold (the same glyphs drawn again 0.2 pt to the right) is kept once.
    assert!(
        !joined.contains("cities cities") && !joined.contains("ccities"),
        "{joined}"
    );
    // Rotated text is read.
    assert!(joined.contains("municipal bonds"), "{joined}");
    // Running header, job number and page number are gone.
    assert!(
        !joined.contains("FCCC/XX") && !joined.contains("GE.99"),
        "{joined}"
    );
    let labels: Vec<&str> = units
        .iter()
        .map(|u| {
            u["unit"]
                .as_str()
                .unwrap_or(u["label"].as_str().unwrap_or(""))
        })
        .collect();
    assert!(labels.iter().any(|l| l.contains("para. 2")), "{labels:?}");
    let c = json(&corpus, &index, &["count"], 0);
    let d = &c["documents"][0];
    assert_eq!(d["language"], "en", "from the file name");
    assert_eq!(d["pages"], 3);
    for (term, n) in [
        ("city", 0),
        ("urban", 0),
        ("subnational governments", 3),
        ("subnational", 0),
        ("local authorities", 3),
        ("cities", 3),
        ("mayors", 3),
        ("municipal", 3),
    ] {
        assert_eq!(d["terms"][term], n, "{term}: {d:#}");
    }
    // Every mention carries its page.
    let k = json(&corpus, &index, &["kwic", "--concept", "mayor"], 0);
    let pages: Vec<u64> = k["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["page"].as_u64().unwrap())
        .collect();
    assert_eq!(pages, [1, 2, 3]);
}

#[test]
fn text_documents_ligatures_and_unknown_files() {
    let dir = tempdir("textfix");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(corpus.join("new")).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/compact.en.md"),
        corpus.join("compact.en.md"),
    )
    .unwrap();
    std::fs::copy(
        root().join("tests/fixtures/ciudades.txt"),
        corpus.join("new/ciudades.txt"),
    )
    .unwrap();
    let index = dir.join("index");
    let o = run(&corpus, &index, &["index"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let docs = json(&corpus, &index, &["docs"], 0);
    let d = docs["documents"].as_array().unwrap();
    let es = d.iter().find(|x| x["id"] == "new-ciudades").unwrap();
    assert_eq!(es["language"], "es", "detected from the text");
    assert!(
        es["reason"]
            .as_str()
            .unwrap()
            .contains("not in the manifest")
    );
    let c = json(&corpus, &index, &["count", "--doc", "compact-en"], 0);
    let t = &c["documents"][0]["terms"];
    // "ﬁnancing for cities" → NFKC folds the ligature; "sub-\nnational" keeps its hyphen.
    assert_eq!(t["cities"], 2);
    assert_eq!(t["sub-national"], 1);
    assert_eq!(t["local authorities"], 1, "a phrase across a line break");
    let k = json(
        &corpus,
        &index,
        &["kwic", "--term", "local authorities", "--doc", "compact-en"],
        0,
    );
    assert_eq!(k["mentions"][0]["unit"], "objective 1(b)");
    assert_eq!(k["mentions"][0]["page"], serde_json::Value::Null);
    let s = json(&corpus, &index, &["count", "--doc", "new-ciudades"], 0);
    let t = &s["documents"][0]["terms"];
    assert_eq!(t["ciudades"], 1);
    assert_eq!(t["alcaldes"], 1);
    assert!(t.get("mayor").is_none());
}

/// The ground truth of a producer fixture: its source paragraphs, three times (make.sh repeats
/// them to fill pages), with or without their footnotes.
fn ground_truth(name: &str, footnotes: bool) -> String {
    let text = std::fs::read_to_string(root().join("tests/fixtures/producers").join(name)).unwrap();
    let paras: Vec<String> = text
        .split("\n\n")
        .map(|p| {
            let p = p.split_whitespace().collect::<Vec<_>>().join(" ");
            match p.split_once(" [FN: ") {
                Some((body, note)) if footnotes => format!("{body} {}", note.trim_end_matches(']')),
                Some((body, _)) => body.to_string(),
                None => p,
            }
        })
        .collect();
    let once = paras.join("\n");
    [once.as_str(); 3].join("\n")
}

fn lcs(a: &[String], b: &[String]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    for x in a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        prev = cur;
    }
    prev[b.len()]
}

fn words_of(s: &str) -> Vec<String> {
    menutable::extract::normalize::normalize(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn pdfs_from_real_producers_count_as_their_source_text() {
    // groff (two columns, footnotes, hyphenation, ligatures), pdfTeX (two columns, footnotes,
    // running header, hyphenation, kerning, ligatures, accents), LibreOffice (justified).
    let cases = [
        ("groff.en.pdf", "agreement.en.txt", true, "en"),
        ("latex.en.pdf", "agreement.en.txt", true, "en"),
        ("latex.es.pdf", "acuerdo.es.txt", true, "es"),
        ("libreoffice.en.pdf", "agreement.en.txt", false, "en"),
        ("libreoffice.es.pdf", "acuerdo.es.txt", false, "es"),
    ];
    let dir = tempdir("producers");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for (pdf, ..) in cases {
        std::fs::copy(
            root().join("tests/fixtures/producers").join(pdf),
            corpus.join(pdf),
        )
        .unwrap();
    }
    let index = dir.join("index");
    let o = run(&corpus, &index, &["index"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let counts = json(&corpus, &index, &["count"], 0);
    let lex = menutable::analysis::lexicon::Lexicon::builtin();
    for (pdf, truth_file, footnotes, lang) in cases {
        let id = pdf.trim_end_matches(".pdf").replace('.', "-");
        let truth = menutable::extract::normalize::normalize(&ground_truth(truth_file, footnotes));
        let m = lex.matcher(lang);
        let mut want: std::collections::BTreeMap<String, u64> =
            m.terms().iter().map(|t| (t.text.clone(), 0)).collect();
        for x in m.find(&truth) {
            *want.get_mut(&m.terms()[x.term].text).unwrap() += 1;
        }
        let d = counts["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id.as_str())
            .unwrap_or_else(|| panic!("{id}"));
        assert_eq!(d["language"], lang, "{id}");
        let got: std::collections::BTreeMap<String, u64> = terms_and_names(d);
        assert_eq!(
            got, want,
            "{pdf}: counts from the PDF differ from counts of its source text"
        );
        // The body words, in order: what was counted is the source text (headers and page
        // numbers removed, hyphenated words rejoined, footnotes apart at the foot of pages).
        let text = json(&corpus, &index, &["text", &id], 0);
        let units = text["units"].as_array().unwrap();
        let body: String = units
            .iter()
            .filter(|u| u["kind"] != "footnote")
            .map(|u| u["text"].as_str().unwrap().to_string() + "\n")
            .collect();
        let notes: String = units
            .iter()
            .filter(|u| u["kind"] == "footnote")
            .map(|u| u["text"].as_str().unwrap().to_string() + "\n")
            .collect();
        if footnotes {
            assert!(
                words_of(&notes).len() > 20,
                "{pdf}: footnotes are units of their own: {notes}"
            );
        }
        let (a, b) = (words_of(&ground_truth(truth_file, false)), words_of(&body));
        let common = lcs(&a, &b) as f64;
        let (recall, precision) = (common / a.len() as f64, common / b.len() as f64);
        assert!(
            recall >= 0.97 && precision >= 0.97,
            "{pdf}: recall {recall:.4}, precision {precision:.4}"
        );
    }
}

/// An encrypted PDF (a trailer /Encrypt the file cannot be read without) and a scanned-like
/// PDF (a page with no text operators) each fail with their reason; the others are indexed.
#[test]
fn encrypted_and_image_only_pdfs_say_why() {
    let dir = tempdir("encimg");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    // No text layer: a page that only draws a rectangle.
    let blank = "0 0 0 rg 72 72 400 600 re f".to_string();
    write_pdf(&corpus.join("scan.pdf"), &[blank.clone(), blank]);
    // Encrypted: lopdf marks a document with /Encrypt in its trailer as encrypted.
    let enc = corpus.join("locked.pdf");
    write_pdf(&enc, &["BT /F1 11 Tf 72 700 Td (cities) Tj ET".to_string()]);
    let mut doc = lopdf::Document::load(&enc).unwrap();
    let e = doc.add_object(dictionary! { "Filter" => "Standard", "V" => 2, "R" => 3, "O" => Object::string_literal(vec![0u8; 32]), "U" => Object::string_literal(vec![0u8; 32]), "P" => -4, "Length" => 128 });
    doc.trailer.set("Encrypt", e);
    doc.save(&enc).unwrap();
    std::fs::write(corpus.join("fine.en.txt"), "The cities.\n").unwrap();
    let index = dir.join("index");
    let o = run(&corpus, &index, &["index"]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "indexed, with failed files: {}",
        stderr(&o)
    );
    let err = stderr(&o);
    assert!(
        err.contains("scan.pdf") && err.contains("no text layer") && err.contains("OCR"),
        "{err}"
    );
    assert!(
        err.contains("locked.pdf") && (err.contains("encrypted") || err.contains("decrypt")),
        "{err}"
    );
    let c = json(&corpus, &index, &["count", "--doc", "fine-en"], 0);
    assert_eq!(c["documents"][0]["terms"]["cities"], 1);
}

#[test]
fn raw_text_extract_and_footnote_scope() {
    let r = real();
    // --raw shows the lines before normalisation, with what each was taken for.
    let raw = r.json(&["text", "paris-2015", "--raw", "--pages", "19"], 0);
    let lines = raw["lines"].as_array().unwrap();
    let kind_of = |needle: &str| {
        lines
            .iter()
            .find(|l| l["text"].as_str().unwrap().contains(needle))
            .map(|l| l["kind"].as_str().unwrap().to_string())
    };
    assert_eq!(
        kind_of("climateaction.unfccc.int").as_deref(),
        Some("footnote")
    );
    assert_eq!(kind_of("133. Welcomes").as_deref(), Some("body"));
    assert!(lines.iter().any(|l| l["kind"] == "furniture"));
    // extract: the raw text of any file, no index needed.
    let o = menutable()
        .arg("extract")
        .arg(shared_corpus().join("paris.en.pdf"))
        .output()
        .unwrap();
    assert!(o.status.success());
    let text = stdout(&o);
    assert_eq!(text.matches('\u{c}').count(), 36, "one form feed per page");
    assert!(text.contains("financial institutions, cities and"));
    let o = menutable()
        .arg("extract")
        .arg(root().join("Cargo.toml"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "not a document type");
    // --no-footnotes leaves footnote mentions and words out.
    let with = r.json(&["count", "--doc", "cop21-add2"], 0);
    // Its only city mention is in that footnote: without footnotes nothing counts (exit 1).
    let without = r.json(&["count", "--doc", "cop21-add2", "--no-footnotes"], 0);

    let city = |v: &serde_json::Value| v["documents"][0]["terms"]["city"].as_u64().unwrap();
    let words = |v: &serde_json::Value| v["documents"][0]["words"].as_u64().unwrap();
    // decision 7/CP.21's footnote 3 thanks "the city of Paris" (see kwic).
    assert_eq!(city(&with), city(&without) + 1);
    assert!(words(&without) < words(&with));
}

/// Damaged PDFs (truncated, bytes flipped) and every crash input fuzzing found
/// (tests/fixtures/fuzz/) end in text or a clear error: never a panic (exit 101) or a signal.
#[test]
fn fuzz_regressions_and_damaged_pdfs_never_crash() {
    let dir = tempdir("damaged");
    let good = std::fs::read(shared_corpus().join("unfccc/1_CMA_1.pdf")).unwrap();
    let mut inputs = Vec::new();
    for cut in [1, 10, 50, 90, 99] {
        let p = dir.join(format!("cut{cut}.pdf"));
        std::fs::write(&p, &good[..good.len() * cut / 100]).unwrap();
        inputs.push(p);
    }
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for n in 0..5 {
        let mut bytes = good.clone();
        for _ in 0..200 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let i = (state % bytes.len() as u64) as usize;
            bytes[i] = (state >> 32) as u8;
        }
        let p = dir.join(format!("flip{n}.pdf"));
        std::fs::write(&p, bytes).unwrap();
        inputs.push(p);
    }
    if let Ok(entries) = std::fs::read_dir(root().join("tests/fixtures/fuzz")) {
        for e in entries.flatten() {
            if e.path().extension().is_some_and(|x| x == "pdf") {
                inputs.push(e.path());
            }
        }
    }
    for p in inputs {
        let o = menutable().arg("extract").arg(&p).output().unwrap();
        let code = o.status.code();
        assert!(
            code == Some(0) || code == Some(2),
            "{}: {:?}\n{}",
            p.display(),
            o.status,
            stderr(&o)
        );
        if code == Some(2) {
            assert!(
                stderr(&o).contains(&*p.file_name().unwrap().to_string_lossy()),
                "the error names the file: {}",
                stderr(&o)
            );
        }
    }
}
