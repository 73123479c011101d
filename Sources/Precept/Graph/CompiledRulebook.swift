/// A checked rulebook compiled to an immutable rule graph: compile once, evaluate many times,
/// from many threads.
public final class CompiledRulebook: Sendable {
  /// The rulebook id (`cn.consumer-credit`).
  public let id: String
  /// The human-readable title, if given.
  public let title: String?
  /// The rulebook's version (`2026.11.0`), if given.
  public let version: String?
  /// The jurisdiction it applies in (`CN`), if given.
  public let jurisdiction: String?
  /// `sha256:` of the rulebook's source and every file it imports, in load order.
  public let digest: String
  /// The file the rulebook was read from.
  public let path: String
  /// The fact roots the rulebook reads (its own schema merged with its imports'), sorted by name.
  public let roots: [Field]
  /// The rules, in the order written; `ruleIndex` finds one by id.
  public let rules: [CompiledRule]
  /// The rulebook's own effective date, if any.
  public let effective: CivilDate?
  /// Seconds east of UTC for calendar days (`per_day`); 0 unless the rulebook sets `timezone`.
  public let timezoneOffset: Int32
  /// Rule index by id.
  public let ruleIndex: [String: Int]

  let nodes: [Node]
  let tables: [CompiledTable]
  let program: Program
  /// The definitions, lists and tables behind named nodes, for drawing the graph (`RuleGraphView`).
  let names: GraphNames
  /// The rulebook's file and those it imports, for quoting expressions in traces.
  let sources: [String: SourceFile]

  init(
    id: String, title: String?, version: String?, jurisdiction: String?, digest: String, path: String,
    roots: [Field], rules: [CompiledRule], effective: CivilDate?, timezoneOffset: Int32, nodes: [Node], tables: [CompiledTable],
    names: GraphNames, sources: [String: SourceFile]
  ) {
    self.id = id
    self.title = title
    self.version = version
    self.jurisdiction = jurisdiction
    self.digest = digest
    self.path = path
    self.roots = roots
    self.rules = rules
    self.effective = effective
    self.timezoneOffset = timezoneOffset
    self.nodes = nodes
    self.tables = tables
    self.program = Program(nodes, tables: tables, roots: roots.count)
    self.names = names
    self.sources = sources
    self.ruleIndex = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
  }

  /// How many nodes the graph has after sharing identical sub-expressions.
  public var nodeCount: Int { nodes.count }

  /// The schema roots as the facts reader wants them.
  public var schema: [(name: String, type: ValueType)] { roots.map { ($0.name, $0.type) } }
}

/// Which nodes of a compiled graph stand for a name the rulebook declares, spelled as the
/// rulebook writes it (`dti`, or `cn.prohibited_claims` for an imported list). Evaluation never
/// reads this; `RuleGraphView` uses it to draw names instead of arithmetic.
///
/// A node can carry several names: identical definitions (or a definition that is just another
/// one) lower to one node, and so do lists with the same items. A definition that folds to a
/// constant shares its node with the same constant written elsewhere.
struct GraphNames: Sendable {
  /// Node → the definitions lowered to it.
  var definitions: [Int: [String]] = [:]
  /// Node → the named lists it holds (as written, or as enum cases when tested against an enum).
  var lists: [Int: [String]] = [:]
  /// Table index (`CompiledRulebook.tables`) → the table's name.
  var tables: [Int: String] = [:]

  mutating func name(_ node: Int, definition: String) {
    if definitions[node]?.contains(definition) != true { definitions[node, default: []].append(definition) }
  }

  mutating func name(_ node: Int, list: String) {
    if lists[node]?.contains(list) != true { lists[node, default: []].append(list) }
  }
}

/// A rule ready to evaluate, with everything a decision reports about it.
public struct CompiledRule: Sendable {
  /// The rule's id (`ELIG-DTI`).
  public let id: String
  /// A one-line statement of the rule, if given.
  public let title: String?
  /// The rule's category (`eligibility`, `disclosure`, …), if given.
  public let category: String?
  /// The department that signs off (`risk`, `compliance`, …), if given.
  public let owner: String?
  /// How serious a violation is.
  public let severity: Severity
  /// Whether the condition is required, forbidden or flagged.
  public let verb: Verb
  /// The lifecycle stages in which the rule applies.
  public let stages: [Stage]
  /// The regulation or policy the rule implements, if given.
  public let cite: String?
  /// The registry clauses the rule cites by id (`PBOC-2021-3#3`).
  public internal(set) var clauses: [String] = []
  /// Where the rule is written (its `id:`).
  public let source: Span
  /// The condition and `when` as written, for traces.
  public let conditionText: String
  /// The `when:` condition as written, if any.
  public let whenText: String?
  let when: Int?
  let condition: Int
  let message: [MessagePiece]
  /// Indices of the rules this one sets aside when it applies.
  let overrides: [Int]
  let effectiveFrom: CivilDate?
  let effectiveUntil: CivilDate?
  let trace: TraceTemplate
  let whenTrace: TraceTemplate?
}

/// A run of message text or a placeholder's node.
enum MessagePiece: Sendable {
  case text(String)
  case value(Int, ValueType)
}

/// The shape of a rule's condition for its trace: each sub-expression's node and source text.
struct TraceTemplate: Sendable {
  var node: Int
  var text: String
  var type: ValueType
  /// The fact path, when this sub-expression reads a fact directly.
  var fact: String?
  /// The definition's name, when this sub-expression names one.
  var definition: String?
  /// The compiled table, when this sub-expression names a decision table.
  var table: Int?
  /// Text tests (`contains any` …) whose matches belong to this node: itself, or those in a
  /// quantifier's body, which the trace does not expand.
  var matchNodes: [Int] = []
  var children: [TraceTemplate]
}

extension CompiledRulebook {
  /// The digest a rulebook compiled from `project`'s unit `unit` would carry (`digest`): whether
  /// the files read now are the ones a decision was made under.
  public static func digest(of project: Project, unit: Int) -> String { Digest.sources(project, unit: unit) }
}
