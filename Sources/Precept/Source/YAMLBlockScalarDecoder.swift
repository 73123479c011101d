/// Literal (`|`) and folded (`>`) block scalars, decoded in the same steps as libyaml's
/// `yaml_parser_scan_block_scalar`: each line's content maps to where that line's text is in the file,
/// and a kept or folded line break maps to the break itself.
extension YAMLScalarText {
  /// How the header's chomping indicator treats the final line breaks.
  private enum Chomping { case strip, clip, keep }

  /// The header (`|`, `>-`, `|2+`, …) as read from the file.
  private struct Header {
    var literal: Bool
    var chomping: Chomping = .clip
    /// The explicit indentation indicator, 0 when the indentation is detected from the content.
    var increment = 0
    /// Where the first line after the header starts.
    var bodyStart: Int
  }

  /// Most candidate indentations tried before giving up and aligning (keeps hostile input linear-ish).
  private static let maximumIndentTries = 64

  /// Decodes a block scalar. Its indentation depends on the enclosing collection, which the text of
  /// the scalar alone does not show, so when the detected indentation does not reproduce libyaml's
  /// value, the other possible ones are tried; the first that does wins.
  static func decodeBlock(
    _ text: [Unicode.Scalar], from start: Int, end: Int, matching target: [Unicode.Scalar]
  ) -> Decoded? {
    guard let header = readHeader(text, from: start, end: end) else { return nil }
    let layout = firstContentLine(text, from: header.bodyStart, end: end)
    let detected = header.increment > 0
      ? header.increment : Swift.max(1, layout.contentIndent ?? 0, layout.blankIndent)
    let first = decodeBody(text, header, indent: detected, end: end)
    if first.scalars == target { return first }
    guard let contentIndent = layout.contentIndent, contentIndent > 1 else { return first }
    for indent in 1...Swift.min(contentIndent, maximumIndentTries) where indent != detected {
      let attempt = decodeBody(text, header, indent: indent, end: end)
      if attempt.scalars == target { return attempt }
    }
    return first
  }

  private static func readHeader(_ text: [Unicode.Scalar], from start: Int, end: Int) -> Header? {
    guard start < end, text[start] == "|" || text[start] == ">" else { return nil }
    var header = Header(literal: text[start] == "|", bodyStart: end)
    var i = start + 1
    // The chomping and indentation indicators may come in either order.
    for _ in 0..<2 where i < end {
      switch text[i] {
      case "+": header.chomping = .keep
      case "-": header.chomping = .strip
      case "1"..."9": header.increment = Int(text[i].value) - 0x30
      default: continue
      }
      i += 1
    }
    while i < end, isBlank(text[i]) { i += 1 }
    if i < end, text[i] == "#" {
      while i < end, lineBreak(text, at: i) == nil { i += 1 }
    }
    if let br = lineBreak(text, at: i), i < end { i += br.width }
    header.bodyStart = i
    return header
  }

  /// The leading spaces of the first line with content, and the most spaces on an empty line before it.
  private static func firstContentLine(
    _ text: [Unicode.Scalar], from start: Int, end: Int
  ) -> (contentIndent: Int?, blankIndent: Int) {
    var i = start
    var blankIndent = 0
    while i < end {
      var spaces = 0
      while i < end, text[i] == " " {
        i += 1
        spaces += 1
      }
      guard let br = lineBreak(text, at: i), i < end else {
        return (i < end ? spaces : nil, Swift.max(blankIndent, i < end ? 0 : spaces))
      }
      blankIndent = Swift.max(blankIndent, spaces)
      i += br.width
    }
    return (nil, blankIndent)
  }

  private static func decodeBody(_ text: [Unicode.Scalar], _ header: Header, indent: Int, end: Int) -> Decoded {
    var out = Decoded(end: end)
    var i = header.bodyStart
    var leadingBreak: (Unicode.Scalar, Int)?
    var trailingBreaks: [(Unicode.Scalar, Int)] = []
    var leadingBlank = false
    var column = skipEmptyLines(text, &i, indent: indent, end: end, into: &trailingBreaks)

    while column == indent, i < end {
      // At the start of a line with content.
      let trailingBlank = isBlank(text[i])
      if !header.literal, let lb = leadingBreak, lb.0 == "\n", !leadingBlank, !trailingBlank {
        // Folding: a single break between two ordinary lines becomes a space.
        if trailingBreaks.isEmpty { out.add(" ", at: lb.1) }
      } else if let lb = leadingBreak {
        out.add(lb.0, at: lb.1)
      }
      leadingBreak = nil
      for (c, o) in trailingBreaks { out.add(c, at: o) }
      trailingBreaks = []
      leadingBlank = isBlank(text[i])
      while i < end, lineBreak(text, at: i) == nil {
        out.add(text[i], at: i)
        i += 1
      }
      out.end = i
      guard i < end, let br = lineBreak(text, at: i) else { break }
      leadingBreak = (br.scalar, i)
      i += br.width
      column = skipEmptyLines(text, &i, indent: indent, end: end, into: &trailingBreaks)
    }

    // A kept final break maps to the break itself, and so does the end: an "end of text" error
    // then lands at the end of the line the author last wrote, not at the start of a later one.
    if header.chomping != .strip, let lb = leadingBreak {
      out.add(lb.0, at: lb.1)
      out.end = lb.1
    }
    if header.chomping == .keep {
      for (c, o) in trailingBreaks {
        out.add(c, at: o)
        out.end = o
      }
    }
    if out.scalars.isEmpty { out.end = header.bodyStart }
    return out
  }

  /// Skips indentation and whole empty lines, collecting their breaks; returns the column reached.
  private static func skipEmptyLines(
    _ text: [Unicode.Scalar], _ i: inout Int, indent: Int, end: Int,
    into breaks: inout [(Unicode.Scalar, Int)]
  ) -> Int {
    while true {
      var column = 0
      while i < end, column < indent, text[i] == " " {
        i += 1
        column += 1
      }
      guard i < end, let br = lineBreak(text, at: i) else { return column }
      breaks.append((br.scalar, i))
      i += br.width
    }
  }
}
