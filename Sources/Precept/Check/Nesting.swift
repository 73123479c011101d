/// How deep a checked declaration nests, with the definitions and tables it uses expanded in place.
struct Nesting {
  /// Levels below the declaration's own expressions, counting what they use as expanded.
  var levels: Int
  /// The definition or table through which the deepest level is reached, if any.
  var via: Reference?
  /// It nests too deeply, or uses one that does (reported once, where the chain grew too deep).
  var tooDeep: Bool
}

/// Every later pass walks an expression by recursion, and expands each definition and table it
/// uses in place: lowering, constant folding, evaluation, traces. Nesting is therefore bounded
/// here, once, counting uses as expanded, so that none of those passes can run out of stack.
///
/// Definitions and tables are checked in an order where what each uses is checked first, so a
/// chain of 100,000 definitions is checked one at a time, not by a recursion 100,000 deep, and
/// the one place where it grows too deep is reported once.
extension Checker {
  /// The deepest nesting accepted, counting definitions and tables as expanded where they are
  /// used. The parser accepts a single expression this deep, so only uses can reach past it.
  static let maximumNesting = Parser.maximumDepth

  /// Checks every definition and table, each after those it uses. Declarations in a cycle are
  /// checked as before, from the one reached first, where the cycle is reported.
  func checkDefinitions() {
    for group in dependencyOrder() {
      nestingReported = false
      for ref in group {
        if scopes[ref.unit].definitions[ref.name] != nil { _ = definitionType(ref) } else { _ = tableResultType(ref) }
      }
    }
    nestingReported = false
  }

  /// Counts one more level on entering a sub-expression; false (reported) past the maximum.
  /// Within a declaration whose uses are already checked this cannot happen (see `expand`); it
  /// guards the checking of a cycle, where a declaration is checked from inside another.
  func enter(_ span: Span) -> Bool {
    guard depth < Checker.maximumNesting else {
      overflowed = true
      nestingRefusals += 1
      reportNesting(inProgress, at: span)
      return false
    }
    depth += 1
    if depth > deepest { (deepest, deepestVia) = (depth, nil) }
    return true
  }

  /// Whether the checked declaration `ref`, used at the current depth, stays within the
  /// maximum once expanded; when it does not, the use is reported and becomes an error.
  func expand(_ ref: Reference, at span: Span) -> Bool {
    // Still being checked: a cycle, reported as such.
    guard let n = nesting[ref] else { return true }
    let reach = depth + n.levels
    guard reach <= Checker.maximumNesting, !n.tooDeep else {
      overflowed = true
      nestingRefusals += 1
      if !n.tooDeep, tooDeepToUse.insert(ref).inserted { reportNesting(Array(inProgress.suffix(1)) + chain(from: ref), at: span) }
      return false
    }
    if reach > deepest { (deepest, deepestVia) = (reach, ref) }
    return true
  }

  /// Checks a definition or table with `body`, recording how deep it nests.
  func measuring<T>(_ ref: Reference, _ body: () -> T) -> T {
    let outer = (deepest, deepestVia, overflowed)
    (deepest, deepestVia, overflowed) = (depth, nil, false)
    inProgress.append(ref)
    let result = body()
    inProgress.removeLast()
    nesting[ref] = Nesting(levels: deepest - depth, via: deepestVia, tooDeep: overflowed)
    (deepest, deepestVia, overflowed) = outer
    return result
  }

  /// `ref`, then the declaration through which it reaches deepest, and so on.
  private func chain(from ref: Reference) -> [Reference] {
    var out = [ref]
    // Each step is strictly shallower, so this ends.
    while let next = nesting[out[out.count - 1]]?.via, out.count <= Checker.maximumNesting { out.append(next) }
    return out
  }

  /// Reports `path` as nesting too deeply, once per group of declarations checked together.
  private func reportNesting(_ path: [Reference], at span: Span) {
    if !inProgress.isEmpty {
      guard !nestingReported else { return }
      nestingReported = true
    }
    // (An expression alone cannot nest this deep, the parser stops it first: P0407.)
    let what = path.isEmpty ? "this expression" : Checker.chain(labels: path.map { label($0, in: span.file) })
    report(
      .nestedTooDeeply, span,
      "definitions nest more than \(Checker.maximumNesting) levels deep: " + what + (path.count > 6 ? " (\(path.count) in the chain)" : ""),
      help: [
        "a definition stands for its whole expression wherever it is used, so a chain of definitions nests like one long expression; shorten the chain by merging definitions"
      ])
  }

  /// `a` → `b` → `c` (names quoted, long ones clipped); more than six show the first three and
  /// the last two.
  static func chain(_ names: [String]) -> String {
    chain(labels: names.map { "`\(clipped($0))`" })
  }

  static func chain(labels: [String]) -> String {
    let shown = labels.count > 6 ? labels.prefix(3) + ["…"] + labels.suffix(2) : labels[...]
    return shown.joined(separator: " → ")
  }

  /// A declaration's quoted name, with its rulebook's id when it is declared in another file
  /// than `file`: `` `d` in `cn.pricing` ``.
  func label(_ ref: Reference, in file: String) -> String {
    let book = unit(ref.unit)
    let name = "`\(Checker.clipped(ref.name))`"
    return book.file.path == file ? name : name + " in `\(Checker.clipped(book.id.value))`"
  }

  /// A name as a message shows it: a name longer than 60 characters is cut in the middle.
  static func clipped(_ s: String) -> String {
    let scalars = Array(s.unicodeScalars)
    guard scalars.count > 60 else { return s }
    return String(scalars: scalars[..<30]) + "…" + String(scalars: scalars[(scalars.count - 29)...])
  }

  // MARK: - Order

  /// Definitions and tables in groups, each group after every group it uses: a group is one
  /// declaration, or the declarations of one cycle in the order they are first reached. Uses are
  /// read from the syntax (a name that may mean a declaration counts as a use), so this is
  /// Tarjan's algorithm on a graph with every real use in it, run with an explicit stack.
  func dependencyOrder() -> [[Reference]] {
    let all = project.units.indices.flatMap { u in unit(u).definitions.map { Reference(unit: u, name: $0.name.value) } }
      + project.units.indices.flatMap { u in unit(u).tables.map { Reference(unit: u, name: $0.name.value) } }
    var index: [Reference: Int] = [:]
    var low: [Reference: Int] = [:]
    var edges: [Reference: [Reference]] = [:]
    var stack: [Reference] = []
    var onStack: Set<Reference> = []
    var groups: [[Reference]] = []
    func discover(_ r: Reference) {
      index[r] = index.count
      low[r] = index[r]
      edges[r] = uses(r)
      stack.append(r)
      onStack.insert(r)
    }
    for root in all where index[root] == nil {
      discover(root)
      var work: [(ref: Reference, next: Int)] = [(root, 0)]
      while let (v, i) = work.last {
        let out = edges[v] ?? []
        if i < out.count {
          work[work.count - 1].next += 1
          let w = out[i]
          if index[w] == nil {
            discover(w)
            work.append((w, 0))
          } else if onStack.contains(w), let iw = index[w], let lv = low[v] {
            low[v] = min(lv, iw)
          }
          continue
        }
        work.removeLast()
        if let parent = work.last?.ref, let lp = low[parent], let lv = low[v] { low[parent] = min(lp, lv) }
        guard low[v] == index[v], let at = stack.lastIndex(of: v) else { continue }
        groups.append(Array(stack[at...]))
        for r in stack[at...] { onStack.remove(r) }
        stack.removeSubrange(at...)
      }
    }
    return groups
  }

  /// The definitions and tables a declaration's expressions may name, in the order written.
  private func uses(_ ref: Reference) -> [Reference] {
    let u = ref.unit
    let book = unit(u)
    var roots: [Expr] = []
    if let i = scopes[u].definitions[ref.name] {
      roots = [book.definitions[i].expr]
    } else if let i = scopes[u].tables[ref.name] {
      let t = book.tables[i]
      roots = t.inputs
      for row in t.rows {
        for cell in row.cells { roots += cell.test.operands }
        roots += row.outputs
      }
      roots += t.defaultValue ?? []
    }
    func declaration(_ n: String, in v: Int) -> Reference? {
      scopes[v].definitions[n] != nil || scopes[v].tables[n] != nil ? Reference(unit: v, name: n) : nil
    }
    var out: [Reference] = []
    var pending = Array(roots.reversed())
    while let e = pending.popLast() {
      switch e.kind {
      case .name(let n):
        if let r = declaration(n, in: u) { out.append(r) }
      case .member(let base, let field, _):
        if case .name(let a) = base.kind, let target = scopes[u].aliases[a], let r = declaration(field, in: target) { out.append(r) }
        pending.append(base)
      default:
        pending += e.children.reversed()
      }
    }
    return out
  }
}
