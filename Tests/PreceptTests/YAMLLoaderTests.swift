import Testing
@testable import Precept

@Suite struct YAMLLoaderTests {
  // MARK: Positions

  @Test func nodesHaveExactLinesAndColumnsInASCII() throws {
    let (root, diagnostics, _) = loadYAML("name: Alice\nlimits:\n  max: 10\n  list: [a, bb]\n")
    #expect(diagnostics.isEmpty)
    let r = try #require(root)
    #expect(r["name"]?.span.start == Position(line: 1, column: 7, offset: 6))
    #expect(r["name"]?.span.end.column == 12)
    let limits = try #require(r["limits"])
    #expect(limits.pairs.first?.key.span.start.line == 3)
    #expect(limits.pairs.first?.key.span.start.column == 3)
    #expect(limits["max"]?.span.start.line == 3)
    #expect(limits["max"]?.span.start.column == 8)
    #expect(limits["list"]?[1]?.span.start.column == 13)
    #expect(limits["list"]?[1]?.scalarValue == "bb")
  }

  @Test func columnsCountCharactersInCJKLines() throws {
    let (root, diagnostics, _) = loadYAML("规则: 负债收入比\n  \n说明:\n  中文键: 值 {x}\n")
    #expect(diagnostics.isEmpty)
    let r = try #require(root)
    #expect(r["规则"]?.span.start == Position(line: 1, column: 5, offset: 4))
    #expect(r["规则"]?.span.end.column == 10)
    let inner = try #require(r["说明"])
    #expect(inner.pairs.first?.key.span.start.column == 3)
    #expect(inner["中文键"]?.span.start.line == 4)
    #expect(inner["中文键"]?.span.start.column == 8)
  }

  @Test func byteOrderMarkIsNotCountedByTheLoader() throws {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a: 1\nb: 中文 x\n".utf8)
    let file = try SourceFile.decode(path: "bom.yaml", bytes: bytes).get()
    let (root, diagnostics) = YAMLLoader.load(file)
    #expect(diagnostics.isEmpty)
    #expect(root?["a"]?.span.start == Position(line: 1, column: 4, offset: 3))
    #expect(root?["b"]?.span.start == Position(line: 2, column: 4, offset: 8))
    #expect(root?["b"]?.position(of: "x", in: file) == Position(line: 2, column: 7, offset: 11))
  }

  @Test func aSecondByteOrderMarkIsCountedLikeAnyCharacter() throws {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8)
    let file = try SourceFile.decode(path: "bom2.yaml", bytes: bytes).get()
    let (root, diagnostics) = YAMLLoader.load(file)
    #expect(diagnostics.isEmpty)
    #expect(root?["a"]?.span.start == Position(line: 1, column: 5, offset: 4))
  }

  @Test func crlfLineBreaksGiveTheSamePositions() throws {
    let (root, diagnostics, file) = loadYAML("a: 1\r\nb:\r\n  c: 中文 x\r\n  d: one\r\n    two\r\n")
    #expect(diagnostics.isEmpty)
    let b = try #require(root?["b"])
    #expect(b["c"]?.span.start == Position(line: 3, column: 6, offset: 15))
    #expect(b["c"]?.position(of: "x", in: file)?.column == 9)
    #expect(b["d"]?.scalarValue == "one two")
    #expect(b["d"]?.position(of: "two", in: file) == Position(line: 5, column: 5, offset: 35))
  }

  @Test func aMissingValueIsPlacedRightAfterItsColon() throws {
    let (root, diagnostics, _) = loadYAML("a:\n\nb: 1\n")
    #expect(diagnostics.isEmpty)
    let a = try #require(root?["a"])
    #expect(a.isNull)
    #expect(a.span.start == Position(line: 1, column: 3, offset: 2))
  }

  @Test func aMissingListItemIsPlacedRightAfterItsDash() throws {
    let (root, diagnostics, _) = loadYAML("- # nothing here\n- b\n-\n")
    #expect(diagnostics.isEmpty)
    #expect(root?[0]?.isNull == true)
    #expect(root?[0]?.span.start == Position(line: 1, column: 2, offset: 1))
    #expect(root?[2]?.span.start == Position(line: 3, column: 2, offset: 22))
  }

  @Test func tagsAreKeptAsLibYAMLResolvesThem() throws {
    let (root, diagnostics, _) = loadYAML("a: !!str 12\nb: !custom x\nc: 3\n")
    #expect(diagnostics.isEmpty)
    #expect(root?["a"]?.tag == "tag:yaml.org,2002:str")
    #expect(root?["a"]?.scalarValue == "12")
    #expect(root?["b"]?.tag == "!custom")
    #expect(root?["c"]?.tag == nil)
    #expect(root?["c"]?.scalarStyle == .plain)
  }

  // MARK: Duplicate and complex keys

  @Test func duplicateKeyIsReportedAtTheSecondKeyWithANote() throws {
    let (root, diagnostics, _) = loadYAML("a: 1\nb: 2\na: 3\n")
    let d = try #require(diagnostics.first)
    #expect(diagnostics.count == 1)
    #expect(d.code == .duplicateKey)
    #expect(d.span.start == Position(line: 3, column: 1, offset: 10))
    #expect(d.notes.first?.message == "first written here")
    #expect(d.notes.first?.span?.start == Position(line: 1, column: 1, offset: 0))
    #expect(d.message.contains("`a`"))
    // The first value is kept and the tree stays usable.
    #expect(root?.pairs.count == 2)
    #expect(root?["a"]?.scalarValue == "1")
  }

  @Test func duplicatesBeforeAFatalErrorAreAllReported() {
    let (root, diagnostics, _) = loadYAML("a: 1\na: 2\nb:\n  c: 1\n  c: 2\nd: [1, 2\n")
    #expect(root == nil)
    #expect(diagnostics.map(\.code) == [.duplicateKey, .duplicateKey, .yamlSyntax])
    #expect(diagnostics[1].span.start.line == 5)
  }

  @Test func quotedAndPlainKeysWithTheSameTextAreDuplicates() {
    let (_, diagnostics, _) = loadYAML("\"a\": 1\na: 2\n")
    #expect(diagnostics.map(\.code) == [.duplicateKey])
  }

  @Test func aListAsAKeyIsAComplexKey() throws {
    let (root, diagnostics, _) = loadYAML("? [a, b]\n: 1\nc: 2\n")
    let d = try #require(diagnostics.first)
    #expect(diagnostics.count == 1)
    #expect(d.code == .complexKey)
    #expect(d.span.start == Position(line: 1, column: 3, offset: 2))
    #expect(root?.pairs.map(\.name) == ["c"])
  }

  @Test func aMappingAsAKeyIsAComplexKey() {
    let (_, diagnostics, _) = loadYAML("{ {x: 1}: 2 }\n")
    #expect(diagnostics.map(\.code) == [.complexKey])
    #expect(diagnostics.first?.span.start.column == 3)
  }

  // MARK: Anchors and aliases

  @Test func billionLaughsFailsFastAtTheFirstAnchor() {
    var text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
    for (prev, name) in zip(names, names.dropFirst()) {
      text += "\(name): &\(name) [" + Array(repeating: "*\(prev)", count: 9).joined(separator: ",") + "]\n"
    }
    let clock = ContinuousClock()
    var result: (root: YAMLNode?, diagnostics: [Diagnostic], file: SourceFile)?
    let elapsed = clock.measure { result = loadYAML(text) }
    #expect(elapsed < .seconds(1))
    #expect(result?.root == nil)
    #expect(result?.diagnostics.map(\.code) == [.yamlAlias])
    #expect(result?.diagnostics.first?.span.start == Position(line: 1, column: 4, offset: 3))
    #expect(result?.diagnostics.first?.span.end.column == 6)
    #expect(result?.diagnostics.first?.message == "anchors and aliases (&name, *name) are not allowed in rulebooks and facts")
  }

  @Test func anAliasAloneIsRejected() {
    let (root, diagnostics, _) = loadYAML("a: 1\nb: *x\n")
    #expect(root == nil)
    #expect(diagnostics.map(\.code) == [.yamlAlias])
    #expect(diagnostics.first?.span.start == Position(line: 2, column: 4, offset: 8))
    #expect(diagnostics.first?.span.end.column == 6)
  }

  @Test func anAnchorAfterATagIsFoundWhereItIsWritten() {
    let (_, diagnostics, _) = loadYAML("a: !!str &x foo\n")
    #expect(diagnostics.map(\.code) == [.yamlAlias])
    #expect(diagnostics.first?.span.start.column == 10)
  }

  @Test func anAnchorOnABlockMappingIsRejected() {
    let (_, diagnostics, _) = loadYAML("a: &m\n  b: 1\n")
    #expect(diagnostics.map(\.code) == [.yamlAlias])
    #expect(diagnostics.first?.span.start.column == 4)
  }

  // MARK: Depth

  @Test func tenThousandOpeningBracketsStopAtTheLimit() {
    let (root, diagnostics, _) = loadYAML(String(repeating: "[", count: 10_000))
    #expect(root == nil)
    #expect(diagnostics.map(\.code) == [.yamlTooDeep])
    #expect(diagnostics.first?.span.start == Position(line: 1, column: 201, offset: 200))
  }

  @Test func tenThousandNestedBlockMappingsStopAtTheLimit() {
    // `? ` opens a block mapping on the same line, so 10,000 levels fit in a small file.
    let (root, diagnostics, _) = loadYAML(String(repeating: "? ", count: 10_000) + "x\n")
    #expect(root == nil)
    #expect(diagnostics.map(\.code) == [.yamlTooDeep])
    #expect(diagnostics.first?.span.start.column == 401)
  }

  @Test func deeplyIndentedBlockMappingsStopAtTheLimit() {
    var text = ""
    for level in 0..<1_000 { text += String(repeating: " ", count: level) + "k\(level):\n" }
    let (root, diagnostics, _) = loadYAML(text)
    #expect(root == nil)
    #expect(diagnostics.map(\.code) == [.yamlTooDeep])
    #expect(diagnostics.first?.span.start.line == 201)
    #expect(diagnostics.first?.span.start.column == 201)
  }

  @Test func tenThousandNestedBlockSequencesStopAtTheLimit() {
    let (_, diagnostics, _) = loadYAML(String(repeating: "- ", count: 10_000) + "x\n")
    #expect(diagnostics.map(\.code) == [.yamlTooDeep])
  }

  @Test func nestingUpToTheLimitIsAccepted() {
    let depth = YAMLLoader.maximumDepth
    let (root, diagnostics, _) = loadYAML(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
    #expect(diagnostics.isEmpty)
    #expect(root != nil)
  }

  // MARK: Syntax errors

  @Test func tabIndentationIsReportedAtTheTab() {
    let (root, diagnostics, _) = loadYAML("a:\n\tb: 1\n")
    #expect(root == nil)
    #expect(diagnostics.map(\.code) == [.yamlTab])
    #expect(diagnostics.first?.span.start == Position(line: 2, column: 1, offset: 3))
    #expect(diagnostics.first?.message == "tab used for indentation; YAML indents with spaces")
  }

  @Test func aTabAfterSpacesIsReportedAtItsColumn() {
    let (_, diagnostics, _) = loadYAML("a:\n  b:\n  \tc: 1\n")
    #expect(diagnostics.map(\.code) == [.yamlTab])
    #expect(diagnostics.first?.span.start.line == 3)
    #expect(diagnostics.first?.span.start.column == 3)
  }

  @Test func aTabIndentingABlockScalarIsReported() {
    let (_, diagnostics, _) = loadYAML("k: |\n  a\n \tb\n")
    #expect(diagnostics.map(\.code) == [.yamlTab])
    #expect(diagnostics.first?.span.start.line == 3)
    #expect(diagnostics.first?.span.start.column == 2)
  }

  @Test func badIndentationIsASyntaxErrorWithAPosition() throws {
    let (root, diagnostics, _) = loadYAML("a:\n  b: 1\n c: 2\n")
    #expect(root == nil)
    let d = try #require(diagnostics.first)
    #expect(diagnostics.count == 1)
    #expect(d.code == .yamlSyntax)
    #expect(d.span.start.line == 3)
    #expect(d.span.start.column == 2)
    #expect(d.message.contains("did not find expected key"))
    #expect(d.message.contains("indented"))
  }

  @Test func mappingValuesErrorKeepsLibYAMLsWordsAndGivesAHint() throws {
    let (_, diagnostics, _) = loadYAML("a: b: c\n")
    let d = try #require(diagnostics.first)
    #expect(d.code == .yamlSyntax)
    #expect(d.span.start.column == 5)
    #expect(d.message.hasPrefix("YAML syntax error: mapping values are not allowed"))
    #expect(d.message.contains("did you forget a space after a colon"))
  }

  @Test func aMissingColonPointsBackAtTheKey() throws {
    let (_, diagnostics, _) = loadYAML("a: 1\nb\nc: 2\n")
    let d = try #require(diagnostics.first)
    #expect(d.code == .yamlSyntax)
    #expect(d.message.contains("could not find expected ':'"))
    #expect(d.notes.first?.span?.start == Position(line: 2, column: 1, offset: 5))
  }

  @Test func anUnclosedQuoteIsExplained() throws {
    let (_, diagnostics, _) = loadYAML("a: \"abc\nb: 1\n")
    let d = try #require(diagnostics.first)
    #expect(d.code == .yamlSyntax)
    #expect(d.message.contains("never closed"))
    #expect(d.notes.first?.span?.start.column == 4)
  }

  @Test func aControlCharacterIsPlacedByCharacterNotByte() throws {
    let (_, diagnostics, _) = loadYAML("中文: x\u{7}\n")
    let d = try #require(diagnostics.first)
    #expect(d.code == .yamlSyntax)
    #expect(d.span.start == Position(line: 1, column: 6, offset: 5))
    #expect(d.message.contains("U+0007"))
  }

  // MARK: Documents

  @Test func aSecondDocumentIsReportedAtItsStart() throws {
    let (root, diagnostics, _) = loadYAML("a: 1\n---\nb: 2\n")
    #expect(diagnostics.map(\.code) == [.multipleDocuments])
    #expect(diagnostics.first?.span.start == Position(line: 2, column: 1, offset: 5))
    #expect(root?["a"]?.scalarValue == "1")
    #expect(root?["b"] == nil)
  }

  @Test func anExplicitSingleDocumentIsFine() {
    let (root, diagnostics, _) = loadYAML("---\na: 1\n...\n")
    #expect(diagnostics.isEmpty)
    #expect(root?["a"] != nil)
  }

  @Test(arguments: ["", "# only a comment\n", "---\n", "~\n", "   \n\n", "null"])
  func anEmptyFileIsReportedAtTheStart(text: String) {
    let (root, diagnostics, _) = loadYAML(text)
    #expect(root == nil)
    #expect(diagnostics.map(\.code) == [.emptyDocument])
    #expect(diagnostics.first?.span.start == Position(line: 1, column: 1, offset: 0))
    #expect(diagnostics.first?.message == "the file is empty")
  }
}
