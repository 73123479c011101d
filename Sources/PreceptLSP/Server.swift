import Precept

/// `precept lsp`: a Language Server (LSP 3.17) over a pair of file descriptors, one request at a time.
public final class Server {
  private var reader: MessageReader
  private let writer: MessageWriter
  private let ws = Workspace()
  private var docs = Docs()
  private var shutdown = false
  /// Optional timing of each re-check, written to standard error (`PRECEPT_LSP_TIMING=1`).
  private let timing: Bool

  /// A server reading requests from `input` and answering on `output`.
  public init(input: Int32, output: Int32, timing: Bool = false) {
    reader = MessageReader(fd: input)
    writer = MessageWriter(fd: output)
    self.timing = timing
  }

  /// Notifications that change what is checked. A burst of them (fast typing) is checked once,
  /// after the last: the diagnostics of versions already replaced are never computed or sent.
  static let changes: Set<String> = [
    "textDocument/didOpen", "textDocument/didChange", "textDocument/didClose", "textDocument/didSave",
    "workspace/didChangeWatchedFiles",
  ]
  /// A change arrived whose diagnostics are not published yet.
  private var changed = false

  /// Serves until `exit` or the end of input; returns the process's exit status.
  public func run() -> Int32 {
    while let body = reader.next() {
      guard let message = JSON.parse(String(decoding: body, as: UTF8.self)) else {
        writer.send(error(id: .null, code: -32700, "parse error"))
        continue
      }
      let method = message["method"]?.string ?? ""
      let id = message["id"]
      if method == "exit" { return shutdown ? 0 : 1 }
      // A request reads the analysis: bring it up to date first.
      if changed && !Self.changes.contains(method) { publish() }
      let start = ContinuousClock.now
      let result = handle(method, message["params"] ?? .null)
      if timing { writeError("precept lsp: \(method) handled in \(Self.milliseconds(since: start)) ms\n") }
      if changed && !reader.hasMessage() { publish() }
      if let id {
        switch result {
        case .some(let r): writer.send(.object([("jsonrpc", .string("2.0")), ("id", id), ("result", r)]))
        case .none: writer.send(error(id: id, code: -32601, "method not found: \(method)"))
        }
      }
    }
    return shutdown ? 0 : 1
  }

  private func error(id: JSON, code: Int, _ message: String) -> JSON {
    .object([("jsonrpc", .string("2.0")), ("id", id), ("error", .object([("code", .int(code)), ("message", .string(message))]))])
  }

  private func notify(_ method: String, _ params: JSON) {
    writer.send(.object([("jsonrpc", .string("2.0")), ("method", .string(method)), ("params", params)]))
  }

  /// The result of a request (nil: unknown method); notifications return `.null`, ignored.
  private func handle(_ method: String, _ p: JSON) -> JSON? {
    let features = Features(ws: ws, docs: docs)
    let uri = p["textDocument"]?["uri"]?.string ?? ""
    let line = p["position"]?["line"]?.int ?? 0
    let character = p["position"]?["character"]?.int ?? 0
    switch method {
    case "initialize":
      var roots: [String] = []
      if let r = p["rootUri"]?.string { roots.append(Workspace.path(ofURI: r)) }
      for f in p["workspaceFolders"]?.array ?? [] { if let u = f["uri"]?.string { roots.append(Workspace.path(ofURI: u)) } }
      docs = Docs.find(near: roots)
      return capabilities()
    case "initialized", "$/cancelRequest", "$/setTrace", "workspace/didChangeConfiguration", "textDocument/didSave",
      "workspace/didChangeWatchedFiles":
      if method == "workspace/didChangeWatchedFiles" || method == "textDocument/didSave" { changed = true }
      return .null
    case "shutdown":
      shutdown = true
      return .null
    case "textDocument/didOpen":
      let d = p["textDocument"]
      ws.open(Document(uri: uri, version: d?["version"]?.int ?? 0, text: d?["text"]?.string ?? ""))
      if docs.diagnostics.isEmpty { docs = Docs.find(near: [Workspace.path(ofURI: uri)]) }
      changed = true
      return .null
    case "textDocument/didChange":
      ws.update(uri) { doc in
        doc.version = p["textDocument"]?["version"]?.int ?? doc.version
        for change in p["contentChanges"]?.array ?? [] {
          let text = change["text"]?.string ?? ""
          if let r = change["range"] {
            doc.replace(
              from: (r["start"]?["line"]?.int ?? 0, r["start"]?["character"]?.int ?? 0),
              to: (r["end"]?["line"]?.int ?? 0, r["end"]?["character"]?.int ?? 0), with: text)
          } else {
            doc.replaceAll(with: text)
          }
        }
      }
      changed = true
      return .null
    case "textDocument/didClose":
      ws.close(uri)
      changed = true
      return .null
    case "textDocument/hover": return features.hover(uri, line, character)
    case "textDocument/definition": return features.definition(uri, line, character)
    case "textDocument/references":
      return features.references(uri, line, character, includeDeclaration: p["context"]?["includeDeclaration"] != .bool(false))
    case "textDocument/completion": return features.completion(uri, line, character)
    case "textDocument/documentSymbol": return features.symbols(uri)
    case "textDocument/semanticTokens/full": return features.semanticTokens(uri)
    case "textDocument/codeAction":
      let r = p["range"]
      return features.codeActions(
        uri, start: (r?["start"]?["line"]?.int ?? 0, r?["start"]?["character"]?.int ?? 0),
        end: (r?["end"]?["line"]?.int ?? 0, r?["end"]?["character"]?.int ?? 0))
    default:
      return method.hasPrefix("$/") || method.hasPrefix("notifications/") ? .null : nil
    }
  }

  /// Re-checks the open rulebooks and publishes every file's diagnostics.
  private func publish() {
    changed = false
    let start = ContinuousClock.now
    let results = ws.recheck()
    if timing { writeError("precept lsp: re-checked in \(Self.milliseconds(since: start)) ms\n") }
    for r in results {
      var fields: [(String, JSON)] = [("uri", .string(r.uri))]
      if let v = ws.documents[r.uri]?.version { fields.append(("version", .int(v))) }
      fields.append(("diagnostics", .array(r.diagnostics.map { LSP.diagnostic($0, r.index, ws) })))
      notify("textDocument/publishDiagnostics", .object(fields))
    }
  }

  static func milliseconds(since start: ContinuousClock.Instant) -> Int {
    let elapsed = ContinuousClock.now - start
    return Int((Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000).rounded())
  }

  private func capabilities() -> JSON {
    .object([
      ("capabilities", .object([
        ("positionEncoding", .string("utf-16")),
        ("textDocumentSync", .object([("openClose", .bool(true)), ("change", .int(2)), ("save", .bool(true))])),
        ("hoverProvider", .bool(true)),
        ("definitionProvider", .bool(true)),
        ("referencesProvider", .bool(true)),
        ("documentSymbolProvider", .bool(true)),
        ("codeActionProvider", .object([("codeActionKinds", .array([.string("quickfix")]))])),
        ("completionProvider", .object([("triggerCharacters", .array([.string("."), .string(" "), .string("[")]))])),
        ("semanticTokensProvider", .object([
          ("legend", .object([("tokenTypes", .array(Features.tokenTypes.map { .string($0) })), ("tokenModifiers", .array([]))])),
          ("full", .bool(true)),
        ])),
      ])),
      ("serverInfo", .object([("name", .string("precept")), ("version", .string(PreceptInfo.version))])),
    ])
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

func writeError(_ s: String) {
  let bytes = Array(s.utf8)
  _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
