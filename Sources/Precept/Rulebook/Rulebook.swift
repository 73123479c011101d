/// A value with the place it was written.
public struct Located<T: Sendable>: Sendable {
  /// The value as written.
  public var value: T
  /// Where it is written.
  public var span: Span
  /// A value and the place it was written.
  public init(_ value: T, _ span: Span) {
    self.value = value
    self.span = span
  }
}

/// One rulebook file, read and structurally validated (names and types are checked later).
public struct Rulebook: Sendable {
  /// The file the rulebook was read from.
  public var file: SourceFile
  /// The rulebook id (`cn.consumer-credit`) and where it is written.
  public var id: Located<String>
  /// The human-readable title, if given.
  public var title: String?
  /// The rulebook's version (`2026.11.0`), if given.
  public var version: String?
  /// The jurisdiction it applies in (`CN`), if given.
  public var jurisdiction: String?
  /// The date the rulebook takes effect, as written (checked as a date by the checker).
  public var effective: Located<String>?
  /// UTC offset for calendar-day grouping (`per_day`), e.g. `+08:00`; default UTC.
  public var timezone: Located<String>?
  /// The rulebooks this one imports, in the order written.
  public var imports: [Import]
  /// Aliases that a second import also claimed (reported as P0304; that import is dropped). A name
  /// read through such an alias may have been meant for the dropped import, so it is not reported.
  public var reusedAliases: Set<String> = []
  /// The fact roots this rulebook declares (`applicant`, `product`), in the order written.
  public var schema: [SchemaRoot]
  /// The named lists of constants.
  public var lists: [NamedList]
  /// The named derived values.
  public var definitions: [Definition]
  /// The decision tables.
  public var tables: [DecisionTable]
  /// The rules, in the order written.
  public var rules: [Rule]
  /// Where the `rules:` list is written (from its first item to the key after it), if it is.
  public var rulesSpan: Span?
  /// The cases under `tests:`.
  public var tests: [RulebookTest]
}

/// `imports: - { path: ../common/cn-lists.yaml, as: cn }`.
public struct Import: Sendable {
  /// The imported file's path, relative to this rulebook.
  public var path: Located<String>
  /// The name its declarations are visible under (`cn` in `cn.prohibited_claims`).
  public var alias: Located<String>
}

/// A top-level key of the schema (`applicant`, `product`) and its record of fields.
public struct SchemaRoot: Sendable {
  /// The root's name and where it is written.
  public var name: Located<String>
  /// The root's type, usually a record of fields.
  public var type: ValueType
  /// Every declared field path below this root with the place its name is written, for
  /// "unused field" warnings and "declared here" notes.
  public var fields: [SchemaField]
}

/// A declared field, by its full path (`applicant.age`).
public struct SchemaField: Sendable {
  /// The field's path from its root (`["applicant", "age"]`).
  public var path: [String]
  /// Where the field's name is written.
  public var span: Span
  /// The field's declared type.
  public var type: ValueType
}

/// A named list of constants (`prohibited_claims: [保本, 零风险]`).
public struct NamedList: Sendable {
  /// The list's name and where it is written.
  public var name: Located<String>
  /// The items, in the order written.
  public var items: [ListItem]
  /// The whole list as written.
  public var span: Span
}

/// One item of a named list, as written.
public struct ListItem: Sendable {
  /// The item's text as written.
  public var text: String
  /// How the item was written (a quoted item is always text).
  public var style: ScalarStyle
  /// The item's text for parsing it as a literal, with offsets into its file.
  public var source: ExprSource
  /// Where the item is written.
  public var span: Span
}

/// `name: expression`.
public struct Definition: Sendable {
  /// The definition's name and where it is written.
  public var name: Located<String>
  /// The expression it names.
  public var expr: Expr
}

/// How a decision table resolves several matching rows (DMN hit policies).
public enum HitPolicy: String, Sendable, CaseIterable {
  case first, unique, collect, any, priority
  case ruleOrder = "rule_order"
  case outputOrder = "output_order"

  /// Whether the table yields one result (else the list of every matching row's result).
  public var isSingle: Bool {
    switch self {
    case .first, .unique, .any, .priority: true
    case .collect, .ruleOrder, .outputOrder: false
    }
  }
}

/// How a `collect` table folds its matching results into one value.
public enum Aggregate: String, Sendable, CaseIterable {
  case sum, count, min, max
}

/// A DMN-style decision table.
public struct DecisionTable: Sendable {
  /// The table's name and where it is written.
  public var name: Located<String>
  /// How several matching rows are resolved.
  public var hit: HitPolicy
  /// `for:` — the list whose items the table is applied to one at a time (`fee_cap(fee)`), its
  /// inputs reading the item as `.field`; nil for a table over the facts as a whole.
  public var forEach: Expr?
  /// The expressions each row's cells test, in column order.
  public var inputs: [Expr]
  /// What each row yields: one unnamed result, or the named `outputs:` in column order.
  public var outputs: [TableOutput] = [TableOutput()]
  /// The rows, in the order written.
  public var rows: [TableRow]
  /// The outputs when no row matches (one per output, in column order), if given.
  public var defaultValue: [Expr]?
  /// `priority:` — the outputs from most to least important, for `priority` and `output_order`.
  public var priority: [Expr] = []
  /// `aggregate:` — for `collect`, the fold of the matching results.
  public var aggregate: Located<Aggregate>?
  /// The whole table as written.
  public var span: Span
}

/// One output of a table: its single result, or one of its named `outputs:`.
public struct TableOutput: Sendable {
  /// The output's name (read as `table.name`); nil for a table's single result.
  public var name: Located<String>?
  /// The type declared with `type:` or in `outputs:`, if any; else the rows' results decide it.
  public var type: ValueType?
  /// Where the declared type is written.
  public var typeSpan: Span?

  public init(name: Located<String>? = nil, type: ValueType? = nil, typeSpan: Span? = nil) {
    self.name = name
    self.type = type
    self.typeSpan = typeSpan
  }
}

/// One row: a test per input, then the outputs.
public struct TableRow: Sendable {
  /// One test per input, in column order.
  public var cells: [TableCell]
  /// The row's results when every cell matches, one per output.
  public var outputs: [Expr]
  /// The row as written.
  public var span: Span
}

/// A decision-table input cell.
public struct TableCell: Sendable {
  /// What a cell tests its input against, as written.
  public typealias Test = CellTest<Expr>
  /// What the cell tests its input against.
  public var test: Test
  /// Where the cell is written.
  public var span: Span
}

/// What a decision-table cell tests its input against, over operands of type `Operand`: written
/// expressions, then typed ones (`CheckedTable.Cell`), then graph nodes (`CompiledTable.Cell`) —
/// one shape through the pipeline.
public indirect enum CellTest<Operand: Sendable>: Sendable {
  /// `-`: any value.
  case any
  /// `A`, `12`, `18%`: equal to.
  case equals(Operand)
  /// `<= 12`.
  case compare(BinaryOp, Operand)
  /// `[1..5]`, `(0..1]`: a range, each end inclusive or not.
  case range(Operand, lowInclusive: Bool, Operand, highInclusive: Bool)
  /// `A, B`, `< 18, >= 60`: any of the tests (each an equality, comparison or range).
  case anyOf([CellTest])
  /// `not(A, B)`, `not([1..5])`: none of the tests.
  case not(CellTest)

  /// The operands the test compares its input with, in the order written.
  public var operands: [Operand] {
    switch self {
    case .any: []
    case .equals(let e), .compare(_, let e): [e]
    case .range(let a, _, let b, _): [a, b]
    case .anyOf(let ts): ts.flatMap(\.operands)
    case .not(let t): t.operands
    }
  }

  /// The same test over other operands, in the order written.
  public func map<T>(_ f: (Operand) -> T) -> CellTest<T> {
    switch self {
    case .any: .any
    case .equals(let e): .equals(f(e))
    case .compare(let op, let e): .compare(op, f(e))
    case .range(let a, let ai, let b, let bi): .range(f(a), lowInclusive: ai, f(b), highInclusive: bi)
    case .anyOf(let ts): .anyOf(ts.map { $0.map(f) })
    case .not(let t): .not(t.map(f))
    }
  }
}

/// Lifecycle stages of a product.
public enum Stage: String, Sendable, CaseIterable, Codable {
  case planning, design, approval, launch, operation, exit
}

/// How serious a violated rule is, least first.
public enum Severity: String, Sendable, CaseIterable, Comparable, Codable {
  case info, warning, review, block

  var rank: Int { Severity.allCases.firstIndex(of: self) ?? 0 }
  /// Orders severities from `info` to `block`.
  public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// `require` is violated when false, `forbid` when true, `flag` raises an alert when true.
public enum Verb: String, Sendable, CaseIterable, Codable {
  case require, forbid, flag
}

/// A rule of the rulebook.
public struct Rule: Sendable {
  /// The rule's id (`ELIG-DTI`) and where it is written.
  public var id: Located<String>
  /// A one-line statement of the rule, if given.
  public var title: String?
  /// The rule's category (`eligibility`, `disclosure`, …), if given.
  public var category: Located<String>?
  /// The department that signs off (`risk`, `compliance`, …), if given.
  public var owner: Located<String>?
  /// The lifecycle stages in which the rule applies.
  public var stages: [Stage]
  /// How serious a violation is.
  public var severity: Severity
  /// The rule's applicability condition (`when:`), if given.
  public var when: Expr?
  /// Whether the condition is required, forbidden or flagged.
  public var verb: Verb
  /// The condition after the verb.
  public var condition: Expr
  /// Where the verb (`require:`, `forbid:`, `flag:`) is written.
  public var verbSpan: Span
  /// The message shown when the rule is violated or unknown, if given.
  public var message: Message?
  /// The regulation or policy the rule implements, if given (a list's items joined with "; ").
  public var cite: String?
  /// The clauses of the regulations registry the rule cites by id (`PBOC-2021-3#3`).
  public var clauses: [Located<String>] = []
  /// Why an eligibility or suitability rule may read a protected attribute (fair-lending lint).
  public var justification: String?
  /// The ids of the rules this exception sets aside when it applies.
  public var overrides: [Located<String>]
  /// Dates within which the rule applies (either end optional), as written.
  public var effectiveFrom: Located<String>?
  /// The last date on which the rule applies, as written.
  public var effectiveUntil: Located<String>?
  /// The rule's `- id:` line, for "declared here" notes and the decision's `source`.
  public var span: Span
  /// True when `severity` was missing or invalid (already reported) and `block` stands in for it.
  public var severityAssumed: Bool = false
  /// Lint warnings the author has judged right but intended for this rule (`lint: {allow: […]}`).
  public var lintAllow: [Located<String>] = []
  /// Why they are intended (`lint: {reason: …}`).
  public var lintReason: String?
  /// The whole rule as written (its mapping), to find the warnings that fall inside it.
  public var nodeSpan: Span?
}

/// A message with `{expression}` placeholders.
public struct Message: Sendable {
  /// A run of text or a placeholder.
  public enum Part: Sendable {
    case text(String)
    case placeholder(Expr)
  }
  /// The text runs and placeholders, in order.
  public var parts: [Part]
  /// Where the message is written.
  public var span: Span
}

/// A case under `tests:`: facts in, the expected decision out.
public struct RulebookTest: Sendable {
  /// Facts written inline, or a file next to the rulebook.
  public enum Facts: Sendable {
    case inline(YAMLNode)
    case file(Located<String>)
  }
  /// The test case's name and where it is written.
  public var name: Located<String>
  /// The facts the case evaluates.
  public var facts: Facts
  /// The evaluation date (`as_of:`), as written, if given.
  public var asOf: Located<String>?
  /// The lifecycle stage to evaluate at, if given.
  public var stage: Stage?
  /// The expected outcome (`pass`, `block`, …), as written, if given.
  public var expectedOutcome: Located<String>?
  /// Rule ids expected in each status; nil when the test does not say.
  public var expectedStatuses: [(status: String, rules: [Located<String>])]
  /// The test case as written.
  public var span: Span
}
