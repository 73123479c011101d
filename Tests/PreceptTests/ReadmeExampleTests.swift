import Foundation
import Testing

// From here to the tests, this file holds the Swift code of README.md's "Embedding Precept in
// Swift" section, verbatim (the first test checks it): so the README's example compiles and runs.
// The example imports Precept without `@testable`, so it uses only the public API.
import Precept

/// A product as the application holds it. Field names and enum cases are those of the dossier
/// schema (rulebooks/common/product-schema.yaml); facts the rulebook does not need may be left out.
struct LoanProduct: Codable {
  enum Kind: String, Codable { case consumerLoan = "consumer_loan", creditCard = "credit_card" }
  struct Pricing: Codable {
    var apr: String
  }
  struct Disclosure: Codable {
    var kind: String
    var text: String
    var placement: String
  }
  var id: String
  var name: String
  var kind: Kind
  var stage: Stage
  var jurisdiction = "CN"
  var currency = "CNY"
  var minAge: Int?
  var pricing: Pricing?
  var disclosures: [Disclosure] = []

  enum CodingKeys: String, CodingKey {
    case id, name, kind, stage, jurisdiction, currency, pricing, disclosures
    case minAge = "min_age"
  }
}

/// Reviews a dossier given as YAML text (from a file, a request, a queue), then a product built
/// from Swift values, against the consumer-credit rulebook.
func reviewLoan(dossierYAML: String, rulebooks: String = "rulebooks/cn") throws -> [Decision] {
  // Load, check and compile once and keep the session; a `LoadError` lists every diagnostic.
  let session = try Session(paths: [rulebooks])
  guard let book = session.rulebooks.first(where: { $0.id == "cn.consumer-credit" }) else { return [] }
  let asOf = try CivilDate.parse("2026-11-23").get()

  // The session decides a dossier as `precept check` does: every rulebook whose roots it has, at
  // its `product.stage`. Facts that do not fit throw `FactsErrors`, each naming the fact's path.
  let dossier = try FactsDocument.parse(text: dossierYAML).get()
  let decided = try session.decide(dossier, asOf: asOf).get()
  guard let fromYAML = decided.decisions.first(where: { $0.rulebook.id == book.id }) else { return [] }
  let loan = LoanProduct(
    id: "CL-2026-018", name: "安心贷", kind: .consumerLoan, stage: .approval, minAge: 22,
    pricing: .init(apr: "17.9%"),
    disclosures: [.init(kind: "annualized_rate", text: "年化利率（单利）17.9%", placement: "product_page")])
  let fromSwift = try book.evaluate(["product": loan], asOf: asOf, stage: .approval)

  for decision in [fromYAML, fromSwift] {
    print(decision.outcome)  // pass, info, warning, review or block
    for (department, outcome) in decision.byOwner {
      print("  \(department) signs off: \(outcome)")
    }
    for result in decision.rules(.violated) {
      print("  \(result.rule.id) [\(result.rule.severity)]: \(result.message ?? result.rule.title ?? "")")
    }
  }
  print(DecisionJSON.json(fromSwift).serialized(pretty: true))  // the documented JSON contract
  return [fromYAML, fromSwift]
}

/// Evaluates many products in parallel, keeping their order: one `Evaluator` per task.
func reviewAll(_ products: [[Value]], book: CompiledRulebook, asOf: CivilDate, tasks: Int = 8) async -> [Outcome] {
  let chunk = max(1, (products.count + tasks - 1) / tasks)
  return await withTaskGroup(of: (Int, [Outcome]).self) { group in
    for start in stride(from: 0, to: products.count, by: chunk) {
      group.addTask {
        let evaluator = Evaluator(book)
        let outcomes = products[start..<min(start + chunk, products.count)].map { facts in
          evaluator.run(facts, asOf: asOf, stage: .approval)
          return evaluator.decision(asOf: asOf, stage: .approval, trace: false).outcome
        }
        return (start, outcomes)
      }
    }
    var parts: [(start: Int, outcomes: [Outcome])] = []
    for await part in group { parts.append(part) }
    return parts.sorted { $0.start < $1.start }.flatMap(\.outcomes)
  }
}

/// The README's embedding example: its code is this file's, and it runs on the shipped rulebook.
@Suite struct ReadmeExampleTests {
  /// The repository root: this file is Tests/PreceptTests/ReadmeExampleTests.swift.
  static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The `swift` code blocks of a README section, each as its lines with a final newline.
  static func swiftBlocks(_ markdown: String, section heading: String) -> [String] {
    let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
    guard let start = lines.firstIndex(where: { $0 == heading }) else { return [] }
    let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("## ") } ?? lines.endIndex
    var blocks: [String] = []
    var current: [Substring]?
    for line in lines[start..<end] {
      if current == nil, line == "```swift" {
        current = []
      } else if let body = current, line == "```" {
        blocks.append(body.joined(separator: "\n") + "\n")
        current = nil
      } else {
        current?.append(line)
      }
    }
    return blocks
  }

  static func dossier() throws -> String {
    try String(contentsOf: repo.appendingPathComponent("examples/products/cl-clean.yaml"), encoding: .utf8)
  }

  static func rulebooks() -> String { repo.appendingPathComponent("rulebooks/cn").path }

  @Test func readmeCodeIsThisFilesCode() throws {
    let readme = try String(contentsOf: Self.repo.appendingPathComponent("README.md"), encoding: .utf8)
    let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
    let blocks = Self.swiftBlocks(readme, section: "## Embedding Precept in Swift")
    #expect(blocks.count == 2, "expected the section's two swift blocks")
    for block in blocks {
      let verbatim = source.contains(block)
      #expect(verbatim, "README block not found verbatim in ReadmeExampleTests.swift:\n\(block)")
    }
  }

  @Test func readmeExampleRuns() throws {
    let decisions = try reviewLoan(dossierYAML: Self.dossier(), rulebooks: Self.rulebooks())
    #expect(decisions.count == 2)
    // The dossier file is complete; the Swift-built loan gives no repayment schedule, so finance
    // must review it: its annualized rate cannot be recomputed.
    #expect(decisions.map(\.outcome) == [.pass, .review])
    #expect(decisions.allSatisfy { $0.rulebook.id == "cn.consumer-credit" })
    #expect(decisions[0].rules(.violated).isEmpty)
    #expect(decisions[1].rules(.violated).map(\.rule.id) == ["PRICE-SCHEDULE-GIVEN"])
  }

  @Test func readmeParallelExampleRuns() async throws {
    let (books, _) = try Rulebooks.load(paths: [Self.rulebooks()])
    let book = try #require(books.first { $0.id == "cn.consumer-credit" })
    let asOf = try CivilDate.parse("2026-11-23").get()
    let clean = try book.values(from: FactsDocument.parse(text: Self.dossier()).get()).get()
    let student = try book.values(
      from: FactsDocument.parse(text: Self.dossier().replacingOccurrences(of: "[white_collar]", with: "[student]")).get()
    ).get()
    let batch = (0..<101).map { $0 % 10 == 3 ? student : clean }
    let outcomes = await reviewAll(batch, book: book, asOf: asOf)
    #expect(outcomes == batch.indices.map { $0 % 10 == 3 ? .block : .pass })
    #expect(await reviewAll([], book: book, asOf: asOf).isEmpty)
  }
}
