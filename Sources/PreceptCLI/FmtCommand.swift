import ArgumentParser
import Foundation
import Precept

struct FmtCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fmt",
    abstract: "Write the expressions in rulebooks in their canonical form (comments and layout kept).",
    discussion: "Exit status: 0 done (or, with --check, nothing to change), 1 with --check when a file would change, 2 a path could not be read."
  )

  @ArgumentParser.Argument(help: "Rulebook files, or directories searched for rulebooks.")
  var paths: [String]

  @Flag(help: "Change no file; exit 1 when a file would change, naming it.")
  var check = false

  @Flag(help: "Print the changes as a unified diff instead of writing them.")
  var diff = false

  func run() throws {
    var unreadable = false
    var changed: [String] = []
    var files: [String] = []
    for p in paths {
      if Disk.isDirectory(p) {
        files += Self.yamlFiles(under: p)
      } else if Disk.exists(p) {
        files.append(p)
      } else {
        Terminal.error(TerminalText.escaped("precept: cannot read \(p): no such file or directory"))
        unreadable = true
      }
    }
    for path in files {
      let bytes: [UInt8]
      switch Disk.readFile(path) {
      case .success(let b): bytes = b
      case .failure(let e):
        Terminal.error(TerminalText.escaped("precept: cannot read \(path): \(e.reason)"))
        unreadable = true
        continue
      }
      guard case .success(let file) = SourceFile.decode(path: path, bytes: bytes) else { continue }
      let edits = Formatter.edits(file)
      guard !edits.isEmpty else { continue }
      changed.append(path)
      if diff {
        Terminal.write(Formatter.diff(edits, file: file, path: path).split(separator: "\n").map { TerminalText.escaped(String($0)) + "\n" }.joined())
      }
      if check || diff { continue }
      var text = Formatter.apply(edits, to: file)
      if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { text = "\u{FEFF}" + text }
      do {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
      } catch {
        Terminal.error(TerminalText.escaped("precept: cannot write \(path): \(error.localizedDescription)"))
        unreadable = true
      }
    }
    if check {
      for p in changed { Terminal.write(TerminalText.escaped("would reformat \(p)") + "\n") }
    } else if !diff {
      for p in changed { Terminal.write(TerminalText.escaped("formatted \(p)") + "\n") }
    }
    if unreadable { throw ExitCode(2) }
    if check && !changed.isEmpty { throw ExitCode(1) }
  }

  /// The YAML files under `directory`, sorted (non-rulebooks are read and left unchanged).
  static func yamlFiles(under directory: String) -> [String] {
    var out: [String] = []
    for name in Disk.list(directory).sorted() where !name.hasPrefix(".") {
      let path = PathName.join(directory, name)
      if Disk.entryKind(path) == .directory {
        out += yamlFiles(under: path)
      } else if PathName.isYAML(name) {
        out.append(path)
      }
    }
    return out
  }
}
