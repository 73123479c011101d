import Foundation
import Testing

@testable import Precept

/// Rulebooks and facts built to exhaust the stack or the screen: long chains of definitions,
/// deeply nested types, expressions and YAML. Each gives one diagnostic with a stable code (or the
/// right answer, when it is within the limits), never a crash, and what is printed stays small.
@Suite struct HostileRulebookTests {
  // MARK: - Generators

  static let header = """
    precept: 1
    rulebook: t.hostile
    schema:
      applicant: { age: int }

    """

  /// `d0: d1 + 1`, …, `d{n-2}: d{n-1} + 1`, `d{n-1}: applicant.age`; listed last first when `reversed`.
  static func chain(_ n: Int, reversed: Bool = false, require: String = "d0 > 0") -> String {
    var lines = (0..<(n - 1)).map { "  d\($0): d\($0 + 1) + 1\n" } + ["  d\(n - 1): applicant.age\n"]
    if reversed { lines.reverse() }
    return header + "definitions:\n" + lines.joined() + rule(require)
  }

  /// One rule with `condition` as its `require`, written as a literal block (so a condition of
  /// one token per line keeps each source line short).
  static func rule(_ condition: String) -> String {
    "rules:\n  - id: R1\n    severity: review\n    require: |-\n"
      + condition.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 + "\n" }.joined()
  }

  /// The line a rulebook built by `chain` or `rule` gives to its `require` (the block's first line).
  static func requireLine(_ yaml: String) -> Int {
    (yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasSuffix("require: |-") } ?? 0) + 2
  }

  // MARK: - Running

  struct Linted {
    var diagnostics: [Diagnostic]
    /// As `precept lint` prints it, file names relative to the temporary folder.
    var rendered: String
    /// `code line:column message` for each diagnostic.
    var summary: [String] { diagnostics.map { "\($0.code.rawValue) \($0.span.start.line):\($0.span.start.column) \($0.message)" } }
  }

  /// Lints a generated rulebook through a temporary file, as `precept lint` reads one.
  static func lint(_ yaml: String) throws -> Linted {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("precept-hostile-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try yaml.write(toFile: dir + "/hostile.yaml", atomically: true, encoding: .utf8)
    let report = LintReport.run(paths: [dir + "/hostile.yaml"], root: dir)
    let rendered = DiagnosticRenderer(files: report.files, color: false).render(report.diagnostics)
    return Linted(diagnostics: report.diagnostics, rendered: rendered.replacingOccurrences(of: dir + "/", with: ""))
  }

  static func status(_ yaml: String, age: Int) throws -> RuleStatus? {
    let book = try compileRulebook(yaml)
    return statuses(try book.evaluate(facts: "applicant: { age: \(age) }", asOf: asOf))["R1"]
  }

  // MARK: - Chains of definitions

  /// 127 definitions nest 255 levels under `d0`: within the limit, compiled and evaluated right.
  @Test func aChainAtTheLimitIsEvaluated() throws {
    let yaml = Self.chain(127, require: "d0 == 156")
    #expect(try Self.lint(yaml).diagnostics.isEmpty)
    #expect(try Self.status(yaml, age: 30) == .passed)
    #expect(try Self.status(yaml, age: 31) == .violated)
  }

  /// One definition more, and the rule that uses `d0` reaches 257 levels: one P0520, at the use.
  @Test func aChainOneTooDeepIsReportedAtItsUse() throws {
    let yaml = Self.chain(128, require: "d0 == 157")
    let linted = try Self.lint(yaml)
    #expect(
      linted.summary == [
        "P0520 \(Self.requireLine(yaml)):7 definitions nest more than 256 levels deep: `d0` → `d1` → `d2` → … → `d126` → `d127` (128 in the chain)"
      ])
    #expect(Self.requireLine(yaml) == 138)
    #expect(
      linted.rendered == """
        hostile.yaml:138:7: error[P0520]: definitions nest more than 256 levels deep: `d0` → `d1` → `d2` → … → `d126` → `d127` (128 in the chain)
             |
         138 |       d0 == 157
             |       ^^
             = help: a definition stands for its whole expression wherever it is used, so a chain of definitions nests like one long expression; shorten the chain by merging definitions

        1 error, 0 warnings

        """)
  }

  /// However long the chain and in whatever order it is listed, it is checked one definition at a
  /// time and reported once, where it first grows too deep (the deepest 129 definitions). (A chain
  /// of 100,000 gives the same one diagnostic; it takes ~7 s in a debug build, mostly reading.)
  @Test(arguments: [(129, false), (10_000, false), (10_000, true)])
  func aLongChainIsReportedOnce(_ n: Int, _ reversed: Bool) throws {
    let linted = try Self.lint(Self.chain(n, reversed: reversed))
    let top = n - 129
    // Definitions start on line 6; listed last first, `d{k}` is on line 6 + (n - 1 - k).
    let line = 6 + (reversed ? n - 1 - top : top)
    let column = 6 + String(top).count  // after `  d{top}: `
    #expect(
      linted.summary == [
        "P0520 \(line):\(column) definitions nest more than 256 levels deep: `d\(top)` → `d\(top + 1)` → `d\(top + 2)` → … → `d\(n - 2)` → `d\(n - 1)` (129 in the chain)"
      ])
    #expect(linted.rendered.utf8.count < 2_000)
  }

  /// A cycle is reported once, with a bounded list of notes; a cycle too long to follow within the
  /// limit is reported as nesting too deeply, once.
  @Test func aLongCycleIsOneDiagnostic() throws {
    func ring(_ n: Int) -> String {
      Self.header + "definitions:\n" + (0..<n).map { "  d\($0): d\(($0 + 1) % n) + 1\n" }.joined() + Self.rule("d0 > 0")
    }
    let cycle = try Self.lint(ring(100))
    #expect(cycle.summary == ["P0508 6:3 definitions depend on each other in a cycle: `d0` → `d1` → `d2` → … → `d99` → `d0` (100 definitions)"])
    #expect(cycle.diagnostics.first?.notes.map(\.message) == [
      "`d1` is part of the cycle", "`d2` is part of the cycle", "`d3` is part of the cycle", "`d4` is part of the cycle",
      "`d5` is part of the cycle", "and 94 more definitions",
    ])
    let ring = try Self.lint(ring(1_000))
    #expect(ring.summary == ["P0520 134:9 definitions nest more than 256 levels deep: `d0` → `d1` → `d2` → … → `d127` → `d128` (129 in the chain)"])
    #expect(cycle.rendered.utf8.count < 2_000 && ring.rendered.utf8.count < 2_000)
  }

  /// Definitions that each use the next one twice: 2⁶⁰ paths, each definition folded and compiled once.
  @Test func sharedDefinitionsAreVisitedOnce() throws {
    let n = 60
    func dag(last: String) -> String {
      Self.header + "definitions:\n" + (0..<n).map { "  d\($0): d\($0 + 1) and d\($0 + 1)\n" }.joined() + "  d\(n): \(last)\n"
        + Self.rule("d0")
    }
    #expect(
      try Self.lint(dag(last: "1 > 0")).summary == [
        "P0603 4:16 fact `applicant.age` is declared but no rule reads it",
        "P0605 71:7 rule `R1` can never be violated: its `require` is always true",
      ])
    #expect(try Self.status(dag(last: "applicant.age > 17"), age: 30) == .passed)
    #expect(try Self.status(dag(last: "applicant.age > 17"), age: 16) == .violated)
  }

  /// Tables count like definitions: a table whose input and result use the next table.
  @Test func aChainOfTablesIsBounded() throws {
    func tables(_ n: Int) -> String {
      Self.header + "tables:\n"
        + (0..<n).map { i in
          let next = i == n - 1 ? "applicant.age" : "t\(i + 1)"
          return "  t\(i):\n    hit: first\n    inputs: [\"\(next)\"]\n    rows:\n      - [\"> 0\", \"\(next) + 1\"]\n    default: 0\n"
        }.joined() + Self.rule("t0 > 0")
    }
    #expect(try Self.lint(tables(80)).diagnostics.isEmpty)
    #expect(try Self.status(tables(80), age: 30) == .passed)
    let linted = try Self.lint(tables(200))
    // Each table nests two levels below the next (`t{i+1} + 1`), and `t199` three: the result
    // of `t72` (line 442) is the first to reach past 256.
    #expect(linted.summary == ["P0520 442:18 definitions nest more than 256 levels deep: `t72` → `t73` → `t74` → … → `t198` → `t199` (128 in the chain)"])
  }

  /// A chain through 90 rulebooks, each importing the next (`d: n.d + 1 + 1 + 1`, three levels
  /// each, within the 100 imports P0305 allows): one P0520, naming the rulebooks it passes through.
  @Test func aChainThroughImportsIsReportedOnce() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("precept-hostile-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let n = 90
    for i in 0..<n {
      var text = "precept: 1\nrulebook: t.f\(i)\n"
      if i < n - 1 {
        text += "imports:\n  - { path: f\(i + 1).yaml, as: n }\ndefinitions:\n  d: n.d + 1 + 1 + 1\n"
      } else {
        text += "schema:\n  applicant: { age: int }\ndefinitions:\n  d: applicant.age\n"
      }
      if i == 0 { text += "rules:\n  - { id: R1, severity: review, require: d > 0 }\n" }
      try text.write(toFile: dir + "/f\(i).yaml", atomically: true, encoding: .utf8)
    }
    let report = LintReport.run(paths: [dir + "/f0.yaml"], root: dir)
    #expect(report.diagnostics.map { "\($0.code.rawValue) \($0.span.file.replacingOccurrences(of: dir + "/", with: "")):\($0.span.start.line):\($0.span.start.column) \($0.message)" } == [
      "P0520 f25.yaml:6:6 definitions nest more than 256 levels deep: `d` → `d` in `t.f26` → `d` in `t.f27` → … → `d` in `t.f88` → `d` in `t.f89` (65 in the chain)"
    ])
  }

  // MARK: - Schema types

  @Test(arguments: [31, 32, 40_000])
  func listsInATypeNestAtMost32Deep(_ n: Int) throws {
    let yaml = """
      precept: 1
      rulebook: t.hostile
      schema:
        applicant: { age: int, deep: "\(String(repeating: "list(", count: n))int\(String(repeating: ")", count: n))?" }
      rules:
        - { id: R1, severity: review, require: applicant.deep is present and applicant.age > 0 }

      """
    let linted = try Self.lint(yaml)
    if n <= 31 {
      #expect(linted.diagnostics.isEmpty)
    } else {
      // The 32nd `list` would be the 33rd level, under `applicant`'s record: column 33 + 5 × 31.
      #expect(linted.summary == ["P0521 4:188 this type nests lists and records more than 32 levels deep"])
      #expect(linted.diagnostics.first?.help == ["facts are rarely more than a few records deep; give the data a flatter shape"])
    }
  }

  @Test func recordsInATypeNestAtMost32Deep() throws {
    let n = 40_000
    let yaml = """
      precept: 1
      rulebook: t.hostile
      schema:
        applicant: { age: int, deep: "\(String(repeating: "record(a: ", count: n))int\(String(repeating: ")", count: n))" }
      rules:
        - { id: R1, severity: review, require: applicant.age > 0 }

      """
    // The 32nd `record` would be the 33rd level: column 33 + 10 × 31.
    #expect(try Self.lint(yaml).summary == ["P0521 4:343 this type nests lists and records more than 32 levels deep"])
  }

  /// `n` levels: `n - 1` mappings (records) and `int`.
  @Test(arguments: [33, 34, 150])
  func schemaMappingsNestAtMost32Deep(_ n: Int) throws {
    let yaml = """
      precept: 1
      rulebook: t.hostile
      schema:
        applicant: \(String(repeating: "{a: ", count: n - 1))int\(String(repeating: "}", count: n - 1))
      rules:
        - { id: R1, severity: review, require: applicant is present }

      """
    let linted = try Self.lint(yaml)
    if n <= 33 {
      #expect(linted.diagnostics.isEmpty)
    } else {
      // At the 33rd `{`: column 14 + 4 × 32.
      #expect(linted.summary == ["P0521 4:142 `applicant.a.a.….a.a` nests records more than 32 levels deep"])
    }
  }

  // MARK: - Expressions

  /// Expressions nested far past the parser's limit, one token per line: one P0407 each, and a
  /// few lines of output (5,000 nested `if`s used to print 61 MB of "expected `else`"). 100,000
  /// terms behave the same; 20,000 keep the test quick in a debug build.
  static let deepExpressions: [(name: String, text: String)] = {
    let n = 20_000
    func lines(_ parts: [String]) -> String { parts.joined(separator: "\n") }
    return [
      ("parentheses", lines(Array(repeating: "(", count: n) + ["applicant.age > 0"] + Array(repeating: ")", count: n))),
      ("not", lines(Array(repeating: "not", count: n) + ["applicant.age > 0"])),
      ("plus", lines(["applicant.age"] + Array(repeating: "+ applicant.age", count: n)) + "\n> 0"),
      ("and", lines(["applicant.age > 0"] + Array(repeating: "and applicant.age > 0", count: n))),
      ("nested if", lines(Array(repeating: "if applicant.age > 0 then", count: 5_000) + ["true"] + Array(repeating: "else false", count: 5_000))),
      ("if in parentheses", lines(Array(repeating: "(if applicant.age > 0 then", count: 5_000) + ["true"] + Array(repeating: "else false)", count: 5_000))),
      ("calls", lines(Array(repeating: "abs(", count: 5_000) + ["applicant.age"] + Array(repeating: ")", count: 5_000)) + "\n> 0"),
      ("lists", lines(Array(repeating: "[", count: 5_000) + ["1"] + Array(repeating: "]", count: 5_000)) + "\n== []"),
      ("members", lines(["applicant"] + Array(repeating: ".age", count: n)) + "\n> 0"),
    ]
  }()

  @Test(arguments: HostileRulebookTests.deepExpressions.map(\.name))
  func aDeepExpressionIsOneDiagnostic(_ name: String) throws {
    let text = try #require(Self.deepExpressions.first { $0.name == name }?.text)
    let linted = try Self.lint(Self.header + Self.rule(text))
    #expect(linted.diagnostics.map(\.code) == [.expressionTooDeep])
    #expect(linted.diagnostics.first?.message == "expression nested more than 256 levels deep")
    #expect(linted.rendered.utf8.count < 1_000, "\(linted.rendered.utf8.count) bytes")
  }

  /// At the parser's limit every pass (check, fold, compile, evaluate) still runs, on this thread.
  static let expressionsAtTheLimit: [(name: String, text: String, age: Int, status: RuleStatus)] = {
    func repeated(_ s: String, _ k: Int) -> String { String(repeating: s, count: k) }
    return [
      ("parentheses", repeated("(", 250) + "applicant.age > 17" + repeated(")", 250), 16, .violated),
      ("not", repeated("not ", 250) + "applicant.age > 17", 30, .passed),
      ("plus", (["applicant.age"] + Array(repeating: "+ applicant.age", count: 249)).joined(separator: " ") + " == 7500", 30, .passed),
      ("and", (0..<120).map { "applicant.age > \($0)" }.joined(separator: " and "), 30, .violated),
      ("nested if", repeated("if applicant.age > 0 then ", 250) + "true" + repeated(" else false", 250), 30, .passed),
      ("calls", repeated("max(", 252) + "applicant.age" + repeated(", 1)", 252) + " == 30", 30, .passed),
    ]
  }()

  @Test(arguments: HostileRulebookTests.expressionsAtTheLimit.map(\.name))
  func anExpressionAtTheLimitIsEvaluated(_ name: String) throws {
    let c = try #require(Self.expressionsAtTheLimit.first { $0.name == name })
    let yaml = Self.header + Self.rule(c.text)
    #expect(try Self.lint(yaml).diagnostics.isEmpty)
    #expect(try Self.status(yaml, age: c.age) == c.status)
  }

  // MARK: - YAML

  /// A million nested lists or mappings, in facts or in a rulebook: P0105 once, and the tree
  /// built so far (200 levels) is freed without recursing a million deep.
  @Test(arguments: ["[", "{a: "])
  func deeplyNestedYAMLIsOneDiagnostic(_ opener: String) throws {
    let n = 1_000_000
    let closer = opener == "[" ? "]" : "}"
    // One bracket per line, so the line shown under the diagnostic is short. With the document's
    // own mapping, the bracket on line k opens level k + 1: level 201 is on line 200 (in the
    // rulebook, under `lists:` and `deep:`, on line 202).
    let nested = String(repeating: opener + "\n", count: n) + (opener == "[" ? "" : "1\n") + String(repeating: closer, count: n)
    let facts = FactsDocument.parse(path: "facts.yaml", text: "applicant: " + nested + "\n")
    guard case .failure(let error) = facts else {
      Issue.record("facts nested \(n) deep were accepted")
      return
    }
    #expect(error.diagnostics.map { "\($0.code.rawValue) \($0.span.start.line):\($0.span.start.column) \($0.message)" } == [
      "P0105 200:1 lists and mappings are nested more than 200 levels deep here"
    ])
    let rendered = DiagnosticRenderer(files: error.files).render(error.diagnostics)
    #expect(rendered.utf8.count < 1_000)

    let linted = try Self.lint("precept: 1\nrulebook: t.hostile\nlists:\n  deep: " + nested + "\n")
    #expect(linted.summary == ["P0105 202:1 lists and mappings are nested more than 200 levels deep here"])
    #expect(linted.rendered.utf8.count < 1_000)
  }

  /// JSON Lines facts (`precept eval`) nested a million deep, where a number is expected and
  /// under a key the schema does not know: an error for the line, or the line read.
  @Test func deeplyNestedJSONLinesAreReadWithoutRecursion() throws {
    let plan = JSONFactsReader.Plan([Field(name: "applicant", type: .record(RecordType([Field(name: "age", type: .int)])))])
    func read(_ line: String) -> Result<[Value], FactsErrors> {
      Array(line.utf8).withUnsafeBufferPointer { JSONFactsReader.read($0, plan: plan) }
    }
    let n = 1_000_000
    let lists = String(repeating: "[", count: n) + String(repeating: "]", count: n)
    let objects = String(repeating: #"{"a":"#, count: n) + "1" + String(repeating: "}", count: n)
    for deep in [lists, objects] {
      guard case .failure(let e) = read(#"{"age":"# + deep + "}") else {
        Issue.record("a nested value was read as an int")
        continue
      }
      // Deeper than a YAML or JSON facts file may nest (200 levels): the line is not read, as
      // such a file is not, wherever the nesting is.
      // The 200th level opens 199 steps after the first, each step 1 byte (`[`) or 5 (`{"a":`).
      let step = deep == lists ? 1 : 5
      #expect(e.errors.map(\.description) == ["not valid JSON at byte \(8 + 199 * step): lists and objects are nested more than 200 levels deep"])
      guard case .failure(let unknown) = read(#"{"x":"# + deep + #","age":30}"#) else {
        Issue.record("a line nested a million deep was read")
        continue
      }
      #expect(unknown.errors.map(\.description) == ["not valid JSON at byte \(6 + 199 * step): lists and objects are nested more than 200 levels deep"])
    }
  }
}
