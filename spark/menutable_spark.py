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

from pyspark import SparkFiles, StorageLevel
from pyspark.sql import Row, SparkSession
from pyspark.sql import types as T


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


DOCUMENT = T.StructType([
    T.StructField("doc", T.StringType()), T.StructField("file", T.StringType()),
    T.StructField("status", T.StringType()), T.StructField("reason", T.StringType()),
    T.StructField("title", T.StringType()), T.StructField("short", T.StringType()),
    T.StructField("symbol", T.StringType()), T.StructField("kind", T.StringType()),
    T.StructField("binding", T.BooleanType()), T.StructField("language", T.StringType()),
    T.StructField("part_of", T.StringType()), T.StructField("in_manifest", T.BooleanType()),
    T.StructField("pages", T.LongType()), T.StructField("words", T.LongType()),
    T.StructField("units", T.LongType()), T.StructField("sha256", T.StringType()),
    T.StructField("year", T.IntegerType()),
])
UNIT = T.StructType([
    T.StructField("doc", T.StringType()), T.StructField("ordinal", T.LongType()),
    T.StructField("label", T.StringType()), T.StructField("kind", T.StringType()),
    T.StructField("page_start", T.LongType()), T.StructField("page_end", T.LongType()),
    T.StructField("words", T.LongType()), T.StructField("text", T.StringType()),
    T.StructField("year", T.IntegerType()),
])
MENTION = T.StructType([
    T.StructField("doc", T.StringType()), T.StructField("unit", T.StringType()),
    T.StructField("page", T.LongType()), T.StructField("term", T.StringType()),
    T.StructField("name", T.BooleanType()), T.StructField("concept", T.StringType()),
    T.StructField("left", T.StringType()), T.StructField("match", T.StringType()),
    T.StructField("right", T.StringType()), T.StructField("offset", T.LongType()),
    T.StructField("toc", T.BooleanType()), T.StructField("role", T.StringType()),
    T.StructField("rule", T.StringType()), T.StructField("deferential", T.BooleanType()),
    T.StructField("citation", T.StringType()), T.StructField("year", T.IntegerType()),
])
CONCEPT = T.StructType([T.StructField("doc", T.StringType()), T.StructField("concept", T.StringType())])


def rows_of(line):
    """Every table's rows of one worker line, tagged by table ("d", "u", "m", "c"): the line is
    parsed once, whatever the number of tables."""
    l = json.loads(line)
    if not l["documents"]:
        meta = l.get("meta") or {}
        yield ("d", (meta.get("id"), l["file"], l["status"], l.get("reason"), meta.get("title"), meta.get("short"),
                     meta.get("symbol"), meta.get("kind"), meta.get("binding"), meta.get("language"),
                     meta.get("part_of"), meta.get("in_manifest"), None, None, None, l.get("sha256") or None,
                     meta.get("year")))
        return
    for d in l["documents"]:
        r, m = d["record"], d["record"]["meta"]
        doc, year = m["id"], m.get("year")
        yield ("d", (doc, l["file"], l["status"], l.get("reason"), m["title"], m["short"], m["symbol"], m["kind"],
                     m["binding"], m["language"], m.get("part_of"), m.get("in_manifest"), r["pages"], r["words"],
                     r["units"], r["sha256"], year))
        for u in d["seg"]["units"]:
            yield ("u", (doc, u["ordinal"], u["label"], u["kind"], u.get("page_start"), u.get("page_end"),
                         u.get("words"), u["text"], year))
        for x in d["mentions"]:
            yield ("m", (x["doc"], x["unit"], x.get("page"), x["term"], x["name"], x["concept"], x["left"],
                         x["match"], x["right"], x["offset"], x["toc"], x["role"], x["rule"], x["deferential"],
                         x["citation"], year))
        for c in l["concepts"]:
            yield ("c", (doc, c))


def table(rows, tag):
    return rows.filter(lambda r: r[0] == tag).map(lambda r: r[1])


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
    # Kept (spilling to disk past memory) for the five tables: the worker runs once per file.
    lines = files.mapPartitions(partition_lines(root, names)).persist(StorageLevel.MEMORY_AND_DISK)
    out = a.out.rstrip("/")
    lines.saveAsTextFile(out + "/jsonl")
    rows = lines.flatMap(rows_of).persist(StorageLevel.MEMORY_AND_DISK)
    lines.unpersist()
    spark.createDataFrame(table(rows, "d"), DOCUMENT).write.partitionBy("year").parquet(out + "/documents")
    spark.createDataFrame(table(rows, "u"), UNIT).write.partitionBy("year").parquet(out + "/units")
    mentions = spark.createDataFrame(table(rows, "m"), MENTION)
    mentions.write.partitionBy("year").parquet(out + "/mentions")
    mentions.createOrReplaceTempView("mentions")
    spark.createDataFrame(table(rows, "c"), CONCEPT).createOrReplaceTempView("concepts")
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
