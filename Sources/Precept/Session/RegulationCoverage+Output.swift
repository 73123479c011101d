/// `precept coverage --regulations` as text and as JSON (the JSON shape is documented in
/// docs/regulations.md and is a contract).
public enum RegulationCoverageOutput {
  /// Per instrument, per clause: its status and summary, the rules that encode it and the test
  /// cases that exercised them (each case where the rule did not pass, and the first where it
  /// did with how many more; the JSON and HTML list them all); then the clauses no rule encodes. Text from the registry and the
  /// rulebooks is escaped (`TerminalText`).
  public static func text(_ c: RegulationCoverage) -> String {
    func shown(_ s: String) -> String { TerminalText.escaped(s) }
    let clauses = c.clauses
    let registries: [String] = c.registries.map(shown)
    var out = "Regulation coverage: registry " + registries.joined(separator: ", ") + ", "
    out += count(c.rulebooks.count, "rulebook") + ", " + count(c.testsRun, "test case")
    out += c.testsFailed > 0 ? " (\(c.testsFailed) failed)\n" : "\n"
    let encoded = clauses.filter(\.isEncoded).count
    let exercised = clauses.filter(\.isExercised).count
    out += count(c.instruments.count, "instrument") + ", " + count(clauses.count, "clause") + ": "
    out += "\(encoded) encoded by rules, \(exercised) exercised by tests, \(c.unencoded.count) encoded by no rule\n"
    for instrument in c.instruments {
      let r = instrument.regulation
      out += "\n" + shown(r.id.value) + "  " + shown(r.title) + "\n"
      var meta: [String] = [r.issuer]
      if let d = r.date { meta.append(d) }
      meta.append(r.file.path)
      if let u = r.url { meta.append(u) }
      out += "  " + meta.map(shown).joined(separator: " · ") + "\n"
      for clause in instrument.clauses {
        let status: String = clause.clause.status.rawValue
        out += "  #" + shown(clause.clause.id) + "  [" + status + "]  " + shown(clause.clause.description) + "\n"
        if clause.rules.isEmpty { out += "      encoded by no rule\n" }
        for rule in clause.rules {
          let place: String = shown(rule.source.description)
          out += "      " + shown(rule.rulebook) + " " + shown(rule.rule) + "  (" + place + ")  " + seen(rule) + "\n"
          // Every case that did not simply pass is named; of those that did, the first, then a count.
          let clean = rule.tests.filter { $0.status == .passed && $0.casePassed }.count
          var firstClean = true
          for t in rule.tests {
            let isClean = t.status == .passed && t.casePassed
            if isClean && !firstClean { continue }
            let status: String = t.status.rawValue
            let gap = String(repeating: " ", count: max(1, 10 - status.count))
            out += "        " + status + gap + shown(t.test) + " (line \(t.line))"
            if !t.casePassed { out += "  ✗ the case fails" }
            if isClean {
              if clean > 1 { out += " and \(clean - 1) more" }
              firstClean = false
            }
            out += "\n"
          }
        }
      }
    }
    let unencoded = c.unencoded
    out += "\nEncoded by no rule (\(unencoded.count))\n"
    for clause in unencoded {
      let status: String = clause.clause.status.rawValue
      out += "  " + shown(clause.clause.fullID) + "  [" + status + "]\n"
    }
    if unencoded.isEmpty { out += "  every clause is encoded by some rule\n" }
    return out
  }

  /// "1 rulebook", "3 rulebooks".
  static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

  /// What the tests saw of a rule, in words.
  static func seen(_ rule: RegulationCoverage.EncodingRule) -> String {
    let n = rule.tests.count
    let cases = "\(n) test case\(n == 1 ? "" : "s")"
    let passed = rule.tests.filter { $0.status == .passed }.count
    let failed = rule.tests.filter { $0.status == .violated || $0.status == .waived }.count
    switch rule.seen {
    case "both": return "passed in \(passed), violated in \(failed) of \(cases)"
    case "passed": return "passed in \(passed) of \(cases), never violated"
    case "violated": return "violated in \(failed) of \(cases), never passed"
    case "unknown": return "only unknown, in \(cases)"
    default: return "exercised by no test case"
    }
  }

  /// `{"registries", "rulebooks", "summary", "instruments": [{…, "clauses": [{…, "rules": [{…, "tests"}]}]}], "unencoded"}`.
  public static func json(_ c: RegulationCoverage) -> JSON {
    let clauses = c.clauses
    return .object([
      ("registries", .array(c.registries.map(JSON.string))),
      ("rulebooks", .array(c.rulebooks.map(JSON.string))),
      ("summary", .object([
        ("instruments", .int(c.instruments.count)), ("clauses", .int(clauses.count)),
        ("encoded", .int(clauses.filter(\.isEncoded).count)), ("exercised", .int(clauses.filter(\.isExercised).count)),
        ("unencoded", .int(c.unencoded.count)), ("test_cases", .int(c.testsRun)), ("test_cases_failed", .int(c.testsFailed)),
      ])),
      ("instruments", .array(c.instruments.map(instrument))),
      ("unencoded", .array(c.unencoded.map { .string($0.clause.fullID) })),
    ])
  }

  static func instrument(_ i: RegulationCoverage.InstrumentCoverage) -> JSON {
    let r = i.regulation
    var fields: [(String, JSON)] = [("id", .string(r.id.value)), ("title", .string(r.title)), ("issuer", .string(r.issuer))]
    if let date = r.date { fields.append(("date", .string(date))) }
    if let url = r.url { fields.append(("url", .string(url))) }
    fields.append(("file", .string(r.file.path)))
    fields.append(("clauses", .array(i.clauses.map(clause))))
    return .object(fields)
  }

  static func clause(_ c: RegulationCoverage.ClauseCoverage) -> JSON {
    var fields: [(String, JSON)] = [("id", .string(c.clause.fullID)), ("clause", .string(c.clause.id)), ("status", .string(c.clause.status.rawValue))]
    if let s = c.clause.summary { fields.append(("summary", .string(s))) }
    if let t = c.clause.text { fields.append(("text", .string(t))) }
    if let u = c.clause.url { fields.append(("url", .string(u))) }
    fields.append(("rules", .array(c.rules.map { rule in
      var f: [(String, JSON)] = [("rulebook", .string(rule.rulebook)), ("rule", .string(rule.rule))]
      if let t = rule.title { f.append(("title", .string(t))) }
      f += [
        ("severity", .string(rule.severity.rawValue)), ("source", .string(rule.source.description)), ("seen", .string(rule.seen)),
        ("tests", .array(rule.tests.map { t in
          .object([("name", .string(t.test)), ("file", .string(t.file)), ("line", .int(t.line)), ("status", .string(t.status.rawValue)), ("case_passed", .bool(t.casePassed))])
        })),
      ]
      return .object(f)
    })))
    return .object(fields)
  }
}
