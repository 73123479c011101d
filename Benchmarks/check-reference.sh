#!/usr/bin/env bash
# Checks Precept's in-process decisions against the reference rules (shared/bench/reference.py).
#
#   Benchmarks/check-reference.sh [--applicants N] [--customers N] [--eval]   (default 20000 / 5000)
#
# Generates the data (deterministic, seed 20261122) into Benchmarks/data/check-A-C/, evaluates
# every line with PreceptBenchRun (Evaluator.run, in-process), and runs `reference.py check-a` and
# `check-b`. Besides the reference's own line-by-line comparison, it fails when the output has a
# different number of lines than the input (the reference zips the two and would not notice), when
# a line's facts were rejected, or when a rule came out `unknown` (the data has no missing facts).
# With --eval, the same files also go through `precept eval --input` (release build of the main
# package), whose output the reference checks the same way.
# The shared folder is ../shared/bench beside the repository, or $PRECEPT_BENCH_SHARED.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
shared=${PRECEPT_BENCH_SHARED:-$(cd "$here/../.." && pwd)/shared/bench}
applicants=20000
customers=5000
eval_too=0
while [ $# -gt 0 ]; do
  case "$1" in
    --applicants) applicants=$2; shift 2 ;;
    --customers) customers=$2; shift 2 ;;
    --eval) eval_too=1; shift ;;
    *) echo "usage: $0 [--applicants N] [--customers N] [--eval]" >&2; exit 2 ;;
  esac
done
[ -f "$shared/gen_data.py" ] || { echo "no $shared/gen_data.py (set PRECEPT_BENCH_SHARED)" >&2; exit 2; }

out="$here/data/check-$applicants-$customers"
mkdir -p "$out"
python3 "$shared/gen_data.py" --out "$out" --applicants "$applicants" --customers "$customers"

cd "$here"
swift build -c release --product PreceptBenchRun >&2
bin="$(swift build -c release --show-bin-path)/PreceptBenchRun"

status=0
check() {  # mode rulebook data decisions [command...]
  local mode=$1 rulebook=$2 data=$3 decisions=$4
  shift 4
  local start end via="in-process, PreceptBenchRun"
  [ $# -gt 0 ] && via="precept eval"
  start=$(date +%s.%N)
  if [ $# -eq 0 ]; then
    "$bin" "$rulebook" "$data" --out "$decisions"
  else
    "$@" "$rulebook" --input "$data" --as-of 2026-11-23 > "$decisions" || true
  fi
  end=$(date +%s.%N)
  echo "== $mode ($via): $(wc -l < "$data") lines, $(python3 -c "print(f'{$end - $start:.2f}')") s (read, evaluate, write)"
  local lines_in lines_out errors unknown
  lines_in=$(wc -l < "$data"); lines_out=$(wc -l < "$decisions")
  errors=$(grep -c '"error"' "$decisions" || true)
  unknown=$(grep -c '"unknown"' "$decisions" || true)
  if [ "$lines_in" != "$lines_out" ]; then echo "FAIL: $lines_in input lines, $lines_out decisions"; status=1; fi
  if [ "$errors" != 0 ]; then echo "FAIL: $errors lines rejected:"; grep -m3 '"error"' "$decisions"; status=1; fi
  if [ "$unknown" != 0 ]; then echo "FAIL: $unknown decisions with an unknown rule"; status=1; fi
  python3 "$shared/reference.py" "$mode" "$data" "$decisions" || status=1
}
check check-a workloads/a.yaml "$out/applicants.jsonl" "$out/decisions-a.jsonl"
check check-b workloads/b.yaml "$out/customers.jsonl" "$out/decisions-b.jsonl"
if [ $eval_too = 1 ]; then
  (cd .. && swift build -c release --product precept >&2)
  precept="$(cd .. && swift build -c release --show-bin-path)/precept"
  check check-a workloads/a.yaml "$out/applicants.jsonl" "$out/eval-a.jsonl" "$precept" eval
  check check-b workloads/b.yaml "$out/customers.jsonl" "$out/eval-b.jsonl" "$precept" eval
fi
[ $status = 0 ] && echo "all decisions agree with the reference" || echo "MISMATCHES (see above)"
exit $status
