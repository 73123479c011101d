import Foundation
import Precept

/// What a name in a rulebook refers to.
public enum Target: Sendable, Hashable {
  case definition(Reference)
  case list(Reference)
  case table(Reference)
  /// A fact path (`product.pricing.apr`), declared in some unit's schema.
  case fact([String])
  /// A rule, by its id (rule ids are matched within the project).
  case rule(String)
  /// An import alias of a unit, leading to another unit.
  case alias(unit: Int, name: String)
}

/// A place where a name is written, what it refers to, and its type where it has one.
public struct Occurrence: Sendable {
  /// Where the name is written.
  public var span: Span
  /// What it names.
  public var target: Target
  /// Its type, for an expression.
  public var type: ValueType?
  /// Whether this is the declaration itself.
  public var isDeclaration: Bool
}

/// A checked project with every name's occurrences indexed, for hover, definition and references.
public struct Analysis: Sendable {
  /// The project as checked.
  public let checked: CheckedProject
  /// Occurrences by file path (the project's display path).
  public let occurrences: [String: [Occurrence]]
  /// Where enum cases are written bare (`consumer_loan`), by file: their start offsets.
  public let enumCases: [String: Set<Int>]

  /// Checks the rulebooks at `paths` (absolute), reading `overlay` (by real path) instead of the
  /// disk; with memos of the last check, what did not change is reused (the result is the same).
  public static func run(paths: [String], overlay: [String: [UInt8]], load: LoadMemo? = nil, check: CheckMemo? = nil) -> Analysis {
    let t0 = ContinuousClock.now
    let project = Project.load(paths: paths, overlay: overlay, memo: load)
    let t1 = ContinuousClock.now
    let checked = Check.project(project, memo: check)
    let t2 = ContinuousClock.now
    let a = Analysis(checked: checked)
    let t3 = ContinuousClock.now
    if getenv("PRECEPT_LSP_PHASES") != nil {
      let reused = "rules read \(load?.misses ?? 0) reused \(load?.hits ?? 0), checked \(check?.misses ?? 0) reused \(check?.hits ?? 0) (since start)"
      writeError("load \(t1 - t0) check \(t2 - t1) index \(t3 - t2); \(reused)\n")
    }
    return a
  }

  /// Indexes `checked`.
  public init(checked: CheckedProject) {
    self.checked = checked
    var out: [String: [Occurrence]] = [:]
    var cases: [String: Set<Int>] = [:]
    func add(_ o: Occurrence) { out[o.span.file, default: []].append(o) }
    func expression(_ t: Typed) {
      t.walk { node in
        switch node.kind {
        case .fact(let path): add(Occurrence(span: node.span, target: .fact(path), type: node.type, isDeclaration: false))
        case .definition(let r): add(Occurrence(span: node.span, target: .definition(r), type: node.type, isDeclaration: false))
        case .enumCase: cases[node.span.file, default: []].insert(node.span.start.offset)
        case .namedList(let r): add(Occurrence(span: node.span, target: .list(r), type: node.type, isDeclaration: false))
        case .table(let r), .appliedTable(let r, _):
          add(Occurrence(span: node.span, target: .table(r), type: node.type, isDeclaration: false))
        default: break
        }
      }
    }
    let project = checked.project
    for (u, unit) in project.units.enumerated() {
      let book = unit.rulebook
      for d in book.definitions {
        let r = Reference(unit: u, name: d.name.value)
        add(Occurrence(span: d.name.span, target: .definition(r), type: checked.definitions[r]?.type, isDeclaration: true))
        if let t = checked.definitions[r] { expression(t) }
      }
      for l in book.lists {
        let r = Reference(unit: u, name: l.name.value)
        add(Occurrence(span: l.name.span, target: .list(r), type: checked.lists[r].map { .list($0.type) }, isDeclaration: true))
      }
      for t in book.tables {
        let r = Reference(unit: u, name: t.name.value)
        let checkedTable = checked.tables[r]
        add(Occurrence(span: t.name.span, target: .table(r), type: checkedTable?.outputType, isDeclaration: true))
        if let c = checkedTable {
          c.inputs.forEach(expression)
          for row in c.rows { row.outputs.forEach(expression) }
          c.defaultValue?.forEach(expression)
        }
      }
      for root in book.schema {
        for f in root.fields { add(Occurrence(span: f.span, target: .fact(f.path), type: f.type, isDeclaration: true)) }
      }
      for imp in book.imports {
        add(Occurrence(span: imp.alias.span, target: .alias(unit: u, name: imp.alias.value), type: nil, isDeclaration: true))
      }
      for r in book.rules {
        add(Occurrence(span: r.id.span, target: .rule(r.id.value), type: nil, isDeclaration: true))
        for o in r.overrides { add(Occurrence(span: o.span, target: .rule(o.value), type: nil, isDeclaration: false)) }
      }
      for t in book.tests {
        for (_, rules) in t.expectedStatuses {
          for r in rules { add(Occurrence(span: r.span, target: .rule(r.value), type: nil, isDeclaration: false)) }
        }
      }
      if u < checked.rules.count {
        for rule in checked.rules[u] {
          rule.when.map(expression)
          expression(rule.condition)
          for part in rule.message { if case .placeholder(let t) = part { expression(t) } }
        }
      }
    }
    occurrences = out
    enumCases = cases
  }

  /// The innermost occurrence covering `offset` in `file`.
  public func occurrence(in file: String, at offset: Int) -> Occurrence? {
    (occurrences[file] ?? [])
      .filter { $0.span.start.offset <= offset && offset <= $0.span.end.offset }
      .min { ($0.span.end.offset - $0.span.start.offset) < ($1.span.end.offset - $1.span.start.offset) }
  }

  /// Where `target` is declared.
  public func declaration(of target: Target) -> Span? {
    let units = checked.project.units
    switch target {
    case .definition(let r): return units[safe: r.unit]?.rulebook.definitions.first { $0.name.value == r.name }?.name.span
    case .list(let r): return units[safe: r.unit]?.rulebook.lists.first { $0.name.value == r.name }?.name.span
    case .table(let r): return units[safe: r.unit]?.rulebook.tables.first { $0.name.value == r.name }?.name.span
    case .fact(let path):
      for u in units {
        for root in u.rulebook.schema {
          if let f = root.fields.first(where: { $0.path == path }) { return f.span }
        }
      }
      // A root itself, or a path through a field whose type is written inline (`record(…)`).
      for u in units {
        for root in u.rulebook.schema where root.name.value == path.first {
          if let f = root.fields.filter({ path.starts(with: $0.path) }).max(by: { $0.path.count < $1.path.count }) { return f.span }
          return root.name.span
        }
      }
      return nil
    case .rule(let id):
      for u in units { if let r = u.rulebook.rules.first(where: { $0.id.value == id }) { return r.id.span } }
      return nil
    case .alias(let u, let name):
      guard let target = units[safe: u]?.imports[name], let file = units[safe: target]?.rulebook.file else { return nil }
      return file.span(0, 0)
    }
  }

  /// Every occurrence of `target`, declaration included, in file order.
  public func references(to target: Target) -> [Occurrence] {
    occurrences.values.flatMap { $0.filter { $0.target == target } }
      .sorted { ($0.span.file, $0.span.start.offset) < ($1.span.file, $1.span.start.offset) }
  }

  /// The rule with `id`, if any unit has one.
  public func rule(_ id: String) -> Rule? {
    for u in checked.project.units { if let r = u.rulebook.rules.first(where: { $0.id.value == id }) { return r } }
    return nil
  }

  /// The unit read from `file`, if any.
  public func unit(of file: String) -> Int? {
    checked.project.units.firstIndex { $0.rulebook.file.path == file }
  }
}

extension Array {
  subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
