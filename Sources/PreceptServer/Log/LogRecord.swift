import Precept

/// What the log keeps of a request (or an input line) before it is appended: everything but its
/// id, time and place in the chain.
public struct LogEntry: Sendable {
  /// When the request (or line) was received, in milliseconds since 1970.
  public var receivedAt: UInt64
  /// The evaluation date.
  public var asOf: String
  /// The stage the rules were judged at, if any.
  public var stage: String?
  /// The client (token name) that asked.
  public var client: String
  /// `[{"id", "version", "digest"}]` of every rulebook that applied, canonical JSON.
  public var rulebooks: String
  /// SHA-256 of the canonical facts, `sha256:…`.
  public var factsDigest: String?
  /// The facts as received (`--log-facts full`), else nil.
  public var facts: String?
  /// The worst outcome over the decisions.
  public var outcome: String
  /// `{"department": "outcome"}`: the worst per department over the decisions, canonical JSON.
  public var byOwner: String
  /// The decisions in the compact form `eval` prints (no traces), canonical JSON.
  public var results: String

  /// An entry for `decisions` (one per rulebook that applied), decided from `facts`.
  public init(decisions: [CompactDecision], receivedAt: UInt64, asOf: String, stage: String?, client: String, factsDigest: String?, facts: String?) {
    self.receivedAt = receivedAt
    self.asOf = asOf
    self.stage = stage
    self.client = client
    self.factsDigest = factsDigest
    self.facts = facts
    rulebooks = CanonicalJSON.sorted(.array(decisions.map { d in
      .object([("id", .string(d.rulebook)), ("version", d.version.map { .string($0) } ?? .null), ("digest", .string(d.digest))])
    })).serialized()
    outcome = (decisions.map(\.outcome).max() ?? .pass).rawValue
    var worst: [String: Outcome] = [:]
    for d in decisions {
      for (owner, o) in d.byOwner { worst[owner] = max(worst[owner] ?? .pass, o) }
    }
    byOwner = CanonicalJSON.sorted(.object(worst.map { ($0.key, .string($0.value.rawValue)) })).serialized()
    // Each decision's JSON is canonical already (both of `CompactDecision`'s initialisers make it so).
    let all = JSON.array(decisions.map(\.json))
    assert(all == CanonicalJSON.sorted(all), "a compact decision that is not canonical JSON")
    results = all.serialized()
  }
}

/// One decision of a rulebook in the compact form (`precept eval`'s line without `line`), with
/// what the log needs beside it.
public struct CompactDecision: Sendable {
  public var rulebook: String
  public var version: String?
  public var digest: String
  public var outcome: Outcome
  public var byOwner: [(String, Outcome)]
  /// `{"as_of", "outcome", "results": [{"message"?, "rule", "status"}], "rulebook"}`: canonical
  /// JSON (every object's keys sorted), as the log stores it.
  public var json: JSON

  /// The compact form of a full decision (as `/v1/check` makes it).
  public init(_ d: Decision) {
    rulebook = d.rulebook.id
    version = d.rulebook.version
    digest = d.rulebook.digest
    outcome = d.outcome
    byOwner = d.byOwner.map { ($0.name, $0.outcome) }
    // Keys in canonical (sorted) order, so the log need not sort them again.
    json = .object([
      ("as_of", .string(d.asOf.description)), ("outcome", .string(d.outcome.rawValue)),
      ("results", .array(d.results.indices.map { i in
        // By index: iterating the results would copy each (large) `RuleResult`.
        var fields: [(String, JSON)] = []
        if d.results[i].status == .violated, let m = d.results[i].message ?? d.results[i].rule.title { fields.append(("message", .string(m))) }
        fields += [("rule", .string(d.results[i].rule.id)), ("status", .string(d.results[i].status.rawValue))]
        return .object(fields)
      })),
      ("rulebook", .string(d.rulebook.id)),
    ])
  }

  /// The compact form read back from a line `precept eval` printed (as `/v1/eval` makes it),
  /// for `book`; nil when the line is not such a decision.
  public init?(line: JSON, book: CompiledRulebook) {
    guard case .object(let fields) = line else { return nil }
    var kept: [(String, JSON)] = []
    var outcome: Outcome?
    var worst: [String: Outcome] = [:]
    for (key, value) in fields {
      if key == "line" { continue }
      kept.append((key, value))
      if key == "outcome", case .string(let o) = value { outcome = Outcome(rawValue: o) }
      if key == "results", case .array(let results) = value {
        for case .object(let r) in results {
          guard case .string(let id)? = r.first(where: { $0.0 == "rule" })?.1,
            case .string(let s)? = r.first(where: { $0.0 == "status" })?.1,
            let status = RuleStatus(rawValue: s), let k = book.ruleIndex[id]
          else { return nil }
          let rule = book.rules[k]
          let owner = rule.owner ?? "unassigned"
          worst[owner] = max(worst[owner] ?? .pass, Outcome(status, severity: rule.severity))
        }
      }
    }
    guard let outcome else { return nil }
    // Every owner of the rulebook has a verdict, as in a full decision.
    for rule in book.rules where worst[rule.owner ?? "unassigned"] == nil { worst[rule.owner ?? "unassigned"] = .pass }
    rulebook = book.id
    version = book.version
    digest = book.digest
    self.outcome = outcome
    byOwner = worst.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    json = CanonicalJSON.sorted(.object(kept))
  }
}

/// A row of the decision log, as stored and as `GET /v1/decisions/{id}` returns it.
public struct LoggedDecision: Sendable, Equatable {
  public var id: String
  public var receivedAt: String
  public var asOf: String
  public var stage: String?
  public var client: String
  public var rulebooks: String
  public var factsDigest: String?
  public var facts: String?
  public var outcome: String
  public var byOwner: String
  public var results: String
  public var prevHash: String
  public var hash: String

  /// The hash of the first row's predecessor.
  public static let genesis = String(repeating: "0", count: 64)

  /// A row for `entry` with id `id`, received at `receivedAt`, chained after `prevHash`.
  public init(entry: LogEntry, id: String, receivedAt: String, prevHash: String) {
    self.id = id
    self.receivedAt = receivedAt
    asOf = entry.asOf
    stage = entry.stage
    client = entry.client
    rulebooks = entry.rulebooks
    factsDigest = entry.factsDigest
    facts = entry.facts
    outcome = entry.outcome
    byOwner = entry.byOwner
    results = entry.results
    self.prevHash = prevHash
    hash = ""
    hash = computedHash()
  }

  /// A row as read back from storage.
  public init(id: String, receivedAt: String, asOf: String, stage: String?, client: String, rulebooks: String, factsDigest: String?,
              facts: String?, outcome: String, byOwner: String, results: String, prevHash: String, hash: String) {
    self.id = id
    self.receivedAt = receivedAt
    self.asOf = asOf
    self.stage = stage
    self.client = client
    self.rulebooks = rulebooks
    self.factsDigest = factsDigest
    self.facts = facts
    self.outcome = outcome
    self.byOwner = byOwner
    self.results = results
    self.prevHash = prevHash
    self.hash = hash
  }

  /// The row's content as sorted-key JSON: every field but `hash`, the JSON columns spliced in as
  /// stored (they are written canonical, so changing even their spacing changes the hash).
  public var content: String {
    var out = "{"
    func field(_ key: String, _ raw: String, last: Bool = false) {
      var k = ""
      JSON.escape(key, into: &k)
      out += k + ":" + raw + (last ? "" : ",")
    }
    func text(_ s: String?) -> String {
      guard let s else { return "null" }
      var e = ""
      JSON.escape(s, into: &e)
      return e
    }
    field("as_of", text(asOf))
    field("by_owner", byOwner)
    field("client", text(client))
    field("facts", text(facts))
    field("facts_digest", text(factsDigest))
    field("id", text(id))
    field("outcome", text(outcome))
    field("prev_hash", text(prevHash))
    field("received_at", text(receivedAt))
    field("results", results)
    field("rulebooks", rulebooks)
    field("stage", text(stage), last: true)
    return out + "}"
  }

  /// SHA-256 over the previous hash and the content, as 64 hex digits.
  public func computedHash() -> String {
    var hasher = SHA256Hasher()
    hasher.update(Array(prevHash.utf8))
    hasher.update(Array(content.utf8))
    return SHA256.hexString(hasher.finalize())
  }

  /// The row as the API returns it.
  public var json: JSON {
    // The JSON columns are re-read by the library's strict reader; a column that does not parse
    // (a tampered row) is returned as text rather than hidden.
    func embedded(_ s: String) -> JSON {
      if case .success(let doc) = FactsDocument.parse(path: "column.json", text: s) { return CanonicalJSON.json(doc.root) }
      return .string(s)
    }
    return .object([
      ("id", .string(id)), ("received_at", .string(receivedAt)), ("as_of", .string(asOf)),
      ("stage", stage.map { .string($0) } ?? .null), ("client", .string(client)), ("rulebooks", embedded(rulebooks)),
      ("facts_digest", factsDigest.map { .string($0) } ?? .null), ("facts", facts.map { .string($0) } ?? .null), ("outcome", .string(outcome)),
      ("by_owner", embedded(byOwner)), ("results", embedded(results)), ("prev_hash", .string(prevHash)), ("hash", .string(hash)),
    ])
  }
}
