/// A growable byte buffer for output that is written in large blocks: an append is a capacity
/// check and a copy. Not copyable, so its storage has exactly one owner.
public struct OutputBytes: ~Copyable {
  private var base: UnsafeMutableRawPointer
  /// The bytes written so far.
  public private(set) var count = 0
  private var capacity: Int

  /// An empty buffer with room for `capacity` bytes before it grows.
  public init(capacity: Int = 4096) {
    self.capacity = Swift.max(capacity, 64)
    base = .allocate(byteCount: self.capacity, alignment: 16)
  }

  deinit { base.deallocate() }

  /// Forgets the bytes written, keeping the storage.
  public mutating func removeAll() { count = 0 }

  /// The bytes written, valid while `body` runs.
  public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try body(UnsafeRawBufferPointer(start: base, count: count))
  }

  /// Makes room for `n` more bytes.
  @inline(__always)
  mutating func reserve(_ n: Int) {
    if capacity - count < n { grow(n) }
  }

  private mutating func grow(_ n: Int) {
    let bigger = Swift.max(capacity * 2, count + n)
    let fresh = UnsafeMutableRawPointer.allocate(byteCount: bigger, alignment: 16)
    fresh.copyMemory(from: base, byteCount: count)
    base.deallocate()
    base = fresh
    capacity = bigger
  }

  /// Writes `byte` over the byte at `offset`, one already written.
  @inline(__always)
  mutating func store(_ byte: UInt8, at offset: Int) {
    precondition(offset < count)
    base.storeBytes(of: byte, toByteOffset: offset, as: UInt8.self)
  }

  /// Appends `bytes`.
  public mutating func append(_ bytes: UnsafeRawBufferPointer) {
    reserve(bytes.count)
    appendUnchecked(bytes)
  }

  /// Appends `bytes`, for which there is room already.
  @inline(__always)
  mutating func appendUnchecked(_ bytes: UnsafeRawBufferPointer) {
    guard let from = bytes.baseAddress else { return }
    (base + count).copyMemory(from: from, byteCount: bytes.count)
    count &+= bytes.count
  }

  mutating func append(_ text: StaticString) {
    reserve(text.utf8CodeUnitCount)
    appendUnchecked(text)
  }

  @inline(__always)
  mutating func appendUnchecked(_ text: StaticString) {
    (base + count).copyMemory(from: text.utf8Start, byteCount: text.utf8CodeUnitCount)
    count &+= text.utf8CodeUnitCount
  }

  /// Appends `n` in decimal.
  mutating func appendInt(_ n: Int) {
    reserve(20)
    var magnitude = n.magnitude
    if n < 0 {
      base.storeBytes(of: UInt8(ascii: "-"), toByteOffset: count, as: UInt8.self)
      count += 1
    }
    var digits = 1
    var limit: UInt = 10
    while magnitude >= limit, digits < 20 {
      digits += 1
      let (next, overflow) = limit.multipliedReportingOverflow(by: 10)
      if overflow { break }
      limit = next
    }
    var at = count + digits
    repeat {
      at -= 1
      base.storeBytes(of: UInt8(ascii: "0") + UInt8(magnitude % 10), toByteOffset: at, as: UInt8.self)
      magnitude /= 10
    } while at > count
    count += digits
  }

  /// Appends `x` as `Fixed.description` writes it (no trailing zeros, no exponent), when its
  /// magnitude fits in 64 bits; false (and nothing appended) otherwise.
  mutating func appendCanonical(_ x: Fixed) -> Bool {
    guard let magnitude = UInt64(exactly: x.units.magnitude) else { return false }
    let perWhole: UInt64 = 1_000_000_000_000
    let (whole, fraction) = magnitude.quotientAndRemainder(dividingBy: perWhole)
    reserve(1 + 20 + 1 + 12)
    if x.units < 0 {
      base.storeBytes(of: UInt8(ascii: "-"), toByteOffset: count, as: UInt8.self)
      count += 1
    }
    appendInt(Int(whole))
    if fraction != 0 {
      var digits = 12
      var f = fraction
      while f % 10 == 0 {
        f /= 10
        digits -= 1
      }
      base.storeBytes(of: UInt8(ascii: "."), toByteOffset: count, as: UInt8.self)
      var at = count + digits
      repeat {
        base.storeBytes(of: UInt8(ascii: "0") + UInt8(f % 10), toByteOffset: at, as: UInt8.self)
        f /= 10
        at -= 1
      } while at > count
      count += digits + 1
    }
    return true
  }

  /// Appends `s` as a JSON string literal, quotes included.
  mutating func appendEscaped(_ s: String) {
    append("\"")
    appendEscapedContent(s)
    append("\"")
  }

  /// Appends `s` escaped for a JSON string, without quotes (as `JSON.escape` writes it).
  mutating func appendEscapedContent(_ s: String) {
    var text = s
    let plain = text.withUTF8 { utf8 in
      if utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) { return false }
      append(UnsafeRawBufferPointer(utf8))
      return true
    }
    if plain { return }
    var escaped: [UInt8] = []
    JSON.escape(s, into: &escaped)
    escaped.withUnsafeBytes { append(UnsafeRawBufferPointer(rebasing: $0.dropFirst().dropLast())) }
  }
}
