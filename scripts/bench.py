#!/usr/bin/env python3
"""menutable's benchmark suite: extraction, indexing, count, kwic/search, update, each against
its anchor in the same run (poppler's pdftotext, ripgrep, memory bandwidth).

Run through scripts/bench.sh, which builds the release binary first. Every timing is a whole
command as a user runs it (process start included), repeated; the medians are reported with
min and max. Peak memory is the child's own maximum RSS (wait4). The synthetic corpora come
from `menutable synth` (fixed seed) and are cached in target/bench/ between runs.

    scripts/bench.py [--quick] [--write] [--runs N]

--quick: small sizes and one run each, for CI (checks that the suite works; figures are not
judged). --write: put the results into BENCHMARKS.md between its bench markers.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "menutable"
WORK = ROOT / "target" / "bench"
SHARED = Path(os.environ.get("MENUTABLE_SHARED", ROOT.parent / "shared"))
UNITS_PER_DOC = 90  # the generator's 90 gives about 100 citable units per document


def need(tool, package):
    if shutil.which(tool) is None:
        sys.exit(f"bench: `{tool}` is missing: apt-get install {package}")


def run_once(cmd, env=None, cwd=None, stdout=subprocess.DEVNULL):
    """Runs `cmd`; returns (seconds, peak RSS in MB, peak anonymous RSS in MB, stderr text).
    Peak RSS (wait4) counts mapped index files too; the anonymous peak (heap: what memory
    bounds are about) is sampled from /proc every 20 ms. Fails on a non-zero exit other than
    1 (1 = nothing found, a valid outcome for a query)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, env=env, cwd=cwd)
    anon = [0]

    def sample():
        path = f"/proc/{p.pid}/status"
        while p.returncode is None:
            try:
                for line in open(path):
                    if line.startswith("RssAnon:"):
                        anon[0] = max(anon[0], int(line.split()[1]))
            except (OSError, ValueError):
                return
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    err = p.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    p.returncode = code
    sampler.join()
    if code not in (0, 1):
        sys.exit(f"bench: {' '.join(map(str, cmd))} exited {code}:\n{err[-2000:]}")
    return dt, usage.ru_maxrss / 1024, anon[0] / 1024, err


def timed(cmd, runs, warmup=1, before=None, env=None, shell=False):
    """Medians, min and max of `runs` runs (after `warmup` untimed ones); `before` runs
    untimed before each run (e.g. removing an index)."""
    times, rss, anon, errs = [], [], [], []
    for i in range(warmup + runs):
        if before:
            before()
        if shell:
            t0 = time.perf_counter()
            subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL)
            dt, mem, heap, err = time.perf_counter() - t0, 0.0, 0.0, ""
        else:
            dt, mem, heap, err = run_once(cmd, env=env)
        if i >= warmup:
            times.append(dt)
            rss.append(mem)
            anon.append(heap)
            errs.append(err)
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "runs": runs,
        "rss_mb": max(rss),
        "anon_mb": max(anon),
        "stderr": errs,
    }


def fmt_t(r):
    return f"{r['median']*1000:.0f} ms ({r['min']*1000:.0f}–{r['max']*1000:.0f})" if r["median"] < 2 else \
        f"{r['median']:.2f} s ({r['min']:.2f}–{r['max']:.2f})"


def mt(*args, corpus=None, index=None, threads=None):
    cmd = [str(BIN)]
    if corpus:
        cmd += ["--corpus", str(corpus)]
    if index:
        cmd += ["--index", str(index)]
    cmd += ["--manifest", str(WORK / "empty-manifest.toml")]
    if threads:
        cmd += ["--threads", str(threads)]
    return cmd + list(args)


def synth_corpus(docs):
    """The text corpus of `docs` documents (cached): its folder and size."""
    d = WORK / f"synth-{docs}"
    stamp = d / ".done.json"
    if not stamp.exists():
        shutil.rmtree(d, ignore_errors=True)
        out = subprocess.run(
            [str(BIN), "synth", "--out", str(d), "--docs", str(docs),
             "--units-per-doc", str(UNITS_PER_DOC), "--format", "json"],
            check=True, capture_output=True, text=True).stdout
        stamp.write_text(out)
    return d, json.loads(stamp.read_text())


def index_units(index):
    out = subprocess.run(mt("docs", "--format", "json", index=index), capture_output=True,
                         text=True, check=True).stdout
    return sum(d["units"] for d in json.loads(out)["documents"])


def machine():
    cpu = ""
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = int(re.search(r"MemTotal:\s+(\d+)", open("/proc/meminfo").read()).group(1)) // 1024**2
    tools = {}
    for t, flag in [("pdftotext", "-v"), ("rg", "--version"), ("groff", "--version")]:
        try:
            p = subprocess.run([t, flag], capture_output=True, text=True)
            tools[t] = (p.stdout + p.stderr).strip().splitlines()[0]
        except OSError:
            tools[t] = "missing"
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                         text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_gib": mem, "kernel": platform.release(),
            "tools": tools, "commit": rev,
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def membw():
    """Memory bandwidth, the physical limit for any scan: the best of five 1 GiB copies. Run
    in a child process, so the suite's own memory (and so the peak RSS that forked children
    report) stays small."""
    code = """
import array, time
n = 1 << 27  # 128 Mi doubles = 1 GiB
a = array.array("d", bytes(8 * n))
best = float("inf")
for _ in range(5):
    t0 = time.perf_counter()
    b = a[:]  # one read + one write of 1 GiB
    best = min(best, time.perf_counter() - t0)
    del b
print(2.0 / best)  # GiB/s moved
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout)


# --- the stages ---------------------------------------------------------------------------

def bench_extraction(q, runs):
    need("pdftotext", "poppler-utils")
    need("pdfinfo", "poppler-utils")
    real = sorted((SHARED / "corpus").rglob("*.pdf"))
    if q:
        real = real[:6]
    # Synthetic PDFs through a real producer: groff -ms (gropdf), cached.
    n_pdf = 6 if q else 200
    pdf_dir = WORK / f"pdf-{n_pdf}"
    if not (pdf_dir / ".done").exists():
        need("groff", "groff")
        shutil.rmtree(pdf_dir, ignore_errors=True)
        subprocess.run([str(BIN), "synth", "--ms", "--out", str(pdf_dir), "--docs", str(n_pdf),
                        "--units-per-doc", "40", "--seed", "11"], check=True,
                       stdout=subprocess.DEVNULL)
        for ms in sorted((pdf_dir / "ms").glob("*.ms")):
            with open(ms.with_suffix(".pdf"), "wb") as f:
                subprocess.run(["groff", "-ms", "-Tpdf", "-dpaper=a4", "-P-pa4", str(ms)],
                               check=True, stdout=f, stderr=subprocess.DEVNULL)
        (pdf_dir / ".done").write_text("ok")
    synth = sorted((pdf_dir / "ms").glob("*.pdf"))
    out = {}
    for name, files in [("real", real), ("groff", synth)]:
        pages = 0
        for f in files:
            m = re.search(r"Pages:\s+(\d+)",
                          subprocess.run(["pdfinfo", str(f)], capture_output=True, text=True).stdout)
            pages += int(m.group(1)) if m else 0
        mb = sum(f.stat().st_size for f in files) / 1e6
        tmp = WORK / "extract-out"

        def clean():
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
        ours = timed([str(BIN), "extract", "--out", str(tmp)] + [str(f) for f in files], runs,
                     before=clean)
        text_mb = sum(p.stat().st_size for p in tmp.glob("*.txt")) / 1e6
        listing = WORK / "pdf-list.txt"
        listing.write_text("\0".join(str(f) for f in files))
        pop2 = timed(f"xargs -0 -P 2 -I{{}} sh -c 'pdftotext -q -enc UTF-8 \"$1\" {tmp}/p-$$.txt' _ {{}} < {listing}",
                     runs, shell=True)
        pop1 = timed(f"xargs -0 -P 1 -I{{}} pdftotext -q -enc UTF-8 {{}} {tmp}/p.txt < {listing}",
                     runs, shell=True)
        out[name] = {"files": len(files), "pages": pages, "pdf_mb": mb, "text_mb": text_mb,
                     "menutable": ours, "pdftotext_2": pop2, "pdftotext_1": pop1,
                     "pages_per_s": pages / ours["median"], "text_mb_s": text_mb / ours["median"],
                     "ratio_2": pop2["median"] / ours["median"],
                     "ratio_1": pop1["median"] / ours["median"]}
    return out


def bench_scale(sizes, runs, big_runs):
    """Indexing at each size on 1 and 2 threads, then count/rg (and kwic/search at the
    largest)."""
    need("rg", "ripgrep")
    terms = WORK / "terms.txt"
    subprocess.run([sys.executable, "-c", f"""
import tomllib
l = tomllib.load(open({str(ROOT / 'corpus' / 'lexicon.toml')!r}, 'rb'))
ts = sorted({{t for c in l['concept'] for t in c.get('en', []) + c.get('names', [])}})
open({str(terms)!r}, 'w').write('\\n'.join(ts) + '\\n')
"""], check=True)
    results = []
    for docs in sizes:
        corpus, summary = synth_corpus(docs)
        idx = WORK / f"index-{docs}"
        r = {"docs": docs, "text_mb": summary["bytes"] / 1e6, "words": summary["words"]}
        n = runs if docs < 10000 else big_runs
        for threads in (1, 2):
            r[f"index_t{threads}"] = timed(
                mt("index", corpus=corpus, index=idx, threads=threads), n, warmup=0,
                before=lambda: shutil.rmtree(idx, ignore_errors=True))
        r["units"] = index_units(idx)
        for threads in (1, 2):
            t = r[f"index_t{threads}"]["median"]
            r[f"index_t{threads}_mb_s"] = r["text_mb"] / t
            r[f"index_t{threads}_units_s"] = r["units"] / t
        env = dict(os.environ, MENUTABLE_TIMING="1")
        r["count"] = timed(mt("count", index=idx), max(runs, 5), warmup=2, env=env)
        inproc = [float(re.search(r"total=([\d.]+)", e).group(1)) -
                  float(re.search(r"write=([\d.]+)", e).group(1))
                  for e in r["count"]["stderr"]]
        r["count_inprocess_ms"] = statistics.median(inproc)
        r["count_rescan"] = timed(mt("count", "--rescan", index=idx), max(1, runs // 2), warmup=1)
        r["rg"] = timed(["rg", "-c", "-i", "-w", "-F", "-f", str(terms), str(corpus)],
                        max(runs, 5), warmup=2)
        r["rg_1"] = timed(["rg", "-j1", "-c", "-i", "-w", "-F", "-f", str(terms), str(corpus)],
                          max(1, runs // 2), warmup=1)
        r["count_vs_rg"] = r["rg"]["median"] / r["count"]["median"]
        r["update_nochange"] = timed(mt("update", corpus=corpus, index=idx), max(runs, 3), warmup=1)
        r["index_mb"] = sum(f.stat().st_size for f in idx.iterdir() if f.is_file()) / 1e6
        if docs == sizes[-1]:
            q = {
                "kwic_common": mt("kwic", "--term", "cities", index=idx),
                "kwic_rare": mt("kwic", "--term", "mayor", index=idx),
                "search_phrase": mt("search", '"local authorities"', index=idx),
                "search_boolean": mt("search", "(cities OR urban) AND climate AND NOT mayors",
                                     index=idx),
            }
            for k, cmd in q.items():
                r[k] = timed(cmd, max(runs, 3), warmup=1)
                lines = subprocess.run(cmd + ["--format", "csv"], capture_output=True,
                                       text=True).stdout.count("\n")
                r[k]["rows"] = max(0, lines - 1)
        for v in r.values():
            if isinstance(v, dict):
                v.pop("stderr", None)
        results.append(r)
        print(f"bench: {docs} docs done", file=sys.stderr)
    return results


PLAIN_COUNTER = r"""
import collections, pathlib, re, sys, unicodedata
c = collections.Counter()
word = re.compile(r"[^\W_]+")
for f in pathlib.Path(sys.argv[1]).rglob("*.txt"):
    t = unicodedata.normalize("NFKC", f.read_text()).lower()
    c.update(w for w in word.findall(t) if any(ch.isalpha() for ch in w))
print(len(c), sum(c.values()))
"""


def bench_explore(docs, runs, idx=None, corpus=None):
    """freq, keyness and collocates over the index of `docs` documents, each against a plain
    scan of the same text (Python's Counter over the corpus files: no scope, no lexicon)."""
    if idx is None:
        corpus, _ = synth_corpus(docs)
        idx = WORK / f"index-{docs}"
        up_to_date(corpus, idx)
    first = json.loads(subprocess.run(mt("count", "--format", "json", index=idx),
                                      capture_output=True, text=True, check=True).stdout)
    target = first["documents"][0]["id"]
    script = WORK / "plain_counter.py"
    script.write_text(PLAIN_COUNTER)
    r = {"docs": docs, "units": index_units(idx)}
    q = {
        "freq": mt("freq", index=idx),
        "keyness": mt("keyness", "--target", target, index=idx),
        "collocates": mt("collocates", "cities", index=idx),
        "plain_counter": [sys.executable, str(script), str(corpus)],
    }
    for k, cmd in q.items():
        r[k] = timed(cmd, runs, warmup=1)
        r[k].pop("stderr", None)
    for k in ("freq", "keyness", "collocates"):
        r[f"{k}_vs_plain"] = r[k]["median"] / r["plain_counter"]["median"]
    print(f"bench: explore at {docs} docs done", file=sys.stderr)
    return r


def paired_ratio(a, b, runs):
    """Median over `runs` pairs of time(a) / time(b), a and b run in turn after one warm-up
    each: pairing keeps the ratio meaningful on a machine whose speed drifts."""
    run_once(a)
    run_once(b)
    ratios = []
    for _ in range(runs):
        ta = run_once(a)[0]
        tb = run_once(b)[0]
        ratios.append(ta / tb)
    return statistics.median(ratios)


def up_to_date(corpus, idx):
    """Brings a bench index kept from an earlier run up to date (`index` is incremental, and
    rebuilds an index of an older layout, which queries refuse)."""
    subprocess.run(mt("index", corpus=corpus, index=idx), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def guard(docs=1000, runs=7):
    """The regressions the suite must catch (issue 23), as ratios only (the machine is noisy):
    `count` faster than ripgrep on the same text, and a no-change `update` within 5x `count`,
    both at `docs` documents. Returns the ratios and the failures."""
    need("rg", "ripgrep")
    corpus, _ = synth_corpus(docs)
    idx = WORK / f"index-{docs}"
    up_to_date(corpus, idx)
    terms = WORK / "terms.txt"
    count = mt("count", index=idx)
    rg = ["rg", "-c", "-i", "-w", "-F", "-f", str(terms), str(corpus)]
    update = mt("update", "--offline", corpus=corpus, index=idx)
    r = {"docs": docs, "count_vs_rg": paired_ratio(count, rg, runs),
         "update_vs_count": paired_ratio(update, count, runs)}
    failed = []
    if r["count_vs_rg"] >= 1.0:
        failed.append(f"count takes {r['count_vs_rg']:.2f}x ripgrep's time at {docs} docs "
                      "(it must be faster)")
    if r["update_vs_count"] > 5.0:
        failed.append(f"a no-change update takes {r['update_vs_count']:.2f}x count's time at "
                      f"{docs} docs (at most 5x)")
    print(f"bench: guard at {docs} docs: count/rg {r['count_vs_rg']:.2f}, "
          f"update/count {r['update_vs_count']:.2f}", file=sys.stderr)
    return r, failed


def bench_size(docs, runs=1):
    """Every command at one (large) size, opt-in (`--size 100000`: about 3.2 GB of text):
    time and peak memory of index, count, kwic (common and rare), roles, export (each
    format), report and a no-change update, beside ripgrep where it answers the same."""
    need("rg", "ripgrep")
    corpus, summary = synth_corpus(docs)
    idx = WORK / f"index-{docs}"
    r = {"docs": docs, "text_mb": summary["bytes"] / 1e6}
    if not (idx / "meta.json").exists():
        r["index"] = timed(mt("--quiet", "index", corpus=corpus, index=idx, threads=2), 1,
                           warmup=0)
        r["index"]["mb_s"] = r["text_mb"] / r["index"]["median"]
    else:
        up_to_date(corpus, idx)
    r["units"] = index_units(idx)
    terms = WORK / "terms.txt"
    out = WORK / f"export-{docs}"
    q = {
        "count": mt("count", index=idx),
        "rg_count": ["rg", "-c", "-i", "-w", "-F", "-f", str(terms), str(corpus)],
        "kwic_common": mt("kwic", "--term", "cities", "--format", "csv", index=idx),
        "rg_common": ["rg", "-i", "-w", "cities", str(corpus)],
        "kwic_rare": mt("kwic", "--term", "mayor", "--format", "csv", index=idx),
        "kwic_first_page": mt("kwic", "--term", "cities", "--limit", "20", index=idx),
        "roles": mt("roles", index=idx),
        "update_nochange": mt("--quiet", "update", "--offline", corpus=corpus, index=idx),
        "export_csv": mt("--quiet", "export", "--out", str(out), index=idx),
        "export_json": mt("--quiet", "export", "--format", "json", "--out", str(out),
                          index=idx),
        "export_jsonl": mt("--quiet", "export", "--format", "jsonl", "--out", str(out),
                           index=idx),
        "report": mt("--quiet", "report", "--out", str(WORK / f"report-{docs}.html"),
                     index=idx),
        "freq": mt("freq", index=idx),
        "collocates": mt("collocates", "cities", index=idx),
    }
    for k, cmd in q.items():
        r[k] = timed(cmd, runs, warmup=0)
        r[k].pop("stderr", None)
        print(f"bench: size {docs}: {k} {r[k]['median']:.2f} s", file=sys.stderr)
    r["report_bytes"] = (WORK / f"report-{docs}.html").stat().st_size
    shutil.rmtree(out, ignore_errors=True)
    return r


def size_markdown(r):
    L = [f"### At {r['docs']:,} documents ({r['units']:,} units, {r['text_mb']:.0f} MB of text)",
         "", "| command | time | peak RSS | anonymous memory |", "|---|---|---|---|"]
    if "index" in r:
        L.append(f"| `index` ({r['index']['mb_s']:.1f} MB/s) | {fmt_t(r['index'])} | "
                 f"{r['index']['rss_mb']:.0f} MB | {r['index']['anon_mb']:.0f} MB |")
    for k in ("count", "rg_count", "kwic_common", "rg_common", "kwic_rare", "kwic_first_page",
              "roles", "update_nochange", "export_csv", "export_json", "export_jsonl", "report",
              "freq", "collocates"):
        L.append(f"| {k} | {fmt_t(r[k])} | {r[k]['rss_mb']:.0f} MB | {r[k]['anon_mb']:.0f} MB |")
    L.append(f"\nreport: {r['report_bytes'] / 1e6:.1f} MB")
    return "\n".join(L) + "\n"


def explore_markdown(e):
    L = [f"### 6. Exploring ({e['docs']:,} docs, {e['units']:,} units)", "",
         "| command | time | peak RSS | anonymous memory | time ÷ plain scan |", "|---|---|---|---|---|"]
    for k, label in [("freq", "`freq` (whole corpus)"),
                     ("keyness", "`keyness --target DOC` (one document against the rest)"),
                     ("collocates", "`collocates cities` (a common word)")]:
        L.append(f"| {label} | {fmt_t(e[k])} | {e[k]['rss_mb']:.0f} MB | {e[k]['anon_mb']:.0f} MB | "
                 f"{e[k + '_vs_plain']:.2f}× |")
    L.append(f"| plain scan: Python `Counter` over the corpus files | {fmt_t(e['plain_counter'])} | "
             f"{e['plain_counter']['rss_mb']:.0f} MB | {e['plain_counter']['anon_mb']:.0f} MB | 1× |")
    return "\n".join(L) + "\n"


def bench_memory(docs):
    """One index run at `docs` documents (3× the largest size): does memory stay flat?"""
    corpus, summary = synth_corpus(docs)
    idx = WORK / f"index-{docs}"
    shutil.rmtree(idx, ignore_errors=True)
    r = timed(mt("index", corpus=corpus, index=idx, threads=2), 1, warmup=0)
    r["docs"] = docs
    r["text_mb"] = summary["bytes"] / 1e6
    r.pop("stderr", None)
    shutil.rmtree(idx, ignore_errors=True)
    print(f"bench: memory at {docs} docs done", file=sys.stderr)
    return r


def markdown(m, ext, scale, bw, quick, mem):
    L = []
    L.append(f"Run: {m['date']}, commit {m['commit']}{' (--quick)' if quick else ''}. Machine: "
             f"{m['cpu']}, {m['cores']} cores, {m['mem_gib']} GiB, Linux {m['kernel']}; "
             f"{m['tools']['pdftotext']}; {m['tools']['rg']}; {m['tools']['groff']}. "
             f"Memory bandwidth (1 GiB copy, best of 5): {bw:.1f} GiB/s.")
    L.append("")
    L.append("Times are medians of whole commands (process start included), with (min–max).")
    L.append("")
    L.append("### 1. Extraction (PDF → text), both cores")
    L.append("")
    L.append("| PDFs | files | pages | text MB | menutable | pages/s | text MB/s | pdftotext ×2 | ratio | pdftotext ×1 | ratio |")
    L.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, e in ext.items():
        L.append(f"| {name} | {e['files']} | {e['pages']} | {e['text_mb']:.1f} | {fmt_t(e['menutable'])} | "
                 f"{e['pages_per_s']:.0f} | {e['text_mb_s']:.1f} | {fmt_t(e['pdftotext_2'])} | "
                 f"{e['ratio_2']:.2f}× | {fmt_t(e['pdftotext_1'])} | {e['ratio_1']:.2f}× |")
    L.append("")
    L.append("ratio = pdftotext time / menutable time (above 1: menutable is faster). "
             "pdftotext ×2 runs two processes at a time (xargs -P 2), the fair match for "
             "menutable's two threads.")
    L.append("")
    L.append("### 2. Indexing (synthetic text corpus, fresh index)")
    L.append("")
    L.append("| docs | units | text MB | threads | time | MB/s | units/s | peak heap | peak RSS | index MB |")
    L.append("|---|---|---|---|---|---|---|---|---|---|")
    for r in scale:
        for t in (1, 2):
            x = r[f"index_t{t}"]
            L.append(f"| {r['docs']:,} | {r['units']:,} | {r['text_mb']:.0f} | {t} | {fmt_t(x)} | "
                     f"{r[f'index_t{t}_mb_s']:.1f} | {r[f'index_t{t}_units_s']:,.0f} | "
                     f"{x['anon_mb']:.0f} MB | {x['rss_mb']:.0f} MB | {r['index_mb']:.0f} |")
    L.append("")
    L.append(f"At {mem['docs']:,} docs ({mem['text_mb']:.0f} MB of text, 2 threads, one run): "
             f"{fmt_t(mem)}, {mem['text_mb'] / mem['median']:.1f} MB/s, peak heap "
             f"{mem['anon_mb']:.0f} MB, peak RSS {mem['rss_mb']:.0f} MB.")
    L.append("")
    L.append("peak heap = largest anonymous resident memory (sampled every 20 ms); peak RSS "
             "(wait4) also counts index files mapped while tantivy merges segments at the end.")
    L.append("")
    L.append("### 3. `count` of the whole lexicon versus `rg -c -i -w -F -f terms`")
    L.append("")
    L.append("| docs | units | count (end to end) | in-process | count --rescan | rg (2 threads) | rg -j1 | rg / count | rg MB/s |")
    L.append("|---|---|---|---|---|---|---|---|---|")
    for r in scale:
        L.append(f"| {r['docs']:,} | {r['units']:,} | {fmt_t(r['count'])} | {r['count_inprocess_ms']:.0f} ms | "
                 f"{fmt_t(r['count_rescan'])} | {fmt_t(r['rg'])} | {fmt_t(r['rg_1'])} | "
                 f"{r['count_vs_rg']:.1f}× | {r['text_mb'] / r['rg']['median']:.0f} |")
    L.append("")
    big = scale[-1]
    L.append(f"### 4. kwic and search ({big['docs']:,} docs, {big['units']:,} units)")
    L.append("")
    L.append("| command | rows | time |")
    L.append("|---|---|---|")
    for k, label in [("kwic_common", "`kwic --term cities` (common)"),
                     ("kwic_rare", "`kwic --term mayor` (rare)"),
                     ("search_phrase", "`search '\"local authorities\"'` (phrase)"),
                     ("search_boolean", "`search '(cities OR urban) AND climate AND NOT mayors'` (boolean)")]:
        L.append(f"| {label} | {big[k]['rows']:,} | {fmt_t(big[k])} |")
    L.append("")
    L.append("### 5. `update` with nothing changed")
    L.append("")
    L.append("| docs | time | peak RSS |")
    L.append("|---|---|---|")
    for r in scale:
        L.append(f"| {r['docs']:,} | {fmt_t(r['update_nochange'])} | {r['update_nochange']['rss_mb']:.0f} MB |")
    return "\n".join(L) + "\n"


def timed_once(cmd, **kw):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t0


def spark_submit():
    """spark-submit: on PATH, else the pyspark package's own."""
    found = shutil.which("spark-submit")
    if found:
        return found
    import pyspark
    return str(Path(pyspark.__file__).parent / "bin" / "spark-submit")


def bench_spark():
    """The Spark job in local[2] against `menutable index` (2 threads) on the same files: the
    real corpus (its manifest) and 10,000 synthetic documents; and the job on one small file,
    its fixed overhead (JVM, Python workers, the scheduler, writing five tables)."""
    out = {"machine": machine(), "rows": []}
    real = (ROOT / "corpus" / "files", ROOT / "corpus" / "manifest.toml")
    synth, _ = synth_corpus(10000)
    one = WORK / "spark-one"
    shutil.rmtree(one, ignore_errors=True)
    (one / "c").mkdir(parents=True)
    (one / "c" / "one.en.txt").write_text("1. The cities act with local authorities.\n")
    # The job reads a local folder in place, a share per task (`--shard`); `--copy-files`
    # hands the files over through binaryFiles, as it must for a URI (hdfs://, s3a://).
    cases = [("one small file", one / "c", WORK / "empty-manifest.toml", 1, []),
             ("real corpus", real[0], real[1], 0, []),
             ("10,000 synthetic documents", synth, WORK / "empty-manifest.toml", 0, []),
             ("10,000 synthetic, --copy-files", synth, WORK / "empty-manifest.toml", 16, ["--copy-files"])]
    for name, corpus, manifest, parts, flags in cases:
        work = WORK / "spark-run"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        files = sum(1 for p in Path(corpus).rglob("*") if p.is_file())
        mbytes = sum(p.stat().st_size for p in Path(corpus).rglob("*") if p.is_file()) / 1e6
        index_s = timed_once([str(BIN), "--corpus", str(corpus), "--manifest", str(manifest), "--index",
                         str(work / "index"), "--threads", "2", "--quiet", "index"])
        job = [spark_submit(), "--master", "local[2]", "--driver-memory", "2g",
               str(ROOT / "spark" / "menutable_spark.py"), "--corpus", str(corpus), "--manifest",
               str(manifest), "--binary", str(BIN), "--out", str(work / "out")]
        if parts:
            job += ["--partitions", str(parts)]
        job += flags
        spark_s = timed_once(job, cwd=ROOT)
        from_s = timed_once([str(BIN), "--corpus", str(corpus), "--manifest", str(manifest), "--index",
                        str(work / "from"), "--quiet", "index", "--from", str(work / "out")])
        out["rows"].append({"case": name, "files": files, "mb": round(mbytes, 1),
                            "index_s": round(index_s, 2), "spark_s": round(spark_s, 2),
                            "from_s": round(from_s, 2)})
        print(out["rows"][-1], file=sys.stderr)
    return out


def spark_markdown(r):
    rows = r["rows"]
    fixed = rows[0]["spark_s"]
    lines = ["| corpus | files | MB | `menutable index` (2 threads) | Spark job, local[2] | `index --from` its output |",
             "|---|---|---|---|---|---|"]
    for x in rows:
        lines.append(f"| {x['case']} | {x['files']:,} | {x['mb']} | {x['index_s']:.1f} s | {x['spark_s']:.1f} s | {x['from_s']:.1f} s |")
    big = next(x for x in rows if x["case"] == "10,000 synthetic documents")
    per_core = big["files"] / max(big["spark_s"] - fixed, 0.1) / 2
    lines.append("")
    lines.append(f"Fixed overhead of the job (one small file): {fixed:.1f} s. Throughput past it at 10,000 "
                 f"documents: {per_core:.0f} documents per second per core "
                 f"(`menutable index` alone: {big['files'] / big['index_s'] / 2:.0f} per second per core).")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--runs", type=int, default=None)
    ap.add_argument("--size", type=int, metavar="DOCS", default=None,
                    help="only every command at DOCS documents (opt-in: 100000 is 3.2 GB)")
    ap.add_argument("--spark", action="store_true",
                    help="only the Spark job (local[2]) against `menutable index`: real corpus and 10,000 documents (opt-in; needs spark-submit)")
    ap.add_argument("--explore-only", type=int, metavar="DOCS", default=None,
                    help="only the exploring views at DOCS documents")
    a = ap.parse_args()
    if not BIN.exists():
        sys.exit("bench: build first: cargo build --release")
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "empty-manifest.toml").write_text("")
    if a.size:
        r = bench_size(a.size, a.runs or 1)
        (WORK / f"size-{a.size}.json").write_text(json.dumps(r, indent=1))
        print(size_markdown(r))
        return
    if a.spark:
        r = bench_spark()
        (WORK / "spark.json").write_text(json.dumps(r, indent=1))
        print(spark_markdown(r))
        return
    if a.explore_only:
        e = bench_explore(a.explore_only, a.runs or 3)
        md = explore_markdown(e)
        (WORK / "explore.json").write_text(json.dumps(e, indent=1))
        print(md)
        return
    runs = a.runs or (1 if a.quick else 3)
    sizes = [20, 100] if a.quick else [100, 1000, 10000]
    m = machine()
    bw = membw() if not a.quick else 0.0
    ext = bench_extraction(a.quick, runs)
    scale = bench_scale(sizes, runs, runs)
    mem = bench_memory(3 * sizes[-1])
    explore = bench_explore(sizes[-1], runs)
    md = markdown(m, ext, scale, bw, a.quick, mem) + "\n" + explore_markdown(explore)
    (WORK / "results.json").write_text(json.dumps(
        {"machine": m, "membw_gib_s": bw, "extraction": ext, "scale": scale, "memory": mem,
         "explore": explore},
        indent=1))
    (WORK / "results.md").write_text(md)
    print(md)
    if a.quick:
        g, failed = guard()
        (WORK / "guard.json").write_text(json.dumps(g, indent=1))
        if failed:
            sys.exit("bench: regression: " + "; ".join(failed))
    if a.write:
        path = ROOT / "BENCHMARKS.md"
        text = path.read_text()
        begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
        i, j = text.index(begin) + len(begin), text.index(end)
        path.write_text(text[:i] + "\n" + md + text[j:])
        print(f"bench: wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
