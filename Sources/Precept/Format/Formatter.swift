/// `precept fmt`: the canonical text of the expressions in a rulebook, written back into the file
/// at each expression's place, and the canonical order of its keys (`KeyOrder`). Everything else —
/// comments, quoting of other values, blank lines — is left byte for byte; the YAML is never
/// serialised again.
public enum Formatter {
  /// A replacement of file text between two scalar offsets.
  public struct Edit: Sendable, Hashable {
    /// First scalar offset replaced.
    public var start: Int
    /// Scalar offset just past the text replaced.
    public var end: Int
    /// The new text.
    public var text: String
  }

  /// Lines longer than this (indentation included) are broken at `and`/`or` in block scalars.
  public static let width = 100

  /// The edits that format `file`, in file order; none when it is formatted (or is not YAML).
  /// A reordered mapping is one edit, with the expressions inside it formatted.
  public static func edits(_ file: SourceFile) -> [Edit] {
    let (root, diagnostics) = YAMLLoader.load(file)
    guard let root, !diagnostics.hasErrors else { return [] }
    let expressions = expressionEdits(file, root)
    let moves = KeyOrder.verifiedMoves(in: root, file: file)
    guard !moves.isEmpty else { return expressions }
    return KeyOrder.edits(moves.map { .move($0) } + expressions.map { .edit($0) }, file)
  }

  /// The edits that write `file`'s expressions in canonical form, each read back to be sure.
  static func expressionEdits(_ file: SourceFile, _ root: YAMLNode) -> [Edit] {
    let sites = ExpressionSites.find(in: root, file: file)
    let planned = sites.map { edit($0, file: file) }
    let edits = planned.compactMap { $0 }
    guard !edits.isEmpty else { return [] }
    // The printer's text is checked by reading the result back, as YAML and as expressions: an
    // edit whose expression would read differently (a YAML corner the quoting above misses) is dropped.
    if let bad = misread(apply(edits, to: file), like: sites, in: file) {
      return zip(planned, sites).enumerated().compactMap { i, pair in
        guard let e = pair.0, !bad.contains(i) else { return nil }
        return misread(apply([e], to: file), like: [pair.1], in: file, only: i) == [] ? e : nil
      }
    }
    return edits
  }

  /// The indices of the sites whose expressions `text` reads differently from `file`, or nil when
  /// all read alike. `only` compares the site at that index alone; an unreadable text misreads all.
  static func misread(_ text: String, like sites: [ExpressionSites.Site], in file: SourceFile, only: Int? = nil) -> Set<Int>? {
    let after = SourceFile(path: file.path, text: text)
    let (root, diagnostics) = YAMLLoader.load(after)
    guard let root, !diagnostics.hasErrors else { return Set(only.map { [$0] } ?? Array(sites.indices)) }
    let now = ExpressionSites.find(in: root, file: after)
    func shape(_ site: ExpressionSites.Site, _ f: SourceFile) -> String? {
      guard case .scalar(let v, _) = site.node.kind else { return nil }
      return canonical(ExprSource(file: f, text: Array(v.unicodeScalars), offsets: site.node.sourceOffsets(in: f)))?.shape
    }
    var bad: Set<Int> = []
    for i in sites.indices where only == nil || only == i {
      let j = only == nil ? i : (only ?? 0)
      guard j < now.count, shape(sites[i], file) == shape(now[j], after) else {
        bad.insert(j)
        continue
      }
    }
    if let only { return bad.isEmpty ? [] : [only] }
    return bad.isEmpty ? nil : bad
  }

  /// The formatted text of `file` (its text unchanged when there is nothing to format).
  public static func format(_ file: SourceFile) -> String {
    apply(edits(file), to: file)
  }

  /// `file`'s text with `edits` (sorted, not overlapping) applied.
  public static func apply(_ edits: [Edit], to file: SourceFile) -> String {
    var out = ""
    var at = 0
    for e in edits where e.start >= at {
      out += file.text(at, e.start) + e.text
      at = e.end
    }
    return out + file.text(at, file.scalars.count)
  }

  /// The canonical text of one expression on one line, or nil when it does not parse.
  public static func canonical(_ source: ExprSource) -> Expr? {
    let (expr, diagnostics) = Parser.parse(source)
    return diagnostics.isEmpty && !expr.containsError ? expr : nil
  }

  static func edit(_ site: ExpressionSites.Site, file: SourceFile) -> Edit? {
    let node = site.node
    guard case .scalar(let value, let style) = node.kind, node.tag == nil, !node.isNull else { return nil }
    let offsets = node.sourceOffsets(in: file)
    let source = ExprSource(file: file, text: Array(value.unicodeScalars), offsets: offsets)
    guard let expr = canonical(source) else { return nil }
    let text = expr.source
    // Characters YAML reads as line breaks or refuses, written raw inside a text literal.
    guard !text.unicodeScalars.contains(where: isUnwritable) else { return nil }
    switch style {
    case .literal, .folded:
      // Replace the content from its first to its last non-blank character; the header and the
      // line breaks after the content stay as they are.
      let scalars = Array(value.unicodeScalars)
      guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
      else { return nil }
      let start = offsets[first]
      let end = offsets[last] + 1
      let indent = file.position(ofOffset: start).column - 1
      let lines = Layout.lines(expr, indent: indent, width: width)
      let wanted = lines.joined(separator: "\n" + String(repeating: " ", count: indent))
      return file.text(start, end) == wanted ? nil : Edit(start: start, end: end, text: wanted)
    case .plain, .singleQuoted, .doubleQuoted:
      guard text != value else { return nil }
      let written: String
      switch style {
      case .doubleQuoted: written = doubleQuoted(text)
      case .singleQuoted: written = singleQuoted(text)
      default: written = isSafePlain(text, inFlow: site.inFlow) ? text : singleQuoted(text)
      }
      return Edit(start: node.span.start.offset, end: node.span.end.offset, text: written)
    }
  }

  static func isUnwritable(_ c: Unicode.Scalar) -> Bool {
    c.properties.generalCategory == .control || [0x85, 0x2028, 0x2029, 0xFEFF].contains(c.value)
  }

  static func singleQuoted(_ s: String) -> String {
    "'" + s.replacingAll("'", with: "''") + "'"
  }

  static func doubleQuoted(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
      switch c {
      case "\\": out += "\\\\"
      case "\"": out += "\\\""
      default: out.unicodeScalars.append(c)
      }
    }
    return out + "\""
  }

  /// Whether YAML reads `s` back as the same plain scalar (of text, not a number or a flag).
  static func isSafePlain(_ s: String, inFlow: Bool) -> Bool {
    let scalars = Array(s.unicodeScalars)
    guard let first = scalars.first, let last = scalars.last else { return false }
    if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
    if last == ":" || first == " " || last == " " { return false }
    if s.contains(": ") || s.contains(" #") || s.contains("\n") { return false }
    if inFlow, scalars.contains(where: { ",[]{}".unicodeScalars.contains($0) }) { return false }
    return true
  }
}

extension String {
  /// The string with every `target` replaced by `replacement`.
  func replacingAll(_ target: String, with replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}

/// Where a rulebook's expressions are written: its definitions, the conditions of its rules, the
/// `for` and `inputs` of its tables (table cells and results have their own syntax and are left).
enum ExpressionSites {
  struct Site {
    var node: YAMLNode
    /// Inside a flow collection (`[a, b]`), where a plain scalar cannot hold `,` or brackets.
    var inFlow: Bool
  }

  static func find(in root: YAMLNode, file: SourceFile) -> [Site] {
    guard case .mapping(let top) = root.kind, top.contains(where: { $0.name == "precept" }) else { return [] }
    var sites: [Site] = []
    func isFlow(_ node: YAMLNode) -> Bool {
      let c = file.text(node.span.start.offset, node.span.start.offset + 1)
      return c == "[" || c == "{"
    }
    func add(_ node: YAMLNode, inFlow: Bool) {
      if case .scalar = node.kind { sites.append(Site(node: node, inFlow: inFlow)) }
    }
    for pair in top {
      switch (pair.name, pair.value.kind) {
      case ("definitions", .mapping(let defs)):
        let flow = isFlow(pair.value)
        for d in defs { add(d.value, inFlow: flow) }
      case ("rules", .sequence(let rules)):
        for rule in rules {
          guard case .mapping(let keys) = rule.kind else { continue }
          let flow = isFlow(rule)
          for k in keys where ["when", "require", "forbid", "flag"].contains(k.name) { add(k.value, inFlow: flow) }
        }
      case ("tables", .mapping(let tables)):
        for t in tables {
          guard case .mapping(let keys) = t.value.kind else { continue }
          let flow = isFlow(t.value)
          for k in keys {
            if k.name == "for" { add(k.value, inFlow: flow) }
            if k.name == "inputs", case .sequence(let inputs) = k.value.kind {
              let inner = flow || isFlow(k.value)
              for i in inputs { add(i, inFlow: inner) }
            }
          }
        }
      default: break
      }
    }
    return sites
  }
}

/// How an expression is laid out in a block scalar: on one line when it fits, else one operand of
/// its outermost `and`/`or` chain per line, the operator leading (nested chains likewise, indented),
/// and a quantifier's body below its `any x in xs:`.
enum Layout {
  static func lines(_ e: Expr, indent: Int, width: Int) -> [String] {
    let flat = e.source
    guard indent + flat.unicodeScalars.count > width else { return [flat] }
    if case .quantifier(let q, let v, let xs, let body) = e.kind {
      // `any x in xs:` on its line, the body below it, indented.
      let head = q.rawValue + " " + v + " in " + Printer.print(xs, min: .filter) + ":"
      return [head] + lines(body, indent: indent + 2, width: width).map { "  " + $0 }
    }
    guard let op = chainOperator(e) else { return [flat] }
    let operands = flatten(e, op)
    var out: [String] = []
    for (i, operand) in operands.enumerated() {
      let lead = i == 0 ? "" : op.rawValue + " "
      // The first operand needs parentheses only when looser than the chain; the others also when
      // of the chain's own operator (`a and (b and c)` is another tree than `a and b and c`).
      let p = Precedence.of(op)
      let needsParens = i == 0 ? Printer.precedence(operand) < p : Printer.precedence(operand) <= p
      if needsParens {
        out.append(lead + "(" + operand.source + ")")
        continue
      }
      let inner = lines(operand, indent: indent + lead.count, width: width)
      out.append(lead + inner[0])
      out += inner.dropFirst().map { String(repeating: " ", count: lead.count) + $0 }
    }
    return out
  }

  static func chainOperator(_ e: Expr) -> BinaryOp? {
    if case .binary(let op, _, _) = e.kind, op == .and || op == .or { return op }
    return nil
  }

  /// The operands of a left-nested chain `a op b op c`, in order.
  static func flatten(_ e: Expr, _ op: BinaryOp) -> [Expr] {
    guard case .binary(let o, let l, let r) = e.kind, o == op else { return [e] }
    return flatten(l, op) + [r]
  }
}

extension Formatter {
  /// The edits as a unified diff without context (`diff -U0`), labelled with `path`.
  public static func diff(_ edits: [Edit], file: SourceFile, path: String) -> String {
    guard !edits.isEmpty else { return "" }
    // Edits that touch the same lines form one hunk.
    var groups: [[Edit]] = []
    for e in edits {
      let first = file.position(ofOffset: e.start).line
      if let last = groups.last?.last, file.position(ofOffset: last.end).line >= first {
        groups[groups.count - 1].append(e)
      } else {
        groups.append([e])
      }
    }
    var out = "--- a/\(path)\n+++ b/\(path)\n"
    var shift = 0
    for g in groups {
      guard let head = g.first, let tail = g.last else { continue }
      let a = file.position(ofOffset: head.start).line
      let b = file.position(ofOffset: tail.end).line
      let from = file.lineStarts[a - 1]
      let to = b < file.lineStarts.count ? file.lineStarts[b] : file.scalars.count
      var new = ""
      var at = from
      for e in g {
        new += file.text(at, e.start) + e.text
        at = e.end
      }
      new += file.text(at, to)
      let old = (a...b).map { file.lineText($0) }
      var newLines = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      if newLines.last == "" { newLines.removeLast() }
      out += "@@ -\(a),\(old.count) +\(a + shift),\(newLines.count) @@\n"
      out += old.map { "-" + $0 + "\n" }.joined() + newLines.map { "+" + $0 + "\n" }.joined()
      shift += newLines.count - old.count
    }
    return out
  }
}

extension Formatter {
  /// The expressions `fmt` formats in a rulebook file (definitions, rule conditions, table `for`
  /// and inputs), as expression sources with their file offsets; for editors' highlighting.
  public static func expressionSources(in file: SourceFile, root: YAMLNode) -> [ExprSource] {
    ExpressionSites.find(in: root, file: file).compactMap { site in
      guard case .scalar(let v, _) = site.node.kind else { return nil }
      return ExprSource(file: file, text: Array(v.unicodeScalars), offsets: site.node.sourceOffsets(in: file))
    }
  }
}
