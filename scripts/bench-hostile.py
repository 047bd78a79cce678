#!/usr/bin/env python3
"""Issue 13's figures (BENCHMARKS.md, "Budgets and hostile files").

    python3 scripts/bench-hostile.py [--before BINARY] [--runs N]

1. `index` of the real corpus into a fresh index: time and peak RSS (median of N runs), with
   the budgets (this build) and, given --before, a build without them.
2. The hostile set (written by the test `issue13_hostile_pdfs_...` into target/bench/hostile):
   `index` over all of it; with --before, each file alone under a 20 s / 4 GiB bound.
3. One long unit (a text whose paragraph numbers never follow on) at doubling sizes: `kwic`
   and `roles` time, which must at most double when the text doubles.

Needs a release build (cargo build --release), GNU time, ../shared/corpus. Prints Markdown.
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "bench"
NEW = ROOT / "target" / "release" / "menutable"
SHARED = Path(os.environ.get("MENUTABLE_SHARED", ROOT.parent / "shared")) / "corpus"


def timed(cmd, timeout=None, mem_gib=None, env=None):
    """(seconds, peak RSS in MB, exit code or 'timeout'/'killed', CPU seconds) of one run."""
    def limit():
        if mem_gib:
            b = int(mem_gib * (1 << 30))
            resource.setrlimit(resource.RLIMIT_AS, (b, b))
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         preexec_fn=limit, env=env)
    try:
        _, status, ru = os.wait4(p.pid, 0) if timeout is None else wait_bounded(p, timeout)
    except TimeoutError:
        return (time.monotonic() - start, None, "timeout", None)
    secs = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    cpu = ru.ru_utime + ru.ru_stime
    return (secs, ru.ru_maxrss / 1024, code if code >= 0 else "killed", cpu)


def wait_bounded(p, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            return pid, status, ru
        time.sleep(0.02)
    p.kill()
    os.wait4(p.pid, 0)
    raise TimeoutError


def median_run(cmd, runs, before=None):
    rows = []
    for _ in range(runs):
        if before:
            before()
        rows.append(timed(cmd))
    secs = statistics.median(r[0] for r in rows)
    rss = statistics.median(r[1] for r in rows)
    cpu = statistics.median(r[3] for r in rows)
    return secs, rss, rows[-1][2], cpu


def real_corpus():
    corpus = WORK / "real-corpus"
    if not corpus.exists():
        env = dict(os.environ, MENUTABLE_CORPUS=str(corpus))
        subprocess.run(["bash", str(ROOT / "scripts/get-corpus.sh"), str(SHARED)], env=env,
                       check=True, stdout=subprocess.DEVNULL)
    return corpus


def hostile_set():
    out = WORK / "hostile"
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, MENUTABLE_KEEP_HOSTILE=str(out))
    subprocess.run(["cargo", "test", "--release", "--quiet", "--test", "cli", "--",
                    "issue13_hostile_pdfs"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return out


def long_text(size):
    path = WORK / f"long-{size >> 10}k" / "long.en.txt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        sentence = ("The Parties note that cities, local authorities and subnational governments "
                    "act on climate change in many ways; ")
        path.write_text((sentence * (size // len(sentence) + 1))[:size] + "\n")
    return path.parent


def index_cmd(binary, corpus, index):
    return [str(binary), "--corpus", str(corpus), "--index", str(index),
            "--manifest", str(WORK / "empty-manifest.toml"), "index"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "empty-manifest.toml").write_text("")
    bins = [("budgets", NEW)] + ([("before", a.before)] if a.before else [])
    out = [f"Commit {git_head()}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
           f"{a.runs} runs, medians.", ""]

    corpus = real_corpus()
    # Alternating runs (before, budgets, before, ...): the machine is shared and noisy, and CPU
    # time (user + system) is steadier than wall time.
    out += ["| real corpus, fresh `index` | time | CPU time | peak RSS |", "|---|---|---|---|"]
    rows = {name: [] for name, _ in bins}
    for _ in range(a.runs):
        for name, b in bins:
            idx = WORK / f"real-index-{name}"
            shutil.rmtree(idx, True)
            cmd = [str(b), "--corpus", str(corpus), "--index", str(idx), "--manifest",
                   str(ROOT / "corpus/manifest.toml"), "index"]
            rows[name].append(timed(cmd))
    for name, _ in bins:
        r = rows[name]
        med = lambda k: statistics.median(x[k] for x in r)
        out.append(f"| {name} | {med(0):.2f} s ({min(x[0] for x in r):.2f}–"
                   f"{max(x[0] for x in r):.2f}) | {med(3):.2f} s | {med(1):.0f} MB |")

    hostile = hostile_set()
    files = sorted(p.name for p in hostile.iterdir())
    out += ["", "| hostile set, `index` | time | peak RSS | exit |", "|---|---|---|---|"]
    idx = WORK / "hostile-index"
    secs, rss, code, _ = median_run(index_cmd(NEW, hostile, idx), a.runs,
                                    before=lambda: shutil.rmtree(idx, True))
    out.append(f"| all {len(files)} files, budgets | {secs:.2f} s | {rss:.0f} MB | {code} |")
    if a.before:
        for f in files:
            one = WORK / "hostile-one"
            shutil.rmtree(one, True)
            one.mkdir(parents=True)
            shutil.copy(hostile / f, one / f)
            idx = WORK / "hostile-one-index"
            shutil.rmtree(idx, True)
            secs, rss, code, _ = timed(index_cmd(a.before, one, idx), timeout=20, mem_gib=4)
            shown = f"{rss:.0f} MB" if rss else "–"
            out.append(f"| {f} alone, before | {secs:.1f} s | {shown} | {code} |")

    out += ["", "| one long unit | size | index | index peak RSS | kwic | roles |",
            "|---|---|---|---|---|---|"]
    for name, b in bins:
        sizes = [128 << 10, 256 << 10, 512 << 10, 1 << 20, 15 << 20] if name == "budgets" \
            else [64 << 10, 128 << 10, 256 << 10]
        for size in sizes:
            c = long_text(size)
            idx = WORK / f"long-index-{name}-{size}"
            shutil.rmtree(idx, True)
            i = timed(index_cmd(b, c, idx))
            base = [str(b), "--corpus", str(c), "--index", str(idx), "--manifest",
                    str(WORK / "empty-manifest.toml")]
            k = timed(base + ["kwic", "--concept", "city"], timeout=300)
            r = timed(base + ["roles"], timeout=300)
            shown = f"{size >> 20} MiB" if size >= 1 << 20 else f"{size >> 10} KiB"
            out.append(f"| {name} | {shown} | {i[0]:.2f} s | {i[1]:.0f} MB | {k[0]:.2f} s "
                       f"| {r[0]:.2f} s |")
    print("\n".join(out))


def git_head():
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                          capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    if not NEW.exists():
        sys.exit("bench-hostile: build first: cargo build --release")
    main()
