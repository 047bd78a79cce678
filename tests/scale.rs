//! What the benchmarks rely on: index-time counts equal counts from the stored text (and the
//! plain-scan oracle), the synthetic corpus is deterministic and segments as generated, the
//! thread count changes nothing but speed, and an index of an older layout is rebuilt.

use std::collections::BTreeMap;

use menutable::analysis::lexicon::Lexicon;

use crate::oracle::oracle;
use crate::util::*;

/// A manifest with no documents (a regular file: `--manifest` accepts no devices).
const EMPTY_MANIFEST: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/empty-manifest.toml"
);

/// `count` from index-time tallies and `count --rescan` from the stored text agree on every
/// real document, in every scope.
#[test]
fn tallies_equal_rescan_on_the_real_corpus() {
    let r = real();
    for scope in [&[][..], &["--include-toc"], &["--no-footnotes"]] {
        let mut args = vec!["count"];
        args.extend_from_slice(scope);
        let fast = r.json(&args, 0);
        args.push("--rescan");
        let slow = r.json(&args, 0);
        assert_eq!(fast, slow, "scope {scope:?}");
        assert!(fast["documents"].as_array().unwrap().len() > 70);
    }
    // A lexicon other than the one indexed with is never answered from the tallies.
    let dir = tempdir("other-lexicon");
    let lex = dir.join("lexicon.toml");
    std::fs::write(
        &lex,
        "[[concept]]\nid = \"city\"\nen = [\"city\"]\n[[concept]]\nid = \"party\"\nen = [\"Parties\"]\n",
    )
    .unwrap();
    let o = run(
        &r.corpus,
        &r.index,
        &[
            "count",
            "--format",
            "json",
            "--doc",
            "paris-2015",
            "--lexicon",
            lex.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let party = v["documents"][0]["concepts"]["party"]["count"]
        .as_u64()
        .unwrap();
    assert!(party > 20, "{v}");
}

fn synth(out: &std::path::Path, docs: &str, seed: &str) -> serde_json::Value {
    let o = menutable()
        .args([
            "synth",
            "--format",
            "json",
            "--docs",
            docs,
            "--units-per-doc",
            "40",
            "--seed",
            seed,
            "--out",
        ])
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

/// Same seed, same bytes; the index finds the units the generator wrote; counts equal the
/// oracle's plain scan of the files; one thread and two give the same index content.
#[test]
fn synthetic_corpus_is_deterministic_and_counts_match_a_plain_scan() {
    let dir = tempdir("synth");
    let (a, b) = (dir.join("a"), dir.join("b"));
    let sa = synth(&a, "30", "5");
    let sb = synth(&b, "30", "5");
    assert_eq!(sa, sb);
    let file = menutable::synth::doc_path(17);
    assert_eq!(
        std::fs::read(a.join(&file)).unwrap(),
        std::fs::read(b.join(&file)).unwrap()
    );
    let c = dir.join("c");
    synth(&c, "30", "6");
    assert_ne!(
        std::fs::read(a.join(&file)).unwrap(),
        std::fs::read(c.join(&file)).unwrap()
    );

    let mut by_threads = Vec::new();
    for threads in ["1", "2"] {
        let index = dir.join(format!("index-{threads}"));
        let o = run(
            &a,
            &index,
            &["--threads", threads, "--manifest", EMPTY_MANIFEST, "index"],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let docs = json(&a, &index, &["--manifest", EMPTY_MANIFEST, "docs"], 0);
        let units: u64 = docs["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["units"].as_u64().unwrap())
            .sum();
        assert_eq!(units, sa["units"].as_u64().unwrap());
        let counts = json(&a, &index, &["--manifest", EMPTY_MANIFEST, "count"], 0);
        by_threads.push(counts);
    }
    assert_eq!(by_threads[0], by_threads[1]);

    // Every document's term counts equal the oracle's scan of its file.
    let terms = Lexicon::builtin().terms("en");
    let mut planted = 0;
    for d in by_threads[0]["documents"].as_array().unwrap() {
        let text = std::fs::read_to_string(a.join(d["file"].as_str().unwrap())).unwrap();
        let want = oracle(&menutable::extract::normalize::normalize(&text), &terms);
        let got: BTreeMap<String, u64> = terms_and_names(d);
        let want: BTreeMap<String, u64> = want.into_iter().map(|(k, v)| (k, v as u64)).collect();
        assert_eq!(got, want, "{}", d["id"]);
        planted += got.values().sum::<u64>() as usize;
    }
    assert_eq!(planted as u64, sa["planted"].as_u64().unwrap());

    // kwic reads only the documents its one search says have the term, and misses none.
    let index = dir.join("index-2");
    for term in ["cities", "mayor"] {
        let o = run(
            &a,
            &index,
            &[
                "--manifest",
                EMPTY_MANIFEST,
                "--format",
                "json",
                "kwic",
                "--term",
                term,
            ],
        );
        assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
        let k: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let counted: u64 = by_threads[0]["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["terms"][term].as_u64().unwrap_or(0))
            .sum();
        assert_eq!(
            k["mentions"].as_array().unwrap().len() as u64,
            counted,
            "{term}"
        );
    }
}

/// An index written with another schema is rebuilt by `index` and refused by readers.
#[test]
fn an_index_of_an_older_layout_is_rebuilt() {
    let dir = tempdir("old-layout");
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("a.en.txt"), "1. Cities and mayors.\n").unwrap();
    let index = dir.join("index");
    std::fs::create_dir_all(&index).unwrap();
    let mut b = tantivy::schema::Schema::builder();
    let meta = b.add_text_field("meta", tantivy::schema::STORED);
    let old = tantivy::Index::create_in_dir(&index, b.build()).unwrap();
    let mut w: tantivy::IndexWriter = old.writer(15_000_000).unwrap();
    w.add_document(tantivy::doc!(meta => "old")).unwrap();
    w.commit().unwrap();
    drop(w);
    let files = |dir: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let old_segments: Vec<String> = files(&index)
        .into_iter()
        .filter(|f| f.ends_with(".store"))
        .collect();
    assert!(!old_segments.is_empty());
    // A file a person put there (the project keeps a README in index/) is not tantivy's.
    std::fs::write(index.join("README.md"), "mine\n").unwrap();
    let o = run(&corpus, &index, &["--manifest", EMPTY_MANIFEST, "count"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("older menutable"), "{}", stderr(&o));
    let o = run(&corpus, &index, &["--manifest", EMPTY_MANIFEST, "index"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("older layout"), "{}", stderr(&o));
    let v = json(&corpus, &index, &["--manifest", EMPTY_MANIFEST, "count"], 0);
    assert_eq!(total_mentions(&v["documents"][0]), 2);
    assert_eq!(
        std::fs::read_to_string(index.join("README.md")).unwrap(),
        "mine\n"
    );
    let now = files(&index);
    assert!(old_segments.iter().all(|f| !now.contains(f)), "{now:?}");
}
