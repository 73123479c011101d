/// An exact amount in one currency. Amounts in different currencies never combine implicitly.
public struct Money: Sendable, Hashable, CustomStringConvertible {
  /// The exact amount.
  public var amount: Fixed
  /// The amount's currency.
  public var currency: Currency

  /// An amount of `currency`.
  public init(_ amount: Fixed, _ currency: Currency) {
    self.amount = amount
    self.currency = currency
  }

  /// Reads a number, one or more spaces, and a currency code: `50_000 CNY`, `-900.50 USD`.
  public static func parse(_ text: Substring) -> Result<Money, ValueParseError> {
    let bytes = text.utf8
    guard let lastSpace = bytes.lastIndex(of: UInt8(ascii: " ")) else { return .failure(.syntax(.money)) }
    var numberEnd = lastSpace
    while numberEnd > bytes.startIndex {
      let before = bytes.index(before: numberEnd)
      guard bytes[before] == UInt8(ascii: " ") else { break }
      numberEnd = before
    }
    let codeBytes = bytes[bytes.index(after: lastSpace)...]
    let amount: Fixed
    switch Fixed.parseUnits(bytes[..<numberEnd], fractionDigits: Fixed.scale, kind: .money) {
    case .success(let units): amount = Fixed(units: units)
    case .failure(let error): return .failure(error)
    }
    guard let currency = Currency(bytes: codeBytes) else { return .failure(.invalidCurrency) }
    return .success(Money(amount, currency))
  }

  /// Reads an amount with its currency (`20000 CNY`, `-913.12 CNY`).
  public static func parse(_ text: String) -> Result<Money, ValueParseError> {
    parse(text[...])
  }

  /// The sum; throws if the currencies differ or on overflow.
  public func adding(_ other: Money) throws(ArithmeticError) -> Money {
    try requireSameCurrency(other)
    return Money(try amount.adding(other.amount), currency)
  }

  /// The difference; throws if the currencies differ or on overflow.
  public func subtracting(_ other: Money) throws(ArithmeticError) -> Money {
    try requireSameCurrency(other)
    return Money(try amount.subtracting(other.amount), currency)
  }

  /// Scales the amount (by a rate, a count, a share), rounding half-even to 12 places.
  public func multiplied(by factor: Fixed) throws(ArithmeticError) -> Money {
    Money(try amount.multiplied(by: factor), currency)
  }

  /// Divides the amount by a plain number, rounding half-even to 12 places.
  public func divided(by divisor: Fixed) throws(ArithmeticError) -> Money {
    Money(try amount.divided(by: divisor), currency)
  }

  /// The ratio of two amounts in the same currency (a debt-to-income ratio, say), as a plain number.
  public func ratio(to other: Money) throws(ArithmeticError) -> Fixed {
    try requireSameCurrency(other)
    return try amount.divided(by: other.amount)
  }

  /// The amount with its sign flipped, in the same currency.
  public var negated: Money { Money(amount.negated, currency) }

  /// The amount rounded to `places` decimal places by `rule`; throws on overflow.
  public func rounded(places: Int, rule: RoundingRule = .halfEven) throws(ArithmeticError) -> Money {
    Money(try amount.rounded(places: places, rule: rule), currency)
  }

  /// -1, 0 or 1 as `self` is less than, equal to or greater than `other`; only within one currency.
  public func compare(_ other: Money) throws(ArithmeticError) -> Int {
    try requireSameCurrency(other)
    return amount < other.amount ? -1 : (amount == other.amount ? 0 : 1)
  }

  /// Canonical, for round trips: `50000 CNY`.
  public var description: String { "\(amount) \(currency)" }

  /// For display, grouped and rounded half-even: `50,000.00 CNY`.
  public func formatted(places: Int = 2) -> String { "\(amount.grouped(places: places)) \(currency)" }

  private func requireSameCurrency(_ other: Money) throws(ArithmeticError) {
    guard currency == other.currency else { throw .currencyMismatch(currency, other.currency) }
  }
}
