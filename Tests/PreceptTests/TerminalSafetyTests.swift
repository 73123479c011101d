import Foundation
import Testing

@testable import Precept

/// Text output cannot be steered by its input: control characters in facts and rulebooks are shown
/// as escapes (`TerminalText`), and a long source line is echoed as a bounded window with the
/// carets still under the span.
@Suite struct TerminalSafetyTests {
  // MARK: - The escaping convention

  @Test(arguments: [
    ("\u{1B}[2K\rOutcome: PASS", #"\u{1B}[2K\u{0D}Outcome: PASS"#),
    ("a\nb\tc", #"a\nb\tc"#),
    ("back\u{08}\u{08}space\u{7F}", #"back\u{08}\u{08}space\u{7F}"#),
    ("\u{0}nul \u{9B}31m csi", #"\u{00}nul \u{9B}31m csi"#),
    ("\u{202E}txet \u{2066}isolate\u{2069} \u{200F}\u{061C}", #"\u{202E}txet \u{2066}isolate\u{2069} \u{200F}\u{61C}"#),
    ("line\u{2028}para\u{2029}nel\u{85}", #"line\u{2028}para\u{2029}nel\u{85}"#),
    // Printed as themselves: CJK, accents, emoji joined by ZWJ, backslashes.
    ("负债收入比 é 👩‍👩‍👧 \\d+ \\u{1B}", "负债收入比 é 👩‍👩‍👧 \\d+ \\u{1B}"),
  ])
  func controlsAreEscaped(_ input: String, _ expected: String) {
    #expect(TerminalText.escaped(input) == expected)
  }

  @Test func aClippedValueIsNeverCutInsideAnEscape() {
    // 150 letters then escapes: the limit of 160 (157 and `…`) falls inside the second `\u{1B}`.
    let value = String(repeating: "a", count: 150) + String(repeating: "\u{1B}", count: 5)
    #expect(TerminalText.escaped(value, limit: 160) == String(repeating: "a", count: 150) + #"\u{1B}…"#)
    let plain = String(repeating: "b", count: 170)
    #expect(TerminalText.escaped(plain, limit: 160) == String(repeating: "b", count: 157) + "…")
    #expect(TerminalText.escaped("short\r", limit: 160) == #"short\u{0D}"#)
  }

  @Test func sourceTextKeepsItsLinesUnderTheGivenIndent() {
    let condition = "all a in xs:\r\n        a.ok\r\n          and a.fine\u{1B}\n\nOutcome: PASS"
    // Indentation is kept relative to the least indented further line: here the forged one, which
    // still cannot reach the left margin.
    #expect(
      TerminalText.escaped(source: condition, indent: "    ") == #"""
        all a in xs:
                    a.ok
                      and a.fine\u{1B}

            Outcome: PASS
        """#)
    #expect(TerminalText.escaped(source: "a\r\n  b\r\n  c", indent: "  ") == "a\n  b\n  c")
  }

  // MARK: - Decisions

  static let rulebook = #"""
    precept: 1
    rulebook: t.hostile
    title: "Hostile \e[2K copy"
    schema:
      product: { name: text, copy: text }
    rules:
      - id: NO-GUARANTEE
        title: "No \u202Eguarantee"
        severity: block
        owner: compliance
        forbid: product.copy contains "guaranteed"
        message: "Copy of {product.name} promises a guaranteed return"
        cite: "rule \b\b\b 4.2"
    """#

  static let facts = #"""
    product:
      name: "X\e[2K\rOutcome: PASS"
      copy: "guaranteed\e[1A\e[2K\rOutcome: PASS\n\u202Etext"
    """#

  /// The decision rendered, with the temporary file's path and the digest replaced so the text is stable.
  static func rendered(color: Bool = false, traces: Bool = false) throws -> String {
    let book = try compileRulebook(rulebook, file: "hostile.yaml")
    let d = try book.evaluate(facts: facts, asOf: asOf, trace: true)
    let path = try #require(d.results.first?.rule.source.file)
    return DecisionRenderer(color: color, traces: traces).render(d)
      .replacingOccurrences(of: path, with: "hostile.yaml")
      .replacingOccurrences(of: String(book.digest.prefix(19)), with: "sha256:…")
  }

  /// Control scalars in `s` other than the line feeds between lines.
  static func controls(_ s: String) -> [Unicode.Scalar] {
    s.unicodeScalars.filter { $0 != "\n" && TerminalText.needsEscape($0) }
  }

  @Test func aDecisionShowsControlsInValuesMessagesAndRulebookTextAsEscapes() throws {
    let text = try Self.rendered()
    #expect(Self.controls(text).isEmpty)
    #expect(
      text == #"""
        t.hostile — Hostile \u{1B}[2K copy
        as of 2026-11-23 · all stages · sha256:……
        Outcome: BLOCK

        Sign-off by department
          compliance  BLOCK    NO-GUARANTEE

        Findings
          ✗ BLOCK  NO-GUARANTEE  No \u{202E}guarantee
              Copy of X\u{1B}[2K\u{0D}Outcome: PASS promises a guaranteed return
              forbid: product.copy contains "guaranteed"
                found: “guaranteed” at characters 0–10
                product.copy = guaranteed\u{1B}[1A\u{1B}[2K\u{0D}Outcome: PASS\n\u{202E}text
              owner: compliance · uncategorized · hostile.yaml:7:9
              cite: rule \u{08}\u{08}\u{08} 4.2

        """#)
    // Only the renderer's own lines start at the left margin: the forged outcome is inside a value.
    #expect(text.split(separator: "\n").filter { $0.hasPrefix("Outcome:") } == ["Outcome: BLOCK"])
  }

  @Test func aTraceShowsControlsAsEscapes() throws {
    let text = try Self.rendered(traces: true)
    #expect(Self.controls(text).isEmpty)
    #expect(text.contains(#"          product.copy = guaranteed\u{1B}[1A\u{1B}[2K\u{0D}Outcome: PASS\n\u{202E}text"#))
  }

  @Test func colourCodesAreTheRenderersOwn() throws {
    let text = try Self.rendered(color: true, traces: true)
    // Every escape sequence left is one the renderer paints with; none came from the input.
    let own = ["\u{1B}[0m", "\u{1B}[1m", "\u{1B}[1;31m", "\u{1B}[1;33m", "\u{1B}[32m", "\u{1B}[36m"]
    let stripped = own.reduce(text) { $0.replacingOccurrences(of: $1, with: "") }
    #expect(text.contains("\u{1B}[1;31mBLOCK\u{1B}[0m"))
    #expect(Self.controls(stripped).isEmpty)
  }

  @Test func jsonOutputEscapesControlsItself() throws {
    let book = try compileRulebook(Self.rulebook, file: "hostile.yaml")
    let json = DecisionJSON.json(try book.evaluate(facts: Self.facts, asOf: asOf)).serialized(pretty: true)
    #expect(!json.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    #expect(json.contains(#""message": "Copy of X\u001b[2K\rOutcome: PASS promises a guaranteed return""#))
  }

  // MARK: - Diagnostics

  /// One error diagnostic over `length` characters at `column` (1-based) of a one-line file.
  static func diagnostic(_ line: String, column: Int, length: Int, message: String = "bad here") -> String {
    let file = SourceFile(path: "t.yaml", text: line + "\n")
    let d = Diagnostic(.yamlSyntax, file.span(column - 1, column - 1 + length), message)
    return DiagnosticRenderer(files: ["t.yaml": file]).render(d)
  }

  /// The excerpt line and the caret line of a rendered diagnostic, without their gutters.
  static func excerpt(_ rendered: String) -> (line: String, carets: String) {
    let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    return (String(lines[2].dropFirst(5)), String(lines[3].dropFirst(5)))
  }

  @Test func anEchoedSourceLineShowsControlsAndKeepsTheCaretsUnderTheSpan() {
    // The span (`bad`) comes after an ESC, a backspace and a wide character, each printed wider than one column.
    // (A CR cannot be in an echoed line: it ends the line, as in libyaml.)
    let line = "name: \"\u{1B}[2K\u{08}合 bad\""
    let text = Self.diagnostic(line, column: 15, length: 3, message: "name `\u{1B}[2K` is bad")
    #expect(
      text == #"""
        t.yaml:1:15: error[P0101]: name `\u{1B}[2K` is bad
           |
         1 | name: "\u{1B}[2K\u{08}合 bad"
           |                          ^^^

        """#)
    #expect(Self.controls(text).isEmpty)
  }

  @Test func aLongLineIsEchoedAsAWindowAroundTheSpan() {
    let line = String(repeating: "a", count: 200) + "BAD" + String(repeating: "b", count: 200)
    let (shown, carets) = Self.excerpt(Self.diagnostic(line, column: 201, length: 3))
    #expect(shown == "…" + String(repeating: "a", count: 57) + "BAD" + String(repeating: "b", count: 58) + "…")
    #expect(carets == String(repeating: " ", count: 58) + "^^^")
    #expect(DisplayWidth.of(shown) == DiagnosticRenderer.window)
  }

  @Test func aSpanAtTheEndOfALongLineTakesItsContextFromTheLeft() {
    let line = String(repeating: "a", count: 300) + "END"
    let (shown, carets) = Self.excerpt(Self.diagnostic(line, column: 301, length: 3))
    #expect(shown == "…" + String(repeating: "a", count: 115) + "END")
    #expect(carets == String(repeating: " ", count: 116) + "^^^")
  }

  @Test func aLongSpanIsUnderlinedUpToTheCap() {
    let line = String(repeating: "x", count: 50) + String(repeating: "S", count: 300) + String(repeating: "y", count: 50)
    let (shown, carets) = Self.excerpt(Self.diagnostic(line, column: 51, length: 300))
    #expect(shown == "…" + String(repeating: "x", count: 19) + String(repeating: "S", count: 99) + "…")
    #expect(carets == String(repeating: " ", count: 20) + String(repeating: "^", count: DiagnosticRenderer.longestUnderline))
  }

  @Test(arguments: [1, 2, 3, 60, 61, 62, 63, 500, 997])
  func caretsLineUpInALongLineOfWideCharactersAndEscapes(_ column: Int) throws {
    // Wide characters and escapes are never split at the window's edges, whatever the offset.
    let unit = ["合", "a", "\u{1B}", "b", "文", "\t"]
    let line = (0..<1000).map { unit[$0 % unit.count] }.joined()
    let (shown, carets) = Self.excerpt(Self.diagnostic(line, column: column, length: 1))
    #expect(DisplayWidth.of(shown) <= DiagnosticRenderer.window)
    #expect(Self.controls(shown).isEmpty)
    let scalar = Array(line.unicodeScalars)[column - 1]
    let printed = scalar == "\t" ? "    " : (TerminalText.escape(scalar) ?? String(scalar))
    let marks = try #require(carets.firstIndex(of: "^"))
    let pad = carets.distance(from: carets.startIndex, to: marks)
    #expect(carets.dropFirst(pad) == String(repeating: "^", count: DisplayWidth.of(printed)))
    // The text printed from the caret's column on starts with the span's character.
    let scalars = Array(shown.unicodeScalars)
    var width = 0
    var k = 0
    while width < pad, k < scalars.count {
      width += DisplayWidth.of(scalars[k])
      k += 1
    }
    #expect(width == pad)
    #expect(String(String.UnicodeScalarView(scalars[k...])).hasPrefix(printed))
  }

  @Test func aMegabyteOneLineExpressionEchoesOneScreenLine() {
    let line = "require: " + String(repeating: "x and ", count: 180_000) + "1 +"
    let column = line.unicodeScalars.count - 2
    let text = Self.diagnostic(line, column: column, length: 3)
    let (shown, carets) = Self.excerpt(text)
    #expect(text.utf8.count < 600)
    #expect(shown == "…" + String(repeating: "x and ", count: 20).suffix(115) + "1 +")
    #expect(carets == String(repeating: " ", count: 116) + "^^^")
  }

  @Test func aSpanJustPastTheEndOfALongLineIsMarkedAfterIt() {
    // The position of a CRLF's LF: one column past the line's last character.
    let line = String(repeating: "a", count: 300)
    let file = SourceFile(path: "t.yaml", text: line + "\r\n")
    let at = Position(line: 1, column: 302, offset: 301)
    let d = Diagnostic(.yamlSyntax, Span(file: "t.yaml", start: at, end: at), "expected more")
    let (shown, carets) = Self.excerpt(DiagnosticRenderer(files: ["t.yaml": file]).render(d))
    #expect(shown == "…" + String(repeating: "a", count: 116))
    #expect(carets == String(repeating: " ", count: 118) + "^")
  }

  @Test func aNoteExcerptIsBoundedAndEscapedToo() {
    let line = String(repeating: "n", count: 300) + "\u{1B}[2J"
    let file = SourceFile(path: "t.yaml", text: "top: 1\n" + line + "\n")
    let note = Diagnostic.Note("declared \u{07}here", at: file.span(7 + 300, 7 + 301))
    let d = Diagnostic(.duplicateKey, file.span(0, 3), "duplicate key", notes: [note])
    let text = DiagnosticRenderer(files: ["t.yaml": file]).render(d)
    #expect(Self.controls(text).isEmpty)
    #expect(
      text == #"""
        t.yaml:1:1: error[P0102]: duplicate key
           |
         1 | top: 1
           | ^^^
           = note: declared \u{07}here (t.yaml:2:301)
         2 | …\#(String(repeating: "n", count: 109))\u{1B}[2J
           | \#(String(repeating: " ", count: 110))------

        """#)
  }
}
