/// A problem in a facts file, naming the path of the fact: `applicant.age: expected int, found "thirty"`.
public struct FactsError: Error, Sendable, Hashable {
  /// The fact's path (`applicant.loans[0].amount`); empty for the document as a whole.
  public var path: String
  /// What is wrong with the fact, in words.
  public var message: String
  /// Where the fact is written in the facts file (`<swift>:1:1` for facts from Swift values), if known.
  public var span: Span?
  /// The stable code of a problem with the facts as a whole (`P0005` when no rulebook applies).
  public var code: DiagnosticCode?

  /// A problem with the fact at `path`.
  public init(path: String, message: String, span: Span? = nil, code: DiagnosticCode? = nil) {
    self.path = path
    self.message = message
    self.span = span
    self.code = code
  }

  /// `path: message`, as printed.
  public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Every problem found in one facts file.
public struct FactsErrors: Error, Sendable, Hashable {
  /// The problems, in the order found (at most `FactsReader.maximumErrors` from a facts file).
  public var errors: [FactsError]
}

/// Reads facts given as a tree (a YAML or JSON file, or Swift values) into values of a schema.
///
/// What a written value means, and every message when it does not fit, comes from the schema's
/// `FactsPlan`, which the JSON Lines reader of `precept eval` drives too. A plain YAML scalar is a
/// number when it is a JSON number (`FactNumber`), `true`/`false` a bool, empty, `~` or `null`
/// nothing, anything else text; a quoted scalar is always text. Fields are read in the order the
/// document gives them, then the absent ones in schema order, as the JSON Lines reader does.
/// Unknown keys are allowed (a product carries more than any one rulebook reads). A missing
/// optional fact is `missing`; a missing list is empty; any other missing fact is an error.
public struct FactsReader {
  /// Most problems listed for one facts file; the rest are summarised.
  public static let maximumErrors = 50
  private let layout: FactsPlan.Layout
  private var errors: [FactsError] = []
  /// Facts encoded from Swift values: a string holding an exact decimal is read as a decimal, a
  /// percentage fraction or an amount, since Swift's standard library has no exact decimal type.
  /// Ints and Bools are still wanted as such (a `String` "30" is text).
  private let textNumbers: Bool
  /// Where the reader is: the fields and indexes from the root to the value being read, spelt out
  /// as a path (`product.marketing[0].copy`) only when a value is refused.
  private var trail: [Step] = []
  private enum Step {
    case field(String)
    case index(Int)
  }

  private init(_ plan: FactsPlan, textNumbers: Bool) {
    layout = plan.layout
    self.textNumbers = textNumbers
  }

  /// Values for each root of `schema`, in order; errors if any fact does not fit its type.
  public static func read(_ root: YAMLNode, schema: [(name: String, type: ValueType)]) -> Result<[Value], FactsErrors> {
    read(root, plan: FactsPlan(schema.map { Field(name: $0.name, type: $0.type) }), textNumbers: false)
  }

  /// Values for each root of `plan`'s schema, in order.
  static func read(_ root: YAMLNode, plan: FactsPlan, textNumbers: Bool = false) -> Result<[Value], FactsErrors> {
    var reader = FactsReader(plan, textNumbers: textNumbers)
    guard case .mapping = root.kind else {
      return .failure(FactsErrors(errors: [FactsError(path: "", message: "facts must be a mapping of fact names (such as `product`) to values, found \(root.kindDescription)", span: root.span)]))
    }
    let v = reader.value(root, plan.layout.rootRecord)
    guard reader.errors.isEmpty, case .record(let values) = v else { return .failure(FactsErrors(errors: reader.errors)) }
    return .success(values)
  }

  /// The path of the value being read.
  private var path: String {
    var out = ""
    for step in trail {
      switch step {
      case .field(let name): out += out.isEmpty ? name : "." + name
      case .index(let n): out += "[\(n)]"
      }
    }
    return out
  }

  private mutating func fail(_ message: String, _ span: Span?) -> Value {
    if errors.count < FactsReader.maximumErrors { errors.append(FactsError(path: path, message: message, span: span)) }
    return .missing
  }

  private mutating func accept(_ a: Accepted, _ span: Span?) -> Value {
    switch a {
    case .value(let v): return v
    case .refused(let message): return fail(message, span)
    }
  }

  /// The node's kind, looking through `?`.
  private func kind(_ k: Int32) -> FactsPlan.Layout.Kind {
    let n = layout.nodes[Int(k)]
    return n.kind == .optional ? layout.nodes[Int(n.a)].kind : n.kind
  }

  private func unwrapped(_ k: Int32) -> Int32 {
    let n = layout.nodes[Int(k)]
    return n.kind == .optional ? n.a : k
  }

  private mutating func value(_ node: YAMLNode, _ k: Int32) -> Value {
    switch node.kind {
    case .scalar(let text, let style):
      let quoted = style.isQuotedOrBlock || node.tag == "!!str" || node.tag == "tag:yaml.org,2002:str"
      var copy = text
      return copy.withUTF8 { raw in
        if !quoted {
          if node.isNull { return accept(layout.null(k), node.span) }
          if text == "true" || text == "false" { return accept(layout.bool(k, text == "true"), node.span) }
          if FactNumber.matches(text) { return accept(layout.number(k, FactNumber.value(raw, 0..<raw.count), raw: raw), node.span) }
        } else if textNumbers, FactNumber.matches(text) {
          switch kind(k) {
          case .decimal, .percent: return accept(layout.number(k, FactNumber.value(raw, 0..<raw.count), raw: raw), node.span)
          case .int: return fail("expected int, found \"\(text)\" (a Swift String is text: pass an Int)", node.span)
          default: break
          }
        }
        return accept(layout.text(k, raw), node.span)
      }
    case .sequence(let items):
      guard kind(k) == .list else { return mismatch(k, "a list", node) }
      let element = layout.nodes[Int(unwrapped(k))].a
      var out: [Value] = []
      out.reserveCapacity(items.count)
      for (n, item) in items.enumerated() {
        trail.append(.index(n))
        out.append(value(item, element))
        trail.removeLast()
      }
      return .list(out)
    case .mapping(let pairs):
      switch kind(k) {
      case .record: return record(pairs, unwrapped(k), node)
      case .money:
        let before = errors.count
        let v = record(pairs, layout.moneyRecord, node)
        guard errors.count == before, case .record(let f) = v else { return .missing }
        return accept(layout.moneyMapping(unwrapped(k), f), node.span)
      default: return mismatch(k, "a mapping", node)
      }
    }
  }

  private mutating func mismatch(_ k: Int32, _ found: String, _ node: YAMLNode) -> Value {
    if kind(k) == .skip { return .missing }
    return accept(layout.mismatch(k, found: found), node.span)
  }

  private mutating func record(_ pairs: [YAMLPair], _ k: Int32, _ node: YAMLNode) -> Value {
    let n = layout.nodes[Int(k)]
    let first = Int(n.a)
    let count = Int(n.b) - first
    var fields = [Value](repeating: .missing, count: count)
    var seen = [Bool](repeating: false, count: count)
    for pair in pairs {
      let name = pair.name
      guard let f = (0..<count).first(where: { !seen[$0] && layout.fieldNames[first + $0] == name }) else { continue }
      seen[f] = true
      trail.append(.field(name))
      fields[f] = value(pair.value, layout.fields[first + f].node)
      trail.removeLast()
    }
    for f in 0..<count where !seen[f] {
      trail.append(.field(layout.fieldNames[first + f]))
      fields[f] = accept(layout.absent(layout.fields[first + f].node), node.span)
      trail.removeLast()
    }
    return .record(fields)
  }
}
