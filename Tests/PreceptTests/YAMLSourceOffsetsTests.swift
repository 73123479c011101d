import Testing
@testable import Precept

@Suite struct YAMLSourceOffsetsTests {
  /// Offsets must be exact (not the fallback), one per character plus the end, and never decrease.
  private func checkExact(_ node: YAMLNode, _ file: SourceFile, sourceLocation: SourceLocation = #_sourceLocation) {
    let (offsets, exact) = YAMLScalarText.offsets(of: node, in: file)
    let count = node.scalarValue?.unicodeScalars.count ?? 0
    #expect(exact, "not decoded exactly: \(node.scalarValue ?? "")", sourceLocation: sourceLocation)
    #expect(offsets.count == count + 1, sourceLocation: sourceLocation)
    #expect(zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 }, sourceLocation: sourceLocation)
  }

  @Test func plainSingleLine() throws {
    let (root, _, file) = loadYAML("rule: income > 1000\n")
    let node = try #require(root?["rule"])
    checkExact(node, file)
    #expect(node.position(of: ">", in: file) == Position(line: 1, column: 14, offset: 13))
    #expect(node.sourceOffsets(in: file).last == 19)
  }

  @Test func plainMultiLineFoldsToASpaceAtTheBreak() throws {
    let (root, _, file) = loadYAML("rule: income >\n  1000 and x\n\n  or y\n")
    let node = try #require(root?["rule"])
    #expect(node.scalarValue == "income > 1000 and x\nor y")
    checkExact(node, file)
    #expect(node.position(of: "1000", in: file) == Position(line: 2, column: 3, offset: 17))
    #expect(node.position(of: " 1000", in: file) == Position(line: 1, column: 15, offset: 14))
    #expect(node.position(of: "or", in: file)?.line == 4)
    #expect(node.position(of: "\nor", in: file)?.line == 3)
  }

  @Test func singleQuotedDoubledQuoteIsOneCharacter() throws {
    let (root, _, file) = loadYAML("k: 'it''s ok'\n")
    let node = try #require(root?["k"])
    #expect(node.scalarValue == "it's ok")
    checkExact(node, file)
    #expect(node.position(of: "'", in: file)?.column == 7)
    #expect(node.position(of: "s", in: file)?.column == 9)
    #expect(node.position(of: "ok", in: file)?.column == 11)
    #expect(node.sourceOffsets(in: file).last == 12)
  }

  @Test func doubleQuotedChineseWithEscapes() throws {
    let (root, _, file) = loadYAML(#"k: "中文\"引号\" \u4E2D\x41 \\ 结束 {x}""# + "\n")
    let node = try #require(root?["k"])
    #expect(node.scalarValue == #"中文"引号" 中A \ 结束 {x}"#)
    checkExact(node, file)
    #expect(node.position(of: "中文", in: file)?.column == 5)
    #expect(node.position(of: "\"", in: file)?.column == 7)
    #expect(node.position(of: "引号", in: file)?.column == 9)
    #expect(node.position(of: "中A", in: file)?.column == 14)
    #expect(node.position(of: "A", in: file)?.column == 20)
    #expect(node.position(of: "\\", in: file)?.column == 25)
    #expect(node.position(of: "结束", in: file)?.column == 28)
    #expect(node.position(of: "{x}", in: file)?.column == 31)
    #expect(node.sourceOffsets(in: file).last.map { file.position(ofOffset: $0).column } == 34)
  }

  @Test func doubleQuotedSimpleEscapesAndFolding() throws {
    let (root, _, file) = loadYAML("k: \"a\\tb\\n\n  c \\\n   d\\U0001F600\"\n")
    let node = try #require(root?["k"])
    #expect(node.scalarValue == "a\tb\n c d\u{1F600}")
    checkExact(node, file)
    #expect(node.position(of: "\t", in: file)?.column == 6)
    #expect(node.position(of: "c", in: file) == file.position(ofOffset: 13))
    #expect(node.position(of: "d", in: file)?.line == 3)
    #expect(node.position(of: "\u{1F600}", in: file)?.column == 5)
  }

  @Test func literalBlockOnLinesThreeToFive() throws {
    let text = """
      rule:
        when: |
          applicant.age >= 18
          and applicant.income > 5000
          and 负债收入比 < 0.4
        then: ok

      """
    let (root, diagnostics, file) = loadYAML(text)
    #expect(diagnostics.isEmpty)
    let node = try #require(root?["rule"]?["when"])
    #expect(node.scalarValue == "applicant.age >= 18\nand applicant.income > 5000\nand 负债收入比 < 0.4\n")
    checkExact(node, file)
    #expect(node.position(of: "applicant.age", in: file) == Position(line: 3, column: 5, offset: 20))
    #expect(node.position(of: "income", in: file)?.line == 4)
    #expect(node.position(of: "income", in: file)?.column == 19)
    #expect(node.position(of: "<", in: file)?.line == 5)
    #expect(node.position(of: "<", in: file)?.column == 15)
    #expect(node.position(of: "\nand", in: file) == Position(line: 3, column: 24, offset: 39))
    // The end stays on the last written line, at its line break.
    #expect(node.sourceOffsets(in: file).last.map { file.position(ofOffset: $0).line } == 5)
  }

  @Test func literalStripAndKeep() throws {
    let (root, _, file) = loadYAML("a: |-\n  x\n  y\n\nb: |+\n  z\n\n\nc: 1\n")
    let a = try #require(root?["a"])
    let b = try #require(root?["b"])
    #expect(a.scalarValue == "x\ny")
    #expect(b.scalarValue == "z\n\n\n")
    checkExact(a, file)
    checkExact(b, file)
    #expect(a.position(of: "y", in: file)?.line == 3)
    #expect(a.sourceOffsets(in: file).last.map { file.position(ofOffset: $0) } == Position(line: 3, column: 4, offset: 13))
    #expect(b.position(of: "\n\n\n", in: file)?.line == 6)
  }

  @Test func foldedBlocks() throws {
    let text = "a: >\n  one\n  two\n\n  three\nb: >-\n  x\n    indented\n  y\n"
    let (root, _, file) = loadYAML(text)
    let a = try #require(root?["a"])
    let b = try #require(root?["b"])
    #expect(a.scalarValue == "one two\nthree\n")
    #expect(b.scalarValue == "x\n  indented\ny")
    checkExact(a, file)
    checkExact(b, file)
    #expect(a.position(of: " two", in: file) == Position(line: 2, column: 6, offset: 10))
    #expect(a.position(of: "two", in: file)?.line == 3)
    #expect(a.position(of: "three", in: file) == Position(line: 5, column: 3, offset: 20))
    #expect(b.position(of: "  indented", in: file) == Position(line: 8, column: 3, offset: 38))
    #expect(b.position(of: "y", in: file)?.line == 9)
  }

  @Test func explicitIndentationIndicatorInsideAMapping() throws {
    let (root, _, file) = loadYAML("a:\n  k: |2\n     x\n    y\n")
    let node = try #require(root?["a"]?["k"])
    #expect(node.scalarValue == " x\ny\n")
    checkExact(node, file)
    #expect(node.position(of: "x", in: file)?.column == 6)
    #expect(node.position(of: "y", in: file)?.column == 5)
  }

  @Test func blockScalarWithCRLF() throws {
    let (root, _, file) = loadYAML("k: | # note\r\n  a\r\n\r\n  b\r\n")
    let node = try #require(root?["k"])
    #expect(node.scalarValue == "a\n\nb\n")
    checkExact(node, file)
    #expect(node.position(of: "b", in: file) == Position(line: 4, column: 3, offset: 22))
    #expect(node.position(of: "\n\nb", in: file)?.line == 2)
  }

  @Test func taggedScalarSkipsTheTag() throws {
    let (root, _, file) = loadYAML("a: !!str 12\nb: !!str\n  \"q\"\n")
    let a = try #require(root?["a"])
    checkExact(a, file)
    #expect(a.position(of: "12", in: file)?.column == 10)
    let b = try #require(root?["b"])
    checkExact(b, file)
    #expect(b.position(of: "q", in: file) == Position(line: 3, column: 4, offset: 24))
  }

  @Test func everyScalarOfAVariedFileDecodesExactly() throws {
    let text = """
      # A rulebook-like file with every style.
      id: "r-1"
      title: 'Debt ''to'' income'
      plain: a b  c
        d   e

        f
      flow: [x y, 'z''', "w\\"", {k: v, "q": 'r'}]
      quoted: "line one
        line two\\
        three

        four\\ "
      lit: |
        first
          indented
        last
      fold: >+
        p q
        r

          s
        t


      empty: ""
      blank:
      中文: "负债\\u6536入比 {ratio} \\x41"
      tabs: "a\tb"
      seq:
        - one
        - >-
          two
          three
        - |2
            four
      """
    let (root, diagnostics, file) = loadYAML(text)
    #expect(diagnostics.isEmpty)
    let scalars = try #require(root).allScalars
    #expect(scalars.count > 30)
    for node in scalars { checkExact(node, file) }
  }

  @Test func nonScalarNodesGiveTheirStart() throws {
    let (root, _, file) = loadYAML("a:\n  - 1\n")
    let seq = try #require(root?["a"])
    #expect(seq.sourceOffsets(in: file) == [seq.span.start.offset])
  }

  @Test func aValueThatDoesNotMatchTheTextStillGetsOrderedOffsets() {
    let file = SourceFile(path: "t.yaml", text: "k: \"ab\"\n")
    let stray = YAMLNode(kind: .scalar("hello world", .doubleQuoted), span: file.span(3, 7))
    let offsets = stray.sourceOffsets(in: file)
    #expect(offsets.count == 12)
    #expect(zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 })
    #expect(offsets.allSatisfy { (3...7).contains($0) })

    let outside = YAMLNode(kind: .scalar("中文", .literal), span: file.span(500, 900))
    let o2 = outside.sourceOffsets(in: file)
    #expect(o2.count == 3)
    #expect(o2.allSatisfy { (0...file.scalars.count).contains($0) })
  }
}
