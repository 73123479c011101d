/// A place in a source file: 1-based line and column, columns counting Unicode scalars
/// (so a column in a line of Chinese text is the character a reader counts to).
public struct Position: Sendable, Hashable, Comparable, Codable {
  /// 1-based line.
  public var line: Int
  /// 1-based column, in Unicode scalars.
  public var column: Int
  /// 0-based offset from the start of the file, in Unicode scalars (a byte-order mark is not counted).
  public var offset: Int

  /// A position from its 1-based line and column and 0-based scalar offset.
  public init(line: Int, column: Int, offset: Int) {
    self.line = line
    self.column = column
    self.offset = offset
  }

  /// Orders positions by offset.
  public static func < (a: Position, b: Position) -> Bool { a.offset < b.offset }
}

/// A half-open range of characters in one file: `start` up to, not including, `end`.
public struct Span: Sendable, Hashable, Codable {
  /// The file's path as the user named it (relative paths stay relative).
  public var file: String
  /// The first character covered.
  public var start: Position
  /// Just past the last character covered.
  public var end: Position

  /// A span of `file` from `start` to `end` (an `end` before `start` is taken as `start`).
  public init(file: String, start: Position, end: Position) {
    self.file = file
    self.start = start
    self.end = max(start, end)
  }

  /// The smallest span that covers both.
  public func union(_ other: Span) -> Span {
    Span(file: file, start: Swift.min(start, other.start), end: Swift.max(end, other.end))
  }

  /// `path:line:col`, as compilers print a place.
  public var description: String { "\(file):\(start.line):\(start.column)" }
}

/// The text of one source file, decoded once, with a line table for turning offsets into positions.
public final class SourceFile: Sendable {
  /// The path as the user named it; used in every diagnostic.
  public let path: String
  /// The file's characters as Unicode scalars, without a leading byte-order mark.
  public let scalars: [Unicode.Scalar]
  /// The original UTF-8 bytes, without a leading byte-order mark (what libyaml reads).
  public let utf8: [UInt8]
  /// Scalar offset at which each line starts; `lineStarts[0] == 0`.
  public let lineStarts: [Int]

  /// Largest file Precept reads, in bytes; a rulebook or facts file beyond this is refused.
  public static let maximumSize = 16 * 1024 * 1024

  /// Decodes `bytes` as UTF-8. Returns the decoding problem as a diagnostic when the bytes are not UTF-8.
  public static func decode(path: String, bytes: [UInt8]) -> Result<SourceFile, Diagnostic> {
    if bytes.count > maximumSize {
      let origin = Span(file: path, start: Position(line: 1, column: 1, offset: 0), end: Position(line: 1, column: 1, offset: 0))
      return .failure(Diagnostic(
        .fileTooLarge, origin,
        "the file is \(bytes.count) bytes; Precept reads files of at most \(maximumSize) bytes"))
    }
    var body = bytes[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    var scalars: [Unicode.Scalar] = []
    scalars.reserveCapacity(body.count)
    var decoder = UTF8()
    var iterator = body.makeIterator()
    var consumed = 0
    loop: while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let s):
        scalars.append(s)
        consumed += UTF8.width(s)
      case .emptyInput:
        break loop
      case .error:
        let partial = SourceFile(path: path, scalars: scalars, utf8: [])
        let at = partial.position(ofOffset: scalars.count)
        let byteOffset = (bytes.count - body.count) + consumed
        return .failure(Diagnostic(
          .invalidUTF8, Span(file: path, start: at, end: at),
          "the file is not valid UTF-8 (first bad byte at byte offset \(byteOffset))",
          help: ["save the file as UTF-8; rulebooks and facts must be UTF-8 text"]))
      }
    }
    return .success(SourceFile(path: path, scalars: scalars, utf8: Array(body)))
  }

  /// Builds a source file from text already in memory (tests, facts given as strings).
  public convenience init(path: String, text: String) {
    var scalars = Array(text.unicodeScalars)
    if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    self.init(path: path, scalars: scalars, utf8: Array(String(view).utf8))
  }

  private init(path: String, scalars: [Unicode.Scalar], utf8: [UInt8]) {
    self.path = path
    self.scalars = scalars
    self.utf8 = utf8
    self.lineStarts = SourceFile.lineStarts(scalars, breaksAt: SourceFile.isLineBreak)
  }

  /// The scalar offset where each line of `scalars` starts: after each scalar `isBreak` accepts,
  /// CR LF counting as one break. Files break lines as libyaml does (`isLineBreak`); the language
  /// server as the protocol does (LF, CR LF, CR).
  public static func lineStarts(_ scalars: [Unicode.Scalar], breaksAt isBreak: (Unicode.Scalar) -> Bool) -> [Int] {
    var starts = [0]
    var i = 0
    while i < scalars.count {
      let s = scalars[i]
      i += 1
      if s == "\r" {
        if i < scalars.count, scalars[i] == "\n" { i += 1 }
        starts.append(i)
      } else if isBreak(s) {
        starts.append(i)
      }
    }
    return starts
  }

  /// The line breaks libyaml counts: LF, CR (CRLF is one break), NEL, LINE and PARAGRAPH SEPARATOR.
  static func isLineBreak(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x0A, 0x0D, 0x85, 0x2028, 0x2029: return true
    default: return false
    }
  }

  /// The number of lines (a final line without a break counts).
  public var lineCount: Int { lineStarts.count }

  /// The position of a scalar offset (clamped to the file).
  public func position(ofOffset offset: Int) -> Position {
    let o = Swift.max(0, Swift.min(offset, scalars.count))
    var lo = 0
    var hi = lineStarts.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
    }
    return Position(line: lo + 1, column: o - lineStarts[lo] + 1, offset: o)
  }

  /// The span from one scalar offset to another.
  public func span(_ start: Int, _ end: Int) -> Span {
    Span(file: path, start: position(ofOffset: start), end: position(ofOffset: Swift.max(start, end)))
  }

  /// The text of a 1-based line, without its line break.
  public func lineText(_ line: Int) -> String {
    guard line >= 1, line <= lineStarts.count else { return "" }
    var end = line < lineStarts.count ? lineStarts[line] : scalars.count
    let start = lineStarts[line - 1]
    while end > start, SourceFile.isLineBreak(scalars[end - 1]) { end -= 1 }
    return String(scalars: scalars[start..<end])
  }

  /// The text between two scalar offsets.
  public func text(_ start: Int, _ end: Int) -> String {
    let a = Swift.max(0, Swift.min(start, scalars.count))
    let b = Swift.max(a, Swift.min(end, scalars.count))
    return String(scalars: scalars[a..<b])
  }
}

extension String {
  /// A string from Unicode scalars, encoded straight into UTF-8 (appending scalars one by one
  /// to a `UnicodeScalarView` costs several times more, and lexing does it for every token).
  init<C: Collection>(scalars: C) where C.Element == Unicode.Scalar {
    var capacity = 0
    for s in scalars { capacity += UTF8.width(s) }
    self.init(unsafeUninitializedCapacity: capacity) { buffer in
      var i = 0
      for s in scalars {
        UTF8.encode(s) { byte in
          buffer[i] = byte
          i += 1
        }
      }
      return i
    }
  }
}
