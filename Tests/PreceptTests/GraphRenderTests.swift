import Foundation
import Testing
@testable import Precept

/// `precept graph`: the collapsed rule graph (`RuleGraphView`) and its dot, mermaid and JSON drawings.
///
/// Golden files: `Cases/graph/loans.yaml` (importing `lists.yaml`) is drawn in each format and
/// compared byte for byte with `loans.dot`, `loans.mmd` and `loans.json` next to it.
/// `PRECEPT_UPDATE_GOLDEN=1 swift test --filter GraphRenderTests` rewrites them in the source tree
/// (found through `#filePath`) instead; review the diff before committing.
@Suite struct GraphRenderTests {
  /// The bundled copy of `Tests/PreceptTests/Cases/graph`.
  static let bundleDirectory: String = {
    guard let url = Bundle.module.url(forResource: "Cases", withExtension: nil) else {
      fatalError("the test bundle has no Cases folder")
    }
    return url.appendingPathComponent("graph").standardizedFileURL.path
  }()

  /// The source tree's `Cases/graph`, where `PRECEPT_UPDATE_GOLDEN=1` writes.
  static let sourceDirectory: String = {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Cases/graph").path
  }()

  static let updating = ProcessInfo.processInfo.environment["PRECEPT_UPDATE_GOLDEN"] == "1"

  /// Loads the one rulebook with rules at `path`, imports confined to `root`.
  static func load(_ path: String, root: String) throws -> CompiledRulebook {
    let books = try Rulebooks.load(paths: [path], root: root).rulebooks
    try #require(books.count == 1)
    return books[0]
  }

  static func loans() throws -> CompiledRulebook {
    try load(bundleDirectory + "/loans.yaml", root: bundleDirectory)
  }

  static func render(_ view: RuleGraphView, _ format: String, book: CompiledRulebook? = nil) -> String {
    switch format {
    case "dot": GraphRender.dot(view, book: book)
    case "mmd": GraphRender.mermaid(view)
    default: GraphRender.json(view).serialized(pretty: true) + "\n"
    }
  }

  // MARK: - Golden drawings

  @Test(arguments: ["dot", "mmd", "json"])
  func golden(_ format: String) throws {
    let book = try Self.loans()
    let text = Self.render(RuleGraphView(book), format, book: book)
    let name = "loans." + format
    if Self.updating {
      try text.write(toFile: Self.sourceDirectory + "/" + name, atomically: true, encoding: .utf8)
      return
    }
    let expected = try String(contentsOfFile: Self.bundleDirectory + "/" + name, encoding: .utf8)
    #expect(text == expected, "\(name) differs; rerun with PRECEPT_UPDATE_GOLDEN=1 and review the diff")
  }

  @Test func dotNamesACJKFontDrawsALegendTitlesAndTableRows() throws {
    let book = try Self.loans()
    let dot = GraphRender.dot(RuleGraphView(book), book: book)
    #expect(dot.contains("fontname=\"Noto Sans CJK SC,"))
    #expect(dot.contains("subgraph cluster_legend {"))
    for s in Severity.allCases { #expect(dot.contains("legend_\(s.rawValue) [")) }
    #expect(dot.contains("label=\"ELIG-DTI\\n负债收入比不超过 50%\\nblock · require\""))
    #expect(dot.contains("label=\"max_apr\\n1: [A, \\\"<= 12\\\", 18%]\\l2: [B, \\\"-\\\", 24%]\\l\""))
    #expect(GraphRender.wrapped("负债收入比不超过五十个百分点的申请人", width: 10) == ["负债收入比", "不超过五十", "个百分点的", "申请人"])
  }

  // MARK: - The graph's shape

  @Test func sharedDefinitionAppearsOnce() throws {
    let view = RuleGraphView(try Self.loans())
    let dti = view.vertices.filter { $0.kind == .definition && $0.name == "dti" }
    #expect(dti.count == 1)
    #expect(dti.first?.id == "def_dti")
    let readers = view.edges.filter { $0.to == "def_dti" && $0.kind == .reads }.map(\.from)
    #expect(readers == ["rule_ELIG_DTI", "rule_ELIG_DTI_STUDENT", "rule_ELIG_DTI_WATCH"])
    // The arithmetic inside `dti` is collapsed: the definition reads the two facts, and no rule does.
    #expect(view.edges.filter { $0.from == "def_dti" }.map(\.to) == ["fact_applicant_monthly_debt", "fact_applicant_monthly_income"])
    #expect(!view.edges.contains { $0.from.hasPrefix("rule_") && $0.to == "fact_applicant_monthly_debt" })
    // Drawn once: one line declares the vertex in each format.
    #expect(GraphRender.dot(view).split(separator: "\n").filter { $0.hasPrefix("  def_dti [") }.count == 1)
    #expect(GraphRender.mermaid(view).split(separator: "\n").filter { $0.hasPrefix("  def_dti(") }.count == 1)
  }

  @Test func overridesAreEdgesBetweenRules() throws {
    let view = RuleGraphView(try Self.loans())
    let overrides = view.edges.filter { $0.kind == .overrides }
    #expect(overrides == [RuleGraphView.Edge(from: "rule_ELIG_DTI_STUDENT", to: "rule_ELIG_DTI", kind: .overrides)])
    #expect(GraphRender.dot(view).contains(
      "rule_ELIG_DTI_STUDENT -> rule_ELIG_DTI [style=dashed, color=\"#990000\", fontcolor=\"#990000\", label=\"overrides\"];"))
    #expect(GraphRender.mermaid(view).contains("rule_ELIG_DTI_STUDENT -.->|overrides| rule_ELIG_DTI\n"))
  }

  @Test func tablesListsAndFactsAreNamed() throws {
    let view = RuleGraphView(try Self.loans())
    let names = Dictionary(uniqueKeysWithValues: view.vertices.map { ($0.id, $0) })
    #expect(names["table_max_apr"]?.kind == .table)
    #expect(names["list_cn_prohibited_claims"]?.name == "cn.prohibited_claims")
    #expect(names["list_campus_words"]?.kind == .list)
    #expect(names["def_dti_cap"]?.kind == .definition)
    #expect(names["fact_product_pricing_apr"]?.name == "product.pricing.apr")
    let rule = names["rule_PRICE_APR_CAP"]
    #expect(rule?.severity == .block && rule?.verb == .require)
    // The table reads its inputs; the rule reads the table, not the table's inputs.
    #expect(view.edges.filter { $0.from == "table_max_apr" }.map(\.to) == ["fact_applicant_risk_grade", "fact_product_term_months"])
    #expect(view.edges.filter { $0.from == "rule_PRICE_APR_CAP" }.map(\.to) == ["table_max_apr", "fact_product_pricing_apr"])
  }

  /// A table applied per item (`fee_cap(f)`) is one vertex however many loop depths it is
  /// compiled at; rules read it and the list the item comes from.
  @Test func aTableAppliedPerItemIsAVertex() throws {
    let view = RuleGraphView(try compileRulebook(TableOutputsTests.perItem))
    #expect(view.vertices.filter { $0.kind == .table }.map(\.id) == ["table_fee_cap"])
    #expect(view.edges.filter { $0.from == "rule_CAP" }.map(\.to) == ["table_fee_cap", "fact_product_fees"])
    #expect(view.edges.filter { $0.from == "rule_CAPS" }.map(\.to) == ["table_fee_cap", "fact_product_fees"])
    #expect(view.edges.filter { $0.from == "table_fee_cap" }.map(\.to) == ["fact_product_channel"])
  }

  @Test func everyEdgeJoinsVerticesAndIdsAreUnique() throws {
    let view = RuleGraphView(try Self.loans())
    let ids = view.vertices.map(\.id)
    #expect(Set(ids).count == ids.count)
    for e in view.edges { #expect(ids.contains(e.from) && ids.contains(e.to)) }
    for id in ids { #expect(id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) }
  }

  // MARK: - Determinism

  @Test func sameRulebookGivesTheSameBytes() throws {
    let a = RuleGraphView(try Self.loans())
    let b = RuleGraphView(try Self.loans())
    #expect(a == b)
    for format in ["dot", "mmd", "json"] { #expect(Self.render(a, format) == Self.render(b, format)) }
    // Sorted: kinds in order, names in order within a kind.
    let order = a.vertices.map { ($0.kind.rank, $0.name) }
    #expect(zip(order, order.dropFirst()).allSatisfy { $0 < $1 })
  }

  // MARK: - Escaping

  @Test func dotStringsEscapeQuotesBackslashesAndLineBreaks() {
    #expect(GraphRender.dotString("a\"b\\c\n中文") == "\"a\\\"b\\\\c\\n中文\"")
    #expect(GraphRender.dotString("\\N") == "\"\\\\N\"")
  }

  @Test func mermaidTextUsesEntityCodes() {
    #expect(GraphRender.mermaidText("say \"保本\" #1 <b> & `x`") == "say #quot;保本#quot; #35;1 #60;b#62; #38; #96;x#96;")
    #expect(GraphRender.mermaidText("两行\n文字") == "两行 文字")
  }

  @Test func titlesAreEscapedInEveryFormat() throws {
    let view = RuleGraphView(try Self.loans())
    #expect(GraphRender.dot(view).contains("label=\"demo.loans 1.0.0\\n贷款规则 \\\"graph\\\" \\\\ demo\""))
    #expect(GraphRender.mermaid(view).hasPrefix("---\ntitle: \"demo.loans 1.0.0 — 贷款规则 \\\"graph\\\" \\\\ demo\"\n---\nflowchart LR\n"))
    #expect(GraphRender.dot(view).contains("tooltip=\"Students may borrow up to 80% (\\\"助学\\\" exception)\""))
  }

  // MARK: - Written on the fly

  /// A rulebook written into a temporary directory: a definition that reads another, and two
  /// names that sanitize to the same id.
  @Test func chainedDefinitionsAndCollidingIds() throws {
    let fm = FileManager.default
    let dir = fm.temporaryDirectory.appendingPathComponent("precept-graph-\(UUID().uuidString)").path
    try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? fm.removeItem(atPath: dir) }
    try """
      precept: 1
      rulebook: t.words
      lists:
        words: [保本, 零风险]
      """.write(toFile: dir + "/words.yaml", atomically: true, encoding: .utf8)
    try """
      precept: 1
      rulebook: t.main
      imports:
        - { path: words.yaml, as: cn }
      schema:
        applicant:
          debt: money
          income: money
          note: text
      lists:
        cn_words: [稳赚]
      definitions:
        ratio: applicant.debt / applicant.income
        high_ratio: ratio > 60%
      rules:
        - id: HIGH-RATIO
          severity: review
          flag: high_ratio
        - id: NOTE-WORDS
          severity: warning
          forbid: applicant.note contains any cn.words or applicant.note contains any cn_words
      """.write(toFile: dir + "/main.yaml", atomically: true, encoding: .utf8)
    let view = RuleGraphView(try Self.load(dir + "/main.yaml", root: dir))
    let edges = view.edges.map { "\($0.from) \($0.to)" }
    #expect(edges.contains("rule_HIGH_RATIO def_high_ratio"))
    #expect(edges.contains("def_high_ratio def_ratio"))
    #expect(edges.contains("def_ratio fact_applicant_debt"))
    #expect(!edges.contains("rule_HIGH_RATIO def_ratio"))
    // `cn.words` and `cn_words` both sanitize to `cn_words`: the second in name order gets `_2`.
    let lists = view.vertices.filter { $0.kind == .list }.map { "\($0.id)=\($0.name)" }
    #expect(lists == ["list_cn_words=cn.words", "list_cn_words_2=cn_words"])
    #expect(RuleGraphView.sanitize("cn.x-y 中") == "cn_x_y__")
  }

  /// The shipped consumer-credit rulebook draws: a definition read by most rules appears once,
  /// and facts read through a list of records are named by their full path.
  @Test func shippedConsumerCreditRulebook() throws {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let rulebooks = repo.appendingPathComponent("rulebooks").path
    let book = try Self.load(rulebooks + "/cn/consumer-credit.yaml", root: rulebooks)
    let view = RuleGraphView(book)
    #expect(view.vertices.filter { $0.kind == .rule }.count == book.rules.count)
    #expect(view.vertices.filter { $0.id == "def_is_credit" }.count == 1)
    #expect(view.edges.filter { $0.to == "def_is_credit" }.count >= 2)
    #expect(view.vertices.contains { $0.id == "fact_product_disclosures_kind" && $0.name == "product.disclosures.kind" })
    // The wording rules (and the imported word lists they read) live in marketing-wording.yaml.
    let wording = RuleGraphView(try Self.load(rulebooks + "/cn/marketing-wording.yaml", root: rulebooks))
    #expect(wording.vertices.contains { $0.id == "list_cn_prohibited_claims" && $0.name == "cn.prohibited_claims" })
  }
}
