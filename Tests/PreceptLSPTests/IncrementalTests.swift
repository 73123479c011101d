import PreceptTestSupport
import Foundation
import Testing

@testable import Precept
@testable import PreceptLSP

/// The language server's re-check reuses what did not change (rules read, typed and linted, by
/// their text; whole files by their bytes). Differential: after every edit of a long sequence, the
/// reusing check gives exactly what a check from scratch — `precept lint` — gives: the same
/// diagnostics (codes, places, notes, help), the same allowed warnings, the same names and types
/// at the same places for hover and definition.
@Suite struct IncrementalTests {
  /// A rulebook with rules of every kind the lint passes judge: duplicates as text and as sets,
  /// conditions that never apply or never fail, redundant conjuncts, constants that fail, a
  /// protected attribute, exceptions, allowed warnings, unused items.
  static func rulebook(rules n: Int) -> String {
    var s = """
      precept: 1
      rulebook: t.incremental
      title: incremental
      schema:
        applicant:
          f0: int
          f1: int
          f2: int
          f3: int
          income: money
          debt: money
          age: int
          gender: enum(female, male, other)
          status: enum(employed, self_employed, retired, student)
          txns: 'list(record(amount: money, at: datetime, channel: text))'
          unused: text
      lists:
        bad_channels: [offshore, unknown, shell]
        never: [a, b]
      definitions:
        dti: applicant.debt / applicant.income
        old: applicant.age >= 60
      rules:

      """
    for r in 0..<n {
      let a = r % 4
      let b = (r * 3 + 1) % 4
      let cond: String
      switch r % 9 {
      case 0: cond = "applicant.f\(a) + applicant.f\(b) <= \(r + 100)"
      case 1: cond = "dti <= \(r % 60 + 10)% or applicant.status in [retired, student]"
      case 2: cond = "applicant.f\(a) between \(r % 10) and \(r + 500)"
      case 3: cond = "'none t in applicant.txns: t.channel in bad_channels and t.amount >= \(r * 10 + 1000) CNY'"
      case 4: cond = "if applicant.status == employed then applicant.f\(a) > \(r) else applicant.f\(b) >= \(r)"
      case 5: cond = "applicant.f\(a) > 10 and applicant.f\(a) > 5"
      case 6: cond = "applicant.age >= \(r % 3 == 0 ? 18 : 21) or old"
      case 7: cond = "applicant.gender != other and applicant.f\(b) < \(r)"
      default: cond = "applicant.f0 + applicant.f1 <= 100"
      }
      s += "  - id: R\(r)\n    title: rule \(r)\n    category: eligibility\n    owner: risk\n"
      s += "    severity: \(r % 7 == 0 ? "block" : "review")\n"
      if r % 11 == 0 { s += "    when: applicant.f\(a) > 3 and applicant.f\(a) < 2\n" }
      s += "    require: \(cond)\n"
      s += "    message: \"值 {applicant.f\(a)} 不符合第 \(r) 条\"\n"
      if r % 13 == 5 { s += "    overrides: [R\(r - 1)]\n" }
      if r % 17 == 3 { s += "    lint: { allow: [P0612], reason: kept }\n" }
      if r % 7 == 0 && r % 2 == 0 { s += "    cite: \"illustrative\"\n" }
    }
    s += "tests:\n  - name: t\n    facts: { applicant: { f0: 1 } }\n    expect: { outcome: pass }\n"
    return s
  }

  /// What a check shows an author: every diagnostic and allowed warning, every name's place,
  /// target and type.
  static func shown(_ a: Analysis) -> [String] {
    var out = a.checked.diagnostics.map { "\($0)" }
    out += a.checked.allowed.map { "allowed \($0.warning) \($0.reason)" }
    for (file, os) in a.occurrences.sorted(by: { $0.key < $1.key }) {
      out += os.map { "\(file) \($0.span.start) \($0.span.end) \($0.target) \($0.type.map { "\($0)" } ?? "-") \($0.isDeclaration)" }.sorted()
    }
    out += a.enumCases.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.sorted())" }
    return out
  }

  @Test func reusingCheckEqualsCheckFromScratch() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("precept-incremental-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("book.yaml")
    var text = Array(Self.rulebook(rules: 60).unicodeScalars)
    try String(String.UnicodeScalarView(text)).write(to: url, atomically: true, encoding: .utf8)
    let path = url.path
    let real = Disk.realPath(path) ?? path
    let load = LoadMemo()
    let check = CheckMemo()
    var rng = SplitMix64(state: 0x1_2C4EC)
    var compared = 0
    var withErrors = 0
    /// Compares; says whether the file was read as a rulebook, and whether it has errors.
    @discardableResult func compare(_ step: String) -> (read: Bool, errors: Bool) {
      let bytes = Array(String(String.UnicodeScalarView(text)).utf8)
      let reusing = Analysis.run(paths: [path], overlay: [real: bytes], load: load, check: check)
      let scratch = Analysis.run(paths: [path], overlay: [real: bytes])
      let (x, y) = (Self.shown(reusing), Self.shown(scratch))
      if x != y {
        let diff = zip(x, y).first { $0 != $1 }.map { "reusing: \($0.0)\nscratch: \($0.1)" } ?? "\(x.count) vs \(y.count) lines"
        Issue.record("after \(step): \(diff)")
      }
      compared += 1
      if scratch.checked.diagnostics.hasErrors { withErrors += 1 }
      return (!scratch.checked.project.units.isEmpty, scratch.checked.diagnostics.hasErrors)
    }
    compare("open")
    func lineStarts() -> [Int] { [0] + text.indices.filter { text[$0] == "\n" }.map { $0 + 1 } }
    func offset(of needle: String) -> Int? {
      let s = String(String.UnicodeScalarView(text))
      guard let r = s.range(of: needle) else { return nil }
      return s.unicodeScalars.distance(from: s.unicodeScalars.startIndex, to: r.lowerBound)
    }
    var undo: [[Unicode.Scalar]] = []
    var state = (read: true, errors: false)
    for step in 0..<160 {
      let starts = lineStarts()
      // An edit that breaks the YAML is mostly undone next (as an author mends it while typing),
      // one that makes an error often.
      let mend = !state.read ? rng.next() % 4 != 0 : state.errors && rng.next() % 2 == 0
      let kind = mend ? 9 : Int(rng.next() % 10)
      let before = text
      switch kind {
      case 0, 1:
        // Type a character somewhere (a digit, a space, a letter, a quote, a colon).
        let at = Int(rng.next() % UInt64(text.count))
        let c: [Unicode.Scalar] = ["7", " ", "x", "'", ":", "0", "-", "\n"]
        text.insert(c[Int(rng.next() % UInt64(c.count))], at: at)
      case 2:
        // Delete a few characters.
        let at = Int(rng.next() % UInt64(text.count))
        text.removeSubrange(at..<min(text.count, at + 1 + Int(rng.next() % 3)))
      case 3:
        // Retype a bound: the digits of some line.
        let line = starts[Int(rng.next() % UInt64(starts.count))]
        if let d = text[line...].firstIndex(where: { $0.properties.numericType != nil }) { text[d] = "9" }
      case 4:
        // Copy a rule, as is (a duplicate id and condition) or renamed.
        let rules = starts.filter { String(String.UnicodeScalarView(text[$0..<min(text.count, $0 + 7)])) == "  - id:" }
        if !rules.isEmpty {
          let k = Int(rng.next() % UInt64(rules.count))
          let end = k + 1 < rules.count ? rules[k + 1] : (offset(of: "tests:") ?? text.count)
          var copy = Array(text[rules[k]..<max(rules[k], end)])
          if rng.next() % 2 == 0, copy.count > 9 { copy.insert("X", at: 9) }
          text.insert(contentsOf: copy, at: rules[k])
        }
      case 5:
        // Insert or remove a blank line or a comment line near the top or among the rules.
        let line = starts[Int(rng.next() % UInt64(starts.count))]
        if rng.next() % 2 == 0 {
          text.insert(contentsOf: Array("  # a note\n".unicodeScalars), at: line)
        } else if line < text.count, text[line] == "\n" {
          text.remove(at: line)
        } else {
          text.insert("\n", at: line)
        }
      case 6:
        // Change the schema or a definition (every rule's checking depends on them).
        if let at = offset(of: rng.next() % 2 == 0 ? "f3: int" : "old: applicant.age >= 60") {
          let swap: [Unicode.Scalar] = rng.next() % 2 == 0 ? Array("f3: text".unicodeScalars) : Array("old: applicant.age >= 65".unicodeScalars)
          let end = text[at...].firstIndex(of: "\n") ?? text.count
          text.replaceSubrange(at..<end, with: rng.next() % 3 == 0 ? Array(text[at..<end]) : swap)
        }
      case 7:
        // Retype an operator.
        if let at = offset(of: ["<=", ">=", "between", " or ", " and "][Int(rng.next() % 5)]) {
          text.replaceSubrange(at..<(at + 2), with: Array([">", "<", "=="][Int(rng.next() % 3)].unicodeScalars))
        }
      case 8:
        // Rename an id, or a field read by rules.
        if let at = offset(of: rng.next() % 2 == 0 ? "id: R1\n" : "applicant.f2") {
          text.insert("Z", at: at + 5)
        }
      default:
        // Undo the last edit now and then (an editor's undo brings back known text).
        if step > 0 { text = undo.popLast() ?? text }
      }
      if kind != 9 { undo.append(before) }
      state = compare("step \(step) (edit kind \(kind))")
    }
    #expect(compared == 161)
    #expect(withErrors > 10 && withErrors < 140, "the edits should both break and mend the rulebook: \(withErrors)")
    #expect(check.hits > 1000 && load.hits > 1000, "little was reused: \(check.hits) checks, \(load.hits) reads")
  }
}


/// A reused rule is moved by mapping every span in it: a span-bearing field added to `Rule`,
/// `Expr`, `Typed` or `Diagnostic` and forgotten in its `mapSpans` would leave a stale place after
/// an edit above the rule. Every `Span` found by reflection must move.
@Suite struct SpanMappingTests {
  /// Every `Span` inside `value`, depth first.
  static func spans(_ value: Any) -> [Span] {
    if let s = value as? Span { return [s] }
    return Mirror(reflecting: value).children.flatMap { spans($0.value) }
  }

  @Test func everySpanOfARuleItsCheckAndItsDiagnosticsMoves() throws {
    let text = """
      precept: 1
      rulebook: t.spans
      schema: { a: { x: int, y: 'list(record(v: int))', s: text } }
      rules:
        - id: R-1
          title: every key
          description: d
          category: eligibility
          owner: risk
          stage: [design, approval]
          severity: block
          when: a.x between 1 and 9 and not (a.s matches "^x")
          require: 'any i in (a.y where .v > 1): i.v in [1, 2] and count(a.y) > 0 and (if a.x > 2 then a.x else 3) > 1'
          message: "{a.x} and {a.y[0].v}"
          cite: c
          overrides: [R-2]
          effective: { from: 2026-01-01, until: 2027-01-01 }
          justification: j
          tags: [t]
          lint: { allow: [P0612], reason: r }
        - id: R-2
          severity: info
          require: a.x > 1 and a.q > 0
      """
    let file = SourceFile(path: "t.yaml", text: text)
    let root = try #require(YAMLLoader.load(file).root)
    let (book, readDiagnostics) = RulebookReader.read(root, file: file)
    let rule = try #require(book?.rules.first)
    let shift = Shift(from: Position(line: 1, column: 1, offset: 0), to: Position(line: 4, column: 1, offset: 40))
    #expect(Self.spans(rule).count > 30)
    #expect(Self.spans(rule.mapSpans(shift.apply)) == Self.spans(rule).map(shift.apply))

    var project = Project(root: "/")
    project.units = [Project.Unit(rulebook: try #require(book), realPath: "/t.yaml", imports: [:])]
    project.files = ["t.yaml": file]
    let checked = Check.project(project)
    let c = try #require(checked.rules.first?.first)
    for t in [c.when, c.condition] + c.message.compactMap({ if case .placeholder(let t) = $0 { return t } else { return nil } }) {
      guard let t else { continue }
      #expect(Self.spans(t.mapSpans(shift.apply)) == Self.spans(t).map(shift.apply))
    }
    let diagnostics = readDiagnostics + checked.diagnostics
    #expect(diagnostics.contains { !$0.notes.isEmpty || $0.span.file == "t.yaml" })
    for d in diagnostics {
      #expect(Self.spans(d.mapSpans(shift.apply)) == Self.spans(d).map(shift.apply))
    }
  }
}
