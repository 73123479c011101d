/// Drawing a rulebook's graph (`precept graph`): Graphviz dot, a Mermaid flowchart, or JSON.
///
/// Every format draws the same `RuleGraphView`, in its order, so the same rulebook always gives
/// byte-identical output. Plain arrows mean "reads"; dashed arrows labelled `overrides` go from
/// an exception to each rule it sets aside.
public enum GraphRender {
  // MARK: - Graphviz

  /// One `digraph`, laid out left to right: rules, then what they read.
  public static func dot(_ view: RuleGraphView) -> String {
    var out = "digraph " + dotString(view.rulebook) + " {\n"
    out += "  graph [rankdir=LR, labelloc=t, label=" + dotString(heading(view, separator: "\n")) + "];\n"
    out += "  node [fontsize=11];\n"
    out += "  edge [fontsize=9];\n"
    if !view.vertices.isEmpty { out += "\n" }
    for v in view.vertices {
      // A rule's title shows on hover in SVG.
      let tooltip = v.title.map { ", tooltip=" + dotString($0) } ?? ""
      out += "  \(v.id) [" + dotStyle(v) + ", label=" + dotString(lines(v).joined(separator: "\n")) + tooltip + "];\n"
    }
    if !view.edges.isEmpty { out += "\n" }
    for e in view.edges {
      switch e.kind {
      case .reads: out += "  \(e.from) -> \(e.to);\n"
      case .overrides: out += "  \(e.from) -> \(e.to) [style=dashed, color=\"#990000\", fontcolor=\"#990000\", label=\"overrides\"];\n"
      }
    }
    out += "}\n"
    return out
  }

  private static func dotStyle(_ v: RuleGraphView.Vertex) -> String {
    switch v.kind {
    case .rule: "shape=box, style=filled, fillcolor=\"\(fill(v.severity))\""
    case .definition: "shape=box, style=\"rounded,filled\", fillcolor=\"#d9ead3\""
    case .table: "shape=box3d, style=filled, fillcolor=\"#d0e0e3\""
    case .list: "shape=note, style=filled, fillcolor=\"#eeeeee\""
    case .fact: "shape=ellipse"
    }
  }

  /// A dot quoted string: `"` and `\` escaped, so no label can end the string or start one of
  /// dot's escapes (`\N`, `\G`, …); line breaks become dot's `\n`.
  static func dotString(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
      switch c {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": break
      default: out.unicodeScalars.append(c)
      }
    }
    return out + "\""
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
