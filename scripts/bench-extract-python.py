#!/usr/bin/env python3
"""PDF text extraction over the real corpus: menutable against the two libraries a Python user
would pick instead, PyMuPDF and pypdfium2, in the same run (opt-in, not in CI).

    pip install pymupdf pypdfium2
    python3 scripts/bench-extract-python.py [PDF_DIR] [RUNS]

Each library extracts every page's text of every PDF, two processes at a time (a pool of 2,
the match for menutable's two threads), RUNS times (default 5), the three taking turns; the
medians, pages per second, and each library's time over menutable's (above 1: menutable is
faster). Time covers reading the files and getting the text, not writing it anywhere.
"""
import multiprocessing
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "menutable"


def pymupdf_text(path):
    import pymupdf
    with pymupdf.open(path) as doc:
        return sum(len(page.get_text()) for page in doc), doc.page_count


def pdfium_text(path):
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(path)
    chars = 0
    for page in doc:
        tp = page.get_textpage()
        chars += len(tp.get_text_range())
        tp.close()
        page.close()
    n = len(doc)
    doc.close()
    return chars, n


def timed_pool(fn, pdfs):
    t0 = time.perf_counter()
    with multiprocessing.Pool(2) as pool:
        results = pool.map(fn, pdfs, chunksize=1)
    return time.perf_counter() - t0, sum(r[1] for r in results)


def timed_menutable(pdfs, out):
    t0 = time.perf_counter()
    subprocess.run([str(BIN), "extract", "--out", out, *map(str, pdfs)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main():
    folder = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    if not BIN.exists():
        sys.exit("build first: cargo build --release")
    try:
        import pymupdf  # noqa: F401
        import pypdfium2  # noqa: F401
    except ImportError:
        sys.exit("needs: pip install pymupdf pypdfium2")
    pdfs = sorted(folder.rglob("*.pdf"))
    times = {"menutable": [], "pymupdf": [], "pypdfium2": []}
    pages = 0
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            times["menutable"].append(timed_menutable(pdfs, out))
            t, pages = timed_pool(pymupdf_text, pdfs)
            times["pymupdf"].append(t)
            t, _ = timed_pool(pdfium_text, pdfs)
            times["pypdfium2"].append(t)
    m = statistics.median(times["menutable"])
    print(f"files: {len(pdfs)}, pages: {pages}, runs: {runs}, 2 at a time")
    for k, v in times.items():
        med = statistics.median(v)
        print(f"{k:10} median {med:.3f} s (min {min(v):.3f}, max {max(v):.3f}), "
              f"{pages / med:.0f} pages/s, time / menutable's {med / m:.2f}")


if __name__ == "__main__":
    main()
