import ArgumentParser
import Precept
import PreceptReport

struct TestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "test",
    abstract: "Run the rulebooks' own `tests:` and report which cases pass.",
    discussion: "Exit status: 0 every case passed, 1 a case failed or coverage is below --min-coverage, 2 unusable rulebooks or a bad --min-coverage."
  )

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, junit, json, html }

  @ArgumentParser.Argument(help: "Rulebook files, or directories searched for rulebooks.")
  var paths: [String]

  @Option(help: "Output format: text, junit (JUnit XML for CI systems), json, or html (a self-contained report).")
  var format: Format = .text

  @Flag(help: "Also report coverage: rules never seen passing or failing, `when` never false, table rows never chosen, and a percentage per rulebook.")
  var coverage = false

  @Option(name: .customLong("min-coverage"), help: "Exit 1 when the coverage of all the rulebooks together is below N percent (implies --coverage).")
  var minCoverage: String?

  @Option(help: "Directory that imports (and test facts files) may not leave (default: the git checkout holding every path, else the deepest directory holding them).")
  var root: String?

  @Option(help: "The regulations registry's folder that clause ids in `cite` name (default: the nearest `regulations/` at or above each rulebook, inside the root).")
  var registry: String?

  @Flag(help: "Run again whenever a rulebook, an import or a test's facts file changes (Ctrl-C stops).")
  var watch = false

  func run() throws {
    if watch { Watch.loop(paths: paths, root: root, registry: registry) { try runOnce() } }
    try runOnce()
  }

  func runOnce() throws {
    let report = try Failure.exitOnFailure { () throws -> TestReport in
      do throws(LoadError) {
        return try RulebookTests.run(paths: paths, root: root, registry: registry, defaultAsOf: Clock.today())
      } catch {
        throw Failure.load(error)
      }
    }
    let minimum = try Failure.exitOnFailure { try minCoverage.map(Self.percent) }
    let showCoverage = coverage || minimum != nil
    switch format {
    case .text: Terminal.write(TestOutput.text(report, coverage: showCoverage))
    case .junit: Terminal.write(TestOutput.junit(report, coverage: showCoverage))
    case .json: Terminal.write(TestOutput.json(report, coverage: showCoverage).serialized(pretty: true) + "\n")
    case .html: Terminal.write(TestReportHTML.html(report, coverage: showCoverage))
    }
    var failed = report.failedCount > 0
    if let minimum {
      let total = CoverageSummary.total(report.coverageSummaries)
      if total.permille < minimum {
        Terminal.error("precept: coverage \(total.percentText)% is below --min-coverage \(minCoverage ?? "")%")
        failed = true
      }
    }
    if failed { throw ExitCode(1) }
  }
}

extension TestCommand {
  /// `--min-coverage N` in tenths of a percent: N is a number from 0 to 100, with at most one decimal.
  static func percent(_ text: String) throws -> Int {
    let t = text.hasSuffix("%") ? String(text.dropLast()) : text
    let parts = t.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), let whole = Int(parts[0]), parts[0].allSatisfy(\.isASCII),
      parts.count == 1 || (parts[1].count == 1 && parts[1].allSatisfy(\.isNumber) && parts[1].allSatisfy(\.isASCII)),
      (0...100).contains(whole)
    else { throw Failure.usage("--min-coverage `\(text)` is not a percentage from 0 to 100 (e.g. 80 or 87.5)") }
    let tenths = whole * 10 + (parts.count == 2 ? Int(parts[1]) ?? 0 : 0)
    guard tenths <= 1000 else { throw Failure.usage("--min-coverage `\(text)` is above 100") }
    return tenths
  }
}

/// Renderings of a test report.
enum TestOutput {
  static func text(_ report: TestReport, coverage: Bool) -> String {
    var out = ""
    var current = ""
    for r in report.results {
      if r.file != current {
        out += TerminalText.escaped("\(r.file)  \(r.rulebook)") + "\n"
        current = r.file
      }
      out += "  \(r.passed ? "✓" : "✗") " + TerminalText.escaped(r.name) + "\n"
      for f in r.failures { out += "      " + TerminalText.escaped(f) + "\n" }
    }
    if coverage {
      out += "\nCoverage\n"
      var gaps = 0
      for book in report.rulebooks {
        for (rule, missing) in report.coverage.gaps(book) {
          out += "  \(book.id) \(rule): \(missing.joined(separator: ", "))\n"
          gaps += 1
        }
      }
      for row in report.coverage.unusedRows {
        out += "  \(row): never chosen\n"
        gaps += 1
      }
      if gaps == 0 { out += "  every rule passed and failed in some test, and every table row was chosen\n" }
      let summaries = report.coverageSummaries
      for c in summaries {
        out += "  \(TerminalText.escaped(c.rulebook)): \(c.percentText)% (\(c.covered) of \(c.goals): rules passing \(c.seenPassing)/\(c.rules), failing \(c.seenFailing)/\(c.rules), `when` false \(c.whenFalse)/\(c.whenRules), table rows \(c.rowsChosen)/\(c.tableRows))\n"
      }
      if summaries.count > 1 { out += "  all: \(CoverageSummary.total(summaries).percentText)%\n" }
    }
    out += "\n\(report.passedCount) passed, \(report.failedCount) failed\n"
    return out
  }

  static func junit(_ report: TestReport, coverage: Bool = false) -> String {
    var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
    out += #"<testsuites name="precept" tests="\#(report.results.count)" failures="\#(report.failedCount)">"# + "\n"
    let books = report.results.reduce(into: [String]()) { if !$0.contains($1.rulebook) { $0.append($1.rulebook) } }
    for book in books {
      let cases = report.results.filter { $0.rulebook == book }
      out += #"  <testsuite name="\#(xml(book))" tests="\#(cases.count)" failures="\#(cases.filter { !$0.passed }.count)">"# + "\n"
      if coverage, let compiled = report.rulebooks.first(where: { $0.id == book }) {
        out += properties(report, compiled)
      }
      for c in cases {
        let attributes = #"classname="\#(xml(book))" name="\#(xml(c.name))" file="\#(xml(c.file))" line="\#(c.source.start.line)""#
        if c.passed {
          out += "    <testcase \(attributes)/>\n"
        } else {
          out += "    <testcase \(attributes)>\n"
          out += #"      <failure message="\#(xml(c.failures.first ?? ""))">\#(xml(c.failures.joined(separator: "\n")))</failure>"# + "\n"
          out += "    </testcase>\n"
        }
      }
      out += "  </testsuite>\n"
    }
    return out + "</testsuites>\n"
  }

  /// Coverage as JUnit properties: the percentage, its figures, and each gap.
  static func properties(_ report: TestReport, _ book: CompiledRulebook) -> String {
    let c = report.coverage.summary(book)
    var props: [(String, String)] = [
      ("coverage.percent", c.percentText), ("coverage.goals", "\(c.goals)"), ("coverage.covered", "\(c.covered)"),
      ("coverage.rules", "\(c.rules)"), ("coverage.rules_seen_passing", "\(c.seenPassing)"), ("coverage.rules_seen_failing", "\(c.seenFailing)"),
      ("coverage.when_rules", "\(c.whenRules)"), ("coverage.when_seen_false", "\(c.whenFalse)"),
      ("coverage.table_rows", "\(c.tableRows)"), ("coverage.table_rows_chosen", "\(c.rowsChosen)"),
    ]
    for (rule, missing) in report.coverage.gaps(book) { props.append(("coverage.gap.\(rule)", missing.joined(separator: ", "))) }
    for row in report.coverage.unusedRows where row.hasPrefix(book.id + ": ") { props.append(("coverage.unused_row", String(row.dropFirst(book.id.count + 2)))) }
    var out = "    <properties>\n"
    for (name, value) in props { out += #"      <property name="\#(xml(name))" value="\#(xml(value))"/>"# + "\n" }
    return out + "    </properties>\n"
  }

  /// `{"results": [...], "passed", "failed", "coverage"?}`; see docs/reports.md.
  static func json(_ report: TestReport, coverage: Bool) -> JSON {
    var fields: [(String, JSON)] = [
      ("results", .array(report.results.map { r in
        .object([
          ("rulebook", .string(r.rulebook)), ("file", .string(r.file)), ("name", .string(r.name)), ("line", .int(r.source.start.line)),
          ("passed", .bool(r.passed)), ("failures", .array(r.failures.map { .string($0) })),
        ])
      })),
      ("passed", .int(report.passedCount)),
      ("failed", .int(report.failedCount)),
    ]
    if coverage {
      let summaries = report.coverageSummaries
      fields.append(("coverage", .object([
        ("percent", .number(CoverageSummary.total(summaries).percentText)),
        ("rulebooks", .array(zip(report.rulebooks, summaries).map { book, c in
          .object([
            ("rulebook", .string(c.rulebook)), ("percent", .number(c.percentText)), ("goals", .int(c.goals)), ("covered", .int(c.covered)),
            ("rules", .int(c.rules)), ("seen_passing", .int(c.seenPassing)), ("seen_failing", .int(c.seenFailing)),
            ("when_rules", .int(c.whenRules)), ("when_false", .int(c.whenFalse)),
            ("table_rows", .int(c.tableRows)), ("rows_chosen", .int(c.rowsChosen)),
            ("gaps", .array(report.coverage.gaps(book).map { .object([("rule", .string($0.rule)), ("missing", .array($0.missing.map { .string($0) }))]) })),
            ("unused_rows", .array(report.coverage.unusedRows.filter { $0.hasPrefix(book.id + ": ") }.map { .string(String($0.dropFirst(book.id.count + 2))) })),
          ])
        })),
      ])))
    }
    return .object(fields)
  }

  private static func xml(_ s: String) -> String {
    var out = ""
    for c in s.unicodeScalars {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "\n": out += "&#10;"
      default:
        // XML 1.0 forbids most control characters even as references.
        if c.value < 0x20 && c != "\t" { continue }
        out.unicodeScalars.append(c)
      }
    }
    return out
  }
}
