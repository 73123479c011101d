#!/usr/bin/env python3
"""Times `precept lsp` re-checking a large rulebook after an edit (the issue asks < 100 ms).

    python3 Benchmarks/workloads/gen_rulebook.py --rules 1000 > /tmp/big.yaml
    python3 Benchmarks/lsp_recheck.py .build/release/precept /tmp/big.yaml

Opens the file, then makes one-character edits that keep it valid (incremental sync), 20 of each of three kinds
(see below), and measures, for each, the time from sending didChange to receiving its publishDiagnostics; prints
the median, the 90th percentile and the worst, by kind and over all.

    python3 Benchmarks/lsp_recheck.py EXE FILE --edits N [--wrap 'valgrind --tool=callgrind ...']

makes N edits of each kind instead (0: open only), and starts the server under the given command, so
that the instructions of one re-check are (cost with N edits - cost with 0 edits) / 3N; `--kinds group`
makes edits of one kind only.
"""
import argparse, json, pathlib, shlex, statistics, subprocess, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("exe")
ap.add_argument("file")
ap.add_argument("--edits", type=int, default=20)
ap.add_argument("--wrap", default="")
ap.add_argument("--kinds", default="replace,insert,group", help="which kinds of edit to make, in order")
args = ap.parse_args()
exe, path = args.exe, pathlib.Path(args.file).resolve()
p = subprocess.Popen(shlex.split(args.wrap) + [exe, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def send(msg):
    body = json.dumps(msg).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    p.stdin.flush()


def receive():
    length = 0
    while True:
        line = p.stdout.readline()
        if line in (b"\r\n", b""):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(p.stdout.read(length))


def until(pred):
    while True:
        m = receive()
        if pred(m):
            return m


uri = path.as_uri()
text = path.read_text(encoding="utf-8")
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
until(lambda m: m.get("id") == 1)
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
t0 = time.perf_counter()
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
until(lambda m: m.get("method") == "textDocument/publishDiagnostics")
print(f"open: {(time.perf_counter() - t0) * 1000:.0f} ms")
# Edits that keep the rulebook valid (an invalid one stops early and would flatter the figure),
# three kinds, `--edits` of each:
# - replace: the last digit of the first rule's bound, 0 → 9 → 0 … (nothing moves);
# - insert: a digit typed after that bound, then deleted, … (every rule below moves by one);
# - group: the last digit of a bound in rule R0501 (`dti <= 31.0501% or …`), one of the 200 rules
#   over the same variables that the equivalence pass compares with each other.
lines = text.split("\n")
first = next(n for n, l in enumerate(lines) if "require: applicant.f0 + applicant.f3 <= 100" in l)
col = lines[first].index("<= 100") + 5
mid = next(n for n, l in enumerate(lines) if "dti <= 31.0501%" in l)
mid_col = lines[mid].index("0501%") + 3
version = 1
results = {}


def edit(line, start, end, new):
    global version
    version += 1
    rng = {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}}
    t0 = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": rng, "text": new}]}})
    m = until(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    elapsed = (time.perf_counter() - t0) * 1000
    if m["params"]["diagnostics"]:
        sys.exit(f"the edit made diagnostics: {m['params']['diagnostics'][:1]}")
    return elapsed


for kind in args.kinds.split(","):
    times = []
    for k in range(args.edits):
        if kind == "replace":
            times.append(edit(first, col, col + 1, "9" if k % 2 == 0 else "0"))
        elif kind == "insert":
            times.append(edit(first, col + 1, col + 1, "9") if k % 2 == 0 else edit(first, col + 1, col + 2, ""))
        else:
            times.append(edit(mid, mid_col, mid_col + 1, "2" if k % 2 == 0 else "1"))
    results[kind] = times
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
until(lambda m: m.get("id") == 2)
send({"jsonrpc": "2.0", "method": "exit"})
p.wait()


def summary(times):
    p90 = sorted(times)[max(0, -(-len(times) * 9 // 10) - 1)]
    return f"median {statistics.median(times):.0f} ms, p90 {p90:.0f} ms, worst {max(times):.0f} ms"


if args.edits:
    for kind, times in results.items():
        print(f"re-check after an edit ({kind}, {len(times)} edits): {summary(times)}")
    print(f"re-check after an edit (all {len(results) * args.edits}): {summary([t for ts in results.values() for t in ts])}")
