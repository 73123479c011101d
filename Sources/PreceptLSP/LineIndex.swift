import Precept

/// Positions as the protocol counts them: 0-based lines broken at LF, CR LF or CR, and characters
/// counted in UTF-16 code units (an emoji or 𠀀 is two) — over a text held as Unicode scalars, the
/// way Precept counts its offsets.
public struct LineIndex: Sendable {
  /// The text's Unicode scalars.
  public let scalars: [Unicode.Scalar]
  /// The scalar offset where each line starts.
  public let lineStarts: [Int]

  /// The index of `scalars`.
  public init(_ scalars: [Unicode.Scalar]) {
    self.scalars = scalars
    lineStarts = SourceFile.lineStarts(scalars) { $0 == "\n" || $0 == "\r" }
  }

  /// The 0-based line and UTF-16 character of a scalar offset (clamped to the text).
  public func position(ofOffset offset: Int) -> (line: Int, character: Int) {
    let o = max(0, min(offset, scalars.count))
    var lo = 0
    var hi = lineStarts.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
    }
    var character = 0
    for s in scalars[lineStarts[lo]..<o] { character += UTF16.width(s) }
    return (lo, character)
  }

  /// The scalar offset of a 0-based line and UTF-16 character. A character inside a surrogate pair
  /// or past the line's end is taken to the next scalar or the line's end, as the protocol says.
  public func offset(line: Int, character: Int) -> Int {
    guard line >= 0 else { return 0 }
    guard line < lineStarts.count else { return scalars.count }
    var end = line + 1 < lineStarts.count ? lineStarts[line + 1] : scalars.count
    while end > lineStarts[line], scalars[end - 1] == "\n" || scalars[end - 1] == "\r" { end -= 1 }
    var i = lineStarts[line]
    var units = 0
    while i < end, units < character {
      units += UTF16.width(scalars[i])
      i += 1
    }
    return i
  }

  /// The text of a 0-based line, without its break.
  public func line(_ n: Int) -> [Unicode.Scalar] {
    guard n >= 0, n < lineStarts.count else { return [] }
    var end = n + 1 < lineStarts.count ? lineStarts[n + 1] : scalars.count
    while end > lineStarts[n], scalars[end - 1] == "\n" || scalars[end - 1] == "\r" { end -= 1 }
    return Array(scalars[lineStarts[n]..<end])
  }
}

/// An open document: its text as the editor has it, changed by the editor's edits.
public struct Document: Sendable {
  /// The document's URI as the client names it.
  public var uri: String
  /// The version the client gave with the last change.
  public var version: Int
  /// The text, as Unicode scalars.
  public private(set) var index: LineIndex

  /// A document with `text`.
  public init(uri: String, version: Int, text: String) {
    self.uri = uri
    self.version = version
    self.index = LineIndex(Array(text.unicodeScalars))
  }

  /// The text as a string.
  public var text: String { String(decoding: utf8, as: UTF8.self) }

  /// The text as UTF-8, encoded straight from the scalars (building a `String` scalar by scalar
  /// first cost a 1,000-rule rulebook 18 ms on every change).
  public var utf8: [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(index.scalars.count + index.scalars.count / 2)
    for s in index.scalars { UTF8.encode(s) { out.append($0) } }
    return out
  }

  /// Replaces the text between two protocol positions (an incremental change).
  public mutating func replace(from: (line: Int, character: Int), to: (line: Int, character: Int), with text: String) {
    let a = index.offset(line: from.line, character: from.character)
    let b = max(a, index.offset(line: to.line, character: to.character))
    var scalars = index.scalars
    scalars.replaceSubrange(a..<b, with: Array(text.unicodeScalars))
    index = LineIndex(scalars)
  }

  /// Replaces the whole text (a full change).
  public mutating func replaceAll(with text: String) {
    index = LineIndex(Array(text.unicodeScalars))
  }
}
