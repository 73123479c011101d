#!/usr/bin/env python3
"""Writes cases.txt: random Fixed arithmetic checked against Python's decimal module.

Each line is `op a b expected`, op in add sub mul div. Operands have 0-12 decimal places and
magnitudes from tiny to near the Fixed limit (Int128.max units of 1e-12). `expected` is the exact
result at high precision, quantized to 12 places with ROUND_HALF_EVEN and written canonically
(no trailing zeros, no exponent), or `overflow` / `divzero`.

Run from anywhere: python3 generate.py  (stdlib only, fixed seed, so the output is reproducible).
"""
import decimal
import os
import random
from decimal import Decimal

MAX_UNITS = 2**127 - 1  # Fixed's range is symmetric: |units| <= Int128.max
SCALE = Decimal(1).scaleb(-12)
CASES_PER_OP = 750

decimal.getcontext().prec = 200
decimal.getcontext().rounding = decimal.ROUND_HALF_EVEN
rng = random.Random(20260101)


def random_operand():
    """A decimal with 0-12 places whose magnitude is spread over the whole range."""
    kind = rng.random()
    places = rng.randint(0, 12)
    if kind < 0.05:
        units = rng.choice([0, 1, 10**12, MAX_UNITS, MAX_UNITS - 1, 5 * 10**11])
        places = 12
        value = Decimal(units).scaleb(-12)
    else:
        int_digits = rng.choice([0, 1, 1, 2, 3, 4, 5, 6, 8, 10, 13, 16, 19, 20, 22, 24, 26, 27])
        digits = int_digits + places
        if digits == 0:
            return Decimal(0)
        units = rng.randint(0, 10**digits - 1)
        value = Decimal(units).scaleb(-places)
        if value * 10**12 > MAX_UNITS:
            value = Decimal(rng.randint(0, MAX_UNITS)).scaleb(-12).quantize(Decimal(1).scaleb(-places), rounding=decimal.ROUND_DOWN)
    return -value if rng.random() < 0.4 else value


def text(value):
    """Plain decimal notation, canonical: no exponent, no trailing zeros, no negative zero."""
    s = format(value, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def expected(op, a, b):
    if op == "add":
        exact = a + b
    elif op == "sub":
        exact = a - b
    elif op == "mul":
        exact = a * b
    else:
        if b == 0:
            return "divzero"
        exact = a / b
    result = exact.quantize(SCALE, rounding=decimal.ROUND_HALF_EVEN)
    if abs(result) * 10**12 > MAX_UNITS:
        return "overflow"
    return text(result)


def main():
    lines = []
    for op in ("add", "sub", "mul", "div"):
        for i in range(CASES_PER_OP):
            a, b = random_operand(), random_operand()
            if op == "div" and i % 50 == 0:
                b = Decimal(0)
            if op in ("mul", "div") and i % 7 == 0:
                # Small factors and ties: rates, shares, halves.
                b = Decimal(rng.choice(["0.5", "-0.5", "0.179", "3", "7", "0.000000000001", "1.5", "2.5"]))
            lines.append(f"{op} {text(a)} {text(b)} {expected(op, a, b)}")
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "cases.txt"), "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
