import CZlib

/// zlib's format (RFC 1950: DEFLATE with a two-byte header and an Adler-32 check), for the
/// decision log's `results_deflated` column.
enum Zlib {
  /// zlib's default level, fixed here: the bytes a row stores do not depend on a setting.
  static let level: Int32 = 6
  /// The most `inflate` produces unless told otherwise: 64 MiB.
  static let defaultLimit = 64 << 20

  /// `input` compressed. Throws only when zlib cannot (out of memory).
  static func deflate(_ input: [UInt8]) throws -> [UInt8] {
    var size = compressBound(uLong(input.count))
    var out = [UInt8](repeating: 0, count: Int(size))
    let status = out.withUnsafeMutableBufferPointer { o in
      input.withUnsafeBufferPointer { i in compress2(o.baseAddress, &size, i.baseAddress, uLong(i.count), level) }
    }
    guard status == Z_OK, let n = Int(exactly: size), n <= out.count else {
      throw LogError("zlib could not compress \(input.count) bytes (status \(status))")
    }
    out.removeSubrange(n...)
    return out
  }

  /// `input` decompressed; nil when it is not one whole zlib stream (corrupt, truncated, with
  /// bytes after its end, or asking for a preset dictionary) or when it would give more than
  /// `limit` bytes. Never traps: memory stays under `limit` plus one chunk.
  static func inflate(_ input: [UInt8], limit: Int = defaultLimit) -> [UInt8]? {
    guard !input.isEmpty, let available = uInt(exactly: input.count) else { return nil }
    var stream = z_stream()
    guard czlib_inflate_init(&stream) == Z_OK else { return nil }
    defer { inflateEnd(&stream) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16_384)
    return input.withUnsafeBufferPointer { i -> [UInt8]? in
      // zlib reads through next_in and never writes to it.
      stream.next_in = UnsafeMutablePointer(mutating: i.baseAddress)
      stream.avail_in = available
      while true {
        let (status, produced) = chunk.withUnsafeMutableBufferPointer { c -> (Int32, Int) in
          stream.next_out = c.baseAddress
          stream.avail_out = uInt(c.count)
          let status = CZlib.inflate(&stream, Z_NO_FLUSH)
          return (status, c.count - Int(stream.avail_out))
        }
        guard produced <= limit - out.count else { return nil }
        out.append(contentsOf: chunk[..<produced])
        switch status {
        case Z_STREAM_END: return stream.avail_in == 0 ? out : nil
        case Z_OK: continue
        // Z_BUF_ERROR: the input ended before the stream did; Z_DATA_ERROR, Z_NEED_DICT, Z_MEM_ERROR.
        default: return nil
        }
      }
    }
  }
}

extension LogEntry {
  /// `results` as a row stores it from schema v2 on, the inverse of `LoggedDecision.storedResults`:
  /// '' as text and its UTF-8 deflated, or (only when it is longer than a reader would inflate)
  /// the text itself and no blob. It depends on nothing in the chain, so the backends compute it
  /// before they take the append lock.
  func storedResults() throws -> (text: String, deflated: [UInt8]?) {
    let text = Array(results.utf8)
    guard text.count <= Zlib.defaultLimit else { return (results, nil) }
    return ("", try Zlib.deflate(text))
  }
}

extension LoggedDecision {
  /// `results` as read back from the `results` text and `results_deflated` blob of a row. A row
  /// from before v2 has no blob: its text is the value. A row from v2 on has '' as text and its
  /// value deflated; a blob that does not inflate to UTF-8, or text beside a blob, means the row
  /// was changed, and reads as '' — which no row's hash was computed over, so `log verify` names it.
  static func storedResults(text: String, deflated: [UInt8]?) -> String {
    guard let deflated else { return text }
    guard text.isEmpty, let bytes = Zlib.inflate(deflated), let value = String(validating: bytes, as: UTF8.self) else { return "" }
    return value
  }
}
