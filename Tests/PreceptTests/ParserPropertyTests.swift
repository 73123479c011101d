import PreceptTestSupport
import Testing
@testable import Precept

/// Properties of the parser and printer over thousands of seeded random inputs (SplitMix64 from
/// YAMLTestSupport.swift, so a failure replays exactly):
/// (a) a random tree, printed, parses back to the same shape;
/// (b) random text and random bytes never trap the parser, and every place it reports lies in the text;
/// (c) printing is idempotent: `parse(e.source).source == e.source`.
@Suite struct ParserPropertyTests {
  // MARK: - (a) printed trees parse back

  @Test func printedTreesParseBackToTheirShape() {
    var gen = TreeGenerator(seed: 0xA57_0001)
    var failures: [String] = []
    for round in 0..<3_000 {
      let tree = gen.expr(depth: gen.int(7))
      let text = tree.source
      let (parsed, d) = Parser.parse(ExprSource(text))
      if !d.isEmpty || parsed.shape != tree.shape {
        failures.append("round \(round): \(text)\n  want \(tree.shape)\n  got  \(parsed.shape) \(d.map(\.message))")
      }
    }
    #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(3).joined(separator: "\n"))")
  }

  /// Trees written another way: every operand bracketed, random white space between tokens, single
  /// quotes and `\u{…}` escapes in text, trailing commas, `is not present` for `is missing`.
  @Test func bracketedNoisyTextParsesToTheSameShape() {
    var gen = TreeGenerator(seed: 0xA57_0002)
    var failures: [String] = []
    for round in 0..<1_000 {
      let tree = gen.expr(depth: gen.int(7))
      let text = gen.noisy(tree)
      let (parsed, d) = Parser.parse(ExprSource(text))
      if !d.isEmpty || parsed.shape != tree.shape {
        failures.append("round \(round): \(text.debugDescription)\n  want \(tree.shape)\n  got  \(parsed.shape) \(d.map(\.message))")
      }
    }
    #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(3).joined(separator: "\n"))")
  }

  // MARK: - (c) printing is idempotent

  /// `e.source` depends only on the tree's shape, so printing, parsing and printing again must give
  /// the same text. (Random text that happens to parse is checked the same way under (b).)
  @Test func printingIsIdempotent() {
    var gen = TreeGenerator(seed: 0xA57_0003)
    var failures: [String] = []
    for round in 0..<1_000 {
      let once = gen.expr(depth: gen.int(7)).source
      let (e, d) = Parser.parse(ExprSource(once))
      let twice = e.source
      if !d.isEmpty || twice != once || Parser.parse(ExprSource(twice)).expr.source != twice {
        failures.append("round \(round): \(once)\n  reprinted \(twice) \(d.map(\.message))")
      }
    }
    #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(3).joined(separator: "\n"))")
  }

  // MARK: - (b) random text never traps and reports in bounds

  /// Pieces of text that matter to the lexer and parser, and some that should not be there at all.
  static let pieces: [String] = {
    var p = Keyword.allCases.map(\.rawValue) + Symbol.allCases.map(\.rawValue)
    p += ["a", "x", "_", "applicant", "today", "CNY", "usd", "f(", "window", "by:", ".at", ".", "..", ":"]
    p += ["0", "1", "42", "1_000", "1__0", "3.25", "3.", ".5", "24%", "%", "24h", "1y6mo", "1.5h", "5x", "1y6", "mo", "min"]
    p += ["2026-01-01", "2026-01-01T09:30Z", "2026-01-01T09:30:00.5+08:00", "2026-01-01T09:30", "2026-1-1", "T", "Z", "+08:00"]
    p += ["\"", "'", "\"abc\"", "'x'", "\\", "\\\"", "\\n", "\\u{", "\\u{4E2D}", "\\u{110000}", "\\u{D800}", "\\q", "}", "{"]
    p += ["中文", "保本", "（", "）", "，", "＝", "　", "“", "”", "‘", "’", "Ａ", "１", "。"]
    p += ["=", "!", "?", "&&", "||", "@", "#", "$", "^", "~", "`", ";"]
    p += ["\u{0}", "\u{7}", "\u{7F}", "\u{85}", "\u{A0}", "\u{200B}", "\u{FEFF}", "\u{2028}", "\u{301}", "e\u{301}"]
    p += ["😀", "👨‍👩‍👧", "\u{10FFFF}", "\u{FFFD}", "\r\n", "\r", "\n", "\t", " ", "  "]
    return p
  }()

  /// Token soup over `pieces`, and (every other round) a valid expression with a few words deleted,
  /// repeated, swapped or replaced, which reaches deeper into the parser's error paths.
  @Test func randomTextNeverTrapsAndStaysInBounds() {
    var gen = TreeGenerator(seed: 0xA57_0004)
    var failures: [String] = []
    var parsedCleanly = 0
    for round in 0..<3_000 {
      let text = round % 2 == 0 ? Self.soup(&gen, long: round % 100 == 0) : Self.mutated(&gen)
      let (problem, clean) = Self.check(text, embedded: round % 3 == 0)
      if let problem { failures.append("round \(round): \(text.debugDescription): \(problem)") }
      if clean { parsedCleanly += 1 }
    }
    #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(3).joined(separator: "\n"))")
    #expect(parsedCleanly >= 100, "some texts should still parse, to reach the reprinting check")
  }

  static func soup(_ gen: inout TreeGenerator, long: Bool) -> String {
    var text = ""
    for _ in 0..<(long ? 200 + gen.int(1_800) : gen.int(31)) {
      text += gen.pick(pieces)
      if gen.oneIn(2) { text += " " }
    }
    return text
  }

  static func mutated(_ gen: inout TreeGenerator) -> String {
    var words = gen.expr(depth: 1 + gen.int(5)).source.split(separator: " ").map(String.init)
    for _ in 0..<(1 + gen.int(2)) where !words.isEmpty {
      let i = gen.int(words.count)
      switch gen.int(4) {
      case 0: words.remove(at: i)
      case 1: words.insert(words[i], at: i)
      case 2: if i + 1 < words.count { words.swapAt(i, i + 1) }
      default: words[i] = gen.pick(pieces)
      }
    }
    return words.joined(separator: " ")
  }

  @Test func randomBytesNeverTrapAndStayInBounds() {
    var rng = SplitMix64(state: 0xA57_0005)
    var failures: [String] = []
    for round in 0..<5_000 {
      let count = Int.random(in: 0...32, using: &rng)
      var bytes: [UInt8] = []
      for _ in 0..<count {
        // Half printable ASCII, so some tokens form; the rest anything, invalid UTF-8 included.
        bytes.append(Bool.random(using: &rng) ? UInt8.random(in: 0x20...0x7E, using: &rng) : UInt8.random(in: 0...255, using: &rng))
      }
      let text = String(decoding: bytes, as: UTF8.self)
      if let problem = Self.check(text, embedded: round % 3 == 0).problem { failures.append("round \(round): \(bytes): \(problem)") }
    }
    #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(3).joined(separator: "\n"))")
  }

  /// Parses `text`, alone or embedded in the middle of a larger file as a YAML scalar would be, and
  /// returns what is wrong with the result, if anything, and whether it parsed without diagnostics.
  static func check(_ text: String, embedded: Bool) -> (problem: String?, clean: Bool) {
    let source: ExprSource
    if embedded {
      // `rule: <text>` with a tail: offsets shifted by the prefix, the file longer than the text.
      let prefix = "r:\n  when: "
      let file = SourceFile(path: "fuzz.yaml", text: prefix + text + "\n  tail: 1\n")
      let n = Array(text.unicodeScalars).count
      let start = Array(prefix.unicodeScalars).count
      source = ExprSource(file: file, text: Array(file.scalars[start..<(start + n)]), offsets: Array(start...(start + n)))
    } else {
      source = ExprSource(text, path: "fuzz")
    }
    let low = source.offsets.first ?? 0
    let high = source.offsets.last ?? 0
    let (e, diagnostics) = Parser.parse(source)
    return (problem(e, diagnostics, low: low, high: high, file: source.file), diagnostics.isEmpty)
  }

  private static func problem(_ e: Expr, _ diagnostics: [Diagnostic], low: Int, high: Int, file: SourceFile) -> String? {
    func inBounds(_ s: Span) -> Bool {
      s.start.offset >= low && s.end.offset <= high && s.start <= s.end
        && s.start == file.position(ofOffset: s.start.offset) && s.end == file.position(ofOffset: s.end.offset)
    }
    for d in diagnostics {
      if !inBounds(d.span) { return "\(d.code) \(d.message) at offsets \(d.span.start.offset)..<\(d.span.end.offset), text is \(low)..<\(high)" }
      for note in d.notes {
        if let s = note.span, !inBounds(s) { return "note of \(d.code) out of bounds" }
      }
    }
    if diagnostics.isEmpty == e.containsError {
      return diagnostics.isEmpty ? "an error node without a diagnostic" : "diagnostics \(diagnostics.map(\.message)) but no error node"
    }
    var work = [e]
    while let node = work.popLast() {
      if !inBounds(node.span) { return "node \(node.shape) out of bounds" }
      work += node.children
    }
    if diagnostics.isEmpty {
      let (again, d2) = Parser.parse(ExprSource(e.source))
      if !d2.isEmpty || again.shape != e.shape || again.source != e.source { return "reprinted as \(e.source): \(again.shape)" }
    }
    return nil
  }
}

/// Random well-formed expression trees (every kind but `.error`) and ways to write them.
struct TreeGenerator {
  var rng: SplitMix64

  init(seed: UInt64) { rng = SplitMix64(state: seed) }

  static let place = Span(file: "<gen>", start: Position(line: 1, column: 1, offset: 0), end: Position(line: 1, column: 1, offset: 0))
  static let keywords = Set(Keyword.allCases.map(\.rawValue))
  static let keywordList = Keyword.allCases.map(\.rawValue)
  static let identifierStart = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
  static let identifierRest = identifierStart + Array("0123456789")
  static let digitChars = Array("0123456789")
  static let capitals = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
  static let units = Lexer.durationUnits.sorted()

  mutating func int(_ n: Int) -> Int { Int.random(in: 0..<n, using: &rng) }
  mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }
  mutating func oneIn(_ n: Int) -> Bool { int(n) == 0 }

  // MARK: Trees

  mutating func expr(depth: Int) -> Expr {
    guard depth > 0, !oneIn(6) else { return leaf() }
    let d = depth - 1
    let kind: ExprKind
    switch int(14) {
    case 0: kind = .member(expr(depth: d), field(), nameSpan: Self.place)
    case 1: kind = .index(expr(depth: d), expr(depth: d))
    case 2:
      let args = (0..<int(4)).map { _ in Argument(label: oneIn(3) ? identifier() : nil, value: expr(depth: d)) }
      kind = .call(identifier(), args, nameSpan: Self.place)
    case 3: kind = .unary(oneIn(2) ? .not : .negate, expr(depth: d))
    case 4, 5, 6: kind = .binary(pick(BinaryOp.allCases), expr(depth: d), expr(depth: d))
    case 7: kind = .between(expr(depth: d), expr(depth: d), expr(depth: d), negated: oneIn(2))
    case 8: kind = .presence(expr(depth: d), missing: oneIn(2))
    case 9: kind = .conditional(expr(depth: d), expr(depth: d), expr(depth: d))
    case 10: kind = .filter(expr(depth: d), expr(depth: d))
    case 11: kind = .quantifier(pick([.any, .all, .none]), identifier(), expr(depth: d), expr(depth: d))
    case 12: kind = .list((0..<int(4)).map { _ in expr(depth: d) })
    default: return leaf()
    }
    return Expr(kind, Self.place)
  }

  mutating func leaf() -> Expr {
    let kind: ExprKind
    switch int(6) {
    case 0, 1: kind = .literal(literal())
    case 2: kind = .name(identifier())
    case 3: kind = .implicitMember(field())
    case 4: kind = .call(identifier(), [], nameSpan: Self.place)
    default: kind = oneIn(2) ? .list([]) : .name(pick(["a", "x", "today", "CNY", "USD", "_", "_1", "applicant"]))
    }
    return Expr(kind, Self.place)
  }

  mutating func identifier() -> String {
    while true {
      var s = String(pick(Self.identifierStart))
      for _ in 0..<int(7) { s.append(pick(Self.identifierRest)) }
      if !Self.keywords.contains(s) { return s }
    }
  }

  /// After `.`, keywords name fields too.
  mutating func field() -> String { oneIn(4) ? pick(Self.keywordList) : identifier() }

  // MARK: Literals

  mutating func digits() -> String {
    var s = ""
    for i in 0..<(1 + int(3)) {
      if i > 0, oneIn(2) { s += "_" }
      for _ in 0..<(1 + int(3)) { s.append(pick(Self.digitChars)) }
    }
    return s
  }

  mutating func number() -> String { oneIn(2) ? digits() : digits() + "." + digits() }

  mutating func fixed(_ n: Int) -> String { String((0..<n).map { _ in pick(Self.digitChars) }) }

  mutating func literal() -> Literal {
    switch int(9) {
    case 0: return .int(digits())
    case 1: return .decimal(digits() + "." + digits())
    case 2: return .percent(number() + "%")
    case 3:
      let code = oneIn(2) ? pick(["CNY", "USD", "EUR", "JPY"]) : String((0..<3).map { _ in pick(Self.capitals) })
      return .money(number(), code)
    case 4: return .date("\(fixed(4))-\(fixed(2))-\(fixed(2))")
    case 5:
      var t = "\(fixed(4))-\(fixed(2))-\(fixed(2))T\(fixed(2)):\(fixed(2))"
      if oneIn(2) {
        t += ":" + fixed(2)
        if oneIn(2) { t += "." + fixed(1 + int(6)) }
      }
      t += oneIn(3) ? "Z" : pick(["+", "-"]) + fixed(2) + ":" + fixed(2)
      return .datetime(t)
    case 6: return .duration((0..<(1 + int(3))).map { _ in number() + pick(Self.units) }.joined())
    case 7:
      let pool: [Unicode.Scalar] = [
        "a", "Z", "0", " ", "\"", "'", "\\", "\n", "\t", "\r", "{", "}", "%", "中", "文", "保", "（", "，", "😀",
        "\u{0}", "\u{7}", "\u{7F}", "\u{85}", "\u{9F}", "\u{A0}", "\u{200B}", "\u{FEFF}", "\u{2028}", "\u{301}", "\u{10FFFF}",
      ]
      var v = String.UnicodeScalarView()
      for _ in 0..<int(9) { v.append(pick(pool)) }
      return .string(String(v))
    default: return .bool(oneIn(2))
    }
  }

  // MARK: Noisy writing

  /// White space between tokens: none where allowed is left to the caller; here at least one.
  mutating func gap() -> String { oneIn(3) ? pick([" ", "  ", "\n", "\t", "\u{3000}", "\r\n ", " \u{A0}"]) : " " }

  /// A gap that may be empty (between punctuation and anything).
  mutating func maybeGap() -> String { oneIn(2) ? "" : gap() }

  /// `e` with every operand bracketed and random spacing; it means the same as `e.source`.
  mutating func noisy(_ e: Expr) -> String {
    func b(_ x: Expr) -> String { "(" + maybeGap() + noisy(x) + maybeGap() + ")" }
    switch e.kind {
    case .literal(let l): return noisyLiteral(l)
    case .name(let n): return n
    case .implicitMember(let n): return "." + maybeGap() + n
    case .member(let base, let n, _): return b(base) + maybeGap() + "." + maybeGap() + n
    case .index(let a, let i): return b(a) + maybeGap() + "[" + maybeGap() + noisy(i) + maybeGap() + "]"
    case .call(let f, let args, _):
      var parts: [String] = []
      for a in args { parts.append((a.label.map { $0 + maybeGap() + ":" + gap() } ?? "") + noisy(a.value)) }
      let trailing = !args.isEmpty && oneIn(3) ? "," : ""
      return f + maybeGap() + "(" + maybeGap() + parts.joined(separator: "," + maybeGap()) + trailing + maybeGap() + ")"
    case .unary(.negate, let a): return "-" + maybeGap() + b(a)
    case .unary(.not, let a): return "not" + maybeGap() + b(a)
    case .binary(let op, let l, let r):
      let spelled = op.rawValue.split(separator: " ").joined(separator: gap())
      return b(l) + maybeGap() + spelled + maybeGap() + b(r)
    case .between(let a, let l, let h, let negated):
      return b(a) + maybeGap() + (negated ? "not" + gap() : "") + "between" + maybeGap() + b(l) + maybeGap() + "and" + maybeGap() + b(h)
    case .presence(let a, let missing):
      let words = oneIn(2) ? (missing ? ["is", "missing"] : ["is", "present"]) : (missing ? ["is", "not", "present"] : ["is", "not", "missing"])
      return b(a) + maybeGap() + words.joined(separator: gap())
    case .conditional(let c, let y, let n):
      return "if" + maybeGap() + b(c) + maybeGap() + "then" + maybeGap() + b(y) + maybeGap() + "else" + maybeGap() + b(n)
    case .filter(let xs, let c): return b(xs) + maybeGap() + "where" + maybeGap() + b(c)
    case .quantifier(let q, let v, let xs, let body):
      return q.rawValue + gap() + v + gap() + "in" + maybeGap() + b(xs) + maybeGap() + ":" + maybeGap() + b(body)
    case .list(let xs):
      let trailing = !xs.isEmpty && oneIn(3) ? "," : ""
      return "[" + maybeGap() + xs.map { noisy($0) }.joined(separator: "," + maybeGap()) + trailing + maybeGap() + "]"
    case .error: return "<error>"
    }
  }

  mutating func noisyLiteral(_ l: Literal) -> String {
    switch l {
    case .money(let amount, let code): return amount + gap() + code
    case .string(let s):
      let quote: Unicode.Scalar = oneIn(2) ? "\"" : "'"
      var out = String(quote)
      for c in s.unicodeScalars {
        switch c {
        case quote, "\\": out += "\\" + String(c)
        case "\n": out += oneIn(2) ? "\\n" : "\n"
        case "\t": out += oneIn(2) ? "\\t" : "\t"
        default:
          if c == "\"" || c == "'", oneIn(2) {
            out += "\\" + String(c)  // the other quote, escaped though it need not be
          } else if c.properties.generalCategory == .control || oneIn(5) {
            out += "\\u{" + String(c.value, radix: 16, uppercase: oneIn(2)) + "}"
          } else {
            out.unicodeScalars.append(c)
          }
        }
      }
      return out + String(quote)
    default: return Printer.literal(l)
    }
  }
}
