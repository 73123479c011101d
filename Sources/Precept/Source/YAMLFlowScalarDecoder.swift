/// Plain and quoted scalars, decoded in the same steps as libyaml's scanner
/// (`yaml_parser_scan_plain_scalar`, `yaml_parser_scan_flow_scalar`), so folding agrees with it.
extension YAMLScalarText {
  /// The spaces and line breaks between two runs of text, folded as libyaml folds them: blanks
  /// before a break are dropped, a single break becomes a space, and each further (empty) line a break.
  struct Fold {
    var whitespace: [(Unicode.Scalar, Int)] = []
    var leadingBlanks = false
    var leadingBreak: (Unicode.Scalar, Int)?
    var trailingBreaks: [(Unicode.Scalar, Int)] = []

    /// Reads blanks and breaks from `i` on; stops at the first other character.
    mutating func read(_ text: [Unicode.Scalar], _ i: inout Int, end: Int) {
      while i < end {
        let c = text[i]
        if isBlank(c) {
          if !leadingBlanks { whitespace.append((c, i)) }
          i += 1
        } else if let br = lineBreak(text, at: i) {
          if leadingBlanks {
            trailingBreaks.append((br.scalar, i))
          } else {
            whitespace = []
            leadingBreak = (br.scalar, i)
            leadingBlanks = true
          }
          i += br.width
        } else {
          return
        }
      }
    }

    /// What the blanks contribute to the value; the folded space takes the place of its line break.
    func emit(into out: inout Decoded) {
      guard leadingBlanks else {
        for (c, o) in whitespace { out.add(c, at: o) }
        return
      }
      if let lb = leadingBreak, lb.0 == "\n" {
        if trailingBreaks.isEmpty { out.add(" ", at: lb.1) }
        for (c, o) in trailingBreaks { out.add(c, at: o) }
        return
      }
      // A break libyaml does not fold (LINE or PARAGRAPH SEPARATOR) is kept; after an escaped
      // line break (`\` at a line's end) there is none, so nothing joins the lines.
      if let lb = leadingBreak { out.add(lb.0, at: lb.1) }
      for (c, o) in trailingBreaks { out.add(c, at: o) }
    }
  }

  /// A plain scalar: its end mark is right after its last character, so all blanks inside count.
  static func decodePlain(_ text: [Unicode.Scalar], from start: Int, end: Int) -> Decoded? {
    var out = Decoded(end: end)
    var i = start
    while i < end {
      while i < end, !isBlank(text[i]), lineBreak(text, at: i) == nil {
        out.add(text[i], at: i)
        i += 1
      }
      guard i < end else { break }
      var fold = Fold()
      fold.read(text, &i, end: end)
      guard i < end else { break }
      fold.emit(into: &out)
    }
    return out
  }

  /// A single- or double-quoted scalar, from its opening quote to just past its closing quote.
  static func decodeQuoted(_ text: [Unicode.Scalar], from start: Int, end: Int, double: Bool) -> Decoded? {
    let quote: Unicode.Scalar = double ? "\"" : "'"
    guard start < end, text[start] == quote else { return nil }
    var out = Decoded(end: end)
    var i = start + 1
    while i < end {
      var fold = Fold()
      runLoop: while i < end, !isBlank(text[i]), lineBreak(text, at: i) == nil {
        let c = text[i]
        if !double, c == "'", i + 1 < end, text[i + 1] == "'" {
          out.add("'", at: i)
          i += 2
        } else if c == quote {
          out.end = i
          return out
        } else if double, c == "\\" {
          if let br = lineBreak(text, at: i + 1) {
            // An escaped line break joins the lines with nothing between them.
            i += 1 + br.width
            fold.leadingBlanks = true
            break runLoop
          }
          guard let (scalar, width) = escape(text, at: i, end: end) else { return nil }
          out.add(scalar, at: i)
          i += width
        } else {
          out.add(c, at: i)
          i += 1
        }
      }
      fold.read(text, &i, end: end)
      fold.emit(into: &out)
    }
    return nil
  }

  /// The character a double-quoted escape stands for, and how many characters the escape spans.
  private static func escape(_ text: [Unicode.Scalar], at i: Int, end: Int) -> (Unicode.Scalar, Int)? {
    guard i + 1 < end else { return nil }
    let simple: UInt32?
    switch text[i + 1] {
    case "0": simple = 0
    case "a": simple = 7
    case "b": simple = 8
    case "t", "\t": simple = 9
    case "n": simple = 10
    case "v": simple = 11
    case "f": simple = 12
    case "r": simple = 13
    case "e": simple = 0x1B
    case " ": simple = 0x20
    case "\"": simple = 0x22
    case "/": simple = 0x2F
    case "'": simple = 0x27
    case "\\": simple = 0x5C
    case "N": simple = 0x85
    case "_": simple = 0xA0
    case "L": simple = 0x2028
    case "P": simple = 0x2029
    default: simple = nil
    }
    if let simple, let scalar = Unicode.Scalar(simple) { return (scalar, 2) }
    let digits: Int
    switch text[i + 1] {
    case "x": digits = 2
    case "u": digits = 4
    case "U": digits = 8
    default: return nil
    }
    guard i + 2 + digits <= end else { return nil }
    var value: UInt32 = 0
    for k in 0..<digits {
      guard let d = hexValue(text[i + 2 + k]) else { return nil }
      value = value &* 16 &+ d
    }
    guard let scalar = Unicode.Scalar(value) else { return nil }
    return (scalar, 2 + digits)
  }

  private static func hexValue(_ s: Unicode.Scalar) -> UInt32? {
    switch s.value {
    case 0x30...0x39: s.value - 0x30
    case 0x41...0x46: s.value - 0x41 + 10
    case 0x61...0x66: s.value - 0x61 + 10
    default: nil
    }
  }
}
