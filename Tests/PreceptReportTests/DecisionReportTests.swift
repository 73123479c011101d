import Foundation
import Precept
import PreceptReport
import Testing

/// The HTML review report: its golden file, escaping of hostile input, the marks around matched
/// words, negated phrases, and byte-identical output.
/// `PRECEPT_UPDATE_GOLDEN=1 swift test --filter DecisionReportTests` rewrites the golden file.
@Suite struct DecisionReportTests {
  @Test func shippedExampleMatchesGolden() throws {
    let html = ReportSupport.portable(DecisionReport.html(try ReportSupport.example("wm-disguised-guarantee.yaml")))
    let url = ReportSupport.cases.appendingPathComponent("wm-disguised-guarantee.html")
    if ReportSupport.updating {
      try html.write(to: url, atomically: true, encoding: .utf8)
      return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(html == expected, "wm-disguised-guarantee.html differs; run with PRECEPT_UPDATE_GOLDEN=1 and review the diff")
  }

  @Test func sameInputGivesTheSameBytes() throws {
    let a = DecisionReport.html(try ReportSupport.example("cl-hidden-fee.yaml"))
    let b = DecisionReport.html(try ReportSupport.example("cl-hidden-fee.yaml"))
    #expect(a == b)
  }

  @Test func pageIsSelfContainedWithItsPolicy() throws {
    let html = DecisionReport.html(try ReportSupport.example("cl-student-guarantee.yaml"))
    #expect(html.contains(#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">"#))
    for external in ["src=", "<link", "@import", "url(", "http://", "https://"] {
      // The only URL is the SVG namespace, which is a name, not a fetch.
      let stripped = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
      #expect(!stripped.contains(external), "the page refers to something outside it: \(external)")
    }
    #expect(html.contains("\"Noto Sans CJK SC\""))
    #expect(html.contains("@page { size: A4"))
  }

  /// A dossier whose name, copy and channel try to inject markup, break out of attributes and
  /// reorder text; its copy also makes a claim, so the hostile text is marked as well as shown.
  static let hostile = #"""
    product:
      id: "X-<script>alert(1)</script>"
      name: "evil\" onmouseover=\"alert(2)\" ' <img src=x onerror=alert(3)> \u202Etxt.exe"
      kind: wealth_management
      stage: approval
      jurisdiction: CN
      currency: CNY
      target_segments: [general]
      min_age: 18
      risk_level: R2
      min_investor_rating: C2
      guaranteed_principal: false
      disclosures:
        - { kind: risk_warning, text: "理财非存款、产品有风险、投资须谨慎", placement: product_page }
      marketing:
        - { channel: "<b onclick=alert(4)>app</b>", copy: "<script>alert(5)</script>保本\u202E稳健 \"quoted\" & 'single'" }
    """#

  @Test func hostileFactsAreEscaped() throws {
    let html = DecisionReport.html(try ReportSupport.input(factsText: Self.hostile, source: "hostile<.yaml"))
    let body = String(html[html.range(of: "<body>")!.upperBound...])
    // Only the page's own script element; nothing the facts wrote is markup.
    #expect(body.components(separatedBy: "<script").count == 2, "a script element came from the facts")
    for injected in ["<img", "<b ", "onmouseover=\"", "<b onclick", "onerror=alert(3)>"] {
      #expect(!body.contains(injected), "unescaped: \(injected)")
    }
    #expect(body.contains("X-&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(body.contains("evil&quot; onmouseover=&quot;alert(2)&quot; &#39; &lt;img src=x onerror=alert(3)&gt;"))
    #expect(!html.unicodeScalars.contains("\u{202E}"), "a right-to-left override reached the page")
    #expect(body.contains(#"<span class="ctl">\u{202E}</span>"#))
    #expect(body.contains("hostile&lt;.yaml"))
    // The claim in the hostile copy is still marked, inside escaped text.
    #expect(body.contains(#"&lt;script&gt;alert(5)&lt;/script&gt;<mark title="WORD-NO-GUARANTEES (violated)">保本</mark><span class="ctl">\u{202E}</span>稳健 &quot;quoted&quot; &amp; &#39;single&#39;"#))
  }

  @Test func everyMatchedPhraseIsMarkedInItsCopy() throws {
    let html = DecisionReport.html(try ReportSupport.example("wm-disguised-guarantee.yaml"))
    let copy = String(html[html.range(of: "<section id=\"copy\">")!.lowerBound..<html.range(of: "</section>", range: html.range(of: "<section id=\"copy\">")!.upperBound..<html.endIndex)!.upperBound])
    // The example writes 保 本 with an ASCII space; a full-width one is marked in negatedPhrasesAreShownAsSuch.
    for (phrase, channel) in [("保 本", "app_banner"), ("穩賺不賠", "wechat_article"), ("零风险", "sms")] {
      #expect(copy.contains("<mark title=\"WORD-NO-GUARANTEES (violated)\">\(phrase)</mark>"), "\(phrase) is not marked")
      #expect(copy.contains(channel))
    }
    // Words found by rules that passed (the risk warning) are shown, but not as claims.
    #expect(copy.contains("<mark class=\"found\" title=\"WORD-RETURN-NEEDS-WARNING (passed)\">产品有风险</mark>"))
  }

  @Test func negatedPhrasesAreShownAsSuch() throws {
    let facts = #"""
      product:
        id: WM-NEG
        name: 稳健
        kind: wealth_management
        stage: approval
        jurisdiction: CN
        currency: CNY
        target_segments: [general]
        min_age: 18
        risk_level: R2
        min_investor_rating: C2
        guaranteed_principal: false
        disclosures:
          - { kind: risk_warning, text: "理财非存款、产品有风险、投资须谨慎", placement: product_page }
        marketing:
          - { channel: app_banner, copy: "本产品不保本，稳赚不赔" }
          - { channel: sms, copy: "保　本稳健" }
      """#
    let html = DecisionReport.html(try ReportSupport.input(factsText: facts, source: "neg.yaml"))
    #expect(html.contains("本产品不<span class=\"negated\" title=\"negated, not a claim: WORD-NO-GUARANTEES\">保本</span>，<mark title=\"WORD-NO-GUARANTEES (violated)\">稳赚不赔</mark>"))
    #expect(html.contains("<mark title=\"WORD-NO-GUARANTEES (violated)\">保　本</mark>稳健"))
  }

  @Test func rateFiguresShowDisclosedAndImplied() throws {
    let html = DecisionReport.html(try ReportSupport.example("cl-hidden-fee.yaml"))
    #expect(html.contains("<section id=\"rates\">"))
    #expect(html.contains(">17.90%</text>"))
    #expect(html.contains(">38.70%</text>"))
    #expect(html.contains("product.pricing.apr (disclosed)"))
    #expect(html.contains("<span class=\"num\">-916.37 CNY</span>"))
  }

  @Test func signOffSheetListsEveryDepartment() throws {
    let input = try ReportSupport.example("cl-student-guarantee.yaml")
    let html = DecisionReport.html(input)
    var worst: [String: Outcome] = [:]
    for d in input.decisions { for (o, v) in d.byOwner { worst[o] = max(worst[o] ?? .pass, v) } }
    for (owner, outcome) in worst {
      #expect(html.contains("<tr data-department=\"\(owner)\" data-outcome=\"\(outcome.rawValue)\">"))
    }
    #expect(html.contains("<div class=\"verdict\" id=\"verdict\" data-outcome=\"block\">"))
  }

  @Test func traceReportShowsPassedRulesTraces() throws {
    let input = try ReportSupport.input(
      factsText: try String(contentsOf: ReportSupport.repo.appendingPathComponent("examples/products/cl-clean.yaml"), encoding: .utf8),
      source: "cl-clean.yaml", allTraces: true)
    let html = DecisionReport.html(input)
    #expect(html.contains("<ul class=\"compact passed\">"))
    #expect(html.contains("<details class=\"trace\">"))
  }
}
