/// Why rulebooks could not be loaded: every diagnostic (errors and warnings) and unreadable path.
public struct LoadError: Error, Sendable {
  /// Errors and warnings in the rulebooks, sorted by place.
  public var diagnostics: [Diagnostic]
  /// Paths that could not be read, and why.
  public var unreadable: [DiskError]
  /// The files read, for rendering diagnostics with their source lines.
  public var files: [String: SourceFile]
}

/// Loading rulebooks for evaluation: read, check, compile.
public enum Rulebooks {
  /// Loads, checks and compiles the rulebooks at `paths` (files or directories). Rulebooks without
  /// rules (shared lists, schemas) are imported by others and not returned. Throws when any
  /// path cannot be read or any rulebook has an error.
  public static func load(paths: [String], root: String? = nil) throws(LoadError) -> (rulebooks: [CompiledRulebook], warnings: [Diagnostic]) {
    let checked = Check.project(Project.load(paths: paths, root: root))
    let problems = LoadError(diagnostics: checked.diagnostics, unreadable: checked.project.unreadable, files: checked.project.files)
    if !problems.unreadable.isEmpty || checked.diagnostics.hasErrors { throw problems }
    let books = Compile.rulebooks(checked).filter { !$0.rules.isEmpty }
    return (books, checked.diagnostics)
  }
}

/// A facts file (YAML or JSON), parsed but not yet validated against any schema.
public struct FactsDocument: Sendable {
  /// The parsed document, with every node's place in the file.
  public let root: YAMLNode
  /// The file the facts were read from, for quoting it in errors.
  public let file: SourceFile

  /// Reads and parses a facts file; its problems as diagnostics.
  public static func read(path: String) -> Result<FactsDocument, LoadError> {
    switch Disk.readFile(path) {
    case .failure(let e):
      return .failure(LoadError(diagnostics: [], unreadable: [e], files: [:]))
    case .success(let bytes):
      return parse(path: path, bytes: bytes)
    }
  }

  /// Parses facts held in memory (`text` is YAML, or JSON, which YAML reads too).
  public static func parse(path: String = "<facts>", text: String) -> Result<FactsDocument, LoadError> {
    parse(path: path, bytes: Array(text.utf8))
  }

  static func parse(path: String, bytes: [UInt8]) -> Result<FactsDocument, LoadError> {
    switch SourceFile.decode(path: path, bytes: bytes) {
    case .failure(let d):
      return .failure(LoadError(diagnostics: [d], unreadable: [], files: [:]))
    case .success(let file):
      let (root, diagnostics) = YAMLLoader.load(file)
      guard let root, !diagnostics.hasErrors else {
        return .failure(LoadError(diagnostics: diagnostics, unreadable: [], files: [path: file]))
      }
      return .success(FactsDocument(root: root, file: file))
    }
  }

  /// The top-level keys of the facts.
  public var keys: [String] {
    if case .mapping(let pairs) = root.kind { return pairs.map(\.name) }
    return []
  }

  /// A top-level text value at a path such as `product.stage`, if present.
  public func text(at path: [String]) -> String? { root.text(at: path) }
}

extension CompiledRulebook {
  /// Whether facts carry every root this rulebook reads (a product dossier has `product`; an
  /// applicant file has `applicant`). A rulebook that does not apply is reported, never an error.
  public func applies(to facts: FactsDocument) -> Bool {
    let keys = Set(facts.keys)
    return roots.allSatisfy { keys.contains($0.name) }
  }

  /// The facts validated against this rulebook's schema, as values ready to evaluate.
  public func values(from facts: FactsDocument) -> Result<[Value], FactsErrors> {
    FactsReader.read(facts.root, schema: schema)
  }

  /// Parses, validates and evaluates facts given as YAML or JSON text.
  public func evaluate(facts text: String, asOf: CivilDate, stage: Stage? = nil, trace: Bool = false) throws -> Decision {
    let doc = try FactsDocument.parse(text: text).get()
    let values = try self.values(from: doc).get()
    return evaluate(values, asOf: asOf, stage: stage, trace: trace)
  }
}
