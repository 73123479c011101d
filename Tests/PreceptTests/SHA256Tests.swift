import Foundation
import Testing
@testable import Precept

@Suite struct SHA256Tests {
  /// The FIPS 180-4 / NIST CAVS examples.
  @Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
    (
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
    ),
  ])
  func nistVectors(message: String, digest: String) {
    #expect(SHA256.hex(Array(message.utf8)) == digest)
    // Through the non-contiguous path as well.
    #expect(SHA256.hex(message.utf8.lazy.map { $0 }) == digest)
  }

  @Test func oneMillionA() {
    let digest = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    #expect(SHA256.hex(repeatElement(UInt8(ascii: "a"), count: 1_000_000)) == digest)
    var hasher = SHA256Hasher()
    let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
    for _ in 0..<1000 { hasher.update(chunk) }
    #expect(SHA256.hexString(hasher.finalize()) == digest)
  }

  @Test func incrementalEqualsOneShotAtEverySplit() {
    let message = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    let expected = SHA256.hex(message)
    for split in 0...message.count {
      var hasher = SHA256Hasher()
      hasher.update(message[..<split])
      hasher.update(message[split...])
      #expect(SHA256.hexString(hasher.finalize()) == expected, "split at \(split)")
    }
    // Three pieces, one of them fed byte by byte through a non-contiguous sequence.
    var hasher = SHA256Hasher()
    hasher.update(message[..<63])
    hasher.update(message[63..<130].lazy.map { $0 })
    hasher.update(message[130...])
    #expect(SHA256.hexString(hasher.finalize()) == expected)
  }

  @Test func finalizeLeavesTheHasherUsable() {
    var hasher = SHA256Hasher()
    hasher.update(Array("ab".utf8))
    _ = hasher.finalize()
    hasher.update(Array("c".utf8))
    #expect(SHA256.hexString(hasher.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }

  @Test func digestHasThirtyTwoBytes() {
    #expect(SHA256Hasher().finalize().count == 32)
  }

  /// Sizes around the 55/56/64-byte padding edges, plus a larger multi-block file and some UTF-8.
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum")))
  func agreesWithSha256sum() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("precept-sha256-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var files: [(URL, [UInt8])] = []
    for size in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 1000, 100_003] {
      let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ size) }
      files.append((folder.appendingPathComponent("bytes-\(size).bin"), bytes))
    }
    files.append((folder.appendingPathComponent("rules.yaml"), Array("rule: 保本保收益 must not appear\n".utf8)))
    for (url, bytes) in files { try Data(bytes).write(to: url) }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = files.map { $0.0.path }
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)

    let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
    try #require(lines.count == files.count)
    for (line, (url, bytes)) in zip(lines, files) {
      let expected = String(line.prefix(64))
      #expect(SHA256.hex(bytes) == expected, "\(url.lastPathComponent)")
    }
  }
}
