/// The canonical order of the keys of a rulebook's fixed-key mappings, and the moves that put a
/// file's keys in it. Each key moves with everything written under it and with the comment lines
/// directly above it; blank lines stay where they were, so a file's layout survives a reorder.
public enum KeyOrder {
  /// Top-level keys: what the rulebook is, then what it reads, then what it says, then its tests
  /// (the reader's own list, which rulebook-format.md follows).
  public static let topLevel = RulebookReader.topLevelKeys
  /// A rule's keys: who it is, whose it is, what it checks, what it says and cites, then the rest.
  public static let rule = NodeReader.ruleKeys
  /// A decision table's keys: the short settings before the rows, the default after them.
  public static let table = [
    "description", "hit", "aggregate", "for", "inputs", "type", "outputs", "priority", "rows", "default",
  ]
  /// A test's keys: its name and setting, the facts (often long), what it expects.
  public static let test = ["name", "file", "as_of", "stage", "facts", "expect"]
  /// A test's `expect`: the outcome, then the statuses in the order a decision lists them.
  public static let expect = ["outcome", "passed", "violated", "unknown", "not_applicable", "overridden"]
  /// An import's keys.
  public static let importKeys = ["path", "as"]
  /// A rule's `effective` dates.
  public static let effective = ["from", "until"]
  /// A rule's `lint` allowance.
  public static let lint = ["allow", "reason"]

  /// A reorder of one mapping's entries, replacing the file text between `start` and `end`.
  struct Move {
    var start: Int
    var end: Int
    /// Each entry's text range, in file order.
    var chunks: [Range<Int>]
    /// What separates entry `i` from entry `i + 1` (line breaks and blank lines, or `, `), kept in place.
    var separators: [Range<Int>]
    /// The order to write the entries in: `order[j]` is the entry written `j`th.
    var order: [Int]
    /// For a block mapping, the keys' column minus one: the indentation the first entry lacks
    /// (its line's start — indentation or `- ` — stays in place) and every other entry has.
    var indent: Int?
  }

  /// The mappings of `root` whose keys are out of canonical order, outermost first. `arrange`
  /// (for tests) orders a mapping's keys otherwise: it gives the new order of the entries, or nil.
  static func moves(in root: YAMLNode, file: SourceFile, arrange: (([String]) -> [Int]?)? = nil) -> [Move] {
    guard case .mapping(let top) = root.kind, top.contains(where: { $0.name == "precept" }) else { return [] }
    var out: [Move] = []
    func visit(_ node: YAMLNode, _ order: [String]) {
      if let m = move(node, order, file, arrange: arrange) { out.append(m) }
    }
    func items(_ node: YAMLNode?) -> [YAMLNode] {
      if case .sequence(let xs)? = node?.kind { return xs }
      return []
    }
    visit(root, topLevel)
    for pair in top {
      switch pair.name {
      case "imports": items(pair.value).forEach { visit($0, importKeys) }
      case "tables":
        if case .mapping(let tables) = pair.value.kind { tables.forEach { visit($0.value, table) } }
      case "rules":
        for r in items(pair.value) {
          visit(r, rule)
          guard case .mapping(let keys) = r.kind else { continue }
          for k in keys where k.name == "effective" { visit(k.value, effective) }
          for k in keys where k.name == "lint" { visit(k.value, lint) }
        }
      case "tests":
        for t in items(pair.value) {
          visit(t, test)
          guard case .mapping(let keys) = t.kind else { continue }
          for k in keys where k.name == "expect" { visit(k.value, expect) }
        }
      default: break
      }
    }
    return out.sorted { ($0.start, -$0.end) < ($1.start, -$1.end) }
  }

  /// The move that sorts `node`'s keys by `order`, or nil when they are sorted already, when the
  /// node is not a mapping, has a key `order` does not list (the reader reports it), or is a flow
  /// mapping over several lines.
  static func move(_ node: YAMLNode, _ order: [String], _ file: SourceFile, arrange: (([String]) -> [Int]?)? = nil) -> Move? {
    guard case .mapping(let pairs) = node.kind, pairs.count > 1, node.tag == nil else { return nil }
    let ranks = pairs.map { p in p.key.scalarStyle.flatMap { _ in order.firstIndex(of: p.name) } }
    guard ranks.allSatisfy({ $0 != nil }) else { return nil }
    let rank = ranks.map { $0 ?? 0 }
    let sorted: [Int]
    if let arrange {
      guard let o = arrange(pairs.map(\.name)), Set(o) == Set(pairs.indices), o.count == pairs.count, o != Array(pairs.indices) else { return nil }
      sorted = o
    } else {
      guard zip(rank, rank.dropFirst()).contains(where: { $0 > $1 }) else { return nil }
      sorted = rank.indices.sorted { (rank[$0], $0) < (rank[$1], $1) }
    }
    return isFlow(node, file) ? flowMove(pairs, sorted, file) : blockMove(pairs, sorted, file)
  }

  static func isFlow(_ node: YAMLNode, _ file: SourceFile) -> Bool {
    let c = file.text(node.span.start.offset, node.span.start.offset + 1)
    return c == "{" || c == "["
  }

  /// `{ b: 1, a: 2 }` on one line: each entry from its key to the end of its value.
  private static func flowMove(_ pairs: [YAMLPair], _ order: [Int], _ file: SourceFile) -> Move? {
    guard let first = pairs.first, let last = pairs.last, first.key.span.start.line == last.value.span.end.line else { return nil }
    let chunks = pairs.map { $0.key.span.start.offset..<max($0.key.span.end.offset, $0.value.span.end.offset) }
    guard zip(chunks, chunks.dropFirst()).allSatisfy({ $0.upperBound <= $1.lowerBound }) else { return nil }
    let separators = zip(chunks, chunks.dropFirst()).map { $0.upperBound..<$1.lowerBound }
    return Move(start: chunks[0].lowerBound, end: chunks[chunks.count - 1].upperBound, chunks: chunks, separators: separators, order: order)
  }

  /// A block mapping: entry `i` runs from the comment lines directly above its key (at the key's
  /// column, with no blank line between) to the last non-blank line before entry `i + 1`; the first
  /// entry starts at its key, the last ends with its value's last line.
  private static func blockMove(_ pairs: [YAMLPair], _ order: [Int], _ file: SourceFile) -> Move? {
    let s = file.scalars
    let column = pairs[0].key.span.start.column - 1
    guard pairs.allSatisfy({ $0.key.span.start.column - 1 == column }) else { return nil }
    func lineStart(_ offset: Int) -> Int { file.lineStarts[file.position(ofOffset: offset).line - 1] }
    /// The line's end, before its line break.
    func lineEnd(_ offset: Int) -> Int {
      var i = offset
      while i < s.count, !SourceFile.isLineBreak(s[i]) { i += 1 }
      return i
    }
    func isComment(_ start: Int) -> Bool {
      start + column < s.count && (start..<(start + column)).allSatisfy { s[$0] == " " } && s[start + column] == "#"
    }
    var starts = [pairs[0].key.span.start.offset]
    for p in pairs.dropFirst() {
      var start = lineStart(p.key.span.start.offset)
      guard (start..<p.key.span.start.offset).allSatisfy({ s[$0] == " " }) else { return nil }
      var line = file.position(ofOffset: start).line - 1
      while line > 0, isComment(file.lineStarts[line - 1]), file.lineStarts[line - 1] > starts[starts.count - 1] {
        line -= 1
        start = file.lineStarts[line]
      }
      starts.append(start)
    }
    /// Whether the line starting at `start` belongs to the value of a key at `column`: indented
    /// deeper, or a list item at the key's column (`key:` then `- item`).
    func isContent(_ start: Int) -> Bool {
      var i = start
      while i < s.count, s[i] == " " { i += 1 }
      guard i < s.count, !SourceFile.isLineBreak(s[i]), s[i] != "\t" else { return false }
      return i - start > column || (i - start == column && s[i] == "-")
    }
    var ends: [Int] = []
    for i in 1..<starts.count {
      // The end of the entry's last line of content before the next entry. Comment lines at the
      // keys' column after it, parted from the next key by a blank line, stay where they are.
      let keyLine = pairs[i - 1].key.span.start.line - 1
      var line = file.position(ofOffset: starts[i]).line - 1
      while line - 1 > keyLine, !isContent(file.lineStarts[line - 1]) { line -= 1 }
      guard line > keyLine else { return nil }
      ends.append(lineEnd(file.lineStarts[line - 1]))
    }
    guard let lastPair = pairs.last else { return nil }
    ends.append(lineEnd(lastContentEnd(lastPair.value, file)))
    let chunks = zip(starts, ends).map { $0..<$1 }
    guard chunks.allSatisfy({ !$0.isEmpty }), zip(chunks, chunks.dropFirst()).allSatisfy({ $0.upperBound < $1.lowerBound }) else { return nil }
    let separators = zip(chunks, chunks.dropFirst()).map { $0.upperBound..<$1.lowerBound }
    return Move(
      start: chunks[0].lowerBound, end: chunks[chunks.count - 1].upperBound, chunks: chunks, separators: separators, order: order,
      indent: column)
  }

  /// The offset of the last character written for `node` (its last scalar's, or a flow
  /// collection's closing bracket): a block collection's own end mark lies at the next token,
  /// past comments and blank lines that belong to what follows.
  static func lastContentEnd(_ node: YAMLNode, _ file: SourceFile) -> Int {
    var end = node.span.end.offset
    switch node.kind {
    case .mapping(let pairs) where !isFlow(node, file):
      if let p = pairs.last { return lastContentEnd(p.value, file) }
    case .sequence(let items) where !isFlow(node, file):
      if let x = items.last { return lastContentEnd(x, file) }
    default: break
    }
    // A block scalar ends after its line breaks: back up to its last character.
    let s = file.scalars
    while end > node.span.start.offset, end - 1 < s.count, s[end - 1].properties.isWhitespace { end -= 1 }
    return max(end - 1, node.span.start.offset)
  }
}

extension KeyOrder {
  /// Something `render` writes in place of file text: a formatted expression or a reordered mapping.
  enum Change {
    case edit(Formatter.Edit)
    case move(Move)

    var start: Int {
      switch self {
      case .edit(let e): e.start
      case .move(let m): m.start
      }
    }
    var end: Int {
      switch self {
      case .edit(let e): e.end
      case .move(let m): m.end
      }
    }
  }

  /// The outermost changes as edits of `file`, the changes inside them applied.
  static func edits(_ changes: [Change], _ file: SourceFile) -> [Formatter.Edit] {
    let sorted = changes.sorted { ($0.start, -$0.end) < ($1.start, -$1.end) }
    var out: [Formatter.Edit] = []
    var at = 0
    for (i, c) in sorted.enumerated() where c.start >= at {
      out.append(Formatter.Edit(start: c.start, end: c.end, text: render(c, sorted, from: i + 1, file)))
      at = c.end
    }
    return out
  }

  /// The text of `change`; `sorted[from...]` holds the changes that may lie inside it.
  private static func render(_ change: Change, _ sorted: [Change], from: Int, _ file: SourceFile) -> String {
    switch change {
    case .edit(let e): return e.text
    case .move(let m):
      var out = ""
      for (j, k) in m.order.enumerated() {
        var chunk = text(m.chunks[k], sorted, from: from, file)
        if let indent = m.indent, j != k && (j == 0 || k == 0) {
          // The first entry's line start stays put: strip it from an entry moved there, give it to the one moved away.
          if j == 0 {
            chunk = String(chunk.unicodeScalars.dropFirst(indent))
          } else {
            chunk = String(repeating: " ", count: indent) + chunk
          }
        }
        out += chunk
        if j < m.separators.count { out += file.text(m.separators[j].lowerBound, m.separators[j].upperBound) }
      }
      return out
    }
  }

  /// The file text of `range` with the changes inside it applied.
  private static func text(_ range: Range<Int>, _ sorted: [Change], from: Int, _ file: SourceFile) -> String {
    var out = ""
    var at = range.lowerBound
    var i = from
    while i < sorted.count, sorted[i].start < range.upperBound {
      let c = sorted[i]
      if c.start >= at, c.end <= range.upperBound {
        out += file.text(at, c.start) + render(c, sorted, from: i + 1, file)
        at = c.end
      }
      i += 1
    }
    return out + file.text(at, range.upperBound)
  }
}

extension KeyOrder {
  /// The moves of `file`, kept only when the file they give reads as the same YAML tree but for
  /// the order of keys (a corner of YAML the chunking above misreads is left as written).
  static func verifiedMoves(in root: YAMLNode, file: SourceFile, arrange: (([String]) -> [Int]?)? = nil) -> [Move] {
    let moves = moves(in: root, file: file, arrange: arrange)
    guard !moves.isEmpty else { return [] }
    let text = Formatter.apply(edits(moves.map { .move($0) }, file), to: file)
    let (after, diagnostics) = YAMLLoader.load(SourceFile(path: file.path, text: text))
    guard let after, !diagnostics.hasErrors, sameTree(root, after) else { return [] }
    return moves
  }

  /// Whether two YAML trees are equal but for the order of mapping keys.
  static func sameTree(_ a: YAMLNode, _ b: YAMLNode) -> Bool {
    guard a.tag == b.tag else { return false }
    switch (a.kind, b.kind) {
    case (.scalar(let x, let s), .scalar(let y, let t)): return x == y && s == t
    case (.sequence(let xs), .sequence(let ys)): return xs.count == ys.count && zip(xs, ys).allSatisfy { sameTree($0, $1) }
    case (.mapping(let xs), .mapping(let ys)):
      guard xs.count == ys.count else { return false }
      let byName = Dictionary(ys.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
      return byName.count == ys.count && xs.allSatisfy { p in byName[p.name].map { sameTree(p.key, $0.key) && sameTree(p.value, $0.value) } ?? false }
    default: return false
    }
  }
}
