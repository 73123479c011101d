/// Text from rulebooks and facts made safe to print on a terminal: a control character is shown as
/// an escape instead of acting on the terminal, so a fact value cannot erase or forge output lines.
///
/// The escapes are the ones a Precept text literal accepts, so what a reviewer sees can be pasted
/// back into a rule: `\n` for a line feed, `\t` for a tab, and `\u{…}` with at least two upper-case
/// hex digits for every other control (`\u{1B}` escape, `\u{0D}` carriage return, `\u{08}`
/// backspace, `\u{202E}` right-to-left override). Escaped are the C0 and C1 controls and DEL
/// (general category Cc), the line and paragraph separators U+2028 and U+2029 (line breaks to
/// libyaml and some terminals), and the bidirectional controls (U+061C, U+200E, U+200F,
/// U+202A–U+202E, U+2066–U+2069), which reorder the text that follows them on screen. Joiners and
/// other invisible format characters print as themselves: they change how text looks, not where.
///
/// A backslash prints as itself, so `\u{1B}` in the output is either an escaped control or those
/// six characters in the input; conditions and patterns are full of backslashes, doubling them
/// would make every rule harder to read, and `--format json` gives the exact text.
public enum TerminalText {
  /// `s` with every control character escaped.
  public static func escaped(_ s: String) -> String {
    guard s.unicodeScalars.contains(where: needsEscape) else { return s }
    var out = String.UnicodeScalarView()
    for c in s.unicodeScalars {
      if let e = escape(c) { out.append(contentsOf: e.unicodeScalars) } else { out.append(c) }
    }
    return String(out)
  }

  /// `s` escaped, and cut with `…` if the result is longer than `limit` scalars; the cut never
  /// falls inside an escape.
  public static func escaped(_ s: String, limit: Int) -> String {
    let full = escaped(s)
    guard full.unicodeScalars.count > limit else { return full }
    var out = String.UnicodeScalarView()
    var used = 0
    for c in s.unicodeScalars {
      let piece = escape(c).map { Array($0.unicodeScalars) } ?? [c]
      guard used + piece.count <= limit - 3 else { break }
      out.append(contentsOf: piece)
      used += piece.count
    }
    return String(out) + "…"
  }

  /// Source text as written — a condition spread over several lines — escaped like any text but
  /// with its line breaks kept (LF, CRLF, CR, NEL, U+2028, U+2029: the ones libyaml counts).
  /// Every further line is printed after `indent`, keeping its indentation relative to the other
  /// further lines, so no line of it starts left of the block it belongs to.
  public static func escaped(source s: String, indent: String) -> String {
    var lines: [[Unicode.Scalar]] = [[]]
    var afterCR = false
    for c in s.unicodeScalars {
      defer { afterCR = c == "\r" }
      if c == "\n" && afterCR { continue }
      if SourceFile.isLineBreak(c) { lines.append([]) } else { lines[lines.count - 1].append(c) }
    }
    guard lines.count > 1 else { return escaped(s) }
    let further = lines.dropFirst()
    let common = further.filter { $0.contains { $0 != " " } }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
    var out = escaped(String(String.UnicodeScalarView(lines[0])))
    for line in further {
      let text = escaped(String(String.UnicodeScalarView(line.dropFirst(Swift.min(common, line.count)))))
      out += text.isEmpty ? "\n" : "\n" + indent + text
    }
    return out
  }

  /// How one character is printed: its escape, or nil when it prints as itself.
  public static func escape(_ c: Unicode.Scalar) -> String? {
    guard needsEscape(c) else { return nil }
    switch c {
    case "\n": return "\\n"
    case "\t": return "\\t"
    default:
      let hex = String(c.value, radix: 16, uppercase: true)
      return "\\u{" + (hex.count < 2 ? "0" : "") + hex + "}"
    }
  }

  /// Whether a character would act on the terminal (move the cursor, erase, reorder) rather than show.
  public static func needsEscape(_ c: Unicode.Scalar) -> Bool {
    let v = c.value
    if v < 0x20 || (v >= 0x7F && v <= 0x9F) { return true }
    if v < 0x061C { return false }  // the common case, decided without a property lookup
    return v == 0x2028 || v == 0x2029 || c.properties.isBidiControl
  }
}
