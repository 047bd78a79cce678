//! Helpers: run the binary in a clean environment, temporary folders, the real corpus.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// ../shared/corpus, which CI and every developer machine have beside the project.
pub fn shared_corpus() -> PathBuf {
    let p = root().join("../shared/corpus");
    assert!(
        p.join("paris.en.pdf").exists(),
        "the real corpus is expected at {} (see README: tests)",
        p.display()
    );
    p
}

/// A fresh, empty temporary folder. The folders of earlier test runs whose process has ended
/// are removed first (a run's folders hold whole indexes: left alone they added up to a
/// gigabyte); this run's stay behind for a look after a failure.
pub fn tempdir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    static SWEPT: std::sync::Once = std::sync::Once::new();
    SWEPT.call_once(|| {
        for e in std::fs::read_dir(std::env::temp_dir())
            .into_iter()
            .flatten()
            .flatten()
        {
            let file_name = e.file_name();
            let Some(rest) = file_name
                .to_str()
                .and_then(|n| n.strip_prefix("menutable-test-"))
            else {
                continue;
            };
            let pid = rest.split('-').next().unwrap_or("");
            if !pid.is_empty() && !Path::new("/proc").join(pid).exists() {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    });
    let dir = std::env::temp_dir().join(format!(
        "menutable-test-{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `menutable` with no MENUTABLE_* variables from the caller's environment.
pub fn menutable() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_menutable"));
    for (k, _) in std::env::vars() {
        if k.starts_with("MENUTABLE_") {
            c.env_remove(k);
        }
    }
    c.current_dir(root());
    c
}

/// Runs `menutable --corpus C --index I ARGS`.
pub fn run(corpus: &Path, index: &Path, args: &[&str]) -> Output {
    menutable()
        .arg("--corpus")
        .arg(corpus)
        .arg("--index")
        .arg(index)
        .args(args)
        .output()
        .unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs and parses JSON output, asserting the exit code.
pub fn json(corpus: &Path, index: &Path, args: &[&str], code: i32) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let o = run(corpus, index, &all);
    assert_eq!(
        o.status.code(),
        Some(code),
        "menutable {args:?}\nstdout: {}\nstderr: {}",
        stdout(&o),
        stderr(&o)
    );
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("menutable {args:?}: not JSON ({e}): {}", stdout(&o)))
}

/// The lexicon's concepts, in its order.
pub const CONCEPTS: [&str; 6] = [
    "city",
    "mayor",
    "local_government",
    "subnational",
    "urban",
    "network",
];

/// The real corpus, fetched with scripts/get-corpus.sh from ../shared/corpus and indexed once
/// per test run.
pub struct Real {
    pub corpus: PathBuf,
    pub index: PathBuf,
}

pub fn real() -> &'static Real {
    static REAL: OnceLock<Real> = OnceLock::new();
    REAL.get_or_init(|| {
        let dir = tempdir("real");
        let corpus = dir.join("corpus");
        let index = dir.join("index");
        let o = Command::new("bash")
            .arg(root().join("scripts/get-corpus.sh"))
            .arg(shared_corpus())
            .env("MENUTABLE_CORPUS", &corpus)
            .output()
            .unwrap();
        assert!(o.status.success(), "get-corpus.sh failed: {}", stderr(&o));
        let o = run(&corpus, &index, &["index"]);
        assert!(o.status.success(), "index failed: {}", stderr(&o));
        Real { corpus, index }
    })
}

impl Real {
    pub fn json(&self, args: &[&str], code: i32) -> serde_json::Value {
        json(&self.corpus, &self.index, args, code)
    }
}

/// All mentions of one document of `count --format json` (every concept).
pub fn total_mentions(doc: &serde_json::Value) -> u64 {
    doc["concepts"]
        .as_object()
        .unwrap()
        .values()
        .map(|c| c["count"].as_u64().unwrap())
        .sum()
}

/// A document's figures per term and per name of an instrument (`terms` and `names` of
/// `count --format json` together): what a plain scan of the whole lexicon finds.
pub fn terms_and_names<T: From<u32> + std::ops::AddAssign + Copy>(
    doc: &serde_json::Value,
) -> std::collections::BTreeMap<String, T> {
    let mut out = std::collections::BTreeMap::new();
    for key in ["terms", "names"] {
        for (k, v) in doc[key].as_object().unwrap() {
            out.insert(k.clone(), T::from(v.as_u64().unwrap() as u32));
        }
    }
    out
}

/// Runs a command, killing it after `secs` seconds: a test of something that once hung must
/// fail, not hang the suite.
pub fn run_bounded(mut cmd: Command, secs: u64) -> Output {
    use std::io::Read;
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let o = std::thread::spawn(move || {
        let mut v = Vec::new();
        out.read_to_end(&mut v).unwrap();
        v
    });
    let e = std::thread::spawn(move || {
        let mut v = Vec::new();
        err.read_to_end(&mut v).unwrap();
        v
    });
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed().as_secs() >= secs {
            let _ = child.kill();
            panic!("{cmd:?} did not finish in {secs} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Output {
        status,
        stdout: o.join().unwrap(),
        stderr: e.join().unwrap(),
    }
}

/// `menutable --corpus C --index I ARGS`, killed (and the test failed) after `secs` seconds.
pub fn run_within(corpus: &Path, index: &Path, args: &[&str], secs: u64) -> Output {
    let mut c = menutable();
    c.arg("--corpus")
        .arg(corpus)
        .arg("--index")
        .arg(index)
        .args(args);
    run_bounded(c, secs)
}

/// A lexicon file: the built-in one plus a concept no text has, so its fingerprint differs
/// from the index's and every tally made at index time is set aside (the text is read again).
pub fn lexicon_with_one_more_concept(name: &str) -> PathBuf {
    let lexicon = tempdir(name).join("lexicon.toml");
    std::fs::write(
        &lexicon,
        format!(
            "{}\n[[concept]]\nid = \"never_here\"\ndescription = \"a term no text has\"\nen = [\"zzqxv\"]\nes = [\"zzqxv\"]\nfr = [\"zzqxv\"]\n",
            menutable::analysis::lexicon::BUILTIN
        ),
    )
    .unwrap();
    lexicon
}

/// Debian's Chromium, headless, with nothing that reaches the network by itself: the command
/// with its flags (the caller adds a profile folder and what to do).
pub fn headless_chromium() -> Command {
    let chromium = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("headless Chromium is needed: apt-get install chromium (scripts/test.sh does)");
    let mut cmd = Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]);
    cmd
}
