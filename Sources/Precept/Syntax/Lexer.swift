/// Turns expression text into tokens. Problems become diagnostics; the lexer never stops early
/// except at the end of the text, so one pass reports every bad character.
public struct Lexer {
  private let source: ExprSource
  private let text: [Unicode.Scalar]
  private var i = 0
  private(set) var diagnostics: [Diagnostic] = []

  /// A lexer over one expression's text.
  public init(_ source: ExprSource) {
    self.source = source
    self.text = source.text
  }

  /// All tokens, ending with `.end`.
  public static func tokenize(_ source: ExprSource) -> (tokens: [Token], diagnostics: [Diagnostic]) {
    var lexer = Lexer(source)
    var tokens: [Token] = []
    while true {
      let t = lexer.next()
      tokens.append(t)
      if t.kind == .end { break }
    }
    return (tokens, lexer.diagnostics)
  }

  private func peek(_ k: Int = 0) -> Unicode.Scalar? {
    i + k < text.count ? text[i + k] : nil
  }

  private mutating func error(_ code: DiagnosticCode, _ start: Int, _ end: Int, _ message: String, help: [String] = []) {
    diagnostics.append(Diagnostic(code, source.span(start, end), message, help: help))
  }

  private func slice(_ a: Int, _ b: Int) -> String {
    String(scalars: text[a..<b])
  }

  mutating func next() -> Token {
    // A loop, not recursion: a long run of bad characters (a pasted paragraph) must not exhaust the stack.
    while true {
      if let token = token() { return token }
    }
  }

  /// The next token, or nil after reporting and skipping one character that starts none.
  private mutating func token() -> Token? {
    while let c = peek(), c.isSpace { i += 1 }
    let start = i
    guard let c = peek() else { return Token(kind: .end, text: "", start: i, end: i) }
    if c.isASCIIDigit { return number() }
    if c.isIdentifierStart {
      while let d = peek(), d.isIdentifierContinue { i += 1 }
      let word = slice(start, i)
      let kind: Token.Kind = Keyword.byName[word].map { .keyword($0) } ?? .identifier
      return Token(kind: kind, text: word, start: start, end: i)
    }
    if c == "\"" || c == "'" { return string(quote: c) }
    if let sym = symbol() { return Token(kind: .symbol(sym), text: sym.rawValue, start: start, end: i) }
    // Anything else: report it, skip it, and go on so later problems are found too. A run of
    // such characters (an unquoted Chinese word, `＞=`) is one mistake and gets one diagnostic.
    i += 1
    let shown: String
    var help: [String] = []
    var message: String
    if let ascii = c.halfWidthEquivalent {
      // Full-width forms, and an ASCII `=` typed after one (`＞=`), are written out as ASCII together.
      var fixed = String(ascii)
      while let d = peek(), let a = d.halfWidthEquivalent ?? (d == "=" ? "=" : nil), !d.isSpace, d != "\"", d != "'" {
        fixed.append(a)
        i += 1
      }
      shown = slice(start, i)
      message = "unexpected character\(i - start > 1 ? "s" : "") `\(shown)` in an expression"
      let what = i - start > 1 ? "is written with full-width characters" : "is a full-width character"
      help.append("`\(shown)` \(what); write the ASCII `\(fixed)` instead")
    } else if !c.isASCII {
      while let d = peek(), !d.isASCII, !d.isSpace, d.halfWidthEquivalent == nil { i += 1 }
      shown = slice(start, i)
      message = "unexpected text `\(shown)`: text in an expression must be in quotes"
      help.append("write \"\(shown)\" with double quotes")
    } else {
      shown = String(c)
      message = "unexpected character `\(shown)` in an expression"
      if c == "=" {
        help.append("to compare, write `==`")
      } else if c == "!" {
        help.append("write `not` for negation, `!=` for “not equal”")
      } else if c == "&" || c == "|" {
        help.append("write `and` / `or`")
      }
    }
    error(.unexpectedCharacter, start, i, message, help: help)
    return nil
  }

  private mutating func symbol() -> Symbol? {
    guard let c = peek() else { return nil }
    let next = peek(1)
    let two: Symbol? =
      switch (c, next) {
      case ("?", "?"): .coalesce
      case ("=", "="): .eq
      case ("!", "="): .ne
      case ("<", "="): .le
      case (">", "="): .ge
      default: nil
      }
    if let two {
      i += 2
      return two
    }
    let one: Symbol? =
      switch c {
      case "(": .lparen
      case ")": .rparen
      case "[": .lbracket
      case "]": .rbracket
      case ",": .comma
      case ":": .colon
      case ".": .dot
      case "+": .plus
      case "-": .minus
      case "*": .star
      case "/": .slash
      case "%": .percent
      case "<": .lt
      case ">": .gt
      default: nil
      }
    if one != nil { i += 1 }
    return one
  }

  /// Digits with `_` separators between digits.
  private mutating func digits() -> Bool {
    guard let c = peek(), c.isASCIIDigit else { return false }
    while let d = peek() {
      if d.isASCIIDigit {
        i += 1
      } else if d == "_", let e = peek(1), e.isASCIIDigit {
        i += 1
      } else {
        break
      }
    }
    return true
  }

  private mutating func number() -> Token {
    let start = i
    if let date = dateOrDateTime() { return date }
    _ = digits()
    var kind: Token.Kind = .int
    if peek() == ".", let d = peek(1), d.isASCIIDigit {
      i += 1
      _ = digits()
      kind = .decimal
    }
    if peek() == "%" {
      // `24%` is a percentage; `a % b` (with a space) is the remainder operator.
      i += 1
      return Token(kind: .percent, text: slice(start, i), start: start, end: i)
    }
    if let c = peek(), c.isASCIILetter {
      return duration(start: start)
    }
    return Token(kind: kind, text: slice(start, i), start: start, end: i)
  }

  /// `24h`, `6mo`, `1y6mo`: a number with a unit, repeated without spaces.
  private mutating func duration(start: Int) -> Token {
    while true {
      let unitStart = i
      while let c = peek(), c.isASCIILetter { i += 1 }
      let unit = slice(unitStart, i)
      if !Lexer.durationUnits.contains(unit) {
        error(
          .invalidLiteral, unitStart, i, "unknown unit `\(unit)` after a number",
          help: ["durations use y, mo, w, d, h, min or s (e.g. `24h`, `6mo`); money is `50_000 CNY`, with a space"])
      }
      guard let c = peek(), c.isASCIIDigit else { break }
      _ = digits()
      if peek() == ".", let d = peek(1), d.isASCIIDigit {
        i += 1
        _ = digits()
      }
      guard let u = peek(), u.isASCIILetter else {
        error(.invalidLiteral, start, i, "a duration part is missing its unit", help: ["write e.g. `1y6mo` or `1d12h`"])
        break
      }
    }
    return Token(kind: .duration, text: slice(start, i), start: start, end: i)
  }

  static let durationUnits: Set<String> = ["y", "mo", "w", "d", "h", "min", "s"]

  /// `2026-01-01` or `2026-01-01T09:30:00+08:00`, recognised by shape; the calendar checks come later.
  private mutating func dateOrDateTime() -> Token? {
    func isDigits(_ at: Int, _ n: Int) -> Bool {
      guard at + n <= text.count else { return false }
      return text[at..<(at + n)].allSatisfy { $0.isASCIIDigit }
    }
    let s = i
    guard isDigits(s, 4), peek(4) == "-", isDigits(s + 5, 2), peek(7) == "-", isDigits(s + 8, 2) else { return nil }
    if let after = peek(10), after.isASCIIDigit { return nil }
    i += 10
    guard peek() == "T", isDigits(i + 1, 2), peek(3) == ":", isDigits(i + 4, 2) else {
      return Token(kind: .date, text: slice(s, i), start: s, end: i)
    }
    i += 6
    if peek() == ":", isDigits(i + 1, 2) {
      i += 3
      if peek() == ".", let d = peek(1), d.isASCIIDigit {
        i += 1
        while let d = peek(), d.isASCIIDigit { i += 1 }
      }
    }
    if peek() == "Z" {
      i += 1
    } else if peek() == "+" || peek() == "-", isDigits(i + 1, 2), peek(3) == ":", isDigits(i + 4, 2) {
      i += 6
    } else {
      error(
        .invalidLiteral, s, i, "date-time `\(slice(s, i))` has no time zone",
        help: ["add the offset, e.g. `\(slice(s, i))+08:00` or `\(slice(s, i))Z`"])
    }
    return Token(kind: .datetime, text: slice(s, i), start: s, end: i)
  }

  private mutating func string(quote: Unicode.Scalar) -> Token {
    let start = i
    i += 1
    var value = String.UnicodeScalarView()
    while let c = peek() {
      if c == quote {
        i += 1
        return Token(kind: .string, text: String(value), start: start, end: i)
      }
      if c == "\\" {
        let escStart = i
        i += 1
        guard let e = peek() else { break }
        i += 1
        switch e {
        case "n": value.append("\n")
        case "t": value.append("\t")
        case "\\", "\"", "'": value.append(e)
        case "u":
          if let s = unicodeEscape() {
            value.append(s)
          } else {
            error(.invalidLiteral, escStart, i, "invalid \\u escape", help: ["write \\u{4E2D} with hex digits in braces"])
          }
        default:
          error(
            .invalidLiteral, escStart, i, "unknown escape `\\\(e)` in text",
            help: ["escapes are \\\" \\' \\\\ \\n \\t \\u{…}"]
              + ("dDwWsSbB.+*?()[]{}|^$/".unicodeScalars.contains(e)
                ? ["for the pattern of `matches`, double the backslash: `\"\\\\\(e)\"` is the regex escape `\\\(e)`"] : []))
        }
        continue
      }
      value.append(c)
      i += 1
    }
    error(
      .unterminatedString, start, i, "text starting here is never closed",
      help: ["add the closing \(quote == "\"" ? "double" : "single") quote"])
    return Token(kind: .string, text: String(value), start: start, end: i)
  }

  private mutating func unicodeEscape() -> Unicode.Scalar? {
    guard peek() == "{" else { return nil }
    i += 1
    var v: UInt32 = 0
    var n = 0
    while let c = peek(), let h = c.hexValue, n < 8 {
      v = v * 16 + h
      n += 1
      i += 1
    }
    guard n > 0, peek() == "}" else { return nil }
    i += 1
    return Unicode.Scalar(v)
  }
}

extension Unicode.Scalar {
  /// White space, with the common ASCII cases decided without a Unicode property lookup.
  var isSpace: Bool {
    if value < 0x80 { return value == 0x20 || (value >= 0x09 && value <= 0x0D) }
    return properties.isWhitespace
  }
  var isASCIIDigit: Bool { value >= 0x30 && value <= 0x39 }
  var isASCIILetter: Bool { (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A) }
  var isIdentifierStart: Bool { isASCIILetter || self == "_" }
  var isIdentifierContinue: Bool { isIdentifierStart || isASCIIDigit }
  var hexValue: UInt32? {
    switch value {
    case 0x30...0x39: value - 0x30
    case 0x41...0x46: value - 0x41 + 10
    case 0x61...0x66: value - 0x61 + 10
    default: nil
    }
  }
  /// The ASCII character a full-width form stands for (`（` → `(`), so errors can name the fix.
  var halfWidthEquivalent: Character? {
    if value >= 0xFF01 && value <= 0xFF5E, let s = Unicode.Scalar(value - 0xFEE0) { return Character(s) }
    switch value {
    case 0x3000: return " "
    case 0x3001: return ","
    case 0x3002: return "."
    case 0x201C, 0x201D: return "\""
    case 0x2018, 0x2019: return "'"
    default: return nil
    }
  }
}
