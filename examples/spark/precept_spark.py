#!/usr/bin/env python3
"""Runs Precept rulebooks over a bank's transaction history in Spark and writes the flagged customers.

Reads the warehouse tables that prepare.py writes (DIR/customers, DIR/transactions), groups each
customer's transactions into one record, so that window and per-day rules see the customer's whole
history, and pipes every partition of records through
`precept eval RULEBOOK... --output violations --id customer.id --as-of DATE --quiet`.
Customers with a violated or unknown rule are written, sorted by id and rulebook, as
{"id", "rulebook", "outcome", "results": [{"rule", "status", "message" | "reason"}]}.

    python3 examples/spark/precept_spark.py rulebooks/cn/aml-monitoring.yaml --root rulebooks \\
        --input /tmp/aml-warehouse --output /tmp/aml-flagged --as-of 2026-11-23

Exit status: 0 every customer decided and the flagged ones written; 2 bad arguments, unusable
rulebooks, or a customer record precept could not use (its error lines are printed, and nothing
is written); 1 any other failure (Spark's, or precept's on an executor), with Spark's traceback.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import partial

from pyspark import SparkFiles, StorageLevel
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import ArrayType, StringType, StructField, StructType

FLAGGED = StructType([
    StructField("id", StringType(), False),
    StructField("rulebook", StringType(), False),
    StructField("outcome", StringType(), False),
    StructField("results", ArrayType(StructType([
        StructField("rule", StringType(), False),
        StructField("status", StringType(), False),
        StructField("message", StringType(), True),
        StructField("reason", StringType(), True),
    ])), False),
])
TRANSACTION_FIELDS = ["seq", "at", "amount", "currency", "channel", "direction", "counterparty"]
SHOWN_ERRORS = 20  # refused records printed; the rest are counted


class JobFailed(Exception):
    """precept could not use the rulebooks or some customer records; `lines` says why."""

    def __init__(self, lines):
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class Job:
    """What every executor needs to run precept; paths are the driver's."""
    precept: str
    rulebooks: tuple  # paths relative to root
    root: str
    as_of: str
    ship: bool  # shipped with SparkContext.addFile, else present at these paths on every node

    def command(self, precept, root):
        return [precept, "eval", *(os.path.join(root, r) for r in self.rulebooks),
                "--root", root, "--as-of", self.as_of,
                "--output", "violations", "--id", "customer.id", "--quiet"]

    def local_command(self):
        return self.command(self.precept, self.root)

    def executor_command(self):
        """The command on an executor: the shipped copies when shipped, else the same paths."""
        if not self.ship:
            return self.local_command()
        precept = SparkFiles.get(os.path.basename(self.precept))
        if not os.access(precept, os.X_OK):
            os.chmod(precept, 0o755)
        return self.command(precept, SparkFiles.get(os.path.basename(self.root)))


def evaluate_partition(rows, job):
    """Streams a partition's customers through one precept process.

    Yields ("flagged", decision) for each customer with a violated or unknown rule,
    ("error", text) for each record precept could not use, and at the end
    ("counted", customers, transactions, flagged decisions). A writer thread feeds stdin while
    this generator reads stdout, so neither side holds the partition in memory and neither pipe
    can fill up and block. Any other failure of precept (a crash, a missing library, rulebooks it
    cannot use there) fails the task with precept's standard error.
    """
    counts = [0, 0, 0]
    failure = []
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(job.executor_command(), stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=stderr)

        def feed():
            try:
                for row in rows:
                    process.stdin.write(row.line.encode() + b"\n")
                    counts[0] += 1
                    counts[1] += row.transactions
            except BrokenPipeError:
                pass  # precept stopped reading; its exit status says why
            except BaseException as error:  # noqa: BLE001 - re-raised below, on the task's thread
                failure.append(error)
            finally:
                try:
                    process.stdin.close()
                except BrokenPipeError:
                    pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        try:
            error_lines = 0
            for line in process.stdout:
                decision = json.loads(line)
                if "error" in decision:
                    error_lines += 1
                    yield "error", f"customer {decision.get('id')}: {decision['error']}"
                elif decision["results"]:
                    counts[2] += 1
                    yield "flagged", decision
            writer.join()
            status = process.wait()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        if failure:
            raise failure[0]
        if status != 0 and not (status == 2 and error_lines):
            stderr.seek(0)
            message = stderr.read().decode("utf-8", "replace").strip()
            raise RuntimeError(f"precept eval exited with status {status}: {message}")
    yield "counted", *counts


def customer_lines(spark, warehouse):
    """One row per customer: id, its JSON line for precept (`line`), its number of transactions.

    The line is built by Spark SQL, in the shape of common/customer-schema.yaml:
    {"customer": {"id", "name", "type", "transactions": [{"at", "amount", "channel", "direction",
    "counterparty"}]}}, transactions in their order in the original record. Amounts are the
    DECIMAL's exact digits and the currency ("18500.00 CNY"), never a float; building the text on
    the JVM side means Python only moves strings, about four times faster than rows of decimals.
    """
    history = (spark.read.parquet(os.path.join(warehouse, "transactions"))
               .groupBy("customer_id")
               .agg(F.sort_array(F.collect_list(F.struct(*TRANSACTION_FIELDS))).alias("history")))
    customers = spark.read.parquet(os.path.join(warehouse, "customers"))
    # A full join, so that transactions of a customer missing from the customers table still
    # reach precept (which refuses the record for its missing name) instead of vanishing.
    joined = customers.join(history, customers.id == history.customer_id, "full_outer")
    transactions = F.transform(F.coalesce("history", F.array()), lambda t: F.struct(
        t["at"].alias("at"),
        F.concat(t["amount"].cast("string"), F.lit(" "), t["currency"]).alias("amount"),
        t["channel"].alias("channel"), t["direction"].alias("direction"),
        t["counterparty"].alias("counterparty")))
    customer = F.struct(F.coalesce("id", "customer_id").alias("id"), "name", "type",
                        transactions.alias("transactions"))
    return joined.select(F.coalesce("id", "customer_id").alias("id"),
                         F.to_json(F.struct(customer.alias("customer"))).alias("line"),
                         F.size(F.coalesce("history", F.array())).alias("transactions"))


def check_rulebooks(job):
    """Fails before any Spark work when precept cannot use the rulebooks here on the driver."""
    try:
        done = subprocess.run(job.local_command(), stdin=subprocess.DEVNULL, capture_output=True)
    except OSError as error:
        raise JobFailed([f"cannot run {job.precept}: {error.strerror}"]) from None
    if done.returncode != 0:
        raise JobFailed([done.stderr.decode("utf-8", "replace").strip()
                         or f"precept eval exited with status {done.returncode}"])


def run(spark, job, warehouse, output, output_format="json", partitions=None):
    """Decides every customer; writes the flagged ones to `output`; returns the counts.

    `partitions` hash-partitions the customers by id into that many partitions (one precept
    process each); by default the join's shuffle decides.

    Raises JobFailed, writing nothing, when precept refuses the rulebooks or any record (the
    first SHOWN_ERRORS of its error lines, sorted, and how many more)."""
    check_rulebooks(job)
    sc = spark.sparkContext
    sc.addPyFile(os.path.abspath(__file__))  # evaluate_partition runs on the executors
    if job.ship:
        sc.addFile(job.precept)
        sc.addFile(job.root, recursive=True)
    records = customer_lines(spark, warehouse)
    if partitions:
        records = records.repartition(partitions, "id")
    results = (records.rdd
               .mapPartitions(partial(evaluate_partition, job=job))
               .persist(StorageLevel.MEMORY_AND_DISK))
    try:
        counted = results.filter(lambda r: r[0] == "counted").map(lambda r: r[1:]).collect()  # runs precept
        refused = results.filter(lambda r: r[0] == "error").map(lambda r: r[1])
        errors = refused.count()
        if errors:
            shown = refused.takeOrdered(SHOWN_ERRORS)
            raise JobFailed(shown + ([f"... and {errors - len(shown):,} more"] if errors > len(shown) else []))
        flagged = spark.createDataFrame(results.filter(lambda r: r[0] == "flagged").map(flagged_row), FLAGGED)
        flagged.orderBy("id", "rulebook").write.format(output_format).save(output)
        return {"customers": sum(c[0] for c in counted), "transactions": sum(c[1] for c in counted),
                "flagged": sum(c[2] for c in counted), "partitions": len(counted)}
    finally:
        results.unpersist()


def flagged_row(item):
    decision = item[1]
    return (decision["id"], decision["rulebook"], decision["outcome"],
            [(r["rule"], r["status"], r.get("message"), r.get("reason")) for r in decision["results"]])


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 done; 2 bad arguments, unusable rulebooks or records; 1 any other failure.")
    parser.add_argument("rulebooks", nargs="+", help="rulebook files, all inside --root")
    parser.add_argument("--input", required=True, help="warehouse directory written by prepare.py")
    parser.add_argument("--output", required=True, help="directory to create for the flagged customers")
    parser.add_argument("--format", choices=["json", "parquet"], default="json",
                        help="format of the flagged customers (default json: JSON Lines part files)")
    parser.add_argument("--as-of", help="evaluation date YYYY-MM-DD (default: today in UTC, fixed on the driver)")
    parser.add_argument("--root", help="directory holding the rulebooks and all they import; shipped to the "
                                       "executors whole (default: the rulebooks' common directory)")
    parser.add_argument("--precept", default=os.environ.get("PRECEPT") or shutil.which("precept"),
                        help="the precept binary (default: $PRECEPT, else precept on PATH)")
    parser.add_argument("--no-ship", action="store_true",
                        help="do not ship the binary and --root with SparkContext.addFile: they are at the "
                             "same paths on every node (a shared filesystem or the executors' image)")
    parser.add_argument("--master", help="Spark master (default local[2]; under spark-submit, its --master)")
    parser.add_argument("--partitions", type=int, help="hash-partition the customers by id into this many "
                                                       "partitions, one precept process each (default: as the "
                                                       "join's shuffle leaves them)")
    return parser, parser.parse_args(argv)


def job_from(parser, args):
    """Checks the arguments that argparse cannot; parser.error exits with status 2."""
    if not args.precept:
        parser.error("no precept binary: pass --precept, set PRECEPT, or put precept on PATH")
    precept = shutil.which(args.precept) if os.sep not in args.precept else args.precept
    if not precept or not os.access(precept, os.X_OK):
        parser.error(f"--precept {args.precept}: not an executable file")
    for path in args.rulebooks:
        if not os.path.isfile(path):
            parser.error(f"no such rulebook file: {path}")
    rulebooks = [os.path.abspath(p) for p in args.rulebooks]
    root = os.path.abspath(args.root or os.path.commonpath([os.path.dirname(p) for p in rulebooks]))
    if not os.path.isdir(root):
        parser.error(f"--root {args.root}: not a directory")
    if any(os.path.commonpath([root, p]) != root for p in rulebooks):
        parser.error(f"every rulebook must be inside --root {root}")
    as_of = args.as_of or datetime.now(timezone.utc).date().isoformat()
    try:
        date.fromisoformat(as_of)
    except ValueError:
        parser.error(f"--as-of {as_of}: expected a date YYYY-MM-DD")
    for folder in ("customers", "transactions"):
        if "://" not in args.input and not os.path.isdir(os.path.join(args.input, folder)):
            parser.error(f"--input {args.input}: no {folder}/ table (write it with prepare.py)")
    if "://" not in args.output and os.path.exists(args.output):
        parser.error(f"--output {args.output} exists; give a new directory")
    if args.partitions is not None and args.partitions < 1:
        parser.error("--partitions must be at least 1")
    return Job(os.path.abspath(precept), tuple(os.path.relpath(p, root) for p in rulebooks), root, as_of,
               not args.no_ship)


def spark_session(master):
    builder = SparkSession.builder.appName("precept").config("spark.ui.showConsoleProgress", "false")
    if master:
        builder = builder.master(master)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:  # not started by spark-submit
        builder = builder.master("local[2]")
    return builder.getOrCreate()


def main(argv=None):
    parser, args = parse_args(argv)
    job = job_from(parser, args)
    spark = None
    try:
        check_rulebooks(job)  # before Spark's start-up, which takes seconds
        spark = spark_session(args.master)
        spark.sparkContext.setLogLevel("WARN")
        started = time.monotonic()
        counts = run(spark, job, args.input, args.output, args.format, args.partitions)
        seconds = time.monotonic() - started
    except JobFailed as failed:
        print("precept-spark: precept eval refused the job; nothing written:", file=sys.stderr)
        for line in failed.lines:
            print(f"  {line}", file=sys.stderr)
        sys.exit(2)
    finally:
        if spark is not None:
            spark.stop()
    # The time counts from reading the tables to the last file written, not Spark's start-up.
    partitions = f"{counts['partitions']} partition{'s' if counts['partitions'] != 1 else ''}"
    print(f"precept-spark: {counts['customers']:,} customers ({counts['transactions']:,} transactions) in "
          f"{partitions} decided in {seconds:.1f} s ({counts['customers'] / seconds:,.0f} customers/s, "
          f"{counts['transactions'] / seconds:,.0f} transactions/s); {counts['flagged']:,} flagged decisions "
          f"-> {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
