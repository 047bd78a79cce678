#!/usr/bin/env bash
# Reads the Spark job's Parquet tables in R, as the README shows: runs spark/read_tables.R.
#
#   scripts/read-in-r.sh [SPARK_OUT] [DOC]
#
# SPARK_OUT is the job's --out folder (default spark-out), DOC a document id (default gcm-2018).
# R reads Parquet with CRAN's arrow package when it is installed. Where CRAN is out of reach
# (Debian has no R package that reads Parquet), Debian's r-cran-reticulate reads them through
# pyarrow: this script installs r-cran-reticulate with apt-get when R lacks it, and makes once,
# in target/r-python, a Python with the versions Debian 12's reticulate 1.28 converts
# (numpy 1, pandas 2.2, pyarrow 18; newer ones come back unconverted).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-spark-out}
doc=${2:-gcm-2018}
[[ -d $out/counts && -d $out/mentions ]] || {
  echo "read-in-r: $out has no counts/ and mentions/ tables: run the Spark job first (README)" >&2
  exit 2
}
if ! Rscript -e 'quit(status = !(requireNamespace("arrow", quietly = TRUE) || requireNamespace("reticulate", quietly = TRUE)))' >/dev/null 2>&1; then
  echo "read-in-r: installing R and reticulate (apt-get install r-cran-reticulate)" >&2
  apt-get install -y -q --no-install-recommends r-cran-reticulate >&2
fi
if ! Rscript -e 'quit(status = !requireNamespace("arrow", quietly = TRUE))' >/dev/null 2>&1; then
  py=$here/target/r-python
  if [[ ! -x $py/bin/python ]] || ! "$py/bin/python" -c "import pyarrow, pandas" >/dev/null 2>&1; then
    echo "read-in-r: making $py (numpy<2, pandas<2.3, pyarrow<19, from PyPI)" >&2
    python3 -m venv "$py"
    "$py/bin/pip" install -q "numpy<2" "pandas<2.3" "pyarrow<19" >&2
  fi
  export RETICULATE_PYTHON=$py/bin/python
  # reticulate 1.28 calls an Index method pandas 2.2 deprecates: a warning per table, not ours.
  export PYTHONWARNINGS=ignore::FutureWarning
fi
exec Rscript "$here/spark/read_tables.R" "$out" "$doc"
