"""menutable on Apache Spark: extraction and counting spread over a cluster, with the same
numbers as one machine.

    spark-submit --master local[2] spark/menutable_spark.py \
        --corpus DIR --manifest FILE --binary PATH --out DIR [--lexicon FILE] [--partitions N]

A local folder (every executor sees it at the same path: a local run, NFS, /dbfs) is read in
place: each task runs `menutable worker --shard k/N` on its share of the folder (a file's share
is a hash of its path), so the files are never copied. Any other URI Spark reads (hdfs://,
s3a://, gs://), or a folder with `--copy-files`, is listed with `binaryFiles` and each
partition's files are written under their relative paths into a scratch folder for the worker
(Hadoop's listing leaves out files whose names begin with `_` or `.`; `index` leaves out only
`.`). The binary (and the manifest, and the lexicon if given) go to the executors with
`addFile`; the worker runs with one thread per core Spark gives a task (`spark.task.cpus`). Its
lines are exactly what `menutable index` makes of each file (same extraction, budgets, parts,
failures), so:

    OUT/jsonl/       the worker's lines: `menutable index --from OUT` builds the index from them
    OUT/documents/   one row per document or part (and per file that failed, with its reason)
    OUT/units/       one row per citable unit, with its text
    OUT/mentions/    one row per mention (tables of contents and names of instruments flagged)
    OUT/counts/      per document (or part) and concept: count and names, as `count` counts them
                     (body and footnotes; no tables of contents; names of instruments apart)

All as Parquet, partitioned by year (documents, units, mentions; `year=__HIVE_DEFAULT_PARTITION__`
for a document without one). A file that fails is a row with its reason: when a worker dies on
a file (a crash, a kill), the lines it finished are kept, the files it did not finish are read
one at a time, and the file that killed it is a failed row.
Executor memory is bounded by the worker's budgets (README, "When one machine is not enough").
"""
import argparse
import json
import os
import shutil
import signal
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
    ap.add_argument("--partitions", type=int, default=0,
                    help="tasks: shares of a folder (default: twice Spark's parallelism), or partitions of binaryFiles' list (default: Spark's parallelism)")
    ap.add_argument("--copy-files", action="store_true",
                    help="hand a local folder's files to the executors through binaryFiles, as a URI's are (for a cluster whose executors do not see the folder)")
    return ap.parse_args()


def as_uri(path):
    """A local path as a file: URI; a URI as given."""
    return path if urlparse(path).scheme else "file://" + os.path.abspath(path)


def path_of(uri):
    """The path part of a URI, decoded ("file:/a/b c" and "file:///a/b%20c" alike)."""
    return unquote(urlparse(uri).path).rstrip("/")


# What `index` reads (extract::is_document).
DOCUMENTS_EXT = (".pdf", ".txt", ".md", ".markdown", ".text")


def unread_line(rel, status, reason):
    """The line of a file no worker could give one for: its status and why."""
    return json.dumps({"file": rel, "sha256": "", "bytes": 0, "mtime": None, "status": status, "reason": reason,
                       "extraction_version": None, "lexicon": "", "roles": "", "concepts": [], "meta": None,
                       "documents": []})


class Worker:
    """`menutable worker` as an executor runs it: the binary, manifest and lexicon shipped with
    the job, one thread per core Spark gives the task, no index."""

    def __init__(self, names, threads):
        binary_name, manifest_name, lexicon_name = names
        self.binary = SparkFiles.get(binary_name)
        os.chmod(self.binary, os.stat(self.binary).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        self.manifest = SparkFiles.get(manifest_name)
        self.lexicon = SparkFiles.get(lexicon_name) if lexicon_name else None
        self.threads = threads

    def command(self, corpus, scratch, *flags):
        cmd = [self.binary, "--corpus", corpus, "--manifest", self.manifest, "--index",
               os.path.join(scratch, "no-index"), "--quiet", "--threads", str(self.threads)]
        if self.lexicon:
            cmd += ["--lexicon", self.lexicon]
        return cmd + ["worker", *flags]

    def lines(self, corpus, scratch, *flags, stdin=None):
        """Runs the worker, yielding its lines as it writes them (a partition's lines are never
        all in memory); then its exit code, as the last item. A line cut short by its death is
        dropped: the file is read again alone."""
        with tempfile.TemporaryFile() as err:
            proc = subprocess.Popen(self.command(corpus, scratch, *flags), text=True, stdout=subprocess.PIPE,
                                    stderr=err, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL)
            if stdin is not None:
                proc.stdin.write(stdin)
                proc.stdin.close()
            for line in proc.stdout:
                if line.endswith("\n"):
                    yield line[:-1]
            code = proc.wait()
            if code == 2:
                # A usage error (the corpus folder missing on this executor, a bad manifest): the
                # job is misconfigured, and says so rather than writing a failed row per file.
                err.seek(0)
                raise RuntimeError(f"menutable worker: {err.read().decode(errors='replace').strip()}")
            err.seek(0)
            self.said = err.read().decode(errors="replace").strip()
            yield code

    def alone(self, corpus, scratch, rels):
        """Each file of `rels` read alone (after a worker died): its line, or a failed line when
        the worker dies on it too."""
        for rel in rels:
            *lines, code = self.lines(corpus, scratch, "--stdin", stdin=rel + "\n")
            if code in (0, 3):
                yield from lines
            else:
                how = f"signal {-code}, {signal.Signals(-code).name}" if code < 0 else f"exit {code}"
                said = self.said.splitlines()
                yield unread_line(rel, "failed", f"the worker stopped on this file ({how})"
                                  + (f": {said[-1]}" if said else ""))

    def run(self, corpus, scratch, *flags, files=None):
        """The worker's lines for `flags`' files; if it dies, the lines it finished are kept and
        the files it did not finish are read one at a time (`files`: them all, or the worker's
        own `--list`)."""
        done = set()
        for item in self.lines(corpus, scratch, *flags):
            if isinstance(item, int):
                if item in (0, 3):
                    return
                break
            done.add(file_of(item))
            yield item
        if files is None:
            *listed, code = self.lines(corpus, scratch, *flags, "--list")
            files = listed
        yield from self.alone(corpus, scratch, [rel for rel in files if rel not in done])


FIRST = '{"file":'


def file_of(line):
    """The file a worker line is about: its first field (read alone: a line holds a whole text)."""
    if line.startswith(FIRST):
        start = len(FIRST)
        while line[start] == " ":
            start += 1
        return json.JSONDecoder().raw_decode(line, start)[0]
    return json.loads(line)["file"]


def shard_lines(folder, names, shares, threads):
    """What each task runs on a folder every executor sees (a local run, NFS, /dbfs): the worker
    on share k of the folder (`--shard k/N`), reading the files in place."""

    def run(ks):
        scratch = tempfile.mkdtemp(prefix="menutable-")
        try:
            worker = Worker(names, threads)
            for k in ks:
                yield from worker.run(folder, scratch, "--shard", f"{k}/{shares}")
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    return run


def partition_lines(root, names, threads):
    """What each task runs on files Spark hands over (`binaryFiles`, any URI): its files written
    under their relative paths into a scratch folder, the worker run over them."""

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
            if rels:
                yield from Worker(names, threads).run(corpus, scratch, files=rels)
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


def hidden_by_hadoop(sc, uri, root, depth=12):
    """A line for each file Hadoop's listing leaves out and `index` would read: a name (or a
    folder's) beginning with `_`, down to `depth` folders. Never lost silently: each is a
    failed row saying why. Found by one glob in the JVM (`_*` at each depth): walking the
    listing from Python through py4j took 51 s for 10,000 files."""
    jvm = sc._jvm
    base = jvm.org.apache.hadoop.fs.Path(uri)
    fs = base.getFileSystem(sc._jsc.hadoopConfiguration())
    pattern = uri.rstrip("/") + "/{" + ",".join("*/" * d + "_*" for d in range(depth)) + "}"
    paths = []
    for status in fs.globStatus(jvm.org.apache.hadoop.fs.Path(pattern)) or []:
        if status.isDirectory():
            inside = fs.listFiles(status.getPath(), True)
            while inside.hasNext():
                paths.append(inside.next().getPath().toString())
        else:
            paths.append(status.getPath().toString())
    out = []
    for rel in sorted({os.path.relpath(path_of(p), root) for p in paths}):
        parts = rel.split("/")
        if not any(p.startswith(".") for p in parts) and os.path.splitext(rel)[1].lower() in DOCUMENTS_EXT:
            out.append(unread_line(rel, "unreadable", "Spark's file listing (Hadoop) leaves out names beginning "
                                   "with _: rename it, or run the job on a folder the executors see"))
    return out


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
    threads = int(sc.getConf().get("spark.task.cpus", "1"))
    out = a.out.rstrip("/")
    folder = path_of(as_uri(a.corpus))
    local = urlparse(a.corpus).scheme in ("", "file")
    if local and not os.path.isdir(folder):
        raise SystemExit(f"menutable_spark: the corpus folder {folder} does not exist")
    if local and not a.copy_files:
        # A folder the executors see: each task runs the worker on its share of it, in place
        # (binaryFiles took 108 s only to list and hand over 10,000 small files).
        shares = a.partitions or 2 * sc.defaultParallelism
        lines = sc.parallelize(range(shares), shares).mapPartitions(shard_lines(folder, names, shares, threads))
    else:
        files = sc.binaryFiles(as_uri(a.corpus), minPartitions=a.partitions or sc.defaultParallelism)
        lines = files.mapPartitions(partition_lines(folder, names, threads))
        hidden = hidden_by_hadoop(sc, as_uri(a.corpus), folder)
        if hidden:
            lines = lines.union(sc.parallelize(hidden, 1))
    # The worker reads each file once: its lines are saved, then read back by Spark's own JSON
    # reader (in the JVM, only the fields the tables need) and the tables made with Spark SQL.
    lines.saveAsTextFile(out + "/jsonl")
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
