/// Reads a schema type such as `money?`, `enum(C1, C2)` or `list(record(name: text, amount: money))`.
struct TypeParser {
  static let simpleTypes: [String: ValueType] = [
    "bool": .bool, "int": .int, "decimal": .decimal, "percent": .percent, "money": .money(nil),
    "date": .date, "datetime": .datetime, "duration": .duration, "text": .text,
  ]
  static let allNames = Array(simpleTypes.keys) + ["enum", "list", "record"]

  /// How many lists and records a type may nest, counting the records of the schema's mappings
  /// around it. Everything that reads facts or prints types walks a type by recursion; real
  /// facts are a few records deep.
  static let maximumDepth = 32

  private let source: ExprSource
  private var i = 0
  /// The nesting level a list or record read now would be at (1 for a fact's own record).
  private var level: Int
  private(set) var diagnostics: [Diagnostic] = []

  /// Parses the whole text as one type; nil (with diagnostics) when it is not one. `level`: the
  /// nesting level of the type (1 for a fact, 2 for a field of a fact, …).
  static func parse(_ source: ExprSource, level: Int = 1) -> (ValueType?, [Diagnostic]) {
    var p = TypeParser(source: source, level: level)
    let t = p.type()
    p.skipSpace()
    if t != nil, p.i < source.text.count {
      p.error(p.i, source.text.count, "unexpected text after the type", help: ["a type is e.g. `int`, `money?`, `enum(A, B)`, `list(text)`"])
      return (nil, p.diagnostics)
    }
    return (p.diagnostics.count == p.recovered ? t : nil, p.diagnostics)
  }

  /// How many of the diagnostics left the type usable (a case listed twice is simply dropped).
  private var recovered = 0

  /// Reports a mistake the type survives, so fields of that type still check.
  private mutating func reportRecovered(_ a: Int, _ b: Int, _ message: String, help: [String] = ["remove the second one"]) {
    diagnostics.append(Diagnostic(.invalidType, source.span(a, b), message, help: help))
    recovered += 1
  }

  private init(source: ExprSource, level: Int) {
    self.source = source
    self.level = level
  }

  private mutating func error(_ a: Int, _ b: Int, _ message: String, help: [String] = [], code: DiagnosticCode = .invalidType) {
    // Only the first real error: what follows it is usually a consequence.
    if diagnostics.count == recovered { diagnostics.append(Diagnostic(code, source.span(a, b), message, help: help)) }
  }

  /// Reads the inside of a list or record one level deeper; nil (reported) past the maximum.
  private mutating func nested<T>(_ start: Int, _ name: String, _ body: (inout TypeParser) -> T?) -> T? {
    guard level <= TypeParser.maximumDepth else {
      error(
        start, start + name.unicodeScalars.count, "this type nests lists and records more than \(TypeParser.maximumDepth) levels deep",
        help: [TypeParser.flatterHelp], code: .typeTooDeep)
      return nil
    }
    level += 1
    defer { level -= 1 }
    return body(&self)
  }

  static let flatterHelp = "facts are rarely more than a few records deep; give the data a flatter shape"

  private mutating func skipSpace() {
    while i < source.text.count, source.text[i].isSpace { i += 1 }
  }

  private mutating func word() -> (String, Int)? {
    skipSpace()
    let start = i
    while i < source.text.count, source.text[i].isIdentifierContinue { i += 1 }
    guard i > start else { return nil }
    return (String(scalars: source.text[start..<i]), start)
  }

  private mutating func accept(_ c: Unicode.Scalar) -> Bool {
    skipSpace()
    if i < source.text.count, source.text[i] == c {
      i += 1
      return true
    }
    return false
  }

  private mutating func expect(_ c: Unicode.Scalar, _ what: String) -> Bool {
    if accept(c) { return true }
    error(i, Swift.min(i + 1, source.text.count), "expected `\(c)` \(what)")
    return false
  }

  private mutating func type() -> ValueType? {
    guard let (name, start) = word() else {
      error(i, Swift.min(i + 1, source.text.count), "expected a type", help: ["types are " + TypeParser.allNames.sorted().joined(separator: ", ")])
      return nil
    }
    var t: ValueType
    switch name {
    case "money" where accept("("):
      guard let (code, at) = word(), Parser.isCurrencyCode(code) else {
        error(i, i + 1, "expected a currency code such as `CNY` in `money(…)`")
        return nil
      }
      _ = at
      guard expect(")", "after the currency") else { return nil }
      t = .money(code)
    case "enum":
      guard expect("(", "after `enum`") else { return nil }
      var cases: [String] = []
      repeat {
        guard let (c, at) = word() else {
          error(i, i + 1, "expected an enum case name")
          return nil
        }
        if Keyword(rawValue: c) != nil {
          // `direction == in` could never be written: `in` is an operator.
          reportRecovered(
            at, at + c.unicodeScalars.count, "`\(c)` is a reserved word of the expression language and cannot be an enum case",
            help: ["rename the case, e.g. `\(c)bound` or `\(c)_flow`, in the schema and in the facts"])
        } else if cases.contains(c) {
          reportRecovered(at, at + c.unicodeScalars.count, "enum case `\(c)` is listed twice")
        } else {
          cases.append(c)
        }
      } while accept(",")
      guard expect(")", "to close `enum(`") else { return nil }
      t = .enumeration(EnumType(cases))
    case "list":
      guard let e = nested(start, name, { p in p.expect("(", "after `list`") ? p.type() : nil }), expect(")", "to close `list(`") else { return nil }
      t = .list(e)
    case "record":
      guard let fields = nested(start, name, { p in p.recordFields() }) else { return nil }
      t = .record(RecordType(fields))
    default:
      guard let simple = TypeParser.simpleTypes[name] else {
        error(
          start, start + name.unicodeScalars.count, "unknown type `\(name)`",
          help: Suggestion.help(for: name, among: TypeParser.allNames) + ["types are " + TypeParser.allNames.sorted().joined(separator: ", ")])
        return nil
      }
      t = simple
    }
    if accept("?") { t = t.asOptional }
    return t
  }

  /// `(name: type, …)` after `record`.
  private mutating func recordFields() -> [Field]? {
    guard expect("(", "after `record`") else { return nil }
    var fields: [Field] = []
    repeat {
      guard let (f, at) = word() else {
        error(i, i + 1, "expected a field name")
        return nil
      }
      if fields.contains(where: { $0.name == f }) {
        error(at, at + f.unicodeScalars.count, "field `\(f)` is listed twice")
        return nil
      }
      guard expect(":", "after the field name"), let ft = type() else { return nil }
      fields.append(Field(name: f, type: ft))
    } while accept(",")
    guard expect(")", "to close `record(`") else { return nil }
    return fields
  }
}
