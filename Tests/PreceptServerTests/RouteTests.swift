import Foundation
import Precept
import PreceptServer
import Testing

let loan = (try? String(contentsOfFile: repository + "/examples/products/cl-hidden-fee.yaml", encoding: .utf8)) ?? ""
let cleanLoan = (try? String(contentsOfFile: repository + "/examples/products/cl-clean.yaml", encoding: .utf8)) ?? ""

/// Every route and status of the service.
@Suite(.serialized) struct RouteTests {
  @Test func healthReadinessMetricsAndSpec() async throws {
    let server = try await Harness.start()
    defer { Task { await server.stop() } }
    #expect(try await server.get("/healthz").status == 200)
    let ready = try await server.get("/readyz")
    #expect(ready.status == 200 && ready.object["status"] as? String == "ready")
    _ = try await server.post("/v1/check?as_of=2026-11-23", yaml: loan)
    let metrics = try await server.get("/metrics")
    #expect(metrics.status == 200)
    #expect(metrics.headers["content-type"]?.hasPrefix("text/plain") == true)
    for name in ["precept_http_requests_total{route=\"/v1/check\",status=\"200\"} 1", "precept_http_request_duration_seconds_bucket",
                 "precept_decisions_total{rulebook=\"cn.consumer-credit\",outcome=\"block\"} 1", "precept_log_write_duration_seconds",
                 "precept_rulebook_info{rulebook=\"cn.consumer-credit\""] {
      #expect(metrics.text.contains(name), "metrics lack \(name)")
    }
    let spec = try await server.get("/openapi.yaml")
    #expect(spec.status == 200)
    #expect(spec.text == (try String(contentsOfFile: repository + "/openapi.yaml", encoding: .utf8)), "the served spec is not openapi.yaml")
  }

  @Test func unknownRoutesAndMethods() async throws {
    let server = try await Harness.start()
    defer { Task { await server.stop() } }
    #expect(try await server.get("/nothing").status == 404)
    #expect(try await server.get("/v1/decisions/").status == 404)
    let wrong = try await server.get("/v1/check")
    #expect(wrong.status == 405)
    #expect(wrong.headers["allow"] == "POST")
    #expect(try await server.request("DELETE", "/v1/decisions/01M97B7YGV9KGHZTF17KWADK2S").status == 405)
    #expect(try await server.request("POST", "/healthz").status == 405)
    #expect(try await server.get("/v1/rulebooks?x=1").status == 400)
  }

  @Test func badBodiesAreClientErrorsWithPlaces() async throws {
    let server = try await Harness.start(maxBody: 64 * 1024)
    defer { Task { await server.stop() } }
    // Malformed YAML: 400 with line and column.
    let yaml = try await server.post("/v1/check", yaml: "product:\n  kind: [consumer_loan\n")
    #expect(yaml.status == 400)
    let first = (yaml.object["errors"] as? [[String: Any]])?.first ?? [:]
    #expect(first["line"] as? Int != nil && first["column"] as? Int != nil, "\(yaml.text)")
    // Malformed JSON.
    let json = try await server.request("POST", "/v1/check", body: Array(#"{"product": {"kind": 09}}"#.utf8), headers: ["Content-Type": "application/json"])
    #expect(json.status == 400)
    #expect(json.text.contains("body.json:1:"), "\(json.text)")
    // Facts that do not fit the schema: the command's message, with the path and place.
    let wrongType = try await server.post("/v1/check?as_of=2026-11-23", yaml: loan.replacingOccurrences(of: "min_age: 22", with: "min_age: eighteen"))
    #expect(wrongType.status == 400, "\(wrongType.text)")
    #expect(wrongType.text.contains("product.min_age: expected int"), "\(wrongType.text)")
    // No rulebook applies: 422 with the command's message.
    let none = try await server.post("/v1/check", yaml: "prodcut:\n  kind: consumer_loan\n")
    #expect(none.status == 422)
    #expect(none.text.contains("no rulebook applies") && none.text.contains("did you mean `product` for `prodcut`?"))
    // Bad parameters, type and size.
    #expect(try await server.post("/v1/check?as_of=2026-13-01", yaml: loan).status == 400)
    #expect(try await server.post("/v1/check?stage=launched", yaml: loan).status == 400)
    #expect(try await server.post("/v1/check?as_of=2026-11-23&as_of=2026-11-24", yaml: loan).status == 400)
    #expect(try await server.request("POST", "/v1/check", body: Array(loan.utf8), headers: ["Content-Type": "text/plain"]).status == 415)
    #expect(try await server.post("/v1/check", yaml: String(repeating: "# padding\n", count: 7000)).status == 413)
    #expect(try await server.request("POST", "/v1/check", body: [0x70, 0xFF, 0x3A], headers: ["Content-Type": "application/yaml"]).status == 400)
    #expect(try await server.request("POST", "/v1/eval", body: Array("{}\n".utf8), headers: ["Content-Type": "application/json"]).status == 415)
    // Nothing was logged for any of them.
    #expect(try await server.service.log.head() == nil)
  }

  @Test func decisionsAreLoggedListedAndPaginated() async throws {
    let server = try await Harness.start()
    defer { Task { await server.stop() } }
    var ids: [String] = []
    for k in 0..<5 {
      let r = try await server.post("/v1/check?as_of=2026-11-23", yaml: k % 2 == 0 ? loan : cleanLoan)
      #expect(r.status == 200)
      ids.append(r.object["decision_id"] as? String ?? "")
    }
    let one = try await server.get("/v1/decisions/\(ids[0])")
    #expect(one.status == 200)
    #expect(one.object["id"] as? String == ids[0])
    #expect(one.object["outcome"] as? String == "block")
    #expect(one.object["facts"] as? String == loan)
    #expect((one.object["facts_digest"] as? String)?.hasPrefix("sha256:") == true)
    #expect(one.object["prev_hash"] as? String == String(repeating: "0", count: 64))
    #expect(try await server.get("/v1/decisions/01M97B7YGV9KGHZTF17KWADK2S").status == 404)
    #expect(try await server.get("/v1/decisions/not-an-id").status == 404)
    // Newest first, two at a time.
    var seen: [String] = []
    var cursor: String?
    repeat {
      let page = try await server.get("/v1/decisions?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
      #expect(page.status == 200)
      seen += (page.object["decisions"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
      cursor = page.object["next_cursor"] as? String
    } while cursor != nil && seen.count < 10
    #expect(seen == ids.reversed())
    let blocked = try await server.get("/v1/decisions?outcome=block")
    #expect((blocked.object["decisions"] as? [Any])?.count == 3)
    let credit = try await server.get("/v1/decisions?rulebook=cn.consumer-credit")
    #expect((credit.object["decisions"] as? [Any])?.count == 5)
    #expect(((try await server.get("/v1/decisions?rulebook=cn.nothing")).object["decisions"] as? [Any])?.count == 0)
    #expect(((try await server.get("/v1/decisions?since=2000-01-01T00:00:00Z&until=2999-01-01T00:00:00%2B08:00")).object["decisions"] as? [Any])?.count == 5)
    #expect(((try await server.get("/v1/decisions?until=2000-01-01T00:00:00Z")).object["decisions"] as? [Any])?.count == 0)
    for bad in ["limit=0", "limit=1001", "limit=ten", "outcome=bad", "since=yesterday", "cursor=xyz"] {
      #expect(try await server.get("/v1/decisions?\(bad)").status == 400, "\(bad)")
    }
    let books = try await server.get("/v1/rulebooks")
    let list = books.object["rulebooks"] as? [[String: Any]] ?? []
    #expect(list.contains { $0["id"] as? String == "cn.consumer-credit" && ($0["rules"] as? Int ?? 0) > 0 && ($0["digest"] as? String)?.hasPrefix("sha256:") == true })
    let report = try await server.service.log.verify()
    #expect(report.problem == nil && report.rows == 5)
  }

  @Test func factsLoggingDigestAndNone() async throws {
    for (mode, hasDigest) in [(FactsLogging.digest, true), (.none, false)] {
      let server = try await Harness.start(logFacts: mode)
      let r = try await server.post("/v1/check?as_of=2026-11-23", yaml: loan)
      let row = try await server.get("/v1/decisions/\(r.object["decision_id"] as? String ?? "")")
      #expect(row.object["facts"] is NSNull)
      #expect((row.object["facts_digest"] is String) == hasDigest)
      await server.stop()
    }
  }

  /// The same facts as YAML and as JSON have the same digest.
  @Test func factsDigestIsCanonical() throws {
    let yaml = try FactsDocument.parse(path: "a.yaml", text: "product:\n  min_age: 22\n  name: \"x\"\n  apr: '17.9%'\n  ok: true\n").get()
    let json = try FactsDocument.parse(path: "a.json", text: #"{"product": {"ok": true, "apr": "17.9%", "name": "x", "min_age": 22}}"#).get()
    #expect(CanonicalJSON.json(yaml.root).serialized() == CanonicalJSON.json(json.root).serialized())
    #expect(CanonicalJSON.json(yaml.root).serialized() == #"{"product":{"apr":"17.9%","min_age":22,"name":"x","ok":true}}"#)
  }

  @Test func tokensAuthenticateAndLimitTheRoutes() async throws {
    let alice = TokenTable.newToken(name: "alice", admin: false)
    let bob = TokenTable.newToken(name: "bob", admin: false)
    let ops = TokenTable.newToken(name: "ops", admin: true)
    let server = try await Harness.start(tokens: "# clients\n\(alice.line)\n\(bob.line)  # second\n\n\(ops.line)\n")
    defer { Task { await server.stop() } }
    let anonymous = try await server.post("/v1/check", yaml: loan)
    #expect(anonymous.status == 401)
    #expect(anonymous.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
    #expect(try await server.post("/v1/check", yaml: loan, token: "wrong").status == 401)
    #expect(try await server.request("GET", "/v1/rulebooks", headers: ["Authorization": "Basic abc"]).status == 401)
    #expect(try await server.get("/healthz").status == 200)
    #expect(try await server.get("/metrics").status == 200)
    let mine = try await server.post("/v1/check?as_of=2026-11-23", yaml: loan, token: alice.token)
    #expect(mine.status == 200)
    let id = mine.object["decision_id"] as? String ?? ""
    let row = try await server.get("/v1/decisions/\(id)", token: alice.token)
    #expect(row.object["client"] as? String == "alice")
    // Another client does not see it; an admin does.
    #expect(try await server.get("/v1/decisions/\(id)", token: bob.token).status == 404)
    #expect(((try await server.get("/v1/decisions", token: bob.token)).object["decisions"] as? [Any])?.count == 0)
    #expect(try await server.get("/v1/decisions/\(id)", token: ops.token).status == 200)
    #expect(try await server.request("POST", "/v1/admin/reload", headers: ["Authorization": "Bearer \(alice.token)"]).status == 403)
    #expect(try await server.request("POST", "/v1/admin/reload", headers: ["Authorization": "Bearer \(ops.token)"]).status == 200)
    // A browser logs in once; the cookie then stands for the header.
    let login = try await server.get("/login?token=\(alice.token)")
    #expect(login.status == 200)
    let cookie = login.headers["set-cookie"] ?? ""
    #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
    #expect(try await server.get("/login?token=wrong").status == 401)
    let withCookie = try await server.request("GET", "/v1/decisions/\(id)", headers: ["Cookie": "theme=dark; precept_token=\(alice.token)"])
    #expect(withCookie.status == 200)
  }

  @Test func tokensFileProblemsHavePlaces() {
    guard case .failure(let e) = TokenTable.parse("alice sha256:abc\nbob sha256:\(String(repeating: "a", count: 64)) root\n", path: "t") else {
      Issue.record("a bad tokens file was accepted")
      return
    }
    #expect(e.description.contains("t:1:7:") && e.description.contains("t:2:77:"), "\(e.description)")
    if case .success = TokenTable.parse("# nobody\n", path: "t") { Issue.record("an empty tokens file was accepted") }
  }

  @Test func reloadKeepsTheOldRulebooksOnError() async throws {
    let dir = try temporaryDirectory()
    let source = repository + "/rulebooks"
    try FileManager.default.copyItem(atPath: source, toPath: dir + "/rulebooks")
    try FileManager.default.copyItem(atPath: repository + "/examples", toPath: dir + "/examples")  // the rulebooks' tests read them
    let server = try await Harness.start(rulebooks: [dir + "/rulebooks"], directory: dir)
    defer { Task { await server.stop() } }
    let file = dir + "/rulebooks/cn/consumer-credit.yaml"
    let good = try String(contentsOfFile: file, encoding: .utf8)
    try good.replacingOccurrences(of: "require: product.pricing.apr <= 24%", with: "require: product.pricing.apr <= 24 CNY")
      .write(toFile: file, atomically: true, encoding: .utf8)
    let broken = try await server.request("POST", "/v1/admin/reload")
    #expect(broken.status == 422)
    #expect(broken.text.contains("consumer-credit.yaml:"), "\(broken.text)")
    let still = try await server.post("/v1/check?as_of=2026-11-23", yaml: loan)
    #expect(still.status == 200)
    let digestBefore = (still.object["decisions"] as? [[String: Any]])?.first?["digest"] as? String
    try good.replacingOccurrences(of: "title: The annualized rate stays within 24%", with: "title: The annual rate stays within 24%")
      .write(toFile: file, atomically: true, encoding: .utf8)
    let fixed = try await server.request("POST", "/v1/admin/reload")
    #expect(fixed.status == 200, "\(fixed.text)")
    let after = try await server.post("/v1/check?as_of=2026-11-23", yaml: loan)
    let digestAfter = (after.object["decisions"] as? [[String: Any]])?.first?["digest"] as? String
    #expect(digestBefore != nil && digestAfter != nil && digestBefore != digestAfter)
  }
}

/// `precept serve --waivers FILE`: the waivers apply to every request as on `precept check`, the
/// log records the waived status, a broken file stops the start with its places, and a reload
/// reads the file again.
@Suite struct ServeWaiverTests {
  static let waivers = repository + "/examples/waivers/legacy-campus-loan.yaml"
  static let dossier = repository + "/examples/products/cl-student-guarantee.yaml"

  @Test func waiversApplyAndAreLogged() async throws {
    let server = try await Harness.start(waivers: Self.waivers)
    defer { Task { await server.stop() } }
    let reply = try await server.post("/v1/check?as_of=2026-11-23", yaml: try String(contentsOfFile: Self.dossier, encoding: .utf8))
    #expect(reply.status == 200, "\(reply.text)")
    let decisions = reply.object["decisions"] as? [[String: Any]] ?? []
    let credit = decisions.first { $0["rulebook"] as? String == "cn.consumer-credit" }
    let cap = (credit?["results"] as? [[String: Any]])?.first { $0["rule"] as? String == "PRICE-APR-CAP" }
    #expect(cap?["status"] as? String == "waived")
    #expect((cap?["waiver"] as? [String: Any])?["expires"] as? String == "2027-03-31")
    #expect((credit?["waiver_findings"] as? [String])?.first?.hasPrefix("P0703: waiver of ELIG-NO-STUDENTS") == true)
    let logged = try await server.get("/v1/decisions/\(reply.object["decision_id"] as? String ?? "")")
    #expect(logged.status == 200)
    #expect(logged.text.contains(#"{"rule":"PRICE-APR-CAP","status":"waived""#), "\(logged.text.prefix(600))")
  }

  @Test func aBrokenWaiversFileStopsTheStartWithItsPlace() throws {
    let dir = try temporaryDirectory()
    let path = dir + "/waivers.yaml"
    try "precept: 1\nwaivers:\n  - rule: PRICE-APR-CAP\n    expires: someday\n".write(toFile: path, atomically: true, encoding: .utf8)
    var options = ServeOptions(rulebooks: [repository + "/rulebooks"])
    options.waivers = path
    do {
      _ = try DecisionService.load(options)
      Issue.record("a broken waivers file was accepted")
    } catch {
      #expect(error.diagnostics.contains { $0.severity == .error && $0.span.file == path && $0.span.start.line >= 3 }, "\(error.diagnostics.map(\.message))")
      #expect(error.files[path] != nil)
    }
    options.waivers = dir + "/no-such-file.yaml"
    do {
      _ = try DecisionService.load(options)
      Issue.record("a missing waivers file was accepted")
    } catch {
      #expect(error.unreadable.map(\.path) == [dir + "/no-such-file.yaml"])
    }
  }

  @Test func reloadReadsTheWaiversAgain() async throws {
    let dir = try temporaryDirectory()
    let path = dir + "/waivers.yaml"
    try "precept: 1\nwaivers: []\n".write(toFile: path, atomically: true, encoding: .utf8)
    let server = try await Harness.start(directory: dir, waivers: path)
    defer { Task { await server.stop() } }
    let yaml = try String(contentsOfFile: Self.dossier, encoding: .utf8)
    #expect(try await server.post("/v1/check?as_of=2026-11-23", yaml: yaml).text.contains(#""status":"waived""#) == false)
    try FileManager.default.removeItem(atPath: path)
    try FileManager.default.copyItem(atPath: Self.waivers, toPath: path)
    #expect(try await server.request("POST", "/v1/admin/reload").status == 200)
    #expect(try await server.post("/v1/check?as_of=2026-11-23", yaml: yaml).text.contains(#""status":"waived""#))
  }
}
