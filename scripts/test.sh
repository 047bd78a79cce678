#!/usr/bin/env bash
# The README's test command: installs what the tests need when it is missing, then runs them.
#   chromium       the report test renders the page and prints it to PDF (Debian's package)
#   poppler-utils  pdftotext reads that PDF back
# As root the missing packages are installed with apt-get; otherwise this says what to
# install and stops (exit 2), rather than letting a test fail an hour in.
# Extra arguments go to `cargo test` (e.g. `scripts/test.sh report` runs the report tests).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if ((${#need[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "scripts/test.sh: installing ${need[*]}" >&2
    apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "scripts/test.sh: the tests need ${need[*]}: install with 'sudo apt-get install ${need[*]}' (Debian/Ubuntu), then run this again" >&2
    exit 2
  fi
fi
if [[ ! -d ../shared/corpus ]]; then
  echo "scripts/test.sh: the tests read the real corpus in ../shared/corpus (next to this folder), which is not there" >&2
  exit 2
fi
exec cargo test --release "$@"
