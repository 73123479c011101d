/// Reads a JSON facts file into the same tree a YAML file gives (`YAMLNode`, every node with its
/// place), with the strict lexing of `JSONSyntax` that `precept eval` uses for each line: a file
/// is JSON for `check` exactly when the same object on one line is JSON for `eval`.
///
/// Strings become double-quoted scalars, numbers plain scalars as written, `true`/`false`/`null`
/// plain scalars, so `FactsReader` reads them as the JSON Lines reader does.
enum JSONTree {
  static func load(_ file: SourceFile) -> (YAMLNode?, [Diagnostic]) {
    file.utf8.withUnsafeBufferPointer { bytes in
      var parser = Parser(file: file, bytes: bytes)
      JSONSyntax.skipSpace(bytes, &parser.i)
      guard parser.i < bytes.count else {
        return (nil, [Diagnostic(.emptyDocument, file.span(0, 0), "the file is empty", help: ["a facts file holds one JSON object"])])
      }
      let root = parser.value(level: 0)
      if parser.problem == nil {
        JSONSyntax.skipSpace(bytes, &parser.i)
        if parser.i < bytes.count { parser.fail(.trailingText, at: parser.i) }
      }
      if let (p, at) = parser.problem {
        let start = parser.scalarOffset(at)
        return (nil, [Diagnostic(.jsonSyntax, file.span(start, start + 1), "not valid JSON: \(p.message)")])
      }
      return (root, [])
    }
  }

  private struct Parser {
    let file: SourceFile
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0
    var problem: (JSONSyntax.Problem, Int)?
    /// The last byte offset turned into a scalar offset, and that scalar offset (the parser moves forward).
    private var mark = (byte: 0, scalar: 0)

    init(file: SourceFile, bytes: UnsafeBufferPointer<UInt8>) {
      self.file = file
      self.bytes = bytes
    }

    mutating func fail(_ p: JSONSyntax.Problem, at offset: Int) {
      if problem == nil { problem = (p, offset) }
    }

    /// The scalar offset of byte `b` (counting lead bytes since the last mark).
    mutating func scalarOffset(_ b: Int) -> Int {
      if b < mark.byte { mark = (0, 0) }
      var s = mark.scalar
      for k in mark.byte..<Swift.min(b, bytes.count) where bytes[k] & 0xC0 != 0x80 { s += 1 }
      mark = (b, s)
      return s
    }

    mutating func span(_ start: Int, _ end: Int) -> Span {
      let s = scalarOffset(start)
      return file.span(s, scalarOffset(end))
    }

    /// The span of a container from its start, whose scalar offset was taken on the way in (the
    /// marks only move forward, so asking for it after the children would count from the top:
    /// quadratic in the file's size).
    mutating func span(fromScalar s: Int, _ end: Int) -> Span { file.span(s, scalarOffset(end)) }

    mutating func value(level: Int) -> YAMLNode? {
      JSONSyntax.skipSpace(bytes, &i)
      let start = i
      guard i < bytes.count else {
        fail(.expectedValue(found: "the end of the text"), at: i)
        return nil
      }
      switch bytes[i] {
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        guard level < JSONSyntax.maximumDepth else {
          fail(.tooDeep(JSONSyntax.maximumDepth), at: i)
          return nil
        }
        return bytes[i] == UInt8(ascii: "{") ? object(level: level) : array(level: level)
      case UInt8(ascii: "\""):
        switch JSONSyntax.string(bytes, &i) {
        case .failure(let p):
          fail(p, at: start)
          return nil
        case .success(let token):
          return YAMLNode(kind: .scalar(JSONSyntax.decode(bytes, token), .doubleQuoted), span: span(start, i))
        }
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        switch JSONSyntax.number(bytes, &i) {
        case .failure(let p):
          fail(p, at: start)
          return nil
        case .success(let range):
          return YAMLNode(kind: .scalar(String(decoding: bytes[range], as: UTF8.self), .plain), span: span(start, i))
        }
      default:
        if JSONSyntax.literal(bytes, &i, "true") || JSONSyntax.literal(bytes, &i, "false") || JSONSyntax.literal(bytes, &i, "null"),
          i == bytes.count || JSONSyntax.isDelimiter(bytes[i])
        {
          return YAMLNode(kind: .scalar(String(decoding: bytes[start..<i], as: UTF8.self), .plain), span: span(start, i))
        }
        fail(.expectedValue(found: JSONSyntax.found(bytes, start)), at: start)
        return nil
      }
    }

    private mutating func object(level: Int) -> YAMLNode? {
      let start = scalarOffset(i)
      i += 1
      var pairs: [YAMLPair] = []
      var names = Set<String>()
      JSONSyntax.skipSpace(bytes, &i)
      if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
        i += 1
        return YAMLNode(kind: .mapping([]), span: span(fromScalar: start, i))
      }
      while true {
        JSONSyntax.skipSpace(bytes, &i)
        let keyStart = i
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
          fail(.expectedKey, at: i)
          return nil
        }
        let token: JSONSyntax.StringToken
        switch JSONSyntax.string(bytes, &i) {
        case .failure(let p):
          fail(p, at: keyStart)
          return nil
        case .success(let t): token = t
        }
        let name = JSONSyntax.decode(bytes, token)
        guard names.insert(name).inserted else {
          fail(.duplicateKey(name), at: keyStart)
          return nil
        }
        let key = YAMLNode(kind: .scalar(name, .doubleQuoted), span: span(keyStart, i))
        JSONSyntax.skipSpace(bytes, &i)
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
          fail(.expectedColon, at: i)
          return nil
        }
        i += 1
        guard let v = value(level: level + 1) else { return nil }
        pairs.append(YAMLPair(key: key, value: v))
        JSONSyntax.skipSpace(bytes, &i)
        if i < bytes.count, bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
          i += 1
          return YAMLNode(kind: .mapping(pairs), span: span(fromScalar: start, i))
        }
        fail(.expectedCommaOrBrace, at: i)
        return nil
      }
    }

    private mutating func array(level: Int) -> YAMLNode? {
      let start = scalarOffset(i)
      i += 1
      var items: [YAMLNode] = []
      JSONSyntax.skipSpace(bytes, &i)
      if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
        i += 1
        return YAMLNode(kind: .sequence([]), span: span(fromScalar: start, i))
      }
      while true {
        guard let v = value(level: level + 1) else { return nil }
        items.append(v)
        JSONSyntax.skipSpace(bytes, &i)
        if i < bytes.count, bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
          i += 1
          return YAMLNode(kind: .sequence(items), span: span(fromScalar: start, i))
        }
        fail(.expectedCommaOrBracket, at: i)
        return nil
      }
    }
  }
}

extension JSON {
  /// Strict JSON text as a value (the language server's messages), or nil when it is not JSON.
  public static func parse(_ text: String) -> JSON? {
    let (node, diagnostics) = JSONTree.load(SourceFile(path: "<json>", text: text))
    guard let node, !diagnostics.hasErrors else { return nil }
    return JSON(node)
  }

  init(_ node: YAMLNode) {
    switch node.kind {
    case .mapping(let pairs): self = .object(pairs.map { ($0.name, JSON($0.value)) })
    case .sequence(let items): self = .array(items.map(JSON.init))
    case .scalar(let v, let style):
      if style == .doubleQuoted {
        self = .string(v)
      } else if v == "true" || v == "false" {
        self = .bool(v == "true")
      } else if v == "null" {
        self = .null
      } else {
        self = .number(v)
      }
    }
  }
}
