// evaluate: the bytes drive a small generator of a well-typed rulebook (definitions, a decision
// table, rules with `when`, verbs, messages with placeholders, exceptions, stages and effective
// dates, over a fixed schema of every kind of fact) and of facts for it → lint → compile →
// evaluate.
// Oracles: no trap or sanitizer report; the facts read alike as a JSON line and as a `.json`
// facts file; traced and untraced evaluation give the same statuses, messages and reasons; the
// decisions of `check` (Session.decide) and `eval` (LineDecider) agree; and the reference
// interpreter of the tests gives every rule the same status, message and reason
// (`compareWithReference`).

#if canImport(Glibc)
  import Glibc
#endif
@testable import Precept

/// Reads choices off the input; past its end every choice is the first one.
private struct Choices {
  let bytes: [UInt8]
  var i = 0

  mutating func below(_ n: Int) -> Int {
    guard n > 1, i < bytes.count else { return 0 }
    defer { i += 1 }
    return Int(bytes[i]) % n
  }
  mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
  mutating func chance(_ oneIn: Int) -> Bool { below(oneIn) == 0 }
}

/// The kinds of value the generator writes expressions for.
private enum Kind: CaseIterable {
  case int, decimal, percent, money, bool, text, date, level
}

private let schema = """
  schema:
    a:
      n: int
      m: int?
      d: decimal
      p: percent
      cash: money(CNY)
      owed: money(CNY)?
      t: text
      e: enum(low, mid, high)
      b: bool
      ob: bool?
      day: date
      at: datetime?
      xs: list(int)
      items: "list(record(v: int, w: text?, amt: money(CNY), at: datetime))"

  """

private struct Generator {
  var c: Choices
  /// Definitions written so far, with their kinds; later expressions may use them.
  var definitions: [(name: String, kind: Kind)] = []
  var hasTable = false

  mutating func expr(_ k: Kind, _ depth: Int = 0) -> String {
    if depth > 0, let d = definitions.filter({ $0.kind == k }).map(\.name).randomElementUsing(&c), c.chance(4) { return d }
    let leaf = depth >= 3 || c.chance(3)
    switch k {
    case .int:
      if leaf {
        return c.pick(["0", "1", "2", "-3", "7", "100", "1_000", "a.n", "(a.m ?? 0)", "count(a.xs)", "count(a.items)", "length(a.t)",
                       "sum(a.xs)", "days_between(a.day, 2026-06-01)", "age(a.day)", "9223372036854775807", "a.m"])
      }
      switch c.below(9) {
      case 0: return "(\(expr(.int, depth + 1)) + \(expr(.int, depth + 1)))"
      case 1: return "(\(expr(.int, depth + 1)) - \(expr(.int, depth + 1)))"
      case 2: return "(\(expr(.int, depth + 1)) * \(expr(.int, depth + 1)))"
      case 3: return "-\(expr(.int, depth + 1))"
      case 4: return "abs(\(expr(.int, depth + 1)))"
      case 5: return "\(c.pick(["max", "min"]))(\(expr(.int, depth + 1)), \(expr(.int, depth + 1)))"
      case 6: return "(if \(expr(.bool, depth + 1)) then \(expr(.int, depth + 1)) else \(expr(.int, depth + 1)))"
      case 7: return "count(a.items where \(itemCondition(depth + 1)))"
      default: return hasTable ? "band" : "(\(expr(.int, depth + 1)) % \(c.pick(["2", "7", "a.n"])))"
      }
    case .decimal:
      if leaf { return c.pick(["1.5", "0.001", "a.d", "-2.25", "similarity(a.t, \"x\")", "(avg(a.xs) ?? 0.5)", "100_000.125"]) }
      switch c.below(5) {
      case 0: return "(\(expr(.decimal, depth + 1)) + \(expr(c.pick([.decimal, .int]), depth + 1)))"
      case 1: return "(\(expr(.decimal, depth + 1)) * \(expr(c.pick([.decimal, .int]), depth + 1)))"
      case 2: return "(\(expr(c.pick([.decimal, .int]), depth + 1)) / \(expr(c.pick([.decimal, .int]), depth + 1)))"
      case 3: return "round(\(expr(.decimal, depth + 1)), \(c.pick(["0", "2", "a.n"])))"
      default: return "(if \(expr(.bool, depth + 1)) then \(expr(.decimal, depth + 1)) else \(expr(.decimal, depth + 1)))"
      }
    case .percent:
      if leaf { return c.pick(["5%", "17.9%", "a.p", "0%", "-1.5%", "100%"]) }
      switch c.below(4) {
      case 0: return "(\(expr(.percent, depth + 1)) + \(expr(.percent, depth + 1)))"
      case 1: return "(\(expr(.percent, depth + 1)) * \(expr(c.pick([.decimal, .int]), depth + 1)))"
      case 2: return "round(\(expr(.percent, depth + 1)), 1)"
      default: return "\(c.pick(["max", "min"]))(\(expr(.percent, depth + 1)), \(expr(.percent, depth + 1)))"
      }
    case .money:
      if leaf {
        return c.pick(["100 CNY", "0.01 CNY", "a.cash", "(a.owed ?? 0 CNY)", "sum(a.items.amt)", "a.owed", "50_000 CNY",
                       "(max(a.items.amt) ?? 1 CNY)"])
      }
      switch c.below(7) {
      case 0: return "(\(expr(.money, depth + 1)) + \(expr(.money, depth + 1)))"
      case 1: return "(\(expr(.money, depth + 1)) - \(expr(.money, depth + 1)))"
      case 2: return "(\(expr(.money, depth + 1)) * \(expr(c.pick([.int, .decimal, .percent]), depth + 1)))"
      case 3: return "abs(\(expr(.money, depth + 1)))"
      case 4: return "round(\(expr(.money, depth + 1)), 2)"
      case 5: return "pmt(\(expr(.percent, depth + 1)) / 12, \(c.pick(["12", "a.n", "0"])), \(expr(.money, depth + 1)))"
      default: return "(\(expr(.money, depth + 1)) / \(expr(c.pick([.int, .decimal]), depth + 1)))"
      }
    case .bool:
      if leaf { return c.pick(["true", "false", "a.b", "(a.ob ?? false)", "(a.m is missing)", "(a.owed is present)", "a.ob"]) }
      switch c.below(13) {
      case 0, 1:
        let k = c.pick([Kind.int, .decimal, .percent, .money, .date])
        return "(\(expr(k, depth + 1)) \(c.pick(["==", "!=", "<", "<=", ">", ">="])) \(expr(k, depth + 1)))"
      case 2: return "(\(expr(.bool, depth + 1)) and \(expr(.bool, depth + 1)))"
      case 3: return "(\(expr(.bool, depth + 1)) or \(expr(.bool, depth + 1)))"
      case 4: return "(not \(expr(.bool, depth + 1)))"
      case 5: return "(\(expr(.level, depth + 1)) \(c.pick(["==", "!="])) \(c.pick(["low", "mid", "high"])))"
      case 6: return "(\(expr(.level, depth + 1)) \(c.pick(["in", "not in"])) [\(c.pick(["low", "mid, high", "low, high"]))])"
      case 7: return "(\(expr(.text, depth + 1)) \(c.pick(["contains", "starts with", "matches"])) \(c.pick(["\"x\"", "\"保本\"", "\"^[a-z]+$\"", "\"\""])))"
      case 8: return "(\(expr(.int, depth + 1)) \(c.pick(["between", "not between"])) \(expr(.int, depth + 1)) and \(expr(.int, depth + 1)))"
      case 9: return "(\(c.pick(["any", "all", "none"])) i in a.items: \(itemCondition(depth + 1, bound: true)))"
      case 10: return "(\(c.pick(["any", "all", "none"])) x in a.xs: x \(c.pick([">", "==", "<="])) \(expr(.int, depth + 1)))"
      case 11: return "near(\(expr(.text, depth + 1)), \"保\", \"本\", within: \(c.pick(["0", "3", "a.n"])))"
      default: return "(any w in window(a.items, \(c.pick(["24h", "7d", "1s"])), by: .at): count(w) >= \(expr(.int, depth + 1)))"
      }
    case .text:
      if leaf { return c.pick(["\"x\"", "a.t", "\"保本 收益\"", "\"\"", "(a.items[0].w ?? \"none\")", "\"\\u{1F600}\""]) }
      switch c.below(3) {
      case 0: return "\(c.pick(["lower", "upper"]))(\(expr(.text, depth + 1)))"
      case 1: return "(if \(expr(.bool, depth + 1)) then \(expr(.text, depth + 1)) else \(expr(.text, depth + 1)))"
      default: return "(\(expr(.text, depth + 1)) ?? \"d\")"
      }
    case .date:
      if leaf { return c.pick(["a.day", "2026-01-01", "today", "2024-02-29", "9999-12-31"]) }
      switch c.below(3) {
      case 0: return "(\(expr(.date, depth + 1)) + \(c.pick(["30d", "1y", "1mo", "2w"])))"
      case 1: return "(\(expr(.date, depth + 1)) - \(c.pick(["1y6mo", "1d", "12mo"])))"
      default: return "(if \(expr(.bool, depth + 1)) then \(expr(.date, depth + 1)) else \(expr(.date, depth + 1)))"
      }
    case .level:
      if leaf || c.chance(2) { return "a.e" }
      return "(if \(expr(.bool, depth + 1)) then a.e else \(c.pick(["low", "mid", "high"])))"
    }
  }

  /// A condition on one item of a.items: `.field`, or with `bound` (in a quantifier over `i`) also `i.field`.
  mutating func itemCondition(_ depth: Int, bound: Bool = false) -> String {
    let p = bound && c.chance(2) ? "i" : ""
    return c.pick([
      "\(p).v > \(c.pick(["0", "2", "a.n"]))", "\(p).w is missing", "\(p).amt >= \(c.pick(["100 CNY", "a.cash"]))",
      "(\(p).w ?? \"\") contains \"x\"", "\(p).at < 2026-05-02T00:00:00+08:00",
    ])
  }

  /// A whole rulebook.
  mutating func rulebook() -> String {
    var y = "precept: 1\nrulebook: fuzz.evaluate\n" + (c.chance(4) ? "effective: \(c.pick(["2026-01-01", "2027-01-01"]))\n" : "")
    y += schema
    if c.chance(3) {
      hasTable = true
      let hit = c.pick(["first", "unique", "priority", "any", "collect", "collect"])
      y += """
        tables:
          band:
            hit: \(hit)
            inputs: [a.n, a.e]
            rows:
              - [< 0, "-", 0]
              - ["[0..10]", "low, mid", 1]
              - ["> 10", "not(low)", 2]
              - [\(hit == "unique" || hit == "any" ? "\"[0..10]\"" : "\"-\""), high, 3]

        """
      if hit == "priority" { y += "    priority: [3, 2, 1, 0]\n" }
      if hit == "collect" { y += "    aggregate: \(c.pick(["sum", "max", "count"]))\n" }
      if hit != "collect", c.chance(2) { y += "    default: 9\n" }
    }
    let definitionCount = c.below(4)
    if definitionCount > 0 {
      y += "definitions:\n"
      for k in 0..<definitionCount {
        let kind = c.pick(Kind.allCases)
        y += "  d\(k): \(quoted(expr(kind)))\n"
        definitions.append(("d\(k)", kind))
      }
    }
    let ruleCount = 1 + c.below(4)
    y += "rules:\n"
    for r in 0..<ruleCount {
      y += "  - id: R\(r)\n    severity: \(c.pick(["block", "review", "warning", "info"]))\n"
      if c.chance(4) { y += "    stage: [\(c.pick(["design", "approval, launch", "exit"]))]\n" }
      if c.chance(3) { y += "    when: \(quoted(expr(.bool)))\n" }
      y += "    \(c.pick(["require", "forbid", "flag"])): \(quoted(expr(.bool)))\n"
      if c.chance(2) {
        let k = c.pick(Kind.allCases)
        y += "    message: \(quoted("R\(r) {\(expr(k))} and {{braces}}"))\n"
      }
      if c.chance(5), r + 1 < ruleCount { y += "    overrides: [R\(r + 1 + c.below(ruleCount - r - 1))]\n" }
      if c.chance(6) { y += "    effective: { \(c.pick(["from: 2026-12-01", "until: 2026-01-31", "from: 2026-01-01, until: 2026-12-31"])) }\n" }
      y += "    cite: fuzz\n"
    }
    return y
  }

  /// A facts line for the schema: values of every shape, nulls and absences for optionals.
  mutating func facts() -> String {
    var fields: [String] = []
    func add(_ name: String, _ value: String?) { if let value { fields.append("\"\(name)\":\(value)") } }
    func optional(_ value: String) -> String? { c.chance(3) ? (c.chance(2) ? nil : "null") : value }
    let ints = ["0", "1", "-5", "42", "10", "11", "100000", "9223372036854775807", "3e2"]
    add("n", c.pick(ints))
    add("m", optional(c.pick(ints)))
    add("d", c.pick(["0", "1.5", "-0.001", "123456789.123456789012", "1e-3"]))
    add("p", c.pick(["\"5%\"", "0.18", "\"0%\"", "\"-3%\"", "1"]))
    add("cash", c.pick(["\"100 CNY\"", "\"0 CNY\"", "\"49999.99 CNY\"", "{\"amount\": 12.5, \"currency\": \"CNY\"}"]))
    add("owed", optional(c.pick(["\"1 CNY\"", "\"1000000 CNY\""])))
    add("t", c.pick(["\"x\"", "\"保本收益\"", "\"\"", "\"abc\"", "\"保 本\"", "\"\\u00e9\""]))
    add("e", c.pick(["\"low\"", "\"mid\"", "\"high\""]))
    add("b", c.pick(["true", "false"]))
    add("ob", optional(c.pick(["true", "false"])))
    add("day", c.pick(["\"2026-01-01\"", "\"2000-02-29\"", "\"2026-11-23\"", "\"1900-01-01\""]))
    add("at", optional("\"2026-05-01T10:00:00+08:00\""))
    add("xs", "[" + (0..<c.below(4)).map { _ in c.pick(ints) }.joined(separator: ",") + "]")
    let items = (0..<c.below(4)).map { _ -> String in
      var item = ["\"v\":\(c.pick(ints))", "\"amt\":\(c.pick(["\"10 CNY\"", "\"45000 CNY\"", "\"0.01 CNY\""]))",
                  "\"at\":\(c.pick(["\"2026-05-01T10:00:00+08:00\"", "\"2026-05-01T23:59:59Z\"", "\"2026-05-03T00:00:00+08:00\""]))"]
      if let w = optional(c.pick(["\"x\"", "\"y\""])) { item.append("\"w\":\(w)") }
      return "{" + item.joined(separator: ",") + "}"
    }
    add("items", "[" + items.joined(separator: ",") + "]")
    var stage = ""
    if c.chance(3) { stage = ",\"product\":{\"stage\":\"\(c.pick(["design", "launch", "exit"]))\"}" }
    return "{\"a\":{" + fields.joined(separator: ",") + "}" + stage + "}"
  }

  /// An expression as a YAML single-quoted scalar.
  func quoted(_ s: String) -> String { "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'" }
}

extension Array {
  fileprivate func randomElementUsing(_ c: inout Choices) -> Element? { isEmpty ? nil : self[c.below(count)] }
}

/// The oracle: the reference interpreter of the tests (Tests/PreceptTests/Reference), a plain
/// tree-walker over the rule graph, must give every rule the same status, message and reason.
private func compareWithReference(_ book: CompiledRulebook, _ values: [Value], stage: Stage?, rulebook: String, facts: String, decision: Decision) {
  let want = ReferenceInterpreter(book).decide(values, asOf: Fuzz.asOf, stage: stage)
  let got = decision.results.map { ReferenceInterpreter.Result(rule: $0.rule.id, status: $0.status, message: $0.message, reason: $0.reason) }
  guard got != want else { return }
  let first = zip(got, want).first { $0 != $1 }.map { "optimised \($0.0)\n  reference \($0.1)" } ?? "\(got.count) results, \(want.count) expected"
  Fuzz.require(false, "the evaluator and the reference differ:\n  \(first)\n--- rulebook:\n\(rulebook)\n--- facts: \(facts)")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  var g = Generator(c: Choices(bytes: Fuzz.bytes(start, count)))
  let text = g.rulebook()
  let factsLine = g.facts()
  guard let linted = Fuzz.lint(Array(text.utf8), imports: false) else { return 0 }
  Fuzz.render(linted.checked.diagnostics, files: linted.files)
  if linted.checked.diagnostics.hasErrors {
    if getenv("PRECEPT_FUZZ_VERBOSE") != nil {
      print("--- not checked:\n\(text)\n" + linted.checked.diagnostics.filter { $0.severity == .error }.map { "\($0.code.rawValue) \($0.span.start.line):\($0.span.start.column) \($0.message)" }.joined(separator: "\n"))
    }
    return 0
  }
  guard let unit = linted.unit else { return 0 }
  let book = Compile.rulebook(linted.checked, unit: unit)
  let session = Session(rulebooks: [book])
  let line = Array(factsLine.utf8)

  // The facts through both doors: a JSON line, and a `.json` facts file.
  let viaLine = line.withUnsafeBufferPointer { JSONFactsReader.LineReader(FactsPlan(book.roots), shape: .keyed).read($0) }
  guard case .success(let doc) = FactsDocument.parse(path: "facts.json", bytes: line) else {
    Fuzz.require(false, "the generated facts are not JSON: \(factsLine)")
    return 0
  }
  let viaFile = session.facts(doc)
  switch (viaLine, viaFile) {
  case (.success(let values), .success(let facts)):
    Fuzz.require(facts.inputs.count == 1 && facts.inputs[0].values == values, "the line and the file read differently: \(factsLine)")
    let plain = Fuzz.decideBothWays(book, values, stage: facts.stage)
    compareWithReference(book, values, stage: facts.stage, rulebook: text, facts: factsLine, decision: plain)
    // `check` and `eval` decide alike.
    let checked = session.decide(doc, asOf: Fuzz.asOf)
    guard case .success(let decided) = checked, let viaCheck = decided.decisions.first else {
      Fuzz.require(false, "check refused facts the reader accepted: \(factsLine)")
      return 0
    }
    Fuzz.require(Fuzz.summary(viaCheck) == Fuzz.summary(plain), "check and evaluate differ")
    var out = OutputBytes()
    let usable = line.withUnsafeBufferPointer { LineDecider(session, asOf: Fuzz.asOf, stage: nil).decide($0, number: 1, into: &out) }
    Fuzz.require(usable, "eval refused facts check accepted: \(factsLine)")
    let written = out.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    let file = SourceFile(path: "out.json", text: written)
    guard let root = JSONTree.load(file).0, case .mapping(let pairs) = root.kind,
      let results = pairs.first(where: { $0.name == "results" })?.value, case .sequence(let items) = results.kind
    else {
      Fuzz.require(false, "eval wrote no decision: \(written)")
      return 0
    }
    let viaEval = items.map { "\($0.text(at: ["rule"]) ?? "?")=\($0.text(at: ["status"]) ?? "?")" }
    Fuzz.require(viaEval == plain.results.map { "\($0.rule.id)=\($0.status.rawValue)" }, "eval and check decide differently:\n  eval: \(viaEval)\n  \(Fuzz.summary(plain))")
  case (.failure(let a), .failure(let b)):
    Fuzz.require(a.errors.map(\.description) == b.errors.map(\.description), "the line and the file are refused for different reasons:\n  line: \(a)\n  file: \(b)")
  default:
    Fuzz.require(false, "one door accepted the facts and the other refused them: \(factsLine)\n  line: \(viaLine)\n  file: \(viaFile)")
  }
  return 0
}
