#!/usr/bin/env python3
"""Writes the benchmark data for workloads A and B (Python standard library only).

    python3 Benchmarks/workloads/gen_data.py [--applicants N] [--customers N] [--out DIR]

writes DIR/applicants.jsonl (default 100,000 applicants, the 12 fields of a.yaml's `applicant`)
and DIR/customers.jsonl (default 10,000 customers of 16 to 24 transactions each, `{"txns":[...]}`
as b.yaml reads it), and prints each file's sha256 (Benchmarks/README.md records the defaults').

The workloads are defined in ../shared/bench/README.md (the contract); this generator is the
repository's own, so that a clone needs nothing beside it.

- Deterministic, on any Python 3: the random numbers come from SplitMix64 (integer arithmetic
  only, not the `random` module), one stream per file, so the same arguments give the same bytes
  and the first N lines of a larger file are the file of N lines.
- Money is integer cents written as exact decimal text (`45000.00`); no float anywhere.
- Nothing is missing: every applicant has all 12 fields, every transaction its 3.
- The boundaries the contract names are planted: debt-to-income exactly 0.5; 45,000.00 cash at
  t, t+12 h and t+24 h (no WINDOW hit: 24 h apart is outside the window); 49,999.99 at t,
  t+40,000 s and t+86,399 s (a hit). So are a few more: the other rules' bounds (age 18, 21, 35,
  75; credit score 300, 580, 650, 700, 850; income 12,000.00 and 60,000.00; ...), a cash day
  total of exactly 50,000.00, 50,000.00 itself (not below 50,000), and midnight UTC.
"""
import argparse
import hashlib
import os

SEED = 20261122
T0 = 1_767_225_600  # 2026-01-01T00:00:00Z in seconds since 1970
DAY = 86_400
HOUR = 3_600
MASK = (1 << 64) - 1


class SplitMix64:
    """Steele, Lea and Flood's SplitMix64 (as in java.util.SplittableRandom and the tests'
    generator), so that the bytes do not depend on the Python version's `random` module."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def int(self, lo, hi):
        """A whole number in lo...hi (both included); the modulo bias is below 2^-40."""
        return lo + self.next() % (hi - lo + 1)

    def percent(self):
        """0...99, for choosing a case by its share."""
        return self.int(0, 99)

    def pick(self, weighted):
        """One of the (value, weight) pairs' values, in proportion to the whole-number weights."""
        k = self.int(0, sum(w for _, w in weighted) - 1)
        for value, w in weighted:
            if k < w:
                return value
            k -= w
        raise AssertionError("unreachable")


def money(cents):
    """Cents as exact decimal text with two places: 4500000 -> 45000.00."""
    return "%d.%02d" % divmod(cents, 100)


# ---- Workload A: applicants ------------------------------------------------------------------

EMPLOYMENT = [("employed", 60), ("self_employed", 15), ("retired", 10), ("unemployed", 8), ("student", 7)]
REGIONS = [("north", 20), ("south", 20), ("east", 20), ("west", 20), ("central", 15), ("offshore", 3), ("unknown", 2)]
# The six countries of a.yaml's lending_countries, and some it does not lend in.
COUNTRIES = [("US", 30), ("CA", 10), ("GB", 12), ("DE", 10), ("FR", 8), ("NL", 5),
             ("BR", 8), ("IN", 9), ("NG", 4), ("MX", 4)]
TERMS = [(6, 4), (12, 20), (24, 25), (36, 20), (48, 12), (60, 12), (72, 4), (84, 3)]
LOANS = [(0, 30), (1, 25), (2, 18), (3, 10), (4, 7), (5, 5), (6, 3), (7, 2)]
# Annual income in whole units, by band (lower bound included, upper excluded): a long tail
# above the median of about 45,000, and some below R03's 12,000 and above R13's 60,000.
INCOME_BANDS = [((5_000, 12_000), 2), ((12_000, 30_000), 26), ((30_000, 45_000), 22),
                ((45_000, 60_000), 18), ((60_000, 100_000), 22), ((100_000, 250_000), 10)]


def applicant(rng):
    age = rng.int(16, 85)
    lo, hi = rng.pick(INCOME_BANDS)
    annual_cents = rng.int(lo * 100, hi * 100 - 1)
    # A month's income is a twelfth of the year's, times 0.850 to 1.050, in whole units.
    monthly_income = max(200, annual_cents * rng.int(850, 1050) // (12 * 100 * 1000))
    if rng.percent() < 2:
        # Debt-to-income exactly 0.5 (R04 passes: `dti <= 0.5`).
        monthly_income += monthly_income % 2
        monthly_debt = monthly_income // 2
    else:
        monthly_debt = monthly_income * rng.int(0, 800) // 1000
    # About 680 with a spread (standard deviation) of 80: three uniform draws; a thin low tail.
    if rng.percent() < 1:
        credit_score = rng.int(250, 379)
    else:
        credit_score = min(900, 680 + rng.int(-80, 80) + rng.int(-80, 80) + rng.int(-80, 80))
    employment_status = rng.pick(EMPLOYMENT)
    is_student = employment_status == "student" or rng.percent() < 5
    a = {
        "age": age,
        "annual_income": annual_cents,  # cents until written
        "monthly_debt": monthly_debt,
        "monthly_income": monthly_income,
        "credit_score": credit_score,
        "employment_status": employment_status,
        "is_student": is_student,
        "region": rng.pick(REGIONS),
        "requested_amount": rng.int(5, 600) * 100,
        "term_months": rng.pick(TERMS),
        "country": rng.pick(COUNTRIES),
        "existing_loans": rng.pick(LOANS),
    }
    if rng.percent() < 3:
        plant_applicant_bound(rng, a)
    return a


# Bounds that R01-R20 compare with, each with a value on its other side (money in cents).
BOUNDS = [
    ("age", 18), ("age", 17), ("age", 75), ("age", 76), ("age", 21), ("age", 20), ("age", 35), ("age", 36),
    ("credit_score", 580), ("credit_score", 579), ("credit_score", 650), ("credit_score", 700),
    ("credit_score", 699), ("credit_score", 300), ("credit_score", 299), ("credit_score", 850),
    ("credit_score", 851),
    ("annual_income", 1_200_000), ("annual_income", 1_199_999), ("annual_income", 6_000_000),
    ("annual_income", 5_999_999),
    ("requested_amount", 1_000), ("requested_amount", 50_000), ("requested_amount", 10_000),
    ("monthly_income", 1_000), ("monthly_income", 999),
    ("existing_loans", 4), ("existing_loans", 3),
]


def plant_applicant_bound(rng, a):
    """Sets one field to one of BOUNDS."""
    field, value = BOUNDS[rng.int(0, len(BOUNDS) - 1)]
    a[field] = value
    if field == "monthly_income":
        a["monthly_debt"] = min(a["monthly_debt"], value)
    if field == "age" and value in (75, 76) and rng.percent() < 50:
        # R14: age * 12 + term exactly 960 (75 with 60 months, 76 with 48).
        a["term_months"] = 960 - value * 12


def applicant_line(a):
    return (
        '{"age":%d,"annual_income":%s,"monthly_debt":%d,"monthly_income":%d,"credit_score":%d,'
        '"employment_status":"%s","is_student":%s,"region":"%s","requested_amount":%d,'
        '"term_months":%d,"country":"%s","existing_loans":%d}\n'
        % (a["age"], money(a["annual_income"]), a["monthly_debt"], a["monthly_income"], a["credit_score"],
           a["employment_status"], "true" if a["is_student"] else "false", a["region"], a["requested_amount"],
           a["term_months"], a["country"], a["existing_loans"])
    )


# ---- Workload B: customers -------------------------------------------------------------------

CHANNELS = [("cash", 30), ("card", 40), ("wire", 15), ("ach", 15)]
# Everyday amounts in cents by band: mostly small, now and then a few thousand.
EVERYDAY_BANDS = [((100, 5_000), 20), ((5_000, 30_000), 35), ((30_000, 100_000), 25),
                  ((100_000, 500_000), 15), ((500_000, 2_000_000), 5)]


def near_threshold(rng):
    """45,000.00 up to 49,999.99: what WINDOW counts."""
    return rng.int(4_500_000, 4_999_999)


def planted(rng):
    """Transactions planted in some customers ((cents, ts, channel) triples): bursts, near misses,
    and the exact boundaries."""
    u = rng.percent()
    day = T0 + rng.int(0, 28) * DAY  # a midnight, with room for a second day after it
    start = day + rng.int(0, DAY - 1)
    if u < 4:  # 3 or 4 near-threshold cash transactions within 20 hours: WINDOW
        return [(near_threshold(rng), start + rng.int(0, 20 * HOUR), "cash") for _ in range(rng.pick([(3, 2), (4, 1)]))]
    if u < 7:  # only 2 of them within 23 hours
        return [(near_threshold(rng), start + rng.int(0, 23 * HOUR), "cash") for _ in range(2)]
    if u < 10:  # 3 of them, each 25 to 26 hours after the one before
        return [(near_threshold(rng), start + k * (25 * HOUR + rng.int(0, HOUR)), "cash") for k in range(3)]
    if u < 14:  # 3 to 6 medium cash transactions on one calendar day: a day total near 50,000
        return [(rng.int(900_000, 1_400_000), day + rng.int(0, DAY - 1), "cash") for _ in range(rng.int(3, 6))]
    if u < 16:  # one large cash transaction: DAY-TOTAL
        return [(rng.int(5_000_000, 9_000_000), start, "cash")]
    if u < 17:  # the contract's boundary: 45,000.00 at t, t+12 h, t+24 h (no WINDOW hit)
        return [(4_500_000, start + off, "cash") for off in (0, 12 * HOUR, 24 * HOUR)]
    if u < 18:  # the contract's boundary: 49,999.99 at t, t+40,000 s, t+86,399 s (a WINDOW hit)
        return [(4_999_999, start + off, "cash") for off in (0, 40_000, 86_399)]
    if u < 19:  # more boundaries, one kind each
        kind = rng.int(0, 3)
        if kind == 0:  # a cash day total of exactly 50,000.00 (a DAY-TOTAL hit)
            return [(2_499_999, day + 10, "cash"), (2_500_001, day + DAY - 1, "cash")]
        if kind == 1:  # the same two across midnight UTC: two days under 50,000 (no hit)
            return [(2_499_999, day + DAY - 1, "cash"), (2_500_001, day + DAY, "cash")]
        if kind == 2:  # 50,000.00 is not below 50,000: two near-threshold, no WINDOW hit
            return [(4_500_000, start, "cash"), (4_999_999, start + HOUR, "cash"), (5_000_000, start + 2 * HOUR, "cash")]
        # Near-threshold but not cash: neither rule counts them.
        return [(4_999_999, start + k * HOUR, rng.pick([("card", 1), ("wire", 1), ("ach", 1)])) for k in range(3)]
    return []


def customer(rng):
    n = rng.int(16, 24)
    txns = []
    for _ in range(n):
        channel = rng.pick(CHANNELS)
        lo, hi = rng.pick(EVERYDAY_BANDS)
        txns.append((rng.int(lo, hi - 1), T0 + rng.int(0, 30 * DAY), channel))
    extra = planted(rng)
    if extra:  # in place of the last everyday ones, so that the count stays 16 to 24
        txns = txns[: n - len(extra)] + extra
    txns.sort(key=lambda t: t[1])  # by time; a stable sort keeps ties in the order made
    return txns


def customer_line(txns):
    return '{"txns":[%s]}\n' % ",".join(
        '{"amount":%s,"ts":%d,"channel":"%s"}' % (money(cents), ts, channel) for cents, ts, channel in txns)


# ---- Files -----------------------------------------------------------------------------------

def write(path, lines):
    """Writes the lines to path (whole or not at all: through a temporary file) and returns
    their sha256."""
    digest = hashlib.sha256()
    part = path + ".part"
    with open(part, "w", encoding="ascii", newline="\n") as f:
        for line in lines:
            f.write(line)
            digest.update(line.encode("ascii"))
    os.replace(part, path)
    return digest.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--applicants", type=int, default=100_000)
    ap.add_argument("--customers", type=int, default=10_000)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data"))
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    if args.applicants < 0 or args.customers < 0:
        ap.error("counts must not be negative")
    os.makedirs(args.out, exist_ok=True)
    rng = SplitMix64(args.seed)
    a = write(os.path.join(args.out, "applicants.jsonl"), (applicant_line(applicant(rng)) for _ in range(args.applicants)))
    rng = SplitMix64(args.seed + 1)
    c = write(os.path.join(args.out, "customers.jsonl"), (customer_line(customer(rng)) for _ in range(args.customers)))
    print(f"applicants.jsonl sha256={a}")
    print(f"customers.jsonl  sha256={c}")


if __name__ == "__main__":
    main()
