import Precept
import Synchronization

/// The decision service without its HTTP shell: the rulebooks loaded (replaced whole on reload),
/// the log, and what each route does. A request takes the rulebooks current when it starts and
/// keeps them to its end, so a reload never changes a decision half-way.
public final class DecisionService: Sendable {
  public let options: ServeOptions
  /// The log every decision is recorded in.
  public let log: any DecisionLog
  let commits: GroupCommit
  let metrics: ServeMetrics
  private let current: Mutex<Session>
  private let draining = Atomic<Bool>(false)

  /// Loads the rulebooks and the waivers (throws when they have errors) over an open log.
  public convenience init(options: ServeOptions, log: any DecisionLog) throws(LoadError) {
    self.init(options: options, log: log, session: try Self.load(options))
  }

  /// The rulebooks and waivers `options` name, loaded, checked and compiled.
  public static func load(_ options: ServeOptions) throws(LoadError) -> Session {
    let waivers = try options.waivers.map { path throws(LoadError) in try WaiverFile.load(path: path) } ?? []
    return try Session(paths: options.rulebooks, root: options.root, waivers: waivers)
  }

  /// A service over rulebooks already loaded (from `options.rulebooks`, which a reload reads again).
  public init(options: ServeOptions, log: any DecisionLog, session: Session) {
    self.options = options
    self.log = log
    current = Mutex(session)
    let metrics = ServeMetrics()
    self.metrics = metrics
    commits = GroupCommit(log) { rows, seconds in metrics.logWrite(rows: rows, seconds: seconds) }
    metrics.loaded(session.rulebooks)
  }

  /// The rulebooks now in use.
  public var session: Session { current.withLock { $0 } }

  /// Whether the server is stopping (readiness then fails, so a balancer stops sending).
  var isDraining: Bool { draining.load(ordering: .relaxed) }
  func startDraining() { draining.store(true, ordering: .relaxed) }

  /// Loads, checks and compiles the rulebooks (and reads the waivers) again; on errors the old
  /// ones stay and the errors are returned.
  public func reload() -> Result<Session, LoadError> {
    do throws(LoadError) {
      let fresh = try Self.load(options)
      current.withLock { $0 = fresh }
      metrics.loaded(fresh.rulebooks)
      metrics.reload(ok: true)
      return .success(fresh)
    } catch {
      metrics.reload(ok: false)
      return .failure(error)
    }
  }

  // MARK: - /v1/check

  /// What `/v1/check` answers: the logged decision's id, the decisions as `precept check --format
  /// json` prints them, and warnings about keys no rulebook reads.
  public struct Checked: Sendable {
    public var id: String
    public var decisions: [Decision]
    public var warnings: [String]

    /// The response body: `{"decision_id", "decisions": [as `precept check --format json`], "warnings"?}`,
    /// written straight into bytes.
    public var body: [UInt8] {
      var w = JSONWriter(capacity: 64 * 1024)
      w.beginObject()
      w.member("decision_id", id)
      w.key("decisions")
      w.beginArray()
      for d in decisions { DecisionJSON.write(d, into: &w) }
      w.endArray()
      if !warnings.isEmpty {
        w.key("warnings")
        w.beginArray()
        for m in warnings { w.string(m) }
        w.endArray()
      }
      w.endObject()
      w.bytes.append(0x0A)
      return w.bytes
    }
  }

  /// Decides a facts document (`json`: strict JSON, else YAML) as `precept check` does, logs it
  /// durably, and returns the decisions.
  public func check(body: [UInt8], json: Bool, asOf: CivilDate, stage: Stage?, client: Client) async throws(APIError) -> Checked {
    let received = Timestamp.now()
    let session = self.session
    guard let text = String(validating: body, as: UTF8.self) else {
      throw APIError(400, "the body is not valid UTF-8")
    }
    let file = json ? "body.json" : "body.yaml"
    let doc: FactsDocument
    switch FactsDocument.parse(path: file, text: text) {
    case .success(let d): doc = d
    case .failure(let e): throw APIError.unreadable(e)
    }
    let decided: Session.Decisions
    switch session.decide(doc, asOf: asOf, stage: stage, trace: true) {
    case .success(let d): decided = d
    case .failure(let e): throw APIError.facts(e, file: file)
    }
    let entry = LogEntry(
      decisions: decided.decisions.map(CompactDecision.init), receivedAt: received, asOf: asOf.description,
      stage: decided.stage?.rawValue, client: client.name,
      factsDigest: options.logFacts == .none ? nil : Self.digest(doc.root),
      facts: options.logFacts == .full ? text : nil)
    let rows = try await durably([entry])
    for d in decided.decisions { metrics.decision(rulebook: d.rulebook.id, outcome: d.outcome) }
    return Checked(id: rows.first?.id ?? "", decisions: decided.decisions,
                   warnings: decided.unreadKeys.map(session.unreadKeyWarning))
  }

  /// `sha256:` and the SHA-256 of the facts' canonical JSON.
  static func digest(_ root: YAMLNode) -> String {
    "sha256:" + SHA256.hex(CanonicalJSON.json(root).bytes())
  }

  /// Appends to the log and waits until the rows are durable; a log that cannot be written is a
  /// 503 (the decision was not recorded, so it is not given).
  func durably(_ entries: [LogEntry]) async throws(APIError) -> [LoggedDecision] {
    do {
      return try await commits.append(entries)
    } catch {
      throw APIError(503, "the decision could not be recorded in the log, so it is not given: \(error)")
    }
  }

  // MARK: - /v1/decisions, /v1/rulebooks

  /// A logged decision; a client that is not admin sees only its own (others are "not found").
  public func decision(id: String, client: Client) async throws(APIError) -> LoggedDecision {
    let row: LoggedDecision?
    do { row = try await log.decision(id: id) } catch { throw APIError(503, "the decision log cannot be read: \(error)") }
    guard let row, client.admin || row.client == client.name else { throw APIError(404, "no decision `\(id)`") }
    return row
  }

  /// A page of logged decisions, newest first, and the cursor of the next page.
  public func decisions(_ query: LogQuery, client: Client) async throws(APIError) -> (rows: [LoggedDecision], next: String?) {
    var q = query
    if !client.admin { q.client = client.name }
    q.limit = query.limit + 1
    let rows: [LoggedDecision]
    do { rows = try await log.decisions(q) } catch { throw APIError(503, "the decision log cannot be read: \(error)") }
    if rows.count > query.limit {
      let page = Array(rows.prefix(query.limit))
      return (page, page.last?.id)
    }
    return (rows, nil)
  }

  /// Each loaded rulebook: id, version, digest, title and how many rules.
  public func rulebooks() -> JSON {
    .object([("rulebooks", .array(session.rulebooks.map { b in
      .object([
        ("id", .string(b.id)), ("version", b.version.map { .string($0) } ?? .null), ("digest", .string(b.digest)),
        ("title", b.title.map { .string($0) } ?? .null), ("rules", .int(b.rules.count)),
      ])
    }))])
  }
}

