/// An ISO 4217 currency code, packed into 24 bits so comparing and hashing currencies costs no String work.
public struct Currency: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The three ASCII capitals, first letter in the highest byte; ordering is alphabetical.
  public let packed: UInt32

  /// Accepts exactly three ASCII capital letters (`CNY`); the code is not checked against the ISO list,
  /// so new or private codes work.
  public init?(_ code: some StringProtocol) {
    guard let currency = Currency(bytes: code.utf8) else { return nil }
    self = currency
  }

  /// Reads three capitals from UTF-8 bytes.
  init?<Bytes: Collection<UInt8>>(bytes: Bytes) {
    var packed: UInt32 = 0
    var count = 0
    for byte in bytes {
      guard count < 3, byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") else { return nil }
      packed = packed << 8 | UInt32(byte)
      count += 1
    }
    guard count == 3 else { return nil }
    self.packed = packed
  }

  /// The three-letter ISO 4217 code (`CNY`).
  public var code: String {
    let bytes = [UInt8(truncatingIfNeeded: packed >> 16), UInt8(truncatingIfNeeded: packed >> 8), UInt8(truncatingIfNeeded: packed)]
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The ISO 4217 code.
  public var description: String { code }

  /// Orders currencies by code.
  public static func < (a: Currency, b: Currency) -> Bool { a.packed < b.packed }
}
