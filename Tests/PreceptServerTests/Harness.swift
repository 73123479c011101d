import Foundation
import Logging
import Precept
import PreceptServer
import PreceptTestSupport
import Synchronization

/// The repository's root (for the shipped rulebooks and examples).
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// A fresh temporary directory, removed when the tests end.
func temporaryDirectory() throws -> String { try scratchDirectory("precept-serve-") }

/// An HTTP response as the tests read it.
struct Reply {
  var status: Int
  var headers: [String: String]
  var body: [UInt8]
  var text: String { String(decoding: body, as: UTF8.self) }
  /// The body parsed as JSON (Foundation objects), for comparisons.
  var json: Any? { try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) }
  var object: [String: Any] { json as? [String: Any] ?? [:] }
}

/// A server started in process on a free loopback port, over a log in a temporary directory.
final class Harness: Sendable {
  let port: Int
  let service: DecisionService
  let directory: String
  let logPath: String
  private let task: Task<Void, any Error>

  private init(port: Int, service: DecisionService, directory: String, logPath: String, task: Task<Void, any Error>) {
    self.port = port
    self.service = service
    self.directory = directory
    self.logPath = logPath
    self.task = task
  }

  static func start(rulebooks: [String] = [repository + "/rulebooks"], tokens: String? = nil, logFacts: FactsLogging = .full,
                    maxBody: Int = 1 << 20, directory: String? = nil, log: LogLocation? = nil, waivers: String? = nil) async throws -> Harness {
    let dir = try directory ?? temporaryDirectory()
    var options = ServeOptions(rulebooks: rulebooks)
    options.port = 0
    options.logFacts = logFacts
    options.maxBody = maxBody
    options.waivers = waivers
    let logPath = dir + "/decisions.sqlite"
    options.log = log ?? .sqlite(path: logPath)
    if let tokens { options.tokens = try TokenTable.parse(tokens, path: "tokens").get() }
    let log = try await openDecisionLog(options.log)
    let service = try DecisionService(options: options, log: log)
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let task = Task {
      try await DecisionServer.run(service, signals: false, logger: logger) { port in continuation.yield(port) }
    }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else { throw LogError("the server did not start") }
    return Harness(port: port, service: service, directory: dir, logPath: logPath, task: task)
  }

  func stop() async {
    task.cancel()
    _ = await task.result
  }

  /// Sends one request on a new connection (`Connection: close`) and reads the whole response.
  /// The socket is read on a thread of its own: blocking a thread of the shared pool could starve
  /// the server's own tasks on a small machine.
  func request(_ method: String, _ path: String, body: [UInt8]? = nil, headers: [String: String] = [:]) async throws -> Reply {
    try await offPool { try self.rawRequest(method, path, body: body, headers: headers) }
  }

  func post(_ path: String, yaml: String, token: String? = nil) async throws -> Reply {
    var h = ["Content-Type": "application/yaml"]
    if let token { h["Authorization"] = "Bearer \(token)" }
    return try await request("POST", path, body: Array(yaml.utf8), headers: h)
  }

  func get(_ path: String, token: String? = nil) async throws -> Reply {
    try await request("GET", path, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:])
  }

  func rawRequest(_ method: String, _ path: String, body: [UInt8]?, headers: [String: String]) throws -> Reply {
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    for (k, v) in headers.sorted(by: { $0.key < $1.key }) { head += "\(k): \(v)\r\n" }
    if let body { head += "Content-Length: \(body.count)\r\n" }
    head += "\r\n"
    let bytes = try exchange(Array(head.utf8) + (body ?? []))
    return try Self.parse(bytes)
  }

  /// Writes `bytes` to the server and reads until it closes the connection.
  func exchange(_ bytes: [UInt8]) throws -> [UInt8] {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw LogError("socket failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw LogError("connect failed") }
    var sent = 0
    while sent < bytes.count {
      let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      if n <= 0 { break }  // the server may answer (413) and close before reading everything
      sent += n
    }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = recv(fd, &buffer, buffer.count, 0)
      if n <= 0 { break }
      out += buffer[0..<n]
    }
    return out
  }

  static func parse(_ bytes: [UInt8]) throws -> Reply {
    guard let end = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { throw LogError("no response head in \(bytes.count) bytes") }
    let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
    let statusParts = head[0].split(separator: " ")
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw LogError("bad status line \(head[0])") }
    var headers: [String: String] = [:]
    for line in head.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    var body = Array(bytes[end.upperBound...])
    if headers["transfer-encoding"]?.lowercased() == "chunked" {
      var out: [UInt8] = []
      var i = 0
      while let lineEnd = body[i...].firstRange(of: Array("\r\n".utf8)) {
        let size = Int(String(decoding: body[i..<lineEnd.lowerBound], as: UTF8.self), radix: 16) ?? 0
        if size == 0 { break }
        out += body[lineEnd.upperBound..<lineEnd.upperBound + size]
        i = lineEnd.upperBound + size + 2
      }
      body = out
    }
    return Reply(status: status, headers: headers, body: body)
  }
}

/// Runs blocking work on a thread outside the concurrency pool.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { c in
    Thread.detachNewThread { c.resume(with: Result { try body() }) }
  }
}

/// Runs the built `precept` command and returns its exit status, standard output and standard error.
func runPrecept(_ arguments: [String]) async throws -> (status: Int32, output: String, error: String) {
  try await offPool { try runPreceptBlocking(arguments) }
}

func runPreceptBlocking(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
  let binary = URL(fileURLWithPath: repository + "/.build/debug/precept")
  guard FileManager.default.isExecutableFile(atPath: binary.path) else { throw LogError("build the command first: \(binary.path) is missing") }
  let process = Process()
  process.executableURL = binary
  process.arguments = arguments
  process.currentDirectoryURL = URL(fileURLWithPath: repository)
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let data = out.fileHandleForReading.readDataToEndOfFile()
  let errors = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errors, as: UTF8.self))
}
