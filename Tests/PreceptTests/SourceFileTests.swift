import Testing
@testable import Precept

@Suite struct SourceFileTests {
  @Test func positionsCountCharactersNotBytes() {
    let file = SourceFile(path: "t.yaml", text: "a: 1\nmessage: \"负债收入比 {x}\"\n")
    let offset = Array(file.scalars).firstIndex(of: "{")!
    let p = file.position(ofOffset: offset)
    #expect(p.line == 2)
    #expect(p.column == 17)
    #expect(file.lineText(2) == "message: \"负债收入比 {x}\"")
  }

  @Test func crlfIsOneLineBreak() {
    let file = SourceFile(path: "t.yaml", text: "a: 1\r\nb: 2\r\n")
    #expect(file.lineCount == 3)
    #expect(file.position(ofOffset: 6) == Position(line: 2, column: 1, offset: 6))
    #expect(file.lineText(1) == "a: 1")
  }

  @Test func invalidUTF8IsADiagnosticWithAPlace() {
    let bytes: [UInt8] = Array("ok: 1\nbad: ".utf8) + [0xFF, 0x41]
    switch SourceFile.decode(path: "b.yaml", bytes: bytes) {
    case .success: Issue.record("invalid UTF-8 was accepted")
    case .failure(let d):
      #expect(d.code == .invalidUTF8)
      #expect(d.span.start.line == 2)
      #expect(d.span.start.column == 6)
    }
  }

  @Test func byteOrderMarkIsNotCounted() throws {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a: 1".utf8)
    let file = try SourceFile.decode(path: "b.yaml", bytes: bytes).get()
    #expect(file.scalars.count == 4)
    #expect(file.utf8.count == 4)
  }
}
