/// A project whose every name is resolved and every expression typed, with what the checks found.
public struct CheckedProject: Sendable {
  /// The rulebooks read, with their files and import links.
  public var project: Project
  /// Every definition, typed, by the unit that declares it and its name.
  public var definitions: [Reference: Typed]
  /// Every named list, checked, by unit and name.
  public var lists: [Reference: CheckedList]
  /// Every decision table, checked, by unit and name.
  public var tables: [Reference: CheckedTable]
  /// Checked rules of each unit, in `Project.units` order.
  public var rules: [[CheckedRule]]
  /// Each unit's fact roots (its schema merged with its imports'), sorted by name.
  public var factRoots: [[Field]]
  /// Errors and lint warnings, sorted by place.
  public var diagnostics: [Diagnostic]
  /// Warnings a rule allows (`lint: {allow: […], reason: …}`), with the rule's reason; shown by
  /// `lint --verbose`, never counted.
  public var allowed: [(warning: Diagnostic, reason: String)] = []
}

/// A named list with its element type and checked items.
public struct CheckedList: Sendable {
  /// The list as written.
  public var list: NamedList
  /// The type of its items.
  public var type: ValueType
  /// The items, typed, in the order written.
  public var items: [Typed]
}

/// A decision table with typed inputs, cells and outputs.
public struct CheckedTable: Sendable {
  /// A checked cell: the test, with its operands typed.
  public typealias Cell = CellTest<Typed>
  /// The table as written.
  public var table: DecisionTable
  /// For a table with `for:`, the type of one item of its list.
  public var itemType: ValueType?
  /// The inputs, typed, in column order.
  public var inputs: [Typed]
  /// The rows: each cell's checked test, and the typed outputs (one per output).
  public var rows: [(cells: [Cell], outputs: [Typed])]
  /// The typed default outputs, if given.
  public var defaultValue: [Typed]?
  /// Each output's type, in column order.
  public var outputTypes: [ValueType]
  /// The type of one result: the single output's, or a record of the named outputs (a `collect`
  /// table yields a list of these).
  public var outputType: ValueType
  /// The typed `priority:` list, most important first.
  public var priority: [Typed] = []
}

/// A rule with its expressions checked.
public struct CheckedRule: Sendable {
  /// A part of a checked message.
  public enum MessagePart: Sendable {
    case text(String)
    case placeholder(Typed)
  }
  /// The rule as written.
  public var rule: Rule
  /// The index in `Project.units` of the rulebook that declares the rule.
  public var unit: Int
  /// The typed `when:` condition, if given.
  public var when: Typed?
  /// The typed condition after the verb.
  public var condition: Typed
  /// The message's text runs and typed placeholders.
  public var message: [MessagePart]
}

/// Checks a loaded project: the passes run in the order listed in `run()`.
public enum Check {
  /// Resolves names, checks types and runs the lint passes over every unit of the project. With
  /// a `memo` of an earlier check, rules whose text and declarations are unchanged are taken from
  /// it (the result is the same; see `CheckMemo`).
  /// With `warnings: false`, the lint passes that only warn are skipped (`Checker.lintErrors`),
  /// as when rulebooks are loaded to decide with and nothing would show the warnings. The errors,
  /// and so what loads, are the same.
  public static func project(_ project: Project, memo: CheckMemo? = nil, warnings: Bool = true) -> CheckedProject {
    let checker = Checker(project)
    memo?.begin(project)
    checker.memo = memo
    checker.warnings = warnings
    checker.run()
    memo?.finish()
    let (kept, allowed) = checker.allowances(checker.diagnostics)
    return CheckedProject(
      project: project, definitions: checker.definitionTypes, lists: checker.listTypes, tables: checker.tableTypes,
      rules: checker.checkedRules,
      factRoots: checker.scopes.map { s in s.facts.map { Field(name: $0.key, type: $0.value) }.sorted { $0.name < $1.name } },
      diagnostics: (project.diagnostics + kept).sorted(by: Diagnostic.reportingOrder),
      allowed: allowed.sorted { Diagnostic.reportingOrder($0.warning, $1.warning) })
  }
}

/// Mutable state shared by the passes; one per `Check.project` call.
final class Checker {
  let project: Project
  var scopes: [Scope] = []
  var diagnostics: [Diagnostic] = []

  var definitionTypes: [Reference: Typed] = [:]
  var listTypes: [Reference: CheckedList] = [:]
  var tableTypes: [Reference: CheckedTable] = [:]
  var checkedRules: [[CheckedRule]] = []
  /// Whether the lint passes look for warnings (`Check.project`).
  var warnings = true

  /// Definitions and tables being checked, to detect cycles.
  var inProgress: [Reference] = []
  /// How deeply the node being checked is nested, counting the definitions and tables around it
  /// as expanded in place; the deepest level reached in the declaration being measured, and the
  /// declaration that reached it; each checked declaration's own depth (see `Nesting.swift`).
  var depth = 0
  var deepest = 0
  var deepestVia: Reference?
  /// Whether the declaration being measured nests too deeply, or uses one that does.
  var overflowed = false
  var nesting: [Reference: Nesting] = [:]
  /// Whether the declarations being checked as one group (a cycle) already reported P0520,
  /// and the declarations already reported as too deep to use (each is reported once).
  var nestingReported = false
  var tooDeepToUse: Set<Reference> = []
  /// How many times an expression was refused for nesting too deeply (a rule that met one is not memoized).
  var nestingRefusals = 0
  /// Results of an earlier check to reuse, if any, and each rule's key in it (by unit, in rule order).
  var memo: CheckMemo?
  lazy var memoKeys: [[TextKey?]] = project.units.map { unit in unit.rulebook.rules.map { CheckMemo.key($0, project) } }
  /// Every declaration an expression names, for the unused-item warnings (fact reads are
  /// collected from the checked expressions afterwards, see `Lint.swift`).
  var used: Set<Reference> = []

  init(_ project: Project) { self.project = project }

  /// The passes, in order. Each adds diagnostics and goes on; none stops at the first problem.
  func run() {
    declare()  // Scope.swift: fact roots (own and imported), lists, definitions, tables, aliases
    checkLists()  // Declarations.swift: list item types
    checkDefinitions()  // Nesting.swift: definitions and tables, used ones first; cycles, nesting depth
    checkTables()  // Tables.swift: inputs, cells against inputs, outputs agree
    checkRules()  // Rules.swift: when, require/forbid/flag, messages, overrides, dates
    checkTests()  // Rules.swift: expectations name real rules, fact files exist
    checkCitations()  // Citations.swift: clause ids in `cite` name clauses of the regulations registry
    if warnings {
      lint()  // Lint.swift: unused items, constant verdicts, duplicates, unreachable rows, citations
    } else {
      lintErrors()  // Lint.swift: what lint finds that is an error
    }
  }

  /// Splits warnings a rule allows (inside the rule, with its code in the rule's `lint.allow`)
  /// from the rest. Errors are never allowed.
  func allowances(_ ds: [Diagnostic]) -> (kept: [Diagnostic], allowed: [(warning: Diagnostic, reason: String)]) {
    let rules = project.units.flatMap(\.rulebook.rules).filter { !$0.lintAllow.isEmpty }
    guard !rules.isEmpty else { return (ds, []) }
    var kept: [Diagnostic] = []
    var allowed: [(warning: Diagnostic, reason: String)] = []
    for d in ds {
      if d.severity == .warning,
        let rule = rules.first(where: { r in
          guard let n = r.nodeSpan, n.file == d.span.file else { return false }
          return n.start.offset <= d.span.start.offset && d.span.start.offset < Swift.max(n.end.offset, n.start.offset + 1)
            && r.lintAllow.contains { $0.value == d.code.rawValue }
        })
      {
        allowed.append((d, rule.lintReason ?? ""))
      } else {
        kept.append(d)
      }
    }
    return (kept, allowed)
  }

  func report(_ code: DiagnosticCode, _ span: Span, _ message: String, notes: [Diagnostic.Note] = [], help: [String] = []) {
    diagnostics.append(Diagnostic(code, span, message, notes: notes, help: help))
  }

  func unit(_ i: Int) -> Rulebook { project.units[i].rulebook }
}
