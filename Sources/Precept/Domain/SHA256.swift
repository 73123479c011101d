/// SHA-256 (FIPS 180-4), so every rulebook decision can name the exact sources it came from as `sha256:…`
/// without pulling in Foundation or a crypto library.
public enum SHA256 {
  /// The digest of `bytes` as 64 lowercase hexadecimal digits.
  public static func hex(_ bytes: some Sequence<UInt8>) -> String {
    var hasher = SHA256Hasher()
    hasher.update(bytes)
    return hexString(hasher.finalize())
  }

  /// Lowercase hexadecimal text of a digest (or any bytes).
  public static func hexString(_ digest: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(digest.count * 2)
    for byte in digest {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}

/// An incremental SHA-256: feed a rulebook's files one after another, then take the 32-byte digest.
public struct SHA256Hasher: Sendable {
  private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
  )
  /// Bytes waiting for a full 64-byte block; never holds 64 or more between calls.
  private var pending: [UInt8] = []
  /// Total message length in bytes.
  private var length: UInt64 = 0

  /// A hasher that has read nothing yet.
  public init() {
    pending.reserveCapacity(64)
  }

  /// Appends bytes to the message.
  public mutating func update(_ bytes: some Sequence<UInt8>) {
    // Contiguous input (arrays, UTF-8 views of native strings) is hashed block by block without copying.
    let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
      update(contiguous: UnsafeRawBufferPointer(buffer))
    }
    if handled != nil { return }
    var chunk: [UInt8] = []
    chunk.reserveCapacity(4096)
    for byte in bytes {
      chunk.append(byte)
      if chunk.count == 4096 {
        chunk.withUnsafeBytes { update(contiguous: $0) }
        chunk.removeAll(keepingCapacity: true)
      }
    }
    chunk.withUnsafeBytes { update(contiguous: $0) }
  }

  /// The digest of everything fed so far. The hasher itself is left unchanged, so more can still be appended.
  public func finalize() -> [UInt8] {
    var copy = self
    // The padding encodes the message length in bits, modulo 2^64 as the standard says.
    let bitLength = length &* 8
    var tail = pending
    tail.append(0x80)
    while tail.count % 64 != 56 { tail.append(0) }
    for shift in stride(from: 56, through: 0, by: -8) {
      tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
    }
    tail.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        copy.compress(raw, at: offset)
        offset += 64
      }
    }
    var digest: [UInt8] = []
    digest.reserveCapacity(32)
    let words = [copy.state.0, copy.state.1, copy.state.2, copy.state.3, copy.state.4, copy.state.5, copy.state.6, copy.state.7]
    for word in words {
      digest.append(UInt8(truncatingIfNeeded: word >> 24))
      digest.append(UInt8(truncatingIfNeeded: word >> 16))
      digest.append(UInt8(truncatingIfNeeded: word >> 8))
      digest.append(UInt8(truncatingIfNeeded: word))
    }
    return digest
  }

  // MARK: Private

  private mutating func update(contiguous raw: UnsafeRawBufferPointer) {
    length &+= UInt64(raw.count)
    var offset = 0
    if !pending.isEmpty {
      let take = min(64 - pending.count, raw.count)
      pending.append(contentsOf: raw[0..<take])
      offset = take
      guard pending.count == 64 else { return }
      pending.withUnsafeBytes { compress($0, at: 0) }
      pending.removeAll(keepingCapacity: true)
    }
    while raw.count - offset >= 64 {
      compress(raw, at: offset)
      offset += 64
    }
    pending.append(contentsOf: raw[offset...])
  }

  private static let k: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
    0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
    0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
    0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
    0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
  ]

  /// One application of the compression function to the 64 bytes of `raw` starting at `offset`.
  private mutating func compress(_ raw: UnsafeRawBufferPointer, at offset: Int) {
    guard let base = raw.baseAddress, offset >= 0, offset + 64 <= raw.count else { return }
    let block = base + offset
    // The message schedule lives on the stack (one heap allocation per block would dominate large
    // inputs), and the constants are read through a buffer pointer, without a bounds check each.
    state = Self.k.withUnsafeBufferPointer { k in
      withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
        for t in 0..<16 { w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self)) }
        for t in 16..<64 {
          let s0 = Self.rotr(w[t - 15], 7) ^ Self.rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
          let s1 = Self.rotr(w[t - 2], 17) ^ Self.rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
          w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, h) = state
        for t in 0..<64 {
          let s1 = Self.rotr(e, 6) ^ Self.rotr(e, 11) ^ Self.rotr(e, 25)
          let choose = (e & f) ^ (~e & g)
          let t1 = h &+ s1 &+ choose &+ k[t] &+ w[t]
          let s0 = Self.rotr(a, 2) ^ Self.rotr(a, 13) ^ Self.rotr(a, 22)
          let majority = (a & b) ^ (a & c) ^ (b & c)
          let t2 = s0 &+ majority
          h = g; g = f; f = e; e = d &+ t1
          d = c; c = b; b = a; a = t1 &+ t2
        }
        return (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h)
      }
    }
  }

  @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
    x >> n | x << (32 - n)
  }
}
