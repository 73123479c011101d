import ArgumentParser
import Precept

struct TestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "test",
    abstract: "Run the rulebooks' own `tests:` and report which cases pass.",
    discussion: "Exit status: 0 every case passed, 1 a case failed, 2 unusable rulebooks."
  )

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, junit }

  @ArgumentParser.Argument(help: "Rulebook files, or directories searched for rulebooks.")
  var paths: [String]

  @Option(help: "Output format: text or junit (JUnit XML for CI systems).")
  var format: Format = .text

  @Flag(help: "Also list rules, `when` branches and table rows the tests never exercise.")
  var coverage = false

  @Option(help: "Directory that imports (and test facts files) may not leave (default: the git checkout holding every path, else the deepest directory holding them).")
  var root: String?

  func run() throws {
    let report = try Failure.exitOnFailure { () throws -> TestReport in
      do throws(LoadError) {
        return try RulebookTests.run(paths: paths, root: root, defaultAsOf: Clock.today())
      } catch {
        throw Failure.load(error)
      }
    }
    switch format {
    case .text: Terminal.write(TestOutput.text(report, coverage: coverage))
    case .junit: Terminal.write(TestOutput.junit(report))
    }
    if report.failedCount > 0 { throw ExitCode(1) }
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
    }
    out += "\n\(report.passedCount) passed, \(report.failedCount) failed\n"
    return out
  }

  static func junit(_ report: TestReport) -> String {
    var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
    out += #"<testsuites name="precept" tests="\#(report.results.count)" failures="\#(report.failedCount)">"# + "\n"
    let books = report.results.reduce(into: [String]()) { if !$0.contains($1.rulebook) { $0.append($1.rulebook) } }
    for book in books {
      let cases = report.results.filter { $0.rulebook == book }
      out += #"  <testsuite name="\#(xml(book))" tests="\#(cases.count)" failures="\#(cases.filter { !$0.passed }.count)">"# + "\n"
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
