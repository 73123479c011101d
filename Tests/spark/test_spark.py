"""examples/spark end to end with Spark local[2]: the flagged customers equal single-process precept eval's.

Needs pyspark and Java 17 (.ci/spark installs pyspark when absent) and the binary in $PRECEPT:

    PRECEPT=.build/debug/precept python3 -m pytest -q Tests/spark

One Spark session serves the in-process tests (Spark's start-up dominates their time); the
command line is run once in a Spark of its own, on a record precept refuses.
"""

import glob
import json
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(REPO, "examples", "spark")
sys.path.insert(0, EXAMPLE)

import precept_spark  # noqa: E402
import prepare  # noqa: E402

RULEBOOK = os.path.join(REPO, "rulebooks", "cn", "aml-monitoring.yaml")
ROOT = os.path.join(REPO, "rulebooks")
STREAM = os.path.join(REPO, "examples", "transactions", "stream.jsonl")
AS_OF = "2026-11-23"

# Read off the stream and the rules before the job first ran: P005's three cash deposits of
# 45,000-49,999.99 within 24 h (95,500 on the 12th), P006's 80,000 cash, P013's 300,000 in and
# 290,000 out the same day, P014's name 0.94 like "Boris Badenov". Everyone else passes:
# 49,999.99 (P003), 55,000 either side of Beijing midnight (P004), 499,999.99 (P007), ...
SHIPPED_FLAGGED = {
    "P005": ["AML-LARGE-CASH", "AML-STRUCTURING"],
    "P006": ["AML-LARGE-CASH"],
    "P013": ["AML-RAPID-IN-OUT"],
    "P014": ["AML-NAME-SCREEN-REVIEW"],
}


@pytest.fixture(scope="session")
def precept():
    path = os.environ.get("PRECEPT")
    if not path or not os.access(path, os.X_OK):
        pytest.fail("set PRECEPT to the precept binary (PRECEPT=.build/debug/precept)")
    return os.path.abspath(path)


@pytest.fixture(scope="session")
def spark():
    session = precept_spark.spark_session("local[2]")
    session.sparkContext.setLogLevel("ERROR")
    # Small data: a few shuffle partitions rather than 200 (the job's own default is left to Spark).
    session.conf.set("spark.sql.shuffle.partitions", "4")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def job(precept):
    return precept_spark.Job(precept, (os.path.relpath(RULEBOOK, ROOT),), ROOT, AS_OF, ship=True)


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """3,000 generated customers (generate.py, seed 17) and the plan of what was planted."""
    folder = tmp_path_factory.mktemp("generated")
    records, labels = folder / "customers.jsonl", folder / "labels.json"
    subprocess.run([sys.executable, os.path.join(EXAMPLE, "generate.py"), "--customers", "3000",
                    "--seed", "17", "--output", str(records), "--labels", str(labels)], check=True)
    return str(records), json.loads(labels.read_text(encoding="utf-8"))


def canonical(decision):
    """What must agree: id, rulebook, outcome, and each listed rule with its status and text."""
    return json.dumps({k: decision[k] for k in ("id", "rulebook", "outcome", "results")},
                      ensure_ascii=False, sort_keys=True)


def single_process(precept, records):
    """The flagged decisions of `precept eval --output violations --id customer.id` in one process."""
    done = subprocess.run([precept, "eval", RULEBOOK, "--input", records, "--as-of", AS_OF,
                           "--output", "violations", "--id", "customer.id", "--quiet"],
                          capture_output=True, check=True)
    decisions = [json.loads(line) for line in done.stdout.splitlines()]
    return {canonical(d) for d in decisions if d["results"]}, len(decisions)


def written(output):
    """The job's output, in part-file order."""
    return [json.loads(line) for part in sorted(glob.glob(os.path.join(output, "part-*")))
            for line in open(part, encoding="utf-8")]


def warehouse(spark, records, folder):
    target = str(folder / "warehouse")
    prepare.prepare(spark, records, target)
    return target


@pytest.fixture(scope="session")
def stream_warehouse(spark, tmp_path_factory):
    return warehouse(spark, STREAM, tmp_path_factory.mktemp("stream"))


@pytest.fixture(scope="session")
def generated_warehouse(spark, tmp_path_factory, generated):
    return warehouse(spark, generated[0], tmp_path_factory.mktemp("generated-warehouse"))


def check_against_single_process(spark, job, precept, records, source, folder):
    output = str(folder / "flagged")
    counts = precept_spark.run(spark, job, source, output)
    flagged = written(output)
    expected, decided = single_process(precept, records)
    assert counts["customers"] == decided
    assert counts["flagged"] == len(flagged)
    assert [(d["id"], d["rulebook"]) for d in flagged] == sorted((d["id"], d["rulebook"]) for d in flagged)
    assert [canonical(d) for d in flagged if canonical(d) not in expected] == []
    assert sorted(expected - {canonical(d) for d in flagged}) == []
    assert len(flagged) == len(expected)
    # Not vacuous: some customers are flagged, some are not.
    assert 0 < len(flagged) < decided
    return flagged


def test_shipped_stream_flags_the_customers_read_off_the_rules(spark, job, precept, stream_warehouse, tmp_path):
    flagged = check_against_single_process(spark, job, precept, STREAM, stream_warehouse, tmp_path)
    assert {d["id"]: [r["rule"] for r in d["results"]] for d in flagged} == SHIPPED_FLAGGED
    assert {d["outcome"] for d in flagged} == {"review"}


def test_records_are_rebuilt_exactly(spark, generated, stream_warehouse, generated_warehouse):
    """Grouped back from the warehouse, every customer is its input record: same amounts' text, same order."""
    for records, source in ((STREAM, stream_warehouse), (generated[0], generated_warehouse)):
        rows = precept_spark.customer_lines(spark, source).collect()
        assert all(r.transactions == len(json.loads(r.line)["customer"]["transactions"]) for r in rows)
        rebuilt = sorted((json.loads(r.line) for r in rows), key=lambda d: d["customer"]["id"])
        with open(records, encoding="utf-8") as f:
            given = sorted((json.loads(line) for line in f if line.strip()), key=lambda d: d["customer"]["id"])
        assert rebuilt == given


def test_generated_customers_match_single_process_and_the_plan(spark, job, precept, generated,
                                                               generated_warehouse, tmp_path):
    records, labels = generated
    flagged = check_against_single_process(spark, job, precept, records, generated_warehouse, tmp_path)
    planted = {i for pattern in labels.values() if pattern["flagged"] for i in pattern["ids"]}
    missed = {i for pattern in labels.values() if not pattern["flagged"] for i in pattern["ids"]}
    assert {d["id"] for d in flagged} == planted
    # Every pattern and near miss of generate.py was planted, each on dozens of customers.
    assert len(labels) == 20 and min(len(pattern["ids"]) for pattern in labels.values()) >= 20
    assert len(missed) > 400 and not missed & planted
    # The unknown status is passed on too (cash in USD cannot be totalled in CNY).
    assert any(r["status"] == "unknown" for d in flagged for r in d["results"])


def test_no_ship_parquet_and_three_partitions(spark, job, stream_warehouse, tmp_path):
    output = str(tmp_path / "flagged")
    local = precept_spark.Job(job.precept, job.rulebooks, job.root, job.as_of, ship=False)
    counts = precept_spark.run(spark, local, stream_warehouse, output, "parquet", partitions=3)
    assert counts["partitions"] == 3
    rows = spark.read.parquet(output).orderBy("id").collect()
    assert [(r.id, [x.rule for x in r.results]) for r in rows] == sorted(SHIPPED_FLAGGED.items())


def corrupted(folder):
    """The shipped stream with one transaction on a channel the schema does not have."""
    lines = open(STREAM, encoding="utf-8").read().splitlines()
    record = json.loads(lines[2])
    assert record["customer"]["id"] == "P003"
    record["customer"]["transactions"][1]["channel"] = "crypto"
    lines[2] = json.dumps(record, ensure_ascii=False)
    path = folder / "corrupted.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


PRECEPT_SAYS = ('customer P003: customer.transactions[1].channel: expected one of cash, transfer_domestic, '
                'transfer_cross_border, card, found "crypto"')


def test_a_corrupted_record_fails_the_job_with_precepts_error(spark, job, tmp_path):
    source = warehouse(spark, corrupted(tmp_path), tmp_path)
    output = str(tmp_path / "flagged")
    with pytest.raises(precept_spark.JobFailed) as failed:
        precept_spark.run(spark, job, source, output)
    assert failed.value.lines == [PRECEPT_SAYS]
    assert not os.path.exists(output)

    # The command line, in a Spark of its own: exit status 2, precept's line on standard error.
    done = subprocess.run([sys.executable, os.path.join(EXAMPLE, "precept_spark.py"), RULEBOOK, "--root", ROOT,
                           "--input", source, "--output", output, "--as-of", AS_OF, "--precept", job.precept],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr[-3000:]
    assert f"  {PRECEPT_SAYS}\n" in done.stderr
    assert not os.path.exists(output)


@pytest.mark.parametrize("arguments, says", [
    (["--as-of", "2026-13-01"], "--as-of 2026-13-01: expected a date YYYY-MM-DD"),
    (["--precept", "/nonexistent/precept"], "--precept /nonexistent/precept: not an executable file"),
    (["--input", "/nonexistent"], "--input /nonexistent: no customers/ table"),
    (["--partitions", "0"], "--partitions must be at least 1"),
    (["--root", "examples"], "every rulebook must be inside --root"),
])
def test_bad_arguments_exit_2_before_spark_starts(precept, tmp_path, arguments, says):
    (tmp_path / "warehouse" / "customers").mkdir(parents=True)
    (tmp_path / "warehouse" / "transactions").mkdir()
    given = {"--input": str(tmp_path / "warehouse"), "--output": str(tmp_path / "out"), "--precept": precept,
             "--root": ROOT, "--as-of": AS_OF}
    given.update(dict(zip(arguments[::2], arguments[1::2])))
    done = subprocess.run([sys.executable, os.path.join(EXAMPLE, "precept_spark.py"), RULEBOOK,
                           *[x for pair in given.items() for x in pair]],
                          capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == 2
    assert says in done.stderr


def test_unusable_rulebooks_exit_2_before_spark_starts(precept, tmp_path):
    (tmp_path / "warehouse" / "customers").mkdir(parents=True)
    (tmp_path / "warehouse" / "transactions").mkdir()
    # Without --root the root is cn/, which the rulebook's imports (../common/) leave.
    done = subprocess.run([sys.executable, os.path.join(EXAMPLE, "precept_spark.py"), RULEBOOK,
                           "--input", str(tmp_path / "warehouse"), "--output", str(tmp_path / "out"),
                           "--precept", precept], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "precept-spark: precept eval refused the job; nothing written:" in done.stderr
    assert "error[P0303]: import `../common/customer-schema.yaml` leads outside the root directory" in done.stderr
    assert "WARN" not in done.stderr  # no Spark was started
