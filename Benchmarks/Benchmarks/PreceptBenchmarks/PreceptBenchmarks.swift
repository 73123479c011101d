// Precept benchmarks (ordo-one/benchmark). Run from Benchmarks/: `swift package benchmark`.
//
// The evaluation benchmarks read their facts in `setup` (not measured) and then, per measured
// iteration, evaluate 1,000 consecutive records with `Evaluator.run` (scalingFactor .kilo, so every
// figure is per decision). Successive iterations walk through the whole data set, so the caches
// see all of it rather than one hot record.
import Benchmark
import Foundation
import Precept
import PreceptBenchSupport

/// A warm evaluator and pre-read facts, walked through cyclically.
final class EvaluationState {
  let evaluator: Evaluator
  let facts: [[Value]]
  let asOf = try! CivilDate.parse("2026-11-23").get()
  var next = 0
  /// Rules violated or flagged so far, so that the work cannot be optimised away.
  var fired = 0

  init(rulebook: String, data: String) throws {
    let book = try JSONLFacts.rulebook(BenchPaths.workloads.appendingPathComponent(rulebook).path)
    let file = try BenchPaths.fullData().appendingPathComponent(data).path
    facts = try JSONLFacts.load(file, book: book)
    evaluator = Evaluator(book)
    // Warm: size the evaluator's reusable buffers once.
    for f in facts.prefix(1000) { evaluator.run(f, asOf: asOf) }
  }

  @inline(__always)
  func evaluateNext() {
    evaluator.run(facts[next], asOf: asOf)
    next += 1
    if next == facts.count { next = 0 }
    for s in evaluator.statuses where s == .violated { fired &+= 1 }
  }
}

let evaluationMetrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal, .instructions]

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: evaluationMetrics,
    warmupIterations: 10,
    scalingFactor: .kilo,
    maxDuration: .seconds(3),
    maxIterations: 100_000
  )

  // Workload A: 20 eligibility rules per applicant (target ≤ 1 µs per decision, 0 mallocs).
  Benchmark("WorkloadA.evaluate") { benchmark, state in
    for _ in benchmark.scaledIterations { state.evaluateNext() }
    blackHole(state.fired)
  } setup: {
    try EvaluationState(rulebook: "a.yaml", data: "applicants.jsonl")
  }

  // Workload B: AML window and per-day total per customer (target ≤ 3 µs per customer).
  Benchmark("WorkloadB.evaluate") { benchmark, state in
    for _ in benchmark.scaledIterations { state.evaluateNext() }
    blackHole(state.fired)
  } setup: {
    try EvaluationState(rulebook: "b.yaml", data: "customers.jsonl")
  }

  // The same, one decision per iteration: exact allocation counts for a single evaluation
  // (with .kilo scaling, counts below one per decision round away).
  let single = Benchmark.Configuration(
    metrics: [.wallClock, .mallocCountTotal], warmupIterations: 1000, scalingFactor: .one, maxDuration: .seconds(1), maxIterations: 200_000)
  Benchmark("WorkloadA.evaluate.single", configuration: single) { _, state in
    state.evaluateNext()
  } setup: {
    try EvaluationState(rulebook: "a.yaml", data: "applicants.jsonl")
  }
  Benchmark("WorkloadB.evaluate.single", configuration: single) { _, state in
    state.evaluateNext()
  } setup: {
    try EvaluationState(rulebook: "b.yaml", data: "customers.jsonl")
  }

  // Load + check + compile the 1,000-rule rulebook from workloads/gen_rulebook.py (target < 100 ms).
  let whole = Benchmark.Configuration(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, .instructions],
    warmupIterations: 1, scalingFactor: .one, maxDuration: .seconds(10), maxIterations: 50)
  Benchmark("Compile.thousandRules", configuration: whole) { benchmark, path in
    let loaded = try Rulebooks.load(paths: [path])
    precondition(loaded.rulebooks.count == 1 && loaded.rulebooks[0].rules.count == 1000)
    blackHole(loaded.rulebooks[0].nodeCount)
  } setup: {
    try BenchPaths.largeRulebook().path
  }

  // Lint alone (load + parse + check + lint passes, no compilation) of the same rulebook.
  Benchmark("Lint.thousandRules", configuration: whole) { benchmark, path in
    let report = LintReport.run(paths: [path])
    precondition(report.rulebookCount == 1 && !report.diagnostics.hasErrors)
    blackHole(report.diagnostics.count)
  } setup: {
    try BenchPaths.largeRulebook().path
  }
}
