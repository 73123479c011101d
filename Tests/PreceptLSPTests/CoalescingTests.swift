import Foundation
import Testing

@testable import Precept
@testable import PreceptLSP

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Changes that arrive together (fast typing) are checked once, after the last of them: the
/// versions they replace are never checked or published; a request after them sees the last.
@Suite struct CoalescingTests {
  static func frame(_ message: JSON) -> [UInt8] {
    let body = Array(message.serialized().utf8)
    return Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
  }

  static func notification(_ method: String, _ params: JSON) -> [UInt8] {
    frame(.object([("jsonrpc", .string("2.0")), ("method", .string(method)), ("params", params)]))
  }

  static func request(_ id: Int, _ method: String, _ params: JSON) -> [UInt8] {
    frame(.object([("jsonrpc", .string("2.0")), ("id", .int(id)), ("method", .string(method)), ("params", params)]))
  }

  /// The messages in `bytes`, each a JSON object.
  static func messages(_ bytes: [UInt8]) -> [JSON] {
    var out: [JSON] = []
    var rest = bytes[...]
    while let r = rest.firstRange(of: Array("\r\n\r\n".utf8)) {
      let header = String(decoding: rest[rest.startIndex..<r.lowerBound], as: UTF8.self)
      guard let n = header.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else { break }
      let body = rest[r.upperBound..<(r.upperBound + n)]
      if let m = JSON.parse(String(decoding: body, as: UTF8.self)) { out.append(m) }
      rest = rest[(r.upperBound + n)...]
    }
    return out
  }

  @Test func aBurstOfChangesIsCheckedOnceAtItsLastVersion() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("precept-burst-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("book.yaml")
    let v1 = "precept: 1\nrulebook: t.burst\nschema: { a: { x: int } }\nrules:\n  - id: R-1\n    severity: info\n    require: a.x > 1\n"
    try v1.write(to: url, atomically: true, encoding: .utf8)
    let uri = url.absoluteString
    func change(_ version: Int, _ text: String) -> [UInt8] {
      Self.notification(
        "textDocument/didChange",
        .object([
          ("textDocument", .object([("uri", .string(uri)), ("version", .int(version))])),
          ("contentChanges", .array([.object([("text", .string(text))])])),
        ]))
    }
    var input = Self.request(1, "initialize", .object([("capabilities", .object([]))]))
    input += Self.notification("initialized", .object([]))
    input += Self.notification(
      "textDocument/didOpen",
      .object([("textDocument", .object([("uri", .string(uri)), ("languageId", .string("yaml")), ("version", .int(1)), ("text", .string(v1))]))]))
    // v2 has an error (an unknown field); v3 mends it and adds a rule.
    input += change(2, v1.replacingOccurrences(of: "a.x > 1", with: "a.y > 1"))
    input += change(3, v1 + "  - id: R-2\n    severity: info\n    require: a.x > 2\n")
    input += Self.request(2, "textDocument/documentSymbol", .object([("textDocument", .object([("uri", .string(uri))]))]))
    input += Self.request(3, "shutdown", .null)
    input += Self.notification("exit", .null)

    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    // Everything is written before the server reads: the whole burst is waiting for it.
    _ = input.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
    close(fds[1])
    let outPath = dir.appendingPathComponent("out").path
    let out = open(outPath, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
    #expect(out >= 0)
    let status = Server(input: fds[0], output: out).run()
    close(out)
    close(fds[0])
    #expect(status == 0)

    let messages = Self.messages(Array(try Data(contentsOf: URL(fileURLWithPath: outPath))))
    let published = messages.filter { $0["method"]?.string == "textDocument/publishDiagnostics" }
    #expect(published.count == 1, "one check for the burst: \(published.map { $0.serialized() })")
    #expect(published.first?["params"]?["version"]?.int == 3)
    #expect(published.first?["params"]?["diagnostics"]?.array?.isEmpty == true)
    let symbols = messages.first { $0["id"]?.int == 2 }?["result"]?.array?.compactMap { $0["name"]?.string }
    #expect(symbols == ["R-1", "R-2"])
  }
}
