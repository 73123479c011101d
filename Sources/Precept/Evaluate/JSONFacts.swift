#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads one JSON document (a JSONL line) straight into values of a schema, without building a
/// tree first: keys and enum cases are compared as bytes, numbers are read exactly from their
/// digits, and a path string is only built when there is an error to report.
public struct JSONFactsReader {
  private let bytes: UnsafeBufferPointer<UInt8>
  private var i = 0
  private var path: [PathStep] = []
  private(set) var errors: [FactsError] = []

  private enum PathStep {
    case key(String)
    case index(Int)
  }

  /// Reads `line` against `schema`. If the line's keys are not the schema's roots and the schema has
  /// a single root, the whole line is that root (a flat applicant record for a rulebook over `applicant`).
  public static func read(_ line: UnsafeBufferPointer<UInt8>, schema: [Field]) -> Result<[Value], FactsErrors> {
    var r = JSONFactsReader(bytes: line)
    let values = r.document(schema)
    if r.errors.isEmpty, let values { return .success(values) }
    return .failure(FactsErrors(errors: r.errors.isEmpty ? [FactsError(path: "", message: "not valid JSON")] : r.errors))
  }

  /// Reads one JSON line, given as bytes, against `schema`.
  public static func read(_ line: [UInt8], schema: [Field]) -> Result<[Value], FactsErrors> {
    line.withUnsafeBufferPointer { read($0, schema: schema) }
  }

  private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  private mutating func document(_ schema: [Field]) -> [Value]? {
    skipSpace()
    guard peek == UInt8(ascii: "{") else {
      _ = fail("a line must be a JSON object")
      return nil
    }
    // Keyed by roots when the object holds every root; otherwise a single root is the whole object.
    let record = RecordType(schema)
    let start = i
    let wrapped = schema.count == 1 && !hasKey(schema[0].name)
    i = start
    let v: Value
    if wrapped {
      path.append(.key(schema[0].name))
      v = value(schema[0].type)
      path.removeLast()
      skipSpace()
      if i < bytes.count { _ = fail("unexpected text after the JSON object") }
      return [v]
    }
    v = value(.record(record))
    skipSpace()
    if i < bytes.count { _ = fail("unexpected text after the JSON object") }
    guard case .record(let fields) = v else { return nil }
    return fields
  }

  /// Whether the top-level object has `key` (scans keys only, skipping values).
  private mutating func hasKey(_ key: String) -> Bool {
    i += 1
    while true {
      skipSpace()
      guard peek == UInt8(ascii: "\"") else { return false }
      let matches = keyEquals(key.utf8)
      skipSpace()
      guard peek == UInt8(ascii: ":") else { return false }
      i += 1
      if matches { return true }
      guard skipValue() else { return false }
      skipSpace()
      if peek == UInt8(ascii: ",") {
        i += 1
        continue
      }
      return false
    }
  }

  // MARK: - Values by type

  private mutating func value(_ type: ValueType) -> Value {
    skipSpace()
    if literal("null") {
      switch type {
      case .optional: return .missing
      case .list: return .list([])
      default: return fail("expected \(type.brief), found null")
      }
    }
    switch type {
    case .optional(let t): return value(t)
    case .record(let r): return record(r)
    case .list(let element):
      guard peek == UInt8(ascii: "[") else { return mismatch(type) }
      i += 1
      var items: [Value] = []
      skipSpace()
      if peek == UInt8(ascii: "]") {
        i += 1
        return .list(items)
      }
      while true {
        path.append(.index(items.count))
        items.append(value(element))
        path.removeLast()
        skipSpace()
        if peek == UInt8(ascii: ",") {
          i += 1
          continue
        }
        if peek == UInt8(ascii: "]") {
          i += 1
          return .list(items)
        }
        return fail("expected `,` or `]` in a list")
      }
    case .int, .decimal:
      guard let n = number() else { return mismatch(type) }
      if type == .int, !n.isInteger { return fail("expected int, found \(n)") }
      return .number(n)
    case .percent:
      if peek == UInt8(ascii: "\"") {
        guard let s = string(), s.hasSuffix("%"), case .success(let n) = PercentLiteral.parse(s) else {
          return fail("expected a percentage such as \"18%\" or the fraction 0.18")
        }
        return .number(n)
      }
      guard let n = number() else { return mismatch(type) }
      return .number(n)
    case .bool:
      if literal("true") { return .bool(true) }
      if literal("false") { return .bool(false) }
      return mismatch(type)
    case .money(let currency):
      if peek == UInt8(ascii: "{") {
        let v = record(RecordType([Field(name: "amount", type: .decimal), Field(name: "currency", type: .text)]))
        guard case .record(let f) = v, case .number(let a) = f[0], case .text(let c) = f[1], let code = Currency(c) else {
          return errors.isEmpty ? fail("an amount written as an object needs `amount` and `currency`") : .missing
        }
        return checked(Money(a, code), currency)
      }
      guard let s = string(), case .success(let m) = Money.parse(s) else {
        return fail("expected an amount with its currency such as \"20000 CNY\"")
      }
      return checked(m, currency)
    case .date:
      guard let s = string(), case .success(let d) = CivilDate.parse(s) else { return fail("expected a date YYYY-MM-DD") }
      return .date(d)
    case .datetime:
      guard let s = string() else { return mismatch(type) }
      switch DateTime.parse(s) {
      case .success(let d): return .datetime(d)
      case .failure(let e): return fail("expected a date-time such as 2026-01-01T09:30:00+08:00: \(e.message)")
      }
    case .duration:
      guard let s = string(), case .success(let d) = TimeSpan.parse(s) else { return fail("expected a duration such as \"24h\"") }
      return .duration(d)
    case .text:
      guard let s = string() else { return mismatch(type) }
      return .text(s)
    case .enumeration(let e):
      guard peek == UInt8(ascii: "\""), let raw = plainString() else { return mismatch(type) }
      if let k = match(raw, e.cases) { return .enumCase(k) }
      let s = String(decoding: raw, as: UTF8.self)
      return fail("expected one of \(e.cases.joined(separator: ", ")), found \"\(s)\"")
    case .error, .nothing:
      _ = skipValue()
      return .missing
    }
  }

  private mutating func record(_ r: RecordType) -> Value {
    guard peek == UInt8(ascii: "{") else { return mismatch(.record(r)) }
    i += 1
    // Absent fields stay `nil` in a bitmask-free way: a parallel "seen" count avoids a second array.
    var fields = [Value](repeating: .missing, count: r.fields.count)
    var seen: UInt64 = 0
    skipSpace()
    if peek == UInt8(ascii: "}") {
      i += 1
    } else {
      while true {
        skipSpace()
        guard peek == UInt8(ascii: "\"") else { return fail("expected a key in quotes") }
        let keyStart = i
        var found = -1
        if let raw = plainString() {
          found = match(raw, r.fields) ?? -1
        } else {
          // A key with escapes: decode it, then compare.
          i = keyStart
          guard let key = string() else { return fail("invalid key") }
          found = r.fields.firstIndex { $0.name == key } ?? -1
        }
        skipSpace()
        guard peek == UInt8(ascii: ":") else { return fail("expected `:` after a key") }
        i += 1
        if found >= 0 {
          path.append(.key(r.fields[found].name))
          fields[found] = value(r.fields[found].type)
          if found < 64 { seen |= 1 << UInt64(found) }
          path.removeLast()
        } else {
          // Facts may carry more than the rulebook reads.
          guard skipValue() else { return fail("invalid JSON value") }
        }
        skipSpace()
        if peek == UInt8(ascii: ",") {
          i += 1
          continue
        }
        if peek == UInt8(ascii: "}") {
          i += 1
          break
        }
        return fail("expected `,` or `}` in an object")
      }
    }
    let all: UInt64 = r.fields.count >= 64 ? .max : (1 << UInt64(r.fields.count)) - 1
    if seen != all {
      for (k, f) in r.fields.enumerated() where k >= 64 || seen & (1 << UInt64(k)) == 0 {
        switch f.type {
        case .optional: fields[k] = .missing
        case .list: fields[k] = .list([])
        default:
          path.append(.key(f.name))
          fields[k] = fail("required fact is missing (expected \(f.type.brief))")
          path.removeLast()
        }
      }
    }
    return .record(fields)
  }

  private mutating func checked(_ m: Money, _ currency: String?) -> Value {
    if let currency, m.currency.code != currency { return fail("expected an amount in \(currency), found \(m)") }
    return .money(m)
  }

  // MARK: - Lexing

  private var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

  private mutating func skipSpace() {
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
  }

  private mutating func literal(_ word: StaticString) -> Bool {
    let n = word.utf8CodeUnitCount
    guard i + n <= bytes.count else { return false }
    let w = word.utf8Start
    for k in 0..<n where bytes[i + k] != w[k] { return false }
    i += n
    return true
  }

  /// The bytes of the string at the cursor when it has no escapes (consumed); nil otherwise (not consumed).
  private mutating func plainString() -> UnsafeBufferPointer<UInt8>? {
    guard peek == UInt8(ascii: "\"") else { return nil }
    var j = i + 1
    while j < bytes.count {
      let b = bytes[j]
      if b == UInt8(ascii: "\"") {
        let raw = UnsafeBufferPointer(rebasing: bytes[(i + 1)..<j])
        i = j + 1
        return raw
      }
      if b == UInt8(ascii: "\\") { return nil }
      j += 1
    }
    return nil
  }

  /// The index of the name equal to `raw`, comparing lengths before bytes.
  private func match(_ raw: UnsafeBufferPointer<UInt8>, _ names: [String]) -> Int? {
    for (k, name) in names.enumerated() where JSONFactsReader.same(name, raw) { return k }
    return nil
  }

  private func match(_ raw: UnsafeBufferPointer<UInt8>, _ fields: [Field]) -> Int? {
    for (k, f) in fields.enumerated() where JSONFactsReader.same(f.name, raw) { return k }
    return nil
  }

  /// Byte equality of a string and raw UTF-8, by length and then `memcmp` on the string's own storage.
  private static func same(_ name: String, _ raw: UnsafeBufferPointer<UInt8>) -> Bool {
    guard name.utf8.count == raw.count else { return false }
    if let equal = name.utf8.withContiguousStorageIfAvailable({ s -> Bool in
      guard let a = s.baseAddress, let b = raw.baseAddress else { return s.isEmpty }
      return memcmp(a, b, raw.count) == 0
    }) {
      return equal
    }
    return name.utf8.elementsEqual(raw)
  }

  /// Whether the string at the cursor equals `key` (no escapes); consumes it if so.
  private mutating func keyEquals(_ key: String.UTF8View) -> Bool {
    guard peek == UInt8(ascii: "\"") else { return false }
    var j = i + 1
    for b in key {
      guard j < bytes.count, bytes[j] == b else { return false }
      j += 1
    }
    guard j < bytes.count, bytes[j] == UInt8(ascii: "\"") else { return false }
    i = j + 1
    return true
  }

  /// An exact decimal from JSON number syntax (an exponent shifts the decimal point exactly).
  private mutating func number() -> Fixed? {
    // Fast path: up to 18 digits with an optional fraction and no exponent, scaled once.
    let start = i
    var j = i
    var negative = false
    if j < bytes.count, bytes[j] == UInt8(ascii: "-") {
      negative = true
      j += 1
    }
    var acc: UInt64 = 0
    var digits = 0
    var fraction = -1
    while j < bytes.count {
      let c = bytes[j]
      if c >= 0x30 && c <= 0x39 {
        acc = acc &* 10 &+ UInt64(c - 0x30)
        digits += 1
        if fraction >= 0 { fraction += 1 }
      } else if c == UInt8(ascii: "."), fraction < 0 {
        fraction = 0
      } else {
        break
      }
      j += 1
    }
    let next = j < bytes.count ? bytes[j] : 0
    if digits > 0, digits <= 18, fraction != 0, next != UInt8(ascii: "e"), next != UInt8(ascii: "E"), fraction <= Fixed.scale {
      i = j
      let units = Int128(acc) * JSONFactsReader.powersOfTen[Fixed.scale - Swift.max(fraction, 0)]
      return Fixed(units: negative ? -units : units)
    }
    i = start
    return slowNumber()
  }

  static let powersOfTen: [Int128] = (0...Fixed.scale).map { k in (0..<k).reduce(Int128(1)) { p, _ in p * 10 } }

  private mutating func slowNumber() -> Fixed? {
    var negative = false
    if peek == UInt8(ascii: "-") {
      negative = true
      i += 1
    }
    var units: Int128 = 0
    var digits = 0
    var fraction = 0
    var seenPoint = false
    while let c = peek {
      if c >= 0x30 && c <= 0x39 {
        let (m, o1) = units.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(Int128(c - 0x30))
        if o1 || o2 { return nil }
        units = a
        digits += 1
        if seenPoint { fraction += 1 }
        i += 1
      } else if c == UInt8(ascii: "."), !seenPoint {
        seenPoint = true
        i += 1
      } else {
        break
      }
    }
    guard digits > 0 else { return nil }
    var exponent = 0
    if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
      i += 1
      var sign = 1
      if peek == UInt8(ascii: "-") { sign = -1; i += 1 } else if peek == UInt8(ascii: "+") { i += 1 }
      var e = 0
      while let c = peek, c >= 0x30 && c <= 0x39, e < 10_000 {
        e = e * 10 + Int(c - 0x30)
        i += 1
      }
      exponent = sign * e
    }
    // units × 10^(exponent − fraction) as a count of 10⁻¹² units.
    var shift = Fixed.scale + exponent - fraction
    while shift < 0 {
      guard units % 10 == 0 else { return nil }  // more decimal places than can be kept exactly
      units /= 10
      shift += 1
    }
    for _ in 0..<shift {
      let (m, o) = units.multipliedReportingOverflow(by: 10)
      if o { return nil }
      units = m
    }
    return Fixed(units: negative ? -units : units)
  }

  /// A JSON string, decoded.
  private mutating func string() -> String? {
    guard peek == UInt8(ascii: "\"") else { return nil }
    i += 1
    let start = i
    var plain = true
    while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
      if bytes[i] == UInt8(ascii: "\\") {
        plain = false
        i += 1
      }
      i += 1
    }
    guard i < bytes.count else { return nil }
    defer { i += 1 }
    let raw = UnsafeBufferPointer(rebasing: bytes[start..<i])
    if plain { return String(decoding: raw, as: UTF8.self) }
    return JSONFactsReader.unescape(raw)
  }

  static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
    var out: [UInt8] = []
    out.reserveCapacity(raw.count)
    var k = 0
    while k < raw.count {
      let c = raw[k]
      k += 1
      guard c == UInt8(ascii: "\\") else {
        out.append(c)
        continue
      }
      guard k < raw.count else { return nil }
      let e = raw[k]
      k += 1
      switch e {
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "u"):
        guard let (scalar, used) = hexScalar(raw, k) else { return nil }
        k = used
        out.append(contentsOf: Array(String(scalar).utf8))
      default: out.append(e)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// `\uXXXX`, joining a surrogate pair into one scalar.
  private static func hexScalar(_ raw: UnsafeBufferPointer<UInt8>, _ at: Int) -> (Unicode.Scalar, Int)? {
    func hex4(_ p: Int) -> UInt32? {
      guard p + 4 <= raw.count else { return nil }
      var v: UInt32 = 0
      for q in p..<(p + 4) {
        guard let h = Unicode.Scalar(raw[q]).hexValue else { return nil }
        v = v * 16 + h
      }
      return v
    }
    guard let hi = hex4(at) else { return nil }
    if hi >= 0xD800 && hi < 0xDC00, at + 10 <= raw.count, raw[at + 4] == UInt8(ascii: "\\"), raw[at + 5] == UInt8(ascii: "u"),
      let lo = hex4(at + 6), lo >= 0xDC00 && lo < 0xE000
    {
      return Unicode.Scalar(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)).map { ($0, at + 10) }
    }
    return Unicode.Scalar(hi).map { ($0, at + 4) }
  }

  /// Skips any JSON value; false when it is malformed.
  private mutating func skipValue() -> Bool {
    skipSpace()
    guard let c = peek else { return false }
    switch c {
    case UInt8(ascii: "\""): return string() != nil
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      var depth = 0
      while i < bytes.count {
        let b = bytes[i]
        if b == UInt8(ascii: "\"") {
          guard string() != nil else { return false }
          continue
        }
        if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") { depth += 1 }
        if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
          depth -= 1
          if depth == 0 {
            i += 1
            return true
          }
        }
        i += 1
      }
      return false
    default:
      if literal("true") || literal("false") || literal("null") { return true }
      return number() != nil || { () -> Bool in
        // A number too precise to keep still has to be skipped.
        while let d = peek, d != UInt8(ascii: ","), d != UInt8(ascii: "}"), d != UInt8(ascii: "]") { i += 1 }
        return true
      }()
    }
  }

  // MARK: - Errors

  private mutating func fail(_ message: String) -> Value {
    if errors.count < FactsReader.maximumErrors { errors.append(FactsError(path: pathText, message: message)) }
    return .missing
  }

  private mutating func mismatch(_ type: ValueType) -> Value {
    let found: String
    switch peek {
    case UInt8(ascii: "\"")?:
      let start = i
      found = "\"" + (string() ?? "") + "\""
      if found.isEmpty { i = start }
    case UInt8(ascii: "{")?: found = "an object"
    case UInt8(ascii: "[")?: found = "a list"
    case UInt8(ascii: "t")?, UInt8(ascii: "f")?: found = "true/false"
    case nil: found = "the end of the line"
    default: found = number().map { $0.description } ?? "something that is not JSON"
    }
    _ = skipValue()
    return fail("expected \(type.brief), found \(found)")
  }

  private var pathText: String {
    var s = ""
    for step in path {
      switch step {
      case .key(let k): s += s.isEmpty ? k : "." + k
      case .index(let n): s += "[\(n)]"
      }
    }
    return s
  }
}
