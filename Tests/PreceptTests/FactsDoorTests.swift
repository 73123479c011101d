import PreceptTestSupport
import Foundation
import Testing

@testable import Precept

/// One door for facts: the tree reader (`check`, `trace`, `test`, the Swift API, over a YAML or
/// `.json` file) and the JSON Lines reader (`eval`) accept, refuse and read the same documents
/// alike, with the same words; and the shipped examples are decided alike through every door.
@Suite struct FactsDoorTests {
  static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// Two roots (so a line is always keyed), every type a fact can have.
  static let schema: [Field] = [
    Field(name: "a", type: .record(RecordType([
      Field(name: "n", type: .int), Field(name: "d", type: .decimal), Field(name: "p", type: .percent),
      Field(name: "m", type: .money("CNY")), Field(name: "any", type: .optional(.money(nil))),
      Field(name: "day", type: .optional(.date)), Field(name: "at", type: .optional(.datetime)),
      Field(name: "span", type: .optional(.duration)), Field(name: "t", type: .text),
      Field(name: "e", type: .enumeration(EnumType(["low", "high"]))), Field(name: "ok", type: .optional(.bool)),
      Field(name: "xs", type: .list(.record(RecordType([Field(name: "v", type: .int), Field(name: "w", type: .optional(.text))])))),
    ]))),
    Field(name: "b", type: .optional(.record(RecordType([Field(name: "k", type: .list(.decimal))])))),
  ]

  /// What a reader made of a document: values, the facts errors, or why the text is not JSON.
  enum Reading: Equatable {
    case values([Value])
    case errors([String])
    case notJSON(String)
  }

  static func viaTree(_ text: String, _ plan: FactsPlan) -> Reading {
    switch FactsDocument.parse(path: "facts.json", text: text) {
    case .failure(let e):
      let m = e.diagnostics.first?.message ?? "?"
      return .notJSON(m.hasPrefix("not valid JSON: ") ? String(m.dropFirst("not valid JSON: ".count)) : m)
    case .success(let doc):
      switch FactsReader.read(doc.root, plan: plan) {
      case .success(let v): return .values(v)
      case .failure(let e): return .errors(e.errors.map(\.description))
      }
    }
  }

  static func viaLine(_ text: String, _ reader: JSONFactsReader.LineReader) -> Reading {
    switch Array(text.utf8).withUnsafeBufferPointer({ reader.read($0) }) {
    case .success(let v): return .values(v)
    case .failure(let e):
      if e.errors.count == 1, e.errors[0].path.isEmpty, let r = e.errors[0].message.range(of: #"^not valid JSON at byte \d+: "#, options: .regularExpression) {
        return .notJSON(String(e.errors[0].message[r.upperBound...]))
      }
      return .errors(e.errors.map(\.description))
    }
  }

  // MARK: - Random documents

  struct Gen {
    var rng: SplitMix64

    mutating func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
    mutating func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }

    /// A scalar that fits one of the types, or not: numbers of every shape, texts of every kind.
    mutating func scalar() -> JSON {
      switch rng.next() % 12 {
      case 0: return .number(pick(["0", "-0", "30", "30.0", "3e1", "1.5e-3", "1e-13", "1e27", "0.18", "18", "1.0000000000000", "-2.5", "170141183460469231731687303715884105727"]))
      case 1: return .string(pick(["18%", "17.9%", "0.18", "abc%", "1e3%"]))
      case 2: return .string(pick(["100 CNY", "1_000.50 CNY", "5 USD", "CNY", "12"]))
      case 3: return .string(pick(["2026-01-01", "2026-02-30", "2026-1-1"]))
      case 4: return .string(pick(["2026-01-01T09:30:00+08:00", "2026-01-01T09:30:00", "24h"]))
      case 5: return .string(pick(["30d", "2w", "soon"]))
      case 6: return .string(pick(["low", "high", "hgh", "LOW", ""]))
      case 7: return .string(pick(["保本", "零风险", "a\nb", "\u{1B}[2K", "x\"y", "é"]))
      case 8: return .bool(chance(50))
      case 9: return .null
      case 10: return .object([("amount", pick([.number("12.5"), .string("12.5"), .null])), ("currency", pick([.string("CNY"), .string("USD"), .string("??")]))])
      default: return .array([])
      }
    }

    mutating func record(_ fields: [Field]) -> JSON {
      var pairs: [(String, JSON)] = []
      for f in fields where !chance(3) { pairs.append((f.name, value(f.type))) }
      if chance(20) { pairs.append((pick(["extra", "note", "x"]), pick([.number("1"), .array([.object([("a", .string("}"))])]), .null]))) }
      if chance(30) { pairs.shuffle(using: &rng) }
      return .object(pairs)
    }

    mutating func value(_ type: ValueType) -> JSON {
      if chance(4) { return scalar() }
      switch type {
      case .optional(let t): return chance(10) ? .null : value(t)
      case .record(let r): return record(r.fields)
      case .list(let e): return .array((0..<Int(rng.next() % 3)).map { _ in value(e) })
      case .int: return .number(pick(["0", "42", "-7", "1e3", "30.0"]))
      case .decimal: return .number(pick(["0.1", "2.5", "1500", "1.5e-3"]))
      case .percent: return chance(50) ? .number(pick(["0.18", "0.05"])) : .string(pick(["18%", "4.35%"]))
      case .money: return chance(70) ? .string(pick(["100 CNY", "2500.50 CNY"])) : .object([("amount", .number("12.5")), ("currency", .string("CNY"))])
      case .date: return .string("2026-01-01")
      case .datetime: return .string("2026-01-01T09:30:00+08:00")
      case .duration: return .string(pick(["24h", "30d"]))
      case .text: return .string(pick(["x", "保本", "é"]))
      case .enumeration: return .string(pick(["low", "high"]))
      case .bool: return .bool(chance(50))
      default: return scalar()
      }
    }

    /// Breaks valid JSON text in one of the ways that are easy to get wrong.
    mutating func damage(_ text: String) -> String {
      var s = Array(text.utf8)
      guard s.count > 2 else { return text }
      let at = 1 + Int(rng.next() % UInt64(s.count - 2))
      switch rng.next() % 6 {
      case 0: s.insert(UInt8(ascii: ","), at: at)
      case 1: s.remove(at: at)
      case 2: s.insert(contentsOf: Array("09".utf8), at: at)
      case 3: s.insert(0xFF, at: at)
      case 4: s.insert(contentsOf: Array(#"\x"#.utf8), at: at)
      default: s.insert(UInt8(ascii: "\n"), at: at)
      }
      return String(decoding: s, as: UTF8.self)
    }
  }

  @Test func randomDocumentsReadAlikeThroughBothDoors() {
    let plan = FactsPlan(Self.schema)
    let reader = JSONFactsReader.LineReader(plan)
    // PRECEPT_FACTS_DOOR_RUNS=200000 PRECEPT_FACTS_DOOR_SEED=7 runs longer, by hand.
    let environment = ProcessInfo.processInfo.environment
    let runs = environment["PRECEPT_FACTS_DOOR_RUNS"].flatMap(Int.init) ?? 3000
    var gen = Gen(rng: SplitMix64(state: environment["PRECEPT_FACTS_DOOR_SEED"].flatMap(UInt64.init) ?? 20_261_206))
    var counts: [String: Int] = [:]
    for n in 0..<runs {
      var text = gen.record(Self.schema).serialized()
      if n % 4 == 3 { text = gen.damage(text) }
      // The JSON writer's `\n` inside a string is an escape; a raw line break cannot be on a line.
      if text.contains("\n") { continue }
      let tree = Self.viaTree(text, plan)
      let line = Self.viaLine(text, reader)
      #expect(tree == line, "\(text)")
      switch tree {
      case .values: counts["values", default: 0] += 1
      case .errors: counts["errors", default: 0] += 1
      case .notJSON: counts["notJSON", default: 0] += 1
      }
    }
    // The generator reaches every outcome, often.
    #expect(counts["values", default: 0] > 50 && counts["errors", default: 0] > 500 && counts["notJSON", default: 0] > 300, "\(counts)")
  }

  // MARK: - Hand-written documents

  /// Each line with what both readers say of it.
  static let table: [(String, Reading)] = [
    (#"{"a":{"n":1e3,"d":1.5e-3,"p":0.18,"m":"1 CNY","t":"x","e":"low"}}"#, .values([])),
    (#"{"a":{"n":1.0000000000000,"d":0,"p":"18%","m":"1 CNY","t":"x","e":"low"}}"#, .values([])),
    (#"{"a":{"n":1,"d":0.0000000000001,"p":0.1,"m":"1 CNY","t":"x","e":"low"}}"#, .errors(["a.d: 0.0000000000001 has more than 12 decimal places"])),
    (#"{"a":{"n":1,"d":1e27,"p":0.1,"m":"1 CNY","t":"x","e":"low"}}"#, .errors(["a.d: 1e27 is beyond the largest decimal, about 1.7 × 10^26"])),
    (#"{"a":{"n":1,"d":2,"p":18,"m":"1 CNY","t":"x","e":"low"}}"#,
     .errors([#"a.p: 18 is not a percentage: write "18%", or the fraction 0.18 (a bare number is the fraction, so 18 would be 1800%)"#])),
    (#"{"a":{"n":1,"d":2,"p":0.1,"m":20000,"t":"x","e":"low"}}"#,
     .errors([#"a.m: expected an amount with its currency such as "20000 CNY" or {amount: 20000, currency: CNY}, found 20000"#])),
    (#"{"a":{"n":1.5,"d":2,"p":0.1,"m":"1 CNY","t":"x","e":"hgh"}}"#,
     .errors(["a.n: expected int, found 1.5", #"a.e: expected one of low, high, found "hgh"; did you mean high?"#])),
    (#"{"a":{"n":1,"d":2,"p":0.1,"m":"1 USD","t":"x","e":"low","xs":[{"v":"1"}]}}"#,
     .errors(["a.m: expected an amount in CNY, found 1 USD", #"a.xs[0].v: expected int, found "1""#])),
    (#"{"a":{"n":09,"d":2}}"#, .notJSON("`09` is not a JSON number (no leading zeros, `+`, bare `.` or digit separators)")),
    (#"{"a":{"n":9.,"d":2}}"#, .notJSON("`9.` is not a JSON number (no leading zeros, `+`, bare `.` or digit separators)")),
    (#"{"a":{"n":yes}}"#, .notJSON("expected a JSON value, found `yes`")),
    (#"{"a":{"t":"\x"}}"#, .notJSON(#"`\x` is not a JSON escape (use \", \\, \/, \b, \f, \n, \r, \t or \uXXXX)"#)),
    (#"{"a":{"n":1,"n":2}}"#, .notJSON("the key `n` appears twice in one object")),
    (#"{"a":{},"a":{}}"#, .notJSON("the key `a` appears twice in one object")),
    (#"{"a":{"n":1,},"b":null}"#, .notJSON("expected a key in quotes")),
    (#"{"a":{"n":1}} {}"#, .notJSON("unexpected text after the JSON value")),
    (#"{"a":{"t":"\ud800"}}"#, .notJSON(#"`\ud800` is not a JSON escape (use \", \\, \/, \b, \f, \n, \r, \t or \uXXXX)"#)),
  ]

  @Test func handWrittenDocumentsReadAlike() {
    let plan = FactsPlan(Self.schema)
    let reader = JSONFactsReader.LineReader(plan)
    for (text, want) in Self.table {
      let tree = Self.viaTree(text, plan)
      let line = Self.viaLine(text, reader)
      #expect(tree == line, "\(text)")
      switch want {
      case .values: if case .values = tree {} else { Issue.record("\(text): \(tree)") }
      default: #expect(tree == want, "\(text)")
      }
    }
  }

  /// An object of thousands of keys (past the in-place search) with one repeated far apart:
  /// refused alike, and read alike without it.
  @Test func manyKeysAndOneRepeatedFarApart() {
    let plan = FactsPlan(Self.schema)
    let reader = JSONFactsReader.LineReader(plan)
    let extra = (0..<5000).map { "\"k\($0)\":[{\"x\":\($0)}]" }.joined(separator: ",")
    let head = #"{"a":{"n":1,"d":2,"p":0.1,"m":"1 CNY","t":"x","e":"low","#
    let fine = head + extra + "}}"
    let twice = head + extra + #","k17":0}}"#
    if case .values = Self.viaLine(fine, reader) {} else { Issue.record("5,000 distinct keys refused") }
    #expect(Self.viaTree(fine, plan) == Self.viaLine(fine, reader))
    #expect(Self.viaLine(twice, reader) == .notJSON("the key `k17` appears twice in one object"))
    #expect(Self.viaTree(twice, plan) == Self.viaLine(twice, reader))
  }

  @Test func invalidUTF8IsRefusedThroughBothDoors() {
    let plan = FactsPlan(Self.schema)
    var bytes = Array(#"{"a":{"t":"x"}}"#.utf8)
    bytes.insert(0xC3, at: 11)
    let line = bytes.withUnsafeBufferPointer { JSONFactsReader.LineReader(plan).read($0) }
    #expect(line.failure?.errors.map(\.message) == ["not valid JSON at byte 11: the text is not valid UTF-8"])  // the string it is in
    // A file that is not UTF-8 is refused before it is parsed.
    guard case .failure(let e) = FactsDocument.parse(path: "f.json", bytes: bytes) else {
      Issue.record("accepted")
      return
    }
    #expect(e.diagnostics.map(\.code) == [.invalidUTF8])
  }

  @Test func yamlPlainScalarsFollowTheSameNumberPolicy() throws {
    let plan = FactsPlan(Self.schema)
    func errors(_ yaml: String) -> [String] {
      guard case .success(let doc) = FactsDocument.parse(text: yaml) else { return ["unparsable"] }
      return FactsReader.read(doc.root, plan: plan).failure?.errors.map(\.description) ?? []
    }
    let base = "a: {n: NUM, d: 2, p: 0.1, m: 1 CNY, t: x, e: low}"
    #expect(errors(base.replacingOccurrences(of: "NUM", with: "1e3")) == [])
    #expect(errors(base.replacingOccurrences(of: "NUM", with: "09")) == [#"a.n: expected int, found "09""#])
    #expect(errors(base.replacingOccurrences(of: "NUM", with: "1_000")) == [#"a.n: expected int, found "1_000""#])
    #expect(errors(base.replacingOccurrences(of: "NUM", with: "\"30\"")) == [#"a.n: expected int, found "30""#])
  }

  // MARK: - Every door decides the shipped examples alike

  /// The facts file as one JSON line, as a user would stream it (plain YAML numbers as numbers).
  static func jsonLine(_ node: YAMLNode) -> JSON {
    switch node.kind {
    case .mapping(let pairs): return .object(pairs.map { ($0.name, jsonLine($0.value)) })
    case .sequence(let items): return .array(items.map(jsonLine))
    case .scalar(let text, let style):
      guard style == .plain else { return .string(text) }
      if node.isNull { return .null }
      if text == "true" || text == "false" { return .bool(text == "true") }
      return FactNumber.matches(text) ? .number(text) : .string(text)
    }
  }

  static var examples: [String] {
    var out: [String] = []
    for dir in ["products", "applicants", "customers"] {
      let path = repo.appendingPathComponent("examples/\(dir)").path
      for f in ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() where f.hasSuffix(".yaml") {
        out.append("examples/\(dir)/\(f)")
      }
    }
    return out
  }

  @Test func everyShippedExampleIsDecidedAlikeByCheckEvalAndTheSwiftAPI() throws {
    let session = try Session(paths: [Self.repo.appendingPathComponent("rulebooks").path])
    let asOf = CivilDate(year: 2026, month: 11, day: 23)!
    let decider = LineDecider(session, asOf: asOf, stage: nil)
    #expect(Self.examples.count >= 10)
    for example in Self.examples {
      let path = Self.repo.appendingPathComponent(example).path
      let doc = try FactsDocument.read(path: path).get()
      let checked = try session.decide(doc, asOf: asOf).get()
      let viaCheck = Dictionary(uniqueKeysWithValues: checked.decisions.map { d in (d.rulebook.id, d.results.map { "\($0.rule.id)=\($0.status.rawValue)" }) })
      // eval: the same facts as one JSON line.
      var out = OutputBytes()
      let line = Self.jsonLine(doc.root).serialized()
      let usable = Array(line.utf8).withUnsafeBufferPointer { decider.decide($0, number: 1, into: &out) }
      #expect(usable, "\(example)")
      let text = out.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
      var viaEval: [String: [String]] = [:]
      for l in text.split(separator: "\n") {
        let o = try #require(try JSONSerialization.jsonObject(with: Data(l.utf8)) as? [String: Any])
        let results = (o["results"] as? [[String: Any]] ?? []).map { "\($0["rule"] ?? "")=\($0["status"] ?? "")" }
        viaEval[o["rulebook"] as? String ?? "?"] = results
      }
      #expect(viaEval == viaCheck, "\(example): check and eval differ")
      // The Swift API, one rulebook at a time, on the file's text.
      let source = try String(contentsOfFile: path, encoding: .utf8)
      for d in checked.decisions {
        let api = try d.rulebook.evaluate(facts: source, asOf: asOf)
        #expect(api.results.map { "\($0.rule.id)=\($0.status.rawValue)" } == viaCheck[d.rulebook.id], "\(example): \(d.rulebook.id) via the API")
      }
    }
  }

  // MARK: - Applicability and stage, line by line as file by file

  @Test func linesAndFilesAgreeOnApplicabilityStageAndNumbering() throws {
    let session = try Session(paths: [Self.repo.appendingPathComponent("rulebooks").path])
    let asOf = CivilDate(year: 2026, month: 11, day: 23)!
    let decider = LineDecider(session, asOf: asOf, stage: nil)
    func eval(_ line: String, number: Int = 1) -> String {
      var out = OutputBytes()
      _ = Array(line.utf8).withUnsafeBufferPointer { decider.decide($0, number: number, into: &out) }
      return out.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }
    // A misspelt root: no rulebook applies, through both doors, with the same words.
    let misspelt = #"{"prodcut": {"kind": "consumer_loan"}}"#
    let fileError = try #require(session.decide(try FactsDocument.parse(path: "f.json", text: misspelt).get(), asOf: asOf).failure)
    #expect(fileError.errors.count == 1)
    #expect(fileError.errors[0].message.contains("did you mean `product` for `prodcut`?"))
    #expect(fileError.errors[0].code == .noRulebookApplies)
    // A key no rulebook reads beside ones that apply: decided, with the key named (P0611).
    let dossier = try String(contentsOf: Self.repo.appendingPathComponent("examples/products/cl-clean.yaml"), encoding: .utf8)
    let extra = try session.decide(try FactsDocument.parse(text: dossier + "applicnt:\n  age: 30\n").get(), asOf: asOf).get()
    #expect(extra.unreadKeys == ["applicnt"])
    #expect(session.unreadKeyWarning("applicnt") == "no rulebook reads the facts' top-level key `applicnt`; did you mean `applicant`?")
    let lineOut = eval(misspelt, number: 7)
    #expect(lineOut == "{\"line\":7,\"error\":" + JSON.string(fileError.errors[0].message).serialized() + "}\n")
    // An unknown stage is an error, not "every stage".
    let badStage = #"{"product": {"stage": "aproval"}}"#
    let stageError = try #require(session.decide(try FactsDocument.parse(path: "f.json", text: badStage).get(), asOf: asOf).failure)
    #expect(stageError.errors.map(\.description) == [#"product.stage: expected one of planning, design, approval, launch, operation, exit, found "aproval"; did you mean approval?"#])
    #expect(eval(badStage) == "{\"line\":1,\"error\":" + JSON.string(stageError.errors[0].description).serialized() + "}\n")
  }
}

extension Result {
  fileprivate var failure: Failure? {
    if case .failure(let e) = self { return e }
    return nil
  }
}
