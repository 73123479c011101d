import PreceptTestSupport
import Testing
@testable import PreceptServer

/// zlib's format through the log's wrapper: whole streams in and out, nothing else, never a trap.
@Suite struct ZlibTests {
  @Test func randomBytesRoundTrip() throws {
    var random = SplitMix64(state: 0x5052_4543_4550_5402)
    for size in [0, 1, 2, 100, 16_383, 16_384, 16_385, 100_000] {
      // Half of them from a small alphabet, so they compress; half not.
      let alphabet: UInt8 = size % 2 == 0 ? 255 : 3
      let input = (0..<size).map { _ in UInt8.random(in: 0...alphabet, using: &random) }
      let deflated = try Zlib.deflate(input)
      #expect(Zlib.inflate(deflated) == input, "\(size) bytes")
      #expect(Zlib.inflate(deflated, limit: size) == input, "\(size) bytes at a limit of as many")
    }
    #expect(try Zlib.deflate([]).count > 0)
  }

  @Test func whatIsNotOneWholeStreamIsNil() throws {
    let deflated = try Zlib.deflate(Array(String(repeating: "{\"rule\":\"r\",\"status\":\"satisfied\"}", count: 50).utf8))
    #expect(Zlib.inflate([]) == nil)
    #expect(Zlib.inflate(Array("[{\"rule\":\"r\"}]".utf8)) == nil)  // text, not deflated
    #expect(Zlib.inflate([0x78, 0x9c]) == nil)  // a header alone
    #expect(Zlib.inflate(Array(deflated.dropLast())) == nil)  // truncated: the Adler-32 check cut
    #expect(Zlib.inflate(Array(deflated.prefix(deflated.count / 2))) == nil)
    #expect(Zlib.inflate(deflated + [0]) == nil)  // bytes after the stream's end
    var flipped = deflated
    flipped[flipped.count - 1] ^= 1  // the check no longer matches
    #expect(Zlib.inflate(flipped) == nil)
    var random = SplitMix64(state: 7)
    for _ in 0..<200 {
      let garbage = (0..<Int.random(in: 1...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
      #expect(Zlib.inflate(garbage) == nil)
    }
  }

  @Test func moreThanTheLimitIsNil() throws {
    let bomb = try Zlib.deflate([UInt8](repeating: 0, count: Zlib.defaultLimit + 1))
    #expect(bomb.count < 100_000)
    #expect(Zlib.inflate(bomb) == nil)
    #expect(Zlib.inflate(bomb, limit: Zlib.defaultLimit + 1)?.count == Zlib.defaultLimit + 1)
    let small = try Zlib.deflate([UInt8](repeating: 1, count: 1_000))
    #expect(Zlib.inflate(small, limit: 999) == nil)
    #expect(Zlib.inflate(small, limit: 1_000)?.count == 1_000)
    #expect(Zlib.inflate(small, limit: 0) == nil)
  }
}
