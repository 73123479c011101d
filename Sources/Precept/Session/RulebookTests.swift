/// The outcome of one case under a rulebook's `tests:`.
public struct TestCaseResult: Sendable {
  /// The id of the rulebook the case belongs to.
  public let rulebook: String
  /// The rulebook's file.
  public let file: String
  /// The case's name.
  public let name: String
  /// Where the case is written.
  public let source: Span
  /// What differed from the expectation, one line each; empty when the case passed.
  public let failures: [String]
  /// Each rule's status in the case's decision, by rule id (empty when nothing was decided).
  public var statuses: [String: RuleStatus] = [:]
  /// Whether the decision matched every expectation.
  public var passed: Bool { failures.isEmpty }
}

/// What the tests exercised: each rule's statuses seen, and table rows chosen.
public struct Coverage: Sendable {
  /// Rule → statuses it reached in some test, per rulebook id.
  public var statuses: [String: [String: Set<RuleStatus>]] = [:]
  /// Table rows never chosen, as "rulebook: table `name` row N (file:line)".
  public var unusedRows: [String] = []
  /// How many table rows each rulebook has, and how many of them some test chose, by rulebook id.
  public var tableRows: [String: (total: Int, chosen: Int)] = [:]

  /// The figures behind a rulebook's coverage percentage.
  public func summary(_ book: CompiledRulebook) -> CoverageSummary {
    var c = CoverageSummary(rulebook: book.id)
    for r in book.rules {
      let seen = statuses[book.id]?[r.id] ?? []
      c.rules += 1
      if seen.contains(.passed) { c.seenPassing += 1 }
      if seen.contains(.violated) { c.seenFailing += 1 }
      if r.when != nil {
        c.whenRules += 1
        if seen.contains(.notApplicable) { c.whenFalse += 1 }
      }
    }
    c.tableRows = tableRows[book.id]?.total ?? 0
    c.rowsChosen = tableRows[book.id]?.chosen ?? 0
    return c
  }

  /// Rules never seen passing, never seen violated, and never applicable, in rule order.
  public func gaps(_ book: CompiledRulebook) -> [(rule: String, missing: [String])] {
    book.rules.compactMap { r in
      let seen = statuses[book.id]?[r.id] ?? []
      var missing: [String] = []
      if seen.isEmpty || seen == [.notApplicable] {
        missing.append("never applied")
      } else {
        if !seen.contains(.passed) { missing.append("never passed") }
        if !seen.contains(.violated) { missing.append(r.verb == .flag ? "never raised" : "never violated") }
        if r.when != nil, !seen.contains(.notApplicable) { missing.append("`when` never false") }
      }
      return missing.isEmpty ? nil : (r.id, missing)
    }
  }
}

/// A rulebook's coverage in figures. Each rule is to be seen passing and failing (violated; raised
/// for a `flag` rule), each `when` false, each table row chosen: the percentage is the share of
/// those goals some test reached.
public struct CoverageSummary: Sendable, Equatable {
  /// The rulebook's id.
  public var rulebook: String
  /// Rules, and how many were seen passing and failing.
  public var rules = 0, seenPassing = 0, seenFailing = 0
  /// Rules with a `when`, and how many were seen with it false.
  public var whenRules = 0, whenFalse = 0
  /// Decision-table rows, and how many were chosen.
  public var tableRows = 0, rowsChosen = 0

  /// A rulebook with nothing counted yet.
  public init(rulebook: String) { self.rulebook = rulebook }

  /// Every goal: two per rule, one per `when`, one per table row.
  public var goals: Int { 2 * rules + whenRules + tableRows }
  /// The goals reached.
  public var covered: Int { seenPassing + seenFailing + whenFalse + rowsChosen }
  /// The share reached in tenths of a percent, rounded down (100% only when every goal is
  /// reached; a rulebook with no goals is fully covered).
  public var permille: Int { goals == 0 ? 1000 : covered * 1000 / goals }
  /// `permille` as a percentage with one decimal: "87.5".
  public var percentText: String { "\(permille / 10).\(permille % 10)" }

  /// Several rulebooks' goals added up.
  public static func total(_ all: [CoverageSummary]) -> CoverageSummary {
    var t = CoverageSummary(rulebook: "")
    for c in all {
      t.rules += c.rules; t.seenPassing += c.seenPassing; t.seenFailing += c.seenFailing
      t.whenRules += c.whenRules; t.whenFalse += c.whenFalse
      t.tableRows += c.tableRows; t.rowsChosen += c.rowsChosen
    }
    return t
  }
}

/// Every test case of a set of rulebooks, and what they covered.
public struct TestReport: Sendable {
  /// Each case's result, in the order run.
  public var results: [TestCaseResult] = []
  /// Which statuses each rule reached, and which table rows were never chosen.
  public var coverage = Coverage()
  /// The rulebooks whose tests were run.
  public var rulebooks: [CompiledRulebook] = []
  /// How many cases passed.
  public var passedCount: Int { results.filter(\.passed).count }
  /// How many cases failed.
  public var failedCount: Int { results.count - passedCount }
  /// Each rulebook's coverage, in the order run.
  public var coverageSummaries: [CoverageSummary] { rulebooks.map { coverage.summary($0) } }
}

/// Runs rulebooks' own tests (`precept test`).
public enum RulebookTests {
  /// Loads the rulebooks at `paths` and runs each case; throws when a rulebook cannot be used.
  /// A case without `as_of` is evaluated as of `defaultAsOf`.
  public static func run(paths: [String], root: String? = nil, registry: String? = nil, defaultAsOf: CivilDate) throws(LoadError) -> TestReport {
    try run(Check.project(Project.load(paths: paths, root: root, registry: registry)), defaultAsOf: defaultAsOf)
  }

  /// Runs each case of the requested rulebooks of a checked project; throws when it has errors.
  public static func run(_ checked: CheckedProject, defaultAsOf: CivilDate) throws(LoadError) -> TestReport {
    if !checked.project.unreadable.isEmpty || checked.diagnostics.hasErrors {
      throw LoadError(diagnostics: checked.diagnostics, unreadable: checked.project.unreadable, files: checked.project.files)
    }
    var report = TestReport()
    for u in checked.project.requested {
      let source = checked.project.units[u].rulebook
      guard !source.rules.isEmpty else { continue }
      let book = Compile.rulebook(checked, unit: u)
      report.rulebooks.append(book)
      let evaluator = Evaluator(book)
      let session = Session(rulebooks: [book])
      evaluator.recordTableRows = true
      for test in source.tests {
        report.results.append(run(test, session, evaluator, project: checked.project, defaultAsOf: defaultAsOf, coverage: &report.coverage))
      }
      // A table with `for:` is compiled once per loop depth it is applied at: a row counts as
      // chosen when any compilation of its table chose it.
      var chosen: [String: [Bool]] = [:]
      var order: [(name: String, spans: [Span])] = []
      for (t, table) in book.tables.enumerated() {
        let name = book.names.tables[t] ?? table.name
        if chosen[name] == nil { order.append((name, table.rowSpans)) }
        let rows = evaluator.tableRowsChosen[t]
        chosen[name] = zip(chosen[name] ?? rows.map { _ in false }, rows).map { $0 || $1 }
      }
      for (name, spans) in order {
        let picked = chosen[name] ?? []
        report.coverage.tableRows[book.id, default: (0, 0)].total += spans.count
        report.coverage.tableRows[book.id, default: (0, 0)].chosen += spans.indices.filter { picked.indices.contains($0) && picked[$0] }.count
        for (r, span) in spans.enumerated() where !(chosen[name]?[r] ?? false) {
          report.coverage.unusedRows.append("\(book.id): table `\(name)` row \(r + 1) (\(span.description))")
        }
      }
    }
    return report
  }

  private static func run(
    _ test: RulebookTest, _ session: Session, _ evaluator: Evaluator, project: Project, defaultAsOf: CivilDate, coverage: inout Coverage
  ) -> TestCaseResult {
    let book = evaluator.book
    func result(_ failures: [String]) -> TestCaseResult {
      TestCaseResult(rulebook: book.id, file: book.path, name: test.name.value, source: test.name.span, failures: failures)
    }
    let node: YAMLNode
    switch test.facts {
    case .inline(let n): node = n
    case .file(let path):
      // A test's facts file stays inside the project's root (no `../../etc/passwd`).
      let target: String
      switch project.factsPath(path.value, from: book.path) {
      case .success(let t): target = t
      case .failure(let e): return result(["facts file: " + e.reason])
      }
      switch FactsDocument.read(path: target) {
      case .success(let doc): node = doc.root
      case .failure(let e):
        let why = e.unreadable.first.map { "cannot read \($0.path): \($0.reason)" } ?? e.diagnostics.first?.message ?? "unreadable"
        return result(["facts file: " + why])
      }
    }
    let facts: Session.Facts
    switch session.facts(node, stage: test.stage) {
    case .success(let f): facts = f
    case .failure(let e): return result(e.errors.map { "facts: " + $0.description })
    }
    guard let values = facts.inputs.first?.values else { return result(["the facts do not apply to this rulebook"]) }
    let asOf = test.asOf.flatMap { CivilDate.parse($0.value).ok } ?? defaultAsOf
    evaluator.run(values, asOf: asOf, stage: facts.stage)
    let decision = evaluator.decision(asOf: asOf, stage: facts.stage, trace: false)
    for r in decision.results { coverage.statuses[book.id, default: [:]][r.rule.id, default: []].insert(r.status) }
    var failures: [String] = []
    if let want = test.expectedOutcome, want.value != decision.outcome.rawValue {
      let blamed = decision.results.filter { $0.outcome == decision.outcome && $0.outcome > .pass }.map(\.rule.id)
      failures.append("outcome: expected \(want.value), got \(decision.outcome.rawValue)" + (blamed.isEmpty ? "" : " (from " + blamed.joined(separator: ", ") + ")"))
    }
    for (status, ids) in test.expectedStatuses {
      let want = Set(ids.map(\.value))
      let got = Set(decision.results.filter { $0.status.rawValue == status }.map(\.rule.id))
      if want != got {
        var line = "\(status): expected [\(want.sorted().joined(separator: ", "))], got [\(got.sorted().joined(separator: ", "))]"
        let unexpected = got.subtracting(want).sorted()
        if let first = unexpected.first, let r = decision.results.first(where: { $0.rule.id == first }), let why = r.message ?? r.reason {
          line += " — \(first): \(why)"
        }
        failures.append(line)
      }
    }
    var done = result(failures)
    for r in decision.results { done.statuses[r.rule.id] = r.status }
    return done
  }
}
