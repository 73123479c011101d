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
    /// The index into `registries` of the regulations registry its clause ids name, if one was found.
    public var registry: Int?
  }

  /// The directory that every file a rulebook names — its imports, its tests' facts files — must
  /// lie in: absolute, with symbolic links resolved. See `load(paths:root:)` for the default.
  public var root: String
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
  /// Entries a directory scan passed over, with why: links that lead outside the root, and links
  /// back into a directory already scanned. Notes to show, not errors: the rest was read as usual.
  public var skipped: [DiskError] = []
  /// YAML files a directory scan found that are not rulebooks (products, facts), and why.
  public var passedOver: [DiskError] = []
  /// The regulations registries that rules' clause ids are checked against (usually one): see
  /// `readRegistries(explicit:forEveryRulebook:)`.
  public var registries: [RegulationRegistry] = []
  /// Each registry read, by its resolved directory → index into `registries`.
  var registryByRealPath: [String: Int] = [:]

  init(root: String) { self.root = root }

  /// Reads the rulebooks at `paths` (files, or directories searched for rulebooks).
  ///
  /// Imports may not leave `root`, and neither may directory scans nor (through `factsPath`) the
  /// facts files of rulebook tests. Without a `root`, it is the nearest directory holding `.git`
  /// (the checkout) that contains every path; when there is none, the deepest directory that
  /// contains every path (a file counts by its directory). The process's working directory plays
  /// no part, except in reading relative paths.
  ///
  /// `overlay` gives the text of files by their resolved absolute path, read instead of the disk
  /// (an editor's unsaved buffers); `memo` the rules an earlier load read, reused where their
  /// text is unchanged (an editor's re-check).
  ///
  /// A rulebook whose rules cite clause ids gets the regulations registry `registry` names, or else
  /// the nearest `regulations/` directory above it inside the root (`readRegistries`).
  public static func load(paths: [String], root: String? = nil, overlay: [String: [UInt8]] = [:], registry: String? = nil, memo: LoadMemo? = nil) -> Project {
    let resolved = root.map { Disk.realPath($0) ?? PathName.join(Disk.currentDirectory(), $0) } ?? defaultRoot(for: paths)
    var loader = ProjectLoader(root: resolved)
    loader.overlay = overlay
    loader.memo = memo
    for path in paths { loader.request(path) }
    memo?.finishLoad()
    var project = loader.project
    project.readRegistries(explicit: registry, forEveryRulebook: false)
    return project
  }

  /// The file a rulebook test's `file:` names, to read: `relative` taken from the directory of
  /// `rulebookPath` (the rulebook's path as loaded, `Rulebook.file.path`), with `..` and every
  /// symbolic link resolved.
  ///
  /// Fails when the file lies outside `root` — whether or not it exists, so that a rulebook cannot
  /// probe the disk beyond it — or does not exist. The reason names `relative` as written and reads
  /// on its own: "`../../../etc/passwd` leads outside the root directory `/work/x`".
  public func factsPath(_ relative: String, from rulebookPath: String) -> Result<String, DiskError> {
    let target = PathName.join(PathName.directory(of: rulebookPath), relative)
    let outside = DiskError(path: target, reason: "`\(relative)` leads outside the root directory `\(root)`")
    guard let real = Disk.realPath(target) else {
      // Nothing to resolve: judge the path as written, from its directory's real path if that exists.
      let dir = PathName.directory(of: target)
      let lexical = PathName.join(Disk.realPath(dir) ?? PathName.join(Disk.currentDirectory(), dir), PathName.name(of: target))
      guard PathName.isInside(lexical, root: root) else { return .failure(outside) }
      let looked = target == relative ? "" : " (looked for `\(target)`)"
      return .failure(DiskError(path: target, reason: "`\(relative)` does not exist" + looked))
    }
    guard PathName.isInside(real, root: root) else { return .failure(outside) }
    return .success(real)
  }

  static func defaultRoot(for paths: [String]) -> String {
    let cwd = Disk.currentDirectory()
    let dirs = paths.map { p -> String in
      if let real = Disk.realPath(p) { return Disk.isDirectory(real) ? real : PathName.directory(of: real) }
      // A path that does not exist is reported as unreadable; its directory still counts.
      let dir = PathName.directory(of: p)
      return Disk.realPath(dir) ?? PathName.join(cwd, dir)
    }
    guard var common = dirs.first else { return "/" }
    for d in dirs.dropFirst() {
      while !PathName.isInside(d, root: common) { common = PathName.directory(of: common) }
    }
    return checkout(holding: common, home: Disk.homeDirectory()) ?? common
  }

  /// The nearest directory at or above `directory` that holds `.git` (a directory, or the file of
  /// a worktree or submodule). The search stops below `home` and `/`: a home kept in git is not a
  /// project, and taking it as the root would open `~/.ssh` to every rulebook.
  static func checkout(holding directory: String, home: String?) -> String? {
    var dir = directory
    while dir != "/" && dir != home {
      if Disk.exists(PathName.join(dir, ".git")) { return dir }
      let parent = PathName.directory(of: dir)
      if parent == dir { break }
      dir = parent
    }
    return nil
  }
}
