import Foundation
import Precept
import PreceptReport
import PreceptTestSupport
import Testing

/// The report in a real browser: headless Chromium loads the pages of several shipped examples
/// and the DOM it builds is checked — the verdict, every violated rule, a `<mark>` around every
/// phrase the rules found, the sign-off rows — with the console checked for script errors and
/// for anything the Content-Security-Policy had to block (the page must fetch nothing).
///
/// Skipped, saying so, when no Chromium is installed; under CI (`CI=true`) a missing Chromium
/// fails instead, since `.ci/run` installs it. Screenshots go to `$PRECEPT_REPORT_SHOTS` when set
/// (`.build/report-shots` otherwise), to be looked at.
@Suite(.serialized) struct BrowserReportTests {
  static let chromium = HeadlessChromium.path
  static let underCI = ProcessInfo.processInfo.environment["CI"] == "true"
  static let shots: URL = {
    if let d = ProcessInfo.processInfo.environment["PRECEPT_REPORT_SHOTS"] { return URL(fileURLWithPath: d) }
    return ReportSupport.repo.appendingPathComponent(".build/report-shots")
  }()

  static let examples = ["wm-disguised-guarantee.yaml", "cl-hidden-fee.yaml", "cl-student-guarantee.yaml", "fresh-member-fee-loan.yaml", "ins-deposit-like-elderly.yaml"]

  /// Runs Chromium headless on a page: the DOM (when dumped) and the console lines it logged.
  static func run(_ chromium: String, _ page: URL, _ extra: [String]) throws -> (dom: String, console: [String]) {
    try HeadlessChromium.run(chromium, page.absoluteString, extra)
  }

  static func available() throws -> String? {
    guard let c = chromium else {
      if underCI { Issue.record("CI=true but no chromium is installed: .ci/run installs it with apt-get") }
      print("BrowserReportTests skipped: no chromium on PATH (apt-get install chromium fonts-noto-cjk), or set PRECEPT_CHROMIUM")
      return nil
    }
    return c
  }

  @Test(arguments: examples)
  func reportInChromium(_ example: String) throws {
    guard let chromium = try Self.available() else { return }
    let input = try ReportSupport.example(example)
    let html = DecisionReport.html(input)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("precept-report-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let page = dir.appendingPathComponent("report.html")
    try html.write(to: page, atomically: true, encoding: .utf8)

    let (dom, console) = try Self.run(chromium, page, ["--dump-dom"])
    let overall = input.decisions.map(\.outcome).max() ?? .pass
    #expect(dom.contains("id=\"verdict\" data-outcome=\"\(overall.rawValue)\""), "verdict \(overall) not in the DOM")
    for d in input.decisions {
      for r in d.rules(.violated) {
        #expect(dom.contains("data-rule=\"\(r.rule.id)\" data-status=\"violated\""), "\(r.rule.id) is not shown as violated")
      }
      for (owner, _) in d.byOwner { #expect(dom.contains("<tr data-department=\"\(owner)\""), "no sign-off row for \(owner)") }
      for r in d.results where r.status == .violated {
        for m in Self.matches(r.trace) {
          #expect(dom.contains(">\(m)</mark>"), "\(m) found by \(r.rule.id) has no <mark>")
        }
      }
    }
    if example == "wm-disguised-guarantee.yaml" {
      for phrase in ["保 本", "穩賺不賠", "零风险"] { #expect(dom.contains("<mark title=\"WORD-NO-GUARANTEES (violated)\">\(phrase)</mark>")) }
    }
    #expect(console.filter { $0.contains("Content Security Policy") || $0.contains("Uncaught") || $0.contains("Failed to load") }.isEmpty,
      "the page logged: \(console.joined(separator: "\n"))")

    try FileManager.default.createDirectory(at: Self.shots, withIntermediateDirectories: true)
    let shot = Self.shots.appendingPathComponent(String(example.dropLast(5)) + ".png")
    try? FileManager.default.removeItem(at: shot)
    _ = try Self.run(chromium, page, ["--hide-scrollbars", "--window-size=1200,2400", "--screenshot=\(shot.path)"])
    let size = (try? FileManager.default.attributesOfItem(atPath: shot.path)[.size] as? Int) ?? 0
    #expect(size > 20_000, "no screenshot written at \(shot.path)")
  }

  /// The controls of the check above: a fetch the page tries is blocked and reported, the
  /// expand-all button opens every trace, and a script error would be seen.
  @Test func policyBlocksFetchesAndScriptExpandsTraces() throws {
    guard let chromium = try Self.available() else { return }
    var html = DecisionReport.html(try ReportSupport.example("cl-hidden-fee.yaml"))
    html = html.replacingOccurrences(of: "</body>", with: """
      <img src="http://127.0.0.1:9/probe.png"><script>
      document.querySelector('button[data-traces="open"]').click();
      console.log("opened " + document.querySelectorAll("details.trace[open]").length + " of " + document.querySelectorAll("details.trace").length);
      noSuchFunction();
      </script></body>
      """)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("precept-probe-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let page = dir.appendingPathComponent("probe.html")
    try html.write(to: page, atomically: true, encoding: .utf8)
    let (dom, console) = try Self.run(chromium, page, ["--dump-dom"])
    #expect(console.contains { $0.contains("Content Security Policy") && $0.contains("127.0.0.1:9") }, "the policy did not block the probe: \(console)")
    #expect(console.contains { $0.contains("Uncaught ReferenceError") }, "script errors are not seen in the console: \(console)")
    let opened = console.first { $0.contains("\"opened ") }
    #expect(opened != nil && !(opened ?? "").contains("\"opened 0 of"), "expand-all opened nothing: \(console)")
    #expect(dom.contains("<details class=\"trace\" open=\"\">"))
  }

  /// The words a trace found, once each.
  static func matches(_ t: Trace?) -> [String] {
    guard let t else { return [] }
    var out: [String] = []
    func walk(_ t: Trace) {
      for m in t.matches where !out.contains(m.span.text) { out.append(m.span.text) }
      t.children.forEach(walk)
    }
    walk(t)
    return out
  }
}
