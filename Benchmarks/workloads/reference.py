#!/usr/bin/env python3
"""Reference decisions for workloads A (a.yaml) and B (b.yaml), in plain Python with exact
decimals, and a checker for what Precept decided.

    python3 Benchmarks/workloads/reference.py check-a DATA/applicants.jsonl DECISIONS.jsonl
    python3 Benchmarks/workloads/reference.py check-b DATA/customers.jsonl  DECISIONS.jsonl
    python3 Benchmarks/workloads/reference.py self-test     (the contract's boundaries, by hand)

DECISIONS.jsonl holds one decision per input line, in order: what `precept eval` writes
(`--output full`, the default) or PreceptBenchRun (`{"results":[{"rule":…,"status":…},…]}`).
A rule fires when its status is `violated` (a `require:` rule) or `flagged` (a `flag:` rule); the
decision is the set of rules that fired. Exit status 0 when every line agrees; 1 when any line
disagrees, when the two files have different numbers of lines, or when a decision line is an
error, lacks one of the workload's rules, has a rule twice, has a rule whose status is neither
passed nor fired (`unknown`: the data has no missing facts), or carries a `line` number other
than its own; 2 for bad arguments or unreadable files.

The rules are written from the rulebooks, one function per rule, not from Precept's code. Every
number is read as an exact Decimal (`parse_float=Decimal`); nothing is a float.
"""
import itertools
import json
import sys
from decimal import Decimal

D = Decimal
LENDING_COUNTRIES = {"US", "CA", "GB", "DE", "FR", "NL"}


# ---- Workload A: each rule is the condition under which an applicant passes ------------------

def dti_at_most_half(a):
    # dti = monthly_debt / monthly_income <= 0.5, decided without dividing: income is positive.
    return D(a["monthly_debt"]) <= D("0.5") * D(a["monthly_income"])


A_RULES = {
    "R01": lambda a: 18 <= a["age"] <= 75,
    "R02": lambda a: a["credit_score"] >= 580,
    "R03": lambda a: a["annual_income"] >= D("12000"),
    "R04": dti_at_most_half,
    "R05": lambda a: a["employment_status"] in ("employed", "self_employed", "retired"),
    "R06": lambda a: a["country"] in LENDING_COUNTRIES,
    "R07": lambda a: a["existing_loans"] <= 4,
    "R08": lambda a: 1000 <= a["requested_amount"] <= 50000,
    "R09": lambda a: a["term_months"] in (12, 24, 36, 48, 60),
    "R10": lambda a: not a["is_student"] or a["requested_amount"] <= 10000,
    "R11": lambda a: a["region"] not in ("offshore", "unknown"),
    "R12": lambda a: a["requested_amount"] <= a["monthly_income"] * 12,
    "R13": lambda a: a["credit_score"] >= 650 or a["annual_income"] >= D("60000"),
    "R14": lambda a: a["age"] * 12 + a["term_months"] <= 960,
    "R15": lambda a: a["employment_status"] != "retired" or a["term_months"] <= 36,
    "R16": lambda a: a["existing_loans"] < 3 or a["credit_score"] >= 700,
    "R17": lambda a: a["monthly_income"] >= 1000,
    "R18": lambda a: a["country"] != "US" or a["age"] >= 21,
    "R19": lambda a: not a["is_student"] or a["age"] <= 35,
    "R20": lambda a: 300 <= a["credit_score"] <= 850,
}


def decide_a(applicant):
    """The ids of the rules the applicant fails, sorted."""
    return sorted(rule for rule, passes in A_RULES.items() if not passes(applicant))


# ---- Workload B: AML rules over one customer's transactions ----------------------------------

DAY = 86_400


def window_hit(cash):
    """WINDOW: three or more cash transactions with 45,000 <= amount < 50,000 whose times lie
    within 24 hours of each other (the latest minus the earliest below 86,400 s)."""
    times = sorted(t["ts"] for t in cash if D("45000") <= t["amount"] < D("50000"))
    # Sorted, three within 24 h exist exactly when some three consecutive ones are.
    return any(times[k + 2] - times[k] < DAY for k in range(len(times) - 2))


def day_total_hit(cash):
    """DAY-TOTAL: the cash of one UTC calendar day adds up to 50,000 or more."""
    totals = {}
    for t in cash:
        day = t["ts"] // DAY
        totals[day] = totals.get(day, D(0)) + t["amount"]
    return any(total >= D("50000") for total in totals.values())


def decide_b(customer):
    """The ids of the rules the customer's transactions flag, sorted."""
    cash = [t for t in customer["txns"] if t["channel"] == "cash"]
    fired = []
    if day_total_hit(cash):
        fired.append("DAY-TOTAL")
    if window_hit(cash):
        fired.append("WINDOW")
    return fired


# ---- Checking Precept's decisions ------------------------------------------------------------

WORKLOADS = {
    "check-a": (decide_a, set(A_RULES)),
    "check-b": (decide_b, {"WINDOW", "DAY-TOTAL"}),
}


def fired(decision, rules, n):
    """The rules a decision line says fired, sorted; ValueError when the line is not a whole,
    well-formed decision on every rule of the workload."""
    if "error" in decision:
        raise ValueError(f"an error line: {decision['error']}")
    if "line" in decision and decision["line"] != n:
        raise ValueError(f"numbered {decision['line']}")
    statuses = {}
    for r in decision.get("results", []):
        if r["rule"] in statuses:
            raise ValueError(f"{r['rule']} twice")
        statuses[r["rule"]] = r["status"]
    if set(statuses) != rules:
        raise ValueError(f"rules {sorted(statuses)}, not {sorted(rules)}")
    odd = {rule: s for rule, s in statuses.items() if s not in ("passed", "violated", "flagged")}
    if odd:
        raise ValueError(f"statuses {odd}")
    return sorted(rule for rule, s in statuses.items() if s in ("violated", "flagged"))


def check(mode, data_path, decisions_path):
    decide, rules = WORKLOADS[mode]
    agree = disagree = broken = data_lines = decision_lines = 0
    with open(data_path, encoding="utf-8") as data, open(decisions_path, encoding="utf-8") as decisions:
        for n, (facts, out) in enumerate(itertools.zip_longest(data, decisions), 1):
            data_lines += facts is not None
            decision_lines += out is not None
            if facts is None or out is None:
                continue  # counted, and reported below
            want = decide(json.loads(facts, parse_float=Decimal))
            try:
                got = fired(json.loads(out), rules, n)
            except (ValueError, KeyError, TypeError, AttributeError) as e:
                broken += 1
                if disagree + broken <= 5:
                    print(f"line {n}: bad decision ({e}): {out.strip()[:200]}")
                continue
            if want == got:
                agree += 1
            else:
                disagree += 1
                if disagree + broken <= 5:
                    print(f"line {n}: want {want}, got {got}")
    print(f"{mode}: {agree} of {data_lines} decisions agree with the reference"
          + (f", {disagree} disagree" if disagree else "")
          + (f", {broken} decision lines are malformed" if broken else "")
          + (f"; FAIL: {data_lines} input lines but {decision_lines} decision lines"
             if data_lines != decision_lines else ""))
    return disagree == 0 and broken == 0 and data_lines == decision_lines


def self_test():
    """The contract's boundaries, decided by hand: the reference must get these right before it
    judges anything."""
    t = 1_767_225_600 + 5 * DAY + 3_600  # 01:00 UTC on 2026-01-06

    def cash(*pairs):
        return {"txns": [{"amount": D(a), "ts": ts, "channel": "cash"} for a, ts in pairs]}

    base = {"age": 40, "annual_income": D("80000.00"), "monthly_debt": 1000, "monthly_income": 5000,
            "credit_score": 720, "employment_status": "employed", "is_student": False, "region": "north",
            "requested_amount": 20000, "term_months": 36, "country": "GB", "existing_loans": 0}
    cases = [
        (decide_a(base), []),
        (decide_a(dict(base, monthly_debt=2500)), []),            # debt-to-income exactly 0.5
        (decide_a(dict(base, monthly_debt=2501)), ["R04"]),
        (decide_a(dict(base, age=75, term_months=60)), []),       # 75 * 12 + 60 = 960
        (decide_a(dict(base, age=75, term_months=60, existing_loans=3, credit_score=699)), ["R16"]),
        (decide_a(dict(base, annual_income=D("11999.99"), credit_score=649)), ["R03", "R13"]),
        (decide_b(cash(("45000.00", t), ("45000.00", t + 43_200), ("45000.00", t + 86_400))), ["DAY-TOTAL"]),
        (decide_b(cash(("49999.99", t), ("49999.99", t + 40_000), ("49999.99", t + 86_399))), ["DAY-TOTAL", "WINDOW"]),
        (decide_b(cash(("45000.00", t), ("49999.99", t + 1), ("50000.00", t + 2))), ["DAY-TOTAL"]),
        (decide_b(cash(("24999.99", t), ("25000.01", t + 3_600))), ["DAY-TOTAL"]),     # exactly 50,000.00
        (decide_b(cash(("24999.99", t - 3_601), ("25000.01", t - 3_600))), []),        # 23:59:59 and 00:00:00
        (decide_b({"txns": [{"amount": D("60000"), "ts": t, "channel": "wire"}]}), []),
    ]
    bad = [(n, got, want) for n, (got, want) in enumerate(cases, 1) if got != want]
    for n, got, want in bad:
        print(f"self-test case {n}: want {want}, got {got}")
    print(f"self-test: {len(cases) - len(bad)} of {len(cases)} cases decided as written")
    return not bad


def main(argv):
    if len(argv) == 2 and argv[1] == "self-test":
        return 0 if self_test() else 1
    if len(argv) != 4 or argv[1] not in WORKLOADS:
        print("usage:\n" + __doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        return 0 if check(*argv[1:]) else 1
    except OSError as e:
        print(f"reference.py: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
