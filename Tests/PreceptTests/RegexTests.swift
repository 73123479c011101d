import Foundation
import Testing
@testable import Precept

/// Compiles a pattern the test knows to be valid.
private func pattern(_ source: String) throws -> Pattern { try Pattern.compile(source).get() }

@Suite struct RegexTests {
  // MARK: Against Python's re

  /// Every line of `Cases/regex/cases.txt` (written by `generate.py`): `[pattern, text, start, end]`.
  @Test func agreesWithPythonRe() throws {
    let folder = try #require(Bundle.module.url(forResource: "Cases", withExtension: nil))
    let data = try Data(contentsOf: folder.appendingPathComponent("regex/cases.txt"))
    var checked = 0
    for line in data.split(separator: UInt8(ascii: "\n")) {
      let fields = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [Any], "malformed line")
      let source = try #require(fields[0] as? String), text = try #require(fields[1] as? String)
      let expected = (fields[2] as? Int).flatMap { start in (fields[3] as? Int).map { start..<$0 } }
      let compiled = try pattern(source)
      #expect(compiled.firstMatch(in: text) == expected, "\(source) in \(text.debugDescription)")
      #expect(compiled.matches(text) == (expected != nil), "\(source) in \(text.debugDescription)")
      checked += 1
    }
    #expect(checked >= 60)
  }

  // MARK: Where Precept deliberately differs from Python

  @Test func digitsAreASCIIButWordsAreAnyScript() throws {
    #expect(try !pattern("\\d").matches("１２３"))
    #expect(try pattern("\\w+").firstMatch(in: "——１２３——") == 2..<5)
    #expect(try pattern("\\D+").firstMatch(in: "12３4") == 2..<3)
  }

  @Test func dollarIsOnlyTheVeryEnd() throws {
    #expect(try !pattern("abc$").matches("abc\n"))
    #expect(try pattern("abc$").matches("abc"))
    #expect(try !pattern("^abc").matches("x\nabc"))
  }

  @Test func namedGroupsAndBracedEscapes() throws {
    #expect(try pattern("(?<rate>\\d+)%").firstMatch(in: "利率5%") == 2..<4)
    #expect(try pattern("(?P<rate>\\d+)%").matches("5%"))
    #expect(try pattern("\\u{4fdd}\\x{672c}").firstMatch(in: "承诺保本") == 2..<4)
  }

  // MARK: Errors

  @Test(arguments: [
    ("(abc", 0, "never closed"), ("ab(c(d)", 2, "never closed"), ("abc)", 3, "no matching"),
    ("[abc", 0, "never closed"), ("ab[^", 2, "never closed"), ("[]", 0, "never closed"),
    ("a{", 1, "repetition count"), ("a{2", 1, "repetition count"), ("a{x}", 1, "repetition count"),
    ("a{}", 1, "repetition count"), ("a{3,2}", 1, "minimum above"), ("{3}", 0, "must follow"),
    ("a{99999}", 2, "above 10000"),
    ("(a)\\1", 3, "backreference"), ("\\k<x>", 0, "backreference"), ("(?P<x>a)(?P=x)", 8, "backreference"),
    ("a(?=b)", 1, "lookahead"), ("a(?!b)", 1, "lookahead"), ("(?<=a)b", 0, "lookbehind"), ("(?<!a)b", 0, "lookbehind"),
    ("abc\\", 3, "lone"), ("[a\\", 2, "lone"),
    ("*a", 0, "nothing to repeat"), ("a|+", 2, "nothing to repeat"), ("^*", 1, "nothing to repeat"),
    ("\\b+", 2, "nothing to repeat"), ("a**", 2, "cannot follow"), ("a{2}{3}", 4, "cannot follow"),
    ("a*+", 2, "possessive"),
    ("a(?i)b", 1, "leading (?i)"), ("(?i:a)", 0, "scoped"), ("(?m)^a", 0, "unknown group"), ("(?#c)", 0, "comments"),
    ("\\q", 0, "unknown escape"), ("\\0", 0, "octal"), ("\\p{Han}", 0, "Unicode properties"),
    ("\\u12", 0, "hexadecimal"), ("\\u{}", 0, "hexadecimal"), ("\\u{110000}", 0, "not a Unicode scalar"),
    ("\\uD800", 0, "not a Unicode scalar"),
    ("[z-a]", 1, "backwards"), ("[\\d-z]", 1, "cannot start"), ("[a-\\d]", 3, "cannot end"),
    ("[\\b]", 1, "anchor"), ("[[:alpha:]]", 1, "POSIX"),
    ("保本(", 2, "never closed"),
  ])
  func reportsErrorsWithOffsets(source: String, offset: Int, phrase: String) {
    switch Pattern.compile(source) {
    case .success: Issue.record("\(source) should be refused")
    case .failure(let error):
      #expect(error.offset == offset, "\(source): \(error)")
      #expect(error.message.contains(phrase), "\(source): \(error.message)")
    }
  }

  @Test func refusesOversizedPatterns() {
    let long = String(repeating: "a", count: 1001)
    #expect(Pattern.compile(long).failure?.offset == 1000)
    #expect(Pattern.compile(String(repeating: "a", count: 1000)).success != nil)

    // (a{1000}){1000} would be a million states; it is refused at the outer count.
    let bomb = Pattern.compile("(a{1000}){1000}")
    #expect(bomb.failure?.offset == 9)
    #expect(bomb.failure?.message.contains("too large") == true)
    #expect(Pattern.compile("a{6000}b{6000}").failure?.offset == 8)
    #expect(Pattern.compile("(?:[\\u4e00-\\u9fff]{2}){6000}").failure != nil)
    #expect(Pattern.compile("a{9999}").success != nil)
    // Within the state limit, but each state inside five nested optional repetitions needs six thread keys.
    let deep = Pattern.compile("(?:(?:(?:(?:(?:a?){0,3000})*)*)*)*")
    #expect(deep.failure?.message.contains("nested too deeply") == true)
    #expect(deep.failure?.offset == 33)
    let nested = String(repeating: "(", count: 101) + String(repeating: ")", count: 101)
    #expect(Pattern.compile(nested).failure?.message.contains("nested") == true)
  }

  // MARK: No catastrophic backtracking

  /// These take exponential time in a backtracking engine; here they are linear. Timing is reported by hand,
  /// not asserted, so the test stays reliable on a loaded machine.
  @Test(arguments: [("(a+)+$", true), ("(a|a)*b", false), ("(a*)*b", false), ("(a+)+b", false), ("(.*a){12}", true)])
  func pathologicalPatternsAnswerCorrectly(source: String, expected: Bool) throws {
    let text = String(repeating: "a", count: 30_000)
    let compiled = try pattern(source)
    #expect(compiled.matches(text) == expected)
    #expect((compiled.firstMatch(in: text) != nil) == expected)
  }

  // MARK: Offsets on Chinese copy

  @Test func firstMatchGivesScalarOffsetsInChineseCopy() throws {
    let copy = "本理财产品保本保收益，预期年化收益率4.5%，稳赚不赔！"
    #expect(try pattern("(保本|保收益)").firstMatch(in: copy) == 5..<7)
    #expect(try pattern("保收益").firstMatch(in: copy) == 7..<10)
    #expect(try pattern("\\d+(\\.\\d+)?%").firstMatch(in: copy) == 18..<22)
    #expect(try pattern("稳赚不赔").firstMatch(in: copy) == 23..<27)
    #expect(try pattern("[！!]$").firstMatch(in: copy) == 27..<28)
    #expect(try pattern("保证").firstMatch(in: copy) == nil)
    // Emoji and combining marks are counted in scalars, not grapheme clusters.
    #expect(try pattern("保本").firstMatch(in: "👍🏽e\u{301}保本") == 4..<6)
  }

  @Test func substringsAreMatchedFromTheirOwnStart() throws {
    let line = "copy: 承诺保本"
    let copy = line.dropFirst(6)
    #expect(try pattern("^承诺").matches(copy))
    #expect(try pattern("保本").firstMatch(in: copy) == 2..<4)
  }

  // MARK: API

  @Test func equalityFollowsTheSource() throws {
    #expect(try pattern("a+") == pattern("a+"))
    #expect(try pattern("a+") != pattern("a{1,}"))
    #expect(try Set([pattern("保本"), pattern("保本")]).count == 1)
    #expect(try pattern("x").description == "x")
  }

  @Test func caseInsensitiveUsesSimpleMappings() throws {
    #expect(try pattern("(?i)ΣΑΣ").matches("σασ"))
    #expect(try pattern("(?i)straße").matches("STRAßE"))
    #expect(try pattern("(?i)[À-Þ]+").firstMatch(in: "xàéy") == 1..<3)
    #expect(try !pattern("(?i)[^a]").matches("A"))
  }
}

extension Result {
  fileprivate var success: Success? { if case .success(let value) = self { value } else { nil } }
  fileprivate var failure: Failure? { if case .failure(let error) = self { error } else { nil } }
}
