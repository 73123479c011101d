/// A compiled rulebook's graph reduced to what a reviewer reads: rules, and the definitions,
/// tables, named lists and facts they read, with `overrides` between rules. Arithmetic and other
/// unnamed sub-expressions are collapsed: an edge `reads` goes from a rule (or definition, or
/// table) to the nearest named things its nodes depend on.
///
/// Vertices are sorted by kind (rules, definitions, tables, lists, facts), then by name; edges by
/// their ends in that order. Ids are stable and safe in dot and mermaid: `rule_ELIG_DTI`,
/// `def_dti`, `table_max_apr`, `list_cn_prohibited_claims`, `fact_product_pricing_apr`.
public struct RuleGraphView: Sendable, Equatable {
  /// What a vertex stands for.
  public enum VertexKind: String, Sendable, CaseIterable, Comparable {
    case rule, definition, table, list, fact

    var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    /// Orders kinds as vertices are sorted: rules, definitions, tables, lists, facts.
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }

    /// The id prefix.
    var prefix: String {
      switch self {
      case .rule: "rule"
      case .definition: "def"
      case .table: "table"
      case .list: "list"
      case .fact: "fact"
      }
    }
  }

  /// What an edge means.
  public enum EdgeKind: String, Sendable {
    /// The source depends on the target's value.
    case reads
    /// The source rule, when it applies, sets the target rule aside.
    case overrides
  }

  /// A rule, definition, table, named list or fact.
  public struct Vertex: Sendable, Equatable {
    /// Stable id: the kind's prefix and the name, with anything but ASCII letters, digits and `_`
    /// turned into `_` (and `_2`, `_3`, … appended should two names still meet).
    public var id: String
    /// What the vertex stands for.
    public var kind: VertexKind
    /// The rule id, the declared name as the rulebook writes it, or the fact path (`product.pricing.apr`).
    public var name: String
    /// Rules only.
    public var title: String?
    /// The rule's severity (rules only).
    public var severity: Severity?
    /// The rule's verb (rules only).
    public var verb: Verb?
  }

  /// A dependency or an override between two vertices.
  public struct Edge: Sendable, Equatable {
    /// The id of the vertex the edge starts from.
    public var from: String
    /// The id of the vertex the edge points to.
    public var to: String
    /// Whether the source reads the target or overrides it.
    public var kind: EdgeKind
  }

  /// The rulebook's id.
  public let rulebook: String
  /// The rulebook's version, if given.
  public let version: String?
  /// The rulebook's title, if given.
  public let title: String?
  /// The rulebook's digest (`sha256:…`).
  public let digest: String
  /// The vertices, sorted by kind then name.
  public let vertices: [Vertex]
  /// The edges, sorted by their ends.
  public let edges: [Edge]

  /// A vertex before it has an id.
  private struct Key: Hashable, Comparable {
    var kind: VertexKind
    var name: String
    static func < (a: Key, b: Key) -> Bool { (a.kind.rank, a.name) < (b.kind.rank, b.name) }
  }

  private struct KeyEdge: Hashable {
    var from: Key
    var to: Key
    var kind: EdgeKind
  }

  /// The reviewer's view of a compiled rulebook's graph.
  public init(_ book: CompiledRulebook) {
    rulebook = book.id
    version = book.version
    title = book.title
    digest = book.digest
    let reader = Reader(book: book)

    var keys: Set<Key> = []
    var keyEdges: Set<KeyEdge> = []
    var pending: [Key] = []
    func reach(_ from: Key, _ targets: Set<Key>) {
      for t in targets {
        keyEdges.insert(KeyEdge(from: from, to: t, kind: .reads))
        if keys.insert(t).inserted { pending.append(t) }
      }
    }

    for rule in book.rules {
      let key = Key(kind: .rule, name: rule.id)
      keys.insert(key)
      var starts = [rule.condition]
      if let w = rule.when { starts.append(w) }
      for piece in rule.message { if case .value(let n, _) = piece { starts.append(n) } }
      reach(key, reader.reads(starts))
      for i in rule.overrides where book.rules.indices.contains(i) {
        keyEdges.insert(KeyEdge(from: key, to: Key(kind: .rule, name: book.rules[i].id), kind: .overrides))
      }
    }
    // What the definitions and tables the rules read read in turn.
    while let key = pending.popLast() {
      switch key.kind {
      case .definition: reach(key, reader.reads(reader.definitionNodes[key.name] ?? [], namedAs: key.name))
      case .table: reach(key, reader.reads(reader.tableNodes[key.name] ?? []))
      case .rule, .list, .fact: break
      }
    }

    let sorted = keys.sorted()
    var ids: [Key: String] = [:]
    var taken: Set<String> = []
    for key in sorted {
      let base = key.kind.prefix + "_" + Self.sanitize(key.name)
      var id = base
      var n = 2
      while taken.contains(id) {
        id = base + "_\(n)"
        n += 1
      }
      taken.insert(id)
      ids[key] = id
    }
    let rules = Dictionary(book.rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    vertices = sorted.map { key in
      let rule = key.kind == .rule ? rules[key.name] : nil
      return Vertex(
        id: ids[key] ?? key.name, kind: key.kind, name: key.name, title: rule?.title, severity: rule?.severity, verb: rule?.verb)
    }
    let order = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
    edges = keyEdges
      .sorted { a, b in
        let l = (order[a.from] ?? 0, a.kind == .reads ? 0 : 1, order[a.to] ?? 0)
        let r = (order[b.from] ?? 0, b.kind == .reads ? 0 : 1, order[b.to] ?? 0)
        return l < r
      }
      .map { Edge(from: ids[$0.from] ?? "", to: ids[$0.to] ?? "", kind: $0.kind) }
  }

  /// ASCII letters, digits and `_` kept; anything else becomes `_`.
  static func sanitize(_ name: String) -> String {
    String(name.unicodeScalars.map { c -> Character in
      let v = c.value
      let ok = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
      return ok ? Character(c) : "_"
    })
  }

  /// Walks a compiled graph from given nodes to the nearest named things.
  private struct Reader {
    let book: CompiledRulebook
    /// Definition name → its node(s).
    let definitionNodes: [String: [Int]]
    /// Table name → every node its inputs, cells, outputs and default are computed by.
    let tableNodes: [String: [Int]]

    init(book: CompiledRulebook) {
      self.book = book
      var defs: [String: [Int]] = [:]
      for (node, names) in book.names.definitions {
        for name in names { defs[name, default: []].append(node) }
      }
      definitionNodes = defs.mapValues { $0.sorted() }
      var tables: [String: [Int]] = [:]
      for (i, t) in book.tables.enumerated() {
        var nodes = t.inputs
        for row in t.rows {
          nodes += row.outputs
          for cell in row.cells { nodes += cell.operands }
        }
        nodes += t.defaultValue ?? []
        tables[book.names.tables[i] ?? t.name, default: []] += nodes
      }
      tableNodes = tables
    }

    /// The named things the nodes depend on, not looking past any of them. `namedAs` is the
    /// definition being expanded: its own node is looked into rather than reported.
    func reads(_ starts: [Int], namedAs own: String? = nil) -> Set<Key> {
      var found: Set<Key> = []
      var seen: Set<Int> = []
      var stack = starts.filter { book.nodes.indices.contains($0) }
      let ownNodes = Set(own.flatMap { definitionNodes[$0] } ?? [])
      while let n = stack.popLast() {
        guard seen.insert(n).inserted else { continue }
        if case .appliedTable(let i, let item, _) = book.nodes[n].op {
          // A table applied to an item: the table, and whatever the item is read from.
          found.insert(tableKey(i))
          if book.nodes.indices.contains(item) { stack.append(item) }
        } else if let named = vertices(n, isOwn: ownNodes.contains(n)) {
          found.formUnion(named)
        } else {
          stack += book.nodes[n].op.operands.filter { book.nodes.indices.contains($0) }
        }
      }
      return found
    }

    /// The vertices a node stands for, or nil when it is unnamed and its operands are to be read.
    private func vertices(_ n: Int, isOwn: Bool) -> [Key]? {
      if !isOwn, let defs = book.names.definitions[n] { return defs.map { Key(kind: .definition, name: $0) } }
      if case .table(let i) = book.nodes[n].op { return [tableKey(i)] }
      if let lists = book.names.lists[n] { return lists.map { Key(kind: .list, name: $0) } }
      if let path = factPath(n) { return [Key(kind: .fact, name: path)] }
      return nil
    }

    /// The vertex of compiled table `i` (a table with `for:` compiled at several loop depths is one vertex).
    private func tableKey(_ i: Int) -> Key {
      Key(kind: .table, name: book.names.tables[i] ?? (book.tables.indices.contains(i) ? book.tables[i].name : "table"))
    }

    /// Whether a definition or list names the node (`p.apr` for a definition `p` reads `p`).
    private func isNamed(_ n: Int) -> Bool { book.names.definitions[n] != nil || book.names.lists[n] != nil }

    /// The dotted path a node reads, when it is a fact or a field (or projection) of one:
    /// `product.pricing.apr`, `product.disclosures.kind`.
    func factPath(_ n: Int) -> String? {
      let node = book.nodes[n]
      switch node.op {
      case .fact(let root, let positions):
        guard book.roots.indices.contains(root) else { return nil }
        var type = book.roots[root].type
        var path = [book.roots[root].name]
        for p in positions {
          guard case .record(let r) = type.unwrapped, r.fields.indices.contains(p) else { return nil }
          path.append(r.fields[p].name)
          type = r.fields[p].type
        }
        return path.joined(separator: ".")
      case .field(let base, let i):
        guard book.nodes.indices.contains(base), !isNamed(base), let p = factPath(base),
          case .record(let r) = book.nodes[base].type.unwrapped, r.fields.indices.contains(i)
        else { return nil }
        return p + "." + r.fields[i].name
      case .projection(let base, let i):
        guard book.nodes.indices.contains(base), !isNamed(base), let p = factPath(base),
          case .record(let r) = book.nodes[base].type.element?.unwrapped, r.fields.indices.contains(i)
        else { return nil }
        return p + "." + r.fields[i].name
      default:
        return nil
      }
    }
  }
}
