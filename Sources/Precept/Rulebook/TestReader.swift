extension NodeReader {
  /// Rule statuses a test may list under `expect:`.
  static let statuses = ["passed", "violated", "unknown", "not_applicable", "overridden"]
  /// Outcomes a test may expect, least severe first.
  static let outcomes = ["pass", "info", "warning", "review", "block"]

  mutating func tests(_ node: YAMLNode) -> [RulebookTest] {
    guard
      let items = sequence(
        node, "`tests`", help: ["write each test as a list item: `- name: …` on a line of its own, then `facts:` and `expect:` under it"])
    else { return [] }
    var out: [RulebookTest] = []
    var names: [String: Span] = [:]
    for item in items {
      guard let m = mapping(item, of: "a test", allowed: ["name", "facts", "file", "as_of", "stage", "expect"], required: ["name", "expect"]),
        let name = m["name"].flatMap({ text($0.value, "the test's name") })
      else { continue }
      if let first = names[name.value] {
        report(.testCase, name.span, "two tests are named `\(name.value)`", notes: [.init("first used here", at: first)])
      }
      names[name.value] = name.span
      let facts: RulebookTest.Facts
      switch (m["facts"], m["file"]) {
      case (let f?, nil):
        guard case .mapping = f.value.kind else {
          report(.testCase, f.value.span, "the test's `facts` must be a mapping of fact names to values, found \(f.value.kindDescription)")
          continue
        }
        facts = .inline(f.value)
      case (nil, let f?):
        guard let path = text(f.value, "the test's `file`") else { continue }
        facts = .file(path)
      case (let a?, let b?):
        report(.testCase, b.key.span, "a test takes its facts from `facts` or from `file`, not both", notes: [.init("`facts` is here", at: a.key.span)])
        continue
      case (nil, nil):
        report(.testCase, name.span, "test `\(name.value)` has no facts", help: ["add `facts: { … }` or `file: path/to/facts.yaml`"])
        continue
      }
      var test = RulebookTest(
        name: name, facts: facts,
        asOf: m["as_of"].flatMap { text($0.value, "the test's `as_of`") },
        stage: m["stage"].flatMap { word($0.value, "stage", as: Stage.self) },
        expectedOutcome: nil, expectedStatuses: [], span: item.span)
      if let e = m["expect"], let em = mapping(e.value, of: "`expect`", allowed: ["outcome"] + NodeReader.statuses) {
        if e.value.isNull || em.isEmpty {
          report(.testCase, e.value.span, "`expect` says nothing", help: ["write e.g. `expect: { outcome: pass, violated: [] }`"])
        }
        if let o = em["outcome"], let s = text(o.value, "the expected outcome") {
          if NodeReader.outcomes.contains(s.value) {
            test.expectedOutcome = s
          } else {
            report(
              .invalidValue, s.span, "`\(s.value)` is not an outcome",
              help: Suggestion.help(for: s.value, among: NodeReader.outcomes) + ["outcomes are " + NodeReader.outcomes.joined(separator: ", ")])
          }
        }
        for status in NodeReader.statuses {
          guard let p = em[status], let ids = sequence(p.value, "`\(status)`", allowSingle: true) else { continue }
          test.expectedStatuses.append((status, ids.compactMap { text($0, "a rule id") }))
        }
      }
      out.append(test)
    }
    return out
  }
}
