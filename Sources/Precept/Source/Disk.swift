#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The few file-system calls Precept needs, on the C library so the core does not pull in Foundation.
public enum Disk {
  /// Reads a whole file, refusing files larger than `SourceFile.maximumSize`.
  public static func readFile(_ path: String) -> Result<[UInt8], DiskError> {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return .failure(DiskError(path: path, reason: errnoText())) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { return .failure(DiskError(path: path, reason: errnoText())) }
    if (info.st_mode & S_IFMT) == S_IFDIR { return .failure(DiskError(path: path, reason: "it is a directory")) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        return .failure(DiskError(path: path, reason: errnoText()))
      }
      if n == 0 { break }
      bytes.append(contentsOf: chunk[0..<n])
      if bytes.count > SourceFile.maximumSize {
        return .failure(DiskError(path: path, reason: "it is larger than \(SourceFile.maximumSize) bytes"))
      }
    }
    return .success(bytes)
  }

  private static func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
      Glibc.read(fd, buffer, count)
    #else
      Darwin.read(fd, buffer, count)
    #endif
  }

  /// The absolute path with every symbolic link and `..` resolved, or nil if it does not exist.
  public static func realPath(_ path: String) -> String? {
    guard let p = realpath(path, nil) else { return nil }
    defer { free(p) }
    return String(cString: p)
  }

  /// Whether `path` names a directory (following symbolic links).
  public static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  /// What a directory entry is, the entry itself rather than where a symbolic link leads.
  public enum EntryKind: Sendable {
    case directory, symbolicLink, other
  }

  /// What `path` itself is, without following a symbolic link at its end; nil if nothing is there.
  public static func entryKind(_ path: String) -> EntryKind? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    switch info.st_mode & S_IFMT {
    case S_IFDIR: return .directory
    case S_IFLNK: return .symbolicLink
    default: return .other
    }
  }

  /// Whether anything exists at `path`.
  public static func exists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
  }

  /// The entries of a directory, sorted by name so every run visits them in the same order.
  public static func list(_ path: String) -> [String] {
    guard let dir = opendir(path) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }

  /// The process's working directory, or `.` if it cannot be found.
  public static func currentDirectory() -> String {
    guard let p = getcwd(nil, 0) else { return "." }
    defer { free(p) }
    return String(cString: p)
  }

  /// The user's home directory (`$HOME`, resolved), or nil when it is unset or does not exist.
  public static func homeDirectory() -> String? {
    guard let home = getenv("HOME") else { return nil }
    return realPath(String(cString: home))
  }

  private static func errnoText() -> String {
    switch errno {
    case ENOENT: "no such file or directory"
    case EACCES: "permission denied"
    case EISDIR: "it is a directory"
    default: String(cString: strerror(errno))
    }
  }
}

/// Why a file could not be read.
public struct DiskError: Error, Sendable, Hashable {
  /// The path as given.
  public var path: String
  /// Why it could not be read, in words.
  public var reason: String
}

/// Path arithmetic on strings, lexical only (the disk is asked separately where links matter).
public enum PathName {
  /// The directory part of `path` (`.` when there is none).
  public static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  /// The last component of `path` (the whole path when it has no `/`).
  public static func name(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }

  /// `base/relative`, with `.` and `..` folded where that is purely lexical.
  public static func join(_ base: String, _ relative: String) -> String {
    if relative.hasPrefix("/") { return normalize(relative) }
    return normalize(base == "." ? relative : base + "/" + relative)
  }

  /// `path` with `.` and `..` resolved lexically and repeated slashes removed.
  public static func normalize(_ path: String) -> String {
    let absolute = path.hasPrefix("/")
    var parts: [Substring] = []
    for p in path.split(separator: "/", omittingEmptySubsequences: true) {
      if p == "." { continue }
      if p == "..", let last = parts.last, last != ".." {
        parts.removeLast()
        continue
      }
      if p == "..", absolute, parts.isEmpty { continue }
      parts.append(p)
    }
    let joined = parts.joined(separator: "/")
    return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
  }

  /// Whether a file name ends in `.yaml` or `.yml`.
  public static func isYAML(_ name: String) -> Bool { name.hasSuffix(".yaml") || name.hasSuffix(".yml") }

  /// Whether `path` is `root` or lies below it (both absolute and resolved).
  public static func isInside(_ path: String, root: String) -> Bool {
    root == "/" || path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
  }
}
