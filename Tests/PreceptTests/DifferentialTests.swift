import Foundation
import Testing

@testable import Precept

/// Differential verification, as Cedar does it: the optimised evaluator, traced and untraced,
/// against the plain reference interpreter (Reference/ReferenceInterpreter.swift) on every shipped
/// rulebook × every example, and on seeded random rulebooks × random facts
/// (Reference/RandomRulebooks.swift). Every rule's status, message and reason must agree.
///
/// `PRECEPT_DIFF_RUNS=400 PRECEPT_DIFF_SEED=7 swift test --filter DifferentialTests` runs longer, by hand.
@Suite struct DifferentialTests {
  static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let asOf = CivilDate(year: 2026, month: 11, day: 23)!

  /// One rule on which a side disagrees with the reference.
  struct Disagreement: CustomStringConvertible {
    var side: String
    var optimised: ReferenceInterpreter.Result
    var reference: ReferenceInterpreter.Result
    var description: String { "[\(side)] optimised \(optimised)\n          reference \(reference)" }
  }

  /// Every rule of `book` over `facts`, by both sides; the disagreements found.
  static func differences(
    _ book: CompiledRulebook, _ facts: [Value], asOf: CivilDate, stage: Stage?, reference: ReferenceInterpreter
  ) -> [Disagreement] {
    var steps: Set<Program.Step.Kind> = []
    return differences(book, facts, asOf: asOf, stage: stage, reference: reference, steps: &steps)
  }

  /// The disagreements, and (in `steps`) the kinds of step the optimised evaluator ran.
  static func differences(
    _ book: CompiledRulebook, _ facts: [Value], asOf: CivilDate, stage: Stage?, reference: ReferenceInterpreter,
    steps: inout Set<Program.Step.Kind>
  ) -> [Disagreement] {
    let expected = reference.decide(facts, asOf: asOf, stage: stage)
    var out: [Disagreement] = []
    for trace in [false, true] {
      let evaluator = Evaluator(book)
      evaluator.recordWitnesses = trace
      evaluator.run(facts, asOf: asOf, stage: stage)
      // What `eval --output violations` asks to know whether to look for reasons, kept while running.
      #expect(evaluator.hasUnknown == evaluator.statuses.contains(.unknown))
      let decision = evaluator.decision(asOf: asOf, stage: stage, trace: trace)
      steps.formUnion(evaluator.stepsRan())
      for (r, want) in zip(decision.results, expected) {
        let got = ReferenceInterpreter.Result(rule: r.rule.id, status: r.status, message: r.message, reason: r.reason)
        guard got != want else { continue }
        let d = Disagreement(side: trace ? "traced" : "untraced", optimised: got, reference: want)
        out.append(d)
      }
    }
    return out
  }

  /// Records disagreements as failures.
  static func report(_ found: [Disagreement], _ context: @autoclosure () -> String) {
    if let first = found.first {
      Issue.record("\(found.count) disagreement(s) in \(context())\n  \(first)")
    }
  }

  // MARK: Shipped content

  static func shippedBooks() throws -> [CompiledRulebook] {
    try Rulebooks.load(paths: [repo.appendingPathComponent("rulebooks/cn").path], root: repo.path).rulebooks
  }

  static var exampleFiles: [String] {
    let fm = FileManager.default
    return ["products", "applicants"].flatMap { dir -> [String] in
      let files = (try? fm.contentsOfDirectory(atPath: repo.appendingPathComponent("examples/\(dir)").path)) ?? []
      return files.filter { $0.hasSuffix(".yaml") }.sorted().map { "examples/\(dir)/\($0)" }
    }
  }

  @Test func shippedRulebooksAgreeOnEveryExample() throws {
    let books = try Self.shippedBooks()
    #expect(books.count >= 6)
    var cases = 0
    for file in Self.exampleFiles {
      let doc = try FactsDocument.read(path: Self.repo.appendingPathComponent(file).path).get()
      let productStage = doc.text(at: ["product", "stage"]).flatMap(Stage.init(rawValue:))
      for book in books where book.applies(to: doc) {
        let facts = try book.values(from: doc).get()
        let reference = ReferenceInterpreter(book)
        for stage in [productStage, nil] {
          let found = Self.differences(book, facts, asOf: Self.asOf, stage: stage, reference: reference)
          Self.report(found, "\(book.id) × \(file) at \(stage?.rawValue ?? "every stage")")
            cases += 1
        }
      }
    }
    let stream = try String(contentsOf: Self.repo.appendingPathComponent("examples/transactions/stream.jsonl"), encoding: .utf8)
    for (n, line) in stream.split(separator: "\n").enumerated() {
      for book in books {
        guard let facts = try? JSONFactsReader.read(Array(line.utf8), schema: book.roots).get() else { continue }
        let found = Self.differences(book, facts, asOf: Self.asOf, stage: nil, reference: ReferenceInterpreter(book))
        Self.report(found, "\(book.id) × stream.jsonl line \(n + 1)")
        cases += 1
      }
    }
    #expect(cases >= 40, "only \(cases) shipped cases")
  }

  // MARK: Random rulebooks

  struct RandomRun {
    var generated = 0
    var discarded = 0
    var cases = 0
    var reached: Set<String> = []
    var steps: Set<Program.Step.Kind> = []
    var failures: [String] = []
  }

  /// N random rulebooks × M random facts each, seeded.
  static func randomRun(runs: Int, factsPerBook: Int, seed: UInt64) throws -> RandomRun {
    var gen = RandomRulebooks(seed: seed)
    var run = RandomRun()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("precept-diff-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    for k in 0..<runs {
      let yaml = gen.rulebook(k)
      run.generated += 1
      let path = dir.appendingPathComponent("r\(k).yaml").path
      try yaml.write(toFile: path, atomically: true, encoding: .utf8)
      let book: CompiledRulebook
      do throws(LoadError) {
        guard let b = try Rulebooks.load(paths: [path], root: dir.path).rulebooks.first else {
          run.discarded += 1
          continue
        }
        book = b
      } catch {
        run.discarded += 1
        if run.failures.count < 8 {
          run.failures.append(error.diagnostics.prefix(2).map { "\($0.code) \($0.span.start.line):\($0.span.start.column) \($0.message)" }.joined(separator: "\n"))
        }
        continue
      }
      let reference = ReferenceInterpreter(book)
      for _ in 0..<factsPerBook {
        let facts = gen.facts()
        let stage: Stage? = gen.chance(70) ? nil : gen.pick([.design, .approval, .operation])
        let found = differences(book, facts, asOf: asOf, stage: stage, reference: reference, steps: &run.steps)
        report(found, "random rulebook \(k) (seed \(seed)) with facts \(facts[0].formatted(as: book.roots[0].type))\n\(yaml)")
        run.cases += 1
      }
      run.reached.formUnion(reference.reached)
    }
    return run
  }

  @Test func randomRulebooksAgree() throws {
    let environment = ProcessInfo.processInfo.environment
    let runs = environment["PRECEPT_DIFF_RUNS"].flatMap(Int.init) ?? 120
    let seed = environment["PRECEPT_DIFF_SEED"].flatMap(UInt64.init) ?? 20_261_223
    let started = ContinuousClock.now
    let run = try Self.randomRun(runs: runs, factsPerBook: 25, seed: seed)
    let elapsed = ContinuousClock.now - started
    // Well-typed by construction: nearly every generated rulebook lints clean.
    #expect(run.discarded * 10 <= run.generated, "\(run.discarded) of \(run.generated) discarded; first: \(run.failures.joined(separator: "\n"))")
    #expect(run.cases >= runs * 20)
    print("differential: \(run.generated) rulebooks (\(run.discarded) discarded), \(run.cases) cases, \(elapsed)")
    for failure in run.failures { print("  discarded: \(failure)") }
    // Coverage: every op kind, builtin, hit policy, aggregate and cell kind was reached.
    let never = ReferenceInterpreter.allKinds.filter { !run.reached.contains($0) }
    #expect(never.isEmpty, "never reached by the random corpus: \(never.joined(separator: ", "))")
    // And every kind of step the program builder plans ran in the optimised evaluator. The one
    // exception is the step planned for operations the checker never lets through.
    let notRun = Program.Step.Kind.allCases.filter { !run.steps.contains($0) && $0 != .invalidOperands }
    #expect(notRun.isEmpty, "steps the random corpus never ran: \(notRun.map(\.rawValue).joined(separator: ", "))")
  }
}

/// Minimal reproductions of the evaluator issues the differential tests found, each checked
/// against the reference.
@Suite struct DifferentialRegressionTests {
  static let schema = """
    precept: 1
    rulebook: t.diff
    schema:
      a:
        xs: list(int)
        ys: list(int)
        ok: bool
        m: int?
        amt: money
        lim: money
        tx: "list(record(at: datetime))"
    """

  static func both(_ rules: String, _ facts: [Value]) throws -> (optimised: [ReferenceInterpreter.Result], reference: [ReferenceInterpreter.Result]) {
    let book = try compileRulebook(schema + "\n" + rules)
    let d = book.evaluate(facts, asOf: DifferentialTests.asOf)
    let got = d.results.map { ReferenceInterpreter.Result(rule: $0.rule.id, status: $0.status, message: $0.message, reason: $0.reason) }
    return (got, ReferenceInterpreter(book).decide(facts, asOf: DifferentialTests.asOf))
  }

  static func facts(xs: [Int], ys: [Int], ok: Bool = false, amt: String = "1 CNY", lim: String = "1 CNY", tx: Int = 0) -> [Value] {
    let money = { (s: String) in (try? Money.parse(s[...]).get()).map(Value.money) ?? .missing }
    let at = Value.datetime(DateTime(epochSeconds: 1_795_651_200))
    return [.record([
      .list(xs.map { .number(Fixed($0)) }), .list(ys.map { .number(Fixed($0)) }), .bool(ok), .missing, money(amt), money(lim),
      .list(Array(repeating: .record([at]), count: tx)),
    ])]
  }

  /// `all t in xs: any u in ys: u == t` over xs = [1, 2], ys = [1]: 2 is not in ys, so violated.
  /// (The evaluator used to memoize the inner `any`, whose list reads no loop item, at t = 1.)
  @Test func innerQuantifierReadingOuterItem() throws {
    let (got, want) = try Self.both(
      """
      rules:
        - { id: ALL-PAIRED, severity: block, cite: x, require: 'all t in a.xs: any u in a.ys: u == t' }
      """, Self.facts(xs: [1, 2], ys: [1]))
    #expect(want.first?.status == .violated)
    #expect(got == want)
  }

  /// An exception whose `when` reads `per_day` sets its rule aside. (It used to count as in a
  /// loop, so it was never memoized and never applied.)
  @Test func exceptionOverPerDay() throws {
    let (got, want) = try Self.both(
      """
      rules:
        - { id: BASE, severity: block, cite: x, require: a.ok }
        - { id: EXCEPTION, severity: info, when: 'all g in per_day(a.tx, by: .at): count(g) >= 1', require: a.ok or true, overrides: [BASE] }
      """, Self.facts(xs: [], ys: []))
    #expect(want.first?.status == .overridden)
    #expect(got == want)
  }

  /// A division by zero met by one rule is a division by zero for the next rule that reads it
  /// from the memo too. (It used to be reported as an overflow.)
  @Test func failureReadFromTheMemo() throws {
    let (got, want) = try Self.both(
      """
      rules:
        - { id: FIRST, severity: block, cite: x, require: 'a.amt / a.lim > 1' }
        - { id: SECOND, severity: block, cite: x, require: 'a.amt / a.lim < 5' }
      """, Self.facts(xs: [], ys: [], lim: "0 CNY"))
    #expect(want.map(\.reason) == Array(repeating: "division by zero in `a.amt / a.lim`", count: 2))
    #expect(got == want)
  }

  /// A failure met again in the same rule, through the memo, is met by the computation that
  /// reads it: the next rule reading that computation from the memo gets the failure too. (It
  /// used to be logged once per rule, so the second computation looked merely missing. Found by
  /// the `evaluate` fuzz target.)
  @Test func failureMetTwiceInOneRule() throws {
    let (got, want) = try Self.both(
      """
      rules:
        - { id: FIRST, severity: block, cite: x, require: 'a.amt / a.lim > 1 and (a.amt / a.lim) * 2 > 1' }
        - { id: SECOND, severity: block, cite: x, require: '(a.amt / a.lim) * 2 < 5' }
      """, Self.facts(xs: [], ys: [], lim: "0 CNY"))
    #expect(want.map(\.reason) == Array(repeating: "division by zero in `a.amt / a.lim`", count: 2))
    #expect(got == want)
  }

  /// A message placeholder that reads a failure another placeholder met first shows the error,
  /// not `missing`. (Found by the `evaluate` fuzz target.)
  @Test func placeholderAfterAPlaceholderThatFailed() throws {
    let (got, want) = try Self.both(
      """
      rules:
        - { id: SAYS, severity: block, cite: x, forbid: 'true', message: 'ratio {a.amt / a.lim}, over one {a.amt / a.lim > 1}' }
      """, Self.facts(xs: [], ys: [], lim: "0 CNY"))
    #expect(want.first?.message == "ratio (error: division by zero), over one (error: division by zero)")
    #expect(got == want)
  }

  /// A failure inside a loop body is named once, not once per item.
  @Test func failureInALoopBody() throws {
    let (got, want) = try Self.both(
      """
      rules:
        - { id: EACH, severity: block, cite: x, require: 'all t in a.xs: t / (a.m ?? 0) > 1' }
      """, Self.facts(xs: [1, 2], ys: []))
    #expect(want.first?.reason == "division by zero in `t / (a.m ?? 0)`")
    #expect(got == want)
  }

  /// A failure on the right of a comparison, an operation or a range of numbers is reported even
  /// when the left is missing, as it is for boxed values. (The unboxed steps used to stop at the
  /// missing left side, so the same rule over money and over numbers gave different reasons.)
  @Test func failureRightOfAMissingNumber() throws {
    let (got, want) = try Self.both(
      """
      rules:
        - { id: COMPARE, severity: block, cite: x, require: 'a.m == count(a.xs) / 0' }
        - { id: ARITHMETIC, severity: block, cite: x, require: 'a.m - count(a.xs) / 0 > 1' }
        - { id: BETWEEN, severity: block, cite: x, require: 'a.m between 0 and count(a.xs) / 0' }
      """, Self.facts(xs: [1, 2], ys: []))
    #expect(want.map(\.reason) == Array(repeating: "division by zero in `count(a.xs) / 0`", count: 3))
    #expect(got == want)
  }

  /// The `missing:` list names the facts the rule itself read: not one an earlier rule read (and
  /// the memo kept), not the operand a strict operation skipped. (It used to list facts read by
  /// any rule, and missed the right operand of `in` when the left was missing.)
  @Test func missingListIsTheRulesOwn() throws {
    let (got, want) = try Self.both(
      """
      rules:
        - { id: READS-AMT, severity: block, cite: x, require: 'a.amt > 1 CNY or a.ok' }
        - { id: BRANCH, severity: block, cite: x, require: 'if a.m > 1 then a.amt > 2 CNY else a.ok' }
        - { id: MEMBER, severity: block, cite: x, require: 'a.xs[5] in [a.m, 5]' }
      """, Self.facts(xs: [1], ys: [], amt: "missing"))
    #expect(want.map(\.reason) == ["missing: a.amt", "missing: a.m", "missing: a.m"])
    #expect(got == want)
  }
}
