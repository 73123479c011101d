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
    #expect(Proximity.near("aaa", "aa", "a", within: 0))
    // One term twice: one occurrence is not a pair.
    #expect(!Proximity.near("保本理财", "保本", "保本", within: 10))
    #expect(Proximity.near("保本理财，真保本", "保本", "保本", within: 4))
    #expect(!Proximity.near("保本理财，真保本", "保本", "保本", within: 3))
    #expect(Proximity.near("aaa", "aa", "aa", within: 0))
  }

  @Test func edges() {
    #expect(!Proximity.near("保证收益", "", "收益", within: 10))
    #expect(!Proximity.near("保证收益", "保证", "", within: 10))
    #expect(!Proximity.near("", "保证", "收益", within: 10))
    #expect(!Proximity.near("保证收益", "保证", "收益", within: -1))
    #expect(Proximity.near("保证收益", "保证", "收益", within: .max))
    #expect(!Proximity.near("保证", "保证", "收益", within: .max))
  }

  @Test func longTextStaysFast() {
    // A repetitive term in a long text: linear search, binary-searched pairs.
    let text = String(repeating: "a", count: 50_000) + "b"
    #expect(Proximity.near(text, "aaaa", "b", within: 0))
    #expect(!Proximity.near(text, "aab", "c", within: 10))
  }
}
