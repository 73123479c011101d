#!/usr/bin/env python3
"""Writes cases.txt: rates of dated cash-flow schedules, checked against Python's decimal module.

An independent reference for Precept's `Finance` (Sources/Precept/Domain/Finance.swift): plain
bisection at 50 significant digits, with the same documented conventions but none of its tricks
(no daily-factor substitution, no Illinois steps, no 12-digit rounding).

Conventions reproduced here:
- flows on one date are netted; zero net flows are dropped;
- the unit period is p whole months (1 <= p <= 12) when the i-th distinct date lies within 3 days
  of first date + i*p calendar months (clamped to the month's end), for every i; then
  apr = periodic IRR * 12 / p;
- otherwise apr = irr, the effective annual rate with discount factor (1 + r) ** (days / 365).

Line kinds:
  schedule NAME UNIT APR IRR DATE:AMOUNT ...   UNIT is months=P or days
  pmt RATE PERIODS PRINCIPAL EXPECTED
  flatfee MONTHLY_FEE_RATE MONTHS EXPECTED

Run from anywhere: python3 generate.py  (stdlib only, deterministic).
"""
import calendar
import datetime
import decimal
import os
from decimal import Decimal

decimal.getcontext().prec = 50
ONE = Decimal(1)
Q12 = Decimal(1).scaleb(-12)
TOLERANCE_DAYS = 3


def add_months(date, months):
    total = date.year * 12 + date.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    day = min(date.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def net(flows):
    by_date = {}
    for date, amount in flows:
        by_date[date] = by_date.get(date, Decimal(0)) + amount
    return sorted((d, a) for d, a in by_date.items() if a != 0)


def unit_months(dates):
    """p when the distinct dates lie on a p-month grid from the first, else None."""
    first = dates[0]
    gap = (dates[1] - first).days
    p = round(Decimal(gap) / Decimal("30.436875"))
    if not 1 <= p <= 12:
        return None
    for i, date in enumerate(dates):
        if abs((date - add_months(first, i * p)).days) > TOLERANCE_DAYS:
            return None
    return p


def bisect(f, lo, hi):
    flo = f(lo)
    assert (flo < 0) != (f(hi) < 0), "no bracket"
    for _ in range(400):
        mid = (lo + hi) / 2
        fm = f(mid)
        if fm == 0:
            return mid
        if (fm < 0) == (flo < 0):
            lo, flo = mid, fm
        else:
            hi = mid
    return (lo + hi) / 2


def bracket_and_solve(f):
    grid = [Decimal(x) for x in ("0", "0.0001", "0.001", "0.01", "0.05", "0.1", "0.25", "0.5", "1", "2",
                                 "5", "10", "100", "1000")]
    for lo, hi in zip(grid, grid[1:]):
        if f(lo) == 0:
            return lo
        if (f(lo) < 0) != (f(hi) < 0):
            return bisect(f, lo, hi)
    neg = [Decimal(x) for x in ("0", "-0.0001", "-0.001", "-0.01", "-0.05", "-0.1", "-0.25", "-0.5",
                                "-0.75", "-0.9", "-0.99", "-0.999", "-0.999999")]
    for hi, lo in zip(neg, neg[1:]):
        if (f(lo) < 0) != (f(hi) < 0):
            return bisect(f, lo, hi)
    raise ValueError("no root")


def irr(flows):
    flows = net(flows)
    first = flows[0][0]
    def npv(r):
        return sum(a * (ONE + r) ** (-Decimal((d - first).days) / 365) for d, a in flows)
    return bracket_and_solve(npv)


def apr(flows):
    netted = net(flows)
    p = unit_months([d for d, _ in netted])
    if p is None:
        return "days", irr(flows)
    def npv(r):
        return sum(a * (ONE + r) ** (-i) for i, (_, a) in enumerate(netted))
    return "months=%d" % p, bracket_and_solve(npv) * 12 / p


def pmt(rate, periods, principal):
    if rate == 0:
        return principal / periods
    return principal * rate / (ONE - (ONE + rate) ** (-periods))


def flat_fee_apr(fee, months):
    """Principal 1 received, `months` instalments of 1/months + fee each."""
    instalment = ONE / months + fee
    def npv(r):
        return ONE - sum(instalment * (ONE + r) ** (-k) for k in range(1, months + 1))
    return bracket_and_solve(npv) * 12


def q(x):
    return str(x.quantize(Q12, rounding=decimal.ROUND_HALF_EVEN).normalize()) if x != 0 else "0"


def d(text):
    return datetime.date.fromisoformat(text)


def fmt(x):
    s = format(x.quantize(Q12, rounding=decimal.ROUND_HALF_EVEN).normalize(), "f")
    return s if s not in ("-0", "0E-12") else "0"


def instalment_loan(start, principal_received, principal, annual, months, extra=Decimal(0)):
    """Customer receives `principal_received` at `start`, pays the level instalment on `principal`
    (rounded to cents) plus `extra` for `months` months."""
    payment = pmt(annual / 12, months, principal).quantize(Decimal("0.01"), rounding=decimal.ROUND_HALF_EVEN)
    flows = [(d(start), principal_received)]
    for k in range(1, months + 1):
        flows.append((add_months(d(start), k), -(payment + extra)))
    return flows


def monthly(start, amounts):
    return [(add_months(d(start), k), Decimal(a)) for k, a in enumerate(amounts)]


SCHEDULES = [
    ("loan-17.9", instalment_loan("2025-01-15", Decimal(10000), Decimal(10000), Decimal("0.179"), 12)),
    ("loan-17.9-fee-300", instalment_loan("2025-01-15", Decimal(9700), Decimal(10000), Decimal("0.179"), 12)),
    ("loan-17.9-monthly-fee-20",
     instalment_loan("2025-01-15", Decimal(10000), Decimal(10000), Decimal("0.179"), 12, Decimal(20))),
    ("car-36-month-end", instalment_loan("2024-01-31", Decimal(150000), Decimal(150000), Decimal("0.045"), 36)),
    ("mortgage-360", instalment_loan("2023-03-31", Decimal(1000000), Decimal(1000000), Decimal("0.042"), 360)),
    ("bullet-1y", [(d("2024-03-01"), Decimal(10000)), (d("2025-03-01"), Decimal(-10800))]),
    ("bullet-6m", [(d("2024-01-10"), Decimal(10000)), (d("2024-07-10"), Decimal(-10500))]),
    ("quarterly-2y", [(d("2024-02-29"), Decimal(20000))]
     + [(add_months(d("2024-02-29"), 3 * k), Decimal(-2750)) for k in range(1, 9)]),
    ("weekend-shifted", [(d("2025-03-03"), Decimal(5000)), (d("2025-04-03"), Decimal(-1710)),
                         (d("2025-05-05"), Decimal(-1710)), (d("2025-06-03"), Decimal(-1710))]),
    ("irregular-first-45d", [(d("2025-01-01"), Decimal(6000)), (d("2025-02-15"), Decimal(-2100)),
                             (d("2025-03-15"), Decimal(-2100)), (d("2025-04-15"), Decimal(-2100))]),
    ("payday-14d", [(d("2025-06-01"), Decimal(1000)), (d("2025-06-15"), Decimal(-1150))]),
    ("deposit-negative", [(d("2023-05-20"), Decimal(-1000)), (d("2024-05-20"), Decimal(950))]),
    ("investor-side", [(d("2022-01-01"), Decimal("-1000"))]
     + [(add_months(d("2022-01-01"), k), Decimal("25.5")) for k in range(1, 24)]
     + [(add_months(d("2022-01-01"), 24), Decimal("1025.5"))]),
    ("same-day-fee-unsorted", [(d("2025-09-30"), Decimal("-3400.25")), (d("2025-07-31"), Decimal("-3400.25")),
                               (d("2025-06-30"), Decimal(10000)), (d("2025-06-30"), Decimal(-150)),
                               (d("2025-08-31"), Decimal("-3400.25"))]),
    ("five-year-bullet", [(d("2020-01-01"), Decimal(100000)), (d("2025-01-01"), Decimal(-150000))]),
    ("every-30-days", [(d("2025-01-01"), Decimal(12000))]
     + [(d("2025-01-01") + datetime.timedelta(days=30 * k), Decimal(-1100)) for k in range(1, 13)]),
    ("zero-rate", monthly("2025-01-01", [1200] + [-100] * 12)),
]

PMTS = [("0.014916666667", 12, "10000"), ("0", 12, "10000"), ("0.0035", 360, "1000000"),
        ("0.01", 1, "500"), ("0.05", 30, "-2500.5"), ("0.000001", 600, "123456.78")]

FLAT_FEES = [("0.006", 12), ("0.005", 24), ("0.0075", 6), ("0.003", 36), ("0", 12), ("0.02", 1)]


def main():
    lines = []
    for name, flows in SCHEDULES:
        unit, a = apr(flows)
        r = irr(flows)
        cells = " ".join("%s:%s" % (dt.isoformat(), fmt(amount)) for dt, amount in flows)
        lines.append("schedule %s %s %s %s %s" % (name, unit, fmt(a), fmt(r), cells))
    for rate, periods, principal in PMTS:
        lines.append("pmt %s %d %s %s" % (rate, periods, principal, fmt(pmt(Decimal(rate), periods, Decimal(principal)))))
    for fee, months in FLAT_FEES:
        lines.append("flatfee %s %d %s" % (fee, months, fmt(flat_fee_apr(Decimal(fee), months))))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.txt")
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
