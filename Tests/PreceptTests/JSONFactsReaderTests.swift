import Testing

@testable import Precept

/// The JSONL reader of `precept eval`: a compiled plan read line after line, keys in any order.
@Suite struct JSONFactsReaderTests {
  static let applicant = [Field(name: "applicant", type: .record(RecordType([
    Field(name: "age", type: .int), Field(name: "income", type: .decimal),
    Field(name: "status", type: .enumeration(EnumType(["employed", "retired"]))), Field(name: "note", type: .optional(.text)),
  ])))]

  static func read(_ line: String, _ plan: JSONFactsReader.Plan) -> Result<[Value], FactsErrors> {
    Array(line.utf8).withUnsafeBufferPointer { JSONFactsReader.read($0, plan: plan) }
  }

  static func errors(_ r: Result<[Value], FactsErrors>) -> [String] {
    if case .failure(let e) = r { return e.errors.map(\.description) }
    return []
  }

  @Test func keysInAnyOrderEscapedOrRepeated() throws {
    let plan = JSONFactsReader.Plan(Self.applicant)
    let expected: [Value] = [.record([.number(Fixed(30)), .number(Fixed(1500)), .enumCase(1), .missing])]
    // One plan, many lines: schema order, reversed order, unknown keys between, an escaped key.
    for line in [
      #"{"age":30,"income":1500,"status":"retired"}"#,
      #"{"status":"retired","income":1500,"age":30}"#,
      #"{"x":[1,{"age":2}],"age":30,"y":"age","income":1.5e3,"status":"retired","note":null}"#,
      #"{"\u0061ge":30,"income":1500,"st\u0061tus":"retired"}"#,
      #"{ "age" : 30 , "income" : 1500.000 , "status" : "retired" }"#,
    ] {
      #expect(try Self.read(line, plan).get() == expected, "\(line)")
    }
    // A repeated key refuses the line (as a YAML or JSON facts file with one is refused).
    #expect(Self.errors(Self.read(#"{"age":31,"income":1500,"status":"retired","age":30}"#, plan)) == [
      "not valid JSON at byte 44: the key `age` appears twice in one object"
    ])
    #expect(Self.errors(Self.read(#"{"age":30,"income":1500,"status":"retired","x":1,"\u0078":2}"#, plan)) == [
      "not valid JSON at byte 50: the key `x` appears twice in one object"
    ])
    // A key that starts like a field's name is another key.
    #expect(Self.errors(Self.read(#"{"ages":30,"income":1500,"status":"retired"}"#, plan)) == [
      "applicant.age: required fact is missing (expected int)"
    ])
  }

  /// A record of more than 64 fields: every field past the 64th is kept when given, and
  /// reported when required and absent, whichever fields before it are missing.
  @Test func recordsWiderThanSixtyFourFields() throws {
    let fields = (0..<70).map { Field(name: "f\($0)", type: $0 == 66 ? .int : .optional(.int)) }
    let plan = JSONFactsReader.Plan([Field(name: "wide", type: .record(RecordType(fields)))])
    // f3 absent (optional), f66 and f69 given, out of order.
    let given = try Self.read(#"{"f69":9,"f0":1,"f66":6}"#, plan).get()
    guard case .record(let values) = given.first else { throw TestFailure("not a record") }
    #expect(values[0] == .number(Fixed(1)))
    #expect(values[3] == .missing)
    #expect(values[66] == .number(Fixed(6)))
    #expect(values[69] == .number(Fixed(9)))
    #expect(values[68] == .missing)
    // Every field before 64 given, the required f66 not: it is reported.
    let first64 = (0..<64).map { "\"f\($0)\":\($0)" }.joined(separator: ",")
    #expect(Self.errors(Self.read("{" + first64 + "}", plan)) == ["wide.f66: required fact is missing (expected int)"])
  }

  @Test func inOrderLinesThatStrayAreReadTheGeneralWay() throws {
    let plan = JSONFactsReader.Plan(Self.applicant)
    // In order up to a point, then: a null, an extra key after the last field, a key repeated.
    #expect(Self.errors(Self.read(#"{"age":30,"income":null,"status":"retired"}"#, plan)) == [
      "applicant.income: expected decimal, found nothing"
    ])
    let extra = Self.read(#"{"age":30,"income":1,"status":"retired","note":"n","more":{"x":[1]}}"#, plan)
    #expect(try extra.get() == [.record([.number(Fixed(30)), .number(Fixed(1)), .enumCase(1), .text("n")])])
    #expect(Self.errors(Self.read(#"{"age":30,"age":"x","status":"retired"}"#, plan)) == [
      "not valid JSON at byte 11: the key `age` appears twice in one object"
    ])
    // A problem in a nested value is reported once, with its path.
    let nested = [Field(name: "c", type: .record(RecordType([
      Field(name: "xs", type: .list(.record(RecordType([Field(name: "a", type: .int)])))), Field(name: "b", type: .bool),
    ])))]
    let r = Self.read(#"{"xs":[{"a":1},{"a":true},{"a":3}],"b":true}"#, JSONFactsReader.Plan(nested))
    #expect(Self.errors(r) == ["c.xs[1].a: expected int, found true"])
  }

  @Test func wholeNumbersForInts() throws {
    let plan = JSONFactsReader.Plan(Self.applicant)
    for (age, value) in [("30.0", 30), ("3e1", 30), ("300e-1", 30), ("-0", 0), ("30.000000000000", 30)] {
      let r = Self.read(#"{"age":\#(age),"income":1,"status":"employed"}"#, plan)
      #expect(try r.get() == [.record([.number(Fixed(value)), .number(Fixed(1)), .enumCase(0), .missing])], "\(age)")
    }
    for (age, shown) in [("30.5", "30.5"), ("3.05e1", "3.05e1"), ("30.000000000001", "30.000000000001")] {
      let r = Self.read(#"{"age":\#(age),"income":1,"status":"employed"}"#, plan)
      #expect(Self.errors(r) == ["applicant.age: expected int, found \(shown)"], "\(age)")
    }
  }

  @Test func onlyTheFirstKeyDecidesKeyedOrFlat() throws {
    let plan = JSONFactsReader.Plan(Self.applicant)
    let keyed = Self.read(#"{"applicant":{"age":30,"income":1,"status":"employed"}}"#, plan)
    #expect(try keyed.get() == [.record([.number(Fixed(30)), .number(Fixed(1)), .enumCase(0), .missing])])
    // The root after another key: the line is read as a flat applicant record.
    let later = Self.read(#"{"x":1,"applicant":{"age":30,"income":1,"status":"employed"}}"#, plan)
    #expect(Self.errors(later) == [
      "applicant.age: required fact is missing (expected int)", "applicant.income: required fact is missing (expected decimal)",
      "applicant.status: required fact is missing (expected enum(employed, retired))",
    ])
  }

  @Test func pathsThroughListsAndAmounts() throws {
    let schema = [Field(name: "customer", type: .record(RecordType([
      Field(name: "txns", type: .list(.record(RecordType([Field(name: "amount", type: .money("CNY")), Field(name: "ts", type: .int)])))),
      Field(name: "tags", type: .list(.text)),
    ])))]
    let plan = JSONFactsReader.Plan(schema)
    let good = Self.read(#"{"txns":[{"amount":"10 CNY","ts":1},{"amount":{"amount":2.5,"currency":"CNY"},"ts":2}]}"#, plan)
    #expect(try good.get() == [.record([
      .list([.record([.money(Money(Fixed(10), Currency("CNY")!)), .number(Fixed(1))]),
             .record([.money(Money(try Fixed.parse("2.5").get(), Currency("CNY")!)), .number(Fixed(2))])]),
      .list([]),
    ])])
    let bad = Self.read(#"{"txns":[{"amount":"10 CNY","ts":1},{"amount":{"amount":2.5},"ts":"x"},{"amount":"1 USD","ts":3}],"tags":[1]}"#, plan)
    #expect(Self.errors(bad) == [
      "customer.txns[1].amount.currency: required fact is missing (expected text)",
      "customer.txns[1].ts: expected int, found \"x\"",
      "customer.txns[2].amount: expected an amount in CNY, found 1 USD",
    ])
    // A number where text is wanted is that text, as written (as a plain YAML scalar is).
    let tagged = Self.read(#"{"txns":[],"tags":[1.50,"x"]}"#, plan)
    #expect(try tagged.get() == [.record([.list([]), .list([.text("1.50"), .text("x")])])])
  }

  @Test func aLineReaderReadsLineAfterLineAsAPlanDoes() throws {
    let schema = [Field(name: "c", type: .record(RecordType([
      Field(name: "xs", type: .list(.record(RecordType([Field(name: "a", type: .int), Field(name: "ys", type: .list(.int))])))),
      Field(name: "zs", type: .list(.text)),
    ])))]
    let plan = JSONFactsReader.Plan(schema)
    let reader = JSONFactsReader.LineReader(plan)
    let lines = [
      #"{"xs":[{"a":1,"ys":[1,2,3]},{"a":2,"ys":[]}],"zs":["p","q"]}"#,
      #"{"xs":[{"a":1,"ys":[1,2 3]},{"a":2,"ys":[4]}],"zs":["p"]}"#,
      #"{"xs":[{"a":1,"ys":[1,2,3]},{"a":2,"ys":[4]"#,
      #"{"xs":[{"a":1,"ys":[5]},{"a":2,"ys":[6,7]},{"a":3,"ys":[8]}],"zs":[]}"#,
      #"{"xs":[],"zs":["r"]}"#,
    ]
    for line in lines {
      let once = Self.read(line, plan)
      let again = Array(line.utf8).withUnsafeBufferPointer { reader.read($0) }
      #expect(again == once, "\(line)")
    }
    let last = Array(lines[3].utf8).withUnsafeBufferPointer { reader.read($0) }
    let ys: [[Int]] = [[5], [6, 7], [8]]
    #expect(try last.get() == [.record([
      .list(ys.enumerated().map { k, y in .record([.number(Fixed(k + 1)), .list(y.map { .number(Fixed($0)) })]) }), .list([]),
    ])])
    #expect(Self.errors(Array(lines[1].utf8).withUnsafeBufferPointer { reader.read($0) }) == [
      "not valid JSON at byte 25: expected `,` or `]` in a list"
    ])
  }

  /// A reader given back each line's values reads the next line into their arrays: every line
  /// still reads as a fresh plan reads it (flat or keyed, fields in order or not, missing, of the
  /// wrong type, not JSON), and values the caller kept are never written over.
  @Test func recycledValuesReadTheNextLineAsAFreshReaderWould() throws {
    let schema = Self.applicant + [Field(name: "loan", type: .record(RecordType([
      Field(name: "amount", type: .money(nil)), Field(name: "term", type: .int),
    ])))]
    let single = JSONFactsReader.Plan(Self.applicant)
    let double = JSONFactsReader.Plan(schema)
    let lines = [
      #"{"age":30,"income":1500,"status":"retired"}"#,
      #"{"age":41,"income":12.0,"status":"employed","note":"x"}"#,
      #"{"applicant":{"age":52,"income":7,"status":"retired"}}"#,
      #"{"status":"retired","income":1500,"age":"thirty"}"#,
      #"{"age":30,"income":1500,"status":"retired""#,
      #"{"age":63,"note":"a longer note than fits in a small string","status":"employed"}"#,
      #"{"age":30.5,"income":-0.25,"status":"employed"}"#,
      #"{"age":19,"income":100,"status":"employed"}"#,
    ]
    let doubles = [
      #"{"applicant":{"age":30,"income":1,"status":"retired"},"loan":{"amount":{"amount":"100.00","currency":"EUR"},"term":12}}"#,
      #"{"applicant":{"age":31,"income":2,"status":"employed"}}"#,
      #"{"loan":{"term":24,"amount":{"amount":"5.50","currency":"USD"}},"applicant":{"status":"retired","age":32,"income":3}}"#,
      #"{"applicant":{"age":33,"income":4,"status":"retired"},"loan":{"amount":7,"term":36}}"#,
    ]
    for (plan, lines) in [(single, lines), (double, doubles)] {
      let reader = JSONFactsReader.LineReader(plan)
      var kept: [(values: [Value], line: String)] = []
      // Twice over, so every line is also read into the arrays of every other.
      for (n, line) in (lines + lines.reversed()).enumerated() {
        let fresh = Self.read(line, plan)
        let again = Array(line.utf8).withUnsafeBufferPointer { reader.read($0) }
        #expect(again == fresh, "\(line)")
        guard case .success(let values) = again else { continue }
        // Every other line's values are kept by the caller while given back: they must not change.
        if n % 2 == 0 { kept.append((values, line)) }
        reader.recycle(values)
      }
      for (values, line) in kept { #expect(Result.success(values) == Self.read(line, plan), "\(line)") }
    }
  }

  @Test func schemaAndPlanReadAlike() throws {
    for line in [
      #"{"age":30,"income":1500,"status":"retired"}"#, #"{"age":"x"}"#, "[]", #"{"age":30,"#, #"{"age":30} x"#,
      #"{"age":1e99999,"income":0.1234567890123,"status":"fired"}"#,
    ] {
      let viaSchema = JSONFactsReader.read(Array(line.utf8), schema: Self.applicant)
      #expect(Self.read(line, JSONFactsReader.Plan(Self.applicant)) == viaSchema, "\(line)")
    }
  }
}
