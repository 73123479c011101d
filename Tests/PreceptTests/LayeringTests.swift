import Foundation
import Testing

/// The library's folders are the stages of its pipeline, and every arrow points down it: a folder
/// uses the types of the folders before it, never of one after it. `Values` (values, their types,
/// JSON) and `Domain` (finance, wording, screening) are leaves every stage may use.
///
/// The test reads the sources: the names each folder declares at the top level, and the type
/// names each file mentions (outside comments and string literals). A name a folder declares
/// itself, at any depth (a nested `Parser`, `Kind`), is the folder's own.
@Suite struct LayeringTests {
  /// The pipeline, first stage first.
  static let stages = [
    "Values", "Domain", "Source", "Syntax", "Rulebook", "Format", "Check", "Graph", "Facts", "Evaluate", "Explain", "Session",
  ]

  static let library = RulebookFormatTests.repo.appendingPathComponent("Sources/Precept")

  struct SourceText {
    var folder: String
    var file: String
    var code: String
  }

  static func sources() throws -> [SourceText] {
    let fm = FileManager.default
    guard let walker = fm.enumerator(atPath: library.path) else { return [] }
    var out: [SourceText] = []
    for case let path as String in walker where path.hasSuffix(".swift") {
      let parts = path.split(separator: "/")
      let folder = parts.count > 1 ? String(parts[0]) : "."
      let text = try String(contentsOf: library.appendingPathComponent(path), encoding: .utf8)
      out.append(SourceText(folder: folder, file: path, code: withoutCommentsAndStrings(text)))
    }
    return out.sorted { $0.file < $1.file }
  }

  /// The text with comments and string literals blanked (so prose naming a type is no arrow).
  static func withoutCommentsAndStrings(_ text: String) -> String {
    var out = ""
    var lines: [Substring] = []
    var inBlock = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if inBlock {
        if line.contains("\"\"\"") { inBlock = false }
        continue
      }
      if line.contains("\"\"\""), line.components(separatedBy: "\"\"\"").count == 2 {
        inBlock = true
        continue
      }
      lines.append(line)
    }
    for line in lines {
      var inString = false
      var escaped = false
      var previous: Character = " "
      for c in line {
        if inString {
          if escaped {
            escaped = false
          } else if c == "\\" {
            escaped = true
          } else if c == "\"" {
            inString = false
          }
          continue
        }
        if c == "/", previous == "/" {
          out.removeLast()
          break
        }
        if c == "\"" {
          inString = true
        } else {
          out.append(c)
        }
        previous = c
      }
      out.append("\n")
    }
    return out
  }

  static func names(_ code: String, pattern: String) -> Set<String> {
    guard let regex = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]) else { return [] }
    let range = NSRange(code.startIndex..., in: code)
    return Set(regex.matches(in: code, range: range).compactMap { m in Range(m.range(at: 1), in: code).map { String(code[$0]) } })
  }

  static let declaration = #"(?:public |internal |private |fileprivate |final |indirect )*(?:struct|enum|class|protocol|typealias|actor)\s+([A-Z]\w*)"#

  @Test func everyFolderIsAStage() throws {
    let folders = Set(try Self.sources().map(\.folder)).subtracting(["."])
    #expect(folders == Set(Self.stages), "a new folder of Sources/Precept needs its place in the pipeline (LayeringTests.stages)")
  }

  @Test func noArrowPointsBackUpThePipeline() throws {
    let files = try Self.sources()
    var owner: [String: String] = [:]
    var own: [String: Set<String>] = [:]
    for f in files {
      for name in Self.names(f.code, pattern: "^" + Self.declaration) where owner[name] == nil { owner[name] = f.folder }
      own[f.folder, default: []].formUnion(Self.names(f.code, pattern: Self.declaration))
    }
    #expect(owner["Value"] == "Values" && owner["JSON"] == "Values" && owner["Evaluator"] == "Evaluate", "the test no longer finds the declarations")
    var arrows: [String] = []
    for f in files {
      guard let rank = Self.stages.firstIndex(of: f.folder) else { continue }
      for name in Self.names(f.code, pattern: #"\b([A-Z]\w*)\b"#).sorted() {
        guard let home = owner[name], home != f.folder, !(own[f.folder] ?? []).contains(name),
          let homeRank = Self.stages.firstIndex(of: home), homeRank > rank
        else { continue }
        arrows.append("\(f.file) uses \(name) of \(home)/")
      }
    }
    #expect(arrows == [], "\(arrows.joined(separator: "\n"))")
  }

  /// A stage adds no methods to a type of a later stage (Explain once extended `Evaluator`, so
  /// rendering code ran inside the evaluator's type).
  @Test func noStageExtendsAnotherStagesType() throws {
    let files = try Self.sources()
    var owner: [String: String] = [:]
    for f in files {
      for name in Self.names(f.code, pattern: "^" + Self.declaration) where owner[name] == nil { owner[name] = f.folder }
    }
    var found: [String] = []
    for f in files {
      for name in Self.names(f.code, pattern: #"^(?:public )?extension\s+([A-Z]\w*)"#).sorted() {
        guard let home = owner[name], home != f.folder, let a = Self.stages.firstIndex(of: f.folder), let b = Self.stages.firstIndex(of: home),
          b > Self.stages.firstIndex(of: "Domain") ?? 0, a > b
        else { continue }
        // Conformances and renderings of a decision are the later stage's business; the engine's
        // own types are not.
        if ["Evaluator", "Program"].contains(name) { found.append("\(f.file) extends \(name) of \(home)/") }
      }
    }
    #expect(found == [], "\(found.joined(separator: "\n"))")
  }
}
