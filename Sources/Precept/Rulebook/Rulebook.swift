/// A value with the place it was written.
public struct Located<T: Sendable>: Sendable {
  public var value: T
  public var span: Span
  public init(_ value: T, _ span: Span) {
    self.value = value
    self.span = span
  }
}

/// One rulebook file, read and structurally validated (names and types are checked later).
public struct Rulebook: Sendable {
  public var file: SourceFile
  public var id: Located<String>
  public var title: String?
  public var version: String?
  public var jurisdiction: String?
  /// The date the rulebook takes effect, as written (checked as a date by the checker).
  public var effective: Located<String>?
  /// UTC offset for calendar-day grouping (`per_day`), e.g. `+08:00`; default UTC.
  public var timezone: Located<String>?
  public var imports: [Import]
  /// Aliases that a second import also claimed (reported as P0304; that import is dropped). A name
  /// read through such an alias may have been meant for the dropped import, so it is not reported.
  public var reusedAliases: Set<String> = []
  public var schema: [SchemaRoot]
  public var lists: [NamedList]
  public var definitions: [Definition]
  public var tables: [DecisionTable]
  public var rules: [Rule]
  public var tests: [RulebookTest]
}

/// `imports: - { path: ../common/cn-lists.yaml, as: cn }`.
public struct Import: Sendable {
  public var path: Located<String>
  public var alias: Located<String>
}

/// A top-level key of the schema (`applicant`, `product`) and its record of fields.
public struct SchemaRoot: Sendable {
  public var name: Located<String>
  public var type: ValueType
  /// Every declared field path below this root with the place its name is written, for
  /// "unused field" warnings and "declared here" notes.
  public var fields: [SchemaField]
}

/// A declared field, by its full path (`applicant.age`).
public struct SchemaField: Sendable {
  public var path: [String]
  public var span: Span
  public var type: ValueType
}

/// A named list of constants (`prohibited_claims: [保本, 零风险]`).
public struct NamedList: Sendable {
  public var name: Located<String>
  public var items: [ListItem]
  public var span: Span
}

/// One item of a named list, as written.
public struct ListItem: Sendable {
  public var text: String
  public var style: ScalarStyle
  public var source: ExprSource
  public var span: Span
}

/// `name: expression`.
public struct Definition: Sendable {
  public var name: Located<String>
  public var expr: Expr
}

/// How a decision table resolves several matching rows (DMN hit policies).
public enum HitPolicy: String, Sendable, CaseIterable {
  case first, unique, collect, any
}

/// A DMN-style decision table.
public struct DecisionTable: Sendable {
  public var name: Located<String>
  public var hit: HitPolicy
  public var inputs: [Expr]
  public var rows: [TableRow]
  public var defaultValue: Expr?
  public var span: Span
}

/// One row: a test per input, then the output.
public struct TableRow: Sendable {
  public var cells: [TableCell]
  public var output: Expr
  public var span: Span
}

/// A decision-table input cell.
public struct TableCell: Sendable {
  /// What a cell tests its input against.
  public enum Test: Sendable {
    /// `-`: any value.
    case any
    /// `A`, `12`, `18%`: equal to.
    case equals(Expr)
    /// `<= 12`.
    case compare(BinaryOp, Expr)
    /// `[1..5]`, `(0..1]`: a range, each end inclusive or not.
    case range(Expr, lowInclusive: Bool, Expr, highInclusive: Bool)
    /// `A, B`: one of.
    case oneOf([Expr])
  }
  public var test: Test
  public var span: Span
}

/// Lifecycle stages of a product.
public enum Stage: String, Sendable, CaseIterable, Codable {
  case planning, design, approval, launch, operation, exit
}

/// How serious a violated rule is, least first.
public enum Severity: String, Sendable, CaseIterable, Comparable, Codable {
  case info, warning, review, block

  var rank: Int { Severity.allCases.firstIndex(of: self) ?? 0 }
  public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// `require` is violated when false, `forbid` when true, `flag` raises an alert when true.
public enum Verb: String, Sendable, CaseIterable, Codable {
  case require, forbid, flag
}

/// A rule of the rulebook.
public struct Rule: Sendable {
  public var id: Located<String>
  public var title: String?
  public var category: Located<String>?
  public var owner: Located<String>?
  public var stages: [Stage]
  public var severity: Severity
  public var when: Expr?
  public var verb: Verb
  public var condition: Expr
  public var verbSpan: Span
  public var message: Message?
  public var cite: String?
  /// Why an eligibility or suitability rule may read a protected attribute (fair-lending lint).
  public var justification: String?
  public var overrides: [Located<String>]
  /// Dates within which the rule applies (either end optional), as written.
  public var effectiveFrom: Located<String>?
  public var effectiveUntil: Located<String>?
  /// The rule's `- id:` line, for "declared here" notes and the decision's `source`.
  public var span: Span
  /// True when `severity` was missing or invalid (already reported) and `block` stands in for it.
  public var severityAssumed: Bool = false
}

/// A message with `{expression}` placeholders.
public struct Message: Sendable {
  /// A run of text or a placeholder.
  public enum Part: Sendable {
    case text(String)
    case placeholder(Expr)
  }
  public var parts: [Part]
  public var span: Span
}

/// A case under `tests:`: facts in, the expected decision out.
public struct RulebookTest: Sendable {
  /// Facts written inline, or a file next to the rulebook.
  public enum Facts: Sendable {
    case inline(YAMLNode)
    case file(Located<String>)
  }
  public var name: Located<String>
  public var facts: Facts
  public var asOf: Located<String>?
  public var stage: Stage?
  public var expectedOutcome: Located<String>?
  /// Rule ids expected in each status; nil when the test does not say.
  public var expectedStatuses: [(status: String, rules: [Located<String>])]
  public var span: Span
}
