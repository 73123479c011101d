#!/usr/bin/env python3
"""Loads customer records into the shape a bank's warehouse holds them, for precept_spark.py.

The input is JSON Lines with one customer and its transactions per line
(examples/transactions/stream.jsonl, or generate.py's output). The output is two Parquet tables:

    DIR/customers/      id, name, type                      one row per customer
    DIR/transactions/   customer_id, seq, at, amount, currency, channel, direction,
                        counterparty                        one row per transaction,
                        partitioned by booking_day=YYYY-MM-DD (the Beijing calendar day)

`amount` is DECIMAL(18,2), read from the record's text ("18500.00 CNY") without going through a
float; `at` keeps the record's ISO 8601 text with its offset; `seq` is the transaction's place in
its customer's record, so the job can rebuild the record in the same order.

    python3 examples/spark/prepare.py examples/transactions/stream.jsonl /tmp/aml-warehouse
"""

import argparse
import json
import os
import re
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from pyspark.sql.types import DecimalType, IntegerType, StringType, StructField, StructType

CUSTOMERS = StructType([StructField("id", StringType(), False),
                        StructField("name", StringType(), False),
                        StructField("type", StringType(), False)])
TRANSACTIONS = StructType([StructField("customer_id", StringType(), False),
                           StructField("seq", IntegerType(), False),
                           StructField("at", StringType(), False),
                           StructField("amount", DecimalType(18, 2), False),
                           StructField("currency", StringType(), False),
                           StructField("channel", StringType(), False),
                           StructField("direction", StringType(), False),
                           StructField("counterparty", StringType(), False),
                           StructField("booking_day", StringType(), False)])
CUSTOMER_KEYS = ["id", "name", "type", "transactions"]
TRANSACTION_KEYS = ["at", "amount", "channel", "direction", "counterparty"]
MONEY = re.compile(r"(-?[0-9]{1,16}(?:\.[0-9]{1,2})?) ([A-Z]{3})")
BEIJING = timezone(timedelta(hours=8))


def split_amount(text, where):
    """ "18500.00 CNY" -> (Decimal("18500.00"), "CNY"); more than two decimals is refused, not rounded."""
    match = MONEY.fullmatch(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"{where}: amount {text!r} is not like \"18500.00 CNY\" (at most two decimals)")
    return Decimal(match.group(1)), match.group(2)


def booking_day(at, where):
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        raise ValueError(f"{where}: at {at!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise ValueError(f"{where}: at {at!r} has no UTC offset")
    return moment.astimezone(BEIJING).date().isoformat()


def rows(numbered):
    """One input line -> ("customer", row) and one ("transaction", row) per transaction."""
    line, index = numbered
    where = f"line {index + 1}"
    record = json.loads(line).get("customer") if line.strip() else None
    if not isinstance(record, dict):
        raise ValueError(f"{where}: expected {{\"customer\": {{...}}}}")
    extra = sorted(set(record) - set(CUSTOMER_KEYS))
    if extra:
        # The tables have no column for them: refuse rather than drop them silently.
        raise ValueError(f"{where}: customer fields the warehouse tables do not hold: {', '.join(extra)}")
    yield "customer", (record["id"], record["name"], record["type"])
    for seq, t in enumerate(record.get("transactions") or []):
        at = f"{where}, transaction {seq}"
        if sorted(t) != sorted(TRANSACTION_KEYS):
            raise ValueError(f"{at}: expected the fields {', '.join(TRANSACTION_KEYS)}")
        amount, currency = split_amount(t["amount"], at)
        yield "transaction", (record["id"], seq, t["at"], amount, currency, t["channel"], t["direction"],
                              t["counterparty"], booking_day(t["at"], at))


def prepare(spark, source, target):
    """Writes target/customers and target/transactions from the JSON Lines file `source`."""
    spark.sparkContext.addPyFile(os.path.abspath(__file__))  # `rows` runs on the executors
    parsed = spark.sparkContext.textFile(source).zipWithIndex().flatMap(rows).cache()
    customers = spark.createDataFrame(parsed.filter(lambda r: r[0] == "customer").values(), CUSTOMERS)
    transactions = spark.createDataFrame(parsed.filter(lambda r: r[0] == "transaction").values(), TRANSACTIONS)
    customers.write.parquet(os.path.join(target, "customers"))
    transactions.write.partitionBy("booking_day").parquet(os.path.join(target, "transactions"))
    parsed.unpersist()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="customer records, JSON Lines")
    parser.add_argument("output", help="directory to create (must not exist)")
    parser.add_argument("--master", help="Spark master (default local[2]; under spark-submit, its --master)")
    args = parser.parse_args()
    if not os.path.isfile(args.input):
        fail(f"no such file: {args.input}")
    if os.path.exists(args.output):
        fail(f"{args.output} exists; give a new directory")
    from precept_spark import spark_session  # here: the executors import this module without it

    spark = spark_session(args.master)
    spark.sparkContext.setLogLevel("WARN")
    try:
        prepare(spark, os.path.abspath(args.input), args.output)
    finally:
        spark.stop()


def fail(message):
    print(f"prepare: {message}", file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main()
