/// Strict JSON (RFC 8259) lexing over bytes, shared by the JSON Lines reader of `precept eval`
/// and the JSON file reader of `precept check`: the two accept and refuse the same text, with the
/// same words. Beyond the RFC, a key may appear only once in an object (as in YAML).
public enum JSONSyntax {
  /// Why text is not JSON.
  public enum Problem: Error, Sendable, Hashable {
    case expectedValue(found: String)
    case invalidNumber(String)
    case unterminatedString
    case controlCharacter(UInt8)
    case invalidEscape(String)
    case invalidUTF8
    case expectedKey
    case expectedColon
    case expectedCommaOrBrace
    case expectedCommaOrBracket
    case duplicateKey(String)
    case trailingText
    case tooDeep(Int)
    case tooLong(Int)

    /// The problem in words.
    public var message: String {
      switch self {
      case .expectedValue(let found): "expected a JSON value, found \(found)"
      case .invalidNumber(let text): "`\(text)` is not a JSON number (no leading zeros, `+`, bare `.` or digit separators)"
      case .unterminatedString: "a string is not closed with `\"`"
      case .controlCharacter(let c): "a control character (U+\(hex(c))) inside a string must be escaped"
      case .invalidEscape(let e): "`\\\(e)` is not a JSON escape (use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)"
      case .invalidUTF8: "the text is not valid UTF-8"
      case .expectedKey: "expected a key in quotes"
      case .expectedColon: "expected `:` after a key"
      case .expectedCommaOrBrace: "expected `,` or `}` in an object"
      case .expectedCommaOrBracket: "expected `,` or `]` in a list"
      case .duplicateKey(let k): "the key `\(k)` appears twice in one object"
      case .trailingText: "unexpected text after the JSON value"
      case .tooDeep(let n): "lists and objects are nested more than \(n) levels deep"
      case .tooLong(let n): "the line is longer than \(n) bytes"
      }
    }

    private func hex(_ c: UInt8) -> String {
      let digits = Array("0123456789ABCDEF")
      return "00" + String(digits[Int(c >> 4)]) + String(digits[Int(c & 15)])
    }
  }

  /// Deepest nesting of lists and objects accepted (as for YAML documents).
  public static let maximumDepth = YAMLLoader.maximumDepth

  @inline(__always)
  static func skipSpace(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
    while i < b.count {
      let c = b[i]
      guard c <= 0x20, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D else { return }
      i += 1
    }
  }

  /// Consumes `word` at `i` if it is there.
  @inline(__always)
  static func literal(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ word: StaticString) -> Bool {
    let n = word.utf8CodeUnitCount
    guard i + n <= b.count else { return false }
    let w = word.utf8Start
    for k in 0..<n where b[i + k] != w[k] { return false }
    i += n
    return true
  }

  /// A string's content, between its quotes.
  struct StringToken {
    var content: Range<Int>
    var escaped: Bool
  }

  /// Scans the string at `i` (which is at its opening quote), checking escapes, control
  /// characters and UTF-8; `i` ends after the closing quote.
  static func string(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Result<StringToken, Problem> {
    var j = i + 1
    let start = j
    var escaped = false
    while j < b.count {
      let c = b[j]
      if c == UInt8(ascii: "\"") {
        i = j + 1
        return .success(StringToken(content: start..<j, escaped: escaped))
      }
      if c < 0x20 { return .failure(.controlCharacter(c)) }
      if c == UInt8(ascii: "\\") {
        escaped = true
        guard j + 1 < b.count else { return .failure(.unterminatedString) }
        let e = b[j + 1]
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
          UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
          j += 2
        case UInt8(ascii: "u"):
          guard let (_, next) = unicodeEscape(b, j + 2) else {
            let shown = String(decoding: b[(j + 1)..<Swift.min(j + 6, b.count)], as: UTF8.self)
            return .failure(.invalidEscape(shown))
          }
          j = next
        default:
          return .failure(.invalidEscape(e < 0x80 ? String(UnicodeScalar(e)) : "…"))
        }
        continue
      }
      if c >= 0x80 {
        guard let n = utf8Length(b, j) else { return .failure(.invalidUTF8) }
        j += n
        continue
      }
      j += 1
    }
    return .failure(.unterminatedString)
  }

  /// The length of the well-formed UTF-8 sequence at `j` (a lead byte ≥ 0x80), or nil.
  @inline(__always)
  static func utf8Length(_ b: UnsafeBufferPointer<UInt8>, _ j: Int) -> Int? {
    let c = b[j]
    func cont(_ k: Int) -> Bool { k < b.count && b[k] & 0xC0 == 0x80 }
    switch c {
    case 0xC2...0xDF: return cont(j + 1) ? 2 : nil
    case 0xE0:
      return j + 1 < b.count && b[j + 1] >= 0xA0 && b[j + 1] <= 0xBF && cont(j + 2) ? 3 : nil
    case 0xE1...0xEC, 0xEE...0xEF: return cont(j + 1) && cont(j + 2) ? 3 : nil
    case 0xED:  // no UTF-16 surrogates
      return j + 1 < b.count && b[j + 1] >= 0x80 && b[j + 1] <= 0x9F && cont(j + 2) ? 3 : nil
    case 0xF0:
      return j + 1 < b.count && b[j + 1] >= 0x90 && b[j + 1] <= 0xBF && cont(j + 2) && cont(j + 3) ? 4 : nil
    case 0xF1...0xF3: return cont(j + 1) && cont(j + 2) && cont(j + 3) ? 4 : nil
    case 0xF4:
      return j + 1 < b.count && b[j + 1] >= 0x80 && b[j + 1] <= 0x8F && cont(j + 2) && cont(j + 3) ? 4 : nil
    default: return nil
    }
  }

  /// `XXXX` after `\u` at `at` (a surrogate pair joined into one scalar): the scalar and the index after it.
  static func unicodeEscape(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> (Unicode.Scalar, Int)? {
    func hex4(_ p: Int) -> UInt32? {
      guard p + 4 <= b.count else { return nil }
      var v: UInt32 = 0
      for q in p..<(p + 4) {
        guard let h = Unicode.Scalar(b[q]).hexValue else { return nil }
        v = v * 16 + h
      }
      return v
    }
    guard let hi = hex4(at) else { return nil }
    if hi >= 0xD800 && hi < 0xDC00 {
      guard at + 10 <= b.count, b[at + 4] == UInt8(ascii: "\\"), b[at + 5] == UInt8(ascii: "u"),
        let lo = hex4(at + 6), lo >= 0xDC00 && lo < 0xE000
      else { return nil }  // a lone high surrogate is no character
      return Unicode.Scalar(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)).map { ($0, at + 10) }
    }
    return Unicode.Scalar(hi).map { ($0, at + 4) }  // nil for a lone low surrogate
  }

  /// The text of a scanned string, escapes decoded.
  static func decode(_ b: UnsafeBufferPointer<UInt8>, _ token: StringToken) -> String {
    let raw = UnsafeBufferPointer(rebasing: b[token.content])
    guard token.escaped else { return String(decoding: raw, as: UTF8.self) }
    var out: [UInt8] = []
    out.reserveCapacity(raw.count)
    var k = 0
    while k < raw.count {
      let c = raw[k]
      k += 1
      guard c == UInt8(ascii: "\\"), k < raw.count else {
        out.append(c)
        continue
      }
      let e = raw[k]
      k += 1
      switch e {
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "u"):
        guard let (scalar, next) = unicodeEscape(raw, k) else { continue }
        k = next
        out.append(contentsOf: Array(String(scalar).utf8))
      default: out.append(e)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Scans the number at `i`; the number must end at a delimiter, so `09`, `1.` and `12abc` are refused whole.
  @inline(__always)
  static func number(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Result<Range<Int>, Problem> {
    let start = i
    if let end = FactNumber.scan(b, from: i), end == b.count || isDelimiter(b[end]) {
      i = end
      return .success(start..<end)
    }
    var j = i
    while j < b.count, !isDelimiter(b[j]) { j += 1 }
    return .failure(.invalidNumber(String(decoding: b[start..<Swift.min(j, start + 40)], as: UTF8.self)))
  }

  @inline(__always)
  static func isDelimiter(_ c: UInt8) -> Bool {
    c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]") || c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09
      || c == UInt8(ascii: ":")
  }

  /// What the text at `i` looks like, for "expected a JSON value, found …".
  static func found(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> String {
    guard i < b.count else { return "the end of the text" }
    var j = i
    while j < b.count, j < i + 20, !isDelimiter(b[j]) { j += 1 }
    if j == i { j = i + 1 }
    return "`" + String(decoding: b[i..<j], as: UTF8.self) + "`"
  }

  /// Keys seen in the objects being skipped, innermost last, to find a key given twice. An object
  /// with few keys is searched in place; one with many gets a hash set, so a line of a million
  /// keys stays linear.
  struct KeyLog {
    /// Each key's bytes (decoded) as a range of `bytes`, and the nesting level of its object.
    var keys: [(level: Int, range: Range<Int>)] = []
    var bytes: [UInt8] = []
    /// For objects past `searchLimit` keys: their keys, by level.
    private var large: [Int: Set<[UInt8]>] = [:]
    private static let searchLimit = 32

    mutating func reset() {
      keys.removeAll(keepingCapacity: true)
      bytes.removeAll(keepingCapacity: true)
      if !large.isEmpty { large.removeAll() }
    }

    /// Records `key` for the object at `level`; false if that object already has it.
    mutating func add(_ b: UnsafeBufferPointer<UInt8>, _ token: StringToken, level: Int) -> Bool {
      let start = bytes.count
      if token.escaped {
        bytes.append(contentsOf: decode(b, token).utf8)
      } else {
        bytes.append(contentsOf: b[token.content])
      }
      let new = start..<bytes.count
      if large[level] != nil {
        guard large[level, default: []].insert(Array(bytes[new])).inserted else { return false }
      } else {
        var k = keys.count - 1
        var count = 0
        while k >= 0, keys[k].level == level {
          if bytes[keys[k].range].elementsEqual(bytes[new]) { return false }
          k -= 1
          count += 1
        }
        if count >= KeyLog.searchLimit {
          large[level] = Set(keys[(k + 1)...].map { Array(bytes[$0.range]) } + [Array(bytes[new])])
        }
      }
      keys.append((level, new))
      return true
    }

    /// Forgets the keys of the object at `level`, which has ended.
    mutating func close(level: Int) {
      if !large.isEmpty { large[level] = nil }
      while let last = keys.last, last.level == level {
        keys.removeLast()
        bytes.removeSubrange(last.range.lowerBound...)
      }
    }
  }

  /// Skips one JSON value at `i`, checking all of it, without recursion (`level` is the nesting
  /// level of the value, counted as the readers count it).
  static func skipValue(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, level: Int, keys: inout KeyLog) -> Problem? {
    // Open containers, innermost last: true for an object.
    var open: [Bool] = []
    // After a value inside a container: expect `,` or the close.
    var afterValue = false
    while true {
      skipSpace(b, &i)
      if afterValue {
        guard let isObject = open.last else { return nil }
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        guard i < b.count else { return isObject ? .expectedCommaOrBrace : .expectedCommaOrBracket }
        if b[i] == close {
          i += 1
          if isObject { keys.close(level: level + open.count) }
          open.removeLast()
          if open.isEmpty { return nil }
          continue
        }
        guard b[i] == UInt8(ascii: ",") else { return isObject ? .expectedCommaOrBrace : .expectedCommaOrBracket }
        i += 1
        skipSpace(b, &i)
        if isObject, let p = key(b, &i, level: level + open.count, keys: &keys) { return p }
        afterValue = false
        continue
      }
      guard i < b.count else { return .expectedValue(found: "the end of the text") }
      let c = b[i]
      switch c {
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        guard level + open.count < maximumDepth else { return .tooDeep(maximumDepth) }
        i += 1
        open.append(c == UInt8(ascii: "{"))
        skipSpace(b, &i)
        let close = c == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
        if i < b.count, b[i] == close {
          i += 1
          open.removeLast()
          if open.isEmpty { return nil }
          afterValue = true
          continue
        }
        if c == UInt8(ascii: "{"), let p = key(b, &i, level: level + open.count, keys: &keys) { return p }
        continue
      case UInt8(ascii: "\""):
        if case .failure(let p) = string(b, &i) { return p }
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        if case .failure(let p) = number(b, &i) { return p }
      default:
        let start = i
        if !(literal(b, &i, "true") || literal(b, &i, "false") || literal(b, &i, "null")) {
          return .expectedValue(found: found(b, i))
        }
        if i < b.count, !isDelimiter(b[i]) {
          i = start
          return .expectedValue(found: found(b, start))
        }
      }
      if open.isEmpty { return nil }
      afterValue = true
    }
  }

  /// A key and its colon, inside an object being skipped.
  private static func key(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, level: Int, keys: inout KeyLog) -> Problem? {
    guard i < b.count, b[i] == UInt8(ascii: "\"") else { return .expectedKey }
    let token: StringToken
    switch string(b, &i) {
    case .success(let t): token = t
    case .failure(let p): return p
    }
    guard keys.add(b, token, level: level) else { return .duplicateKey(decode(b, token)) }
    skipSpace(b, &i)
    guard i < b.count, b[i] == UInt8(ascii: ":") else { return .expectedColon }
    i += 1
    return nil
  }

  /// Walks the members of the object at `i` (at its `{`, at nesting `level`): checks keys, colons,
  /// commas and that no key repeats, and calls `member` with each key at its value, which it must
  /// consume. Returns why the text is not JSON (and where), or nil; `member` returning false stops
  /// the walk early (the caller has its own reason).
  static func members(
    _ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, level: Int, keys: inout KeyLog,
    _ member: (_ key: StringToken, _ keyStart: Int, _ i: inout Int, _ keys: inout KeyLog) -> Bool
  ) -> (Problem, Int)? {
    i += 1
    skipSpace(b, &i)
    if i < b.count, b[i] == UInt8(ascii: "}") {
      i += 1
      return nil
    }
    while true {
      skipSpace(b, &i)
      let keyStart = i
      guard i < b.count, b[i] == UInt8(ascii: "\"") else { return (.expectedKey, i) }
      let token: StringToken
      switch string(b, &i) {
      case .failure(let p): return (p, keyStart)
      case .success(let t): token = t
      }
      guard keys.add(b, token, level: level) else { return (.duplicateKey(decode(b, token)), keyStart) }
      skipSpace(b, &i)
      guard i < b.count, b[i] == UInt8(ascii: ":") else { return (.expectedColon, i) }
      i += 1
      skipSpace(b, &i)
      guard member(token, keyStart, &i, &keys) else { return nil }
      skipSpace(b, &i)
      if i < b.count, b[i] == UInt8(ascii: ",") {
        i += 1
        continue
      }
      if i < b.count, b[i] == UInt8(ascii: "}") {
        i += 1
        keys.close(level: level)
        return nil
      }
      return (.expectedCommaOrBrace, i)
    }
  }
}
