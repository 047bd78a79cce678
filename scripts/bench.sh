#!/usr/bin/env bash
# The benchmark suite (see BENCHMARKS.md): builds the release binary, then runs
# scripts/bench.py, which times extraction (versus pdftotext), indexing at 10k/100k/1M units on
# 1 and 2 threads, count (versus rg), kwic, search and a no-change update, and prints the
# results as Markdown (also target/bench/results.{md,json}).
#
#   scripts/bench.sh            default sizes, 3 runs each (under 10 minutes on 2 cores)
#   scripts/bench.sh --quick    small sizes, 1 run: checks the suite works, then fails when count
#                               is not faster than rg, or a no-change update exceeds 5x count, at
#                               1,000 docs (paired ratios, 7 pairs; CI runs this)
#   scripts/bench.sh --write    also puts the results into BENCHMARKS.md
#   scripts/bench.sh --spark    the Spark job (local[2]) against `menutable index` on the real corpus
#                               and 10,000 documents, with its fixed overhead (opt-in; needs
#                               spark-submit, Java 17)
#
# Needs poppler-utils, ripgrep and groff (Debian packages); the real corpus in ../shared/corpus
# (or MENUTABLE_SHARED=DIR). Synthetic corpora are cached in target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
exec python3 scripts/bench.py "$@"
