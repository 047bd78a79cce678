#!/usr/bin/env bash
# Renders the real-corpus report and takes screenshots of it in headless Chromium.
#
#   scripts/report-screenshot.sh [OUT_DIR]
#
# Writes OUT_DIR/report.png (the report's first screen: the answer) and
# OUT_DIR/report-charts.png (its charts alone); the HTML it renders is removed afterwards. OUT_DIR defaults to docs/. Needs the index
# (the README's setup command) and Debian's chromium (apt-get install chromium).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/docs}
mkdir -p "$out"
bin=$here/target/release/menutable
"$bin" report --out "$out/report.html"
# The charts alone, cut from the same file (the head, then every <figure>); the report itself
# holds the texts' mentions and is not to be committed (.gitignore).
python3 - "$out/report.html" "$out/report-charts.html" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
figures = re.findall(r'<figure.*?</figure>', s, re.S)
open(sys.argv[2], 'w').write(s[:s.index('<h2 id="answer">')] + ''.join(figures) + '</body></html>')
PY
shot() {
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$(mktemp -d)" --window-size="$2" --screenshot="$3" "file://$1" 2>/dev/null
}
shot "$out/report.html" 1100,1150 "$out/report.png"
shot "$out/report-charts.html" 1100,2000 "$out/report-charts.png"
rm -f "$out/report-charts.html" "$out/report.html"
ls -la "$out"
