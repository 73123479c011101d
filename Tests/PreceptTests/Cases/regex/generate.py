#!/usr/bin/env python3
"""Writes cases.txt: Precept patterns checked against Python's re.search.

Each line is a JSON array [pattern, text, start, end], or [pattern, text, null, null] when re.search finds
nothing. start/end are offsets in code points, which are Unicode scalars for these texts, so they compare
directly with Pattern.firstMatch. Both engines are leftmost-first, so the spans must agree exactly.

Precept syntax differs from Python's in a few documented places; `to_python` rewrites a pattern so Python
means what Precept means:
  - \\d and \\D are ASCII-only in Precept (Python's str \\d also takes fullwidth digits such as ５),
  - \\u{4e00} is written \\U00004e00 in Python, and \\z is Python's \\Z.
Texts never end in a newline, where Python's $ would also match before it and Precept's would not.

The first part is a hand-written table of compliance-style patterns; the second is random patterns over a
small alphabet (a, b, 保, 本) with a fixed seed, to shake out differences in quantifier and alternation
priority. Run from anywhere: python3 generate.py  (stdlib only, reproducible).
"""
import json
import os
import random
import re

TABLE = [
    # (pattern, [texts])
    ("^[0-9]{6}$", ["123456", "12345", "1234567", "a23456", "", "１２３４５６"]),
    ("(保本|保收益)", ["本产品保本保息", "承诺保收益", "保证收益", "保 本", "保本"]),
    ("\\d+%", ["年化收益率4.5%", "收益率 12 %", "100%保本", "百分之五", "５%"]),
    ("(?i)guaranteed\\s+return", ["Guaranteed   Return!", "GUARANTEED\tRETURN", "guaranteedreturn",
                                  "non-guaranteed returns", "guaranteed\u3000return"]),
    ("[\\u4e00-\\u9fff]+", ["abc保本def", "abc", "２０２４年", "ＡＢＣ"]),
    ("[\\u{4e00}-\\u{9fff}]{2,4}", ["a保本保收益b", "保", "abc"]),
    ("\\bAPR\\b", ["The APR is 17.9%", "APRIL", "年化APR为", "(APR)", "APR"]),
    ("\\Brisk\\B", ["norisky", "risk", "at-risk-free", "brisky"]),
    ("a.c", ["abc", "a\nc", "a保c", "ac"]),
    ("^$", ["", "a"]),
    ("^", ["", "abc"]),
    ("$", ["", "abc"]),
    ("", ["", "abc"]),
    ("x*", ["", "yyy", "xxyxx"]),
    ("(a|ab)(c|bcd)(d*)", ["abcd", "abcbcd"]),
    ("(a+|b+)*c", ["aabbac", "ababab", "c"]),
    ("a{3}", ["aa", "aaa", "aaaaaaa"]),
    ("a{2,}", ["a", "aa", "baaaab"]),
    ("a{,2}b", ["aaab", "b", "xb"]),
    ("a{2,3}?", ["aaaa"]),
    ("a+?b", ["aaab", "xab"]),
    ("<.*>", ["<a><b>", "x<>y"]),
    ("<.*?>", ["<a><b>", "x<>y"]),
    ("(?:ab)+", ["ababab", "aba", "b"]),
    ("[^0-9]+", ["123abc456", "123"]),
    ("[\\d.,]+", ["合计1,234.56元", "无"]),
    ("[-a]+", ["--a-b", "b"]),
    ("[a-]+", ["--a-b"]),
    ("[]a]+", ["x]a]y"]),
    ("[^]a]+", ["]]xy"]),
    ("\\w+", ["你好 world_1", "   ", "①②③", "١٢٣"]),
    ("\\W+", ["你好，world！", "abc"]),
    ("\\s+", ["a \t b", "全角\u3000空格", "none"]),
    ("\\S+", ["  保本  ", "   "]),
    ("\\D+", ["12ab34", "1234"]),
    ("(?i)[a-z]+", ["ABC def", "123"]),
    ("(?i)[^a-z]+", ["ABC123def"]),
    ("(?i)ÉTÉ", ["un été chaud", "UN ÉTÉ"]),
    ("(?i)保本", ["保本产品"]),
    ("年化收益率?\\s*[:：]?\\s*\\d+(\\.\\d+)?%", ["年化收益率：4.35%", "年化收益 3%", "年化收益率"]),
    ("(无风险|零风险|稳赚|稳赚不赔)", ["本产品稳赚不赔", "风险自担", "零风险投资"]),
    ("(稳赚|稳赚不赔)", ["稳赚不赔"]),
    ("(稳赚不赔|稳赚)", ["稳赚不赔"]),
    ("^\\s*$", ["   ", "", " a "]),
    ("\\$\\d+(\\.\\d{2})?", ["costs $12.50 today", "$5", "$.50"]),
    ("\\(\\d{3}\\)\\s?\\d{3}-\\d{4}", ["call (555) 123-4567 now", "555-123-4567"]),
    ("a|b|", ["c", "b"]),
    ("(|a)+", ["aaa"]),
    ("(a|)+", ["aaa"]),
    ("(a*)+b", ["aaab", "aaa"]),
    ("(a*)*b", ["aaab", "ccc"]),
    ("(a|a)*b", ["aab", "aa"]),
    # Loops whose body can match nothing: an empty iteration ends the loop, as in a backtracking engine.
    ("(?:(b?|本|[^a]))+", ["b本b保本aa本b"]),
    ("(?:x??)*", ["xx"]),
    ("(?:(?:|a)b?)*", ["aab"]),
    ("(?:a??){0,3}", ["aaa"]),
    ("(?:a??){2,}", ["aaa"]),
    ("(?:a??)*?b", ["aab"]),
    ("\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\\\/\\-", [".*+?()[]{}|^$\\/-", "x"]),
    ("\\x41\\u0042\\U00000043", ["xABCx", "abc"]),
    ("\\t\\n", ["a\t\nb", "tn"]),
    ("colou?r", ["color", "colour", "colouur"]),
    ("^(?:[A-Z]{3})\\s\\d{1,3}(,\\d{3})*(\\.\\d+)?$", ["CNY 1,000,000.00", "CNY 1000", "cny 1"]),
    ("保.{0,5}收益", ["保证您的高额收益", "保本收益", "保证让您获得非常高的收益"]),
    ("\\b\\d{4}\\b", ["year 2024 now", "12345", "2024年"]),
    ("\\d\\z", ["abc1", "1a"]),
]

ALPHABET = ["a", "b", "保", "本"]


def to_python(pattern):
    """Rewrites Precept-only spellings into Python's; see the module docstring."""
    out = []
    i = 0
    in_class = False
    class_start = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            e = pattern[i + 1]
            if e == "d":
                out.append("0-9" if in_class else "[0-9]")
            elif e == "D":
                if in_class:
                    raise ValueError("\\D inside a class has no Python spelling here: " + pattern)
                out.append("[^0-9]")
            elif e == "z":
                out.append("\\Z")
            elif e == "u" and i + 2 < len(pattern) and pattern[i + 2] == "{":
                close = pattern.index("}", i)
                out.append("\\U%08x" % int(pattern[i + 3:close], 16))
                i = close + 1
                continue
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if c == "]" and i > class_start:
                in_class = False
        elif c == "[":
            in_class = True
            class_start = i + 1
            if i + 1 < len(pattern) and pattern[i + 1] == "^":
                class_start += 1
        out.append(c)
        i += 1
    return "".join(out)


def random_pattern(rng, depth=0):
    """A small random regex over ALPHABET using every operator Precept shares with Python."""
    kind = rng.random()
    if depth > 2 or kind < 0.35:
        atom = rng.choice(ALPHABET + ALPHABET + [".", "[ab]", "[^a]", "[保本]", "\\w", "^", "$", "\\b"])
        return atom
    if kind < 0.6:
        return "".join(random_pattern(rng, depth + 1) for _ in range(rng.randint(2, 3)))
    if kind < 0.75:
        # Empty branches make loop bodies that can match nothing, where engines most easily disagree.
        branches = [random_pattern(rng, depth + 1) if rng.random() < 0.8 else "" for _ in range(rng.randint(2, 3))]
        return "(" + "|".join(branches) + ")"
    inner = random_pattern(rng, depth + 1)
    # Only a single consuming atom can take a quantifier directly; anything else is grouped first.
    if inner in ("^", "$", "\\b") or inner not in ALPHABET + [".", "[ab]", "[^a]", "[保本]", "\\w"]:
        inner = "(?:" + inner + ")"
    quantifier = rng.choice(["*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}", "*?", "+?", "??", "{1,2}?"])
    return inner + quantifier


def random_text(rng):
    return "".join(rng.choice(ALPHABET + [" "]) for _ in range(rng.randint(0, 10)))


def main():
    rng = random.Random(20260315)
    cases = []
    for pattern, texts in TABLE:
        for text in texts:
            cases.append((pattern, text))
    for _ in range(1000):
        pattern = random_pattern(rng)
        for _ in range(3):
            cases.append((pattern, random_text(rng)))
    lines = []
    for pattern, text in cases:
        assert not text.endswith("\n"), text
        match = re.search(to_python(pattern), text)
        span = [match.start(), match.end()] if match else [None, None]
        lines.append(json.dumps([pattern, text] + span, ensure_ascii=False))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.txt")
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    print(f"wrote {len(lines)} cases to {path}")


if __name__ == "__main__":
    main()
