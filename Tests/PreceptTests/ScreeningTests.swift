import Testing
@testable import Precept

private func fx(_ text: String) throws -> Fixed { try Fixed.parse(text).get() }

@Suite struct ScreeningTests {
  // MARK: Normalization

  @Test(arguments: [
    ("LI Wei", "li wei"), ("Wei LI", "li wei"), ("  LI,  Wei\t", "li wei"),
    ("José Müller", "jose muller"), ("Łukasz Żółć", "lukasz zolc"), ("Straße", "strasse"),
    ("Øystein Ærø", "aero oystein"),
    ("Jose\u{301} Mu\u{308}ller", "jose muller"),  // already decomposed: the marks go
    ("İbrahim Işık", "ibrahim isik"), ("Þórður Guðmundsson", "gudmundsson thordur"),
    ("ＬＩ　Ｗｅｉ", "li wei"), ("ＪＯＳＥ－ＭＡＲＩＡ", "jose maria"),
    ("O'Brien", "obrien"), ("O’Brien", "obrien"), ("J.R. Smith", "jr smith"), ("Jean-Pierre", "jean pierre"),
    ("阿卜杜拉·阿齐兹", "阿卜杜拉 阿齐兹"), ("李伟", "李伟"), ("ВЛАДИМИР Путин", "владимир путин"),
    ("", ""), ("!!! ...", ""),
  ])
  func normalizes(name: String, expected: String) {
    #expect(Screening.normalizedName(name) == expected)
  }

  // MARK: Jaro–Winkler

  @Test(arguments: [
    ("MARTHA", "MARHTA", "0.9611"), ("DWAYNE", "DUANE", "0.84"), ("DIXON", "DICKSONX", "0.8133"),
    ("JELLYFISH", "SMELLYFISH", "0.8963"), ("ABC", "XYZ", "0"), ("CRATE", "TRACE", "0.7333"),
  ])
  func classicValues(a: String, b: String, expected: String) throws {
    #expect(try Screening.similarity(a, b) == fx(expected))
    #expect(try Screening.similarity(b, a) == fx(expected))
  }

  @Test func wordOrderAndCaseDoNotMatter() {
    #expect(Screening.similarity("LI Wei", "Wei Li") == .one)
    #expect(Screening.similarity("MOHAMMED BIN SALMAN", "bin salman, mohammed") == .one)
  }

  @Test func diacriticsAndWidthFold() {
    #expect(Screening.similarity("José Müller", "Jose Muller") == .one)
    #expect(Screening.similarity("ＬＩ　Ｗｅｉ", "Li Wei") == .one)
    #expect(Screening.similarity("Gößling", "Goessling") < .one)  // ß folds to ss, not to a German oe/ue scheme
  }

  @Test func chineseNames() throws {
    #expect(Screening.similarity("李伟", "李伟") == .one)
    // Two characters, one shared first: Jaro 2/3, plus the one-character prefix bonus.
    #expect(try Screening.similarity("李伟", "李维") == fx("0.7"))
    #expect(Screening.similarity("王小明", "王晓明") < .one)
  }

  @Test func emptyNames() {
    // Both empty after normalization: identical, so 1; a name against nothing: 0.
    #expect(Screening.similarity("", "") == .one)
    #expect(Screening.similarity("...", "") == .one)
    #expect(Screening.similarity("", "Li Wei") == .zero)
    #expect(Screening.similarity("Li Wei", "--") == .zero)
  }

  @Test func scoresAreFourPlaceFractions() throws {
    let names = [
      "Li Wei", "Wei Lee", "Vladimir Putin", "Volodymyr", "José Müller", "李伟", "a", "ab", "ba", "Muammar al-Gaddafi",
      "Moammar Kadhafi", "Qaddafi, Muammar",
    ]
    for a in names {
      for b in names {
        let score = Screening.similarity(a, b)
        #expect(score >= .zero && score <= .one)
        #expect(try score.rounded(places: 4) == score)
        if a == b { #expect(score == .one) }
      }
    }
    // Transliterations of one name score well above unrelated names.
    let gaddafi = "Muammar al-Gaddafi"
    #expect(Screening.similarity(gaddafi, "Moammar Kadhafi") > Screening.similarity(gaddafi, "Vladimir Putin"))
  }

  @Test func longNamesStayLinear() {
    // A hostile 200,000-character "name" against another: the window spans the whole string, so a quadratic
    // match would take minutes; the queue match takes milliseconds.
    let long = String(repeating: "ab", count: 100_000), other = String(repeating: "ba", count: 100_000)
    let score = Screening.similarity(long, other)
    #expect(score > .zero && score < .one)
  }

  // MARK: Best match

  @Test func bestMatchPicksTheClosestName() throws {
    let list = ["Vladimir Putin", "Wei Li", "Jose Muller", "Li Wen"]
    let match = try #require(Screening.bestMatch("LI Wei", among: list))
    #expect(match.name == "Wei Li")
    #expect(match.score == .one)
    let fuzzy = try #require(Screening.bestMatch("Jozef Mueller", among: list))
    #expect(fuzzy.name == "Jose Muller")
    #expect(fuzzy.score > (try fx("0.85")) && fuzzy.score < .one)
  }

  @Test func bestMatchTiesGoToTheEarlierName() throws {
    let match = try #require(Screening.bestMatch("li wei", among: ["Zhang San", "Li Wei", "WEI LI"]))
    #expect(match.name == "Li Wei")
    #expect(Screening.bestMatch("Li Wei", among: []) == nil)
    // Every score 0: the first name still wins, with its 0.
    let none = try #require(Screening.bestMatch("Li Wei", among: ["", "xyz"]))
    #expect(none.name == "")
    #expect(none.score == .zero)
  }
}
