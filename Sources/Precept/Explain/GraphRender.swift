/// Drawing a rulebook's graph (`precept graph`): Graphviz dot, a Mermaid flowchart, or JSON.
///
/// Every format draws the same `RuleGraphView`, in its order, so the same rulebook always gives
/// byte-identical output. Plain arrows mean "reads"; dashed arrows labelled `overrides` go from
/// an exception to each rule it sets aside.
public enum GraphRender {
  // MARK: - Graphviz

  /// Fonts for Graphviz (a Pango/fontconfig family list): Chinese titles need a CJK font, which
  /// Graphviz's default (Times) lacks — without one they draw as empty boxes.
  public static let dotFonts = "Noto Sans CJK SC,Noto Sans SC,Source Han Sans SC,PingFang SC,Microsoft YaHei,WenQuanYi Micro Hei,sans-serif"

  /// One `digraph`, laid out left to right: rules (id, title, severity and verb), then what they
  /// read, and a legend of the colours and shapes. Given the compiled rulebook, decision tables
  /// are drawn with their rows as written.
  public static func dot(_ view: RuleGraphView, book: CompiledRulebook? = nil) -> String {
    let rows = book.map(tableRows) ?? [:]
    var out = "digraph " + dotString(view.rulebook) + " {\n"
    out += "  graph [rankdir=LR, labelloc=t, fontname=\"\(dotFonts)\", label=" + dotString(heading(view, separator: "\n")) + "];\n"
    out += "  node [fontsize=11, fontname=\"\(dotFonts)\"];\n"
    out += "  edge [fontsize=9, fontname=\"\(dotFonts)\"];\n"
    if !view.vertices.isEmpty { out += "\n" }
    for v in view.vertices {
      // A rule's title shows on hover in SVG.
      let tooltip = v.title.map { ", tooltip=" + dotString($0) } ?? ""
      let label: String
      if v.kind == .table, let r = rows[v.name], !r.isEmpty {
        label = tableLabel(v.name, r)
      } else {
        label = dotString(dotLines(v).joined(separator: "\n"))
      }
      out += "  \(v.id) [" + dotStyle(v) + ", label=" + label + tooltip + "];\n"
    }
    if !view.edges.isEmpty { out += "\n" }
    for e in view.edges {
      switch e.kind {
      case .reads: out += "  \(e.from) -> \(e.to);\n"
      case .overrides: out += "  \(e.from) -> \(e.to) [style=dashed, color=\"#990000\", fontcolor=\"#990000\", label=\"overrides\"];\n"
      }
    }
    out += legend(view)
    out += "}\n"
    return out
  }

  /// The legend: a box per severity, the shape of each other kind in use, and the two arrows.
  private static func legend(_ view: RuleGraphView) -> String {
    var out = "\n  subgraph cluster_legend {\n"
    out += "    label=\"Legend\"; fontsize=10; style=dashed; color=\"#999999\"; rank=same;\n"
    out += "    node [fontsize=9, width=0, height=0, margin=\"0.08,0.03\"];\n"
    var ids: [String] = []
    for s in Severity.allCases.reversed() {
      out += "    legend_\(s.rawValue) [shape=box, style=filled, fillcolor=\"\(fill(s))\", label=\"rule: \(s.rawValue)\"];\n"
      ids.append("legend_\(s.rawValue)")
    }
    let kinds: [(RuleGraphView.VertexKind, String)] = [(.definition, "definition"), (.table, "decision table"), (.list, "named list"), (.fact, "fact")]
    for (kind, name) in kinds {
      out += "    legend_\(kind.rawValue) [" + dotStyle(kind: kind, severity: nil) + ", label=\"\(name)\"];\n"
      ids.append("legend_\(kind.rawValue)")
    }
    // Invisible edges keep the legend in one column; two visible ones show the arrows.
    for (a, b) in zip(ids, ids.dropFirst()) where !(a == "legend_info" && b == "legend_definition") && !(a == "legend_definition" && b == "legend_table") {
      out += "    \(a) -> \(b) [style=invis];\n"
    }
    out += "    legend_info -> legend_definition [label=\"reads\"];\n"
    out += "    legend_definition -> legend_table [style=dashed, color=\"#990000\", fontcolor=\"#990000\", label=\"overrides (rule to rule)\"];\n"
    _ = view
    return out + "  }\n"
  }

  /// A table's label: its name, then each row as written, left-aligned (at most 12; then how many more).
  private static func tableLabel(_ name: String, _ rows: [String]) -> String {
    var body = dotEscaped(name) + "\\n"
    for (i, r) in rows.prefix(12).enumerated() { body += dotEscaped("\(i + 1): \(r)") + "\\l" }
    if rows.count > 12 { body += dotEscaped("… \(rows.count - 12) more rows") + "\\l" }
    return "\"" + body + "\""
  }

  /// Each decision table's rows as written in the rulebook (whitespace collapsed, cut at 60
  /// characters), by the name the graph gives the table.
  static func tableRows(_ book: CompiledRulebook) -> [String: [String]] {
    var out: [String: [String]] = [:]
    for (t, table) in book.tables.enumerated() {
      let name = book.names.tables[t] ?? table.name
      guard out[name] == nil else { continue }
      out[name] = table.rowSpans.map { span in
        let text = book.sources[span.file]?.text(span.start.offset, span.end.offset) ?? ""
        let flat = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return flat.count > 60 ? String(flat.prefix(59)) + "…" : flat
      }
    }
    return out
  }

  private static func dotStyle(_ v: RuleGraphView.Vertex) -> String { dotStyle(kind: v.kind, severity: v.severity) }

  private static func dotStyle(kind: RuleGraphView.VertexKind, severity: Severity?) -> String {
    switch kind {
    case .rule: "shape=box, style=filled, fillcolor=\"\(fill(severity))\""
    case .definition: "shape=box, style=\"rounded,filled\", fillcolor=\"#d9ead3\""
    case .table: "shape=box3d, style=filled, fillcolor=\"#d0e0e3\", margin=\"0.15,0.1\""
    case .list: "shape=note, style=filled, fillcolor=\"#eeeeee\""
    case .fact: "shape=ellipse"
    }
  }

  /// A dot quoted string: `"` and `\` escaped, so no label can end the string or start one of
  /// dot's escapes (`\N`, `\G`, …); line breaks become dot's `\n`.
  static func dotString(_ s: String) -> String { "\"" + dotEscaped(s) + "\"" }

  /// The inside of a dot quoted string (see `dotString`).
  static func dotEscaped(_ s: String) -> String {
    var out = ""
    for c in s.unicodeScalars {
      switch c {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": break
      default: out.unicodeScalars.append(c)
      }
    }
    return out
  }

  // MARK: - Mermaid

  /// A `flowchart LR`, for Markdown that renders Mermaid, titled in its front matter.
  public static func mermaid(_ view: RuleGraphView) -> String {
    // A JSON string is a YAML double-quoted scalar, so any title fits the front matter.
    var title = ""
    JSON.escape(heading(view, separator: " — "), into: &title)
    var out = "---\ntitle: " + title + "\n---\nflowchart LR\n"
    for v in view.vertices {
      let label = lines(v).map(mermaidText).joined(separator: "<br/>")
      let (open, close) = mermaidShape(v.kind)
      out += "  \(v.id)\(open)\"\(label)\"\(close)\n"
    }
    for e in view.edges {
      switch e.kind {
      case .reads: out += "  \(e.from) --> \(e.to)\n"
      case .overrides: out += "  \(e.from) -.->|overrides| \(e.to)\n"
      }
    }
    // Colours: rules by severity, the rest by kind; only classes in use are declared.
    var classes: [(name: String, style: String, ids: [String])] = []
    for s in Severity.allCases.reversed() {
      classes.append((s.rawValue, "fill:\(fill(s)),stroke:#333333", view.vertices.filter { $0.kind == .rule && $0.severity == s }.map(\.id)))
    }
    classes += [
      ("definition", "fill:#d9ead3,stroke:#333333", view.vertices.filter { $0.kind == .definition }.map(\.id)),
      ("table", "fill:#d0e0e3,stroke:#333333", view.vertices.filter { $0.kind == .table }.map(\.id)),
      ("list", "fill:#eeeeee,stroke:#333333", view.vertices.filter { $0.kind == .list }.map(\.id)),
    ]
    for c in classes where !c.ids.isEmpty {
      out += "  classDef \(c.name) \(c.style)\n"
      out += "  class " + c.ids.joined(separator: ",") + " \(c.name)\n"
    }
    return out
  }

  private static func mermaidShape(_ kind: RuleGraphView.VertexKind) -> (String, String) {
    switch kind {
    case .rule: ("[", "]")
    case .definition: ("(", ")")
    case .table: ("[[", "]]")
    case .list: ("[/", "/]")
    case .fact: ("([", "])")
    }
  }

  /// Text for inside a Mermaid `"…"` label: `"` as `#quot;`; `#`, `<`, `>`, `&` and backquotes
  /// as numeric entity codes, so nothing reads as an entity, HTML or Markdown; line breaks as spaces.
  static func mermaidText(_ s: String) -> String {
    var out = ""
    for c in s.unicodeScalars {
      switch c {
      case "\"": out += "#quot;"
      case "#": out += "#35;"
      case "<": out += "#60;"
      case ">": out += "#62;"
      case "&": out += "#38;"
      case "`": out += "#96;"
      case "\n", "\r": out += " "
      default: out.unicodeScalars.append(c)
      }
    }
    return out
  }

  // MARK: - JSON

  /// `{"rulebook", "version", "title", "digest", "vertices": [{"id", "kind", "name", …}],
  /// "edges": [{"from", "to", "kind"}]}`; rule vertices add `title`, `severity` and `verb`.
  public static func json(_ view: RuleGraphView) -> JSON {
    .object([
      ("rulebook", .string(view.rulebook)),
      ("version", view.version.map { .string($0) } ?? .null),
      ("title", view.title.map { .string($0) } ?? .null),
      ("digest", .string(view.digest)),
      ("vertices", .array(view.vertices.map { v in
        var fields: [(String, JSON)] = [("id", .string(v.id)), ("kind", .string(v.kind.rawValue)), ("name", .string(v.name))]
        if v.kind == .rule {
          fields += [
            ("title", v.title.map { .string($0) } ?? .null),
            ("severity", v.severity.map { .string($0.rawValue) } ?? .null),
            ("verb", v.verb.map { .string($0.rawValue) } ?? .null),
          ]
        }
        return .object(fields)
      })),
      ("edges", .array(view.edges.map { e in
        .object([("from", .string(e.from)), ("to", .string(e.to)), ("kind", .string(e.kind.rawValue))])
      })),
    ])
  }

  // MARK: - Shared

  /// A vertex's dot label lines: a rule's id, its title (wrapped), then its severity and verb.
  private static func dotLines(_ v: RuleGraphView.Vertex) -> [String] {
    var out = lines(v)
    if v.kind == .rule, let title = v.title, !title.isEmpty { out.insert(contentsOf: wrapped(title, width: 34), at: 1) }
    return out
  }

  /// Text cut into lines of at most `width` display columns (a Chinese character takes two),
  /// at spaces where there are any.
  static func wrapped(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    var used = 0
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      for piece in chunks(String(word), width: width) {
        let w = piece.unicodeScalars.reduce(0) { $0 + DisplayWidth.of($1) }
        if used > 0, used + 1 + w > width {
          lines.append(line)
          line = ""
          used = 0
        }
        line += (used > 0 ? " " : "") + piece
        used += (used > 0 ? 1 : 0) + w
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }

  /// A word longer than `width` columns (Chinese has no spaces) cut into pieces that fit.
  private static func chunks(_ word: String, width: Int) -> [String] {
    var out: [String] = []
    var piece = ""
    var used = 0
    for c in word.unicodeScalars {
      let w = DisplayWidth.of(c)
      if used + w > width, !piece.isEmpty {
        out.append(piece)
        piece = ""
        used = 0
      }
      piece.unicodeScalars.append(c)
      used += w
    }
    if !piece.isEmpty { out.append(piece) }
    return out
  }

  /// A vertex's label lines: a rule's id, then its severity and verb; anything else, its name.
  private static func lines(_ v: RuleGraphView.Vertex) -> [String] {
    guard v.kind == .rule else { return [v.name] }
    let detail = [v.severity?.rawValue, v.verb?.rawValue].compactMap { $0 }.joined(separator: " · ")
    return detail.isEmpty ? [v.name] : [v.name, detail]
  }

  /// The rulebook's id and version, then its title.
  private static func heading(_ view: RuleGraphView, separator: String) -> String {
    let first = view.rulebook + (view.version.map { " " + $0 } ?? "")
    guard let title = view.title, !title.isEmpty else { return first }
    return first + separator + title
  }

  private static func fill(_ severity: Severity?) -> String {
    switch severity {
    case .block: "#f4cccc"
    case .review: "#fce5cd"
    case .warning: "#fff2cc"
    case .info, nil: "#cfe2f3"
    }
  }
}
