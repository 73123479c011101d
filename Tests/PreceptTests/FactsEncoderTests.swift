import Foundation
import Testing

@testable import Precept

@Suite struct FactsEncoderTests {
  /// An applicant as an embedding application holds it: plain Swift values, `Codable`.
  struct Applicant: Codable {
    enum Segment: String, Codable { case whiteCollar = "white_collar", student, rural }
    struct Loan: Codable {
      var lender: String
      var balance: String
    }
    var age: Int
    var name: String
    var code: String
    var employed: Bool
    var segment: Segment
    var score: Int?
    var rate: String?
    var dti: String?
    var income: String
    var loans: [Loan]
  }

  static let rulebook = """
    precept: 1
    rulebook: t.swift
    schema:
      applicant:
        age: int
        name: text
        code: text
        employed: bool
        segment: enum(white_collar, student, rural)
        score: int?
        rate: decimal?
        dti: percent?
        income: money
        loans: "list(record(lender: text, balance: money))"
    rules:
      - { id: ADULT, severity: block, require: applicant.age >= 18 }
      - { id: NAMED, severity: block, require: applicant.name != "" }
      - { id: CODE, severity: block, require: applicant.code == "30" }
      - { id: EMPLOYED, severity: block, require: applicant.employed }
      - { id: NO-STUDENTS, severity: block, forbid: applicant.segment == student }
      - { id: SCORE, severity: review, require: applicant.score >= 600 }
      - { id: RATE, severity: block, require: applicant.rate <= 0.2 }
      - { id: DTI, severity: block, require: applicant.dti <= 50% }
      - { id: DEBT, severity: block, require: sum(applicant.loans.balance) <= applicant.income }
    """

  static let applicant = Applicant(
    age: 30, name: "王敏", code: "30", employed: true, segment: .whiteCollar, score: 720, rate: "0.1", dti: "18%",
    income: "20000 CNY",
    loans: [.init(lender: "ICBC", balance: "5000.50 CNY"), .init(lender: "CMB", balance: "4999.50 CNY")])

  static let sameAsYAML = """
    applicant:
      age: 30
      name: 王敏
      code: "30"
      employed: true
      segment: white_collar
      score: 720
      rate: 0.1
      dti: 18%
      income: 20000 CNY
      loans:
        - { lender: ICBC, balance: 5000.50 CNY }
        - { lender: CMB, balance: 4999.50 CNY }
    """

  @Test func roundTripGivesTheSameDecisionAsYAML() throws {
    let book = try compileRulebook(Self.rulebook)
    let fromSwift = try book.evaluate(["applicant": Self.applicant], asOf: asOf, trace: true)
    let fromYAML = try book.evaluate(facts: Self.sameAsYAML, asOf: asOf, trace: true)
    #expect(fromSwift.outcome == .pass)
    #expect(fromSwift.results.allSatisfy { $0.status == .passed })
    #expect(DecisionJSON.json(fromSwift).serialized() == DecisionJSON.json(fromYAML).serialized())

    var student = Self.applicant
    student.segment = .student
    student.loans.append(.init(lender: "BOC", balance: "10000.01 CNY"))
    let d = try book.evaluate(["applicant": student], asOf: asOf)
    #expect(d.outcome == .block)
    #expect(d.rules(.violated).map(\.rule.id) == ["NO-STUDENTS", "DEBT"])
  }

  @Test func nodesKeepTheirSwiftTypes() throws {
    let node = try FactsEncoder.encode(["applicant": Self.applicant]).get()
    guard case .mapping(let roots) = node.kind, case .mapping(let fields) = roots.first?.value.kind else {
      Issue.record("expected a mapping of a mapping")
      return
    }
    func field(_ name: String) -> YAMLNode? { fields.first { $0.name == name }?.value }
    #expect(field("age")?.scalarStyle == .plain)
    #expect(field("code")?.scalarStyle == .doubleQuoted)
    #expect(field("employed").map(YAMLText.render) == "true")
    #expect(field("segment").map(YAMLText.render) == #""white_collar""#)
    #expect(field("loans").map(YAMLText.render) == #"[{lender: "ICBC", balance: "5000.50 CNY"}, {lender: "CMB", balance: "4999.50 CNY"}]"#)
    #expect(fields.map(\.name) == ["age", "name", "code", "employed", "segment", "score", "rate", "dti", "income", "loans"])
    #expect(node.span.description == "<swift>:1:1")
    #expect(field("loans")?.span.file == "<swift>")
  }

  @Test func nilIsMissingAndTheRuleReadingItIsUnknown() throws {
    let book = try compileRulebook(Self.rulebook)
    var a = Self.applicant
    a.score = nil
    let d = try book.evaluate(["applicant": a], asOf: asOf)
    let score = try #require(d.results.first { $0.rule.id == "SCORE" })
    #expect(score.status == .unknown)
    #expect(score.missing == ["applicant.score"])
    #expect(d.outcome == .review)

    // An explicit null (not just an absent key) is missing too.
    struct Explicit: Encodable {
      var base: Applicant
      func encode(to encoder: any Encoder) throws {
        try base.encode(to: encoder)
        var c = encoder.container(keyedBy: Key.self)
        try c.encodeNil(forKey: .rate)
      }
      enum Key: CodingKey { case rate }
    }
    let e = try book.evaluate(["applicant": Explicit(base: Self.applicant)], asOf: asOf)
    #expect(e.results.first { $0.rule.id == "RATE" }?.status == .unknown)
  }

  @Test func doublesAreRefusedWithTheirPath() throws {
    struct Loan: Encodable {
      var lender: String
      var balance: Double
    }
    struct Borrower: Encodable {
      var age: Int
      var loans: [Loan]
    }
    let book = try compileRulebook(Self.rulebook)
    let borrower = Borrower(age: 30, loans: [Loan(lender: "ICBC", balance: 1), Loan(lender: "CMB", balance: 0.1)])
    let errors = try #require(failures(book.values(from: ["applicant": borrower])))
    #expect(errors.map(\.path) == ["applicant.loans[0].balance"])
    let message = try #require(errors.first?.message)
    #expect(message.contains(#"use a String such as "0.1" or an Int: binary floating point is never read as money or rates"#))
    #expect(errors.first?.span?.file == "<swift>")

    // Every root is encoded, so each root's error is reported; a Float is refused as well.
    let both = try #require(failures(book.values(from: ["x": [Float(0.5)], "applicant": borrower])))
    #expect(both.map(\.path) == ["applicant.loans[0].balance", "x[0]"])
    #expect(both.last?.message.hasPrefix("the Float 0.5 is refused") == true)
    #expect(throws: FactsErrors.self) { try book.evaluate(["applicant": borrower], asOf: asOf) }
  }

  @Test func stringsStayText() throws {
    struct Loose: Encodable {
      var age = "30"
      var name = ""
      var code = "null"
      var employed = "true"
      var segment = "white_collar"
      var income = "20000 CNY"
    }
    let book = try compileRulebook(Self.rulebook)
    let errors = try #require(failures(book.values(from: ["applicant": Loose()])))
    #expect(errors.map(\.description) == [
      #"applicant.age: expected int, found "30" (a Swift String is text: pass an Int)"#,
      #"applicant.employed: expected bool, found "true""#,
    ])
  }

  @Test func exactDecimalsTravelAsTextOrDecimal() throws {
    let book = try compileRulebook("""
      precept: 1
      rulebook: t.decimals
      schema: { x: { a: decimal, b: decimal, share: percent, fee: money } }
      rules:
        - { id: SUM, severity: block, require: x.a + x.b == 0.3 }
        - { id: SHARE, severity: block, require: x.share == 25% }
        - { id: FEE, severity: block, require: x.fee == 12.5 CNY }
      """)
    struct Text: Encodable {
      var a = "0.1"
      var b = "0.2"
      var share = "0.25"
      var fee = Fee()
      struct Fee: Encodable {
        var amount = "12.50"
        var currency = "CNY"
      }
    }
    struct Exact: Encodable {
      var a = Decimal(string: "0.1") ?? 0
      var b = Decimal(2) / 10
      var share = "25%"
      var fee = Fee()
      struct Fee: Encodable {
        var amount = Decimal(string: "12.5") ?? 0
        var currency = "CNY"
      }
    }
    for facts in [Text() as any Encodable, Exact()] {
      let d = try book.evaluate(["x": facts], asOf: asOf)
      #expect(statuses(d) == ["SUM": .passed, "SHARE": .passed, "FEE": .passed])
    }
    // Text stays text in a file: a quoted "0.1" is not a decimal there.
    #expect(throws: FactsErrors.self) { try book.evaluate(facts: #"x: { a: "0.1", b: 0.2, share: 25%, fee: 1 CNY }"#, asOf: asOf) }
    #expect(failures(book.values(from: ["x": ["a": Decimal.nan]]))?.first?.path == "x.a")
  }

  @Test func nestedContainersAndSuperEncoders() throws {
    class Base: Encodable {
      var kind = "base"
      func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(kind, forKey: .kind)
      }
      enum Key: CodingKey { case kind }
    }
    final class Derived: Base {
      override func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try super.encode(to: c.superEncoder())
        try super.encode(to: c.superEncoder(forKey: .parent))
        var limits = c.nestedContainer(keyedBy: Key.self, forKey: .limits)
        try limits.encode(3, forKey: .min)
        var list = c.nestedUnkeyedContainer(forKey: .items)
        try list.encode(true)
        var inner = list.nestedContainer(keyedBy: Key.self)
        try inner.encode("a", forKey: .min)
        var deeper = list.nestedUnkeyedContainer()
        try deeper.encodeNil()
        try super.encode(to: list.superEncoder())
        if list.count != 4 { throw TestFailure("count \(list.count)") }
        try c.encode(UInt8(7), forKey: .min)
        try c.encode(Int64(-8), forKey: .min)  // the same key again replaces the value
      }
      enum Key: CodingKey { case parent, limits, items, min }
    }
    let node = try FactsEncoder.encode(["d": Derived()]).get()
    #expect(YAMLText.render(node) == #"{d: {super: {kind: "base"}, parent: {kind: "base"}, limits: {min: 3}, items: [true, {min: "a"}, [null], {kind: "base"}], min: -8}}"#)
  }

  @Test func aMissingRootIsTheReadersError() throws {
    let book = try compileRulebook(Self.rulebook)
    let errors = try #require(failures(book.values(from: [:])))
    #expect(errors.map(\.path) == ["applicant"])
    // An optional root given as nil is an error only because `applicant` is required.
    let none: Applicant? = nil
    #expect(failures(book.values(from: ["applicant": none]))?.first?.message.contains("found nothing") == true)
  }

  private func failures(_ r: Result<[Value], FactsErrors>) -> [FactsError]? {
    if case .failure(let e) = r { return e.errors }
    return nil
  }

  /// A compact flow rendering of a node, for comparing trees in one line (keys bare, text quoted).
  enum YAMLText {
    static func render(_ n: YAMLNode) -> String {
      switch n.kind {
      case .scalar(let t, let s): s == .plain ? t : "\"\(t)\""
      case .sequence(let items): "[" + items.map(render).joined(separator: ", ") + "]"
      case .mapping(let pairs): "{" + pairs.map { "\($0.name): \(render($0.value))" }.joined(separator: ", ") + "}"
      }
    }
  }
}
