/// A compiled `matches "…"` pattern; matching takes time proportional to pattern size × text length, never more.
///
/// Syntax is a safe subset of Python's `re`, read over Unicode scalars (so `.` or `[…]` match one Chinese character):
/// - literals, with `\` before any punctuation to take it literally; `\n \t \r \f \v`, `\xHH`, `\uXXXX`, `\u{H…}`
///   and `\UXXXXXXXX` for scalars by number;
/// - `.` (any scalar but a newline), `[abc]`, `[a-z]`, `[^…]`, `[\u4e00-\u9fff]`;
/// - `\d` (ASCII digits only, so fullwidth `１` is not a digit), `\w` (letters of any script, numerals, `_`),
///   `\s` (Unicode white space), and their negations `\D \W \S`;
/// - `^`/`\A` and `$`/`\Z`/`\z` for the start and end of the whole text (no multiline mode; unlike Python, `$` does not
///   also match before a final newline), `\b` and `\B` for word boundaries (a CJK ideograph counts as a letter);
/// - `(…)`, `(?:…)`, `(?<name>…)`, `(?P<name>…)`, alternation `|`;
/// - `* + ? {n} {n,} {,m} {n,m}`, greedy or lazy (`*?`); `{` is always a count, so a literal brace is `\{`;
/// - `(?i)` at the very start: case-insensitive with simple (one-scalar) case mappings.
///
/// Backreferences, lookaround, possessive quantifiers and other flags are refused with a `PatternError`, because
/// they cannot be matched without backtracking.
///
/// Matching is leftmost-first, like Python and Perl: of the matches starting at the leftmost position, the one the
/// quantifiers' greediness (lazy quantifiers are honoured, not treated as greedy) and the order of `|` branches
/// prefer, with a repetition stopping after an iteration that matched nothing. So `firstMatch` gives the same span as
/// `re.search` for the syntax both accept; `generate.py` in the tests checks this on thousands of patterns.
public struct Pattern: Sendable, Hashable, CustomStringConvertible {
  /// The pattern as the author wrote it.
  public let source: String
  let program: RegexProgram

  /// The longest pattern accepted, in Unicode scalars.
  public static let maximumLength = 1_000
  /// The most NFA states a pattern may expand to; counted repetitions multiply states, so this bounds memory.
  public static let maximumStates = 10_000

  /// Parses and compiles `source`, or explains what is wrong with it and where.
  public static func compile(_ source: String) -> Result<Pattern, PatternError> {
    do {
      let syntax = try RegexParser.parse(source)
      let program = try RegexCompiler.compile(syntax)
      return .success(Pattern(source: source, program: program))
    } catch {
      return .failure(error)
    }
  }

  /// Whether any part of `text` matches (like Python's `re.search(…) is not None`); `^` and `$` still anchor to the
  /// ends of the whole text.
  public func matches(_ text: some StringProtocol) -> Bool {
    search(text, stopAtFirst: true) != nil
  }

  /// The leftmost match as offsets in Unicode scalars from the start of `text`, to show where the claim is.
  public func firstMatch(in text: some StringProtocol) -> Range<Int>? {
    search(text, stopAtFirst: false)
  }

  private func search(_ text: some StringProtocol, stopAtFirst: Bool) -> Range<Int>? {
    let machine = PikeVM(program: program)
    // Native strings and substrings are contiguous UTF-8, decoded directly; anything else is copied first.
    let direct: Range<Int>?? = text.utf8.withContiguousStorageIfAvailable { bytes in
      machine.run(UTF8Scalars(bytes), stopAtFirst: stopAtFirst)
    }
    if let direct { return direct }
    return machine.run(String(text).unicodeScalars, stopAtFirst: stopAtFirst)
  }

  /// The pattern as written.
  public var description: String { source }

  /// Equal when written alike: the program is a function of the source, so comparing sources is enough and much cheaper.
  public static func == (a: Pattern, b: Pattern) -> Bool { a.source == b.source }
  /// Hashes the pattern's source.
  public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}

/// Why a pattern was refused: a message for a compliance author and the scalar offset in the pattern it points at.
public struct PatternError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong with the pattern, for a compliance author.
  public let message: String
  /// Offset in Unicode scalars from the start of the pattern.
  public let offset: Int

  /// An error with its message and the offset (in Unicode scalars) it points at.
  public init(_ message: String, at offset: Int) {
    self.message = message
    self.offset = offset
  }

  /// The message and the character it points at, counted from 1.
  public var description: String { "\(message) (at character \(offset + 1) of the pattern)" }
}
