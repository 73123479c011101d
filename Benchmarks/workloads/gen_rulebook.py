#!/usr/bin/env python3
"""Writes a large, clean rulebook for timing `precept lint` and compilation.

  python3 Benchmarks/workloads/gen_rulebook.py --rules 1000 > /tmp/big.yaml

Deterministic: the same --rules gives the same file. Every rule reads real facts, so the
checker does the full work (name resolution, types, messages, lint passes).
"""
import argparse

p = argparse.ArgumentParser()
p.add_argument("--rules", type=int, default=1000)
n = p.parse_args().rules

fields = 50
print("precept: 1\nrulebook: bench.large\nversion: 1.0.0\nschema:\n  applicant:")
for i in range(fields):
    print(f"    f{i}: int")
print("    income: money\n    debt: money\n    status: enum(employed, self_employed, retired, student)")
print("    txns: 'list(record(amount: money, at: datetime, channel: text))'")
print("lists:\n  bad_channels: [offshore, unknown, shell]")
print("definitions:\n  dti: applicant.debt / applicant.income")
print("rules:")
for r in range(n):
    a, b = r % fields, (r * 7 + 3) % fields
    kind = r % 5
    if kind == 0:
        cond = f"applicant.f{a} + applicant.f{b} <= {r + 100}"
    elif kind == 1:
        cond = f"dti <= {r % 60 + 10}.{r:04d}% or applicant.status in [retired, student]"
    elif kind == 2:
        cond = f"applicant.f{a} between {r % 10} and {r + 500}"
    elif kind == 3:
        cond = f"'none t in applicant.txns: t.channel in bad_channels and t.amount >= {r * 10 + 1000} CNY'"
    else:
        cond = f"if applicant.status == employed then applicant.f{a} > {r} else applicant.f{b} >= {r}"
    print(f"  - id: R{r:04d}\n    title: generated rule {r}\n    category: eligibility\n    owner: risk\n"
          f"    severity: review\n    require: {cond}\n    message: \"值 {{applicant.f{a}}} 不符合第 {r} 条\"")
