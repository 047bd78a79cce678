#!/usr/bin/env bash
# Whole-corpus PDF extraction time, menutable versus poppler's pdftotext, in the same run.
#
#   scripts/bench-extract.sh [PDF_DIR] [RUNS]
#
# menutable extracts the files in parallel itself (both cores). pdftotext is timed two ways:
# one file after another (as a shell loop runs it) and two processes at a time (xargs -P 2,
# both cores, the fairer match). Each is run RUNS times (default 5), alternating; the script
# prints every time, the medians, and the ratios pdftotext / menutable (above 1 means
# menutable is faster). Needs poppler-utils and `cargo build --release`.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$here/../shared/corpus}
runs=${2:-5}
bin=$here/target/release/menutable
out=$(mktemp -d)
mapfile -t pdfs < <(find "$dir" -name '*.pdf' | sort)
pages=0
for f in "${pdfs[@]}"; do pages=$((pages + $(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/{print $2}'))); done
mb=$(du -cm "${pdfs[@]}" | tail -1 | cut -f1)
now() { date +%s.%N; }
m=(); p=(); s=()
for _ in $(seq "$runs"); do
  t0=$(now); "$bin" extract --out "$out/m" "${pdfs[@]}"; t1=$(now)
  printf '%s\0' "${pdfs[@]}" | xargs -0 -P 2 -I{} sh -c 'pdftotext -q -enc UTF-8 "$1" "$2/$(basename "$1").txt"' _ {} "$out" ; t2=$(now)
  for f in "${pdfs[@]}"; do pdftotext -q -enc UTF-8 "$f" "$out/$(basename "$f").txt"; done; t3=$(now)
  m+=("$(echo "$t1 - $t0" | bc)"); p+=("$(echo "$t2 - $t1" | bc)"); s+=("$(echo "$t3 - $t2" | bc)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mm=$(median "${m[@]}"); pm=$(median "${p[@]}"); sm=$(median "${s[@]}")
echo "files: ${#pdfs[@]}, pages: $pages, MB: $mb, runs: $runs, cores: $(nproc)"
echo "menutable extract (2 threads): ${m[*]} s (median $mm s, $(echo "scale=0; $pages / $mm" | bc) pages/s)"
echo "pdftotext, 2 at a time:        ${p[*]} s (median $pm s, $(echo "scale=0; $pages / $pm" | bc) pages/s)"
echo "pdftotext, one after another:  ${s[*]} s (median $sm s, $(echo "scale=0; $pages / $sm" | bc) pages/s)"
echo "ratio vs pdftotext 2 at a time: $(echo "scale=2; $pm / $mm" | bc)"
echo "ratio vs pdftotext one after another: $(echo "scale=2; $sm / $mm" | bc)"
rm -rf "$out"
