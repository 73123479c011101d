/// A problem in a facts file, naming the path of the fact: `applicant.age: expected int, found "thirty"`.
public struct FactsError: Error, Sendable, Hashable {
  /// The fact's path (`applicant.loans[0].amount`); empty for the document as a whole.
  public var path: String
  /// What is wrong with the fact, in words.
  public var message: String
  /// Where the fact is written in the facts file (`<swift>:1:1` for facts from Swift values), if known.
  public var span: Span?

  /// A problem with the fact at `path`.
  public init(path: String, message: String, span: Span? = nil) {
    self.path = path
    self.message = message
    self.span = span
  }

  /// `path: message`, as printed.
  public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Every problem found in one facts file.
public struct FactsErrors: Error, Sendable, Hashable {
  /// The problems, in the order found (at most `FactsReader.maximumErrors` from a facts file).
  public var errors: [FactsError]
}

/// Reads facts (a YAML or JSON document) into values, validated against a schema's types.
///
/// Numbers are read from their text, exactly. Unknown keys are allowed (a product carries more
/// than any one rulebook reads). A missing optional fact is `missing`; a missing list is empty
/// (a product with no `approvals` has none); any other missing fact is an error.
public struct FactsReader {
  /// Most problems listed for one facts file; the rest are summarised.
  public static let maximumErrors = 50
  var errors: [FactsError] = []
  /// Facts encoded from Swift values: a string holding an exact decimal is read as a decimal, a
  /// percentage fraction or an amount, since Swift's standard library has no exact decimal type.
  /// Ints and Bools are still wanted as such (a `String` "30" is text).
  var textNumbers = false

  /// A reader with no errors yet.
  public init() {}

  /// Values for each root of `schema`, in order; errors if any fact does not fit its type.
  public static func read(_ root: YAMLNode, schema: [(name: String, type: ValueType)]) -> Result<[Value], FactsErrors> {
    read(root, schema: schema, textNumbers: false)
  }

  static func read(_ root: YAMLNode, schema: [(name: String, type: ValueType)], textNumbers: Bool) -> Result<[Value], FactsErrors> {
    var reader = FactsReader()
    reader.textNumbers = textNumbers
    guard case .mapping(let pairs) = root.kind else {
      return .failure(FactsErrors(errors: [FactsError(path: "", message: "facts must be a mapping of fact names (such as `product`) to values, found \(root.kindDescription)", span: root.span)]))
    }
    var values: [Value] = []
    for (name, type) in schema {
      if let pair = pairs.first(where: { $0.name == name }) {
        values.append(reader.value(pair.value, type, path: name))
      } else {
        values.append(reader.absent(type, path: name, at: root.span))
      }
    }
    return reader.errors.isEmpty ? .success(values) : .failure(FactsErrors(errors: reader.errors))
  }

  mutating func fail(_ path: String, _ message: String, _ span: Span?) -> Value {
    if errors.count < FactsReader.maximumErrors { errors.append(FactsError(path: path, message: message, span: span)) }
    return .missing
  }

  mutating func absent(_ type: ValueType, path: String, at span: Span?) -> Value {
    switch type {
    case .optional: return .missing
    case .list: return .list([])
    default: return fail(path, "required fact is missing (expected \(type.brief))", span)
    }
  }

  mutating func value(_ node: YAMLNode, _ type: ValueType, path: String) -> Value {
    if node.isNull {
      if case .optional = type { return .missing }
      if case .list = type { return .list([]) }
      return fail(path, "expected \(type.brief), found nothing", node.span)
    }
    switch type {
    case .optional(let t): return value(node, t, path: path)
    case .record(let r):
      guard case .mapping(let pairs) = node.kind else { return mismatch(node, type, path) }
      return .record(r.fields.map { f in
        let p = path + "." + f.name
        if let pair = pairs.first(where: { $0.name == f.name }) { return value(pair.value, f.type, path: p) }
        return absent(f.type, path: p, at: node.span)
      })
    case .list(let element):
      guard case .sequence(let items) = node.kind else { return mismatch(node, type, path) }
      return .list(items.enumerated().map { k, item in value(item, element, path: "\(path)[\(k)]") })
    case .money(let currency):
      if case .mapping(let pairs) = node.kind {
        return moneyRecord(pairs, node, currency, path)
      }
      guard let text = node.scalarValue else { return mismatch(node, type, path) }
      switch Money.parse(text) {
      case .success(let m): return checkCurrency(m, currency, node, path)
      case .failure:
        return fail(path, "expected an amount with its currency such as \"20000 CNY\" or {amount: 20000, currency: CNY}, found \(shown(node))", node.span)
      }
    case .error, .nothing:
      return .missing
    default:
      guard case .scalar(let text, let style) = node.kind else { return mismatch(node, type, path) }
      return scalar(text, quoted: style.isQuotedOrBlock, type, node, path)
    }
  }

  private mutating func scalar(_ text: String, quoted: Bool, _ type: ValueType, _ node: YAMLNode, _ path: String) -> Value {
    switch type {
    case .bool:
      if !quoted, text == "true" { return .bool(true) }
      if !quoted, text == "false" { return .bool(false) }
      return mismatch(node, type, path)
    case .int:
      guard !quoted, case .success(let n) = Fixed.parse(text), n.isInteger else {
        let swiftHint = textNumbers && quoted && Fixed.parse(text).ok != nil ? " (a Swift String is text: pass an Int)" : ""
        return mismatch(node, type, path, hint: swiftHint)
      }
      return .number(n)
    case .decimal:
      guard !quoted || textNumbers, case .success(let n) = Fixed.parse(text) else { return mismatch(node, type, path, hint: exponentHint(text)) }
      return .number(n)
    case .percent:
      // "18%" as text, or the fraction 0.18 as a number.
      if text.hasSuffix("%"), case .success(let n) = PercentLiteral.parse(text) { return .number(n) }
      if !quoted || textNumbers, case .success(let n) = Fixed.parse(text) { return .number(n) }
      return fail(path, "expected a percentage such as \"18%\" or the fraction 0.18, found \(shown(node))", node.span)
    case .date:
      guard case .success(let d) = CivilDate.parse(text) else { return mismatch(node, type, path, hint: " (write YYYY-MM-DD)") }
      return .date(d)
    case .datetime:
      switch DateTime.parse(text) {
      case .success(let d): return .datetime(d)
      case .failure(let e): return fail(path, "expected a date-time such as 2026-01-01T09:30:00+08:00, found \(shown(node)): \(e.message)", node.span)
      }
    case .duration:
      guard case .success(let d) = TimeSpan.parse(text) else { return mismatch(node, type, path, hint: " (write e.g. \"24h\" or \"30d\")") }
      return .duration(d)
    case .text:
      return .text(text)
    case .enumeration(let e):
      if let i = e.cases.firstIndex(of: text) { return .enumCase(i) }
      let near = Suggestion.closest(to: text, among: e.cases).map { "; did you mean \($0)?" } ?? ""
      return fail(path, "expected one of \(e.cases.joined(separator: ", ")), found \(shown(node))\(near)", node.span)
    default:
      return mismatch(node, type, path)
    }
  }

  private mutating func moneyRecord(_ pairs: [YAMLPair], _ node: YAMLNode, _ currency: String?, _ path: String) -> Value {
    guard let a = pairs.first(where: { $0.name == "amount" })?.value, let c = pairs.first(where: { $0.name == "currency" })?.value,
      let at = a.scalarValue, let ct = c.scalarValue
    else {
      return fail(path, "an amount written as a mapping needs `amount` and `currency`", node.span)
    }
    guard a.scalarStyle == .plain || textNumbers, case .success(let n) = Fixed.parse(at) else {
      return fail(path + ".amount", "expected a number, found \(shown(a))", a.span)
    }
    guard let code = Currency(ct) else {
      return fail(path + ".currency", "expected a currency code such as CNY, found \(shown(c))", c.span)
    }
    return checkCurrency(Money(n, code), currency, node, path)
  }

  private mutating func checkCurrency(_ m: Money, _ currency: String?, _ node: YAMLNode, _ path: String) -> Value {
    if let currency, m.currency.code != currency {
      return fail(path, "expected an amount in \(currency), found \(m.description)", node.span)
    }
    return .money(m)
  }

  private mutating func mismatch(_ node: YAMLNode, _ type: ValueType, _ path: String, hint: String = "") -> Value {
    fail(path, "expected \(type.brief), found \(shown(node))\(hint)", node.span)
  }

  private func exponentHint(_ text: String) -> String {
    text.contains("e") || text.contains("E") ? " (write the number in full, without an exponent)" : ""
  }

  /// How a value is quoted in an error: text in quotes, numbers bare, collections by kind.
  private func shown(_ node: YAMLNode) -> String {
    switch node.kind {
    case .scalar(let v, let style):
      let clipped = v.unicodeScalars.count > 40 ? String(scalars: v.unicodeScalars.prefix(40)) + "…" : v
      return style == .plain && Fixed.parse(v).ok != nil ? clipped : "\"\(clipped)\""
    case .sequence: return "a list"
    case .mapping: return "a mapping"
    }
  }
}
