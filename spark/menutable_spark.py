"""menutable on Apache Spark: extraction and counting spread over a cluster, with the same
numbers as one machine.

    spark-submit --master local[2] spark/menutable_spark.py \
        --corpus DIR --manifest FILE --binary PATH --out DIR [--lexicon FILE] [--partitions N]

Lists the corpus (a local folder or any URI Spark reads: hdfs://, s3a://, gs://...) with
`binaryFiles`, ships the menutable binary (and the manifest, and the lexicon if given) to the
executors with `addFile`, and runs `menutable worker` once per partition on that partition's
files, written under their paths relative to the corpus into a scratch folder. The worker's
lines are exactly what `menutable index` makes of each file (same extraction, budgets, parts,
failures), so:

    OUT/jsonl/       the worker's lines: `menutable index --from OUT` builds the index from them
    OUT/documents/   one row per document or part (and per file that failed, with its reason)
    OUT/units/       one row per citable unit, with its text
    OUT/mentions/    one row per mention (tables of contents and names of instruments flagged)
    OUT/counts/      per document (or part) and concept: count and names, as `count` counts them
                     (body and footnotes; no tables of contents; names of instruments apart)

All as Parquet, partitioned by year (documents, units, mentions; `year=__HIVE_DEFAULT_PARTITION__`
for a document without one). A file that fails is a row with its reason: a worker that dies on
a file (a crash, a kill) is run again file by file, and the file that killed it is a failed row.
Executor memory is bounded by the worker's budgets (README, "When one machine is not enough").
"""
import argparse
import json
import os
import shutil
import stat
import subprocess
import tempfile
from urllib.parse import unquote, urlparse

from pyspark import SparkFiles
from pyspark.sql import SparkSession


def args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", required=True, help="the corpus folder (a local path or a URI Spark reads)")
    ap.add_argument("--manifest", required=True, help="the manifest (corpus/manifest.toml)")
    ap.add_argument("--binary", required=True, help="the menutable binary for the executors (Linux x86-64)")
    ap.add_argument("--out", required=True, help="the output folder (local path or URI)")
    ap.add_argument("--lexicon", help="a lexicon file replacing the built-in one")
    ap.add_argument("--partitions", type=int, default=0, help="partitions of the file list (default: Spark's parallelism)")
    return ap.parse_args()


def as_uri(path):
    """A local path as a file: URI; a URI as given."""
    return path if urlparse(path).scheme else "file://" + os.path.abspath(path)


def path_of(uri):
    """The path part of a URI, decoded ("file:/a/b c" and "file:///a/b%20c" alike)."""
    return unquote(urlparse(uri).path).rstrip("/")


def run_worker(binary, manifest, lexicon, corpus):
    cmd = [binary, "--corpus", corpus, "--manifest", manifest, "--index", os.path.join(corpus, ".no-index"), "--quiet"]
    if lexicon:
        cmd += ["--lexicon", lexicon]
    return subprocess.run(cmd + ["worker"], capture_output=True, text=True)


def partition_lines(root, names):
    """The function each partition runs: its files written under their relative paths, the
    worker run over them, its lines returned (a file that kills the worker is a failed line)."""
    binary_name, manifest_name, lexicon_name = names

    def run(files):
        scratch = tempfile.mkdtemp(prefix="menutable-")
        corpus = os.path.join(scratch, "corpus")
        try:
            rels = []
            for uri, data in files:
                rel = os.path.relpath(path_of(uri), root)
                target = os.path.join(corpus, rel)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as f:
                    f.write(data)
                rels.append(rel)
            if not rels:
                return []
            binary = SparkFiles.get(binary_name)
            os.chmod(binary, os.stat(binary).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
            manifest = SparkFiles.get(manifest_name)
            lexicon = SparkFiles.get(lexicon_name) if lexicon_name else None
            done = run_worker(binary, manifest, lexicon, corpus)
            if done.returncode in (0, 3):
                return done.stdout.splitlines()
            # The worker died (a signal, an abort): each file alone, so one file is lost at most
            # and said as a failed line.
            lines = []
            for rel in rels:
                alone = os.path.join(scratch, "alone")
                shutil.rmtree(alone, ignore_errors=True)
                os.makedirs(os.path.dirname(os.path.join(alone, rel)), exist_ok=True)
                shutil.copy(os.path.join(corpus, rel), os.path.join(alone, rel))
                one = run_worker(binary, manifest, lexicon, alone)
                if one.returncode in (0, 3):
                    lines += one.stdout.splitlines()
                else:
                    why = (one.stderr.strip().splitlines() or [f"exit {one.returncode}"])[-1]
                    lines.append(json.dumps({"file": rel, "sha256": "", "bytes": 0, "mtime": None, "status": "failed",
                                             "reason": f"the worker stopped on this file (exit {one.returncode}): {why}",
                                             "extraction_version": None, "lexicon": "", "roles": "", "concepts": [],
                                             "meta": None, "documents": []}))
            return lines
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    return run


META = ("STRUCT<id: STRING, title: STRING, short: STRING, symbol: STRING, kind: STRING, binding: BOOLEAN, "
        "language: STRING, part_of: STRING, in_manifest: BOOLEAN, year: INT>")
# The fields of a worker line the tables need (the rest, such as word tallies and whole texts,
# which `index --from` reads, are skipped by Spark's JSON reader).
LINE = (
    f"file STRING, status STRING, reason STRING, sha256 STRING, concepts ARRAY<STRING>, meta {META}, "
    f"documents ARRAY<STRUCT<record: STRUCT<meta: {META}, pages: BIGINT, words: BIGINT, units: BIGINT, sha256: STRING>, "
    "seg: STRUCT<units: ARRAY<STRUCT<ordinal: BIGINT, label: STRING, kind: STRING, page_start: BIGINT, "
    "page_end: BIGINT, words: BIGINT, text: STRING>>>, "
    "mentions: ARRAY<STRUCT<doc: STRING, unit: STRING, page: BIGINT, term: STRING, name: BOOLEAN, concept: STRING, "
    "left: STRING, `match`: STRING, right: STRING, offset: BIGINT, toc: BOOLEAN, role: STRING, rule: STRING, "
    "deferential: BOOLEAN, citation: STRING>>>>"
)

DOCUMENTS = """
    SELECT d.record.meta.id AS doc, file, status, reason, d.record.meta.title AS title, d.record.meta.short AS short,
           d.record.meta.symbol AS symbol, d.record.meta.kind AS kind, d.record.meta.binding AS binding,
           d.record.meta.language AS language, d.record.meta.part_of AS part_of,
           d.record.meta.in_manifest AS in_manifest, d.record.pages AS pages, d.record.words AS words,
           d.record.units AS units, d.record.sha256 AS sha256, d.record.meta.year AS year
    FROM lines LATERAL VIEW explode(documents) t AS d
    UNION ALL
    SELECT meta.id AS doc, file, status, reason, meta.title AS title, meta.short AS short, meta.symbol AS symbol,
           meta.kind AS kind, meta.binding AS binding, meta.language AS language, meta.part_of AS part_of,
           meta.in_manifest AS in_manifest, CAST(NULL AS BIGINT) AS pages, CAST(NULL AS BIGINT) AS words,
           CAST(NULL AS BIGINT) AS units, NULLIF(sha256, '') AS sha256, meta.year AS year
    FROM lines WHERE documents IS NULL OR size(documents) = 0
"""
UNITS = """
    SELECT d.record.meta.id AS doc, u.ordinal, u.label, u.kind, u.page_start, u.page_end, u.words, u.text,
           d.record.meta.year AS year
    FROM lines LATERAL VIEW explode(documents) t AS d LATERAL VIEW explode(d.seg.units) v AS u
"""
MENTIONS = """
    SELECT m.doc, m.unit, m.page, m.term, m.name, m.concept, m.left, m.`match`, m.right, m.offset, m.toc, m.role,
           m.rule, m.deferential, m.citation, d.record.meta.year AS year
    FROM lines LATERAL VIEW explode(documents) t AS d LATERAL VIEW explode(d.mentions) w AS m
"""
CONCEPTS = """
    SELECT d.record.meta.id AS doc, c AS concept
    FROM lines LATERAL VIEW explode(documents) t AS d LATERAL VIEW explode(concepts) w AS c
"""


def main():
    a = args()
    spark = SparkSession.builder.appName("menutable").getOrCreate()
    sc = spark.sparkContext
    # Files in sub-folders too (corpus/files/undocs/...), as `index` walks them.
    sc._jsc.hadoopConfiguration().set("mapreduce.input.fileinputformat.input.dir.recursive", "true")
    for f in [a.binary, a.manifest] + ([a.lexicon] if a.lexicon else []):
        sc.addFile(os.path.abspath(f))
    names = (os.path.basename(a.binary), os.path.basename(a.manifest),
             os.path.basename(a.lexicon) if a.lexicon else None)
    root = path_of(as_uri(a.corpus))
    files = sc.binaryFiles(as_uri(a.corpus), minPartitions=a.partitions or sc.defaultParallelism)
    out = a.out.rstrip("/")
    # The worker runs once per file: its lines are saved, then read back by Spark's own JSON
    # reader (in the JVM, only the fields the tables need) and the tables made with Spark SQL.
    files.mapPartitions(partition_lines(root, names)).saveAsTextFile(out + "/jsonl")
    spark.read.schema(LINE).json(out + "/jsonl").createOrReplaceTempView("lines")
    spark.sql(DOCUMENTS).write.partitionBy("year").parquet(out + "/documents")
    spark.sql(UNITS).write.partitionBy("year").parquet(out + "/units")
    mentions = spark.sql(MENTIONS)
    mentions.write.partitionBy("year").parquet(out + "/mentions")
    mentions.createOrReplaceTempView("mentions")
    spark.sql(CONCEPTS).createOrReplaceTempView("concepts")
    # `count`'s figures: mentions in the body and footnotes (not tables of contents), names of
    # instruments apart; every document and concept, zeros included.
    spark.sql("""
        SELECT c.doc, c.concept,
               CAST(COALESCE(SUM(CASE WHEN NOT m.name THEN 1 ELSE 0 END), 0) AS BIGINT) AS count,
               CAST(COALESCE(SUM(CASE WHEN m.name THEN 1 ELSE 0 END), 0) AS BIGINT) AS names
        FROM concepts c
        LEFT JOIN (SELECT * FROM mentions WHERE NOT toc) m ON m.doc = c.doc AND m.concept = c.concept
        GROUP BY c.doc, c.concept
        ORDER BY c.doc, c.concept
    """).coalesce(1).write.parquet(out + "/counts")
    spark.stop()


if __name__ == "__main__":
    main()
