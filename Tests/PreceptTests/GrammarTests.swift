import Testing
@testable import Precept

/// Keeps `grammar/precept.ebnf` true to the parser: its examples must parse, and it must name every
/// keyword, symbol and operator, so a new one cannot be added without updating the grammar.
@Suite struct GrammarTests {
  /// The grammar's text, found from this file's place: Tests/PreceptTests/ → package root.
  static let grammar: String = {
    var path = #filePath
    for _ in 0..<3 {
      guard let slash = path.lastIndex(of: "/") else { return "" }
      path = String(path[..<slash])
    }
    switch Disk.readFile(path + "/grammar/precept.ebnf") {
    case .success(let bytes): return String(decoding: bytes, as: UTF8.self)
    case .failure: return ""
    }
  }()

  /// The text of every line `(* <tag>: … *)`.
  static func examples(_ tag: String) -> [String] {
    let prefix = "(* \(tag): "
    return grammar.split(separator: "\n").compactMap { line -> String? in
      let l = String(line).trimmingSpaces
      guard l.hasPrefix(prefix), l.hasSuffix(" *)") else { return nil }
      return String(l.dropFirst(prefix.count).dropLast(3))
    }
  }

  /// The grammar without its comments: the rules themselves.
  static let rules: String = {
    var out = ""
    var depth = 0
    var rest = grammar[...]
    while let c = rest.first {
      if rest.hasPrefix("(*") {
        depth += 1
        rest = rest.dropFirst(2)
      } else if depth > 0, rest.hasPrefix("*)") {
        depth -= 1
        rest = rest.dropFirst(2)
      } else {
        if depth == 0 { out.append(c) }
        rest = rest.dropFirst()
      }
    }
    return out
  }()

  @Test func grammarFileIsFound() {
    #expect(Self.grammar.contains("expression"), "grammar/precept.ebnf not found from \(#filePath)")
  }

  @Test func hasAtLeastFortyExamples() {
    #expect(Self.examples("example").count >= 40)
    #expect(Self.examples("example-type").count >= 5)
  }

  @Test(arguments: examples("example"))
  func exampleParsesAndReprints(_ text: String) {
    let (e, d) = Parser.parse(ExprSource(text))
    #expect(d.isEmpty, "\(text): \(d.map(\.message))")
    #expect(!e.containsError)
    let (again, d2) = Parser.parse(ExprSource(e.source))
    #expect(d2.isEmpty, "printed as \(e.source): \(d2.map(\.message))")
    #expect(again.shape == e.shape, "printed as \(e.source)")
  }

  @Test(arguments: examples("example-type"))
  func exampleTypeParses(_ text: String) {
    let (t, d) = TypeParser.parse(ExprSource(text))
    #expect(t != nil)
    #expect(d.isEmpty, "\(text): \(d.map(\.message))")
  }

  @Test(arguments: examples("example-message"))
  func exampleMessageReads(_ text: String) {
    let (root, yamlDiagnostics, file) = loadYAML("m: " + yamlQuoted(text) + "\n")
    #expect(yamlDiagnostics.isEmpty)
    guard let node = root?["m"] else {
      Issue.record("no YAML node for \(text)")
      return
    }
    var reader = NodeReader(file: file)
    let message = reader.message(node)
    #expect(reader.diagnostics.isEmpty, "\(text): \(reader.diagnostics.map(\.message))")
    #expect(message?.parts.contains { if case .placeholder = $0 { true } else { false } } == true)
  }

  @Test(arguments: examples("example-cell"))
  func exampleCellReads(_ text: String) {
    let yaml = "t:\n  inputs: [x]\n  rows:\n    - [" + yamlQuoted(text) + ", 1]\n"
    let (root, yamlDiagnostics, file) = loadYAML(yaml)
    #expect(yamlDiagnostics.isEmpty)
    guard let root else {
      Issue.record("no YAML for \(text)")
      return
    }
    var reader = NodeReader(file: file)
    let tables = reader.tables(root)
    #expect(reader.diagnostics.isEmpty, "\(text): \(reader.diagnostics.map(\.message))")
    #expect(tables.first?.rows.first?.cells.count == 1, "\(text)")
  }

  /// Between them the examples use every form of expression, literal and operator.
  @Test func examplesCoverEveryForm() {
    var seen: Set<String> = []
    for text in Self.examples("example") {
      var work = [Parser.parse(ExprSource(text)).expr]
      while let e = work.popLast() {
        seen.formUnion(Self.forms(e))
        work += e.children
      }
    }
    var wanted: Set<String> = [
      "literal", "name", "implicitMember", "member", "index", "call", "labelled argument", "unary -", "unary not",
      "between", "not between", "is missing", "is present", "conditional", "filter", "list",
      "int", "decimal", "percent", "money", "date", "datetime", "duration", "string", "bool",
      "any", "all", "none",
    ]
    wanted.formUnion(BinaryOp.allCases.map { "binary \($0.rawValue)" })
    #expect(wanted.subtracting(seen).isEmpty, "no example for: \(wanted.subtracting(seen).sorted())")
  }

  /// What an expression's outermost node shows of the grammar. The switches are exhaustive, so a
  /// new kind of expression or literal does not compile until it is named here.
  static func forms(_ e: Expr) -> [String] {
    switch e.kind {
    case .literal(let l):
      let kind: String
      switch l {
      case .int: kind = "int"
      case .decimal: kind = "decimal"
      case .percent: kind = "percent"
      case .money: kind = "money"
      case .date: kind = "date"
      case .datetime: kind = "datetime"
      case .duration: kind = "duration"
      case .string: kind = "string"
      case .bool: kind = "bool"
      }
      return ["literal", kind]
    case .name: return ["name"]
    case .implicitMember: return ["implicitMember"]
    case .member: return ["member"]
    case .index: return ["index"]
    case .call(_, let args, _): return ["call"] + (args.contains { $0.label != nil } ? ["labelled argument"] : [])
    case .unary(let op, _): return ["unary \(op == .not ? "not" : "-")"]
    case .binary(let op, _, _): return ["binary \(op.rawValue)"]
    case .between(_, _, _, let negated): return [negated ? "not between" : "between"]
    case .presence(_, let missing): return [missing ? "is missing" : "is present"]
    case .conditional: return ["conditional"]
    case .filter: return ["filter"]
    case .quantifier(let q, _, _, _): return [q.rawValue]
    case .list: return ["list"]
    case .error: return ["error"]
    }
  }

  @Test(arguments: Keyword.allCases)
  func namesKeyword(_ k: Keyword) {
    let named = Self.rules.contains("\"\(k.rawValue)\"")
    #expect(named, "grammar/precept.ebnf has no rule with the keyword `\(k.rawValue)`")
  }

  @Test(arguments: Symbol.allCases)
  func namesSymbol(_ s: Symbol) {
    let named = Self.rules.contains("\"\(s.rawValue)\"")
    #expect(named, "grammar/precept.ebnf has no rule with the symbol `\(s.rawValue)`")
  }

  /// Each operator's words appear in a rule in order (`"not" , "in"`), and in some example.
  @Test(arguments: BinaryOp.allCases)
  func namesOperator(_ op: BinaryOp) {
    let terminals = op.rawValue.split(separator: " ").map { "\"\($0)\"" }.joined(separator: " , ")
    let named = Self.rules.contains(terminals)
    #expect(named, "grammar/precept.ebnf has no rule with \(terminals)")
    let used = Self.examples("example").contains { " \($0) ".contains(" \(op.rawValue) ") }
    #expect(used, "no example uses `\(op.rawValue)`")
  }

  @Test func namesEveryDurationUnitAndType() {
    let words = Lexer.durationUnits.sorted() + TypeParser.allNames.sorted()
    let missing = words.filter { !Self.rules.contains("\"\($0)\"") }
    #expect(missing.isEmpty, "grammar/precept.ebnf has no rule with: \(missing)")
  }

  @Test func examplesStayInsideTheirComments() {
    // `*)` or `(*` inside an example would end or open a comment early.
    for text in Self.examples("example") + Self.examples("example-type") + Self.examples("example-message") + Self.examples("example-cell") {
      #expect(!text.contains("*)") && !text.contains("(*"), "\(text)")
    }
  }

  private func yamlQuoted(_ s: String) -> String {
    "'" + s.replacingAll("'", with: "''") + "'"
  }
}

extension String {
  fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for c in self { if c == target { out += replacement } else { out.append(c) } }
    return out
  }
}
