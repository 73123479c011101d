/// Renders diagnostics the way compilers do: location, message, the source line, carets under
/// the span (lined up under wide CJK characters), then help and notes. Text from the input — the
/// source line, file names, names quoted in messages — is escaped (`TerminalText`), and a long
/// line is shown as a window around the span.
public struct DiagnosticRenderer: Sendable {
  /// Files by path, to show the offending lines.
  public var files: [String: SourceFile]
  /// ANSI colours (only on a terminal, and never when `NO_COLOR` is set: the caller decides).
  public var color: Bool

  /// A renderer that quotes source lines from `files` (keyed by path).
  public init(files: [String: SourceFile], color: Bool = false) {
    self.files = files
    self.color = color
  }

  /// The most columns of a source line echoed under a diagnostic; a longer line is cut around the span.
  public static let window = 120
  /// The most carets drawn under one span.
  public static let longestUnderline = 80

  /// One diagnostic, ending with a newline.
  public func render(_ d: Diagnostic) -> String {
    let s = d.span
    var out = paint("\(shown(s.file)):\(s.start.line):\(s.start.column): ", .bold)
    out += paint("\(d.severity.rawValue)[\(d.code.rawValue)]", d.severity == .error ? .red : (d.severity == .warning ? .yellow : .cyan))
    out += paint(": \(shown(d.message))", .bold) + "\n"
    // One gutter for the whole diagnostic, as wide as its widest line number, so the `|` of a
    // note's excerpt lines up under the main one.
    let width = ([s.start.line] + d.notes.compactMap { $0.span?.start.line }).map { String($0).count }.max() ?? 1
    let gutter = String(repeating: " ", count: width)
    func number(_ line: Int) -> String {
      let n = String(line)
      return String(repeating: " ", count: width - n.count) + n
    }
    if let excerpt = excerpt(s) {
      out += " \(gutter) |\n"
      out += " \(paint(number(s.start.line), .blue)) | \(excerpt.line)\n"
      out += " \(gutter) | \(excerpt.pad)\(paint(String(repeating: "^", count: excerpt.marks), d.severity == .error ? .red : .yellow))\n"
    }
    for h in d.help { out += " \(gutter) = \(paint("help", .bold)): \(shown(h))\n" }
    for n in d.notes {
      out += " \(gutter) = \(paint("note", .bold)): \(shown(n.message))"
      if let at = n.span {
        out += " (\(shown(at.file)):\(at.start.line):\(at.start.column))\n"
        if let ex = excerpt(at) {
          out += " \(paint(number(at.start.line), .blue)) | \(ex.line)\n \(gutter) | \(ex.pad)\(paint(String(repeating: "-", count: ex.marks), .blue))\n"
        }
      } else {
        out += "\n"
      }
    }
    return out
  }

  /// Every diagnostic, then a summary line.
  public func render(_ ds: [Diagnostic]) -> String {
    var out = ds.map { render($0) + "\n" }.joined()
    let errors = ds.filter { $0.severity == .error }.count
    let warnings = ds.filter { $0.severity == .warning }.count
    out += "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
    return out
  }

  /// The span's first line as printed, the padding before its underline and the underline's length.
  ///
  /// Tabs are expanded to four spaces and controls escaped, and the caret columns are counted on
  /// that printed text (wide CJK characters take two). A line wider than `window` is cut to a
  /// window around the span, marked `…` on each cut side, and the underline stops at
  /// `longestUnderline` carets, so a one-line rulebook of a megabyte echoes one screen line; only
  /// the characters near the span are measured.
  private func excerpt(_ s: Span) -> (line: String, pad: String, marks: Int)? {
    guard let file = files[s.file], s.start.line >= 1, s.start.line <= file.lineCount else { return nil }
    // The line's characters in place: a long line is not copied to show a window of it.
    let lineStart = file.lineStarts[s.start.line - 1]
    var lineEnd = s.start.line < file.lineCount ? file.lineStarts[s.start.line] : file.scalars.count
    while lineEnd > lineStart, SourceFile.isLineBreak(file.scalars[lineEnd - 1]) { lineEnd -= 1 }
    let scalars = file.scalars[lineStart..<lineEnd]
    let startIndex = Swift.max(0, s.start.column - 1)
    let endIndex = s.end.line == s.start.line ? s.end.column - 1 : scalars.count
    let first = Swift.min(startIndex, scalars.count)
    let beyond = Swift.min(startIndex - first, Self.window / 2)  // columns between the end of the line and a span past it
    var total = 0
    for c in scalars {
      total += Self.width(c)
      if total > Self.window { break }
    }
    if total <= Self.window {
      var start = beyond
      var spanWidth = 0
      for (k, c) in scalars.enumerated() {
        if k < first { start += Self.width(c) } else if k < endIndex { spanWidth += Self.width(c) }
      }
      return (scalars.map(Self.printed).joined(), String(repeating: " ", count: start), Swift.max(1, spanWidth))
    }
    // Columns counted from the span's start. How much there is either side, measured no further than a window.
    let room = Self.window - 2  // a column for each `…`
    var spanWidth = 0
    var k = first
    while k < Swift.min(endIndex, scalars.count), spanWidth < Self.longestUnderline {
      spanWidth += Self.width(scalars[lineStart + k])
      k += 1
    }
    let underline = Swift.min(Swift.max(1, spanWidth), Self.longestUnderline)
    var left = beyond
    k = first
    while k > 0, left < room {
      k -= 1
      left += Self.width(scalars[lineStart + k])
    }
    var right = 0
    k = first
    while k < scalars.count, right < room {
      right += Self.width(scalars[lineStart + k])
      k += 1
    }
    // The window [from, to): the underline with as much context either side as fits, pulled
    // left when the span is near the end of the line.
    let half = (room - underline) / 2
    let to = Swift.min(Swift.max(right, underline), Swift.max(-left, -half) + room)
    let from = Swift.max(-left, Swift.min(-half, to - room))
    // Only characters wholly inside the window are shown: a wide character or an escape is never
    // split, so the window may be a column or two narrower.
    var before: [String] = []
    var column = -beyond
    k = first
    while k > 0, column - Self.width(scalars[lineStart + k - 1]) >= from {
      k -= 1
      column -= Self.width(scalars[lineStart + k])
      before.append(Self.printed(scalars[lineStart + k]))
    }
    let cutLeft = k > 0
    // A combining mark whose base was cut off would sit on the `…`.
    while cutLeft, k < first, Self.width(scalars[lineStart + k]) == 0 {
      before.removeLast()
      k += 1
    }
    var after = ""
    var end = 0
    k = first
    while k < scalars.count, end + Self.width(scalars[lineStart + k]) <= to {
      end += Self.width(scalars[lineStart + k])
      after += Self.printed(scalars[lineStart + k])
      k += 1
    }
    let cutRight = k < scalars.count
    let line = (cutLeft ? "…" : "") + before.reversed().joined() + after + (cutRight ? "…" : "")
    let pad = (cutLeft ? 1 : 0) - column
    let marks = cutRight ? Swift.max(1, Swift.min(underline, end)) : underline
    return (line, String(repeating: " ", count: pad), marks)
  }

  /// A source character as printed: a tab as four spaces, a control as its escape.
  private static func printed(_ c: Unicode.Scalar) -> String {
    c == "\t" ? "    " : (TerminalText.escape(c) ?? String(c))
  }

  /// The columns a source character takes once printed.
  private static func width(_ c: Unicode.Scalar) -> Int {
    if c.value >= 0x20 && c.value < 0x7F { return 1 }
    if c == "\t" { return 4 }
    if let e = TerminalText.escape(c) { return e.unicodeScalars.count }
    return DisplayWidth.of(c)
  }

  /// Input text as printed: controls escaped.
  private func shown(_ s: String) -> String { TerminalText.escaped(s) }

  private enum Style: String {
    case bold = "1", red = "1;31", yellow = "1;33", blue = "1;34", cyan = "1;36"
  }

  private func paint(_ s: String, _ style: Style) -> String {
    color ? "\u{1B}[\(style.rawValue)m\(s)\u{1B}[0m" : s
  }
}

/// How many terminal columns a character takes: 2 for East Asian wide and full-width forms,
/// 0 for combining marks and zero-width characters, 1 otherwise.
public enum DisplayWidth {
  /// The terminal columns one character takes.
  public static func of(_ c: Unicode.Scalar) -> Int {
    let v = c.value
    if v >= 0x20 && v < 0x7F { return 1 }  // printable ASCII, most of any rulebook, without a property lookup
    switch c.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if v == 0x200B || (v >= 0xFE00 && v <= 0xFE0F) { return 0 }
    return wide.contains { $0.contains(v) } ? 2 : 1
  }

  private static let wide: [ClosedRange<UInt32>] = [
    0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
    0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
    0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
  ]

  /// The terminal columns a string takes.
  public static func of(_ s: String) -> Int { s.unicodeScalars.reduce(0) { $0 + of($1) } }
}
