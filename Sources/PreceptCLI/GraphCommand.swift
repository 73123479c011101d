import ArgumentParser
import Precept

struct GraphCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "graph",
    abstract: "Draw a rulebook's rule graph: its rules, what they read, and which rules override which.",
    discussion: """
      Draws one rulebook: a file, or a directory holding exactly one rulebook with rules (name the \
      file when there are several). Vertices are the rules (id, severity, verb) and the definitions, \
      tables, named lists and facts they read, including those of imported rulebooks \
      (`cn.prohibited_claims`); arithmetic in between is not drawn. Plain arrows mean "reads"; dashed \
      arrows labelled "overrides" go from an exception to the rules it sets aside.

      Formats: dot for Graphviz (`precept graph r.yaml | dot -Tsvg > r.svg`; rules carry their titles, \
      tables their rows, a legend explains colours and shapes, and a CJK font is named so Chinese \
      titles draw), mermaid for a \
      flowchart in Markdown, json for vertices and edges with stable ids.

      Exit status: 0 drawn, 2 unusable rulebook, or not exactly one rulebook with rules.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable { case dot, mermaid, json }

  @ArgumentParser.Argument(help: "A rulebook file, or a directory holding one rulebook with rules.")
  var rulebook: String

  @Option(help: "Output format: dot, mermaid or json.")
  var format: Format = .dot

  @Option(help: "Directory that imports (and test facts files) may not leave (default: the git checkout holding every path, else the deepest directory holding them).")
  var root: String?

  func run() throws {
    let book = try Failure.exitOnFailure { try load() }
    let view = RuleGraphView(book)
    switch format {
    case .dot: Terminal.write(GraphRender.dot(view, book: book))
    case .mermaid: Terminal.write(GraphRender.mermaid(view))
    case .json: Terminal.write(GraphRender.json(view).serialized(pretty: true) + "\n")
    }
  }

  /// The one rulebook to draw; a `Failure` when it cannot be loaded or there is not exactly one.
  private func load() throws -> CompiledRulebook {
    let books: [CompiledRulebook]
    do {
      books = try Rulebooks.load(paths: [rulebook], root: root).rulebooks
    } catch {
      throw Failure.load(error)
    }
    guard let first = books.first else { throw Failure.usage("error[\(DiagnosticCode.noRulebookFound.rawValue)]: no rulebook with rules found in \(rulebook)") }
    guard books.count == 1 else {
      throw Failure.usage(
        "\(rulebook) holds \(books.count) rulebooks with rules (" + books.map(\.id).sorted().joined(separator: ", ")
          + "); graph draws one: name its file")
    }
    return first
  }
}
