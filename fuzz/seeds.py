#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/corpus/TARGET from the shipped rulebooks, examples, the
grammar's examples and hostile inputs like those of Tests/PreceptTests/HostileRulebookTests.swift
and .ci/cli-hostile. Run it from anywhere after changing those; commit what it writes.
Needs PyYAML (to turn YAML examples into JSON lines)."""
import hashlib, json, os, random, re, shutil, sys, datetime
import yaml

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(here)
corpus = os.path.join(here, "corpus")


def files(pattern_dir, suffix):
    d = os.path.join(repo, pattern_dir)
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(suffix))


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(target, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def plain(value):
    """A YAML value as JSON can hold it (dates as their text)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


for t in ["yaml-rulebook", "expression", "facts-json-line", "facts-tree", "evaluate"]:
    shutil.rmtree(os.path.join(corpus, t), ignore_errors=True)

# --- yaml-rulebook: whole shipped rulebooks, each rule on its own, hostile files -------------
rulebooks = files("rulebooks/cn", ".yaml") + files("rulebooks/common", ".yaml")
for path in rulebooks:
    write("yaml-rulebook", os.path.basename(path), read(path))
for path in files("rulebooks/cn", ".yaml"):
    text = read(path).decode("utf-8")
    head, _, rest = text.partition("\nrules:\n")
    body = rest.split("\ntests:\n")[0]
    rules = re.split(r"\n(?=  - id: )", body)
    for i, rule in enumerate(rules[:6]):
        if rule.strip():
            write("yaml-rulebook", f"{os.path.basename(path)[:-5]}-rule{i}.yaml", head + "\nrules:\n" + rule.rstrip() + "\n")

header = "precept: 1\nrulebook: t.hostile\nschema:\n  applicant: { age: int }\n\n"
rule = lambda cond: "rules:\n  - id: R1\n    severity: review\n    require: |-\n" + "".join("      " + l + "\n" for l in cond.split("\n"))
chain = lambda n: header + "definitions:\n" + "".join(f"  d{k}: d{k + 1} + 1\n" for k in range(n - 1)) + f"  d{n - 1}: applicant.age\n" + rule("d0 > 0")
hostile = {
    "chain-127.yaml": chain(127),
    "chain-cycle.yaml": header + "definitions:\n  a: b + 1\n  b: c + 1\n  c: a + 1\n" + rule("a > 0"),
    "deep-parens.yaml": header + rule("(" * 300 + "1" + ")" * 300 + " > 0"),
    "long-sum.yaml": header + rule(" + ".join(["applicant.age"] * 300) + " > 0"),
    "deep-yaml.yaml": "precept: 1\nrulebook: t.deep\nschema: " + "[" * 250 + "]" * 250 + "\n",
    "deep-record.yaml": "precept: 1\nrulebook: t.deep\nschema:\n  a: " + "record(x: " * 40 + "int" + ")" * 40 + "\nrules:\n  - id: R1\n    flag: true\n",
    "anchor.yaml": "precept: 1\nrulebook: t.anchor\nschema: &s\n  a: { n: int }\nlists: *s\n",
    "two-docs.yaml": "precept: 1\nrulebook: t.two\n---\nprecept: 1\n",
    "forgot-precept.yaml": "rulebook: x.forgot\nrules: []\n",
    "duplicate-keys.yaml": "precept: 1\nprecept: 2\nrulebook: t.dup\nrules:\n  - id: R1\n    id: R2\n    flag: true\n",
    "tabs-and-bom.yaml": "\ufeffprecept: 1\nrulebook: t.tab\nrules:\n\t- id: R1\n",
    "full-width.yaml": header + rule("applicant.age （ 1 ）＝ 2，3"),
    "block-scalars.yaml": header + "definitions:\n  x: >-\n    applicant.age\n    + 1\n  y: |+\n    x * 2\n\n" + rule("y > x"),
    "imports.yaml": "precept: 1\nrulebook: t.imports\nimports:\n  - { path: ../common/cn-lists.yaml, as: cn }\n  - { path: ../common/product-schema.yaml, as: p }\n  - { path: ../../etc/passwd, as: x }\n  - { path: ../common/cn-lists.yaml, as: cn }\nrules:\n  - id: R1\n    forbid: product.name contains any cn.prohibited_claims\n",
    "table-every-cell.yaml": header + "tables:\n  t:\n    hit: unique\n    inputs: [applicant.age]\n    rows:\n      - [\"-\", 1]\n      - [\"<= 12\", 2]\n      - [\"[1..5], 9, > 100\", 3]\n      - [\"not([18..60))\", 4]\n      - [\"(0..1]\", 5]\n" + rule("t > 1"),
    "tests.yaml": header + rule("applicant.age >= 18") + "tests:\n  - name: adult\n    facts: { applicant: { age: 30 } }\n    expect: { passed: [R1] }\n  - name: file\n    file: ../../../etc/passwd\n    expect: { outcome: pass }\n",
    "empty.yaml": "",
    "null-bytes.yaml": "precept: 1\x00\nrulebook: t.nul\n",
}
for name, text in hostile.items():
    write("yaml-rulebook", name, text)

# --- expression: the grammar's examples and every expression of the shipped rulebooks --------
grammar = read(os.path.join(repo, "grammar/precept.ebnf")).decode("utf-8")
examples = re.findall(r"\(\* example: (.*) \*\)", grammar)
for i, e in enumerate(examples):
    write("expression", f"grammar-{i:02}", e)
seen = set()
for path in files("rulebooks/cn", ".yaml"):
    doc = yaml.safe_load(read(path))
    exprs = list((doc.get("definitions") or {}).values())
    for r in doc.get("rules") or []:
        exprs += [r[k] for k in ("when", "require", "forbid", "flag") if k in r]
    for e in exprs:
        e = str(e).strip()
        if e not in seen and len(e) < 400:
            seen.add(e)
for i, e in enumerate(sorted(seen)[:40]):
    write("expression", f"shipped-{i:02}", e)
for i, e in enumerate([
    "(" * 300 + "1" + ")" * 300, "- " * 300 + "1", "a" + ".b" * 300, "not " * 300 + "x",
    '"unclosed', "1__2 + 1_a", "2026-02-30 + 1y6", "2026-01-01T09:30", "1y6 + 1ms", "\\u{110000}",
    "a = b", "a ! b", "a & b | c", "（1，2）", "a < b < c", "f(a:, :b)", "[,]", "x between 1", "\x00\x01\x7f",
]):
    write("expression", f"hostile-{i:02}", e)

# --- facts: the examples as files and as lines, the transaction stream, broken lines ---------
facts_yaml = files("examples/products", ".yaml") + files("examples/applicants", ".yaml")
lines = []
for path in facts_yaml:
    write("facts-tree", os.path.basename(path), read(path))
    line = json.dumps(plain(yaml.safe_load(read(path))), ensure_ascii=False)
    lines.append(line)
    write("facts-tree", os.path.basename(path)[:-5] + ".json", line + "\n")
stream = read(os.path.join(repo, "examples/transactions/stream.jsonl")).decode("utf-8").splitlines()
lines += stream
for i, line in enumerate(lines):
    write("facts-json-line", f"example-{i:02}", line)
write("facts-json-line", "stream-all", "\n".join(stream[:4]) + "\n")
broken = [
    '{"customer": {"id": "half', '\n{"prodcut": {}}\n\n{"customer": {"id": "x",}}\n   \n',
    '{"a":{"n":09}}', '{"product":{"stage":"aproval"}}', '{"product":{"stage":{"x":1}}}', '{"product":{"stage":null}}',
    '{"applicant":{"birth_date":"2026-02-30"}}', '{"customer":{"id":"x"}} {}', '{"customer":{"id":"\\ud800"}}',
    '{"customer":{"id":"x","id":"y"}}', "[" * 500 + "]" * 500, '{"x":' * 300 + "1" + "}" * 300,
    '{"product":{"kind":"consumer_loan","pricing":{"apr":1e27}}}', '{"customer":{"transactions":[{"amount":"1e3 CNY"}]}}',
    'null', '"product"', '{}', '\r\n{"product":{}}\r\n',
]
for i, line in enumerate(broken):
    write("facts-json-line", f"hostile-{i:02}", line)
    write("facts-tree", f"hostile-{i:02}.json", line)
for i, text in enumerate([
    "product:\n  id: P-1\n", "product: &a {}\napplicant: *a\n", "- 1\n- 2\n", "product:\n  stage: aproval\n",
    "applicant:\n  birth_date: 2026-02-30\n  monthly_income: 1e3 CNY\n", "a: " + "[" * 300 + "]" * 300 + "\n",
    "customer:\n  transactions:\n    - {at: 2026-11-02T09:00:00, amount: 5 USD}\n",
]):
    write("facts-tree", f"hostile-yaml-{i:02}.yaml", text)

# --- evaluate: the bytes are choices, so seeds are random bytes of a few lengths --------------
rng = random.Random(20261207)
for i in range(40):
    write("evaluate", f"random-{i:02}", bytes(rng.randrange(256) for _ in range(rng.choice([16, 64, 128, 256, 512]))))

for t in sorted(os.listdir(corpus)):
    print(t, len(os.listdir(os.path.join(corpus, t))), "seeds")
