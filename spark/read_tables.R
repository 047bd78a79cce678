# Reading menutable's Parquet tables in R: the Spark job's folders (OUT/counts, OUT/mentions,
# partitioned by year) or `export --format parquet`'s files.
#
#   Rscript spark/read_tables.R spark-out [doc]
#
# With CRAN's arrow package (the usual way) the tables are read by arrow::open_dataset.
# Without it (Debian has no R package that reads Parquet: no r-cran-arrow, nanoparquet or
# duckdb), Debian's r-cran-reticulate reads them through Python's pyarrow; set
# RETICULATE_PYTHON to a Python that has pyarrow and pandas. Debian 12's reticulate 1.28
# converts data frames from numpy 1 and pandas 2 only (scripts/read-in-r.sh makes such a
# Python in target/).

read_table <- function(path) {
  if (requireNamespace("arrow", quietly = TRUE)) {
    # Hive partitions (year=2018) become the integer column year.
    return(as.data.frame(dplyr::collect(arrow::open_dataset(path))))
  }
  ds <- reticulate::import("pyarrow.dataset")
  pa <- reticulate::import("pyarrow")
  # year typed here: inferred, a corpus without any year (all in year=__HIVE_DEFAULT_PARTITION__)
  # cannot be read.
  by_year <- dir.exists(path) && length(list.files(path, pattern = "^year=")) > 0
  years <- if (by_year) ds$partitioning(pa$schema(list(pa$field("year", pa$int32()))), flavor = "hive")
  ds$dataset(path, partitioning = years)$to_table()$to_pandas()
}

args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[[1]] else "spark-out"
doc <- if (length(args) >= 2) args[[2]] else "gcm-2018"

counts <- read_table(file.path(out, "counts"))
cat("counts of", doc, "(doc, concept, count, names):\n")
print(counts[counts$doc == doc, ], row.names = FALSE)

mentions <- read_table(file.path(out, "mentions"))
cat("\nmentions: column types\n")
str(mentions[, c("doc", "concept", "term", "page", "offset", "role", "deferential", "year")])

of_doc <- mentions[mentions$doc == doc & !mentions$toc & !mentions$name, ]
cat("\nmentions of", doc, "by concept and role (body and footnotes, names apart):\n")
print(table(of_doc$concept, of_doc$role))
