import Testing

@testable import PreceptLSP

/// Protocol positions count UTF-16 code units; Precept counts Unicode scalars. The mapping must be
/// exact under Chinese text (one unit each), emoji and 𠀀 (two units each), and CR LF line breaks.
@Suite struct LineIndexTests {
  @Test func utf16ColumnsUnderCJKAndAstralCharacters() {
    let text = "a: 年化\nb: 😀𠀀x\r\nc"
    let index = LineIndex(Array(text.unicodeScalars))
    #expect(index.lineStarts == [0, 6, 14])
    // `x` is scalar 6 of line 1 but UTF-16 unit 7: 😀 and 𠀀 are two units each.
    let x = 6 + 5
    #expect(index.scalars[x] == "x")
    #expect(index.position(ofOffset: x) == (1, 7))
    #expect(index.offset(line: 1, character: 7) == x)
    #expect(index.position(ofOffset: 6 + 3) == (1, 3))  // 😀
    #expect(index.position(ofOffset: 6 + 4) == (1, 5))  // 𠀀
    #expect(index.position(ofOffset: 4) == (0, 4))  // 化: one unit
    #expect(index.offset(line: 2, character: 0) == 14)
  }

  @Test func aCharacterInsideASurrogatePairOrPastTheEndIsClamped() {
    let index = LineIndex(Array("😀a\nb".unicodeScalars))
    #expect(index.offset(line: 0, character: 1) == 1)  // inside 😀: the next scalar
    #expect(index.offset(line: 0, character: 99) == 2)  // past the end: the line's end
    #expect(index.offset(line: 9, character: 0) == 4)
  }

  @Test func incrementalEditsUseUTF16Ranges() {
    var doc = Document(uri: "file:///t.yaml", version: 1, text: "x: 😀 a\ny: b\n")
    doc.replace(from: (0, 6), to: (0, 7), with: "𠀀")
    #expect(doc.text == "x: 😀 𠀀\ny: b\n")
    doc.replace(from: (0, 8), to: (1, 1), with: "\nz")
    #expect(doc.text == "x: 😀 𠀀\nz: b\n")
  }

  @Test func framingReadsSplitAndJoinedMessages() throws {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    let payload = "Content-Length: 2\r\n\r\n{}Content-Length: 11\r\nContent-Type: x\r\n\r\n{\"a\":\"年\"}"
    let bytes = Array(payload.utf8)
    _ = bytes.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
    close(fds[1])
    var reader = MessageReader(fd: fds[0])
    #expect(reader.next().map { String(decoding: $0, as: UTF8.self) } == "{}")
    #expect(reader.next().map { String(decoding: $0, as: UTF8.self) } == "{\"a\":\"年\"}")
    #expect(reader.next() == nil)
    close(fds[0])
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
