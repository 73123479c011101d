import Foundation
import PreceptTestSupport
import Testing
@testable import Precept

/// Shorthand for tests: a `Fixed` from text that is known to be valid.
private func fx(_ text: String) throws -> Fixed { try Fixed.parse(text).get() }

@Suite struct FixedTests {
  // MARK: Parsing

  @Test(arguments: [
    ("0", "0"), ("-0", "0"), ("7", "7"), ("-3.25", "-3.25"), ("0.62", "0.62"), ("50000", "50000"),
    ("1_000_000", "1000000"), ("50_000.5", "50000.5"), ("0.000_001", "0.000001"), ("007.50", "7.5"),
    ("0.000000000001", "0.000000000001"), ("-0.000000000001", "-0.000000000001"), ("1.000000000000", "1"),
    ("170141183460469231731687303.715884105727", "170141183460469231731687303.715884105727"),
    ("-170141183460469231731687303.715884105727", "-170141183460469231731687303.715884105727"),
  ])
  func parsesValid(text: String, canonical: String) throws {
    #expect(try fx(text).description == canonical)
  }

  @Test(arguments: [
    ("", ValueParseError.syntax(.number)), ("-", .syntax(.number)), ("+1", .syntax(.number)), (".5", .syntax(.number)),
    ("5.", .syntax(.number)), ("1e5", .syntax(.number)), ("1E5", .syntax(.number)), ("1,000", .syntax(.number)),
    (" 1", .syntax(.number)), ("1 ", .syntax(.number)), ("_1", .syntax(.number)), ("1_", .syntax(.number)),
    ("1__0", .syntax(.number)), ("1_.5", .syntax(.number)), ("1._5", .syntax(.number)), ("--1", .syntax(.number)),
    ("1.2.3", .syntax(.number)), ("NaN", .syntax(.number)), ("١", .syntax(.number)), ("17.9%", .syntax(.number)),
    ("0.0000000000001", .tooManyDecimalPlaces(maximum: 12)), ("1.0000000000000", .tooManyDecimalPlaces(maximum: 12)),
    ("170141183460469231731687303.715884105728", .outOfRange(.number)),
    ("-170141183460469231731687303.715884105728", .outOfRange(.number)),
    ("1000000000000000000000000000", .outOfRange(.number)),
    ("99999999999999999999999999999999999999999999", .outOfRange(.number)),
  ])
  func rejectsInvalid(text: String, error: ValueParseError) {
    #expect(Fixed.parse(text) == .failure(error))
    #expect(!error.message.isEmpty)
  }

  @Test func parsesSubstringsInPlace() throws {
    let line = "limit=50_000.25;"
    let value = line.dropFirst(6).dropLast()
    #expect(try Fixed.parse(value).get() == fx("50000.25"))
  }

  // MARK: Basics

  /// `intValue` and `isInteger` take a 64-bit path for magnitudes below 2⁷⁶: they agree with the definition
  /// (whole, then converted exactly) on random units of every size, both signs, whole or not.
  @Test func intValueAgreesWithItsDefinition() {
    var rng = SplitMix64(state: 0x1D1)
    for _ in 0..<200_000 {
      let bits = Int.random(in: 0...126, using: &rng)
      var units = Int128(truncatingIfNeeded: UInt128(rng.next()) << 64 | UInt128(rng.next())) & ((Int128(1) << bits) - 1)
      // Half of them whole.
      if Bool.random(using: &rng) { units = units / Fixed.unitsPerWhole * Fixed.unitsPerWhole }
      if Bool.random(using: &rng) { units = -units }
      let x = Fixed(units: units)
      let expected = x.units % Fixed.unitsPerWhole == 0 ? Int(exactly: x.units / Fixed.unitsPerWhole) : nil
      #expect(x.intValue == expected, "units \(units)")
      #expect(x.isInteger == (x.units % Fixed.unitsPerWhole == 0), "units \(units)")
    }
  }

  /// A whole factor is multiplied without the division by 10¹²: the same product, rounding and
  /// overflow as the general way (`product`), for wholes and fractions of every size and sign.
  @Test func wholeFactorsMultiplyAsTheGeneralWay() {
    var rng = SplitMix64(state: 0x5CA1E)
    func random() -> Fixed {
      let bits = Int.random(in: 0...126, using: &rng)
      var units = Int128(truncatingIfNeeded: UInt128(rng.next()) << 64 | UInt128(rng.next())) & ((Int128(1) << bits) - 1)
      if Bool.random(using: &rng) { units = units / Fixed.unitsPerWhole * Fixed.unitsPerWhole }
      if Bool.random(using: &rng) { units = -units }
      return Fixed(units: units)
    }
    let edges = [Fixed.zero, .one, .max, .min, Fixed(units: -Fixed.unitsPerWhole), Fixed(12), Fixed(units: Fixed.max.units / 2 + 1)]
    var pairs = edges.flatMap { a in edges.map { (a, $0) } }
    for _ in 0..<200_000 { pairs.append((random(), random())) }
    for (a, b) in pairs {
      let fast = Result { () throws(ArithmeticError) in try a.multiplied(by: b) }
      let general = Result { () throws(ArithmeticError) in try a.product(b) }
      #expect(fast == general, "\(a.units) × \(b.units)")
    }
  }

  @Test func integersAndProperties() throws {
    #expect(Fixed(5).units == 5_000_000_000_000)
    #expect(Fixed(-5).description == "-5")
    #expect(Fixed(Int.max).intValue == Int.max)
    #expect(Fixed(Int.min).intValue == Int.min)
    #expect(try fx("2.5").intValue == nil)
    #expect(try fx("100000000000000000000").intValue == nil)
    #expect(Fixed(units: Int128(1) << 76).intValue == nil)
    #expect(Fixed(units: (Int128(1) << 76) - 4096).intValue == nil)
    #expect(Fixed(units: 75_557_863_725_000_000_000_000).intValue == 75_557_863_725)
    #expect(Fixed(units: -75_557_863_725_000_000_000_000).intValue == -75_557_863_725)
    #expect(try fx("3.000").isInteger)
    #expect(try fx("-0.5").isNegative)
    #expect(!Fixed.zero.isNegative)
    #expect(try fx("-0.5").negated == fx("0.5"))
    #expect(try fx("-0.5").magnitude == fx("0.5"))
    #expect(Fixed.min.negated == Fixed.max)
    #expect(Fixed.one.description == "1")
  }

  @Test func orderAndHashFollowValue() throws {
    #expect(try fx("0.1") < fx("0.11"))
    #expect(try fx("-2") < fx("-1.5"))
    #expect(try fx("1.50") == fx("1.5"))
    #expect(try Set([fx("1.50"), fx("1.5"), fx("1.500000")]).count == 1)
  }

  // MARK: Arithmetic

  @Test func addsExactly() throws {
    #expect(try fx("0.1").adding(fx("0.2")) == fx("0.3"))
    #expect(try fx("0.1").adding(fx("0.2")).description == "0.3")
    #expect(try fx("50000").subtracting(fx("20000.01")).description == "29999.99")
  }

  @Test func multipliesAndDividesWithHalfEven() throws {
    #expect(try fx("50000").multiplied(by: fx("0.179")).description == "8950")
    #expect(try fx("0.000001").multiplied(by: fx("0.0000005")) == fx("0"))  // 5e-13: tie to even 0
    #expect(try fx("0.000001").multiplied(by: fx("0.0000015")) == fx("0.000000000002"))  // 1.5e-12 → 2e-12
    #expect(try fx("-0.000001").multiplied(by: fx("0.0000025")) == fx("-0.000000000002"))
    #expect(try fx("1").divided(by: fx("3")).description == "0.333333333333")
    #expect(try fx("2").divided(by: fx("3")).description == "0.666666666667")
    #expect(try fx("-2").divided(by: fx("3")).description == "-0.666666666667")
    #expect(try fx("10").divided(by: fx("4")).description == "2.5")
    // 0.000000000001 / 2 is exactly half a unit: ties to even (0); 3 units / 2 = 1.5 → 2.
    #expect(try fx("0.000000000001").divided(by: fx("2")) == .zero)
    #expect(try fx("0.000000000003").divided(by: fx("2")) == fx("0.000000000002"))
  }

  @Test func remainderHasSignOfDividend() throws {
    #expect(try fx("7.5").remainder(dividingBy: fx("2")) == fx("1.5"))
    #expect(try fx("-7.5").remainder(dividingBy: fx("2")) == fx("-1.5"))
    #expect(throws: ArithmeticError.divisionByZero) { try fx("1").remainder(dividingBy: .zero) }
  }

  @Test func overflowIsReportedNotTrapped() throws {
    #expect(throws: ArithmeticError.overflow) { try Fixed.max.adding(fx("0.000000000001")) }
    #expect(throws: ArithmeticError.overflow) { try Fixed.min.subtracting(fx("0.000000000001")) }
    #expect(throws: ArithmeticError.overflow) { try Fixed.max.adding(.max) }
    #expect(throws: ArithmeticError.overflow) { try Fixed.min.adding(.min) }
    #expect(throws: ArithmeticError.overflow) { try Fixed.max.multiplied(by: .max) }
    #expect(throws: ArithmeticError.overflow) { try Fixed.max.multiplied(by: Fixed.min) }
    #expect(throws: ArithmeticError.overflow) { try Fixed.max.multiplied(by: fx("1.000000000001")) }
    #expect(throws: ArithmeticError.overflow) { try Fixed.max.divided(by: fx("0.5")) }
    #expect(throws: ArithmeticError.overflow) { try Fixed.max.divided(by: fx("0.000000000001")) }
    #expect(throws: ArithmeticError.overflow) { try Fixed.max.rounded(places: 0, rule: .up) }
    #expect(try Fixed.max.multiplied(by: .one) == .max)
    #expect(try Fixed.max.divided(by: .one) == .max)
    #expect(try Fixed.min.multiplied(by: fx("-1")) == .max)
    #expect(try Fixed.max.adding(.min) == .zero)
  }

  @Test func divisionByZero() throws {
    #expect(throws: ArithmeticError.divisionByZero) { try fx("1").divided(by: .zero) }
    #expect(throws: ArithmeticError.divisionByZero) { try Fixed.zero.divided(by: .zero) }
    #expect(!ArithmeticError.divisionByZero.message.isEmpty)
  }

  // MARK: Rounding

  @Test(arguments: [
    ("2.5", 0, RoundingRule.halfEven, "2"), ("3.5", 0, .halfEven, "4"), ("-2.5", 0, .halfEven, "-2"),
    ("-3.5", 0, .halfEven, "-4"), ("2.51", 0, .halfEven, "3"), ("2.5", 0, .halfUp, "3"), ("-2.5", 0, .halfUp, "-3"),
    ("2.49", 0, .halfUp, "2"), ("2.1", 0, .up, "3"), ("-2.1", 0, .up, "-2"), ("2.9", 0, .down, "2"),
    ("-2.1", 0, .down, "-3"), ("-2.9", 0, .towardZero, "-2"), ("2.9", 0, .towardZero, "2"),
    ("1234.565", 2, .halfEven, "1234.56"), ("1234.575", 2, .halfEven, "1234.58"), ("1234.565", 2, .halfUp, "1234.57"),
    ("1250", -2, .halfEven, "1200"), ("1350", -2, .halfEven, "1400"), ("0.333", 12, .up, "0.333"),
    ("0.333", 40, .up, "0.333"), ("7", -30, .halfEven, "0"), ("7", -30, .up, "overflow"), ("-7", -30, .up, "0"),
    ("-7", -30, .down, "overflow"), ("0", -30, .up, "0"),
  ])
  func rounds(text: String, places: Int, rule: RoundingRule, expected: String) throws {
    do {
      #expect(try fx(text).rounded(places: places, rule: rule).description == expected)
    } catch let error as ArithmeticError {
      #expect(expected == "overflow" && error == .overflow)
    }
  }

  @Test func thirdsAtTwelvePlaces() throws {
    let third = try Fixed.one.divided(by: Fixed(3))
    #expect(third.description == "0.333333333333")
    #expect(try third.multiplied(by: Fixed(2)).description == "0.666666666666")
    #expect(try Fixed(2).divided(by: Fixed(3)).rounded(places: 12).description == "0.666666666667")
  }

  // MARK: Formatting

  @Test(arguments: [
    ("1234.5", 2, "1234.50", "1,234.50"), ("50000", 2, "50000.00", "50,000.00"), ("-1234567.891", 2, "-1234567.89", "-1,234,567.89"),
    ("0.125", 2, "0.12", "0.12"), ("0.135", 2, "0.14", "0.14"), ("-0.001", 2, "0.00", "0.00"), ("999.995", 2, "1000.00", "1,000.00"),
    ("123", 0, "123", "123"), ("123456", -1, "123456", "123,456"), ("1.5", 20, "1.500000000000", "1.500000000000"),
    ("170141183460469231731687303.715884105727", 0, "170141183460469231731687304", "170,141,183,460,469,231,731,687,304"),
  ])
  func formats(text: String, places: Int, plain: String, grouped: String) throws {
    #expect(try fx(text).formatted(places: places) == plain)
    #expect(try fx(text).grouped(places: places) == grouped)
  }

  // MARK: Percentages

  @Test(arguments: [
    ("17.9%", "0.179", "17.9%"), ("5%", "0.05", "5%"), ("100%", "1", "100%"), ("-2.5%", "-0.025", "-2.5%"),
    ("0.0000000001%", "0.000000000001", "0.0000000001%"), ("1_000%", "10", "1000%"), ("17.90%", "0.179", "17.9%"),
  ])
  func readsPercentages(text: String, fraction: String, shown: String) throws {
    let value = try PercentLiteral.parse(text).get()
    #expect(value == (try fx(fraction)))
    #expect(value.percentDescription == shown)
  }

  @Test(arguments: [
    ("17.9", ValueParseError.syntax(.percent)), ("%", .syntax(.percent)), ("17.9 %", .syntax(.percent)),
    ("", .syntax(.percent)), ("17.9%%", .syntax(.percent)), ("0.00000000001%", .tooManyDecimalPlaces(maximum: 10)),
  ])
  func rejectsPercentages(text: String, error: ValueParseError) {
    #expect(PercentLiteral.parse(text) == .failure(error))
  }

  // MARK: Against Python's decimal module

  /// Every line of `Cases/decimal/cases.txt` (written by `generate.py`) as `op a b expected`.
  @Test func matchesPythonDecimal() throws {
    let folder = try #require(Bundle.module.url(forResource: "Cases", withExtension: nil))
    let text = try String(contentsOf: folder.appendingPathComponent("decimal/cases.txt"), encoding: .utf8)
    var checked = 0
    for line in text.split(separator: "\n") {
      let fields = line.split(separator: " ")
      try #require(fields.count == 4, "malformed line: \(line)")
      let a = try Fixed.parse(fields[1]).get(), b = try Fixed.parse(fields[2]).get()
      let result: Result<Fixed, ArithmeticError>
      switch fields[0] {
      case "add": result = Result { () throws(ArithmeticError) in try a.adding(b) }
      case "sub": result = Result { () throws(ArithmeticError) in try a.subtracting(b) }
      case "mul": result = Result { () throws(ArithmeticError) in try a.multiplied(by: b) }
      case "div": result = Result { () throws(ArithmeticError) in try a.divided(by: b) }
      default: Issue.record("unknown op in: \(line)"); continue
      }
      let actual: String
      switch result {
      case .success(let value): actual = value.description
      case .failure(.overflow): actual = "overflow"
      case .failure(.divisionByZero): actual = "divzero"
      case .failure(let other): actual = "\(other)"
      }
      #expect(actual == String(fields[3]), "\(line)")
      checked += 1
    }
    #expect(checked == 3000)
  }

  /// The renderer as first written (digits into arrays, then a string): the one on the stack must
  /// give the same text for every magnitude size, sign, number of places, trimming and grouping.
  static func reference(_ magnitude: UInt128, negative: Bool, places: Int, trim: Bool, grouped: Bool) -> String {
    var digits: [UInt8] = []
    var rest = magnitude
    repeat {
      let (q, r) = rest.quotientAndRemainder(dividingBy: 10)
      digits.append(UInt8(r))
      rest = q
    } while rest != 0
    while digits.count <= places { digits.append(0) }
    var fractionStart = 0
    if trim { while fractionStart < places, digits[fractionStart] == 0 { fractionStart += 1 } }
    var text = negative && magnitude != 0 ? "-" : ""
    for position in stride(from: digits.count - 1, through: places, by: -1) {
      text += String(digits[position])
      let remaining = position - places
      if grouped, remaining > 0, remaining % 3 == 0 { text += "," }
    }
    if fractionStart < places {
      text += "."
      for position in stride(from: places - 1, through: fractionStart, by: -1) { text += String(digits[position]) }
    }
    return text
  }

  @Test func renderAgreesWithItsFirstForm() {
    var state: UInt64 = 0xF1_7ED
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state
    }
    for k in 0..<50_000 {
      let bits = Int(next() % 129)
      let wide = UInt128(next()) << 64 | UInt128(next())
      let magnitude = bits == 0 ? 0 : (bits == 128 ? wide : wide & ((UInt128(1) << bits) - 1))
      let places = Int(next() % UInt64(Fixed.scale + 1))
      let (negative, trim, grouped) = (k % 2 == 0, k % 3 == 0, k % 5 < 2)
      #expect(Fixed.render(magnitude, negative: negative, places: places, trim: trim, grouped: grouped)
        == Self.reference(magnitude, negative: negative, places: places, trim: trim, grouped: grouped), "\(magnitude) \(places)")
    }
    #expect(Fixed.render(UInt128.max, negative: true, places: 12, trim: false, grouped: true).hasPrefix("-340,282,366,920,938,463,463,374,607."))
  }
}
