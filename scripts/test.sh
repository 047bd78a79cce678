#!/usr/bin/env bash
# The README's test command: installs what the tests need when it is missing, then runs them.
#   chromium       the report test renders the page and prints it to PDF (Debian's package)
#   poppler-utils  pdftotext reads that PDF back
#   Java 17        the Spark test (Debian's openjdk-17-jre-headless, 189 MB installed)
#   pyspark 3.5.3  spark-submit for the Spark test (PyPI, a 317 MB download, 345 MB installed,
#                  under three minutes here), and pyarrow (PyPI, 170 MB) to read its Parquet back
#   axe-core       the accessibility engine the serve test injects into each page (npm's
#                  package, version pinned and sha256-checked, unpacked into target/axe; node's
#                  npm is installed with apt-get when missing)
# As root the missing packages are installed with apt-get; otherwise this says what to
# install and stops (exit 2), rather than letting a test fail an hour in.
# Extra arguments go to `cargo test` (e.g. `scripts/test.sh report` runs the report tests).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
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
# The Spark test's Python side: pyspark (spark-submit) and pyarrow, pinned, from PyPI.
if ! python3 -c "import pyspark, pyarrow" >/dev/null 2>&1; then
  echo "scripts/test.sh: installing pyspark 3.5.3 and pyarrow from PyPI (once; about 500 MB)" >&2
  python3 -m pip install -q "pyspark==3.5.3" "pyarrow>=15" >&2 || {
    echo "scripts/test.sh: the Spark test needs pyspark and pyarrow: pip install pyspark==3.5.3 pyarrow" >&2
    exit 2
  }
  # (The test runs the package's own bin/spark-submit, on PATH or not.)
  if command -v pyenv >/dev/null 2>&1; then pyenv rehash || true; fi
fi
AXE_VERSION=4.10.3
AXE_SHA256=880970c081707360e64f34cea25ff91892f5bc95675b0776925b9709dd8a68bb
axe=target/axe/package/axe.min.js
if [[ ! -f $axe ]] || ! echo "$AXE_SHA256  $axe" | sha256sum -c --quiet 2>/dev/null; then
  if ! command -v npm >/dev/null 2>&1; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
      apt-get update -qq && apt-get install -y -qq npm >/dev/null
    else
      echo "scripts/test.sh: the serve test needs axe-core from npm: install npm ('sudo apt-get install npm'), then run this again" >&2
      exit 2
    fi
  fi
  mkdir -p target/axe
  (cd target/axe && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null && tar xzf "axe-core-$AXE_VERSION.tgz" package/axe.min.js package/LICENSE)
  echo "$AXE_SHA256  $axe" | sha256sum -c --quiet || { echo "scripts/test.sh: $axe is not axe-core $AXE_VERSION" >&2; exit 2; }
fi
exec cargo test --release "$@"
