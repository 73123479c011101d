import Foundation

/// Reads a stream in large blocks and hands out whole lines, so memory stays bounded. The lines of
/// a batch are read in place, in the stream's own buffer: no line is copied.
final class LineStream {
  /// One input line.
  struct Line {
    enum Kind { case text, blank, tooLong }
    var range: Range<Int>
    var kind: Kind
  }

  /// Lines of the input, valid until the next call of `nextBatch`.
  struct Batch: @unchecked Sendable {
    /// The stream's buffer; the lines are ranges of it.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Every line, blank ones included, without its line break.
    var lines: [Line]
    /// The number of the first line (from 1).
    var firstNumber: Int
  }

  private let fd: Int32
  private let maximumLine: Int
  private var buffer: UnsafeMutablePointer<UInt8>
  private var capacity = 1 << 22
  /// Bytes `start..<end` of `buffer` are read and not yet handed out.
  private var start = 0
  private var end = 0
  private var done = false
  /// Inside a line longer than the maximum: its bytes are dropped up to its line break.
  private var skipping = false
  private var lines: [Line] = []
  private var nextNumber = 1
  /// Why reading stopped early, if it did (not for an interruption).
  private(set) var readError: String?
  /// Bytes read so far.
  private(set) var bytesRead = 0

  init(_ fd: Int32, maximumLine: Int) {
    self.fd = fd
    self.maximumLine = maximumLine
    buffer = .allocate(capacity: capacity)
  }

  deinit { buffer.deallocate() }

  /// The bytes left to read when the input is a regular file (its size is known), else nil.
  var size: Int? {
    var info = stat()
    guard fstat(fd, &info) == 0, info.st_mode & mode_t(S_IFMT) == mode_t(S_IFREG) else { return nil }
    let at = lseek(fd, 0, SEEK_CUR)
    return Swift.max(0, Int(info.st_size) - Swift.max(0, Int(at)))
  }

  /// Adds the line at `range` of `buffer` to `lines` (locals of `nextBatch`, passed in: each
  /// access to a class's stored `var` here would pay a dynamic exclusivity check per line).
  private static func add(_ range: Range<Int>, of buffer: UnsafeMutablePointer<UInt8>, first: Bool, skipping: inout Bool, to lines: inout [Line]) {
    if skipping {
      skipping = false
      return  // the end of a line already reported as too long
    }
    var range = range
    // A UTF-8 byte-order mark before the first line (as some editors write) is not part of it,
    // as a facts file's is not; anywhere else it is text, and not JSON.
    if first, lines.isEmpty, range.count >= 3, buffer[range.lowerBound] == 0xEF,
      buffer[range.lowerBound + 1] == 0xBB, buffer[range.lowerBound + 2] == 0xBF
    {
      range = (range.lowerBound + 3)..<range.upperBound
    }
    var blank = true
    for k in range where !(buffer[k] == 0x20 || buffer[k] == 0x09 || buffer[k] == 0x0D) {
      blank = false
      break
    }
    lines.append(Line(range: range, kind: blank ? .blank : .text))
  }

  func nextBatch(maxLines: Int) -> Batch? {
    // What the last batch left (a line not yet complete) moves to the front.
    if start > 0 {
      if end > start { memmove(buffer, buffer + start, end - start) }
      end -= start
      start = 0
    }
    var lines: [Line] = []
    swap(&lines, &self.lines)
    lines.removeAll(keepingCapacity: true)
    var skipping = self.skipping
    defer {
      self.skipping = skipping
      swap(&lines, &self.lines)
    }
    let first = nextNumber
    var scanned = 0
    while lines.count < maxLines {
      // Split what we have into lines (memchr finds each break at memory speed).
      while scanned < end, lines.count < maxLines {
        guard let hit = memchr(buffer + scanned, 0x0A, end - scanned) else {
          scanned = end
          break
        }
        let at = buffer.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        var last = at
        if last > start, buffer[last - 1] == 0x0D { last -= 1 }
        Self.add(start..<last, of: buffer, first: first == 1, skipping: &skipping, to: &lines)
        start = at + 1
        scanned = at + 1
      }
      if lines.count >= maxLines || done || Interruption.requested { break }
      if skipping {
        // The rest of a line already reported as too long: dropped as it is read.
        start = end
        scanned = end
        if end == capacity {
          if !lines.isEmpty { break }
          end = 0
          start = 0
          scanned = 0
        }
      } else if end - start > maximumLine {
        // A line longer than the maximum: reported once, its bytes dropped up to its break.
        lines.append(Line(range: start..<start, kind: .tooLong))
        skipping = true
        start = end
        scanned = end
        if !lines.isEmpty { break }
        continue
      }
      if end == capacity {
        // The buffer is full: hand out the lines it holds, or make room for a longer line.
        if !lines.isEmpty { break }
        if start > 0 {
          memmove(buffer, buffer + start, end - start)
          end -= start
          scanned -= start
          start = 0
        } else {
          let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
          bigger.update(from: buffer, count: end)
          buffer.deallocate()
          buffer = bigger
          capacity *= 2
        }
      }
      let n = read(fd, buffer + end, Swift.min(capacity - end, 1 << 20))
      if n < 0 {
        if errno == EINTR && !Interruption.requested { continue }
        if !Interruption.requested { readError = String(cString: strerror(errno)) }
        // Interrupted or failed: what is complete is decided; a partial last line is not.
        done = true
        start = end
        break
      }
      if n == 0 {
        done = true
        // A last line without a line break still counts.
        if start < end { Self.add(start..<end, of: buffer, first: first == 1, skipping: &skipping, to: &lines) }
        start = end
        break
      }
      end += n
      bytesRead += n
    }
    nextNumber = first + lines.count
    if lines.isEmpty && done { return nil }
    return Batch(bytes: UnsafeBufferPointer(start: buffer, count: end), lines: lines, firstNumber: first)
  }
}
