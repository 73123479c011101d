import Foundation
import Testing

@testable import Precept

/// `precept fmt`: formatting changes no expression's tree, formatting twice equals formatting once,
/// everything outside expressions is kept byte for byte, and the shipped rulebooks are formatted.
@Suite struct FormatterTests {
  static let repo = RulebookFormatTests.repo

  /// Every rulebook shipped or used by the tests.
  static func rulebookFiles() -> [URL] {
    let fm = FileManager.default
    var out: [URL] = []
    for dir in ["rulebooks", "docs/examples", "Tests/PreceptTests/Cases", "Benchmarks"] {
      guard let walker = fm.enumerator(atPath: repo.appendingPathComponent(dir).path) else { continue }
      for case let p as String in walker where p.hasSuffix(".yaml") {
        out.append(repo.appendingPathComponent(dir).appendingPathComponent(p))
      }
    }
    return out.sorted { $0.path < $1.path }
  }

  /// The shapes of a file's expressions, in file order (nil for one that does not parse).
  static func shapes(_ file: SourceFile) -> [String?] {
    guard let root = YAMLLoader.load(file).root else { return [] }
    return ExpressionSites.find(in: root, file: file).map { site in
      guard case .scalar(let v, _) = site.node.kind else { return nil }
      let source = ExprSource(file: file, text: Array(v.unicodeScalars), offsets: site.node.sourceOffsets(in: file))
      return Formatter.canonical(source)?.shape
    }
  }

  @Test func formattingKeepsEveryTreeAndIsIdempotent() throws {
    var sites = 0
    for url in Self.rulebookFiles() {
      guard case .success(let original) = SourceFile.decode(path: url.path, bytes: Array(try Data(contentsOf: url))) else { continue }
      let once = Formatter.format(original)
      let onceFile = SourceFile(path: url.path, text: once)
      #expect(Formatter.format(onceFile) == once, "formatting \(url.lastPathComponent) twice differs from once")
      let before = Self.shapes(original)
      let after = Self.shapes(onceFile)
      #expect(before.count == after.count, "\(url.lastPathComponent): expressions lost")
      for (a, b) in zip(before, after) where a != b {
        Issue.record("\(url.lastPathComponent): \(a ?? "-") became \(b ?? "-")")
      }
      sites += before.count
    }
    #expect(sites > 500)
  }

  @Test func shippedRulebooksAreFormatted() throws {
    for url in Self.rulebookFiles() where url.path.contains("/rulebooks/") || url.path.contains("/docs/examples/") {
      let text = try String(contentsOf: url, encoding: .utf8)
      #expect(Formatter.edits(SourceFile(path: url.path, text: text)).isEmpty, "\(url.path) is not formatted: precept fmt rulebooks")
    }
  }

  static func rulebook(_ body: String) -> String {
    "precept: 1\nrulebook: t.fmt\nschema: { a: { x: int, y: int } }\n" + body
  }

  @Test func onlyExpressionsChange() {
    let text = Self.rulebook("""
      # a comment kept
      definitions:
        big:   a.x>1   # trailing comment kept
        pair: [a.x,a.y]
      rules:
        - id: R-1
          title: "  spacing  (kept)  "
          severity: block
          require: (a.x+1)*2>=3
          cite: x
        - { id: R-2, severity: info, require: 'a.x  ==  1' }

      """)
    let out = Formatter.format(SourceFile(path: "t.yaml", text: text))
    #expect(out == Self.rulebook("""
      # a comment kept
      definitions:
        big:   a.x > 1   # trailing comment kept
        pair: [a.x,a.y]
      rules:
        - id: R-1
          title: "  spacing  (kept)  "
          severity: block
          require: (a.x + 1) * 2 >= 3
          cite: x
        - { id: R-2, severity: info, require: 'a.x == 1' }

      """))
  }

  @Test func aPlainScalarThatWouldReadAsAKeyIsQuoted() {
    let text = Self.rulebook("rules:\n  - id: R\n    require: all v in [a.x] :v>0\n  - id: S\n    require: count( [a.x] )>0\n  - { id: T, require: count(a.x)>0 }\n  - { id: U, require: \"a.x in [1,2]\" }\n")
    let out = Formatter.format(SourceFile(path: "t.yaml", text: text))
    #expect(out.contains("require: 'all v in [a.x]: v > 0'\n"))
    #expect(out.contains("require: count([a.x]) > 0\n"))
    #expect(out.contains("require: count(a.x) > 0 }"))
    #expect(out.contains("require: \"a.x in [1, 2]\" }"))
  }

  @Test func longChainsBreakInBlockScalars() {
    let long = (1...8).map { "a.x > \($0)00000" }.joined(separator: " and ")
    let text = Self.rulebook("rules:\n  - id: R\n    require: >\n      \(long)\n    cite: c\n")
    let out = Formatter.format(SourceFile(path: "t.yaml", text: text))
    let want = (1...8).map { ($0 == 1 ? "" : "and ") + "a.x > \($0)00000" }.joined(separator: "\n      ")
    #expect(out == Self.rulebook("rules:\n  - id: R\n    require: >\n      \(want)\n    cite: c\n"))
  }

  /// Random trees written noisily in every YAML style: formatting keeps the tree and is idempotent.
  @Test func randomExpressionsInEveryStyle() {
    var gen = TreeGenerator(seed: 0xF0_0001)
    var failures: [String] = []
    for round in 0..<600 {
      let tree = gen.expr(depth: gen.int(7))
      let text = gen.noisy(tree).trimmingCharacters(in: .whitespacesAndNewlines)
      let value: String
      switch (round % 4, text.contains("\n")) {
      case (0, false): value = "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
      case (1, false):
        value = "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
      case (2, _): value = "|\n      " + text.replacingOccurrences(of: "\n", with: "\n      ")
      default: value = ">-\n      " + text.replacingOccurrences(of: "\n", with: "\n\n      ")
      }
      let yaml = "precept: 1\nrulebook: t.x\nrules:\n  - id: R\n    require: \(value)\n    cite: c\n"
      let file = SourceFile(path: "t.yaml", text: yaml)
      guard let before = Self.shapes(file).first, before == tree.shape else { continue }  // YAML read it otherwise
      let once = Formatter.format(file)
      let onceFile = SourceFile(path: "t.yaml", text: once)
      let after = Self.shapes(onceFile).first ?? nil
      if after != before || Formatter.format(onceFile) != once {
        failures.append("round \(round): \(yaml)\n→ \(once)")
      }
    }
    #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(2).joined(separator: "\n"))")
  }
}
