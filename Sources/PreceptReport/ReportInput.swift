import Precept

/// What a review report is made from: the decisions, and what is known about the facts they were
/// made on. A server renders a logged decision with the same input: facts may be absent there,
/// some decisions known only as recorded, and the page says which.
public struct ReportInput: Sendable {
  /// One decision per rulebook that applied, in the order decided.
  public var decisions: [Decision]
  /// Decisions known only from a log's record, their rulebook no longer loaded as it decided:
  /// shown after `decisions` with the statuses and messages recorded.
  public var recorded: [RecordedDecision] = []
  /// Each department's verdict as the log recorded it, over every decision: what the sign-off
  /// sheet shows when `recorded` leaves some rules' owners unknown.
  public var recordedByOwner: [(name: String, outcome: Outcome)]?
  /// What the page shows and why, said under the verdict ("decided again from the logged facts",
  /// "facts not logged").
  public var notices: [String] = []
  /// More lines for the header, label and value (a logged decision's id, time and client).
  public var details: [(label: String, value: String)] = []
  /// Rulebooks that did not apply, with the fact roots the facts lack.
  public var notApplicable: [(rulebook: String, missingRoots: [String])]
  /// The facts as given, as JSON (`FactsTree.json(_:)` converts a YAML dossier); nil when not kept.
  /// Without them, the copy and product shown are those the traces read.
  public var facts: JSON?
  /// Where the facts came from (a file name, a request id), shown in the header.
  public var factsSource: String?
  /// Claim terms per rule, to show negated occurrences in the copy (`ClaimTerms.resolve`).
  public var claimTerms: ClaimTerms
  /// Show every rule's trace (`precept trace`), not only the findings'.
  public var allTraces: Bool
  /// The tool and its version, for the footer.
  public var generator: String

  /// A report input; only the decisions are required.
  public init(
    decisions: [Decision], notApplicable: [(rulebook: String, missingRoots: [String])] = [], facts: JSON? = nil,
    factsSource: String? = nil, claimTerms: ClaimTerms = ClaimTerms(), allTraces: Bool = false,
    generator: String = "precept \(PreceptInfo.version)"
  ) {
    self.decisions = decisions
    self.notApplicable = notApplicable
    self.facts = facts
    self.factsSource = factsSource
    self.claimTerms = claimTerms
    self.allTraces = allTraces
    self.generator = generator
  }
}

/// Facts as a JSON tree, and reading a path out of it.
public enum FactsTree {
  /// A facts document as JSON: mappings as objects (in the order written), sequences as arrays,
  /// scalars as strings, exactly as written.
  public static func json(_ node: YAMLNode) -> JSON {
    switch node.kind {
    case .scalar(let s, _): return .string(s)
    case .sequence(let items): return .array(items.map(json))
    case .mapping(let pairs):
      return .object(pairs.compactMap { p in p.key.scalarValue.map { ($0, json(p.value)) } })
    }
  }

  /// The value at a dotted path (`product.marketing`), if there is one.
  static func value(_ root: JSON, _ path: String) -> JSON? {
    var current = root
    for key in path.split(separator: ".") {
      guard case .object(let fields) = current, let next = fields.first(where: { $0.0 == key })?.1 else { return nil }
      current = next
    }
    return current
  }

  /// A list's items; a list cut in a trace (`{"first": […], "count": n}`) gives its first items.
  static func items(_ v: JSON?) -> [JSON] {
    switch v {
    case .array(let xs)?: return xs
    case .object(let fields)?:
      if case .array(let xs)? = fields.first(where: { $0.0 == "first" })?.1 { return xs }
      return []
    default: return []
    }
  }

  /// A field of a record.
  static func field(_ v: JSON, _ name: String) -> JSON? {
    guard case .object(let fields) = v else { return nil }
    return fields.first { $0.0 == name }?.1
  }

  /// A scalar as text (strings as themselves, numbers and booleans as written); nil for the rest.
  static func scalar(_ v: JSON?) -> String? {
    switch v {
    case .string(let s)?: return s
    case .number(let n)?: return n
    case .bool(let b)?: return b ? "true" : "false"
    default: return nil
    }
  }

  /// The facts the decisions' traces read, as one tree: what a report shows when the facts
  /// themselves were not kept. The first value read at a path wins.
  static func fromTraces(_ decisions: [Decision]) -> JSON {
    var root = JSON.object([])
    func walk(_ t: Trace) {
      if let path = t.fact, let v = t.json, value(root, path) == nil { root = setting(root, path.split(separator: ".").map(String.init)[...], v) }
      t.children.forEach(walk)
    }
    for d in decisions {
      for r in d.results {
        if let t = r.trace { walk(t) }
        if let w = r.whenTrace { walk(w) }
      }
    }
    return root
  }

  private static func setting(_ node: JSON, _ path: ArraySlice<String>, _ v: JSON) -> JSON {
    guard let key = path.first else { return v }
    var fields: [(String, JSON)] = []
    if case .object(let fs) = node { fields = fs }
    if let i = fields.firstIndex(where: { $0.0 == key }) {
      fields[i].1 = setting(fields[i].1, path.dropFirst(), v)
    } else {
      fields.append((key, setting(.object([]), path.dropFirst(), v)))
    }
    return .object(fields)
  }
}
