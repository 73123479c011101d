import Foundation
import Precept
import PreceptReport
import Testing

/// `precept test --coverage`: the figures behind the percentage, and the HTML page.
@Suite struct CoverageReportTests {
  static func report() throws -> TestReport {
    let path = ReportSupport.cases.appendingPathComponent("partial-coverage.yaml").path
    return try RulebookTests.run(paths: [path], root: ReportSupport.cases.path, defaultAsOf: ReportSupport.asOf)
  }

  @Test func goalsAndPercentage() throws {
    let r = try Self.report()
    let c = try #require(r.coverageSummaries.first)
    // 3 rules × (passing, failing) + 1 `when` + 3 table rows = 10 goals; the two tests reach 5.
    let figures: [Int] = [c.rules, c.seenPassing, c.seenFailing, c.whenRules, c.whenFalse, c.tableRows, c.rowsChosen]
    #expect(figures == [3, 2, 1, 1, 1, 3, 1] as [Int])
    let totals: [Int] = [c.goals, c.covered, c.permille]
    #expect(totals == [10, 5, 500] as [Int])
    #expect(c.percentText == "50.0")
    #expect(CoverageSummary.total([c, c]).percentText == "50.0")
    #expect(CoverageSummary(rulebook: "empty").percentText == "100.0")
  }

  @Test func shippedRulebooksAreFullyCovered() throws {
    let r = try RulebookTests.run(paths: [ReportSupport.rulebooks], root: ReportSupport.repo.path, defaultAsOf: ReportSupport.asOf)
    #expect(CoverageSummary.total(r.coverageSummaries).permille == 1000)
  }

  @Test func htmlPageShowsCasesPercentagesAndGaps() throws {
    let html = TestReportHTML.html(try Self.report(), coverage: true, generator: "precept")
    #expect(html.contains("<tr data-rulebook=\"demo.partial-coverage\" data-percent=\"50.0\">"))
    #expect(html.contains("<code>ELIG-STUDENT-ADULT</code>: never applied"))
    #expect(html.contains("table `max_age` row 3"))
    #expect(html.contains("2 passed, 0 failed"))
    #expect(html.contains("Content-Security-Policy"))
    #expect(!TestReportHTML.html(try Self.report(), coverage: false).contains("id=\"coverage\""))
  }
}
