import Precept

/// Text from rulebooks and facts made safe inside an HTML page: markup characters become entities,
/// and controls that could reorder or hide what a reviewer reads (U+202E, escape, …) are shown as
/// the escapes `TerminalText` uses (`\u{202E}`), marked so the page shows them as escapes.
enum HTML {
  /// Element content. Line breaks and tabs are kept (copy is shown with `white-space: pre-wrap`).
  static func text(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for c in s.unicodeScalars { append(c, into: &out, inAttribute: false) }
    return out
  }

  /// Attribute value, to be written between double quotes.
  static func attr(_ s: String) -> String {
    var out = ""
    for c in s.unicodeScalars { append(c, into: &out, inAttribute: true) }
    return out
  }

  /// One scalar of text, escaped for content or for an attribute.
  static func append(_ c: Unicode.Scalar, into out: inout String, inAttribute: Bool) {
    switch c {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    case "'": out += "&#39;"
    case "\n" where !inAttribute, "\t" where !inAttribute: out.unicodeScalars.append(c)
    default:
      if let e = TerminalText.escape(c) {
        out += inAttribute ? e : "<span class=\"ctl\">\(e)</span>"
      } else {
        out.unicodeScalars.append(c)
      }
    }
  }

  /// `s` cut to `limit` scalars with `…`, then escaped as content.
  static func clipped(_ s: String, _ limit: Int = 160) -> String {
    let scalars = s.unicodeScalars
    guard scalars.count > limit else { return text(s) }
    return text(String(String.UnicodeScalarView(scalars.prefix(limit - 1)))) + "…"
  }

  /// An id attribute value built from input: ASCII letters and digits kept, anything else `-`.
  static func anchor(_ parts: String...) -> String {
    var out = ""
    for c in parts.joined(separator: "--").unicodeScalars {
      if c.isASCII, c.properties.isAlphabetic || ("0"..."9").contains(c) { out.unicodeScalars.append(c) } else { out += "-" }
    }
    return out
  }

  /// The badge of an outcome: `<span class="badge block">BLOCK</span>`.
  static func badge(_ o: Outcome) -> String {
    "<span class=\"badge \(o.rawValue)\">\(o == .pass ? "pass" : o.rawValue.uppercased())</span>"
  }
}
