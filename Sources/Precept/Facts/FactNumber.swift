/// Numbers in facts, in every reader: RFC 8259's number grammar (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`),
/// read exactly. An exponent is accepted when the value it gives is exact in a `Fixed` (at most
/// 12 decimal places, at most about 1.7 × 10^26): `1e3` is 1000, `1.5e-3` is 0.0015,
/// `1.0000000000000` is 1; `1e-13` and `1e27` are refused, with the reason.
///
/// A JSON number and a plain YAML scalar are numbers exactly when this grammar matches them, so
/// a `.json` file checked with `precept check` and the same object streamed through `precept eval`
/// are read alike. (`09`, `.5`, `5.`, `+1` and `1_000` are not numbers: in YAML they are text.)
public enum FactNumber {
  /// Why a number that matches the grammar is still refused.
  public enum Refusal: Error, Sendable, Hashable {
    case tooManyPlaces
    case outOfRange

    /// The refusal in words, quoting the number as written (`text`).
    public func message(_ text: String) -> String {
      switch self {
      case .tooManyPlaces: "\(text) has more than \(Fixed.scale) decimal places"
      case .outOfRange: "\(text) is beyond the largest decimal, about 1.7 × 10^26"
      }
    }
  }

  /// The index just past the number that starts at `i`, or nil when the bytes there do not
  /// start a number of the grammar. The number ends where the grammar ends; the caller decides
  /// whether what follows may follow.
  @inline(__always)
  public static func scan(_ b: UnsafeBufferPointer<UInt8>, from i: Int) -> Int? {
    var j = i
    let end = b.count
    if j < end, b[j] == UInt8(ascii: "-") { j += 1 }
    guard j < end else { return nil }
    if b[j] == UInt8(ascii: "0") {
      j += 1
    } else if b[j] &- 0x31 < 9 {
      j += 1
      while j < end, b[j] &- 0x30 < 10 { j += 1 }
    } else {
      return nil
    }
    if j < end, b[j] == UInt8(ascii: ".") {
      j += 1
      guard j < end, b[j] &- 0x30 < 10 else { return nil }
      while j < end, b[j] &- 0x30 < 10 { j += 1 }
    }
    if j < end, b[j] | 0x20 == UInt8(ascii: "e") {
      j += 1
      if j < end, b[j] == UInt8(ascii: "+") || b[j] == UInt8(ascii: "-") { j += 1 }
      guard j < end, b[j] &- 0x30 < 10 else { return nil }
      while j < end, b[j] &- 0x30 < 10 { j += 1 }
    }
    return j
  }

  /// Whether the whole of `text` is a number of the grammar.
  public static func matches(_ text: String) -> Bool {
    var copy = text
    return copy.withUTF8 { raw in raw.count > 0 && scan(raw, from: 0) == raw.count }
  }

  /// The exact value of the number `b[range]`, which `scan` matched.
  public static func value(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Result<Fixed, Refusal> {
    var k = range.lowerBound
    let end = range.upperBound
    var negative = false
    if k < end, b[k] == UInt8(ascii: "-") {
      negative = true
      k += 1
    }
    // The significant digits as an integer (leading zeros dropped; trailing zeros of a long
    // fraction are counted, not multiplied in, so `1.0000000000000000000000000000` stays exact).
    var digits: UInt128 = 0
    var pendingZeros = 0
    var overflow = false
    var fraction = 0
    var seenPoint = false
    while k < end {
      let c = b[k]
      if c == UInt8(ascii: ".") {
        seenPoint = true
      } else if c &- 0x30 < 10 {
        if seenPoint { fraction += 1 }
        if c == UInt8(ascii: "0") {
          if digits != 0 { pendingZeros += 1 }
        } else {
          for _ in 0..<pendingZeros { multiply(&digits, by: 10, &overflow) }
          pendingZeros = 0
          multiply(&digits, by: 10, &overflow)
          let (s, o) = digits.addingReportingOverflow(UInt128(c &- 0x30))
          digits = s
          if o { overflow = true }
        }
      } else {
        break
      }
      k += 1
    }
    // The exponent, clamped far outside any value that could be kept.
    var exponent = 0
    if k < end, b[k] | 0x20 == UInt8(ascii: "e") {
      k += 1
      var sign = 1
      if b[k] == UInt8(ascii: "-") {
        sign = -1
        k += 1
      } else if b[k] == UInt8(ascii: "+") {
        k += 1
      }
      while k < end, b[k] &- 0x30 < 10 {
        if exponent < 100_000 { exponent = exponent * 10 + Int(b[k] &- 0x30) }
        k += 1
      }
      exponent *= sign
    }
    if digits == 0 { return .success(.zero) }
    // value = digits × 10^(pendingZeros + exponent − fraction); in units, shift by `scale` more.
    var shift = pendingZeros + exponent - fraction + Fixed.scale
    if shift < 0 { return .failure(.tooManyPlaces) }
    if overflow { return .failure(.outOfRange) }
    while shift > 0 {
      multiply(&digits, by: 10, &overflow)
      if overflow { return .failure(.outOfRange) }
      shift -= 1
    }
    guard digits <= Fixed.maximumMagnitude else { return .failure(.outOfRange) }
    return .success(Fixed(units: negative ? -Int128(digits) : Int128(digits)))
  }

  /// The value of a number written as `text` (which `matches`).
  public static func value(_ text: String) -> Result<Fixed, Refusal> {
    var copy = text
    return copy.withUTF8 { value($0, 0..<$0.count) }
  }

  @inline(__always)
  private static func multiply(_ x: inout UInt128, by m: UInt128, _ overflow: inout Bool) {
    let (p, o) = x.multipliedReportingOverflow(by: m)
    x = p
    if o { overflow = true }
  }
}
