//! Extraction traps, on PDFs these tests write themselves with lopdf (the content streams below
//! are their ground truth), and on small text fixtures.

use std::path::Path;

use lopdf::{Document, Object, Stream, dictionary};

use crate::util::*;

/// Writes a PDF whose pages have these content streams, with Helvetica (standard 14, no
/// /Widths: the extractor must use the font's standard metrics).
pub fn write_pdf(path: &Path, pages: &[String]) {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids = Vec::new();
    for content in pages {
        let c = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
        let page = doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => c, "Resources" => resources, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()] });
        kids.push(Object::Reference(page));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc.save(path).unwrap();
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
