import ArgumentParser
import Foundation
import Precept

/// `--watch` for `lint` and `test`: runs the command, then again whenever a rulebook, an import, a
/// registry file, a test's facts file or a YAML file under a directory argument changes (file
/// times polled twice a second), clearing the screen first and ending each run with a summary
/// line. Stops on Ctrl-C.
enum Watch {
  static func loop(paths: [String], root: String?, registry: String?, once: () throws -> Void) -> Never {
    var last: [String: Date] = [:]
    while true {
      let files = watched(paths: paths, root: root, registry: registry)
      let now = stamps(files)
      if now != last {
        last = now
        if Terminal.color { Terminal.write("\u{1B}[2J\u{1B}[H") }
        var status: Int32 = 0
        do {
          try once()
        } catch let e as ExitCode {
          status = e.rawValue
        } catch {
          Terminal.error(String(describing: error))
          status = 2
        }
        let time = ISO8601DateFormatter.string(from: Date(), timeZone: .current, formatOptions: [.withTime, .withColonSeparatorInTime])
        let verdict = status == 0 ? "ok" : status == 1 ? "findings (exit 1)" : "unusable input (exit 2)"
        Terminal.write("[watch] \(time) \(verdict); watching \(files.count) file\(files.count == 1 ? "" : "s") — Ctrl-C to stop\n")
      }
      usleep(500_000)
    }
  }

  /// The files a run reads: the rulebooks and their imports, their tests' facts files, and every
  /// YAML file under the directories named (so a new rulebook is seen), and the files of the
  /// regulations registry the rulebooks' clause ids are checked against.
  static func watched(paths: [String], root: String?, registry: String?) -> [String] {
    let project = Project.load(paths: paths, root: root, registry: registry)
    var files = Set(project.units.map(\.realPath))
    for r in project.registries { files.formUnion(r.files.keys) }
    for unit in project.units {
      for t in unit.rulebook.tests {
        if case .file(let f) = t.facts, case .success(let real) = project.factsPath(f.value, from: unit.rulebook.file.path) {
          files.insert(real)
        }
      }
    }
    for p in paths {
      if Disk.isDirectory(p) { files.formUnion(FmtCommand.yamlFiles(under: p)) } else { files.insert(p) }
    }
    return files.sorted()
  }

  static func stamps(_ files: [String]) -> [String: Date] {
    var out: [String: Date] = [:]
    for f in files {
      out[f] = (try? FileManager.default.attributesOfItem(atPath: f)[.modificationDate] as? Date) ?? .distantPast
    }
    return out
  }
}
