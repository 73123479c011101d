import Precept
import PreceptReport

/// The review page of a logged decision (`GET /v1/decisions/{id}.html`), with the template of
/// `precept check --format html`. A rulebook still loaded with the digest it decided under, over
/// facts the log holds, is decided again and shown in full — but only when the new decision gives
/// exactly the statuses and messages logged. Otherwise the page shows what the log holds and says
/// why: the rules' statuses and messages, read against the same rulebook when it is loaded
/// (titles, owners, severities, sources), or bare when the rulebook changed. A decision under
/// another rulebook is never shown as the logged one.
enum DecisionPage {
  /// One rulebook's decision as the row records it.
  struct Logged {
    var rulebook: String
    var version: String?
    var digest: String
    var asOf: String
    var outcome: Outcome
    var results: [(rule: String, status: RuleStatus, message: String?)]
    /// The element of the `results` column, canonical: what a decision made again must equal.
    var canonical: String
  }

  /// The page's input for `row`, read against the rulebooks now loaded; an error when the row's
  /// columns cannot be read (a row changed by hand: `precept log verify` names it).
  static func input(_ row: LoggedDecision, session: Session, options: ServeOptions) throws(APIError) -> ReportInput {
    let logged = try read(row)
    let asOf = CivilDate.parse(row.asOf)
    let stage = row.stage.flatMap(Stage.init(rawValue:))
    var notices: [String] = []
    var full: [String: Decision] = [:]
    var facts: JSON?

    // The rulebooks loaded as they decided, by id.
    var same: [String: CompiledRulebook] = [:]
    for l in logged {
      if let b = session.rulebooks.first(where: { $0.id == l.rulebook && $0.digest == l.digest }) { same[l.rulebook] = b }
    }
    if let text = row.facts, case .success(let doc) = FactsDocument.parse(path: "facts", text: text) {
      var document = doc
      let books = session.rulebooks.filter { b in same[b.id] === b }
      if !books.isEmpty, case .success(let asOf) = asOf {
        let again = Session(rulebooks: books)
        document = flatRecord(doc, text: text, session: again) ?? doc
        if case .success(let decided) = again.decide(document, asOf: asOf, stage: stage, trace: true) {
          for d in decided.decisions where logged.first(where: { $0.rulebook == d.rulebook.id })?.canonical == canonical(d) {
            full[d.rulebook.id] = d
          }
        }
      }
      facts = FactsTree.json(document.root)
    }

    var decisions: [Decision] = []
    var recorded: [RecordedDecision] = []
    // Rulebooks decided again, and shown as logged under the same rulebook: one notice each.
    var again: [String] = []
    var asLogged: [String] = []
    for l in logged {
      let name = l.rulebook + (l.version.map { " \($0)" } ?? "")
      if let d = full[l.rulebook] {
        decisions.append(d)
        again.append(name)
        continue
      }
      if let book = same[l.rulebook], case .success(let date) = asOf,
        let d = Decision(rulebook: book, asOf: date, stage: stage, recorded: l.results.map {
          ($0.rule, $0.status, $0.message, $0.status == .unknown ? "the log records that the verdict was unknown, not which facts were missing" : nil)
        })
      {
        decisions.append(d)
        asLogged.append(name)
        continue
      }
      var why: String
      if same[l.rulebook] != nil {
        why = "the logged results do not fit the rules of the rulebook with that digest, or the logged date \(row.asOf) cannot be read"
      } else if let now = session.rulebooks.first(where: { $0.id == l.rulebook }) {
        why = "the rulebook changed since: digest \(l.digest) logged, \(now.digest) loaded" + (now.version.map { " (version \($0))" } ?? "")
      } else {
        why = "the rulebook is no longer loaded"
      }
      why += ". Shown as logged: each rule's id, status and message; the rules as they were then are not loaded, so their titles, owners and severities are not shown, nor the words they found in the copy"
      if row.facts != nil { why += "; the logged facts are not decided again under another rulebook" }
      notices.append("\(name): \(why).")
      recorded.append(RecordedDecision(
        rulebook: l.rulebook, version: l.version, digest: l.digest, asOf: l.asOf, stage: row.stage, outcome: l.outcome,
        results: l.results, why: why.prefix(1).uppercased() + why.dropFirst() + "."))
    }
    if !asLogged.isEmpty {
      let why: String
      switch (row.facts, row.factsDigest) {
      case (nil, nil): why = "The facts were not logged (--log-facts none)"
      case (nil, _?): why = "The facts were not logged (--log-facts digest)"
      case (_?, _): why = "Deciding the logged facts again did not give the logged statuses and messages"
      }
      notices.insert("\(why): \(asLogged.joined(separator: ", ")) shown as logged — each rule's status and message, with the rules read from the same rulebook version (the digests match); no traces, facts behind the findings, or marked copy.", at: 0)
    }
    if !again.isEmpty {
      notices.insert("Decided again from the logged facts under the rulebooks that decided (the digests match): \(again.joined(separator: ", ")). Every rule's status and message equal the log's; the traces, facts and marked copy shown are this decision's.", at: 0)
    }

    var input = ReportInput(decisions: decisions, facts: facts, claimTerms: claimTerms(Array(full.values), options: options))
    input.recorded = recorded
    if !recorded.isEmpty { input.recordedByOwner = byOwner(row) }
    let shown = (decisions.map(\.outcome) + recorded.map(\.outcome)).max() ?? .pass
    if shown.rawValue != row.outcome {
      notices.append("The log's overall outcome is \(row.outcome); the decisions shown give \(shown.rawValue). Check the log with `precept log verify`.")
    }
    input.notices = notices
    input.details = [("Decision", row.id), ("Received", row.receivedAt), ("Client", row.client)]
    switch (row.facts, row.factsDigest) {
    case (_?, let d): input.details.append(("Facts", "logged" + (d.map { ", \($0)" } ?? "")))
    case (nil, let d?): input.details.append(("Facts", "not logged; their digest \(d)"))
    case (nil, nil): input.details.append(("Facts", "not logged"))
    }
    return input
  }

  /// The decision's compact form, canonical, as the log writes it.
  static func canonical(_ d: Decision) -> String {
    CompactDecision(d).json.serialized()
  }

  /// A `/v1/eval` line that is the shared root's value itself (a flat record), as a document keyed by it.
  static func flatRecord(_ doc: FactsDocument, text: String, session: Session) -> FactsDocument? {
    guard let root = session.sharedRoot, !doc.keys.contains(root) else { return nil }
    var key = ""
    JSON.escape(root, into: &key)
    guard case .success(let keyed) = FactsDocument.parse(path: "facts", text: "{\(key):\(text)}") else { return nil }
    return keyed
  }

  /// The negated phrases of the rules decided again, from their rulebooks as read now (only those
  /// whose files still give the digest that decided).
  static func claimTerms(_ decisions: [Decision], options: ServeOptions) -> ClaimTerms {
    guard !decisions.isEmpty else { return ClaimTerms() }
    return ClaimTerms.resolve(Project.load(paths: options.rulebooks, root: options.root), for: decisions)
  }

  // MARK: - Reading the row

  static func read(_ row: LoggedDecision) throws(APIError) -> [Logged] {
    let unreadable = APIError(500, "decision \(row.id): the log's columns cannot be read (was the row changed? `precept log verify` checks the log)")
    guard case .array(let books)? = column(row.rulebooks), case .array(let decisions)? = column(row.results) else { throw unreadable }
    var out: [Logged] = []
    for d in decisions {
      guard let id = string(d, "rulebook"), let outcome = string(d, "outcome").flatMap(Outcome.init(rawValue:)),
        case .array(let rs)? = field(d, "results"),
        let book = books.first(where: { string($0, "id") == id }), let digest = string(book, "digest")
      else { throw unreadable }
      var results: [(rule: String, status: RuleStatus, message: String?)] = []
      for r in rs {
        guard let rule = string(r, "rule"), let status = string(r, "status").flatMap(RuleStatus.init(rawValue:)) else { throw unreadable }
        results.append((rule, status, string(r, "message")))
      }
      out.append(Logged(rulebook: id, version: string(book, "version"), digest: digest, asOf: string(d, "as_of") ?? row.asOf,
                        outcome: outcome, results: results, canonical: d.serialized()))
    }
    return out
  }

  /// Each rulebook the row records, `id version`, for a listing.
  static func rulebooks(_ row: LoggedDecision) -> [String] {
    guard case .array(let books)? = column(row.rulebooks) else { return [row.rulebooks] }
    return books.map { b in [string(b, "id") ?? "?", string(b, "version")].compactMap { $0 }.joined(separator: " ") }
  }

  /// The row's `by_owner`, in department order.
  static func byOwner(_ row: LoggedDecision) -> [(name: String, outcome: Outcome)] {
    guard case .object(let fields)? = column(row.byOwner) else { return [] }
    return fields.compactMap { k, v in string(v).flatMap(Outcome.init(rawValue:)).map { (k, $0) } }
  }

  /// A JSON column, canonical (as the log wrote it).
  static func column(_ text: String) -> JSON? {
    guard case .success(let doc) = FactsDocument.parse(path: "column.json", text: text) else { return nil }
    return CanonicalJSON.json(doc.root)
  }

  static func field(_ j: JSON, _ key: String) -> JSON? {
    guard case .object(let fields) = j else { return nil }
    return fields.first { $0.0 == key }?.1
  }

  static func string(_ j: JSON, _ key: String) -> String? { field(j, key).flatMap { string($0) } }

  static func string(_ j: JSON) -> String? {
    if case .string(let s) = j { return s }
    return nil
  }
}
