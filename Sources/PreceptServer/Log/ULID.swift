/// A ULID: 48 bits of milliseconds since 1970 and 80 random bits, written as 26 Crockford base-32
/// characters, so ids sort in the order they were made. The log makes them strictly increasing
/// (`next(after:now:)`), so an id is also a cursor.
public struct ULID: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Milliseconds since 1970-01-01T00:00:00Z.
  public let milliseconds: UInt64
  /// The 80 random bits: the top 16 and the low 64.
  let high: UInt16
  let low: UInt64

  static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

  init(milliseconds: UInt64, high: UInt16, low: UInt64) {
    self.milliseconds = milliseconds & 0xFFFF_FFFF_FFFF
    self.high = high
    self.low = low
  }

  /// A new id later than `last` (if any): at `now`, or in `last`'s millisecond plus one when the
  /// clock has not moved on (or went back).
  public static func next(after last: ULID?, now: UInt64) -> ULID {
    var rng = SystemRandomNumberGenerator()
    guard let last, now <= last.milliseconds else {
      return ULID(milliseconds: now, high: UInt16.random(in: 0...UInt16.max, using: &rng) >> 1, low: rng.next())
    }
    // Same millisecond: increment the random part (its top bit was left clear, so it does not overflow in practice).
    let (low, carry) = last.low.addingReportingOverflow(1)
    if carry, last.high == UInt16.max { return ULID(milliseconds: last.milliseconds + 1, high: 0, low: 0) }
    return ULID(milliseconds: last.milliseconds, high: carry ? last.high + 1 : last.high, low: low)
  }

  /// Reads a ULID written as 26 Crockford base-32 characters (upper or lower case); nil otherwise.
  public init?(_ text: String) {
    let bytes = Array(text.utf8)
    guard bytes.count == 26 else { return nil }
    var hi: UInt64 = 0  // bits 127…64
    var lo: UInt64 = 0  // bits 63…0
    for (k, byte) in bytes.enumerated() {
      let upper = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
      guard let v = ULID.alphabet.firstIndex(of: upper) else { return nil }
      if k == 0, v > 7 { return nil }  // more than 128 bits
      hi = (hi << 5) | (lo >> 59)
      lo = (lo << 5) | UInt64(v)
    }
    self.init(milliseconds: hi >> 16, high: UInt16(truncatingIfNeeded: hi), low: lo)
  }

  public var description: String {
    let hi = (milliseconds << 16) | UInt64(high)
    var out = [UInt8](repeating: 0, count: 26)
    // 130 bits from the top (the first two are zero), 5 at a time.
    for k in 0..<26 {
      let shift = 125 - 5 * k  // position of the lowest bit of this character
      var v: UInt64
      if shift >= 64 {
        v = hi >> UInt64(shift - 64)
      } else if shift > 59 {
        v = (hi << UInt64(64 - shift)) | (lo(shift))
      } else {
        v = low >> UInt64(shift)
      }
      out[k] = ULID.alphabet[Int(v & 31)]
    }
    return String(decoding: out, as: UTF8.self)
  }

  private func lo(_ shift: Int) -> UInt64 { low >> UInt64(shift) }

  public static func < (a: ULID, b: ULID) -> Bool {
    (a.milliseconds, a.high, a.low) < (b.milliseconds, b.high, b.low)
  }
}
