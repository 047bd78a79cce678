#!/usr/bin/env bash
# Starts `menutable serve` on the real corpus's index and takes the README's screenshots of it
# in headless Chromium: the overview and a concordance filtered by role.
#
#   scripts/serve-screenshot.sh [OUT_DIR]
#
# Writes OUT_DIR/serve-overview.png and OUT_DIR/serve-concordance.png (OUT_DIR defaults to
# docs/). Needs the index (the README's setup command) and Debian's chromium. The server listens
# on a free port of 127.0.0.1 and is stopped at the end, whatever happens.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/docs}
mkdir -p "$out"
bin=$here/target/release/menutable
log=$(mktemp)
"$bin" serve --bind 127.0.0.1:0 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
# The first line names the address; wait for it (at most 30 s).
for _ in $(seq 300); do
  grep -q "http://" "$log" && break
  kill -0 $pid 2>/dev/null || { cat "$log" >&2; exit 2; }
  sleep 0.1
done
base=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
[[ -n $base ]] || { echo "serve-screenshot: the server printed no address" >&2; exit 2; }
shot() {
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --user-data-dir="$(mktemp -d)" --window-size="$2" \
    --screenshot="$3" "$base$1" 2>/dev/null
}
shot "/" 1200,1500 "$out/serve-overview.png"
shot "/kwic?doc=gcm-2018&concept=local_government&role=actor" 1200,1100 "$out/serve-concordance.png"
ls -la "$out"/serve-*.png
