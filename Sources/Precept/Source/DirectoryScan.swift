/// The YAML files below a directory, found without following links out of bounds or round a loop.
///
/// The walk keeps its own stack rather than recursing, so a deep tree cannot exhaust the thread's
/// stack, and it knows the real path of every entry: two `x -> .` links would otherwise send it
/// round forever.
struct DirectoryScan {
  /// A YAML file found: its path under the directory given, and its real path (nil for a
  /// symbolic link that leads nowhere, which reading then reports as unreadable).
  typealias File = (path: String, realPath: String?)

  /// The YAML files found, depth first in name order.
  private(set) var files: [File] = []
  /// Directories and YAML files passed over, with why: links leading outside the bounds, and
  /// directories already scanned under another name.
  private(set) var skipped: [DiskError] = []

  /// Scans `directory`, skipping hidden entries (`.git`, `.build`). An entry is followed only when
  /// its real path lies inside `root` or inside `directory` itself (a directory named on the
  /// command line is read even when it lies outside the root, but links out of it are not).
  init(_ directory: String, root: String) {
    guard let top = Disk.realPath(directory) else { return }
    // Real path → the name it was first scanned under, so a second way in is named in the note.
    var scanned: [String: String] = [top: directory]
    var stack: [(path: String, realPath: String, names: [String], next: Int)] = [(directory, top, Disk.list(top), 0)]
    while let last = stack.indices.last {
      let frame = stack[last]
      guard frame.next < frame.names.count else {
        stack.removeLast()
        continue
      }
      stack[last].next += 1
      let name = frame.names[frame.next]
      if name.hasPrefix(".") { continue }
      let path = frame.path == "." ? name : PathName.join(frame.path, name)
      // Inside a directory whose real path is known, only a link needs `realpath` (which costs a
      // system call per component: asking it of every entry made deep trees quadratic).
      let entry = PathName.join(frame.realPath, name)
      let real: String
      let isDirectory: Bool
      switch Disk.entryKind(entry) {
      case nil: continue
      case .directory?:
        (real, isDirectory) = (entry, true)
      case .other?:
        (real, isDirectory) = (entry, false)
      case .symbolicLink?:
        guard let resolved = Disk.realPath(entry) else {
          if PathName.isYAML(name) { files.append((path, nil)) }
          continue
        }
        (real, isDirectory) = (resolved, Disk.isDirectory(resolved))
      }
      guard isDirectory || PathName.isYAML(name) else { continue }
      guard PathName.isInside(real, root: root) || PathName.isInside(real, root: top) else {
        skipped.append(DiskError(path: path, reason: "it leads to `\(real)`, outside the root directory `\(root)`"))
        continue
      }
      guard isDirectory else {
        files.append((path, real))
        continue
      }
      if let first = scanned[real] {
        skipped.append(DiskError(path: path, reason: "it leads to `\(first)`, which was already scanned"))
        continue
      }
      scanned[real] = path
      stack.append((path, real, Disk.list(real), 0))
    }
  }
}
