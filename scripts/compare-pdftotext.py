#!/usr/bin/env python3
"""Compares menutable's term counts with counts over poppler's pdftotext output, per document.

    scripts/compare-pdftotext.py [--corpus DIR] [--index DIR] [--out FILE]

For each PDF document in the index, the text of `pdftotext -enc UTF-8` is normalised the
way menutable normalises (NFKC, quotes, whitespace; a line-end hyphen before a lowercase
letter is joined unless the hyphenated form occurs elsewhere in the document) and scanned
for every lexicon term of the document's language (whole words, case-insensitive, longest
term first, no overlaps). That is compared with `menutable count --include-toc` (pdftotext
keeps tables of contents) for the same document. pdftotext also keeps running headers;
where they contain a term the difference is listed, and every differing term is listed with
the mentions on each side so it can be explained mention by mention.
Needs poppler-utils (apt-get install poppler-utils) and a built index.
"""
import argparse, json, os, re, subprocess, sys, tomllib, unicodedata

here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument("--corpus", default=os.environ.get("MENUTABLE_CORPUS", os.path.join(here, "corpus/files")))
ap.add_argument("--index", default=os.environ.get("MENUTABLE_INDEX", os.path.join(here, "index")))
ap.add_argument("--bin", default=os.path.join(here, "target/release/menutable"))
ap.add_argument("--out", default=None)
a = ap.parse_args()

lex = tomllib.load(open(os.path.join(here, "corpus/lexicon.toml"), "rb"))

def terms(lang):
    out = []
    for c in lex["concept"]:
        out += [(t, False) for t in c.get(lang, [])] + [(t, True) for t in c.get("names", [])]
    return out

def normalise(text):
    text = unicodedata.normalize("NFKC", text)
    for q in "\u2018\u2019\u201a\u201b\u2032`":
        text = text.replace(q, "'")
    for q in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb":
        text = text.replace(q, '"')
    text = text.replace("\u2010", "-").replace("\u2011", "-").replace("\u00ad", "")
    low = text.lower()
    def join(m):
        l, r = m.group(1), m.group(2)
        keep = re.search(r"\b" + re.escape((l + "-" + r).lower()) + r"\b", low) or not re.search(r"\b" + re.escape((l + r).lower()) + r"\b", low)
        return l + ("-" if keep else "") + r
    text = re.sub(r"(\w+)-\n(\w+)", join, text)
    return re.sub(r"\s+", " ", text)

def scan(text, lang):
    hits = []
    for t, exact in terms(lang):
        flags = 0 if exact else re.I
        pat = r"(?<![^\W_])" + re.escape(t).replace(r"\ ", r"\s+") + r"(?![^\W_])"
        for m in re.finditer(pat, text, flags):
            hits.append((m.start(), m.end(), t))
    hits.sort(key=lambda h: (h[0], -h[1]))
    counts, end = {}, 0
    for s, e, t in hits:
        if s >= end:
            counts[t] = counts.get(t, 0) + 1
            end = e
    return counts

counts = json.loads(subprocess.run([a.bin, "--corpus", a.corpus, "--index", a.index, "count", "--include-toc", "--format", "json"], capture_output=True, text=True).stdout)
lines, same, differ = [], 0, 0
for d in counts["documents"]:
    if not d["file"].endswith(".pdf"):
        continue
    pt = subprocess.run(["pdftotext", "-enc", "UTF-8", os.path.join(a.corpus, d["file"]), "-"], capture_output=True, text=True).stdout
    theirs = scan(normalise(pt), d["language"])
    ours = {k: v for k, v in d["terms"].items() if v}
    if ours == theirs:
        same += 1
        continue
    differ += 1
    diff = {t: (ours.get(t, 0), theirs.get(t, 0)) for t in sorted(set(ours) | set(theirs)) if ours.get(t, 0) != theirs.get(t, 0)}
    lines.append(f"{d['id']} ({d['file']}): " + ", ".join(f"{t}: menutable {o}, pdftotext {p}" for t, (o, p) in diff.items()))
report = f"{same} documents with identical term counts, {differ} differing\n" + "\n".join(lines) + "\n"
if a.out:
    open(a.out, "w").write(report)
sys.stdout.write(report)
