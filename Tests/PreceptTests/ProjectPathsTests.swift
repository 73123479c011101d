import PreceptTestSupport
import Foundation
import Testing
@testable import Precept

/// Where a project may read: long import chains, directory scans through symbolic links, the
/// default root, and the facts files that rulebook tests name. Each test builds its own tree
/// under the system's temporary folder.
@Suite struct ProjectPathsTests {
  // MARK: - Trees on disk

  /// A fresh directory, by its real path (on macOS the temporary folder is behind a link).
  static func temporaryDirectory() throws -> String {
    try #require(Disk.realPath(try scratchDirectory("precept-paths-")))
  }

  /// Writes a file, creating its directory. Through the C library: Foundation's file calls take
  /// milliseconds each on some machines, and the long chain writes ten thousand files.
  static func write(_ text: String, _ path: String) throws {
    let dir = PathName.directory(of: path)
    if !Disk.isDirectory(dir) { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    guard bytes.withUnsafeBytes({ Foundation.write(fd, $0.baseAddress, $0.count) }) == bytes.count else { throw POSIXError(.EIO) }
  }

  /// Removes a tree without following its links, through the C library (see `write`).
  static func remove(_ dir: String) {
    var pending = [dir]
    var directories: [String] = []
    while let d = pending.popLast() {
      directories.append(d)
      for name in Disk.list(d) {
        let path = d + "/" + name
        var info = stat()
        if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { pending.append(path) } else { unlink(path) }
      }
    }
    for d in directories.reversed() { rmdir(d) }
  }

  static func link(_ path: String, to destination: String) throws {
    try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: destination)
  }

  /// A rulebook that imports each of `imports` (as `i0`, `i1`, …).
  static func rulebook(_ id: String, imports: [String] = []) -> String {
    var text = "precept: 1\nrulebook: \(id)\n"
    if !imports.isEmpty {
      text += "imports:\n"
      for (k, path) in imports.enumerated() { text += "  - { path: \(path), as: i\(k) }\n" }
    }
    return text
  }

  /// `prefix0.yaml` → `prefix1.yaml` → … → `prefix<count>.yaml`: `count` imports, the last file imports `last` if given.
  static func chain(_ prefix: String, count: Int, in dir: String, last: String? = nil) throws {
    for i in 0...count {
      var text = "precept: 1\nrulebook: chain.\(prefix)\(i)\n"
      if let next = i < count ? "\(prefix)\(i + 1).yaml" : last { text += "imports:\n  - { path: \(next), as: next }\n" }
      try write(text, dir + "/\(prefix)\(i).yaml")
    }
  }

  static func render(_ report: LintReport, relativeTo dir: String) -> String {
    DiagnosticRenderer(files: report.files, color: false).render(report.diagnostics)
      .replacingOccurrences(of: dir + "/", with: "")
  }

  // MARK: - Import chains

  /// 10,000 chained imports end in one P0305 at the 101st, not in a crash; the text is the one in
  /// docs/diagnostics.md. Writing the tree takes 2–10 s (the disk, not Precept: `bash` takes as
  /// long); linting it takes a few hundredths of a second, since reading stops after 101 files.
  @Test func aTenThousandImportChainStopsAtTheLimit() throws {
    let dir = try Self.temporaryDirectory()
    defer { Self.remove(dir) }
    try Self.chain("a", count: 10_000, in: dir)
    let report = LintReport.run(paths: [dir + "/a0.yaml"], root: dir)
    #expect(report.unreadable.isEmpty)
    #expect(report.rulebookCount == 101)
    #expect(
      Self.render(report, relativeTo: dir) == """
        a100.yaml:4:13: error[P0305]: import `a101.yaml` makes a chain of 101 imports from `a0.yaml`; imports may nest at most 100 deep
           |
         4 |   - { path: a101.yaml, as: next }
           |             ^^^^^^^^^
           = help: import shared rulebooks directly from the files that use them, rather than through a chain of other files

        1 error, 0 warnings

        """)
  }

  /// Exactly 100 imports deep is allowed.
  @Test func aChainOfOneHundredImportsIsAccepted() throws {
    let dir = try Self.temporaryDirectory()
    defer { Self.remove(dir) }
    try Self.chain("a", count: 100, in: dir)
    let report = LintReport.run(paths: [dir + "/a0.yaml"], root: dir)
    #expect(report.diagnostics.map(\.message) == [])
    #expect(report.rulebookCount == 101)
    #expect(report.checked.project.units[0].imports == ["next": 1])
  }

  /// A chain that reaches a file read earlier counts that file's own chain too: the later passes
  /// walk imports recursively, so the longest path is what must stay bounded.
  @Test func aChainThroughAFileReadEarlierCountsItsDepth() throws {
    let dir = try Self.temporaryDirectory()
    defer { Self.remove(dir) }
    try Self.chain("t", count: 60, in: dir)
    try Self.chain("s", count: 50, in: dir, last: "t0.yaml")

    let first = Project.load(paths: [dir + "/t0.yaml", dir + "/s0.yaml"], root: dir)
    #expect(first.diagnostics.map(\.code) == [.importTooDeep])
    #expect(first.diagnostics.map(\.message) == [
      "import `t0.yaml` makes a chain of 111 imports from `\(dir)/s0.yaml`; imports may nest at most 100 deep"
    ])
    #expect(first.diagnostics.first?.span.file == dir + "/s50.yaml")
    #expect(first.units.count == 112)

    // The other way round the chain is met while reading: the import of t50 is the 101st.
    let second = Project.load(paths: [dir + "/s0.yaml", dir + "/t0.yaml"], root: dir)
    #expect(second.diagnostics.map(\.message) == [
      "import `t50.yaml` makes a chain of 101 imports from `\(dir)/s0.yaml`; imports may nest at most 100 deep"
    ])
    #expect(second.diagnostics.first?.span.file == dir + "/t49.yaml")
    #expect(second.units.count == 101)
    #expect(second.requested == [0, 51])
  }

  /// The cycle is named from the file it comes back to, as before the loader kept its own stack.
  @Test func aCycleBelowTheRequestedFileIsNamedFromWhereItCloses() throws {
    let dir = try Self.temporaryDirectory()
    defer { Self.remove(dir) }
    try Self.write(Self.rulebook("c.a", imports: ["b.yaml"]), dir + "/a.yaml")
    try Self.write(Self.rulebook("c.b", imports: ["c.yaml"]), dir + "/b.yaml")
    try Self.write(Self.rulebook("c.c", imports: ["d.yaml", "b.yaml"]), dir + "/c.yaml")
    try Self.write(Self.rulebook("c.d"), dir + "/d.yaml")
    let project = Project.load(paths: [dir + "/a.yaml"], root: dir)
    #expect(project.diagnostics.map(\.code) == [.importCycle])
    #expect(project.diagnostics.map(\.message) == ["import cycle: \(dir)/b.yaml → \(dir)/c.yaml → \(dir)/b.yaml"])
    #expect(project.diagnostics.first?.span.file == dir + "/c.yaml")
    #expect(project.diagnostics.first?.span.start.line == 5)
    #expect(project.units.map(\.rulebook.id.value) == ["c.a", "c.b", "c.c", "c.d"])
    #expect(project.units[2].imports == ["i0": 3])
  }

  // MARK: - Directory scans

  /// Two `x -> .` links used to send the scan round for ever; each is now passed over with a note.
  @Test func linksBackToTheDirectoryAreScannedOnce() throws {
    let dir = try Self.temporaryDirectory()
    defer { Self.remove(dir) }
    let books = dir + "/books"
    try Self.write(Self.rulebook("loop.one"), books + "/one.yaml")
    try Self.write(Self.rulebook("loop.two"), books + "/sub/two.yaml")
    try Self.link(books + "/l1", to: ".")
    try Self.link(books + "/l2", to: ".")
    try Self.link(books + "/sub/up", to: "..")
    let project = Project.load(paths: [books], root: dir)
    #expect(project.units.map(\.rulebook.file.path) == [books + "/one.yaml", books + "/sub/two.yaml"])
    #expect(project.skipped == [
      DiskError(path: books + "/l1", reason: "it leads to `\(books)`, which was already scanned"),
      DiskError(path: books + "/l2", reason: "it leads to `\(books)`, which was already scanned"),
      DiskError(path: books + "/sub/up", reason: "it leads to `\(books)`, which was already scanned"),
    ])
    #expect(project.diagnostics.isEmpty)
    #expect(project.unreadable.isEmpty)
  }

  /// A link out of the root is not followed, a directory or a rulebook alike; with a wider root it is.
  @Test func linksOutOfTheRootArePassedOver() throws {
    let dir = try Self.temporaryDirectory()
    defer { Self.remove(dir) }
    let root = dir + "/project"
    try Self.write(Self.rulebook("in.main"), root + "/main.yaml")
    try Self.write(Self.rulebook("out.lib"), dir + "/outside/lib/lib.yaml")
    try Self.write(Self.rulebook("out.one"), dir + "/outside/one.yaml")
    try Self.link(root + "/lib", to: "../outside/lib")
    try Self.link(root + "/one.yaml", to: dir + "/outside/one.yaml")

    let narrow = Project.load(paths: [root], root: root)
    #expect(narrow.units.map(\.rulebook.id.value) == ["in.main"])
    #expect(narrow.skipped == [
      DiskError(path: root + "/lib", reason: "it leads to `\(dir)/outside/lib`, outside the root directory `\(root)`"),
      DiskError(path: root + "/one.yaml", reason: "it leads to `\(dir)/outside/one.yaml`, outside the root directory `\(root)`"),
    ])

    let wide = Project.load(paths: [root], root: dir)
    #expect(wide.units.map(\.rulebook.file.path) == [root + "/lib/lib.yaml", root + "/main.yaml", root + "/one.yaml"])
    #expect(wide.skipped.isEmpty)
  }

  /// A directory named on the command line is read even outside the root; links out of it are not followed.
  @Test func aDirectoryGivenOutsideTheRootIsReadButNotLeft() throws {
    let dir = try Self.temporaryDirectory()
    defer { Self.remove(dir) }
    try Self.write(Self.rulebook("given.a"), dir + "/given/a.yaml")
    try Self.write(Self.rulebook("other.b"), dir + "/other/b.yaml")
    try Self.link(dir + "/given/other", to: "../other")
    try FileManager.default.createDirectory(atPath: dir + "/root", withIntermediateDirectories: true)
    let project = Project.load(paths: [dir + "/given"], root: dir + "/root")
    #expect(project.units.map(\.rulebook.id.value) == ["given.a"])
    #expect(project.skipped.map(\.path) == [dir + "/given/other"])
  }

  /// A tree 1,000 directories deep is scanned to the bottom (as deep as paths under PATH_MAX go),
  /// in under a second: asking `realpath` of every entry took 20 s here, a system call per
  /// component of a path 2,000 characters long.
  @Test func aDeepTreeIsScanned() throws {
    let dir = try Self.temporaryDirectory()
    defer { Self.remove(dir) }
    let path = dir + String(repeating: "/d", count: 1_000)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    try Self.write(Self.rulebook("deep.leaf"), path + "/leaf.yaml")
    let project = Project.load(paths: [dir], root: dir)
    #expect(project.units.map(\.rulebook.id.value) == ["deep.leaf"])
    #expect(project.units.first?.rulebook.file.path == path + "/leaf.yaml")
  }

  // MARK: - The default root

  @Test func theDefaultRootIsTheDeepestCommonDirectory() throws {
    let dir = try Self.temporaryDirectory()
    defer { Self.remove(dir) }
    try Self.write(Self.rulebook("x.a"), dir + "/p/a/a.yaml")
    try Self.write(Self.rulebook("x.b"), dir + "/p/b/c/b.yaml")
    // No `.git` above the temporary folder, so the fallback applies.
    #expect(Project.checkout(holding: dir, home: nil) == nil)
    #expect(Project.load(paths: [dir + "/p/a/a.yaml", dir + "/p/b/c/b.yaml"]).root == dir + "/p")
    #expect(Project.load(paths: [dir + "/p/b/c/b.yaml"]).root == dir + "/p/b/c")
    #expect(Project.load(paths: [dir + "/p/b"]).root == dir + "/p/b")
    #expect(Project.load(paths: [dir + "/p/b/c/../../a/a.yaml"]).root == dir + "/p/a")
    // A path that does not exist still counts by its directory.
    #expect(Project.load(paths: [dir + "/p/a/a.yaml", dir + "/p/b/missing.yaml"]).root == dir + "/p")
  }

  @Test func theDefaultRootFollowsLinksInTheGivenPaths() throws {
    let dir = try Self.temporaryDirectory()
    defer { Self.remove(dir) }
    try Self.write(Self.rulebook("x.a"), dir + "/real/a.yaml")
    try Self.link(dir + "/alias", to: dir + "/real")
    #expect(Project.load(paths: [dir + "/alias/a.yaml"]).root == dir + "/real")
    #expect(Project.load(paths: [dir + "/alias"], root: dir + "/alias").root == dir + "/real")
  }

  /// Within a checkout, the root is the checkout: `rulebooks/cn/x.yaml` imports `../common/…`.
  @Test func theDefaultRootIsTheEnclosingCheckout() throws {
    let dir = try Self.temporaryDirectory()
    defer { Self.remove(dir) }
    let repo = dir + "/repo"
    try FileManager.default.createDirectory(atPath: repo + "/.git", withIntermediateDirectories: true)
    try Self.write(Self.rulebook("x.lists"), repo + "/rulebooks/common/lists.yaml")
    try Self.write(Self.rulebook("x.main", imports: ["../common/lists.yaml"]), repo + "/rulebooks/cn/main.yaml")
    let project = Project.load(paths: [repo + "/rulebooks/cn/main.yaml"])
    #expect(project.root == repo)
    #expect(project.diagnostics.map(\.message) == [])
    #expect(project.units.count == 2)

    // A worktree's or submodule's `.git` is a file.
    let worktree = dir + "/worktree"
    try Self.write("gitdir: elsewhere\n", worktree + "/.git")
    try Self.write(Self.rulebook("x.w"), worktree + "/a/b/w.yaml")
    #expect(Project.load(paths: [worktree + "/a/b/w.yaml"]).root == worktree)

    // A home directory kept in git is not a project: the search stops below it.
    #expect(Project.checkout(holding: repo + "/rulebooks/cn", home: nil) == repo)
    #expect(Project.checkout(holding: repo + "/rulebooks/cn", home: repo) == nil)
    #expect(Project.checkout(holding: repo + "/rulebooks/cn", home: repo + "/rulebooks") == nil)
  }

  // MARK: - Facts files of rulebook tests

  /// A project under `dir/project` with a rulebook in `rulebooks/cn`, examples beside it, and a secret outside.
  static func factsTree() throws -> (dir: String, project: Project, rulebook: String) {
    let dir = try temporaryDirectory()
    let root = dir + "/project"
    let book = root + "/rulebooks/cn/main.yaml"
    try write(rulebook("f.main"), book)
    try write("product: {id: x}\n", root + "/examples/p.yaml")
    try write("secret: yes\n", dir + "/secret.yaml")
    try link(root + "/examples/leak.yaml", to: dir + "/secret.yaml")
    try link(root + "/examples/alias.yaml", to: "p.yaml")
    return (dir, Project.load(paths: [book], root: root), book)
  }

  @Test func aFactsFileInsideTheRootResolves() throws {
    let (dir, project, rulebook) = try Self.factsTree()
    defer { Self.remove(dir) }
    #expect(project.root == dir + "/project")
    #expect(project.factsPath("../../examples/p.yaml", from: rulebook) == .success(dir + "/project/examples/p.yaml"))
    #expect(project.factsPath("../../examples/alias.yaml", from: rulebook) == .success(dir + "/project/examples/p.yaml"))
    #expect(
      project.factsPath("missing.yaml", from: rulebook)
        == .failure(DiskError(
          path: dir + "/project/rulebooks/cn/missing.yaml",
          reason: "`missing.yaml` does not exist (looked for `\(dir)/project/rulebooks/cn/missing.yaml`)")))
  }

  @Test func aFactsFileOutsideTheRootIsRefused() throws {
    let (dir, project, rulebook) = try Self.factsTree()
    defer { Self.remove(dir) }
    let root = dir + "/project"
    func refused(_ relative: String, target: String) -> Result<String, DiskError> {
      .failure(DiskError(path: target, reason: "`\(relative)` leads outside the root directory `\(root)`"))
    }
    #expect(project.factsPath("../../../secret.yaml", from: rulebook) == refused("../../../secret.yaml", target: dir + "/secret.yaml"))
    #expect(project.factsPath("/etc/passwd", from: rulebook) == refused("/etc/passwd", target: "/etc/passwd"))
    // Through a link inside the root.
    #expect(
      project.factsPath("../../examples/leak.yaml", from: rulebook)
        == refused("../../examples/leak.yaml", target: root + "/examples/leak.yaml"))
    // Outside and missing: refused the same way, so a rulebook cannot probe what exists there.
    #expect(
      project.factsPath("../../../../../no/such.yaml", from: rulebook)
        == refused("../../../../../no/such.yaml", target: PathName.join(root + "/rulebooks/cn", "../../../../../no/such.yaml")))
  }

  /// The shipped rulebooks' tests read facts from `examples/`, inside the checkout.
  @Test func theShippedTestsFactsFilesAreInsideTheRepository() throws {
    let repo = try #require(Disk.realPath(
      URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path))
    let project = Project.load(paths: [repo + "/rulebooks"], root: repo)
    var resolved = 0
    for unit in project.units {
      for test in unit.rulebook.tests {
        guard case .file(let path) = test.facts else { continue }
        let result = project.factsPath(path.value, from: unit.rulebook.file.path)
        #expect(result == .success(PathName.join(repo, "examples/" + (path.value.components(separatedBy: "examples/").last ?? ""))))
        resolved += 1
      }
    }
    #expect(resolved > 10)
    if Disk.exists(repo + "/.git") { #expect(Project.load(paths: [repo + "/rulebooks"]).root == repo) }
  }
}
