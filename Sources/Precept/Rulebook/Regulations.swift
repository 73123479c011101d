/// The registry of the instruments rules cite (`regulations/`, one YAML file per instrument), so
/// that a rule can cite a clause by id (`cite: [PBOC-2021-3#3, "free text"]`), lint can reject an
/// id that names nothing, and `precept coverage --regulations` can say which clauses the rules
/// encode and which nothing does.
///
/// ```yaml
/// precept: 1
/// regulation: PBOC-2021-3
/// title: 中国人民银行公告〔2021〕第3号 — annualized-rate disclosure
/// issuer: People's Bank of China
/// date: 2021-03-12
/// url: http://www.pbc.gov.cn/…
/// clauses:
///   - id: "3"
///     summary: the annualized rate covers interest and every fee directly related to the loan
/// ```
public struct Regulation: Sendable {
  public struct Clause: Sendable {
    /// The clause's own id (`3`, `art-28`), and its full id (`PBOC-2021-3#3`).
    public var id: String
    public var fullID: String
    public var summary: String
    public var span: Span
  }

  public var id: Located<String>
  public var title: String
  public var issuer: String
  public var date: String
  public var url: String?
  /// How sure the registry is of the clause texts (`verified`, `commonly cited`, `not verified`).
  public var status: String?
  public var clauses: [Clause]
  public var file: SourceFile
}

/// Every regulation of a registry directory, and the problems met reading it.
public struct RegulationRegistry: Sendable {
  public var regulations: [Regulation] = []
  public var diagnostics: [Diagnostic] = []
  public var files: [String: SourceFile] = [:]

  /// Every clause by full id.
  public var clauses: [String: (regulation: Regulation, clause: Regulation.Clause)] {
    var out: [String: (Regulation, Regulation.Clause)] = [:]
    for r in regulations { for c in r.clauses where out[c.fullID] == nil { out[c.fullID] = (r, c) } }
    return out
  }

  /// Whether `text` is written as a clause id (`PBOC-2021-3#3`): an instrument id of capitals,
  /// digits and `-`, then `#` and the clause's id.
  public static func isClauseID(_ text: String) -> Bool {
    let parts = text.split(separator: "#", omittingEmptySubsequences: false)
    guard parts.count == 2, let first = parts[0].first, first.isUppercase, !parts[1].isEmpty else { return false }
    return parts[0].allSatisfy { ($0.isASCII && ($0.isUppercase || $0.isNumber)) || $0 == "-" }
      && parts[1].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_") }
  }

  /// Reads every `.yaml` file of `directory` (not below it), in name order.
  public static func load(directory: String) -> RegulationRegistry {
    var registry = RegulationRegistry()
    for name in Disk.list(directory).sorted() where name.hasSuffix(".yaml") && !name.hasPrefix(".") {
      let path = PathName.join(directory, name)
      switch Disk.readFile(path) {
      case .failure(let e):
        registry.diagnostics.append(Diagnostic(.unreadableFile, Span(file: path, start: Position(line: 1, column: 1, offset: 0), end: Position(line: 1, column: 1, offset: 0)), "cannot read \(path): \(e.reason)"))
      case .success(let bytes):
        switch SourceFile.decode(path: path, bytes: bytes) {
        case .failure(let d): registry.diagnostics.append(d)
        case .success(let file):
          registry.files[path] = file
          let (r, ds) = read(file)
          registry.diagnostics += ds
          if let r {
            if let other = registry.regulations.first(where: { $0.id.value == r.id.value }) {
              registry.diagnostics.append(
                Diagnostic(.duplicateName, r.id.span, "two regulations have the id `\(r.id.value)`", notes: [.init("the first is here", at: other.id.span)]))
            } else {
              registry.regulations.append(r)
            }
          }
        }
      }
    }
    return registry
  }

  /// Reads one regulation file.
  static func read(_ file: SourceFile) -> (Regulation?, [Diagnostic]) {
    let (root, loaded) = YAMLLoader.load(file)
    var r = NodeReader(file: file)
    r.diagnostics = loaded
    guard let root,
      let m = r.mapping(
        root, of: "a regulation", allowed: ["precept", "regulation", "title", "issuer", "date", "url", "status", "clauses"],
        required: ["precept", "regulation", "title", "issuer", "date", "clauses"])
    else { return (nil, r.diagnostics) }
    guard let id = m["regulation"].flatMap({ r.text($0.value, "`regulation`") }),
      let title = m["title"].flatMap({ r.text($0.value, "`title`") }),
      let issuer = m["issuer"].flatMap({ r.text($0.value, "`issuer`") }),
      let date = m["date"].flatMap({ r.scalar($0.value, "`date`") })
    else { return (nil, r.diagnostics) }
    if !isClauseID(id.value + "#x") {
      r.report(.invalidID, id.span, "`\(id.value)` is not a regulation id", help: ["write capitals, digits and `-`, e.g. `PBOC-2021-3`"])
      return (nil, r.diagnostics)
    }
    var clauses: [Regulation.Clause] = []
    for item in m["clauses"].flatMap({ r.sequence($0.value, "`clauses`") }) ?? [] {
      guard let c = r.mapping(item, of: "a clause", allowed: ["id", "summary"], required: ["id", "summary"]),
        let cid = c["id"].flatMap({ r.scalar($0.value, "the clause's `id`") }),
        let summary = c["summary"].flatMap({ r.text($0.value, "the clause's `summary`") })
      else { continue }
      let full = id.value + "#" + cid.value
      guard isClauseID(full) else {
        r.report(.invalidID, cid.span, "`\(cid.value)` is not a clause id", help: ["write letters, digits, `-`, `.` or `_`, e.g. `3` or `art-28`"])
        continue
      }
      if let other = clauses.first(where: { $0.id == cid.value }) {
        r.report(.duplicateName, cid.span, "two clauses of \(id.value) have the id `\(cid.value)`", notes: [.init("the first is here", at: other.span)])
        continue
      }
      clauses.append(Regulation.Clause(id: cid.value, fullID: full, summary: summary.value, span: cid.span))
    }
    let regulation = Regulation(
      id: id, title: title.value, issuer: issuer.value, date: date.value, url: m["url"].flatMap { r.scalar($0.value, "`url`")?.value },
      status: m["status"].flatMap { r.scalar($0.value, "`status`")?.value }, clauses: clauses, file: file)
    return (regulation, r.diagnostics)
  }
}
