import Foundation
import Precept
import PreceptServer
import Testing

/// `/v1/check` and `/v1/eval` decide exactly as the command does.
@Suite(.serialized) struct ParityTests {
  static let asOf = "2026-11-23"

  /// Every shipped example: the decisions `/v1/check` returns are those `precept check --format json` prints.
  @Test func checkEqualsTheCommandForEveryShippedExample() async throws {
    let server = try await Harness.start()
    defer { Task { await server.stop() } }
    let folders = ["examples/products", "examples/applicants", "examples/customers"]
    var compared = 0
    for folder in folders {
      let files = try FileManager.default.contentsOfDirectory(atPath: repository + "/" + folder).filter { $0.hasSuffix(".yaml") }.sorted()
      for file in files {
        let path = folder + "/" + file
        let cli = try await runPrecept(["check", repository + "/rulebooks", "--facts", path, "--format", "json", "--as-of", Self.asOf])
        let yaml = try String(contentsOfFile: repository + "/" + path, encoding: .utf8)
        let reply = try await server.post("/v1/check?as_of=\(Self.asOf)", yaml: yaml)
        guard cli.status != 2 else {
          #expect(reply.status == 400 || reply.status == 422, "\(path): the command refused it, the service answered \(reply.status)")
          continue
        }
        #expect(reply.status == 200, "\(path): \(reply.text)")
        let printed = try JSONSerialization.jsonObject(with: Data(cli.output.utf8))
        let expected = printed as? [Any] ?? [printed]
        let got = reply.object["decisions"] as? [Any] ?? []
        #expect((got as NSArray).isEqual(to: expected), "\(path): /v1/check differs from precept check --format json")
        #expect((reply.object["decision_id"] as? String).flatMap(ULID.init) != nil)
        // The compact form the log stores is canonical as made (the log does not sort it again).
        let doc = try FactsDocument.parse(path: path, text: yaml).get()
        for d in try server.service.session.decide(doc, asOf: try CivilDate.parse(Self.asOf).get()).get().decisions {
          let compact = CompactDecision(d).json
          #expect(compact.serialized() == CanonicalJSON.sorted(compact).serialized(), "\(path): \(d.rulebook.id)")
        }
        compared += 1
      }
    }
    #expect(compared >= 30)
  }

  /// A JSON body is read as a `.json` facts file is, and decided alike.
  @Test func checkTakesJSON() async throws {
    let server = try await Harness.start()
    defer { Task { await server.stop() } }
    let dir = try temporaryDirectory()
    let json = #"{"product": {"id": "CL-1", "name": "安心贷", "kind": "consumer_loan", "stage": "approval", "jurisdiction": "CN", "currency": "CNY", "min_age": 22, "pricing": {"apr": "17.9%"}, "disclosures": [{"kind": "annualized_rate", "text": "年化利率 17.9%", "placement": "product_page"}]}}"#
    try json.write(toFile: dir + "/facts.json", atomically: true, encoding: .utf8)
    let cli = try await runPrecept(["check", repository + "/rulebooks", "--facts", dir + "/facts.json", "--format", "json", "--as-of", Self.asOf])
    let reply = try await server.request("POST", "/v1/check?as_of=\(Self.asOf)", body: Array(json.utf8), headers: ["Content-Type": "application/json"])
    #expect(reply.status == 200, "\(reply.text)")
    let printed = try JSONSerialization.jsonObject(with: Data(cli.output.utf8))
    #expect(((reply.object["decisions"] as? [Any] ?? []) as NSArray).isEqual(to: printed as? [Any] ?? [printed]))
  }

  /// `/v1/eval` prints the lines `precept eval` prints, each with the id of its logged row.
  @Test func evalEqualsTheCommand() async throws {
    let server = try await Harness.start()
    defer { Task { await server.stop() } }
    let input = try [UInt8](Data(contentsOf: URL(fileURLWithPath: repository + "/examples/transactions/stream.jsonl")))
    // A line that cannot be used, a blank line, and a line without a final line break.
    let extra = Array("{\"customer\": 12}\n\n".utf8)
    let dir = try temporaryDirectory()
    try Data(input + extra).write(to: URL(fileURLWithPath: dir + "/in.jsonl"))
    let cli = try await runPrecept(["eval", repository + "/rulebooks", "--input", dir + "/in.jsonl", "--as-of", Self.asOf])
    let reply = try await server.request("POST", "/v1/eval?as_of=\(Self.asOf)", body: input + extra, headers: ["Content-Type": "application/x-ndjson"])
    #expect(reply.status == 200)
    let lines = reply.text.split(separator: "\n").map(String.init)
    let expected = cli.output.split(separator: "\n").map(String.init)
    #expect(lines.count == expected.count && !lines.isEmpty)
    var ids: [String] = []
    for (got, want) in zip(lines, expected) {
      if let r = got.range(of: #"^\{"decision_id":"([0-9A-Z]{26})","#, options: .regularExpression) {
        ids.append(String(got[got.index(r.lowerBound, offsetBy: 16)..<got.index(r.lowerBound, offsetBy: 42)]))
        #expect("{" + got[r.upperBound...] == want)
      } else {
        #expect(got == want)
        #expect(got.contains(#""error":"#))
      }
    }
    #expect(!ids.isEmpty)
    // Each decided line is one row, whatever the number of rulebooks that applied.
    let rows = try await server.service.log.decisions({ var q = LogQuery(); q.limit = 1000; return q }())
    #expect(Set(rows.map(\.id)) == Set(ids))
    let one = try await server.get("/v1/decisions/\(ids[0])")
    #expect(one.status == 200)
    #expect((one.object["results"] as? [Any])?.isEmpty == false)
  }
}
