import Testing
@testable import Precept

@Suite struct ParserTests {
  static let shapes: [(String, String)] = [
    ("dti <= 50%", "(<= dti 50%)"),
    ("a + b * c", "(+ a (* b c))"),
    ("a - b - c", "(- (- a b) c)"),
    ("not a and b or c", "(or (and (not a) b) c)"),
    ("not a == b", "(not (== a b))"),
    ("applicant.bonus ?? 0 CNY + 1 CNY", "(?? (member applicant bonus) (+ 0 CNY 1 CNY))"),
    ("a ?? b ?? c", "(?? a (?? b c))"),
    ("x between 45_000 CNY and 49_999.99 CNY and y", "(and (between x 45_000 CNY 49_999.99 CNY) y)"),
    ("x not between 1 and 2", "(not between x 1 2)"),
    ("kind not in [consumer_loan, credit_card]", "(not in kind [consumer_loan credit_card])"),
    ("copy contains any cn.prohibited_claims", "(contains any copy (member cn prohibited_claims))"),
    ("copy starts with \"保本\"", "(starts with copy \"保本\")"),
    ("applicant.bonus is missing or applicant.bonus is not missing", "(or (is missing (member applicant bonus)) (is present (member applicant bonus)))"),
    ("if a then 1 else 2", "(if a 1 2)"),
    ("product.fees where .charged == upfront", "(where (member product fees) (== .charged upfront))"),
    ("sum((product.fees where .charged == upfront).amount)", "(call sum (member (where (member product fees) (== .charged upfront)) amount))"),
    ("any w in window(cash_tx, 24h, by: .at): count(w where .amount between 45_000 CNY and 49_999.99 CNY) >= 3",
     "(any w (call window cash_tx 24h by: .at) (>= (call count (where w (between .amount 45_000 CNY 49_999.99 CNY))) 3))"),
    ("product.fees[0].amount", "(member (index (member product fees) 0) amount)"),
    ("-a.b * 2", "(* (- (member a b)) 2)"),
    ("date + 1y6mo", "(+ date 1y6mo)"),
    ("t >= 2026-01-01T09:30:00+08:00", "(>= t 2026-01-01T09:30:00+08:00)"),
    ("d - 2026-01-01", "(- d 2026-01-01)"),
    ("near(copy, \"保证\", \"收益\", within: 10)", "(call near copy \"保证\" \"收益\" within: 10)"),
    ("a % b", "(% a b)"),
    ("product.any", "(member product any)"),
  ]

  @Test(arguments: shapes)
  func parsesWithPrecedence(_ text: String, _ expected: String) {
    let (e, d) = Parser.parse(ExprSource(text))
    #expect(d.isEmpty, "\(d.map(\.message))")
    #expect(e.shape == expected)
    // Printing and reparsing keeps the meaning.
    let (again, d2) = Parser.parse(ExprSource(e.source))
    #expect(d2.isEmpty)
    #expect(again.shape == expected, "printed as \(e.source)")
  }

  static let errors: [(String, DiagnosticCode, Int, String)] = [
    ("dti <=", .expectedExpression, 7, "expected an expression after `<=`, found the end of the expression"),
    ("a < b < c", .unexpectedToken, 7, "comparisons cannot be chained"),
    ("(a + b", .unclosedDelimiter, 7, "expected `)` to close the `(`, found the end of the expression"),
    ("a b", .unexpectedToken, 3, "unexpected name `b` after a complete expression"),
    ("a = b", .unexpectedCharacter, 3, "unexpected character `=` in an expression"),
    ("\"保本", .unterminatedString, 1, "text starting here is never closed"),
    ("a （ b", .unexpectedCharacter, 3, "unexpected character `（` in an expression"),
    ("12 kg", .unexpectedToken, 4, "unexpected name `kg` after a complete expression"),
    ("5x", .invalidLiteral, 2, "unknown unit `x` after a number"),
    ("any x xs: y", .unexpectedToken, 7, "expected `in` after `any x`, found name `xs`"),
  ]

  @Test(arguments: errors)
  func reportsErrorsAtTheirPlace(_ text: String, _ code: DiagnosticCode, _ column: Int, _ message: String) {
    let (_, d) = Parser.parse(ExprSource(text))
    #expect(d.count >= 1)
    #expect(d.first?.code == code)
    #expect(d.first?.span.start.column == column)
    #expect(d.first?.message == message)
  }

  @Test func recoversInsideArgumentLists() {
    let (_, d) = Parser.parse(ExprSource("f(a +, b, c *)"))
    #expect(d.map(\.span.start.column) == [6, 14])
  }

  @Test func longRunsOfBadCharactersDoNotExhaustTheStack() {
    // Regression: the lexer called itself once per unexpected character and overflowed the stack
    // on a pasted paragraph (10,000 characters were enough).
    let (e, d) = Parser.parse(ExprSource(String(repeating: "中", count: 20_000)))
    #expect(d.count == 1)  // one unquoted run is one mistake
    #expect(d.allSatisfy { $0.code == .unexpectedCharacter })
    #expect(e.containsError)
  }

  @Test func longOperatorChainsAreTooDeepNotACrash() {
    // Regression: `a + a + … + a` is a left-leaning tree as deep as the chain is long; 100,000 terms
    // overflowed the stack in every pass that walks the tree. A chain now counts like nesting.
    let (e, d) = Parser.parse(ExprSource(String(repeating: "a + ", count: 20_000) + "a"))
    #expect(d.map(\.code) == [.expressionTooDeep])
    #expect(e.containsError)
    let (members, d2) = Parser.parse(ExprSource("a" + String(repeating: ".b", count: 20_000)))
    #expect(d2.map(\.code) == [.expressionTooDeep])
    #expect(members.containsError)
  }

  @Test func chainsWithinTheLimitStillParse() {
    let text = (1...90).map { "x == \($0)" }.joined(separator: " or ")
    let (e, d) = Parser.parse(ExprSource(text))
    #expect(d.isEmpty)
    #expect(e.shape.hasPrefix("(or (or (or"))
  }

  @Test func startsWithoutWithLeavesAnErrorNode() {
    // Regression: the missing `with` was reported but the tree came back without an error node,
    // breaking the promise that a reported problem is marked in the tree.
    let (e, d) = Parser.parse(ExprSource("copy starts \"保本\""))
    #expect(d.map(\.message) == ["expected `with` after `starts`"])
    #expect(d.first?.span.start.column == 13)
    #expect(e.containsError)
  }

  static let printed: [(String, String)] = [
    // Regression: `if` and quantifiers were bracketed even where nothing follows them.
    ("if a then 1 else 2", "if a then 1 else 2"),
    ("((any x in xs: x.ok))", "any x in xs: x.ok"),
    ("f(if a then 1 else 2, all x in xs: x)", "f(if a then 1 else 2, all x in xs: x)"),
    ("[if a then 1 else 2, none x in xs: x]", "[if a then 1 else 2, none x in xs: x]"),
    ("if (if a then b else c) then (any x in xs: x) else (none y in ys: y)", "if if a then b else c then any x in xs: x else none y in ys: y"),
    // …but still where something follows.
    ("(if a then b else c) where d", "(if a then b else c) where d"),
    ("(any x in xs: x) where d", "(any x in xs: x) where d"),
    ("(if a then 1 else 2) + 3", "(if a then 1 else 2) + 3"),
    ("a and (any x in xs: x) and b", "a and (any x in xs: x) and b"),
    ("any x in (xs where .ok): x", "any x in (xs where .ok): x"),
    ("a * not b == c", "a * (not b == c)"),
    ("--a", "- -a"),
  ]

  @Test(arguments: printed)
  func printsOnlyTheParenthesesTheMeaningNeeds(_ text: String, _ expected: String) {
    let (e, d) = Parser.parse(ExprSource(text))
    #expect(d.isEmpty)
    #expect(e.source == expected)
    let (again, _) = Parser.parse(ExprSource(e.source))
    #expect(again.shape == e.shape)
  }

  @Test func deepNestingIsAnErrorNotACrash() {
    let text = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
    let (_, d) = Parser.parse(ExprSource(text))
    #expect(d.map(\.code) == [.expressionTooDeep])
  }
}
