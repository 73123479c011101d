/// One token of the expression language, with its place as local scalar offsets in the expression text.
public struct Token: Sendable, Hashable {
  /// What a token is.
  public enum Kind: Sendable, Hashable {
    case int, decimal, percent, duration, date, datetime, string
    case identifier
    case keyword(Keyword)
    case symbol(Symbol)
    case end
  }

  /// What the token is.
  public var kind: Kind
  /// The token's text as written (for strings: the decoded content).
  public var text: String
  /// Local offsets in the expression text: `start..<end`.
  public var start: Int
  /// Just past the token's last scalar, as a local offset.
  public var end: Int
}

/// Reserved words. After a `.` they may still name a field (`product.any`).
public enum Keyword: String, Sendable, Hashable, CaseIterable {
  case `if`, then, `else`, or, and, not, `in`, between, matches, contains, starts, with
  case `is`, missing, present, `where`, any, all, none, `true`, `false`

  /// Keywords by spelling: one hash lookup per word instead of a comparison with every case.
  static let byName: [String: Keyword] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })
}

/// Punctuation and operators.
public enum Symbol: String, Sendable, Hashable, CaseIterable {
  case lparen = "(", rparen = ")", lbracket = "[", rbracket = "]"
  case comma = ",", colon = ":", dot = "."
  case coalesce = "??"
  case plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
  case eq = "==", ne = "!=", le = "<=", ge = ">=", lt = "<", gt = ">"
}

extension Token {
  /// The token as an error message names it: "the name `b`", "`)`", "the end of the expression".
  var described: String {
    switch kind {
    case .identifier: "name `\(text)`"
    case .int, .decimal, .percent, .duration: "number `\(text)`"
    case .date, .datetime: "date `\(text)`"
    case .string: "text \(Printer.quoted(text))"
    case .keyword, .symbol: "`\(text)`"
    case .end: "the end of the expression"
    }
  }
}
