/// Every rulebook named on the command line, and every rulebook they import, read once each.
public struct Project: Sendable {
  /// One rulebook file and what its import aliases refer to.
  public struct Unit: Sendable {
    /// The rulebook as read.
    public var rulebook: Rulebook
    /// The file's resolved absolute path (identity for import de-duplication).
    public var realPath: String
    /// Import alias → index into `units`.
    public var imports: [String: Int]
  }

  /// Every rulebook read, requested or imported, once each.
  public var units: [Unit] = []
  /// The units the user asked for (directly or through a directory), in the order given.
  public var requested: [Int] = []
  /// Problems reading, parsing or importing, in the order found.
  public var diagnostics: [Diagnostic] = []
  /// Every file read, by the path diagnostics name it with (for showing source lines).
  public var files: [String: SourceFile] = [:]
  /// The file text a span covers (empty when the file is not part of the project).
  public func text(of span: Span) -> String {
    files[span.file]?.text(span.start.offset, span.end.offset) ?? ""
  }

  /// Paths that could not be read at all (exit code 2).
  public var unreadable: [DiskError] = []

  /// Reads the rulebooks at `paths` (files, or directories searched for rulebooks).
  ///
  /// Imports may not leave `root`. Without one, the root is the current directory when every
  /// path lies inside it, and otherwise the deepest directory holding all the paths.
  public static func load(paths: [String], root: String? = nil) -> Project {
    var loader = ProjectLoader(root: root ?? defaultRoot(for: paths))
    for path in paths { loader.request(path) }
    return loader.project
  }

  static func defaultRoot(for paths: [String]) -> String {
    let cwd = Disk.realPath(Disk.currentDirectory()) ?? "/"
    let dirs = paths.map { p -> String in
      let real = Disk.realPath(p) ?? PathName.join(cwd, p)
      return Disk.isDirectory(real) ? real : PathName.directory(of: real)
    }
    if dirs.allSatisfy({ PathName.isInside($0, root: cwd) }) { return cwd }
    var common = dirs.first ?? cwd
    for d in dirs.dropFirst() {
      while !PathName.isInside(d, root: common) { common = PathName.directory(of: common) }
    }
    return common
  }
}

struct ProjectLoader {
  var project = Project()
  let root: String
  private var byRealPath: [String: Int] = [:]
  /// Files being loaded, outermost first, to name the cycle when an import comes back round.
  private var stack: [(realPath: String, display: String)] = []

  init(root: String) { self.root = Disk.realPath(root) ?? root }

  mutating func request(_ path: String) {
    if Disk.isDirectory(path) {
      let files = rulebookFiles(under: path)
      for f in files { request(f, fromDirectory: true) }
      return
    }
    request(path, fromDirectory: false)
  }

  private mutating func request(_ path: String, fromDirectory: Bool) {
    guard let real = Disk.realPath(path) else {
      project.unreadable.append(DiskError(path: path, reason: "no such file or directory"))
      return
    }
    if let i = byRealPath[real] {
      if !project.requested.contains(i) { project.requested.append(i) }
      return
    }
    guard let i = load(display: PathName.normalize(path), real: real, importedAt: nil, onlyIfRulebook: fromDirectory) else { return }
    project.requested.append(i)
  }

  /// YAML files below a directory, in name order, skipping hidden and build folders.
  private func rulebookFiles(under dir: String) -> [String] {
    var out: [String] = []
    for name in Disk.list(dir) where !name.hasPrefix(".") {
      let p = dir == "." ? name : PathName.join(dir, name)
      if Disk.isDirectory(p) {
        out += rulebookFiles(under: p)
      } else if PathName.isYAML(name) {
        out.append(p)
      }
    }
    return out
  }

  /// Reads, parses and registers one file, then its imports. Returns its unit index.
  private mutating func load(display: String, real: String, importedAt: Span?, onlyIfRulebook: Bool) -> Int? {
    let bytes: [UInt8]
    switch Disk.readFile(real) {
    case .success(let b): bytes = b
    case .failure(let e):
      if let at = importedAt {
        project.diagnostics.append(Diagnostic(.unreadableFile, at, "cannot read imported file `\(display)`: \(e.reason)"))
      } else {
        project.unreadable.append(DiskError(path: display, reason: e.reason))
      }
      return nil
    }
    let file: SourceFile
    switch SourceFile.decode(path: display, bytes: bytes) {
    case .success(let f):
      file = f
      project.files[display] = f
    case .failure(let d):
      project.diagnostics.append(d)
      return nil
    }
    let (root, yamlDiagnostics) = YAMLLoader.load(file)
    // In a directory, YAML files that are not rulebooks (facts, products) are passed over.
    if onlyIfRulebook, let root, !isRulebook(root) { return nil }
    project.diagnostics += yamlDiagnostics
    guard let root, !yamlDiagnostics.hasErrors else { return nil }
    let (book, diagnostics) = RulebookReader.read(root, file: file)
    project.diagnostics += diagnostics
    guard let book else { return nil }
    let index = project.units.count
    project.units.append(Project.Unit(rulebook: book, realPath: real, imports: [:]))
    byRealPath[real] = index
    stack.append((real, display))
    defer { stack.removeLast() }
    for imp in book.imports {
      if let target = resolve(imp, from: display) { project.units[index].imports[imp.alias.value] = target }
    }
    return index
  }

  private func isRulebook(_ root: YAMLNode) -> Bool {
    guard case .mapping(let pairs) = root.kind else { return false }
    return pairs.contains { $0.name == "precept" }
  }

  private mutating func resolve(_ imp: Import, from display: String) -> Int? {
    let target = PathName.join(PathName.directory(of: display), imp.path.value)
    guard let real = Disk.realPath(target) else {
      project.diagnostics.append(Diagnostic(
        .importNotFound, imp.path.span,
        "imported file `\(imp.path.value)` does not exist" + (target == imp.path.value ? "" : " (looked for `\(target)`)"),
        help: ["import paths are relative to the file that imports them"]))
      return nil
    }
    guard PathName.isInside(real, root: root) else {
      project.diagnostics.append(Diagnostic(
        .importOutsideRoot, imp.path.span, "import `\(imp.path.value)` leads outside the root directory `\(root)`",
        help: ["keep imported rulebooks inside the project, or pass `--root` with a directory that holds them all"]))
      return nil
    }
    if let at = stack.firstIndex(where: { $0.realPath == real }) {
      let cycle = stack[at...].map(\.display) + [stack[at].display]
      project.diagnostics.append(Diagnostic(
        .importCycle, imp.path.span, "import cycle: " + cycle.joined(separator: " → "),
        help: ["move what both files need into a third rulebook that both import"]))
      return nil
    }
    if let i = byRealPath[real] { return i }
    if Disk.isDirectory(real) {
      let example = Disk.list(real).first(where: PathName.isYAML).map { PathName.join(imp.path.value, $0) }
      project.diagnostics.append(Diagnostic(
        .unreadableFile, imp.path.span, "cannot import `\(imp.path.value)`: it is a folder, and an import names one rulebook file",
        help: [example.map { "name the file, e.g. `path: \($0)`" } ?? "name a rulebook file inside it"]))
      return nil
    }
    return load(display: target, real: real, importedAt: imp.path.span, onlyIfRulebook: false)
  }
}
