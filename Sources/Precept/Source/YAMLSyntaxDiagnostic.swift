/// Turns libyaml's terse error reports into diagnostics a compliance author can act on.
///
/// libyaml's own words stay in every message (they are what a search engine knows); a hint in
/// plain language follows, saying what usually causes the problem and what to do.
enum YAMLSyntaxDiagnostic {
  static func make(_ error: LibYAMLError, in file: SourceFile) -> Diagnostic {
    let at = clamp(error.offset, file)
    let span = file.span(at, Swift.min(at + 1, file.scalars.count))

    if isTabProblem(error, at: at, in: file) {
      return Diagnostic(
        .yamlTab, span, "tab used for indentation; YAML indents with spaces",
        help: ["replace the tab with spaces (most editors can be set to insert spaces when Tab is pressed)"])
    }

    var message = "YAML syntax error: \(error.problem)"
    if let hint = hint(for: error, at: at, in: file) { message += " (\(hint))" }

    var notes: [Diagnostic.Note] = []
    if let context = error.context, let offset = error.contextOffset {
      let c = clamp(offset, file)
      let contextSpan = file.span(c, Swift.min(c + 1, file.scalars.count))
      if contextSpan.start != span.start {
        notes.append(Diagnostic.Note("\(context) that starts here", at: contextSpan))
      }
    }
    return Diagnostic(.yamlSyntax, span, message, notes: notes)
  }

  /// libyaml never names tabs in its most common complaint, so look at the character it stopped on.
  private static func isTabProblem(_ error: LibYAMLError, at: Int, in file: SourceFile) -> Bool {
    guard at < file.scalars.count, file.scalars[at] == "\t" else { return false }
    return error.problem.contains("cannot start any token") || error.problem.contains("tab character")
  }

  private static func hint(for error: LibYAMLError, at: Int, in file: SourceFile) -> String? {
    let p = error.problem
    let context = error.context ?? ""
    if p.contains("mapping values are not allowed") {
      return "did you forget a space after a colon, or misalign the indentation? A value that itself contains \": \" must be put in quotes"
    }
    if p.contains("could not find expected ':'") {
      return "a key on an earlier line is missing its colon, or a quoted value is not closed"
    }
    if p.contains("did not find expected key") {
      return "this line is not indented like the keys around it; line it up with them"
    }
    if p.contains("did not find expected '-' indicator") {
      return "this line is not indented like the list items around it; line it up with the other `-` lines"
    }
    if p.contains("block sequence entries are not allowed") {
      return "a list item `-` must start its own line, indented under its key"
    }
    if p.contains("did not find expected ',' or ']'") {
      return "a list written with [ ] is not closed, or two of its items are missing a comma between them"
    }
    if p.contains("did not find expected ',' or '}'") {
      return "a mapping written with { } is not closed, or two of its entries are missing a comma between them"
    }
    if p.contains("found unexpected end of stream") && context.contains("quoted scalar") {
      return "a quote is opened and never closed"
    }
    if p.contains("found unknown escape character") {
      return "inside double quotes a backslash starts an escape such as \\n; write \\\\ for a backslash, or use single quotes"
    }
    if p.contains("did not find expected node content") {
      return "a value is missing or starts with a character YAML reserves; put the value in quotes"
    }
    if p.contains("cannot start any token") {
      let ch = at < file.scalars.count ? "`\(file.scalars[at])`" : "this character"
      return "a value cannot start with \(ch); put the value in quotes"
    }
    if p.contains("control characters are not allowed") {
      let what = error.value.map { "the invisible character \(codePoint($0))" } ?? "an invisible character"
      return "the file contains \(what) here; delete it, rulebooks and facts may only contain printable text"
    }
    if p.contains("did not find expected <document start>") {
      return "the file should hold a single mapping of keys to values; check the indentation of this line"
    }
    if p.contains("found unexpected document indicator") {
      return "a line starting with --- or ... ends a quoted value early; indent it or close the quote first"
    }
    if p.contains("did not find expected comment or line break") {
      return "something follows a value on the same line; start it on a new line or put it in quotes"
    }
    return nil
  }

  private static func clamp(_ offset: Int, _ file: SourceFile) -> Int {
    Swift.max(0, Swift.min(offset, file.scalars.count))
  }

  private static func codePoint(_ value: Int32) -> String {
    let hex = String(UInt32(bitPattern: value), radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: Swift.max(0, 4 - hex.count)) + hex
  }
}
