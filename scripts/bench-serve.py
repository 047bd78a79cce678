#!/usr/bin/env python3
"""Load on `menutable serve` (issue 24): N concurrent clients for S seconds against an index of
the bench's synthetic corpus, while `menutable index` runs over the same index (a copy of the
corpus with new files added), each client cycling through the overview, an instrument page, the
first concordance page, a search and a CSV download. Prints p50/p95/p99 latency per page, the
errors (anything but 200; a 503 counts apart as "busy") and the server's peak and final
anonymous memory (sampled from /proc).

    python3 scripts/bench-serve.py [--docs 10000] [--clients 50] [--seconds 60] [--commit-every S]

Needs the release binary and target/bench/synth-DOCS with its index (scripts/bench.sh makes
them); nothing is installed. Only 127.0.0.1 is used; every loop is bounded by the duration.
"""
import argparse
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target/release/menutable")


def get(addr, target, timeout=30):
    host, port = addr.split(":")
    t0 = time.perf_counter()
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    status = int(data[9:12]) if len(data) >= 12 else 0
    return status, time.perf_counter() - t0


def anon_kb(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--commit-every", type=float, default=0,
                    help="seconds between the starts of two `index` runs (0: one after another, as fast as they go)")
    a = ap.parse_args()
    synth = os.path.join(ROOT, f"target/bench/synth-{a.docs}")
    index = os.path.join(ROOT, f"target/bench/index-{a.docs}")
    manifest = os.path.join(ROOT, "target/bench/empty-manifest.toml")
    if not (os.path.isdir(synth) and os.path.isdir(index)):
        sys.exit(f"bench-serve: {synth} and {index} are needed: run scripts/bench.sh --size {a.docs} first")
    # The server reads a copy of the index that `index` then updates with new files.
    work = os.path.join(ROOT, "target/bench/serve-load")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    shutil.copytree(index, os.path.join(work, "index"))
    corpus = os.path.join(work, "corpus")
    if a.docs > 20000:
        sys.exit("bench-serve: at most 20,000 documents (the corpus is copied)")
    shutil.copytree(synth, corpus)
    common = [BIN, "--corpus", corpus, "--index", os.path.join(work, "index"), "--manifest", manifest, "--quiet"]
    subprocess.run(common + ["index"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = subprocess.Popen(common + ["serve", "--bind", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    addr = server.stdout.readline().split("http://")[1].strip().rstrip("/")
    # Instruments, concordances and downloads of any of the documents, so that most of these
    # answers are made, not taken from the server's cache of this index state.
    ids = [l.split(",")[0] for l in subprocess.run(common + ["docs", "--format", "csv"], capture_output=True, text=True).stdout.splitlines()[1:]]
    rnd = random.Random(7)
    pages = {
        "overview": lambda: "/",
        "instrument": lambda: f"/docs/{rnd.choice(ids)}",
        "concordance": lambda: f"/kwic?doc={rnd.choice(ids)}&concept=city&limit=50",
        "search": lambda: "/search?query=%22local+authorities%22",
        "download": lambda: f"/kwic?doc={rnd.choice(ids)}&concept=city&format=csv",
    }
    lat = {k: [] for k in pages}
    errors = {k: 0 for k in pages}
    busy = {k: 0 for k in pages}
    stop = time.time() + a.seconds
    peak = [0]
    commits = [0]

    def client(k):
        names = list(pages)
        i = k
        while time.time() < stop:
            name = names[i % len(names)]
            i += 1
            try:
                status, dt = get(addr, pages[name]())
            except OSError:
                errors[name] += 1
                continue
            if status == 200:
                lat[name].append(dt)
            elif status == 503:
                busy[name] += 1
                time.sleep(1)
            else:
                errors[name] += 1

    def sampler():
        while time.time() < stop:
            peak[0] = max(peak[0], anon_kb(server.pid))
            time.sleep(0.1)

    def updater():
        # New files land and are indexed while the clients read: existing texts with a line
        # of their own added (a byte-identical copy would be skipped as the same document).
        n = 0
        src = sorted(os.listdir(os.path.join(corpus, "synth-000")))
        while time.time() < stop - 5:
            started = time.time()
            for k in range(n, n + 50):
                f = src[k % len(src)]
                text = open(os.path.join(corpus, "synth-000", f), encoding="utf-8").read()
                with open(os.path.join(corpus, "synth-000", f"new-{k}-{f}"), "w", encoding="utf-8") as out:
                    out.write(text + f"\n{k}. The cities of round {k} act.\n")
            n += 50
            meta = os.path.join(work, "index", "meta.json")
            before = os.stat(meta)
            subprocess.run(common + ["index"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            after = os.stat(meta)
            commits[0] += (before.st_ino, before.st_mtime_ns) != (after.st_ino, after.st_mtime_ns)
            time.sleep(max(0.0, min(a.commit_every - (time.time() - started), stop - time.time())))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(a.clients)]
    threads += [threading.Thread(target=sampler), threading.Thread(target=updater)]
    start_anon = anon_kb(server.pid)
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=a.seconds + 120)
    end_anon = anon_kb(server.pid)
    server.terminate()
    server.wait(timeout=10)
    print(f"{a.clients} clients, {a.seconds} s, {a.docs} documents, `index` adding files meanwhile ({commits[0]} commits, each one emptying the server's cache)")
    print("| page | requests | p50 ms | p95 ms | p99 ms | busy (503) | errors |")
    print("|---|---|---|---|---|---|---|")
    for k in pages:
        xs = lat[k]
        print(f"| {k} | {len(xs)} | {pct(xs, 50) * 1000:.0f} | {pct(xs, 95) * 1000:.0f} | {pct(xs, 99) * 1000:.0f} | {busy[k]} | {errors[k]} |")
    print(f"server anonymous memory: {start_anon / 1024:.0f} MB at start, peak {peak[0] / 1024:.0f} MB, {end_anon / 1024:.0f} MB at the end")


if __name__ == "__main__":
    main()
