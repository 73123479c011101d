import Foundation
import PreceptTestSupport
import Testing

@testable import Precept

/// Loop bodies made of tests of the item against constants (`itemTest`), and a `where` of such
/// tests feeding `window`/`per_day` made as the items are keyed: planned where they apply, and
/// deciding as the plain reference interpreter does, traced and untraced (the untraced run takes
/// the fused path, the traced one builds the selection), on edge cases and random customers.
@Suite struct ItemTestTests {
  static let book = """
    precept: 1
    rulebook: test.item-tests
    version: 1.0.0
    schema:
      c:
        txns: 'list(record(amount: decimal?, ts: int, channel: text?, kind: enum(deposit, withdrawal)))'
    definitions:
      cash: c.txns where .channel == "cash"
    rules:
      - id: WINDOW
        flag: 'any w in window(cash where .amount >= 45_000 and .amount < 50_000, 24h, by: .ts): count(w) >= 3'
      - id: DAY
        flag: 'any d in per_day(cash, by: .ts): sum(d.amount) >= 50_000'
      - id: REVERSED
        flag: 'any w in window(c.txns where 100 <= .amount and .kind == withdrawal and .channel != "wire", 1h, by: .ts): count(w) >= 2'
      - id: ALL-DAYS
        require: 'all d in per_day(c.txns where .amount > 0, by: .ts): sum(d.amount) < 1_000_000 and count(d) <= 5'
        severity: block
      - id: NONE
        require: 'none t in c.txns: .amount >= 9_000 and .channel == "card"'
        severity: block
      - id: OR-BODY
        flag: 'any t in c.txns: .channel == "wire" or .amount > 99_000'
      - id: COUNT
        flag: 'count(c.txns where .kind == deposit and .amount < 10) >= 2'
    """

  static func compiled() throws -> CompiledRulebook {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("precept-itemtest-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("book.yaml").path
    try book.write(toFile: path, atomically: true, encoding: .utf8)
    return try #require(try Rulebooks.load(paths: [path], root: dir.path).rulebooks.first)
  }

  @Test func plannedWhereTheyApply() throws {
    let program = try Self.compiled().program
    let tests = program.instructions.compactMap { ins -> Int32? in
      if case .itemTest(_, let count) = ins.step { return count }
      return nil
    }
    // One test: the cash test, `.amount > 0`, and the group bodies `count(w) >= 3`, `sum(d.amount)
    // >= 50_000`, `count(w) >= 2`. Two: the amount range, ALL-DAYS' group body, NONE's and
    // COUNT's chains, and REVERSED's inner `and`; three: REVERSED's chain. OR-BODY's `or` is no
    // chain: its sides stay steps of their own.
    #expect(tests.sorted() == [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3])
    let atoms = program.atoms
    #expect(atoms.contains { $0.operand == .groupCount } && atoms.contains { $0.operand == .groupSum })
    // `100 <= .amount` is planned as `.amount >= 100`.
    let reversed = try #require(atoms.first { $0.operand == .fieldUnits && $0.units == Fixed(100).units })
    #expect(reversed.holds == [.equal, .above])
    #expect(program.instructions.contains { if case .or = $0.step { true } else { false } })
  }

  /// Each rule's status, with the reference's, untraced and traced.
  static func check(_ book: CompiledRulebook, _ json: String, _ context: String) throws {
    let facts = try JSONFactsReader.read(Array(json.utf8), schema: book.roots).get()
    let found = DifferentialTests.differences(book, facts, asOf: DifferentialTests.asOf, stage: nil, reference: ReferenceInterpreter(book))
    DifferentialTests.report(found, context)
  }

  static func txn(_ amount: String?, _ ts: Int64, _ channel: String?, _ kind: String = "deposit") -> String {
    var fields = ["\"ts\": \(ts)", "\"kind\": \"\(kind)\""]
    if let amount { fields.append("\"amount\": \(amount)") }
    if let channel { fields.append("\"channel\": \"\(channel)\"") }
    return "{" + fields.joined(separator: ", ") + "}"
  }

  static func customer(_ txns: [String]) -> String { "{\"c\": {\"txns\": [" + txns.joined(separator: ", ") + "]}}" }

  @Test func edgeCasesAgreeWithTheReference() throws {
    let book = try Self.compiled()
    let t = Int64(1_767_225_600)
    let cases: [(String, [String])] = [
      ("empty", []),
      ("the planted hit", [Self.txn("49999.99", t, "cash"), Self.txn("49999.99", t + 40_000, "cash"), Self.txn("49999.99", t + 86_399, "cash")]),
      ("the planted miss", [Self.txn("45000.00", t, "cash"), Self.txn("45000.00", t + 43_200, "cash"), Self.txn("45000.00", t + 86_400, "cash")]),
      // A missing amount on a cash transaction leaves the selection, and the window, unknown...
      ("missing amount in cash", [Self.txn(nil, t, "cash"), Self.txn("46000", t + 1, "cash")]),
      // ...but not on a card transaction: the channel test says no first.
      ("missing amount in card", [Self.txn(nil, t, "card"), Self.txn("46000", t + 1, "cash")]),
      ("missing channel", [Self.txn("46000", t, nil), Self.txn("46000", t + 1, "cash")]),
      ("unsorted, equal keys", [Self.txn("49000", t + 5, "cash"), Self.txn("49000", t, "cash"), Self.txn("49000", t + 5, "cash"), Self.txn("1", t - 86_400, "cash")]),
      ("withdrawals an hour apart", [Self.txn("100", t, "atm", "withdrawal"), Self.txn("150", t + 3_599, "cash", "withdrawal")]),
      ("wire only", [Self.txn("5", t, "wire", "withdrawal"), Self.txn("5", t + 1, "wire", "withdrawal")]),
    ]
    for (name, txns) in cases { try Self.check(book, Self.customer(txns), name) }
  }

  /// Random customers, up to 100 transactions (beyond the insertion sort's reach), in random time
  /// order, with missing fields now and then.
  @Test func randomCustomersAgreeWithTheReference() throws {
    let book = try Self.compiled()
    var rng = SplitMix64(state: 20_261_207)
    let channels = ["cash", "cash", "card", "wire", "atm"]
    let amounts = ["45000", "49999.99", "50000", "44999.99", "9000", "120", "5", "99000.01", "0"]
    for n in 0..<400 {
      let count = n % 40 == 0 ? 100 : Int(rng.next() % 24)
      let base = Int64(1_767_225_600)
      var txns: [String] = []
      for _ in 0..<count {
        let ts = base + Int64(rng.next() % (4 * 86_400))
        let amount = rng.next() % 50 == 0 ? nil : amounts[Int(rng.next() % UInt64(amounts.count))]
        let channel = rng.next() % 60 == 0 ? nil : channels[Int(rng.next() % UInt64(channels.count))]
        txns.append(Self.txn(amount, ts, channel, rng.next() % 2 == 0 ? "deposit" : "withdrawal"))
      }
      try Self.check(book, Self.customer(txns), "random customer \(n)")
    }
  }
}
