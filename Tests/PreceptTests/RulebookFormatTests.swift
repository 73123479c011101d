import Foundation
import Testing

@testable import Precept

/// docs/rulebook-format.md documents every key the rulebook reader accepts. The keys are not
/// copied here: each place that takes keys is given an unknown one, and the reader's own
/// "allowed keys: …" answer is checked against the page's headings.
@Suite struct RulebookFormatTests {
  static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// A rulebook with `zzz: 1` at one place that takes keys, named by where it is.
  static let places: [(String, String)] = [
    ("the top level", "precept: 1\nrulebook: t.x\nzzz: 1\n"),
    ("an import", "precept: 1\nrulebook: t.x\nimports:\n  - { path: a.yaml, as: a, zzz: 1 }\n"),
    ("a table", "precept: 1\nrulebook: t.x\ntables:\n  t:\n    inputs: [1]\n    rows: [[1, 2]]\n    zzz: 1\n"),
    ("a rule", "precept: 1\nrulebook: t.x\nrules:\n  - id: R\n    require: true\n    zzz: 1\n"),
    ("a rule's lint", "precept: 1\nrulebook: t.x\nrules:\n  - id: R\n    require: true\n    lint: { zzz: 1 }\n"),
    ("a rule's effective", "precept: 1\nrulebook: t.x\nrules:\n  - id: R\n    require: true\n    effective: { zzz: 1 }\n"),
    ("a test", "precept: 1\nrulebook: t.x\ntests:\n  - name: n\n    expect: { outcome: pass }\n    zzz: 1\n"),
    ("a test's expect", "precept: 1\nrulebook: t.x\ntests:\n  - name: n\n    facts: {}\n    expect: { outcome: pass, zzz: 1 }\n"),
  ]

  /// The keys the reader allows at a place, from its P0201 help.
  static func allowedKeys(_ text: String) -> [String] {
    let file = SourceFile(path: "t.yaml", text: text)
    let (root, _) = YAMLLoader.load(file)
    guard let root else { return [] }
    let (_, diagnostics) = RulebookReader.read(root, file: file)
    let help = diagnostics.filter { $0.code == .unknownKey }.flatMap(\.help)
    guard let line = help.first(where: { $0.hasPrefix("allowed keys: ") }) else { return [] }
    return line.dropFirst("allowed keys: ".count).split(separator: ", ").map(String.init)
  }

  @Test func everyKeyTheReaderAcceptsIsDocumented() throws {
    let doc = try String(contentsOf: Self.repo.appendingPathComponent("docs/rulebook-format.md"), encoding: .utf8)
    let headings = Set(doc.split(separator: "\n").compactMap { line -> String? in
      guard line.hasPrefix("### ") || line.hasPrefix("#### ") else { return nil }
      // `#### description (of a table)` documents `description`.
      let title = line.drop { $0 == "#" || $0 == " " }
      return String(title.split(separator: " ").first ?? "")
    })
    for (place, text) in Self.places {
      let keys = Self.allowedKeys(text)
      if keys.isEmpty { Issue.record(Comment(rawValue: "no allowed keys reported for " + place)) }
      for key in keys {
        #expect(headings.contains(key), "docs/rulebook-format.md has no heading for `\(key)` (\(place))")
      }
    }
  }

  /// docs/builtins.md has a heading for every function the checker knows.
  @Test func everyFunctionIsDocumented() throws {
    let doc = try String(contentsOf: Self.repo.appendingPathComponent("docs/builtins.md"), encoding: .utf8)
    let headings = Set(doc.split(separator: "\n").filter { $0.hasPrefix("### ") }.map { String($0.dropFirst(4)) })
    for f in Builtin.allCases {
      #expect(headings.contains(f.rawValue), "docs/builtins.md has no heading for `\(f.rawValue)`")
    }
  }
}
