import PreceptTestSupport
import Testing
@testable import Precept

/// Random and mutated input must never trap, and every diagnostic must point inside its file.
@Suite struct YAMLLoaderFuzzTests {
  private static let seedDocument = """
    # Sample rulebook
    format: 1
    id: "kyc.basic"
    title: 'Know your ''customer'''
    rules:
      - id: r1
        when: |
          applicant.age >= 18
          and applicant.income > 5000
        message: "负债收入比 {ratio} \\u4E2D 过高"
      - id: r2
        when: >-
          a and
          b
        tags: [x, "y", {k: v}]
    facts:
      limit: !!str 12

    """

  /// Bytes that matter to YAML, plus multi-byte UTF-8, control bytes and invalid bytes.
  private static let alphabet: [[UInt8]] = {
    var a: [[UInt8]] = ":-[]{},\"'|>!&*#?%@`\\~ \n\r\t0a9Zx.".utf8.map { [$0] }
    a += [Array("中".utf8), Array("\u{85}".utf8), Array("\u{2028}".utf8), Array("\u{FEFF}".utf8)]
    a += [[0x00], [0x07], [0x7F], [0xFF], [0xC3], [0xE4, 0xB8]]
    a += ["---", "...", "\\u00", "\\x4", "  ", "- ", ": ", "\n  "].map { Array($0.utf8) }
    return a
  }()

  @Test func randomAndMutatedInputNeverTraps() {
    var rng = SplitMix64(state: 0x5EED_CAFE)
    let seed = Array(Self.seedDocument.utf8)
    for round in 0..<2_000 {
      let bytes = round % 2 == 0 ? randomBytes(&rng) : mutate(seed, &rng)
      check(bytes, round: round)
    }
  }

  private func randomBytes(_ rng: inout SplitMix64) -> [UInt8] {
    var out: [UInt8] = []
    for _ in 0..<Int.random(in: 0...120, using: &rng) {
      if Int.random(in: 0..<10, using: &rng) == 0 {
        out.append(UInt8.random(in: 0...255, using: &rng))
      } else {
        out += Self.alphabet[Int.random(in: 0..<Self.alphabet.count, using: &rng)]
      }
    }
    return out
  }

  private func mutate(_ seed: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
    var out = seed
    for _ in 0..<Int.random(in: 1...6, using: &rng) {
      let at = Int.random(in: 0...out.count, using: &rng)
      let piece = Self.alphabet[Int.random(in: 0..<Self.alphabet.count, using: &rng)]
      switch Int.random(in: 0..<3, using: &rng) {
      case 0: out.insert(contentsOf: piece, at: at)
      case 1: if at < out.count { out.remove(at: at) }
      default: if at < out.count { out.replaceSubrange(at..<Swift.min(out.count, at + piece.count), with: piece) }
      }
    }
    return out
  }

  private func check(_ bytes: [UInt8], round: Int) {
    let file: SourceFile
    switch SourceFile.decode(path: "fuzz.yaml", bytes: bytes) {
    case .failure: return
    case .success(let f): file = f
    }
    let (root, diagnostics) = YAMLLoader.load(file)
    for d in diagnostics {
      #expect(isInside(d.span, file), "round \(round): \(d.code) at \(d.span.description) outside the file")
      for note in d.notes {
        if let span = note.span { #expect(isInside(span, file), "round \(round): note outside the file") }
      }
    }
    #expect(root != nil || diagnostics.hasErrors, "round \(round): no root and no error")
    guard let root else { return }
    for node in root.allScalars {
      let offsets = node.sourceOffsets(in: file)
      let count = node.scalarValue?.unicodeScalars.count ?? 0
      #expect(offsets.count == count + 1, "round \(round)")
      #expect(zip(offsets, offsets.dropFirst()).allSatisfy { $0 <= $1 }, "round \(round)")
      #expect(offsets.allSatisfy { (0...file.scalars.count).contains($0) }, "round \(round)")
    }
  }

  private func isInside(_ span: Span, _ file: SourceFile) -> Bool {
    let n = file.scalars.count
    return span.start.offset >= 0 && span.start.offset <= n && span.end.offset <= n
      && span.start.line >= 1 && span.start.line <= file.lineCount && span.start.column >= 1
      && span.start <= span.end
  }
}
