#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Precept

/// JSON-RPC 2.0 messages framed as LSP does: `Content-Length: N` headers, a blank line, N bytes.
public struct MessageReader {
  private let fd: Int32
  private var buffer: [UInt8] = []
  private var start = 0

  /// Reads messages from the file descriptor `fd` (standard input for `precept lsp`).
  public init(fd: Int32) { self.fd = fd }

  /// The next message's body, or nil at the end of input.
  public mutating func next() -> [UInt8]? {
    while true {
      if let (headerEnd, length) = header() {
        if buffer.count - headerEnd >= length {
          let body = Array(buffer[headerEnd..<(headerEnd + length)])
          buffer.removeFirst(headerEnd + length)
          return body
        }
      }
      guard fill() else { return nil }
    }
  }

  /// Whether a whole message can be read now without waiting: one is buffered already, or has
  /// arrived (the descriptor is read once, without blocking, to see).
  public mutating func hasMessage() -> Bool {
    if isComplete() { return true }
    var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    guard poll(&p, 1, 0) > 0, p.revents & Int16(POLLIN) != 0, fill() else { return false }
    return isComplete()
  }

  private func isComplete() -> Bool {
    guard let (headerEnd, length) = header() else { return false }
    return buffer.count - headerEnd >= length
  }

  /// The end of the headers and the body's length, once the headers are in the buffer.
  private func header() -> (Int, Int)? {
    let crlf: [UInt8] = [13, 10, 13, 10]
    guard buffer.count >= 4 else { return nil }
    var i = 0
    while i + 4 <= buffer.count {
      if buffer[i..<(i + 4)].elementsEqual(crlf) {
        let text = String(decoding: buffer[0..<i], as: UTF8.self)
        var length = 0
        for line in text.split(separator: "\r\n") {
          let parts = line.split(separator: ":", maxSplits: 1)
          if parts.count == 2, parts[0].lowercased() == "content-length" {
            length = Int(parts[1].trimmingSpaces) ?? 0
          }
        }
        return (i + 4, length)
      }
      i += 1
    }
    return nil
  }

  private mutating func fill() -> Bool {
    var chunk = [UInt8](repeating: 0, count: 65_536)
    let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    guard n > 0 else { return false }
    buffer += chunk[0..<n]
    return true
  }
}

extension Substring {
  var trimmingSpaces: Substring {
    var s = self
    while s.first == " " || s.first == "\t" { s.removeFirst() }
    while s.last == " " || s.last == "\t" || s.last == "\r" { s.removeLast() }
    return s
  }
}

/// Writes framed messages to a file descriptor.
public struct MessageWriter: Sendable {
  let fd: Int32

  /// Writes to the file descriptor `fd` (standard output for `precept lsp`).
  public init(fd: Int32) { self.fd = fd }

  /// Sends one message.
  public func send(_ message: JSON) {
    let body = Array(message.serialized().utf8)
    let bytes = Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    var sent = 0
    while sent < bytes.count {
      let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if n <= 0 { return }
      sent += n
    }
  }
}

extension JSON {
  /// The member `key` of an object.
  subscript(_ key: String) -> JSON? {
    guard case .object(let fields) = self else { return nil }
    return fields.first { $0.0 == key }?.1
  }

  var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  var int: Int? {
    if case .number(let n) = self { return Int(n) }
    return nil
  }

  var array: [JSON]? {
    if case .array(let a) = self { return a }
    return nil
  }
}
