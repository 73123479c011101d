import Testing
@testable import Precept

@Suite struct ProximityTests {
  @Test func chineseCopy() {
    // "年化" — two characters — between the terms.
    #expect(Proximity.near("保证年化收益8%", "保证", "收益", within: 4))
    #expect(Proximity.near("保证年化收益8%", "保证", "收益", within: 2))
    #expect(!Proximity.near("保证年化收益8%", "保证", "收益", within: 1))
    #expect(Proximity.near("本产品保证收益", "保证", "收益", within: 0))
  }

  @Test func eitherOrder() {
    #expect(Proximity.near("保证年化收益8%", "收益", "保证", within: 4))
    #expect(Proximity.near("收益由本行保证", "保证", "收益", within: 3))
    #expect(!Proximity.near("收益由本行保证", "保证", "收益", within: 2))
  }

  @Test func farApart() {
    let copy = "本产品保证资金安全，过往业绩不代表未来表现，预期收益仅供参考"
    #expect(!Proximity.near(copy, "保证", "收益", within: 4))
    #expect(Proximity.near(copy, "保证", "收益", within: 30))
    #expect(!Proximity.near(copy, "保证", "保本", within: 100))
  }

  @Test func caseInsensitive() {
    #expect(Proximity.near("GUARANTEED high Returns", "guaranteed", "RETURNS", within: 6))
    #expect(!Proximity.near("GUARANTEED high Returns", "guaranteed", "RETURNS", within: 5))
    #expect(Proximity.near("Rendite GARANTIERT", "garantiert", "RENDITE", within: 1))
  }

  @Test func overlapsAndRepeats() {
    // Overlapping occurrences are adjacent.
    #expect(Proximity.near("保证收益", "保证收益", "收益", within: 0))
    #expect(Proximity.near("保保保", "保保", "保", within: 0))
    // One term twice: one occurrence is not a pair.
    #expect(!Proximity.near("保本理财", "保本", "保本", within: 10))
    #expect(Proximity.near("保本理财，真保本", "保本", "保本", within: 4))
    // Distances count folded characters: the comma between Chinese characters is dropped, leaving 理财真.
    #expect(!Proximity.near("保本理财，真保本", "保本", "保本", within: 2))
    #expect(Proximity.near("保本理财，真保本", "保本", "保本", within: 3))
    #expect(Proximity.near("保保保", "保保", "保保", within: 0))
  }

  @Test func edges() {
    #expect(!Proximity.near("保证收益", "", "收益", within: 10))
    #expect(!Proximity.near("保证收益", "保证", "", within: 10))
    #expect(!Proximity.near("", "保证", "收益", within: 10))
    #expect(!Proximity.near("保证收益", "保证", "收益", within: -1))
    #expect(Proximity.near("保证收益", "保证", "收益", within: .max))
    #expect(!Proximity.near("保证", "保证", "收益", within: .max))
  }

  /// A figure's label near any of its qualifiers: the shape of the caveat rules (DISC-WM-BENCHMARK-CAVEAT).
  @Test(arguments: [
    ("业绩比较基准3.0%（不代表实际收益）", true),
    ("业绩比较基准：年化3.00%-4.50%，不代表产品未来表现", true),
    ("業績比較基準3.0%（不代表實際收益）", true),  // Traditional copy folds first
    ("业绩比较基准3.0%，稳健之选，历经多轮市场考验，过往十年从未出现亏损，不代表实际收益", false),  // 27 characters away
    ("业绩比较基准3.0%", false),
    ("不代表实际收益", false),
  ])
  func figureNearCaveat(_ c: (copy: String, near: Bool)) {
    #expect(Proximity.near(c.copy, ["业绩比较基准", "年化收益"], ["不代表", "仅供参考"], within: 20) == c.near, "\(c.copy)")
  }

  @Test func englishWordsAreWholeAndInflected() {
    #expect(Proximity.near("Returns are guaranteed", ["guaranteed"], ["return"], within: 5))
    #expect(!Proximity.near("unguaranteed returns", ["guaranteed"], ["return"], within: 5))
    // Negation does not matter to `near`: it asks where words are.
    #expect(Proximity.near("past performance is not indicative of future results", ["past performance"], ["not indicative"], within: 4))
  }

  @Test func longTextStaysFast() {
    // A repetitive term in a long text: linear search, binary-searched pairs.
    let text = String(repeating: "保", count: 50_000) + "本"
    #expect(Proximity.near(text, "保保保保", "本", within: 0))
    #expect(!Proximity.near(text, "保保本", "息", within: 10))
  }
}
