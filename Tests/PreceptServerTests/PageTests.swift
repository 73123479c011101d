import Foundation
import Precept
import PreceptReport
import PreceptServer
import PreceptTestSupport
import Testing

/// The HTML pages: a logged decision's review page (`/v1/decisions/{id}.html`) decided again, or
/// shown as logged with the reason said; the list at `/`; and their authentication and errors.
@Suite(.serialized) struct PageTests {
  static let asOf = "2026-11-23"

  /// Text as the report escapes it.
  static func escaped(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
      .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
  }

  /// The violated rules of a `/v1/check` answer, with their messages.
  static func violated(_ reply: Reply) -> [(rule: String, message: String)] {
    (reply.object["decisions"] as? [[String: Any]] ?? []).flatMap { d in
      (d["results"] as? [[String: Any]] ?? []).compactMap { r in
        r["status"] as? String == "violated" ? (r["rule"] as? String ?? "", r["message"] as? String ?? "") : nil
      }
    }
  }

  /// The page shows the verdict, and every violated rule with its message.
  static func expectFindings(_ page: Reply, _ reply: Reply, outcome: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(page.status == 200, "\(page.text)", sourceLocation: sourceLocation)
    #expect(page.headers["content-type"] == "text/html; charset=utf-8", sourceLocation: sourceLocation)
    #expect(page.text.contains("<div class=\"verdict\" id=\"verdict\" data-outcome=\"\(outcome)\">"), sourceLocation: sourceLocation)
    let found = violated(reply)
    #expect(!found.isEmpty, sourceLocation: sourceLocation)
    for (rule, message) in found {
      #expect(page.text.contains("data-rule=\"\(rule)\" data-status=\"violated\""), "\(rule) is not shown violated", sourceLocation: sourceLocation)
      #expect(page.text.contains("<p class=\"message\">\(escaped(message))</p>"), "the message of \(rule) is not shown", sourceLocation: sourceLocation)
    }
  }

  /// With the facts logged and the rulebooks unchanged, the page is the report `precept check
  /// --format html` gives for the same facts: the same sign-off sheet, copy, rates and findings.
  @Test func loggedFactsAreDecidedAgainWithTheSameTemplate() async throws {
    let server = try await Harness.start()
    defer { Task { await server.stop() } }
    let reply = try await server.post("/v1/check?as_of=\(Self.asOf)", yaml: loan)
    let id = reply.object["decision_id"] as? String ?? ""
    let page = try await server.get("/v1/decisions/\(id).html")
    Self.expectFindings(page, reply, outcome: "block")
    #expect(page.headers["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'")
    #expect(page.headers["cache-control"] == "no-store")
    #expect(page.text.contains("<div class=\"notices\" id=\"notices\"><p class=\"notice\">" + Self.escaped("Decided again from the logged facts under the rulebooks that decided (the digests match): cn.consumer-credit 2026.12.0, cn.insurance 2026.12.0, cn.marketing-wording 2026.12.0, cn.partner-lending 2026.12.0, cn.product-approval 2026.12.0, cn.product-lifecycle 2026.12.0, cn.wealth-management 2026.12.0. Every rule's status and message equal the log's; the traces, facts and marked copy shown are this decision's.") + "</p></div>"))
    #expect(page.text.contains("<dt>Decision</dt><dd>\(id)</dd>\n<dt>Received</dt>"))
    #expect(page.text.contains("<dt>Client</dt><dd>local</dd>"))
    #expect(page.text.contains("<summary>Trace: how the rule reached its verdict</summary>"))
    #expect(!page.text.contains("data-recorded"))

    // The command's report, made as `precept check --format html` makes it: from the sign-off
    // sheet to the last rulebook, byte for byte.
    let rulebooks = repository + "/rulebooks"
    let session = try Session(paths: [rulebooks])
    let doc = try FactsDocument.parse(path: "cl-hidden-fee.yaml", text: loan).get()
    let decided = try session.decide(doc, asOf: try CivilDate.parse(Self.asOf).get(), trace: true).get()
    let cli = DecisionReport.html(ReportInput(
      decisions: decided.decisions, notApplicable: decided.notApplicable.map { ($0.rulebook.id, $0.missingRoots) },
      facts: FactsTree.json(doc.root), factsSource: "cl-hidden-fee.yaml",
      claimTerms: ClaimTerms.resolve(Project.load(paths: [rulebooks]), for: decided.decisions)))
    func body(_ s: String) -> Substring? {
      guard let start = s.range(of: "<section id=\"sign-off\">"),
        let end = s.range(of: "<section id=\"not-applicable-rulebooks\">") ?? s.range(of: "<footer>")
      else { return nil }
      return s[start.lowerBound..<end.lowerBound]
    }
    let expected = body(cli)
    #expect(expected != nil && expected?.contains("<mark") == true)
    #expect(expected == body(page.text), "the page's report differs from precept check --format html")
  }

  /// Without logged facts, the page shows the logged statuses and messages under the same
  /// rulebook, and says the facts were not logged.
  @Test func withoutFactsThePageShowsWhatWasLogged() async throws {
    for (mode, said) in [(FactsLogging.digest, "The facts were not logged (--log-facts digest)"), (.none, "The facts were not logged (--log-facts none)")] {
      let server = try await Harness.start(logFacts: mode)
      let reply = try await server.post("/v1/check?as_of=\(Self.asOf)", yaml: loan)
      let page = try await server.get("/v1/decisions/\(reply.object["decision_id"] as? String ?? "").html")
      Self.expectFindings(page, reply, outcome: "block")
      #expect(page.text.contains("<p class=\"notice\">" + Self.escaped("\(said): cn.consumer-credit 2026.12.0, cn.insurance 2026.12.0, cn.marketing-wording 2026.12.0, cn.partner-lending 2026.12.0, cn.product-approval 2026.12.0, cn.product-lifecycle 2026.12.0, cn.wealth-management 2026.12.0 shown as logged — each rule's status and message, with the rules read from the same rulebook version (the digests match); no traces, facts behind the findings, or marked copy.") + "</p>"), "\(mode)")
      #expect(page.text.contains("<dt>Facts</dt><dd>" + (mode == .digest ? "not logged; their digest sha256:" : "not logged</dd>")))
      #expect(!page.text.contains("<details class=\"trace\""))
      #expect(!page.text.contains("id=\"copy\""))
      // The rules are those of the same rulebook: owners and sources are shown.
      #expect(page.text.contains("consumer-credit.yaml:"))
      await server.stop()
    }
  }

  /// After the rulebook changed, the logged decision is shown as logged (ids, statuses, messages),
  /// never decided again under the new rulebook, and the page names both digests.
  @Test func afterTheRulebookChangedThePageShowsTheRecord() async throws {
    let dir = try temporaryDirectory()
    try FileManager.default.copyItem(atPath: repository + "/rulebooks", toPath: dir + "/rulebooks")
    try FileManager.default.copyItem(atPath: repository + "/examples", toPath: dir + "/examples")
    let server = try await Harness.start(rulebooks: [dir + "/rulebooks"], directory: dir)
    defer { Task { await server.stop() } }
    let reply = try await server.post("/v1/check?as_of=\(Self.asOf)", yaml: loan)
    let id = reply.object["decision_id"] as? String ?? ""
    let before = (reply.object["decisions"] as? [[String: Any]])?.first?["digest"] as? String ?? ""
    let file = dir + "/rulebooks/cn/consumer-credit.yaml"
    let good = try String(contentsOfFile: file, encoding: .utf8)
    try good.replacingOccurrences(of: "title: The annualized rate stays within 24%", with: "title: The annual rate stays within 24%")
      .write(toFile: file, atomically: true, encoding: .utf8)
    #expect(try await server.request("POST", "/v1/admin/reload").status == 200)
    let after = server.service.session.rulebooks.first { $0.id == "cn.consumer-credit" }?.digest ?? ""
    #expect(!before.isEmpty && !after.isEmpty && before != after)

    let page = try await server.get("/v1/decisions/\(id).html")
    Self.expectFindings(page, reply, outcome: "block")
    let why = "the rulebook changed since: digest \(before) logged, \(after) loaded (version 2026.12.0). Shown as logged: each rule's id, status and message; the rules as they were then are not loaded, so their titles, owners and severities are not shown, nor the words they found in the copy; the logged facts are not decided again under another rulebook."
    #expect(page.text.contains("<p class=\"notice\">" + Self.escaped("cn.consumer-credit 2026.12.0: \(why)") + "</p>"), "\(page.text)")
    #expect(page.text.contains("<p class=\"notice\">" + Self.escaped("Decided again from the logged facts under the rulebooks that decided (the digests match): cn.insurance 2026.12.0, cn.marketing-wording")))
    // The blocked rulebook, though recorded, comes first.
    let sections = page.text.ranges(of: "<section class=\"rulebook").map(\.lowerBound)
    #expect(sections.first == page.text.range(of: "<section class=\"rulebook recorded\"")?.lowerBound)
    #expect(page.text.contains("<section class=\"rulebook recorded\" id=\"rb--cn-consumer-credit\" data-rulebook=\"cn.consumer-credit\" data-recorded=\"true\">"))
    #expect(page.text.contains("<tr data-recorded=\"true\"><td><a href=\"#rb--cn-consumer-credit\"><code>cn.consumer-credit</code></a></td><td class=\"nowrap\">2026.12.0</td><td class=\"muted\">as recorded</td><td><code class=\"digest\">\(before)</code>"))
    #expect(!page.text.contains("<details class=\"trace\""))
    #expect(!page.text.contains("The annual rate stays within 24%"), "the new rulebook's words are shown")
    #expect(page.text.contains("<p class=\"notice\">" + Self.escaped("The rulebook changed since: digest \(before)")))
    // Each department's verdict is the log's.
    #expect(page.text.contains("<tr data-department=\"finance\" data-outcome=\"block\"><td>finance</td><td><span class=\"badge block\">BLOCK</span></td><td><span class=\"muted\">not known (see below)</span></td></tr>"))
    #expect(page.text.contains("<tr data-department=\"compliance\" data-outcome=\"pass\"><td>compliance</td><td><span class=\"badge pass\">pass</span></td><td><span class=\"muted\">nothing</span></td></tr>"))
    #expect(page.text.contains(" are not listed by department: the log records each department's verdict, not which rules it owns."))

    // A rulebook no longer loaded: the same, said so.
    try FileManager.default.removeItem(atPath: file)
    let removed = try await server.request("POST", "/v1/admin/reload")
    #expect(removed.status == 200, "\(removed.text)")
    let gone = try await server.get("/v1/decisions/\(id).html")
    Self.expectFindings(gone, reply, outcome: "block")
    #expect(gone.text.contains("<p class=\"notice\">" + Self.escaped("cn.consumer-credit 2026.12.0: the rulebook is no longer loaded. Shown as logged: each rule's id, status and message;")))
  }

  /// A logged decision that deciding its facts again does not reproduce (here a message changed
  /// before it was logged) is shown as logged, never as the new decision.
  @Test func aDecisionThatIsNotReproducedIsShownAsLogged() async throws {
    let server = try await Harness.start()
    defer { Task { await server.stop() } }
    let doc = try FactsDocument.parse(path: "loan.yaml", text: loan).get()
    let decided = try server.service.session.decide(doc, asOf: try CivilDate.parse(Self.asOf).get()).get()
    var compact = decided.decisions.map(CompactDecision.init)
    let k = try #require(compact.firstIndex { $0.rulebook == "cn.consumer-credit" })
    let message = try #require(decided.decisions[k].rules(.violated).first?.message)
    let changed = compact[k].json.serialized().replacingOccurrences(of: message, with: "a message <the rules> never gave")
    compact[k].json = CanonicalJSON.json(try FactsDocument.parse(path: "changed.json", text: changed).get().root)
    let entry = LogEntry(decisions: compact, receivedAt: 1_796_000_000_000, asOf: Self.asOf, stage: decided.stage?.rawValue, client: "local",
                         factsDigest: nil, facts: loan)
    let id = try #require(try await server.service.log.append([entry]).first?.id)
    let page = try await server.get("/v1/decisions/\(id).html")
    #expect(page.status == 200)
    #expect(page.text.contains("<p class=\"notice\">" + Self.escaped("Deciding the logged facts again did not give the logged statuses and messages: cn.consumer-credit 2026.12.0 shown as logged")))
    #expect(page.text.contains("<p class=\"notice\">Decided again from the logged facts under the rulebooks that decided (the digests match): cn.insurance 2026.12.0,"))
    #expect(page.text.contains("<p class=\"message\">a message &lt;the rules&gt; never gave</p>"))
    #expect(!page.text.contains("<p class=\"message\">\(Self.escaped(message))</p>"))
  }

  /// Lines logged by `/v1/eval` are decided again too, a flat record (the root's value itself) included.
  @Test func evalLinesAreDecidedAgain() async throws {
    let server = try await Harness.start(rulebooks: [repository + "/rulebooks/cn/aml-monitoring.yaml"])
    defer { Task { await server.stop() } }
    let line = try String(contentsOfFile: repository + "/examples/transactions/stream.jsonl", encoding: .utf8).split(separator: "\n")[0]
    let customer = try #require(line.range(of: #"{"customer": "#)).upperBound
    let flat = String(line[customer...].dropLast())
    let reply = try await server.request("POST", "/v1/eval?as_of=\(Self.asOf)", body: Array((line + "\n" + flat + "\n").utf8), headers: ["Content-Type": "application/x-ndjson"])
    let ids = reply.text.split(separator: "\n").compactMap { l -> String? in
      guard l.hasPrefix(#"{"decision_id":""#) else { return nil }
      return String(l.dropFirst(16).prefix(26))
    }
    #expect(ids.count == 2, "\(reply.text)")
    for id in ids {
      let page = try await server.get("/v1/decisions/\(id).html")
      #expect(page.status == 200)
      #expect(page.text.contains("<p class=\"notice\">Decided again from the logged facts under the rulebooks that decided (the digests match): cn.aml-monitoring 2026.12.0."), "\(id)")
    }
  }

  @Test func idsAndAuthentication() async throws {
    let alice = TokenTable.newToken(name: "alice", admin: false)
    let bob = TokenTable.newToken(name: "bob", admin: false)
    let ops = TokenTable.newToken(name: "ops", admin: true)
    let server = try await Harness.start(tokens: "\(alice.line)\n\(bob.line)\n\(ops.line)\n")
    defer { Task { await server.stop() } }
    let reply = try await server.post("/v1/check?as_of=\(Self.asOf)", yaml: loan, token: alice.token)
    let id = reply.object["decision_id"] as? String ?? ""
    let path = "/v1/decisions/\(id).html"

    // No token: 401, as JSON, or as a page that says how to log in for a browser.
    let anonymous = try await server.get(path)
    #expect(anonymous.status == 401 && anonymous.headers["content-type"] == "application/json")
    #expect(anonymous.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
    let browser = try await server.request("GET", path, headers: ["Accept": "text/html,application/xhtml+xml"])
    #expect(browser.status == 401 && browser.headers["content-type"] == "text/html; charset=utf-8")
    #expect(browser.text.contains("<h1>401 Unauthorized</h1>") && browser.text.contains("Log in once with /login?token=YOUR_TOKEN"))
    #expect(try await server.get("/", token: "wrong").status == 401)

    // Another client's decision is not found; an admin's and the owner's are.
    let other = try await server.get(path, token: bob.token)
    #expect(other.status == 404 && other.text.contains("no decision `\(id)`"))
    #expect(try await server.get(path, token: ops.token).status == 200)
    Self.expectFindings(try await server.get(path, token: alice.token), reply, outcome: "block")
    #expect(try await server.get("/v1/decisions/\(id.lowercased()).html", token: alice.token).status == 200)

    // The login cookie stands for the header.
    let login = try await server.get("/login?token=\(alice.token)")
    let cookie = (login.headers["set-cookie"] ?? "").split(separator: ";").first.map(String.init) ?? ""
    #expect(cookie == "precept_token=\(alice.token)")
    let withCookie = try await server.request("GET", path, headers: ["Cookie": cookie, "Accept": "text/html"])
    Self.expectFindings(withCookie, reply, outcome: "block")
    let listed = try await server.request("GET", "/", headers: ["Cookie": cookie])
    #expect(listed.status == 200 && listed.text.contains("<a href=\"\(path)\"><code>\(id)</code></a>"))
    // Bob's list is empty; the admin's holds alice's decision.
    let bobs = try await server.get("/", token: bob.token)
    #expect(bobs.text.contains("<p class=\"muted\" id=\"none\">No decisions are logged yet.</p>") && !bobs.text.contains(id))
    #expect(bobs.text.contains("The decisions of client <code>bob</code>"))
    #expect(try await server.get("/", token: ops.token).text.contains(path))

    // A bad id is 400, an unknown one 404 (JSON, or a page for a browser).
    let bad = try await server.get("/v1/decisions/not-an-id.html", token: alice.token)
    #expect(bad.status == 400 && bad.text.contains("`not-an-id` is not a decision id"))
    let badPage = try await server.request("GET", "/v1/decisions/%3Cb%3E.html", headers: ["Authorization": "Bearer \(alice.token)", "Accept": "text/html"])
    #expect(badPage.status == 400 && badPage.headers["content-type"] == "text/html; charset=utf-8" && !badPage.text.contains("<b>"))
    let unknown = try await server.get("/v1/decisions/01M97B7YGV9KGHZTF17KWADK2S.html", token: alice.token)
    #expect(unknown.status == 404 && unknown.headers["content-type"] == "application/json")
    let unknownPage = try await server.request("GET", "/v1/decisions/01M97B7YGV9KGHZTF17KWADK2S.html", headers: ["Authorization": "Bearer \(alice.token)", "Accept": "text/html"])
    #expect(unknownPage.status == 404 && unknownPage.text.contains("<h1>404 Not Found</h1>"))
    #expect(try await server.request("POST", path, headers: ["Authorization": "Bearer \(alice.token)"]).status == 405)
    #expect(try await server.get(path + "?x=1", token: alice.token).status == 400)
  }

  /// `/` lists the decisions newest first, each linking to its page, filtered and paged as `/v1/decisions`.
  @Test func theIndexListsDecisionsWithLinks() async throws {
    let server = try await Harness.start()
    defer { Task { await server.stop() } }
    var ids: [String] = []
    for k in 0..<3 {
      let r = try await server.post("/v1/check?as_of=\(Self.asOf)", yaml: k == 1 ? cleanLoan : loan)
      ids.append(r.object["decision_id"] as? String ?? "")
    }
    let page = try await server.get("/")
    #expect(page.status == 200 && page.headers["content-type"] == "text/html; charset=utf-8")
    let positions = ids.compactMap { page.text.range(of: "<a href=\"/v1/decisions/\($0).html\"><code>\($0)</code></a>")?.lowerBound }
    #expect(positions.count == 3 && positions[2] < positions[1] && positions[1] < positions[0], "not every decision, newest first")
    #expect(page.text.contains("<tr data-id=\"\(ids[1])\" data-outcome=\"pass\">"))
    #expect(page.text.contains("<tr data-id=\"\(ids[0])\" data-outcome=\"block\">"))
    #expect(page.text.contains("<td><code>cn.consumer-credit 2026.12.0</code><br><code>cn.insurance 2026.12.0</code><br>"))
    #expect(page.text.contains("<code>cn.wealth-management 2026.12.0</code></td><td><span class=\"badge block\">BLOCK</span></td><td>local</td></tr>"))
    #expect(!page.text.contains("<script"))

    // Two a page: the link to older decisions keeps the filters.
    let first = try await server.get("/?limit=2")
    #expect(first.text.contains(ids[2]) && first.text.contains(ids[1]) && !first.text.contains(ids[0]))
    let next = try #require(first.text.range(of: #"<a id="next" href="/\?limit=2&amp;cursor=[0-9A-Z]{26}">"#, options: .regularExpression))
    let anchor = first.text[next]
    let href = try #require(anchor.range(of: "href=\""))
    let link = String(anchor[href.upperBound...].dropLast(2)).replacingOccurrences(of: "&amp;", with: "&")
    let second = try await server.get(link)
    #expect(second.text.contains(ids[0]) && !second.text.contains(ids[1]) && !second.text.contains("id=\"next\""))

    // Filters, as the form sends them: an empty value is any.
    let passed = try await server.get("/?rulebook=&outcome=pass")
    #expect(passed.status == 200 && passed.text.contains(ids[1]) && !passed.text.contains(ids[0]) && !passed.text.contains(ids[2]))
    #expect(passed.text.contains("<option value=\"pass\" selected>pass</option>"))
    let other = try await server.get("/?rulebook=cn.aml-monitoring")
    #expect(other.text.contains("No decisions match these filters."))
    #expect(try await server.get("/?outcome=bad").status == 400)
    #expect(try await server.get("/?cursor=xyz").status == 400)
    // What the query says is shown escaped.
    let hostile = try await server.get("/?rulebook=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    #expect(hostile.status == 200 && hostile.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !hostile.text.contains("<script"))
  }

  /// The served page in headless Chromium: the verdict and the findings in the DOM, nothing
  /// blocked by the policy, no script error.
  @Test func servedPageInChromium() async throws {
    guard let chromium = Self.chromium else {
      print("PageTests.servedPageInChromium skipped: no chromium on PATH")
      return
    }
    let server = try await Harness.start()
    defer { Task { await server.stop() } }
    let reply = try await server.post("/v1/check?as_of=\(Self.asOf)", yaml: loan)
    let url = "http://127.0.0.1:\(server.port)/v1/decisions/\(reply.object["decision_id"] as? String ?? "").html"
    let (dom, console) = try await offPool { try Self.dumpDOM(chromium, url) }
    #expect(dom.contains("id=\"verdict\" data-outcome=\"block\""), "\(dom.prefix(400))")
    for (rule, _) in Self.violated(reply) { #expect(dom.contains("data-rule=\"\(rule)\" data-status=\"violated\"")) }
    #expect(console.filter { $0.contains("Content Security Policy") || $0.contains("Uncaught") || $0.contains("Failed to load") }.isEmpty, "\(console)")
  }

  static let chromium = HeadlessChromium.path

  /// Chromium's DOM of `url`, and the console lines it logged.
  static func dumpDOM(_ chromium: String, _ url: String) throws -> (dom: String, console: [String]) {
    try HeadlessChromium.run(chromium, url, ["--dump-dom"])
  }
}
