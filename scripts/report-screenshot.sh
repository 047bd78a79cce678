#!/usr/bin/env bash
# Renders the real-corpus report and takes screenshots of it in headless Chromium.
#
#   scripts/report-screenshot.sh [OUT_DIR]
#
# Writes OUT_DIR/report.html (the whole report), OUT_DIR/report.png (its first screen) and
# OUT_DIR/report-charts.png (the charts alone). OUT_DIR defaults to docs/. Needs the index
# (the README's setup command) and Debian's chromium (apt-get install chromium).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/docs}
mkdir -p "$out"
bin=$here/target/release/menutable
"$bin" report --out "$out/report.html"
# The charts alone, cut from the same file.
python3 - "$out/report.html" "$out/report-charts.html" <<'PY'
import sys
s = open(sys.argv[1]).read()
a, b = s.index('<h2>Mentions per 10,000 words</h2>'), s.index('<h2>Every mention</h2>')
open(sys.argv[2], 'w').write(s[:s.index('<h2>Headline figures</h2>')] + s[a:b] + '</body></html>')
PY
shot() {
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$(mktemp -d)" --window-size="$2" --screenshot="$3" "file://$1" 2>/dev/null
}
shot "$out/report.html" 1100,1000 "$out/report.png"
shot "$out/report-charts.html" 1100,1500 "$out/report-charts.png"
rm -f "$out/report-charts.html"
ls -la "$out"
