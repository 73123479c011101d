import Testing
@testable import Precept

private func money(_ text: String) throws -> Money { try Money.parse(text).get() }
private func cny() throws -> Currency { try #require(Currency("CNY")) }

@Suite struct MoneyTests {
  @Test func currencyCodes() throws {
    let code = try cny()
    #expect(code.code == "CNY")
    #expect(code.description == "CNY")
    #expect(Currency("USD"[...]) == Currency("USD"))
    #expect(try #require(Currency("CNY")) < #require(Currency("USD")))
    for bad in ["", "CN", "CNYY", "cny", "CN1", "CNÝ", " CN"] { #expect(Currency(bad) == nil, "\(bad)") }
  }

  @Test(arguments: [
    ("50_000 CNY", "50000", "CNY"), ("20000 CNY", "20000", "CNY"), ("-900 CNY", "-900", "CNY"),
    ("0.5   USD", "0.5", "USD"), ("1_234.56 EUR", "1234.56", "EUR"),
  ])
  func parses(text: String, amount: String, code: String) throws {
    let value = try money(text)
    #expect(value.amount == (try Fixed.parse(amount).get()))
    #expect(value.currency.code == code)
  }

  @Test(arguments: [
    ("50000", ValueParseError.syntax(.money)), ("CNY", .syntax(.money)), ("50000CNY", .syntax(.money)),
    (" CNY", .syntax(.money)), ("fifty CNY", .syntax(.money)), ("1,000 CNY", .syntax(.money)),
    ("50000 cny", .invalidCurrency), ("50000 CNYY", .invalidCurrency), ("50000 CNY ", .syntax(.money)),
    ("0.0000000000001 CNY", .tooManyDecimalPlaces(maximum: 12)),
    ("999999999999999999999999999999 CNY", .outOfRange(.money)),
  ])
  func rejects(text: String, error: ValueParseError) {
    #expect(Money.parse(text) == .failure(error))
  }

  @Test func arithmeticWithinOneCurrency() throws {
    #expect(try money("50_000 CNY").adding(money("-900 CNY")) == money("49100 CNY"))
    #expect(try money("50_000 CNY").subtracting(money("20000 CNY")).description == "30000 CNY")
    #expect(try money("50_000 CNY").multiplied(by: Fixed.parse("0.179").get()).description == "8950 CNY")
    #expect(try money("100 CNY").divided(by: Fixed(3)).description == "33.333333333333 CNY")
    #expect(try money("20000 CNY").ratio(to: money("50000 CNY")) == Fixed.parse("0.4").get())
    #expect(try money("10.005 CNY").rounded(places: 2).description == "10 CNY")
    #expect(try money("-900 CNY").negated == money("900 CNY"))
    #expect(try money("20000 CNY").compare(money("50000 CNY")) == -1)
    #expect(try money("50000 CNY").compare(money("50_000.00 CNY")) == 0)
    #expect(try money("50000 CNY").compare(money("20000 CNY")) == 1)
  }

  @Test func currencyMismatchIsAnError() throws {
    let yuan = try money("100 CNY"), dollars = try money("100 USD")
    let mismatch = ArithmeticError.currencyMismatch(yuan.currency, dollars.currency)
    #expect(throws: mismatch) { try yuan.adding(dollars) }
    #expect(throws: mismatch) { try yuan.subtracting(dollars) }
    #expect(throws: mismatch) { try yuan.compare(dollars) }
    #expect(throws: mismatch) { try yuan.ratio(to: dollars) }
    #expect(mismatch.message.contains("CNY") && mismatch.message.contains("USD"))
    #expect(yuan != dollars)
  }

  @Test func overflowStaysAnError() throws {
    let huge = Money(.max, try cny())
    #expect(throws: ArithmeticError.overflow) { try huge.adding(huge) }
    #expect(throws: ArithmeticError.divisionByZero) { try huge.divided(by: .zero) }
  }

  @Test func formatting() throws {
    #expect(try money("50_000 CNY").description == "50000 CNY")
    #expect(try money("50_000 CNY").formatted() == "50,000.00 CNY")
    #expect(try money("-1234567.891 USD").formatted() == "-1,234,567.89 USD")
    #expect(try money("0.5 JPY").formatted(places: 0) == "0 JPY")
    #expect(try money("999.5 CNY").formatted(places: 0) == "1,000 CNY")
    #expect(try money(money("-900.10 CNY").description) == money("-900.1 CNY"))
  }
}
