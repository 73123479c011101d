#!/usr/bin/env bash
# Checks Precept's decisions on workloads A and B against the reference rules (workloads/reference.py).
#
#   Benchmarks/check-reference.sh [--applicants N] [--customers N] [--eval] [--precept EXE] [--no-build]
#                                 [--cross-check]
#
# (default 20000 / 5000). Generates the data with workloads/gen_data.py into
# Benchmarks/data/check-A-C/, evaluates every line in-process with PreceptBenchRun (Evaluator.run,
# release build of this package), and runs `reference.py check-a` and `check-b`, which compare the
# decisions line by line and fail on a different number of lines, an error line, a missing rule or
# an `unknown` status (the data has no missing facts); `reference.py self-test` first decides the
# contract's boundary cases, written out by hand.
#   --eval         the same files also go through `precept eval --input` (release build of the main
#                  package, built when needed)
#   --precept EXE  that `precept` for --eval instead (implies --eval; CI passes .build/debug/precept)
#   --no-build     use the PreceptBenchRun already built (release) instead of building it first
#                  (CI, right after `swift build -c release --package-path Benchmarks`)
#   --cross-check  also the peers' shared folder (../shared/bench beside the repository, or
#                  $PRECEPT_BENCH_SHARED), when present: its reference.py judges every decision too,
#                  and its gen_data.py's data goes through the same checks. Skipped, and said so,
#                  when the folder is absent.
# Needs nothing outside the repository but python3 and the Swift toolchain. Exit status 0 when
# everything agrees, 1 on any mismatch, 2 for bad arguments or a missing tool.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
applicants=20000
customers=5000
eval_too=0
precept=""
cross=0
build=1
usage="usage: $0 [--applicants N] [--customers N] [--eval] [--precept EXE] [--no-build] [--cross-check]"
while [ $# -gt 0 ]; do
  case "$1" in
    --applicants) applicants=${2:?$usage}; shift 2 ;;
    --customers) customers=${2:?$usage}; shift 2 ;;
    --eval) eval_too=1; shift ;;
    --precept) precept=${2:?$usage}; eval_too=1; shift 2 ;;
    --cross-check) cross=1; shift ;;
    --no-build) build=0; shift ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
command -v python3 > /dev/null || { echo "check-reference.sh: python3 is needed (standard library only)" >&2; exit 2; }
if [ -n "$precept" ]; then
  [ -x "$precept" ] || { echo "check-reference.sh: no executable $precept" >&2; exit 2; }
  precept=$(cd "$(dirname "$precept")" && pwd)/$(basename "$precept")
fi

shared=""
if [ $cross = 1 ]; then
  shared=${PRECEPT_BENCH_SHARED:-$(cd "$here/../.." && pwd)/shared/bench}
  if [ -f "$shared/gen_data.py" ] && [ -f "$shared/reference.py" ]; then
    echo "cross-check: also with $shared (its reference.py, and its gen_data.py's data)"
  else
    echo "cross-check: SKIPPED, no gen_data.py and reference.py in $shared (set PRECEPT_BENCH_SHARED)"
    shared=""
  fi
fi

cd "$here"
python3 workloads/reference.py self-test || exit 1
[ $build = 0 ] || swift build -c release --product PreceptBenchRun >&2
bin="$(swift build -c release --show-bin-path)/PreceptBenchRun"
[ -x "$bin" ] || { echo "check-reference.sh: no $bin (build it: cd Benchmarks && swift build -c release)" >&2; exit 2; }
if [ $eval_too = 1 ] && [ -z "$precept" ]; then
  (cd .. && swift build -c release --product precept >&2)
  precept="$(cd .. && swift build -c release --show-bin-path)/precept"
fi

status=0
check() {  # mode rulebook data decisions [precept-executable]
  local mode=$1 rulebook=$2 data=$3 decisions=$4 exe=${5:-}
  local start end via="in-process, PreceptBenchRun" ran=0
  [ -n "$exe" ] && via="precept eval"
  start=$(date +%s.%N)
  if [ -z "$exe" ]; then
    "$bin" "$rulebook" "$data" --out "$decisions" || ran=$?
  else
    # Status 2 is also what eval gives for an unusable line; the checker then finds the error line.
    "$exe" eval "$rulebook" --input "$data" --as-of 2026-11-23 --quiet > "$decisions" || ran=$?
  fi
  end=$(date +%s.%N)
  echo "== $mode ($via): $(wc -l < "$data") lines in $(python3 -c "print(f'{$end - $start:.2f}')") s (read, evaluate, write)"
  if [ $ran != 0 ]; then echo "FAIL: $via exited with status $ran"; status=1; fi
  python3 workloads/reference.py "$mode" "$data" "$decisions" || status=1
  if [ -n "$shared" ]; then
    echo -n "   shared reference: "
    python3 "$shared/reference.py" "$mode" "$data" "$decisions" || status=1
  fi
}

run_all() {  # data-directory
  local out=$1
  check check-a workloads/a.yaml "$out/applicants.jsonl" "$out/decisions-a.jsonl"
  check check-b workloads/b.yaml "$out/customers.jsonl" "$out/decisions-b.jsonl"
  if [ $eval_too = 1 ]; then
    check check-a workloads/a.yaml "$out/applicants.jsonl" "$out/eval-a.jsonl" "$precept"
    check check-b workloads/b.yaml "$out/customers.jsonl" "$out/eval-b.jsonl" "$precept"
  fi
}

out="$here/data/check-$applicants-$customers"
echo "data: workloads/gen_data.py --applicants $applicants --customers $customers"
python3 workloads/gen_data.py --out "$out" --applicants "$applicants" --customers "$customers"
run_all "$out"
if [ -n "$shared" ]; then
  out="$here/data/shared-check-$applicants-$customers"
  echo "data: $shared/gen_data.py --applicants $applicants --customers $customers"
  python3 "$shared/gen_data.py" --out "$out" --applicants "$applicants" --customers "$customers"
  run_all "$out"
fi
if [ $status = 0 ]; then echo "all decisions agree with the reference"; else echo "MISMATCHES (see above)"; fi
exit $status
