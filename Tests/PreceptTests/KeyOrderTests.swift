import PreceptTestSupport
import Foundation
import Testing

@testable import Precept

/// `precept fmt` puts keys in canonical order: each key moves with what is written under it and
/// the comments directly above it, blank lines stay in place, formatting twice equals once, and a
/// reordered rulebook decides every shipped example as before.
@Suite struct KeyOrderTests {
  static func format(_ text: String) -> String { Formatter.format(SourceFile(path: "t.yaml", text: text)) }

  /// Every key the reader accepts has its place (a mapping with a key without one is left as written).
  @Test func everyKeyTheReaderAcceptsHasAPlace() {
    #expect(Set(KeyOrder.table) == Set(["hit", "for", "inputs", "outputs", "type", "rows", "default", "priority", "aggregate", "description"]))
    #expect(KeyOrder.expect == ["outcome"] + NodeReader.statuses)
    #expect(Set(KeyOrder.test) == Set(["name", "facts", "file", "as_of", "stage", "expect"]))
  }

  @Test func rulesAndTopLevelKeysTakeTheCanonicalOrder() {
    let text = """
      # yaml-language-server: $schema=../../schemas/rulebook.schema.json
      rulebook: t.order
      precept: 1

      # the facts
      schema: { a: { x: int } }
      rules:
        - severity: block   # why block
          # the condition
          require: a.x>1
          id: R-1
          title: x is big
          cite: c

        - id: R-2
          cite: c
          severity: info
          require: a.x > 2
      title: Order
      """
    #expect(Self.format(text) == """
      # yaml-language-server: $schema=../../schemas/rulebook.schema.json
      precept: 1
      rulebook: t.order

      title: Order
      # the facts
      schema: { a: { x: int } }
      rules:
        - id: R-1
          title: x is big
          severity: block   # why block
          # the condition
          require: a.x > 1
          cite: c

        - id: R-2
          severity: info
          require: a.x > 2
          cite: c
      """)
  }

  @Test func flowMappingsOnOneLineAreReordered() {
    let text = """
      precept: 1
      rulebook: t.flow
      imports:
        - { as: c, path: common.yaml }
      schema: { a: { x: int } }
      rules:
        - { require: 'a.x  >  1', id: R-1, severity: info }
      tests:
        - name: t
          facts: { a: { x: 2 } }
          expect: { violated: [], outcome: pass }
      """
    #expect(Self.format(text) == """
      precept: 1
      rulebook: t.flow
      imports:
        - { path: common.yaml, as: c }
      schema: { a: { x: int } }
      rules:
        - { id: R-1, severity: info, require: 'a.x > 1' }
      tests:
        - name: t
          facts: { a: { x: 2 } }
          expect: { outcome: pass, violated: [] }
      """)
  }

  @Test func nestedMappingsAndBlockScalarsMoveWhole() {
    let text = """
      precept: 1
      rulebook: t.nested
      schema:
        a:
          x: int
          # y: int    (kept with the schema)
      rules:
        - id: R-1
          lint: { reason: kept, allow: P0605 }
          require: |
            a.x > 1
          effective:
            until: 2027-01-01
            from: 2026-01-01
          severity: review
      tables:
        t:
          rows:
            - [1, 2]
          hit: first
          inputs: [a.x]
      """
    #expect(Self.format(text) == """
      precept: 1
      rulebook: t.nested
      schema:
        a:
          x: int
          # y: int    (kept with the schema)
      tables:
        t:
          hit: first
          inputs: [a.x]
          rows:
            - [1, 2]
      rules:
        - id: R-1
          severity: review
          require: |
            a.x > 1
          effective:
            from: 2026-01-01
            until: 2027-01-01
          lint: { allow: P0605, reason: kept }
      """)
  }

  @Test func unknownKeysAndSchemaOrderAreLeft() {
    // A mapping with a key the reader refuses is not reordered; schema fields and definitions keep the author's order.
    let text = "precept: 1\nrulebook: t.u\nschema: { b: { y: int }, a: { x: int } }\ndefinitions: { z: a.x, y: b.y }\nrules:\n  - require: a.x > 1\n    id: R\n    serverity: info\n"
    #expect(Self.format(text) == text)
  }

  /// Every rulebook in the repository with its keys shuffled (each mapping a random permutation,
  /// moved by the same machinery): formatting puts them back, reads as the same YAML but for key
  /// order, twice equals once, and shipped rulebooks come back byte for byte as formatted.
  @Test func shuffledRulebooksComeBack() throws {
    var rng = SplitMix64(state: 0x0DE7_0001)
    var shuffled = 0
    for url in FormatterTests.rulebookFiles() {
      guard case .success(let original) = SourceFile.decode(path: url.path, bytes: Array(try Data(contentsOf: url))),
        let root = YAMLLoader.load(original).root
      else { continue }
      // The first key stays first: comment lines at the very top of a file are its header and
      // stay there, so a key shuffled to the top would leave its comment behind as the header.
      let moves = KeyOrder.verifiedMoves(in: root, file: original) { keys in
        keys.isEmpty ? [] : [0] + (1..<keys.count).shuffled(using: &rng)
      }
      guard !moves.isEmpty else { continue }
      shuffled += 1
      let scrambled = SourceFile(path: url.path, text: Formatter.apply(KeyOrder.edits(moves.map { .move($0) }, original), to: original))
      guard let scrambledRoot = YAMLLoader.load(scrambled).root else {
        Issue.record("\(url.lastPathComponent): shuffled text does not read")
        continue
      }
      #expect(KeyOrder.sameTree(root, scrambledRoot), "\(url.lastPathComponent): shuffling changed the tree")
      let once = Formatter.format(scrambled)
      let onceFile = SourceFile(path: url.path, text: once)
      #expect(Formatter.format(onceFile) == once, "\(url.lastPathComponent): formatting twice differs from once")
      if let back = YAMLLoader.load(onceFile).root {
        #expect(KeyOrder.sameTree(root, back), "\(url.lastPathComponent): formatting changed the tree")
      }
      if url.path.contains("/rulebooks/") {
        #expect(once == Formatter.format(original), "\(url.lastPathComponent) does not come back as formatted")
      }
    }
    #expect(shuffled > 100)
  }

  /// The shipped rulebooks with shuffled keys, formatted, decide every shipped example exactly as
  /// the shipped files do (statuses and messages of every rule).
  @Test func formattingChangesNoDecisionOfTheShippedExamples() throws {
    let repo = ShippedContentTests.repo
    let dir = ShippedContentTests.rulebooks
    var rng = SplitMix64(state: 0x0DE7_0002)
    var overlay: [String: [UInt8]] = [:]
    for url in FormatterTests.rulebookFiles() where url.path.hasPrefix(dir + "/") {
      guard case .success(let original) = SourceFile.decode(path: url.path, bytes: Array(try Data(contentsOf: url))),
        let root = YAMLLoader.load(original).root
      else { continue }
      let moves = KeyOrder.verifiedMoves(in: root, file: original) { keys in (0..<keys.count).shuffled(using: &rng) }
      let scrambled = SourceFile(path: url.path, text: Formatter.apply(KeyOrder.edits(moves.map { .move($0) }, original), to: original))
      let once = Formatter.format(scrambled)
      let twice = Formatter.format(SourceFile(path: url.path, text: once))
      #expect(once == twice)
      overlay[Disk.realPath(url.path) ?? url.path] = Array(once.utf8)
    }
    #expect(overlay.count >= 10)
    func books(_ overlay: [String: [UInt8]]) throws -> [CompiledRulebook] {
      let checked = Check.project(Project.load(paths: [dir], root: repo.path, overlay: overlay))
      #expect(!checked.diagnostics.hasErrors)
      return Compile.rulebooks(checked).filter { !$0.rules.isEmpty }
    }
    let shipped = try books([:])
    let formatted = try books(overlay)
    #expect(shipped.map(\.id) == formatted.map(\.id))
    for example in ShippedContentTests.examples {
      let a = try ShippedContentTests.decide(example.file, shipped)
      let b = try ShippedContentTests.decide(example.file, formatted)
      #expect(a.count == b.count, "\(example.file)")
      for (x, y) in zip(a, b) {
        #expect(x.outcome == y.outcome, "\(example.file)")
        #expect(x.results.map { "\($0.rule.id) \($0.status) \($0.message ?? "")" } == y.results.map { "\($0.rule.id) \($0.status) \($0.message ?? "")" }, "\(example.file)")
      }
    }
  }
}
