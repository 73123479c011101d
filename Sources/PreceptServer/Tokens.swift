import Precept

/// A client allowed to call the service: its name (recorded on each decision) and whether it may
/// use the admin routes and see every client's decisions.
public struct Client: Sendable, Equatable {
  public var name: String
  public var admin: Bool
  public init(name: String, admin: Bool) {
    self.name = name
    self.admin = admin
  }
  /// The client of a server started without `--tokens`: local, on loopback only, allowed everything.
  public static let local = Client(name: "local", admin: true)
}

/// The tokens file: one client per line, `NAME sha256:HEX [admin]`, where HEX is the SHA-256 of the
/// bearer token; `#` starts a comment. The server keeps only the digests.
public struct TokenTable: Sendable {
  /// Clients by the hex SHA-256 of their token.
  let byDigest: [String: Client]

  /// The clients, in file order.
  public let clients: [Client]

  /// Reads a tokens file's text; every problem with its line and column (`path:line:column: message`).
  public static func parse(_ text: String, path: String) -> Result<TokenTable, LogError> {
    var byDigest: [String: Client] = [:]
    var clients: [Client] = []
    var problems: [String] = []
    for (n, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      var line = Substring(rawLine)
      if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
      if line.last == "\r" { line = line.dropLast() }
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      if fields.isEmpty { continue }
      func place(_ field: Substring?) -> String {
        let column = field.map { line.distance(from: line.startIndex, to: $0.startIndex) + 1 } ?? 1
        return "\(path):\(n + 1):\(column)"
      }
      guard fields.count == 2 || fields.count == 3 else {
        problems.append("\(place(fields.first)): expected `NAME sha256:HEX [admin]`, found \(fields.count) fields")
        continue
      }
      let name = String(fields[0])
      guard name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.@".contains($0) }) else {
        problems.append("\(place(fields[0])): a client name is letters, digits, `-`, `_`, `.` and `@`; found `\(name)`")
        continue
      }
      let digest = fields[1]
      guard digest.hasPrefix("sha256:"), digest.count == 71,
        digest.dropFirst(7).allSatisfy({ $0.isHexDigit && !$0.isUppercase })
      else {
        problems.append("\(place(fields[1])): expected `sha256:` and 64 lowercase hexadecimal digits (the SHA-256 of the token)")
        continue
      }
      var admin = false
      if fields.count == 3 {
        guard fields[2] == "admin" else {
          problems.append("\(place(fields[2])): the third field may only be `admin`, found `\(fields[2])`")
          continue
        }
        admin = true
      }
      let hex = String(digest.dropFirst(7))
      if clients.contains(where: { $0.name == name }) {
        problems.append("\(place(fields[0])): client `\(name)` is named twice")
        continue
      }
      if byDigest[hex] != nil {
        problems.append("\(place(fields[1])): this token digest is given twice")
        continue
      }
      let client = Client(name: name, admin: admin)
      byDigest[hex] = client
      clients.append(client)
    }
    if !problems.isEmpty { return .failure(LogError(problems.joined(separator: "\n"))) }
    if clients.isEmpty { return .failure(LogError("\(path): no clients (each line is `NAME sha256:HEX [admin]`); without clients nobody could call the service")) }
    return .success(TokenTable(byDigest: byDigest, clients: clients))
  }

  /// The client whose token this is, if any.
  public func client(token: String) -> Client? {
    byDigest[SHA256.hex(Array(token.utf8))]
  }

  /// A new random token (32 bytes as 64 hexadecimal digits, prefixed `pcpt_`) and its tokens-file line.
  public static func newToken(name: String, admin: Bool) -> (token: String, line: String) {
    var rng = SystemRandomNumberGenerator()
    let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
    let token = "pcpt_" + SHA256.hexString(bytes)
    return (token, "\(name) sha256:\(SHA256.hex(Array(token.utf8)))" + (admin ? " admin" : ""))
  }
}
