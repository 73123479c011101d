/// Renders diagnostics the way compilers do: location, message, the source line, carets under
/// the span (lined up under wide CJK characters), then help and notes.
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

  /// One diagnostic, ending with a newline.
  public func render(_ d: Diagnostic) -> String {
    let s = d.span
    var out = paint("\(s.file):\(s.start.line):\(s.start.column): ", .bold)
    out += paint("\(d.severity.rawValue)[\(d.code.rawValue)]", d.severity == .error ? .red : (d.severity == .warning ? .yellow : .cyan))
    out += paint(": \(d.message)", .bold) + "\n"
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
      out += " \(gutter) | \(excerpt.pad)\(paint(excerpt.marks, d.severity == .error ? .red : .yellow))\n"
    }
    for h in d.help { out += " \(gutter) = \(paint("help", .bold)): \(h)\n" }
    for n in d.notes {
      out += " \(gutter) = \(paint("note", .bold)): \(n.message)"
      if let at = n.span {
        out += " (\(at.file):\(at.start.line):\(at.start.column))\n"
        if let ex = excerpt(at) {
          out += " \(paint(number(at.start.line), .blue)) | \(ex.line)\n \(gutter) | \(ex.pad)\(paint(String(repeating: "-", count: ex.marks.count), .blue))\n"
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

  /// The span's first line with tabs expanded, and the padding and carets that underline it.
  private func excerpt(_ s: Span) -> (line: String, pad: String, marks: String)? {
    guard let file = files[s.file], s.start.line <= file.lineCount else { return nil }
    let scalars = Array(file.lineText(s.start.line).unicodeScalars)
    let startCol = s.start.column - 1
    let endCol = s.end.line == s.start.line ? s.end.column - 1 : scalars.count
    var line = ""
    var pad = 0
    var width = 0
    for (k, c) in scalars.enumerated() {
      let w = c == "\t" ? 4 : DisplayWidth.of(c)
      line += c == "\t" ? "    " : String(c)
      if k < startCol { pad += w } else if k < endCol { width += w }
    }
    if startCol >= scalars.count { pad += startCol - scalars.count }
    return (line, String(repeating: " ", count: pad), String(repeating: "^", count: Swift.max(1, width)))
  }

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
    switch c.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if v == 0x200B || (v >= 0xFE00 && v <= 0xFE0F) { return 0 }
    let wide: [ClosedRange<UInt32>] = [
      0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
      0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
      0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
    ]
    return wide.contains { $0.contains(v) } ? 2 : 1
  }

  /// The terminal columns a string takes.
  public static func of(_ s: String) -> Int { s.unicodeScalars.reduce(0) { $0 + of($1) } }
}
