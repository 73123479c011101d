/// Reads the requested rulebooks and every file they import, each once.
///
/// Imports are followed with an explicit stack, not recursion, so a long chain of imports cannot
/// exhaust the thread's stack; chains longer than `maximumImportDepth` are refused (P0305), which
/// keeps the later passes that walk imports recursively within bounds as well.
struct ProjectLoader {
  /// How many imports deep a chain may go, counted along the longest path from a requested file.
  /// Real rulebooks nest a handful deep; a chain of hundreds is generated, and a mistake.
  static let maximumImportDepth = 100

  private(set) var project: Project
  /// File texts read instead of the disk, by resolved path.
  var overlay: [String: [UInt8]] = [:]
  /// Rules read by an earlier load, reused where their text is unchanged.
  var memo: LoadMemo?
  private var byRealPath: [String: Int] = [:]
  /// For each unit whose imports are all followed: the longest chain of imports below it.
  private var depthBelow: [Int] = []

  /// A file being read whose imports are still being followed.
  private struct Frame {
    var unit: Int
    var realPath: String
    var display: String
    /// The next of its imports to follow.
    var nextImport = 0
    /// The longest chain of imports below it, among those followed so far.
    var depthBelow = 0
  }

  /// The files being read, outermost (the requested one) first, to name the cycle when an import
  /// comes back round and to measure how deep a chain goes.
  private var stack: [Frame] = []

  init(root: String) { project = Project(root: root) }

  mutating func request(_ path: String) {
    if Disk.isDirectory(path) {
      let scan = DirectoryScan(path, root: project.root)
      project.skipped += scan.skipped
      for f in scan.files { request(f.path, realPath: f.realPath, fromDirectory: true) }
      return
    }
    request(path, realPath: Disk.realPath(path), fromDirectory: false)
  }

  private mutating func request(_ path: String, realPath: String?, fromDirectory: Bool) {
    guard let real = realPath else {
      project.unreadable.append(DiskError(path: path, reason: "no such file or directory"))
      return
    }
    if let i = byRealPath[real] {
      if !project.requested.contains(i) { project.requested.append(i) }
      return
    }
    let display = PathName.normalize(path)
    guard let i = read(display: display, real: real, importedAt: nil, onlyIfRulebook: fromDirectory) else { return }
    followImports(Frame(unit: i, realPath: real, display: display))
    project.requested.append(i)
  }

  /// Follows the imports of `first`, and of every file they lead to, depth first in the order written.
  private mutating func followImports(_ first: Frame) {
    stack = [first]
    while let top = stack.last {
      let imports = project.units[top.unit].rulebook.imports
      guard top.nextImport < imports.count else {
        stack.removeLast()
        depthBelow[top.unit] = top.depthBelow
        if let parent = stack.indices.last { stack[parent].depthBelow = max(stack[parent].depthBelow, top.depthBelow + 1) }
        continue
      }
      let imp = imports[top.nextImport]
      stack[stack.count - 1].nextImport += 1
      switch resolve(imp, from: top.display) {
      case .refused: break
      case .read(let target):
        project.units[top.unit].imports[imp.alias.value] = target
        stack[stack.count - 1].depthBelow = max(top.depthBelow, depthBelow[target] + 1)
      case .toRead(let display, let real):
        guard let target = read(display: display, real: real, importedAt: imp.path.span, onlyIfRulebook: false) else { break }
        project.units[top.unit].imports[imp.alias.value] = target
        stack.append(Frame(unit: target, realPath: real, display: display))
      }
    }
  }

  /// Reads, parses and registers one file; its imports are followed by the caller. Returns its unit index.
  private mutating func read(display: String, real: String, importedAt: Span?, onlyIfRulebook: Bool) -> Int? {
    let bytes: [UInt8]
    switch overlay[real].map({ .success($0) }) ?? Disk.readFile(real) {
    case .success(let b): bytes = b
    case .failure(let e):
      if let at = importedAt {
        project.diagnostics.append(Diagnostic(.unreadableFile, at, "cannot read imported file `\(display)`: \(e.reason)"))
      } else {
        project.unreadable.append(DiskError(path: display, reason: e.reason))
      }
      return nil
    }
    // A file read last time with the same bytes, under the same name, reads the same.
    if !onlyIfRulebook, let kept = memo?.file(display, bytes) {
      project.files[display] = kept.file
      project.diagnostics += kept.diagnostics
      guard let book = kept.rulebook else { return nil }
      return register(book, real: real)
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
    // In a directory, YAML files that are not rulebooks (facts, products) are passed over, and
    // named; one that looks like a rulebook without its `precept: 1` is read, so the reader says so.
    if onlyIfRulebook, let root, !isRulebook(root), !looksLikeRulebook(root) {
      project.passedOver.append(DiskError(path: display, reason: "it is not a rulebook (a rulebook starts with `precept: 1`)"))
      return nil
    }
    if onlyIfRulebook, let root, isRegulation(root) {
      project.passedOver.append(DiskError(path: display, reason: "it is an instrument of a regulations registry, not a rulebook"))
      return nil
    }
    project.diagnostics += yamlDiagnostics
    guard let root, !yamlDiagnostics.hasErrors else {
      memo?.keepFile(display, bytes, LoadMemo.File(file: file, diagnostics: yamlDiagnostics, rulebook: nil))
      return nil
    }
    let (book, diagnostics) = RulebookReader.read(root, file: file, memo: memo)
    project.diagnostics += diagnostics
    memo?.keepFile(display, bytes, LoadMemo.File(file: file, diagnostics: yamlDiagnostics + diagnostics, rulebook: book))
    guard let book else { return nil }
    return register(book, real: real)
  }

  /// Adds a rulebook read from `real` as a unit; returns its index.
  private mutating func register(_ book: Rulebook, real: String) -> Int {
    let index = project.units.count
    project.units.append(Project.Unit(rulebook: book, realPath: real, imports: [:]))
    depthBelow.append(0)
    byRealPath[real] = index
    return index
  }

  /// A mapping with a rulebook's own keys (`rulebook:`, `rules:`) but no `precept:`.
  private func looksLikeRulebook(_ root: YAMLNode) -> Bool {
    guard case .mapping(let pairs) = root.kind else { return false }
    return pairs.contains { $0.name == "rulebook" || $0.name == "rules" }
  }

  private func isRulebook(_ root: YAMLNode) -> Bool {
    guard case .mapping(let pairs) = root.kind else { return false }
    return pairs.contains { $0.name == "precept" }
  }

  /// A file of a regulations registry (`regulation:` beside `precept:`), met in a directory scan.
  private func isRegulation(_ root: YAMLNode) -> Bool {
    guard case .mapping(let pairs) = root.kind else { return false }
    return pairs.contains { $0.name == "regulation" } && !pairs.contains { $0.name == "rulebook" }
  }

  /// Where an import leads.
  private enum Resolution {
    /// Nowhere: the problem is reported.
    case refused
    /// To a unit already read, whose imports are all followed.
    case read(Int)
    /// To a file not read yet.
    case toRead(display: String, real: String)
  }

  /// Where the import `imp`, written in the file on top of the stack, leads.
  private mutating func resolve(_ imp: Import, from display: String) -> Resolution {
    let target = PathName.join(PathName.directory(of: display), imp.path.value)
    guard let real = Disk.realPath(target) else {
      project.diagnostics.append(Diagnostic(
        .importNotFound, imp.path.span,
        "imported file `\(imp.path.value)` does not exist" + (target == imp.path.value ? "" : " (looked for `\(target)`)"),
        help: ["import paths are relative to the file that imports them"]))
      return .refused
    }
    let root = project.root
    guard PathName.isInside(real, root: root) else {
      project.diagnostics.append(Diagnostic(
        .importOutsideRoot, imp.path.span, "import `\(imp.path.value)` leads outside the root directory `\(root)`",
        help: ["keep imported rulebooks inside the project, or pass `--root` with a directory that holds them all"]))
      return .refused
    }
    if let at = stack.firstIndex(where: { $0.realPath == real }) {
      let cycle = stack[at...].map(\.display) + [stack[at].display]
      project.diagnostics.append(Diagnostic(
        .importCycle, imp.path.span, "import cycle: " + cycle.joined(separator: " → "),
        help: ["move what both files need into a third rulebook that both import"]))
      return .refused
    }
    if let i = byRealPath[real] {
      // Not on the stack, so every import below it is followed and its depth is known.
      return refuseIfTooDeep(imp, chain: stack.count + depthBelow[i]) ? .refused : .read(i)
    }
    if Disk.isDirectory(real) {
      let example = Disk.list(real).first(where: PathName.isYAML).map { PathName.join(imp.path.value, $0) }
      project.diagnostics.append(Diagnostic(
        .unreadableFile, imp.path.span, "cannot import `\(imp.path.value)`: it is a folder, and an import names one rulebook file",
        help: [example.map { "name the file, e.g. `path: \($0)`" } ?? "name a rulebook file inside it"]))
      return .refused
    }
    return refuseIfTooDeep(imp, chain: stack.count) ? .refused : .toRead(display: target, real: real)
  }

  /// Reports P0305 when following `imp` makes a chain of `chain` imports from the requested file,
  /// more than `maximumImportDepth`.
  private mutating func refuseIfTooDeep(_ imp: Import, chain: Int) -> Bool {
    guard chain > Self.maximumImportDepth, let start = stack.first?.display else { return false }
    project.diagnostics.append(Diagnostic(
      .importTooDeep, imp.path.span,
      "import `\(imp.path.value)` makes a chain of \(chain) imports from `\(start)`; imports may nest at most \(Self.maximumImportDepth) deep",
      help: ["import shared rulebooks directly from the files that use them, rather than through a chain of other files"]))
    return true
  }
}
