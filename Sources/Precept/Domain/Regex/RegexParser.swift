/// The parsed form of a pattern, before it becomes NFA instructions.
indirect enum RegexNode: Sendable {
  case empty
  case literal(Unicode.Scalar)
  case anyButNewline
  case set(ScalarClass)
  case assertion(RegexAssertion)
  case concatenation([RegexNode])
  case alternation([RegexNode])
  /// `maximum == nil` means unbounded; `offset` is where the quantifier is written, for error messages.
  case repetition(RegexNode, minimum: Int, maximum: Int?, greedy: Bool, offset: Int)
}

/// Zero-width tests, checked between two scalars.
enum RegexAssertion: UInt8, Sendable, Hashable {
  case textStart, textEnd, wordBoundary, notWordBoundary
}

/// A whole parsed pattern.
struct RegexSyntax: Sendable {
  var root: RegexNode
  var caseInsensitive: Bool
}

/// Recursive-descent parser for the syntax described on `Pattern`.
struct RegexParser {
  private let scalars: [Unicode.Scalar]
  private var position = 0
  private var depth = 0

  /// Nesting deeper than this is refused so that parsing and compiling cannot exhaust the stack.
  static let maximumNesting = 100
  /// A larger count could never fit in `Pattern.maximumStates` anyway; refusing early keeps numbers small.
  static let maximumCount = Pattern.maximumStates

  static func parse(_ source: String) throws(PatternError) -> RegexSyntax {
    var parser = RegexParser(scalars: Array(source.unicodeScalars))
    return try parser.parseWhole()
  }

  private init(scalars: [Unicode.Scalar]) {
    self.scalars = scalars
  }

  private mutating func parseWhole() throws(PatternError) -> RegexSyntax {
    if scalars.count > Pattern.maximumLength {
      throw PatternError("the pattern is longer than \(Pattern.maximumLength) characters", at: Pattern.maximumLength)
    }
    var caseInsensitive = false
    if starts(with: "(?i)") {
      caseInsensitive = true
      position = 4
    }
    let root = try parseAlternation()
    if position < scalars.count {
      // parseAlternation only stops early at a ')' that no '(' opened.
      throw PatternError("this ')' has no matching '('", at: position)
    }
    return RegexSyntax(root: root, caseInsensitive: caseInsensitive)
  }

  // MARK: Structure

  private mutating func parseAlternation() throws(PatternError) -> RegexNode {
    var branches = [try parseConcatenation()]
    while peek() == "|" {
      position += 1
      branches.append(try parseConcatenation())
    }
    return branches.count == 1 ? branches[0] : .alternation(branches)
  }

  private mutating func parseConcatenation() throws(PatternError) -> RegexNode {
    var items: [RegexNode] = []
    while let c = peek(), c != "|", c != ")" {
      let atomOffset = position
      let atom = try parseAtom()
      items.append(try parseQuantifiers(of: atom, atomOffset: atomOffset))
    }
    switch items.count {
    case 0: return .empty
    case 1: return items[0]
    default: return .concatenation(items)
    }
  }

  private mutating func parseQuantifiers(of atom: RegexNode, atomOffset: Int) throws(PatternError) -> RegexNode {
    let offset = position
    let bounds: (Int, Int?)
    switch peek() {
    case "*": bounds = (0, nil); position += 1
    case "+": bounds = (1, nil); position += 1
    case "?": bounds = (0, 1); position += 1
    case "{": bounds = try parseCount()
    default: return atom
    }
    // Python refuses a bare `^*` but allows `(?:^)*`; matching that keeps shared patterns portable.
    if case .assertion = atom, scalars[atomOffset] != "(" {
      throw PatternError("nothing to repeat: '\(scalars[offset])' follows an anchor or boundary", at: offset)
    }
    var greedy = true
    if peek() == "?" {
      greedy = false
      position += 1
    }
    if let next = peek(), next == "*" || next == "+" || next == "?" || next == "{" {
      let message =
        next == "+" && greedy
        ? "possessive quantifiers like '*+' are not supported" : "a quantifier cannot follow another quantifier"
      throw PatternError(message, at: position)
    }
    return .repetition(atom, minimum: bounds.0, maximum: bounds.1, greedy: greedy, offset: offset)
  }

  /// `{n}`, `{n,}`, `{,m}`, `{n,m}`; anything else after `{` is an error rather than a literal brace.
  private mutating func parseCount() throws(PatternError) -> (Int, Int?) {
    let open = position
    position += 1
    let minimum = try parseNumber()
    var maximum = minimum
    var hasComma = false
    if peek() == "," {
      hasComma = true
      position += 1
      maximum = try parseNumber()
    }
    guard peek() == "}", minimum != nil || hasComma else {
      throw PatternError(
        "'{' must start a repetition count like {3} or {2,5}; write \\{ for a literal brace", at: open)
    }
    position += 1
    let low = minimum ?? 0
    if let maximum, maximum < low {
      throw PatternError("the repetition count {\(low),\(maximum)} has its minimum above its maximum", at: open)
    }
    return (low, maximum)
  }

  private mutating func parseNumber() throws(PatternError) -> Int? {
    let start = position
    var value = 0
    while let c = peek(), c.value >= 0x30, c.value <= 0x39 {
      value = value * 10 + Int(c.value - 0x30)
      position += 1
      if value > Self.maximumCount {
        throw PatternError("repetition counts above \(Self.maximumCount) are not supported", at: start)
      }
    }
    return position == start ? nil : value
  }

  // MARK: Atoms

  private mutating func parseAtom() throws(PatternError) -> RegexNode {
    let start = position
    let c = scalars[position]
    position += 1
    switch c {
    case "(": return try parseGroup(openedAt: start)
    case "[": return .set(try parseClass(openedAt: start))
    case ".": return .anyButNewline
    case "^": return .assertion(.textStart)
    case "$": return .assertion(.textEnd)
    case "\\": return try parseEscape(at: start)
    case "*", "+", "?":
      throw PatternError("nothing to repeat: '\(c)' must follow something it applies to", at: start)
    case "{":
      throw PatternError(
        "'{' must follow something it repeats, as in \\d{6}; write \\{ for a literal brace", at: start)
    default: return .literal(c)
    }
  }

  private mutating func parseGroup(openedAt open: Int) throws(PatternError) -> RegexNode {
    if peek() == "?" {
      try parseGroupPrefix(openedAt: open)
    } else if peek() == "*" {
      throw PatternError("'(*' verbs are not supported", at: open)
    }
    depth += 1
    if depth > Self.maximumNesting {
      throw PatternError("groups are nested more than \(Self.maximumNesting) deep", at: open)
    }
    let inner = try parseAlternation()
    depth -= 1
    guard peek() == ")" else {
      throw PatternError("this '(' is never closed with ')'", at: open)
    }
    position += 1
    return inner
  }

  /// Consumes what follows `(?` for the group kinds that are supported, and explains the ones that are not.
  private mutating func parseGroupPrefix(openedAt open: Int) throws(PatternError) {
    let kind = position + 1 < scalars.count ? scalars[position + 1] : nil
    let after = position + 2 < scalars.count ? scalars[position + 2] : nil
    switch (kind, after) {
    case (":", _):
      position += 2
    case ("=", _), ("!", _), ("<", "="), ("<", "!"):
      throw PatternError(
        "lookahead and lookbehind like '(?=' are not supported; they need backtracking", at: open)
    case ("P", "="):
      throw PatternError("backreferences like '(?P=name)' are not supported; they need backtracking", at: open)
    case ("<", _), ("P", "<"):
      position += kind == "P" ? 3 : 2
      let nameStart = position
      while let c = peek(), c != ">" {
        guard ScalarRules.isWord(c) else { throw PatternError("a group name may only use letters, digits and _", at: position) }
        position += 1
      }
      guard peek() == ">", position > nameStart else {
        throw PatternError("a named group needs a name and a closing '>', as in (?<rate>…)", at: open)
      }
      position += 1
    case ("i", _):
      throw PatternError(
        "the only flag is a leading (?i) for the whole pattern; it cannot come later or be scoped like (?i:…)",
        at: open)
    case ("#", _):
      throw PatternError("comments '(?#…)' are not supported", at: open)
    default:
      throw PatternError(
        "unknown group syntax '(?\(kind.map { String($0) } ?? "")'; only (…), (?:…), (?<name>…) and a leading (?i) are supported",
        at: open)
    }
  }

  // MARK: Escapes

  private mutating func parseEscape(at start: Int) throws(PatternError) -> RegexNode {
    guard let c = peek() else {
      throw PatternError("the pattern ends with a lone '\\'; write \\\\ for a backslash", at: start)
    }
    position += 1
    switch c {
    case "d": return .set(.digit)
    case "D": return .set(.notDigit)
    case "w": return .set(.word)
    case "W": return .set(.notWord)
    case "s": return .set(.space)
    case "S": return .set(.notSpace)
    case "b": return .assertion(.wordBoundary)
    case "B": return .assertion(.notWordBoundary)
    case "A": return .assertion(.textStart)
    case "Z", "z": return .assertion(.textEnd)
    default: return .literal(try parseScalarEscape(c, at: start, inClass: false))
    }
  }

  /// Escapes that stand for one scalar, shared by the main syntax and bracket classes; `c` follows the backslash.
  private mutating func parseScalarEscape(_ c: Unicode.Scalar, at start: Int, inClass: Bool) throws(PatternError)
    -> Unicode.Scalar
  {
    switch c {
    case "n": return "\n"
    case "t": return "\t"
    case "r": return "\r"
    case "f": return "\u{0C}"
    case "v": return "\u{0B}"
    case "x": return try parseHex(digits: 2, at: start, braces: true)
    case "u": return try parseHex(digits: 4, at: start, braces: true)
    case "U": return try parseHex(digits: 8, at: start, braces: false)
    case "1"..."9":
      throw PatternError(
        inClass
          ? "'\\\(c)' is not supported inside [...]"
          : "backreferences like '\\\(c)' are not supported; they need backtracking", at: start)
    case "0": throw PatternError("octal escapes are not supported; write \\x00 or \\u{…}", at: start)
    case "k": throw PatternError("backreferences like '\\k<name>' are not supported; they need backtracking", at: start)
    case "p", "P":
      throw PatternError("Unicode properties like '\\p{Han}' are not supported; use a range like [\\u4e00-\\u9fff]", at: start)
    default:
      if c.isASCII && (c.properties.isAlphabetic || c.properties.numericType != nil) {
        throw PatternError("unknown escape '\\\(c)'", at: start)
      }
      // Any other escaped scalar (punctuation, CJK) stands for itself.
      return c
    }
  }

  /// `\xHH`, `\uXXXX`, `\UXXXXXXXX`, or with `braces` `\x{…}` / `\u{…}` holding 1 to 6 digits.
  private mutating func parseHex(digits: Int, at start: Int, braces: Bool) throws(PatternError) -> Unicode.Scalar {
    let braced = braces && peek() == "{"
    if braced { position += 1 }
    var value: UInt32 = 0
    var count = 0
    while count < (braced ? 6 : digits), let c = peek(), let digit = c.properties.isASCIIHexDigit ? hexValue(c) : nil {
      value = value << 4 | digit
      count += 1
      position += 1
    }
    let closed = !braced || peek() == "}"
    guard closed, braced ? count > 0 : count == digits else {
      let example = braces ? "\\u4e00 or \\u{4e00}" : "\\U00004e00"
      throw PatternError("a hexadecimal escape needs its digits, as in \(example)", at: start)
    }
    if braced { position += 1 }
    guard let scalar = Unicode.Scalar(value) else {
      throw PatternError("U+\(String(value, radix: 16, uppercase: true)) is not a Unicode scalar", at: start)
    }
    return scalar
  }

  private func hexValue(_ c: Unicode.Scalar) -> UInt32? {
    switch c.value {
    case 0x30...0x39: return c.value - 0x30
    case 0x41...0x46: return c.value - 0x41 + 10
    case 0x61...0x66: return c.value - 0x61 + 10
    default: return nil
    }
  }

  // MARK: Bracket classes

  private mutating func parseClass(openedAt open: Int) throws(PatternError) -> ScalarClass {
    var result = ScalarClass()
    if peek() == "^" {
      result.negated = true
      position += 1
    }
    var first = true
    while true {
      guard let c = peek() else {
        throw PatternError("this '[' is never closed with ']'", at: open)
      }
      if c == "]" && !first { break }
      first = false
      let itemStart = position
      let low = try parseClassItem(into: &result)
      // A '-' between two single scalars makes a range; at either end of the class it is a literal '-'.
      guard peek() == "-", position + 1 < scalars.count, scalars[position + 1] != "]" else {
        if let low { result.ranges.append(low.value...low.value) }
        continue
      }
      guard let low else {
        throw PatternError("a range cannot start with a class like \\d", at: itemStart)
      }
      position += 1
      let highStart = position
      var ignored = ScalarClass()
      guard let high = try parseClassItem(into: &ignored) else {
        throw PatternError("a range cannot end with a class like \\d", at: highStart)
      }
      guard low.value <= high.value else {
        throw PatternError("the range \(low)-\(high) is backwards; write the lower character first", at: itemStart)
      }
      result.ranges.append(low.value...high.value)
    }
    position += 1
    return result.normalized()
  }

  /// One class member: returns the scalar for a single character, or adds a shorthand like `\d` and returns nil.
  private mutating func parseClassItem(into result: inout ScalarClass) throws(PatternError) -> Unicode.Scalar? {
    let start = position
    let c = scalars[position]
    position += 1
    if c == "[" && peek() == ":" {
      throw PatternError("POSIX classes like [:alpha:] are not supported; use \\w, \\d, \\s or a range", at: start)
    }
    guard c == "\\" else { return c }
    guard let escaped = peek() else {
      throw PatternError("the pattern ends with a lone '\\'; write \\\\ for a backslash", at: start)
    }
    position += 1
    let shorthand: ScalarClass
    switch escaped {
    case "d": shorthand = .digit
    case "D": shorthand = .notDigit
    case "w": shorthand = .word
    case "W": shorthand = .notWord
    case "s": shorthand = .space
    case "S": shorthand = .notSpace
    case "b", "B", "A", "Z", "z":
      throw PatternError("'\\\(escaped)' is an anchor and cannot be used inside [...]", at: start)
    default: return try parseScalarEscape(escaped, at: start, inClass: true)
    }
    result.ranges += shorthand.ranges
    result.properties += shorthand.properties
    return nil
  }

  // MARK: Helpers

  private func peek() -> Unicode.Scalar? {
    position < scalars.count ? scalars[position] : nil
  }

  private func starts(with prefix: String) -> Bool {
    let wanted = Array(prefix.unicodeScalars)
    return scalars.count >= wanted.count && Array(scalars[0..<wanted.count]) == wanted
  }
}
