#!/usr/bin/env python3
"""Writes cases.txt: rates of dated cash-flow schedules, checked against Python's decimal module.

An independent reference for Precept's `Finance` (Sources/Precept/Domain/Finance.swift): plain
bisection at 50 significant digits, with the same documented conventions but none of its tricks
(no daily-factor substitution, no Illinois steps, no 12-digit rounding).

Conventions reproduced here (docs/apr.md):
- flows on one date are netted; zero net flows are dropped;
- apr is Regulation Z Appendix J's actuarial rate: the unit period from the dates (b)(4), each flow's
  time as whole unit periods t plus a fraction f (b)(5), the periodic rate i solving
  sum(a / ((1 + f*i) * (1 + i)**t)) = 0 (b)(8), times the unit periods in a year (b)(1); payments within
  min(3, unit days / 7) days of the grid from the first payment count on it;
- irr is the effective annual rate with discount factor (1 + r) ** (days / 365).

Line kinds:
  schedule NAME UNIT APR IRR DATE:AMOUNT ...   UNIT as "1-month", "2-weeks", "semimonth", "255-days"
  pmt RATE PERIODS PRINCIPAL EXPECTED
  flatfee MONTHLY_FEE_RATE MONTHS EXPECTED

Run from anywhere: python3 generate.py  (stdlib only, deterministic).
"""
import calendar
import datetime
import decimal
import os
from decimal import Decimal
from fractions import Fraction

decimal.getcontext().prec = 50
ONE = Decimal(1)
Q12 = Decimal(1).scaleb(-12)


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


def last_day(date):
    return calendar.monthrange(date.year, date.month)[1] == date.day


def shifted(date, months, month_end):
    moved = add_months(date, months)
    if month_end:
        moved = moved.replace(day=calendar.monthrange(moved.year, moved.month)[1])
    return moved


def months_back(date, start, month_end):
    """(b)(5)(ii): whole months counted back from `date` staying on or after `start`, and the days left."""
    m = max(0, (date.year - start.year) * 12 + date.month - start.month)
    if m > 0 and shifted(start, m, month_end and last_day(start)) == date:
        return m, 0  # (b)(3)(iv): the last day of February is a month after the 29th-31st
    while m > 0 and shifted(date, -m, month_end and last_day(date)) < start:
        m -= 1
    return m, (shifted(date, -m, month_end and last_day(date)) - start).days


# A unit: (kind, n) with kind in days, weeks, semimonth, months; its nominal length in days.
def length(unit):
    kind, n = unit
    return {"days": Fraction(n), "weeks": Fraction(7 * n), "semimonth": Fraction(365, 24),
            "months": Fraction(365 * n, 12)}[kind]


def per_year(unit):
    kind, n = unit
    return {"days": Fraction(365, n), "weeks": Fraction(52, n), "semimonth": Fraction(24),
            "months": Fraction(12, n)}[kind]


def tolerance(unit):
    return 0 if unit[0] == "days" else min(3, int(length(unit) // 7))


def name(unit):
    kind, n = unit
    if kind == "semimonth":
        return "semimonth"
    return "%d-%s%s" % (n, kind[:-1], "" if n == 1 else "s")


def time(unit, start, date, month_end):
    """(t, f) from start to date, f a Fraction below 1."""
    kind, n = unit
    if kind in ("days", "weeks"):
        per = n if kind == "days" else 7 * n
        total = Fraction((date - start).days, per)
    else:
        m, days = months_back(date, start, month_end)
        if unit == ("months", 12):
            years = m // 12
            if days == 0:
                total = years + Fraction(m % 12, 12)
            else:
                back = shifted(date, -12 * years, month_end and last_day(date))
                total = years + Fraction((back - start).days, 365)
        else:
            total = Fraction(30 * m + days, 15 if kind == "semimonth" else 30 * n)
    t = total.numerator // total.denominator
    return t, total - t


class Grid:
    def __init__(self, unit, anchor, nxt):
        self.unit, self.anchor = unit, anchor
        self.second = nxt if nxt is not None and 11 <= (nxt - anchor).days <= 20 else anchor + datetime.timedelta(days=15)
        self.month_end = last_day(anchor) and (nxt is None or last_day(nxt))

    def point(self, j):
        kind, n = self.unit
        if kind in ("days", "weeks"):
            return self.anchor + datetime.timedelta(days=j * (n if kind == "days" else 7 * n))
        if kind == "months":
            return shifted(self.anchor, n * j, self.month_end)
        if j % 2 == 0:
            return shifted(self.anchor, j // 2, self.month_end)
        return shifted(self.second, (j - 1) // 2, self.month_end and last_day(self.second))

    def index(self, date):
        """(j, days off) of the nearest grid point within tolerance, searched over every j near the date."""
        guess = round(Fraction((date - self.anchor).days) / length(self.unit))
        hits = [(abs((self.point(j) - date).days), j) for j in range(guess - 2, guess + 3)]
        off, j = min(hits)
        return (j, off) if off <= tolerance(self.unit) else None


STANDARD = [("days", 1), ("semimonth", 1)] + [("weeks", k) for k in range(1, 53)] + [("months", k) for k in range(1, 13)]


def unit_of(dates, same_side):
    start = dates[0]
    if len(dates) == 2:
        m, days = months_back(dates[1], start, last_day(start) and last_day(dates[1]))
        if m >= 12:
            return ("months", 12), None
        if days == 0 and m >= 1:
            return ("months", m), None
        return ("days", (dates[1] - start).days), None
    payments = [i for i in range(1, len(dates)) if not same_side[i]] or list(range(1, len(dates)))
    advances = [i for i in range(len(dates)) if same_side[i]]
    periods = [(0, payments[0])] + list(zip(payments, payments[1:]))
    periods += [(a, b) for a, b in zip(advances, advances[1:]) if (a, b) != (0, payments[0])]
    nxt = dates[payments[1]] if len(payments) > 1 else None
    # Every standard interval and every recurring whole-day period is a candidate (the Swift code tries a few).
    lengths = [(dates[b] - dates[a]).days for a, b in periods]
    candidates = list(STANDARD) + [("days", n) for n in set(lengths) if n % 7 and lengths.count(n) >= 2 and n <= 366]
    ranked = []
    for unit in candidates:
        grid = Grid(unit, dates[payments[0]], nxt)
        idx = [grid.index(d) for d in dates]
        joined = [(a, b) for a, b in periods if idx[a] and idx[b] and idx[b][0] == idx[a][0] + 1]
        ranked.append((-len(joined), sum(idx[a][1] + idx[b][1] for a, b in joined), length(unit), unit))
    ranked.sort()
    if -ranked[0][0] >= 2:
        unit = ranked[0][3]
    else:
        average = Fraction(sum(lengths), len(lengths))
        unit = min(STANDARD, key=lambda u: (abs(length(u) - average), length(u)))
    return unit, Grid(unit, dates[payments[0]], nxt)


def appendix_j(flows):
    """(unit name, APR) of netted flows."""
    dates = [d for d, _ in flows]
    first_negative = flows[0][1] < 0
    unit, grid = unit_of(dates, [(a < 0) == first_negative for _, a in flows])
    start = dates[0]
    times = [(0, Fraction(0))]
    if grid is None:
        times.append(time(unit, start, dates[1], False))
    else:
        anchor_t, anchor_f = time(unit, start, grid.anchor, grid.month_end)
        for date in dates[1:]:
            hit = grid.index(date)
            if hit is not None and hit[0] >= 0:
                times.append((anchor_t + hit[0], anchor_f))
            else:
                times.append(time(unit, start, date, grid.month_end))
    def npv(i):
        return sum(a / ((ONE + Decimal(f.numerator) / Decimal(f.denominator) * i) * (ONE + i) ** t)
                   for (_, a), (t, f) in zip(flows, times))
    py = per_year(unit)
    return name(unit), bracket_and_solve(npv) * Decimal(py.numerator) / Decimal(py.denominator)


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
    return appendix_j(net(flows))


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


def every_days(start, received, first, step, count, payment):
    """`received` on `start`, then `count` payments of `payment` every `step` days from `first`."""
    return [(d(start), Decimal(received))] + [
        (d(first) + datetime.timedelta(days=step * k), -Decimal(payment)) for k in range(count)]


def month_end(year, month):
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


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
    # One schedule per frequency, each with an odd first period (Appendix J (b)(4)-(5)).
    ("weekly-26", every_days("2025-03-03", 3000, "2025-03-12", 7, 26, "121.50")),
    ("biweekly-26", every_days("2025-03-03", 3000, "2025-03-14", 14, 26, "124.80")),
    ("four-weekly-13", every_days("2025-03-03", 3000, "2025-04-07", 28, 13, "251.00")),
    ("semimonthly-1st-16th", [(d("2025-01-20"), Decimal(4000))]
     + sorted([(add_months(d("2025-02-01"), k), Decimal("-177.30")) for k in range(12)]
              + [(add_months(d("2025-02-16"), k), Decimal("-177.30")) for k in range(12)])),
    ("semimonthly-15th-last", [(d("2025-01-10"), Decimal(2400))]
     + sorted([(add_months(d("2025-01-15"), k), Decimal("-105")) for k in range(12)]
              + [(month_end(2025, 1 + k), Decimal("-105")) for k in range(12)])),
    ("monthly-odd-first-20d", [(d("2025-01-11"), Decimal(6000))]
     + [(add_months(d("2025-02-01"), k), Decimal("-540")) for k in range(12)]),
    ("quarterly-odd-first", [(d("2025-01-20"), Decimal(20000))]
     + [(add_months(d("2025-05-01"), 3 * k), Decimal("-2690")) for k in range(8)]),
    ("semiannual-4", [(d("2025-01-01"), Decimal(10000))]
     + [(add_months(d("2025-07-01"), 6 * k), Decimal("-2800")) for k in range(4)]),
    ("annual-3-odd-first", [(d("2025-01-01"), Decimal(10000))]
     + [(add_months(d("2026-03-01"), 12 * k), Decimal("-4100")) for k in range(3)]),
    ("single-payment-45d", [(d("2025-05-01"), Decimal(500)), (d("2025-06-15"), Decimal(-530))]),
    ("two-advances-monthly", [(d("2025-01-01"), Decimal(5000)), (d("2025-04-01"), Decimal(5000))]
     + [(add_months(d("2025-02-01"), k), Decimal("-900")) for k in range(12)]),
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
