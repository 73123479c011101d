import Foundation
import Testing

@testable import Precept

/// One copy, a term list, and the original text of every span `find` should report, in order.
struct WordingCase: Sendable, CustomTestStringConvertible {
  let note: String
  let copy: String
  let terms: [String]
  let expected: [String]

  init(_ note: String, _ copy: String, _ terms: [String], _ expected: [String]) {
    self.note = note
    self.copy = copy
    self.terms = terms
    self.expected = expected
  }

  var testDescription: String { note }
}

let evasionCases: [WordingCase] = [
  WordingCase("full-width Latin", "本产品ＧＵＡＲＡＮＴＥＥＤ return", ["guaranteed return"], ["ＧＵＡＲＡＮＴＥＥＤ return"]),
  WordingCase("full-width Latin in the term", "guaranteed return", ["ｇｕａｒａｎｔｅｅｄ　ｒｅｔｕｒｎ"], ["guaranteed return"]),
  WordingCase("ideographic space", "保　本理财", ["保本"], ["保　本"]),
  WordingCase("ASCII space", "保 本理财", ["保本"], ["保 本"]),
  WordingCase("several spaces and a tab", "保  \t 本", ["保本"], ["保  \t 本"]),
  WordingCase("line break", "保\n本", ["保本"], ["保\n本"]),
  WordingCase("hyphen", "保-本", ["保本"], ["保-本"]),
  WordingCase("spaced hyphen", "保 - 本", ["保本"], ["保 - 本"]),
  WordingCase("asterisk", "保*本", ["保本"], ["保*本"]),
  WordingCase("full-width asterisk", "保＊本", ["保本"], ["保＊本"]),
  WordingCase("middle dots and bullet", "保·本 保•本 保・本", ["保本"], ["保·本", "保•本", "保・本"]),
  WordingCase("tildes", "保~本，保～本", ["保本"], ["保~本", "保～本"]),
  WordingCase("bars and slash", "保|本、保｜本、保/本", ["保本"], ["保|本", "保｜本", "保/本"]),
  WordingCase("full-width comma inside", "保，本", ["保本"], ["保，本"]),
  WordingCase("symbol inside", "保★本", ["保本"], ["保★本"]),
  WordingCase("zero-width space", "保\u{200B}本", ["保本"], ["保\u{200B}本"]),
  WordingCase("zero-width joiners and BOM", "保\u{200C}\u{200D}\u{FEFF}\u{2060}本", ["保本"], ["保\u{200C}\u{200D}\u{FEFF}\u{2060}本"]),
  WordingCase("zero-width space in English", "guaran\u{200B}teed return", ["guaranteed return"], ["guaran\u{200B}teed return"]),
  WordingCase("soft hyphen in English", "guaran\u{AD}teed return", ["guaranteed return"], ["guaran\u{AD}teed return"]),
  WordingCase("no-break space", "guaranteed\u{A0}return", ["guaranteed return"], ["guaranteed\u{A0}return"]),
  WordingCase("Traditional copy", "穩賺不賠", ["稳赚不赔"], ["穩賺不賠"]),
  WordingCase("Traditional copy, 保證收益", "本產品保證收益8%", ["保证收益"], ["保證收益"]),
  WordingCase("Traditional term", "保证收益", ["保證收益"], ["保证收益"]),
  WordingCase("half Traditional, half Simplified", "保證收益，稳賺不赔", ["保证收益", "穩賺不賠"], ["保證收益", "稳賺不赔"]),
  WordingCase("more Traditional vocabulary", "零風險、無風險、剛性兌付、國家級、最優", ["零风险", "无风险", "刚性兑付", "国家级", "最优"],
              ["零風險", "無風險", "剛性兌付", "國家級", "最優"]),
  WordingCase("Cyrillic а inside an English word", "guаranteed return", ["guaranteed return"], ["guаranteed return"]),
  WordingCase("Cyrillic capitals inside an English word", "GUАRАNTЕЕD return", ["guaranteed return"], ["GUАRАNTЕЕD return"]),
  WordingCase("a Russian word is left alone", "гарантия", ["rapahtnr"], []),
  WordingCase("mathematical bold", "𝐆𝐔𝐀𝐑𝐀𝐍𝐓𝐄𝐄𝐃 return", ["guaranteed return"], ["𝐆𝐔𝐀𝐑𝐀𝐍𝐓𝐄𝐄𝐃 return"]),
  WordingCase("Kangxi radical for 金", "保本⾦", ["本金"], ["本⾦"]),
  WordingCase("circled number", "年化收益⑩%", ["10%"], ["⑩%"]),
  WordingCase("Chinese and Latin in one term", "１００％ 保本", ["100%保本"], ["１００％ 保本"]),
  WordingCase("Latin term next to Chinese", "保本ETF基金", ["etf"], ["ETF"]),
  WordingCase("combining strike-through", "保\u{336}本", ["保本"], ["保\u{336}本"]),
  WordingCase("combining underline in English", "g\u{332}u\u{332}a\u{332}ranteed return", ["guaranteed return"],
              ["g\u{332}u\u{332}a\u{332}ranteed return"]),
  WordingCase("non-breaking hyphen", "Risk‑free returns", ["risk-free"], ["Risk‑free"]),
  WordingCase("brackets outside the match", "「保本」《稳赚》", ["保本", "稳赚"], ["保本", "稳赚"]),
]

let boundaryCases: [WordingCase] = [
  WordingCase("spaces collapse, case folds", "a guaranteed  Return!", ["guaranteed return"], ["guaranteed  Return"]),
  WordingCase("capitals", "GUARANTEED RETURN", ["guaranteed return"], ["GUARANTEED RETURN"]),
  WordingCase("inside a longer word", "unguaranteed return", ["guaranteed return"], []),
  WordingCase("plural folds to the term", "guaranteed returns", ["guaranteed return"], ["guaranteed returns"]),
  WordingCase("no space", "guaranteedreturn", ["guaranteed return"], []),
  WordingCase("digits are word characters", "10风险 and 0风险", ["0风险"], ["0风险"]),
  WordingCase("parentheses are boundaries", "(guaranteed return)", ["guaranteed return"], ["guaranteed return"]),
  WordingCase("Chinese has no word boundaries", "保本型产品", ["保本"], ["保本"]),
]

let negationCases: [WordingCase] = [
  WordingCase("不保本", "不保本", ["保本"], []),
  WordingCase("非保本", "非保本浮动收益型", ["保本"], []),
  WordingCase("不保证收益", "不保证收益", ["保证收益"], []),
  WordingCase("不承诺保本", "本产品不承诺保本", ["保本"], []),
  WordingCase("没有 and 不会", "没有保本，不会保息", ["保本", "保息"], []),
  WordingCase("并非, Traditional", "本產品並非保本", ["保本"], []),
  WordingCase("沒有, Traditional", "沒有保證收益", ["保证收益"], []),
  WordingCase("filler between marker and term", "不 - 保 本", ["保本"], []),
  WordingCase("保本保息 is a claim", "保本保息", ["保本", "保息"], ["保本", "保息"]),
  WordingCase("保本保息 with one term", "保本保息", ["保本"], ["保本"]),
  WordingCase("negation ends at a comma", "不保本，保息", ["保本", "保息"], ["保息"]),
  WordingCase("clause punctuation bounds the marker", "绝不亏损，保本保息", ["保本"], ["保本"]),
  WordingCase("marker inside a listed term", "稳赚不赔保本", ["稳赚不赔", "保本"], ["稳赚不赔", "保本"]),
  WordingCase("无风险 is itself a claim", "无风险", ["无风险"], ["无风险"]),
  WordingCase("并非无风险", "并非无风险", ["无风险"], []),
  WordingCase("非常 is not a negation", "非常稳赚", ["稳赚"], ["稳赚"]),
  WordingCase("未来 is not a negation", "未来保本", ["保本"], ["保本"]),
  WordingCase("不仅 is not a negation", "不仅保本，还保息", ["保本", "保息"], ["保本", "保息"]),
  WordingCase("English: not", "This is not guaranteed return", ["guaranteed return"], []),
  WordingCase("English: non-", "non-guaranteed return", ["guaranteed return"], []),
  WordingCase("English: never, capitalized", "NEVER guaranteed return", ["guaranteed return"], []),
  WordingCase("English: no", "No guaranteed return", ["guaranteed return"], []),
  WordingCase("English markers are whole words", "now guaranteed return", ["guaranteed return"], ["guaranteed return"]),
  WordingCase("English negation stops at a comma", "no, guaranteed return", ["guaranteed return"], ["guaranteed return"]),
  WordingCase("one character between", "并不是保本产品", ["保本"], []),
  WordingCase("不是 governs its clause", "不是一款保本产品", ["保本"], []),
  WordingCase("不能", "不能保本", ["保本"], []),
  WordingCase("无忧 is not a negation", "无忧保本", ["保本"], ["保本"]),
  WordingCase("not governs its clause", "not a guaranteed return", ["guaranteed return"], []),
  WordingCase("English marker before Chinese", "not 保本", ["保本"], []),
]

/// The shipped list (rulebooks/common/cn-lists.yaml, `prohibited_claims`), as of this test.
let shippedClaims = [
  "保本", "保收益", "保证收益", "保证本金", "保证本息", "保本保息", "本金无忧", "零风险", "无风险", "没有风险", "毫无风险", "稳赚", "稳赚不赔",
  "只赚不赔", "只涨不跌", "绝不亏损", "不会亏损", "刚性兑付", "刚兑", "guaranteed return", "guaranteed income", "guaranteed profit",
  "return guaranteed", "risk-free", "risk free", "zero risk", "no risk", "100% safe", "capital guaranteed", "capital protected",
  "principal guaranteed", "principal protected", "cannot lose", "can't lose",
]

/// Real copy against the shipped list: what a reviewer is shown (negation by clause, its exceptions).
let clauseNegationCases: [WordingCase] = [
  // Disclaimers: the negation governs the rest of its clause.
  WordingCase("不是 … 保本产品", "这不是一款保本产品，请您谨慎投资", shippedClaims, []),
  WordingCase("并非 … 保本", "本产品并非保本型理财，可能损失本金", shippedClaims, []),
  WordingCase("不承诺 … 保证本金", "本行不承诺对投资者保证本金及收益", shippedClaims, []),
  WordingCase("不提供 … 保本承诺", "不提供任何形式的保本承诺", shippedClaims, []),
  WordingCase("Traditional 並不是", "本產品並不是保本產品", shippedClaims, []),
  WordingCase("not a guaranteed return", "This is not a guaranteed return product.", shippedClaims, []),
  WordingCase("does not offer guaranteed returns", "The fund does not offer guaranteed returns or capital protection.", shippedClaims, []),
  WordingCase("is not principal protected", "This product is not principal protected", shippedClaims, []),
  WordingCase("without any guaranteed income", "Invest without any guaranteed income", shippedClaims, []),
  WordingCase("curly apostrophe", "It isn’t a guaranteed return", shippedClaims, []),
  WordingCase("non-guaranteed returns", "Non-guaranteed returns; capital at risk", shippedClaims, []),
  WordingCase("no risk-free investment", "There is no risk-free investment", shippedClaims, []),
  // Claims: fail closed.
  WordingCase("不仅 … 还", "不仅保本，还能稳赚", shippedClaims, ["保本", "稳赚"]),
  WordingCase("不仅 without a comma", "不仅保本还保收益", shippedClaims, ["保本", "保收益"]),
  WordingCase("保本 before 不用担心", "保本，不用担心", shippedClaims, ["保本"]),
  WordingCase("不用担心 before 保本", "不用担心，保本保息", shippedClaims, ["保本保息"]),
  WordingCase("不用担心 in one clause", "不用担心本金，保本保息", shippedClaims, ["保本保息"]),
  WordingCase("不是 … 而是", "这不是普通理财，而是保本理财", shippedClaims, ["保本"]),
  WordingCase("不是 … 而是 without a comma", "不是高风险产品而是保本产品", shippedClaims, ["保本"]),
  WordingCase("不是 … 就是", "不是稳赚就是保本", shippedClaims, ["保本"]),
  WordingCase("不但 … 而且", "不但零风险而且收益高", shippedClaims, ["零风险"]),
  WordingCase("word negation does not reach far", "无手续费保本保息", shippedClaims, ["保本保息"]),
  WordingCase("negation ends at the bracket", "收益（不含手续费）保本", shippedClaims, ["保本"]),
  WordingCase("negation inside a claim", "绝不亏损，稳赚不赔", shippedClaims, ["绝不亏损", "稳赚不赔"]),
  WordingCase("没有风险 is a claim", "投资没有风险", shippedClaims, ["没有风险"]),
  WordingCase("not only", "Not only guaranteed returns but also zero risk", shippedClaims, ["guaranteed returns", "zero risk"]),
  WordingCase("not just", "not just capital guaranteed", shippedClaims, ["capital guaranteed"]),
  WordingCase("no fees and", "No fees and guaranteed returns", shippedClaims, ["guaranteed returns"]),
  WordingCase("not … but", "Not a deposit but a guaranteed return", shippedClaims, ["guaranteed return"]),
  WordingCase("no doubt", "No doubt: guaranteed income", shippedClaims, ["guaranteed income"]),
  WordingCase("after the clause", "Not a bank product. Guaranteed returns!", shippedClaims, ["Guaranteed returns"]),
  WordingCase("noted is not not", "As noted guaranteed returns", shippedClaims, ["guaranteed returns"]),
]

/// English claims, in their inflections.
let englishClaimCases: [WordingCase] = [
  WordingCase("zero risk", "ZERO RISK, high yield", shippedClaims, ["ZERO RISK"]),
  WordingCase("no risks", "No risks at all", shippedClaims, ["No risks"]),
  WordingCase("100% safe", "Your money is 100% safe", shippedClaims, ["100% safe"]),
  WordingCase("capital guarantees", "Capital Guarantees on every plan", shippedClaims, ["Capital Guarantees"]),
  WordingCase("principal protected", "principal-protected notes", shippedClaims, []),  // a hyphen makes one word
  WordingCase("principal protection is another word", "principal protection", shippedClaims, []),
  WordingCase("guaranteed profits", "Guaranteed profits every month", shippedClaims, ["Guaranteed profits"]),
  WordingCase("returns guaranteed", "Returns guaranteed!", shippedClaims, ["Returns guaranteed"]),
  WordingCase("guaranteeing returns", "guaranteeing returns", shippedClaims, ["guaranteeing returns"]),
  WordingCase("you can't lose", "You can't lose", shippedClaims, ["can't lose"]),
  WordingCase("mixed with Chinese", "稳健理财，guaranteed return，名额有限", shippedClaims, ["guaranteed return"]),
  WordingCase("full-width and inflected", "ＧＵＡＲＡＮＴＥＥＤ ＲＥＴＵＲＮＳ", shippedClaims, ["ＧＵＡＲＡＮＴＥＥＤ ＲＥＴＵＲＮＳ"]),
  WordingCase("a longer word is not the term", "riskless returns", shippedClaims, []),
]

/// Phrase-dependent Traditional forms.
let phraseCases: [WordingCase] = [
  WordingCase("躺著也能賺", "躺著也能賺", ["躺着也能赚"], ["躺著也能賺"]),
  WordingCase("秒到帳", "秒到帳，隨借隨還", ["秒到账"], ["秒到帳"]),
  WordingCase("Simplified copy with 帐", "当天到帐", ["到账"], ["到帐"]),
  WordingCase("帳戶", "帳戶餘額", ["账户余额"], ["帳戶餘額"]),
  WordingCase("隨著", "隨著市場波動", ["随着"], ["隨著"]),
  WordingCase("顯著 keeps 著", "收益顯著", ["显着"], []),
  WordingCase("著名 keeps 著", "著名經濟學家推薦", ["著名经济学家"], ["著名經濟學家"]),
  WordingCase("帳篷 keeps 帐", "帳篷", ["账篷"], []),
  WordingCase("瞭解", "瞭解產品風險", ["了解"], ["瞭解"]),
]

let overlapCases: [WordingCase] = [
  WordingCase("longest at the same start", "保本保息", ["保本", "保本保息"], ["保本保息"]),
  WordingCase("nested terms", "保证收益", ["收益", "保证", "保证收益"], ["保证收益"]),
  WordingCase("leftmost wins", "保本保", ["本保", "保本"], ["保本"]),
  WordingCase("repeated", "保本、保本，保 本", ["保本"], ["保本", "保本", "保 本"]),
  WordingCase("duplicate terms, Traditional and Simplified", "保證收益", ["保证收益", "保證收益"], ["保證收益"]),
  WordingCase("empty, blank and filler-only terms find nothing", "保本 — 收益", ["", "  ", "\u{200B}", "—"], []),
  WordingCase("empty copy", "", ["保本"], []),
]

@Suite struct WordingTests {
  @Test(arguments: evasionCases + boundaryCases + negationCases + clauseNegationCases + englishClaimCases + phraseCases + overlapCases)
  func finds(_ c: WordingCase) {
    let spans = Wording.find(c.terms, in: c.copy)
    #expect(spans.map(\.text) == c.expected, "\(c.note)")
    #expect(Wording.containsAny(c.terms, in: c.copy) == !c.expected.isEmpty)
    // Every span is the original text at its offsets, and they come in order without overlapping.
    let scalars = Array(c.copy.unicodeScalars)
    var previousEnd = 0
    for span in spans {
      #expect(previousEnd <= span.start && span.start < span.end && span.end <= scalars.count)
      #expect(String(String.UnicodeScalarView(scalars[span.start..<span.end])) == span.text)
      previousEnd = span.end
    }
  }

  @Test func exactSpansAfterFullWidthPunctuation() {
    // 【0 重1 磅2 】3 本4 产5 品6 ，7 保8 　9 本10 保11 息12 ！13
    let copy = "【重磅】本产品，保　本保息！"
    #expect(Wording.find(["保本", "保息"], in: copy) == [
      TextSpan(start: 8, end: 11, text: "保　本"),
      TextSpan(start: 11, end: 13, text: "保息"),
    ])
    // “0 稳1 賺2 不3 賠4 ”5 ！6 ！7 年8 化9 收10 益11 １12 ０13 ％14
    #expect(Wording.find(["稳赚不赔", "10%"], in: "“穩賺不賠”！！年化收益１０％") == [
      TextSpan(start: 1, end: 5, text: "穩賺不賠"),
      TextSpan(start: 12, end: 15, text: "１０％"),
    ])
  }

  @Test func offsetsCountScalarsNotCharacters() {
    // A family emoji is one Character but five scalars; é written as e + U+0301 is two.
    let family = "👨\u{200D}👩\u{200D}👧"
    #expect(Wording.find(["保本"], in: family + "：保\u{200B}本") == [TextSpan(start: 6, end: 9, text: "保\u{200B}本")])
    #expect(Wording.find(["guaranteed"], in: "Cafe\u{301}: GUARANTEED") == [TextSpan(start: 7, end: 17, text: "GUARANTEED")])
    // A compatibility character that folds to several scalars is reported whole.
    #expect(Wording.find(["1月"], in: "自㋀起") == [TextSpan(start: 1, end: 2, text: "㋀")])
  }

  @Test func normalizedText() {
    #expect(String(String.UnicodeScalarView(NormalizedText("ＧＵＡＲＡＮＴＥＥＤ  Return\n").folded)) == "guarant return")
    #expect(String(String.UnicodeScalarView(NormalizedText(" 保　本 - 穩賺 ").folded)) == "保本稳赚")
    #expect(String(String.UnicodeScalarView(NormalizedText("100% 保本 ETF").folded)) == "100%保本etf")
    let text = NormalizedText("保\u{200B}本")
    #expect(text.folded.count == 2)
    #expect(text.originalSpan(0..<2) == TextSpan(start: 0, end: 3, text: "保\u{200B}本"))
    // Ranges are clamped, never trap.
    #expect(text.originalSpan(-5..<99) == TextSpan(start: 0, end: 3, text: "保\u{200B}本"))
    #expect(text.originalSpan(1..<1) == TextSpan(start: 2, end: 2, text: ""))
    #expect(text.originalSpan(7..<9) == TextSpan(start: 3, end: 3, text: ""))
    #expect(NormalizedText("").originalSpan(0..<1) == TextSpan(start: 0, end: 0, text: ""))
  }

  @Test func englishStems() {
    func folded(_ s: String) -> String { String(String.UnicodeScalarView(NormalizedText(s).folded)) }
    #expect(folded("guarantee guaranteed guarantees guaranteeing") == "guarant guarant guarant guarant")
    #expect(folded("returns risks worries losses") == "return risk worry loss")
    #expect(folded("noted note none this bonus process") == "noted note none this bonus process")
    // The stem keeps the whole word as its span.
    let text = NormalizedText("Guaranteed Returns!")
    #expect(text.originalSpan(0..<text.folded.count - 1) == TextSpan(start: 0, end: 18, text: "Guaranteed Returns"))
  }

  @Test func tablesLoad() {
    #expect(WordingData.traditionalToSimplified.count > 4_000)
    #expect(WordingData.traditionalToSimplified["證"] == "证")
    #expect(WordingData.traditionalToSimplified["證"].flatMap { WordingData.traditionalToSimplified[$0] } == nil)
    #expect(WordingData.compatibility.count > 3_000)
    #expect(WordingData.compatibility["①"] == ["1"])
  }

  @Test func tenKilobytesThirtyTerms() {
    let terms = [
      "保本", "保息", "保证收益", "稳赚", "稳赚不赔", "零风险", "无风险", "刚性兑付", "本金安全", "国家级", "最高级", "最佳",
      "最优", "第一", "收益翻倍", "绝对安全", "100%安全", "无任何风险", "保值增值", "高收益", "guaranteed return",
      "risk-free", "no risk", "capital guaranteed", "principal protected", "best in class", "guaranteed", "safe as a deposit",
      "稳健增值", "年化收益",
    ]
    let paragraph = "本理财产品由资深团队精心打造，不保本、不保证收益，过往业绩不代表未来表现。部分宣传称“稳 赚 不 赔”、"
      + "零風險，均属违规。Past performance is no guarantee; returns are not guaranteed return. 年化收益仅供参考。\n"
    var copy = ""
    while copy.utf8.count < 10_000 { copy += paragraph }
    let found = Wording.find(terms, in: copy)
    #expect(!found.isEmpty)

    let clock = ContinuousClock()
    var times: [Duration] = []
    for _ in 0..<20 {
      times.append(clock.measure { _ = Wording.find(terms, in: copy) })
    }
    times.sort()
    let scalars = copy.unicodeScalars.count
    print("Wording.find: \(copy.utf8.count) bytes, \(scalars) scalars, \(terms.count) terms, \(found.count) spans;"
      + " median \(times[times.count / 2]), best \(times[0])")
  }
}
