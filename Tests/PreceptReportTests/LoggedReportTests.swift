import Foundation
import Precept
import PreceptReport
import Testing

/// What a server adds to the report for a logged decision: decisions rebuilt from their logged
/// statuses, decisions known only as recorded, notices and header lines — and the list page.
/// Everything from the log is escaped.
@Suite struct LoggedReportTests {
  static let hostile = "<img src=x onerror=alert(1)>"

  /// A decision rebuilt from logged statuses under its rulebook reads like the decided one,
  /// without traces; one that does not name the rulebook's rules in order is refused.
  @Test func recordedStatusesUnderTheSameRulebook() throws {
    let decided = try ReportSupport.example("cl-hidden-fee.yaml").decisions
    let d = try #require(decided.first { $0.rulebook.id == "cn.consumer-credit" })
    let logged = d.results.map { ($0.rule.id, $0.status, $0.message, nil as String?) }
    let rebuilt = try #require(Decision(rulebook: d.rulebook, asOf: d.asOf, stage: d.stage, recorded: logged))
    #expect(rebuilt.outcome == d.outcome)
    #expect(rebuilt.byOwner.map(\.name) == d.byOwner.map(\.name) && rebuilt.byOwner.map(\.outcome) == d.byOwner.map(\.outcome))
    #expect(rebuilt.results.allSatisfy { $0.trace == nil })
    #expect(Decision(rulebook: d.rulebook, asOf: d.asOf, stage: d.stage, recorded: Array(logged.reversed())) == nil)
    #expect(Decision(rulebook: d.rulebook, asOf: d.asOf, stage: d.stage, recorded: Array(logged.dropLast())) == nil)
    let html = DecisionReport.html(ReportInput(decisions: [rebuilt]))
    for r in d.rules(.violated) { #expect(html.contains("data-rule=\"\(r.rule.id)\" data-status=\"violated\"")) }
    #expect(!html.contains("<details class=\"trace\""))
  }

  @Test func recordedDecisionsNoticesAndDetailsAreShownEscaped() {
    var input = ReportInput(decisions: [])
    input.recorded = [RecordedDecision(
      rulebook: "cn.<x>", version: "1\"", digest: "sha256:abc", asOf: "2026-11-23", stage: nil, outcome: .block,
      results: [("R-<1>", .violated, Self.hostile), ("R-2", .unknown, nil), ("R-3", .passed, nil)], why: "changed <since>")]
    input.recordedByOwner = [("finance", .block), ("legal<", .pass)]
    input.notices = ["notice " + Self.hostile]
    input.details = [("Client", Self.hostile)]
    let html = DecisionReport.html(input)
    let body = String(html[(html.range(of: "<body>")?.upperBound ?? html.startIndex)...])
    #expect(!body.contains("<img") && !body.contains("<x>") && !body.contains("<1>") && !body.contains("<since>"))
    #expect(body.contains("<div class=\"verdict\" id=\"verdict\" data-outcome=\"block\">"))
    #expect(body.contains("<p class=\"notice\">notice &lt;img src=x onerror=alert(1)&gt;</p>"))
    #expect(body.contains("<dt>Client</dt><dd>&lt;img src=x onerror=alert(1)&gt;</dd>"))
    #expect(body.contains("<article class=\"finding recorded\" id=\"cn--x---R--1-\" data-rule=\"R-&lt;1&gt;\" data-status=\"violated\">"))
    #expect(body.contains("<p class=\"message\">&lt;img src=x onerror=alert(1)&gt;</p>"))
    #expect(body.contains("<h3>Unknown (1)</h3>") && body.contains("<h3>Passed (1)</h3>"))
    #expect(body.contains("<tr data-department=\"finance\" data-outcome=\"block\"><td>finance</td><td><span class=\"badge block\">BLOCK</span></td><td><span class=\"muted\">not known (see below)</span></td></tr>"))
    #expect(body.contains("<tr data-department=\"legal&lt;\" data-outcome=\"pass\">"))
    #expect(body.contains("<dt>As of</dt><dd>2026-11-23</dd>"))
  }

  @Test func theListPageLinksEachDecisionAndEscapes() {
    let list = DecisionList(
      rows: [
        .init(id: "01A", link: "/v1/decisions/01A.html", receivedAt: "2026-12-07T04:38:43.428Z", asOf: "2026-11-23",
              rulebooks: ["cn.consumer-credit 2026.12.0"], outcome: "block", client: Self.hostile),
        .init(id: "01B", link: "/v1/decisions/01B.html?a=1&b=2", receivedAt: "t", asOf: "d", rulebooks: [], outcome: "odd<", client: "c"),
      ],
      rulebook: Self.hostile, outcome: .block, rulebookChoices: ["cn.consumer-credit"], next: "/?cursor=01B&rulebook=%3C", viewer: "alice", seesAll: false)
    let html = list.html()
    let body = String(html[(html.range(of: "<body>")?.upperBound ?? html.startIndex)...])
    #expect(!body.contains("<img") && !body.contains("<script") && !body.contains("odd<"))
    #expect(body.contains("<td><a href=\"/v1/decisions/01A.html\"><code>01A</code></a></td>"))
    #expect(body.contains("<a href=\"/v1/decisions/01B.html?a=1&amp;b=2\">"))
    #expect(body.contains("<td><span class=\"badge block\">BLOCK</span></td><td>&lt;img src=x onerror=alert(1)&gt;</td>"))
    #expect(body.contains("<td>odd&lt;</td>"))
    #expect(body.contains("<option value=\"&lt;img src=x onerror=alert(1)&gt;\" selected>"))
    #expect(body.contains("<option value=\"block\" selected>block</option>"))
    #expect(body.contains("<a id=\"next\" href=\"/?cursor=01B&amp;rulebook=%3C\">"))
    #expect(body.contains("The decisions of client <code>alice</code>"))
    #expect(html.contains(#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">"#))
  }
}
