import Foundation
import Precept
import PreceptReport
import Testing

/// `precept coverage --regulations --format html`: the registry clause by clause, as one page.
@Suite struct RegulationCoverageReportTests {
  static let demo = ReportSupport.repo.appendingPathComponent("Tests/PreceptTests/Cases/coverage")

  static func page() throws -> String {
    let c = try RegulationCoverage.run(paths: [demo.appendingPathComponent("loans.yaml").path], root: demo.path, defaultAsOf: ReportSupport.asOf)
    return ReportSupport.portable(RegulationCoverageHTML.html(c, generator: "precept"))
  }

  @Test func eachClauseShowsItsRulesAndTheCasesThatExercisedThem() throws {
    let html = try Self.page()
    #expect(html.contains("<span>4 of 5 clauses encoded by rules, 3 exercised by tests</span> <span class=\"badge review\">1 NOT ENCODED</span>"))
    #expect(html.contains("<tr id=\"clause--DEMO-2026-1-1\" data-clause=\"DEMO-2026-1#1\" data-encoded=\"true\" data-exercised=\"true\">"))
    #expect(html.contains("<tr id=\"clause--DEMO-2026-1-3\" data-clause=\"DEMO-2026-1#3\" data-encoded=\"false\" data-exercised=\"false\">"))
    #expect(html.contains("<div class=\"rule\" data-rule=\"CARD-RATE-CEILING\" data-seen=\"none\">"))
    #expect(html.contains("<span class=\"badge pass\">passed and violated</span> in 3 test cases"))
    // Cases where a rule simply passed fold away; the others are listed.
    #expect(html.contains("<details class=\"passing\"><summary>passed in 2 test cases</summary>"))
    #expect(html.contains("<li data-status=\"violated\">violated: a loan without its rate is blocked <span class=\"meta\">line 43</span></li>"))
    // The case that fails is marked where it exercised a rule.
    #expect(html.components(separatedBy: "<span class=\"badge block\">case fails</span>").count - 1 == 3)
    // The quotation and the clause's address are shown as text, never fetched or linked.
    #expect(html.contains("<q>No card shall charge more than the ceiling.</q>"))
    #expect(!html.contains("href=\"https://"))
    #expect(html.contains("Content-Security-Policy"))
    #expect(html.contains("<li><a href=\"#clause--DEMO-2026-1-3\"><code>DEMO-2026-1#3</code></a>"))
    #expect(html.contains("Tests/PreceptTests/Cases/coverage/regulations/demo-law.yaml"))
  }

  @Test func theShippedRegistryIsOnePage() throws {
    let c = try RegulationCoverage.run(paths: [ReportSupport.rulebooks], root: ReportSupport.repo.path, defaultAsOf: ReportSupport.asOf)
    let html = RegulationCoverageHTML.html(c)
    #expect(html.components(separatedBy: "<section class=\"instrument\"").count - 1 == 33)
    #expect(html.components(separatedBy: "data-encoded=\"false\"").count - 1 == 6)
    #expect(html.contains("<h2><code>PBOC-2021-3</code> PBoC Announcement [2021] No. 3 (中国人民银行公告〔2021〕第3号), on disclosing the annualized rate (年化利率)</h2>"))
  }
}
