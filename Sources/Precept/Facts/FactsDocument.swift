/// A facts file (YAML, or JSON when its name ends in `.json`), parsed but not yet validated
/// against any schema.
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

  /// Parses facts held in memory: strict JSON when `path` ends in `.json`, otherwise YAML.
  public static func parse(path: String = "<facts>", text: String) -> Result<FactsDocument, LoadError> {
    parse(path: path, bytes: Array(text.utf8))
  }

  /// Parses a facts document from its bytes (UTF-8; `path`'s extension says JSON or YAML).
  public static func parse(path: String, bytes: [UInt8]) -> Result<FactsDocument, LoadError> {
    switch SourceFile.decode(path: path, bytes: bytes) {
    case .failure(let d):
      return .failure(LoadError(diagnostics: [d], unreadable: [], files: [:]))
    case .success(let file):
      let (root, diagnostics) = path.lowercased().hasSuffix(".json") ? JSONTree.load(file) : YAMLLoader.load(file)
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
