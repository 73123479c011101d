/// Which clauses of the regulations registry the rules encode, which tests exercise those rules,
/// and which clauses nothing encodes (`precept coverage --regulations`).
///
/// A rule encodes a clause when its `cite` names the clause's id. A test exercises a rule when the
/// rule is decided in the test's decision: passed, violated, unknown or waived (not when it does
/// not apply or an exception sets it aside).
public struct RegulationCoverage: Sendable {
  /// A test case that exercised a rule: the rule's status in it, and whether the case passed.
  public struct Exercise: Sendable {
    public var rulebook: String
    public var test: String
    /// The rulebook's file and the line of the case's `name:`.
    public var file: String
    public var line: Int
    /// The rule's status in the case's decision.
    public var status: RuleStatus
    /// Whether the case met every expectation.
    public var casePassed: Bool
  }

  /// A rule that cites a clause, and the test cases that exercised it.
  public struct EncodingRule: Sendable {
    public var rulebook: String
    public var rule: String
    public var title: String?
    public var severity: Severity
    /// Where the rule is written (its `id:`).
    public var source: Span
    public var tests: [Exercise]

    /// Whether some test saw the rule pass.
    public var seenPassing: Bool { tests.contains { $0.status == .passed } }
    /// Whether some test saw the rule violated (raised, for a `flag` rule).
    public var seenFailing: Bool { tests.contains { $0.status == .violated || $0.status == .waived } }
    /// `both`, `passed`, `violated`, `unknown` (exercised, but only unknown) or `none`.
    public var seen: String {
      switch (seenPassing, seenFailing) {
      case (true, true): "both"
      case (true, false): "passed"
      case (false, true): "violated"
      case (false, false): tests.isEmpty ? "none" : "unknown"
      }
    }
  }

  /// A clause and the rules that encode it.
  public struct ClauseCoverage: Sendable {
    public var clause: Regulation.Clause
    public var rules: [EncodingRule]
    /// Whether some rule encodes it.
    public var isEncoded: Bool { !rules.isEmpty }
    /// Whether some test exercised a rule that encodes it.
    public var isExercised: Bool { rules.contains { !$0.tests.isEmpty } }
  }

  /// An instrument of the registry, clause by clause.
  public struct InstrumentCoverage: Sendable {
    public var regulation: Regulation
    /// The registry it belongs to, as displayed.
    public var registry: String
    public var clauses: [ClauseCoverage]
  }

  /// The registries read, as displayed (usually one).
  public var registries: [String] = []
  /// The rulebooks whose rules and tests were looked at, by id.
  public var rulebooks: [String] = []
  /// Every instrument of those registries, in registry order (file names).
  public var instruments: [InstrumentCoverage] = []
  /// How many test cases ran, and how many of them failed.
  public var testsRun = 0, testsFailed = 0

  /// Every clause, in order.
  public var clauses: [ClauseCoverage] { instruments.flatMap(\.clauses) }
  /// The clauses no rule encodes.
  public var unencoded: [ClauseCoverage] { clauses.filter { !$0.isEncoded } }

  /// Loads the rulebooks at `paths` with their registry (`registry`, or the nearest `regulations/`
  /// above each requested rulebook), runs their tests, and relates the three. Throws when a path
  /// cannot be read, a rulebook or the registry has an error, or no rulebook is found.
  public static func run(paths: [String], root: String? = nil, registry: String? = nil, defaultAsOf: CivilDate) throws(LoadError) -> RegulationCoverage {
    var project = Project.load(paths: paths, root: root, registry: registry)
    project.readRegistries(explicit: registry, forEveryRulebook: true)
    let checked = Check.project(project)
    let report = try RulebookTests.run(checked, defaultAsOf: defaultAsOf)
    if checked.project.requested.isEmpty { throw LoadError(diagnostics: [], unreadable: [], files: [:], noRulebookIn: paths) }
    return RegulationCoverage(checked.project, report)
  }

  /// Relates the registries of a project's requested rulebooks to their rules and to a test report.
  public init(_ project: Project, _ report: TestReport) {
    testsRun = report.results.count
    testsFailed = report.failedCount
    var used: [Int] = []
    var encoders: [Int: [String: [EncodingRule]]] = [:]  // registry → clause id → rules
    for u in project.requested {
      let unit = project.units[u]
      guard let r = unit.registry else { continue }
      if !used.contains(r) { used.append(r) }
      guard let book = report.rulebooks.first(where: { $0.id == unit.rulebook.id.value }) else { continue }
      if !rulebooks.contains(book.id) { rulebooks.append(book.id) }
      let cases = report.results.filter { $0.rulebook == book.id }
      for rule in book.rules where !rule.clauses.isEmpty {
        let tests = cases.compactMap { c -> Exercise? in
          guard let status = c.statuses[rule.id], status != .notApplicable, status != .overridden else { return nil }
          return Exercise(rulebook: book.id, test: c.name, file: c.file, line: c.source.start.line, status: status, casePassed: c.passed)
        }
        let encoding = EncodingRule(rulebook: book.id, rule: rule.id, title: rule.title, severity: rule.severity, source: rule.source, tests: tests)
        // A rule that names a clause twice encodes it once.
        for clause in Set(rule.clauses) { encoders[r, default: [:]][clause, default: []].append(encoding) }
      }
    }
    for r in used.sorted() {
      let registry = project.registries[r]
      registries.append(registry.directory)
      for regulation in registry.regulations {
        let clauses = regulation.clauses.map { c in
          ClauseCoverage(clause: c, rules: (encoders[r]?[c.fullID] ?? []).sorted { ($0.rulebook, $0.source.start.line) < ($1.rulebook, $1.source.start.line) })
        }
        instruments.append(InstrumentCoverage(regulation: regulation, registry: registry.directory, clauses: clauses))
      }
    }
  }
}
