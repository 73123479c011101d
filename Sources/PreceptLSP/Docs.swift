import Foundation
import Precept

/// The explanations the server shows: each diagnostic code's section of docs/diagnostics.md and each
/// builtin's signature line of docs/builtins.md, read from the checkout that holds the rulebooks or
/// the `precept` executable (the docs are not compiled in; without them, the code's title is shown).
struct Docs: Sendable {
  var diagnostics: [String: String] = [:]
  var builtins: [String: String] = [:]

  static func find(near paths: [String]) -> Docs {
    var docs = Docs()
    let exe = Disk.realPath(CommandLine.arguments.first ?? "") ?? ""
    for start in paths + [exe] {
      var dir = start
      while dir != "/" && !dir.isEmpty {
        let candidate = PathName.join(dir, "docs/diagnostics.md")
        if let text = try? String(contentsOfFile: candidate, encoding: .utf8) {
          docs.diagnostics = sections(text, level: "## ")
          if let b = try? String(contentsOfFile: PathName.join(dir, "docs/builtins.md"), encoding: .utf8) {
            docs.builtins = sections(b, level: "### ").mapValues { body in
              String(body.split(separator: "\n").dropFirst().first { !$0.isEmpty } ?? "")
            }
          }
          return docs
        }
        dir = PathName.directory(of: dir)
      }
    }
    return docs
  }

  /// Sections by the first word of their heading (`## P0201 unknown key` → `P0201`).
  static func sections(_ text: String, level: String) -> [String: String] {
    var out: [String: String] = [:]
    var current: String?
    var body: [Substring] = []
    func flush() { if let c = current { out[c] = body.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines) } }
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix(level) {
        flush()
        current = line.dropFirst(level.count).split(separator: " ").first.map(String.init)
        body = [line]
      } else if line.hasPrefix("#") && !line.hasPrefix(level + "#") && !line.hasPrefix(String(level.dropLast()) + "#") {
        flush()
        current = nil
      } else {
        body.append(line)
      }
    }
    flush()
    return out
  }
}
