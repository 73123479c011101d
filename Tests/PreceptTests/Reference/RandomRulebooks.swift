import PreceptTestSupport
import Foundation

@testable import Precept

/// A seeded generator of random well-typed rulebooks and random facts for them, for the
/// differential tests (`DifferentialTests`). Every rulebook has the same schema (a record `a`
/// with every kind of value, optional fields, a list of transactions and a cash-flow schedule);
/// definitions, tables (every hit policy, several outputs, `anyOf`/`not` cells) and rules
/// (`when`, `require`/`forbid`/`flag`, placeholders, stages, effective dates, overrides) are drawn
/// at random. Numbers, amounts, dates and instants come from small pools shared by the rulebook
/// and the facts, so facts often sit exactly on a rule's threshold.
struct RandomRulebooks {
  var rng: SplitMix64

  init(seed: UInt64) { rng = SplitMix64(state: seed) }

  /// Which aggregate a `collect` table of ints gets next.
  var aggregateTurn = 0

  mutating func int(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
  mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
  mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }

  static let schema = """
    schema:
      a:
        n: int
        m: int?
        d: decimal?
        p: percent?
        amt: money?
        lim: money
        born: date?
        due: date?
        at: datetime?
        span: duration?
        name: text?
        copy: text?
        kind: enum(K1, K2, K3)?
        ok: bool?
        flag: bool
        tags: list(text)
        nums: list(int)
        tx: "list(record(amount: money?, at: datetime?, channel: enum(cash, card, wire), n: int?, note: text?))"
        sched: "list(record(date: date, amount: money))"
        home: "record(city: text?, zip: int?)?"
    lists:
      claims: [保本, 保收益, 零风险, 稳赚不赔, guaranteed return, guarantee]
      names: [Boris Badenov, Natasha Fatale, 王敏]
      lead: [保证, guarantee, 确保]
      gain: [收益, return, 回报]
    """

  static let ints = ["-1", "0", "1", "2", "3", "5", "10", "18", "60"]
  static let amounts = ["0 CNY", "100 CNY", "45_000 CNY", "49_999.99 CNY", "50_000 CNY"]

  // MARK: Expressions by type

  mutating func intExpr(_ depth: Int) -> String {
    if depth <= 0 || chance(35) {
      return pick(["a.n", "a.m", "(a.m ?? 0)", pick(Self.ints), "count(a.tx)", "sum(a.nums)", "a.nums[0]", "a.tx[1].n", "length(a.name)", "age(a.born)"])
    }
    let d = depth - 1
    switch int(16) {
    case 0: return "\(intExpr(d)) + \(intExpr(d))"
    case 1: return "\(intExpr(d)) - \(intExpr(d))"
    case 2: return "\(intExpr(d)) * \(pick(Self.ints))"
    case 3: return "\(intExpr(d)) % \(pick(["3", "2", "a.m"]))"
    case 4: return "-(\(intExpr(d)))"
    case 5: return "sum(a.tx.n)"
    case 6: return pick(["min(a.nums)", "max(a.nums)", "max(a.n, a.m)", "min(a.n, 3)"])
    case 7: return "abs(\(intExpr(d)))"
    case 8: return "days_between(a.born, \(pick(["today", "a.due", "2026-11-23"])))"
    case 9: return "count(a.tx where \(itemCondition(d)))"
    case 10: return "count(distinct(a.tags))"
    case 11: return "(if \(boolExpr(d)) then \(intExpr(d)) else \(intExpr(d)))"
    case 12: return inDefinition ? "a.n" : "level"
    case 13: return tableInt ?? "a.n"
    case 14: return "(\(intExpr(d)) ?? \(pick(Self.ints)))"
    default: return "count(a.tags)"
    }
  }

  mutating func decimalExpr(_ depth: Int) -> String {
    switch int(8) {
    case 0: return "a.d"
    case 1: return "\(intExpr(depth - 1)) / \(pick(["a.m", "2", "a.n", "0.5"]))"
    case 2: return "round(a.d, \(pick(["0", "1"])))"
    case 3: return "avg(a.nums)"
    case 4: return inDefinition ? "a.d" : "ratio"
    case 5: return "similarity(a.name, \"Boris Badenov\")"
    case 6: return "(best_match(a.name, names).score ?? 0)"
    default: return "(a.d ?? 1.25)"
    }
  }

  mutating func moneyExpr(_ depth: Int) -> String {
    if depth <= 0 || chance(35) { return pick(["a.amt", "a.lim", pick(Self.amounts), "(a.amt ?? 0 CNY)", "a.tx[0].amount"]) }
    let d = depth - 1
    switch int(13) {
    case 0: return "\(moneyExpr(d)) + \(moneyExpr(d))"
    case 1: return "\(moneyExpr(d)) - \(moneyExpr(d))"
    case 2: return "\(moneyExpr(d)) * \(pick(["2", "a.p", "0.5", "a.n"]))"
    case 3: return "\(moneyExpr(d)) / \(pick(["2", "a.m"]))"
    case 4: return "sum(a.tx.amount)"
    case 5: return pick(["max(a.tx.amount)", "min(a.tx.amount)", "avg(a.tx.amount)", "max(a.amt, a.lim)"])
    case 6: return "abs(\(moneyExpr(d)))"
    case 7: return "round(\(moneyExpr(d)), 0)"
    case 8: return inDefinition ? "a.lim" : "total"
    case 9: return "-(\(moneyExpr(d)))"
    case 10: return "sum((a.tx where \(itemCondition(d))).amount)"
    case 11: return "pmt(1%, \(pick(["12", "a.n"])), a.lim)"
    default: return tableMoney ?? "a.lim"
    }
  }

  /// A condition on `.`-items of `a.tx`.
  mutating func itemCondition(_ depth: Int) -> String {
    let leaf = pick([
      ".channel == cash", ".channel != wire", ".channel in [cash, card]", ".amount >= \(pick(Self.amounts))",
      ".amount between 45_000 CNY and 49_999.99 CNY", ".n > \(pick(Self.ints))", ".n is missing", ".note contains any claims",
      ".at is present", ".amount > a.lim", ".note == \"ABC-123\"", ".amount != 100 CNY", "\(pick(Self.ints)) <= .n",
    ])
    if depth > 0, chance(30) { return "\(leaf) \(pick(["and", "or"])) \(itemCondition(depth - 1))" }
    return leaf
  }

  /// A condition on a named item `t` of `a.tx`.
  mutating func namedItemCondition() -> String {
    pick([
      "t.amount >= \(pick(Self.amounts))", "t.n is present", "t.channel == cash", "t.n > a.n", "t.note matches \"^[A-Z]+-[0-9]+$\"",
      "t.at < \(pick(Self.instants))", "t.amount == a.amt", "any u in a.tx: u.n == t.n", "\(pick(Self.ints)) > t.n",
    ])
  }

  static let instants = ["2026-11-21T00:00:00+08:00", "2026-11-20T12:00:00Z", "2026-11-22T00:00:00Z"]

  mutating func boolExpr(_ depth: Int) -> String {
    if depth <= 0 || chance(40) { return boolLeaf(depth) }
    let d = depth - 1
    switch int(6) {
    case 0, 1: return "(\(boolExpr(d)) and \(boolExpr(d)))"
    case 2, 3: return "(\(boolExpr(d)) or \(boolExpr(d)))"
    case 4: return "not (\(boolExpr(d)))"
    default: return "(if \(boolExpr(d)) then \(boolExpr(d)) else \(boolExpr(d)))"
    }
  }

  mutating func boolLeaf(_ depth: Int) -> String {
    let cmp = pick(["<", "<=", "==", "!=", ">", ">="])
    let d = max(depth - 1, 0)
    switch int(41) {
    case 0: return "a.ok"
    case 1: return "a.flag"
    case 2, 3, 4: return "\(intExpr(d)) \(cmp) \(intExpr(d))"
    case 5: return "\(decimalExpr(d)) \(cmp) \(pick(["1.25", "0.5", "0", "a.d"]))"
    case 6: return "a.p \(cmp) \(pick(["24%", "18%", "0%"]))"
    case 7, 8: return "\(moneyExpr(d)) \(cmp) \(moneyExpr(d))"
    case 9: return "a.born \(cmp) \(pick(["2000-01-01", "today - 18y", "a.due"]))"
    case 10: return "a.due + \(pick(["30d", "1mo", "0d"])) \(cmp) today"
    case 11: return "a.at \(cmp) \(pick(Self.instants))"
    case 12: return "a.span \(cmp) \(pick(["24h", "30d", "1mo"]))"
    case 13: return "a.kind \(pick(["==", "!=", "<", ">="])) \(pick(["K1", "K2", "K3"]))"
    case 14: return "a.kind \(pick(["in", "not in"])) [\(pick(["K1", "K2"])), K3]"
    case 15: return "\(pick(["a.name", "a.copy", "a.m", "a.amt", "a.kind", "a.ok"])) \(pick(["is missing", "is present"]))"
    case 16: return "\(pick(["a.copy", "a.name", "lower(a.copy)", "a.tx[0].note"])) contains any claims"
    case 17:
      if chance(30) { return "a.copy contains \(pick(["\"保本\"", "a.name", "\"ｇｕａｒａｎｔｅｅ\""]))" }
      return "a.copy \(pick(["contains any", "contains all"])) \(pick(["[\"保\", \"本\"]", "[\"guaranteed\", \"return\"]", "a.tags", "[a.name, \"ＶＩＰ\"]"]))"
    case 18: return "a.copy matches \"\(pick(["^[A-Z]+-[0-9]+$", "保.*本", "(?i)guarantee", "^$"]))\""
    case 19: return "\(pick(["a.name", "upper(a.name)", "a.copy"])) starts with \"\(pick(["Bor", "BOR", "保", ""]))\""
    case 20: return "\(intExpr(d)) \(pick(["between", "not between"])) \(pick(["0", "1", "a.m"])) and \(pick(["5", "10", "a.n"]))"
    case 21:
      if chance(40) { return "a.tags contains \(pick(["\"vip\"", "a.name", "\"ｖｉｐ\""]))" }
      return "a.tags \(pick(["contains any", "contains all"])) \(pick(["[\"vip\", \"new\"]", "a.tags", "[\"VIP\"]"]))"
    case 22: return "\(intExpr(d)) \(pick(["in", "not in"])) \(pick(["[1, 2, 3]", "a.nums", "[a.m, 5]"]))"
    case 23: return "near(a.copy, \(pick(["lead", "\"保证\""])), \(pick(["gain", "\"收益\""])), within: \(pick(["3", "10", "a.n"])))"
    case 24: return "similarity(a.name, \"Boris Badenov\") >= 0.85"
    case 25:
      if chance(30) { return pick(["any t in a.tx: t_item(t) >= 2", "all t in a.tx: (t_item(t) ?? 9) > 0", "t_item(a.tx[0]) == 1"]) }
      return "\(pick(["any", "all", "none"])) t in a.tx: \(namedItemCondition())"
    case 26: return "any w in window(a.tx, \(pick(["24h", "1h", "a.span"])), by: .at): \(pick(["count(w) >= 3", "count(w) >= 2", "sum(w.amount) >= 50_000 CNY", "count(w where .n > 1) >= 2"]))"
    case 27: return "\(pick(["any", "all"])) g in per_day(a.tx, by: .at): \(pick(["sum(g.amount) >= 50_000 CNY", "count(g) >= 2", "any t in g: t.n > 3 and count(g) >= 2"]))"
    case 28: return "count(a.tx where \(itemCondition(d))) >= \(pick(["1", "2", "3"]))"
    case 29: return "(a.ok ?? \(pick(["false", "true"])))"
    case 30: return inDefinition ? "a.flag" : "big"
    case 31: return tableBool ?? "a.flag"
    case 32: return "\(pick(["apr", "effective_rate", "irr"]))(a.sched) \(cmp) \(pick(["24%", "36%", "0%"]))"
    case 33: return "(a.at + \(pick(["24h", "1h"]))) \(cmp) \(pick(Self.instants))"
    case 34: return "a.name \(pick(["==", "!="])) \(pick(["\"王敏\"", "\"Boris Badenov\"", "a.copy"]))"
    case 35: return "(a.amt ?? 0 CNY) \(cmp) sum(a.tx.amount)"
    case 36: return chance(50) ? "count(cash) >= \(pick(["1", "2"]))" : "\(tableInt ?? "a.n") >= \(pick(["1", "2", "3"]))"
    case 37: return "a.nums contains \(pick(Self.ints))"
    case 38: return "(a.copy ?? \"\") + \"x\" == \"x\""
    case 39:
      return pick([
        "a.name \(pick(["in", "not in"])) [\"王敏\", \"Boris Badenov\"]", "a.home.city == \"上海\"", "a.home.zip > \(pick(Self.ints))",
        "a.home.city is missing", "a is present", "a.home is present",
      ])
    default: return "(\(moneyExpr(d)) \(pick(["==", "<"])) \(moneyExpr(d)) or a.flag)"
    }
  }

  // MARK: Tables

  /// While writing definitions: no expression may name one (a definition may not read itself).
  var inDefinition = false
  var tableInt: String?
  var tableMoney: String?
  var tableBool: String?
  var recordFee = "a.lim"

  /// A cell over `a.n`, with what it matches (for building tables whose every row can be chosen).
  mutating func intCell() -> (text: String, test: (Int) -> Bool) {
    let v = Int(pick(Self.ints)) ?? 0
    let w = Int(pick(Self.ints)) ?? 0
    switch int(8) {
    case 0: return ("\(v)", { $0 == v })
    case 1:
      let op = pick(["<", "<=", ">", ">=", "!="])
      let test: (Int) -> Bool =
        switch op {
        case "<": { $0 < v }
        case "<=": { $0 <= v }
        case ">": { $0 > v }
        case ">=": { $0 >= v }
        default: { $0 != v }
        }
      return ("\"\(op) \(v)\"", test)
    case 2:
      let lo = pick([0, 1])
      let hi = pick([3, 5])
      return ("\"[\(lo)..\(hi)]\"", { $0 >= lo && $0 <= hi })
    case 3:
      let hi = pick([5, 10])
      return ("\"(0..\(hi)]\"", { $0 > 0 && $0 <= hi })
    case 4: return ("\"\(v), \(w)\"", { $0 == v || $0 == w })
    case 5: return ("\"not(\(v))\"", { $0 != v })
    case 6:
      let hi = pick([5, 18])
      return ("\"< 0, >= \(hi)\"", { $0 < 0 || $0 >= hi })
    default: return ("\"not([1..3], 10)\"", { !(($0 >= 1 && $0 <= 3) || $0 == 10) })
    }
  }

  mutating func kindCell() -> String {
    pick(["\"-\"", "K1", "K2", "\"K1, K2\"", "\"not(K3)\"", "\"!= K2\"", "\"<= K2\""])
  }

  mutating func moneyCell() -> String {
    pick(["\"-\"", "\">= 50_000 CNY\"", "\"[0 CNY..100 CNY]\"", "\"< 45_000 CNY\"", "\"(100 CNY..50_000 CNY)\""])
  }

  /// A table over `a.n` (and `a.kind` or `a.amt`); its use in rules is recorded in `table*`.
  mutating func table(_ name: String, output: String, outputs: [String], hit: HitPolicy) -> String {
    let second = chance(50) ? "a.kind" : "a.amt"
    var text = "  \(name):\n    hit: \(hit.rawValue)\n    inputs: [a.n, \(second)]\n"
    if output == "int", hit == .collect, chance(80) {
      // In turn, so every aggregate is drawn whatever the seed.
      aggregateTurn += 1
      text += "    aggregate: \(["sum", "count", "min", "max"][aggregateTurn % 4])\n"
    }
    let several = output == "record"
    if several { text += "    outputs: {level: int, fee: money}\n" } else { text += "    type: \(output)\n" }
    func result(_ g: inout RandomRulebooks) -> String {
      switch output {
      case "int": return g.pick(["1", "2", "3", "a.n", "(a.m ?? 0)"])
      case "money": return g.pick(["100 CNY", "50_000 CNY", "a.lim", "a.amt"])
      case "bool": return g.pick(["true", "false", "a.ok", "a.flag"])
      default: return "\(g.pick(["1", "2", "3"])), \(g.pick(["100 CNY", "a.lim", "a.amt"]))"
      }
    }
    if hit == .priority || hit == .outputOrder {
      text += "    priority: \(output == "bool" ? "[true, false]" : output == "money" ? "[50_000 CNY, 100 CNY]" : "[3, 2, 1]")\n"
    }
    text += "    rows:\n"
    let exclusive = hit == .unique || hit == .any
    // Every row can be chosen (lint refuses rows that never can): each matches a value of `a.n`
    // that no earlier row does. Under `unique` and `any` rows may not overlap at all (with
    // different results), so they partition `a.n`.
    var earlier: [(Int) -> Bool] = []
    let domain = Array(-5...70)
    if exclusive {
      for first in ["\"< 0\"", "\"[0..3]\"", "\"(3..10]\"", "\"> 10\""] where chance(80) {
        let cell2 = second == "a.kind" ? kindCell() : moneyCell()
        text += "      - [\(first), \(cell2), \(result(&self))]\n"
      }
    } else {
      for _ in 0..<(2 + int(4)) {
        var cell = intCell()
        for _ in 0..<6 where !domain.contains(where: { v in cell.test(v) && !earlier.contains { $0(v) } }) { cell = intCell() }
        guard let fresh = domain.first(where: { v in !earlier.contains { $0(v) } }) else { break }
        if !domain.contains(where: { v in cell.test(v) && !earlier.contains { $0(v) } }) { cell = ("\(fresh)", { $0 == fresh }) }
        earlier.append(cell.test)
        let cell2 = second == "a.kind" ? kindCell() : moneyCell()
        text += "      - [\(cell.text), \(cell2), \(result(&self))]\n"
      }
    }
    let uncovered = domain.contains { v in !earlier.contains { $0(v) } }
    let aggregated = text.contains("aggregate: sum") || text.contains("aggregate: min") || text.contains("aggregate: max")
    let defaultAllowed = hit.isSingle || aggregated
    // A single-result table must cover every input (lint reports gaps): a default, or a last row of `-`.
    if hit.isSingle, !exclusive, uncovered, chance(40) {
      text += "      - [\"-\", \"-\", \(result(&self))]\n"
    } else if defaultAllowed, exclusive || hit.isSingle || chance(60) {
      text += several ? "    default: {level: 0, fee: 0 CNY}\n" : "    default: \(output == "int" ? "0" : output == "money" ? "0 CNY" : "false")\n"
    }
    return text
  }

  // MARK: Rulebooks

  /// A random rulebook's YAML.
  mutating func rulebook(_ k: Int) -> String {
    var text = "precept: 1\nrulebook: t.random-\(k)\n"
    if chance(5) { text += "effective: \(pick(["2026-01-01", "2026-11-23", "2026-11-24"]))\n" }
    if chance(40) { text += "timezone: \"+08:00\"\n" }
    text += Self.schema + "\n"
    // Tables first, so rules and definitions can read them.
    tableInt = nil
    tableMoney = nil
    tableBool = nil
    var tables = ""
    let hits = HitPolicy.allCases
    let intHit = pick(hits + [.collect, .collect, .collect, .priority])
    tables += table("t_num", output: "int", outputs: [], hit: intHit)
    let aggregated = tables.contains("aggregate:")
    tableInt = intHit.isSingle || (intHit == .collect && aggregated) ? "(t_num ?? 0)" : "count(t_num)"
    if tables.contains("aggregate: count") { tableInt = "t_num" }
    let moneyHit = pick(hits)
    tables += table("t_money", output: "money", outputs: [], hit: moneyHit)
    tableMoney = moneyHit.isSingle ? "(t_money ?? 0 CNY)" : "sum(t_money)"
    let boolHit = pick([HitPolicy.first, .unique, .any, .priority])
    tables += table("t_bool", output: "bool", outputs: [], hit: boolHit)
    tableBool = "(t_bool ?? false)"
    let recordHit = pick(hits)
    tables += table("t_rec", output: "record", outputs: ["level", "fee"], hit: recordHit)
    // A table applied to each transaction (`for:`), called inside and outside loops.
    tables += "  t_item:\n    for: a.tx\n    hit: first\n    inputs: [.channel, .n]\n    rows:\n"
      + "      - [cash, \"> \(pick(Self.ints))\", 1]\n      - [\"card, wire\", \"-\", 2]\n      - [\"not(card)\", \"<= 0\", 3]\n"
      + (chance(60) ? "    default: 0\n" : "")
    let level = recordHit.isSingle ? "(t_rec.level ?? 0)" : "count(t_rec)"
    recordFee = recordHit.isSingle ? "t_rec.fee ?? 0 CNY" : "t_rec.fee"
    text += "definitions:\n"
    text += "  cash: a.tx where .channel == cash\n"
    text += "  total: sum(a.tx.amount)\n"
    text += "  ratio: \(pick(["a.amt / a.lim", "a.n / a.m", "(a.amt ?? 0 CNY) / a.lim"]))\n"
    inDefinition = true
    text += "  big: '\(quoted(boolLeaf(1)))'\n"
    inDefinition = false
    text += "  level: '\(level)'\n"
    text += "tables:\n" + tables
    text += "rules:\n"
    let count = 3 + int(6)
    for r in 0..<count {
      let verb = pick(["require", "forbid", "flag"])
      text += "  - id: R\(r)\n"
      if verb != "flag" || chance(50) { text += "    severity: \(pick(["info", "warning", "review", "block"]))\n" }
      text += "    cite: \"illustrative: random\"\n"
      if chance(20) { text += "    stage: [\(pick(["design", "approval", "launch"])), operation]\n" }
      if chance(10) { text += "    effective: { \(pick(["from: 2026-11-23", "until: 2026-11-22", "from: 2027-01-01", "until: 2026-11-23"])) }\n" }
      if chance(40) { text += "    when: '\(quoted(boolExpr(2)))'\n" }
      text += "    \(verb): '\(quoted(boolExpr(3)))'\n"
      if chance(70) {
        let placeholder = pick([
          "a.n", "ratio", "total", "level", "a.amt + a.lim", "sum(a.tx.amount)", "a.copy", "a.kind", "a.p", "a.n / a.m",
          recordFee, "count(cash)", "a.n % \(pick(["3", "a.m"]))", "days_between(a.due, today)", "distinct(a.tags)", "a.at", "a.span", "\(intExpr(1))", "\(moneyExpr(1))",
        ])
        text += "    message: '超过 {\(quoted(placeholder))} ｜ over {a.n}'\n"
      } else if chance(50) {
        text += "    title: Rule \(r)\n"
      }
      if r > 0, chance(20) { text += "    overrides: [R\(int(r))]\n" }
    }
    return text
  }

  /// Text for a single-quoted YAML scalar.
  func quoted(_ s: String) -> String { s.replacingOccurrences(of: "'", with: "''") }

  // MARK: Facts

  static let texts = [
    "", "保本保收益", "保 本", "穩賺不賠", "ＧＵＡＲＡＮＴＥＥＤ Return", "Guaranteed returns!", "not a guaranteed return",
    "年化利率（单利）17.9%", "ABC-123", "ａｂｃ－１２３", "零风险理财，收益稳定", "我们保证 高收益", "guarantee of return", "Boris",
  ]
  static let names = ["Boris Badenov", "Borris Badenoff", "BORIS  badenov", "王敏", "王 敏", "Natasha", "ｗａｎｇ ｍｉｎ"]

  mutating func number(_ text: String) -> Value { (try? Fixed.parse(text).get()).map { .number($0) } ?? .missing }
  mutating func money(_ text: String) -> Value { (try? Money.parse(text[...]).get()).map { .money($0) } ?? .missing }

  /// `missing` with the given chance, else `value()`.
  mutating func maybe(_ percent: Int, _ value: (inout RandomRulebooks) -> Value) -> Value {
    chance(percent) ? .missing : value(&self)
  }

  mutating func moneyFact() -> Value {
    money(chance(8) ? pick(["100 USD", "50000 USD"]) : pick(["0 CNY", "100 CNY", "45000 CNY", "47500 CNY", "49999.99 CNY", "50000 CNY", "50000.01 CNY", "-100 CNY"]))
  }

  mutating func instantFact() -> Value {
    let base: Int64 = 1_795_651_200  // 2026-11-20T00:00:00Z
    let offsets: [Int64] = [0, 1, 3_599, 3_600, 43_200, 57_600, 86_399, 86_400, 86_401, 90_000, 172_800]
    let offset: Int32 = chance(50) ? 28_800 : 0
    return DateTime(epochSeconds: base + pick(offsets), nanoseconds: 0, offsetSeconds: offset).map { .datetime($0) } ?? .missing
  }

  mutating func dateFact() -> Value {
    (try? CivilDate.parse(pick(["2026-11-23", "2026-11-22", "2026-10-24", "2008-11-23", "2008-11-24", "1966-01-01", "2000-01-01"])).get())
      .map { .date($0) } ?? .missing
  }

  /// Facts for the random schema: the root `a` as a record, fields in schema order.
  mutating func facts() -> [Value] {
    var fields: [Value] = []
    fields.append(number(pick(Self.ints)))  // n
    fields.append(maybe(25) { $0.number($0.pick(Self.ints)) })  // m
    fields.append(maybe(25) { $0.number($0.pick(["0", "0.5", "1.25", "3", "-2.5"])) })  // d
    fields.append(maybe(25) { $0.number($0.pick(["0", "0.18", "0.24", "0.36"])) })  // p
    fields.append(maybe(25) { $0.moneyFact() })  // amt
    fields.append(chance(10) ? money("0 CNY") : moneyFact())  // lim
    fields.append(maybe(25) { $0.dateFact() })  // born
    fields.append(maybe(25) { $0.dateFact() })  // due
    fields.append(maybe(25) { $0.instantFact() })  // at
    fields.append(maybe(25) { g in (try? TimeSpan.parse(g.pick(["0h", "1h", "24h", "30d", "1mo"])).get()).map { .duration($0) } ?? .missing })
    fields.append(maybe(25) { .text($0.pick(Self.names)) })  // name
    fields.append(maybe(25) { .text($0.pick(Self.texts)) })  // copy
    fields.append(maybe(25) { .enumCase($0.int(3)) })  // kind
    fields.append(maybe(30) { .bool($0.chance(50)) })  // ok
    fields.append(.bool(chance(50)))  // flag
    fields.append(.list((0..<int(4)).map { _ in .text(pick(["vip", "new", "VIP", "ｖｉｐ", "old"])) }))  // tags
    fields.append(.list((0..<int(4)).map { _ in number(pick(Self.ints)) }))  // nums
    var tx: [Value] = []
    for _ in 0..<(chance(15) ? 0 : int(6)) {
      tx.append(.record([
        maybe(10) { $0.moneyFact() }, maybe(10) { $0.instantFact() }, .enumCase(int(3)), maybe(25) { $0.number($0.pick(Self.ints)) },
        maybe(30) { .text($0.pick(Self.texts)) },
      ]))
    }
    fields.append(.list(tx))
    var sched: [Value] = []
    if chance(80) {
      sched.append(.record([dateFact(), money(pick(["10000 CNY", "-10000 CNY"]))]))
      for _ in 0..<int(4) { sched.append(.record([dateFact(), money(pick(["-900 CNY", "-5000 CNY", "-10500 CNY", "100 CNY"]))])) }
    }
    fields.append(.list(sched))
    fields.append(maybe(20) { g in .record([g.maybe(30) { .text($0.pick(["上海", "北京"])) }, g.maybe(30) { $0.number($0.pick(Self.ints)) }]) })  // home
    return [.record(fields)]
  }
}
