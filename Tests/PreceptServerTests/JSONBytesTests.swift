import Precept
import Testing
@testable import PreceptServer

/// The server's byte writer gives exactly the library's compact JSON.
@Suite struct JSONBytesTests {
  @Test func sameBytesAsTheLibrary() throws {
    let session = try Session(paths: [repository + "/rulebooks"])
    let doc = try FactsDocument.parse(text: loan).get()
    let decided = try session.decide(doc, asOf: try CivilDate.parse("2026-11-23").get(), trace: true).get()
    let tricky = JSON.object([("a\"\\\n\t\u{1}", .array([.null, .bool(true), .bool(false), .number("-1.5e3"), .string("保本\u{7F}\r")])), ("", .object([]))])
    for j in decided.decisions.map({ DecisionJSON.json($0) }) + [tricky, .array([])] {
      #expect(j.compactText == j.serialized())
    }
  }
}
