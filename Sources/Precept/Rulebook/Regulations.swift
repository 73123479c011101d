/// One instrument of the regulations registry (`regulations/`, one YAML file per instrument), so
/// that a rule can cite a clause by id (`cite: [PBOC-2021-3#3, "free text"]`), lint can reject an
/// id that names nothing, and `precept coverage --regulations` can say which clauses the rules
/// encode and which nothing does. docs/regulations.md describes the format:
///
/// ```yaml
/// precept: 1
/// regulation: PBOC-2021-3
/// title: 中国人民银行公告〔2021〕第3号 (PBoC Announcement [2021] No. 3), annualized-rate disclosure
/// issuer: People's Bank of China
/// date: 2021
/// clauses:
///   - id: "3"
///     status: verified
///     summary: the annualized rate covers interest and every fee directly related to the loan
/// ```
public struct Regulation: Sendable {
  /// How sure the registry is of what a clause says.
  public enum Status: String, Sendable, CaseIterable {
    /// The text was read.
    case verified
    /// Widely quoted in this form; the text was not checked.
    case commonlyCited = "commonly cited"
    /// The instrument exists; its articles and wording were not checked.
    case notVerified = "not verified"
  }

  /// An article or paragraph, or the whole instrument (`doc`) where its articles were not checked.
  public struct Clause: Sendable {
    /// The clause's own id (`3`, `art-25(1)`, `doc`).
    public var id: String
    /// The id rules cite it by: the instrument's, `#`, the clause's (`PBOC-2021-3#3`).
    public var fullID: String
    /// What it says, in the registry's words.
    public var summary: String?
    /// A short quotation of its text.
    public var text: String?
    /// How sure the registry is of it.
    public var status: Status
    /// Where its text is published, when the registry knows.
    public var url: String?
    /// Where the clause's `id:` is written.
    public var span: Span

    /// The summary, else the quotation.
    public var description: String { summary ?? text ?? "" }
  }

  /// The instrument's id (`PBOC-2021-3`): capitals, digits and `-`.
  public var id: Located<String>
  public var title: String
  /// Who issued it.
  public var issuer: String
  /// When it was issued, as precisely as known: `2021`, `2020-07` or `2024-11-08`.
  public var date: String?
  /// Where its text is published, when the registry knows.
  public var url: String?
  public var clauses: [Clause]
  /// The file it is written in.
  public var file: SourceFile
}

/// The instruments of one registry directory, and the problems met reading it.
public struct RegulationRegistry: Sendable {
  /// The directory, as diagnostics name it.
  public var directory: String
  /// Every instrument read cleanly enough to be used, in file-name order.
  public var regulations: [Regulation] = []
  /// Problems in the registry's files: YAML, keys, ids, clauses given twice.
  public var diagnostics: [Diagnostic] = []
  /// The files read, by the path diagnostics name them with.
  public var files: [String: SourceFile] = [:]
  /// Full clause id → (regulation, clause) indices.
  private var index: [String: (Int, Int)] = [:]

  /// A registry with nothing in it yet.
  public init(directory: String) { self.directory = directory }

  /// The clause a full id (`PBOC-2021-3#3`) names, with its instrument.
  public func clause(_ fullID: String) -> (regulation: Regulation, clause: Regulation.Clause)? {
    guard let (r, c) = index[fullID] else { return nil }
    return (regulations[r], regulations[r].clauses[c])
  }

  /// Every full clause id, in registry order.
  public var clauseIDs: [String] { regulations.flatMap { $0.clauses.map(\.fullID) } }

  /// Whether a `cite` item is meant as a clause id rather than free text: one word with a `#`.
  /// (It is then checked: a malformed or unknown one is an error, not silently free text.)
  public static func isClauseReference(_ text: String) -> Bool {
    text.contains("#") && !text.contains { $0.isWhitespace }
  }

  /// Whether `text` is an instrument id: a capital letter, then capitals, digits and `-`.
  public static func isInstrumentID(_ text: Substring) -> Bool {
    guard let first = text.first, first.isASCII, first.isUppercase else { return false }
    return text.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "-") }
  }

  /// Whether `text` is a clause's own id: ASCII letters, digits, `-`, `.`, `_`, `(` and `)`.
  public static func isClausePart(_ text: Substring) -> Bool {
    !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._()".contains($0)) }
  }

  /// Whether `text` is a full clause id, `INSTRUMENT#CLAUSE`.
  public static func isClauseID(_ text: String) -> Bool {
    let parts = text.split(separator: "#", omittingEmptySubsequences: false)
    return parts.count == 2 && isInstrumentID(parts[0]) && isClausePart(parts[1])
  }

  /// The directory a registry is looked for in: `regulations/`.
  public static let directoryName = "regulations"

  /// The nearest `regulations/` directory at or above `directory` (a rulebook's folder as
  /// displayed), going no higher than `root` (absolute, resolved): its displayed and real paths.
  public static func find(from directory: String, root: String) -> (display: String, real: String)? {
    var display = directory
    guard var real = Disk.realPath(directory) else { return nil }
    // A path has at most a few hundred components; the bound only guards against a loop.
    for _ in 0..<1024 {
      guard PathName.isInside(real, root: root) else { return nil }
      let candidate = PathName.join(real, directoryName)
      if Disk.isDirectory(candidate) { return (PathName.join(display, directoryName), Disk.realPath(candidate) ?? candidate) }
      if real == root || real == "/" { return nil }
      display = PathName.join(display, "..")
      real = PathName.directory(of: real)
    }
    return nil
  }

  /// Reads every `.yaml` file of the directory (not below it), in name order. `display` names the
  /// files in diagnostics; `real` is read. A file whose resolved path leaves `root` is not read.
  public static func load(display: String, real: String, root: String? = nil) -> RegulationRegistry {
    var registry = RegulationRegistry(directory: display)
    for name in Disk.list(real).sorted() where PathName.isYAML(name) && !name.hasPrefix(".") {
      let path = PathName.join(display, name)
      let target = PathName.join(real, name)
      if let root, let resolved = Disk.realPath(target), !PathName.isInside(resolved, root: root) { continue }
      switch Disk.readFile(target) {
      case .failure(let e):
        registry.diagnostics.append(Diagnostic(.unreadableFile, Span.start(of: path), "cannot read \(path): \(e.reason)"))
      case .success(let bytes):
        switch SourceFile.decode(path: path, bytes: bytes) {
        case .failure(let d): registry.diagnostics.append(d)
        case .success(let file):
          registry.files[path] = file
          let (regulation, ds) = read(file)
          registry.diagnostics += ds
          if let regulation { registry.add(regulation) }
        }
      }
    }
    return registry
  }

  /// Adds an instrument; one whose id is taken already is reported and left out.
  mutating func add(_ r: Regulation) {
    if let other = regulations.first(where: { $0.id.value == r.id.value }) {
      diagnostics.append(Diagnostic(
        .duplicateName, r.id.span, "two files of the registry are regulation `\(r.id.value)`",
        notes: [.init("the first is here", at: other.id.span)], help: ["give each instrument its own id, or merge the two files"]))
      return
    }
    for (c, clause) in r.clauses.enumerated() { index[clause.fullID] = (regulations.count, c) }
    regulations.append(r)
  }

  static let topKeys = ["precept", "regulation", "title", "issuer", "date", "url", "clauses"]
  static let clauseKeys = ["id", "status", "summary", "text", "url"]

  /// Reads one regulation file; problems are diagnostics with their places.
  public static func read(_ file: SourceFile) -> (Regulation?, [Diagnostic]) {
    let (root, loaded) = YAMLLoader.load(file)
    var r = NodeReader(file: file)
    r.diagnostics = loaded
    guard let root, !loaded.hasErrors,
      let m = r.mapping(root, of: "a regulation", allowed: topKeys, required: ["precept", "regulation", "title", "issuer", "clauses"])
    else { return (nil, r.diagnostics) }
    if let v = m["precept"], let version = r.scalar(v.value, "`precept`"), version.value != "1" {
      r.report(.formatVersion, version.span, "this regulation is written for format `precept: \(version.value)`; this precept reads `precept: 1`")
    }
    let id = m["regulation"].flatMap { r.text($0.value, "`regulation`") }
    let title = m["title"].flatMap { r.text($0.value, "`title`") }
    let issuer = m["issuer"].flatMap { r.text($0.value, "`issuer`") }
    let date = m["date"].flatMap { r.text($0.value, "`date`") }
    if let date, !isPartialDate(date.value) {
      r.report(.invalidValue, date.span, "`\(date.value)` is not a date", help: ["write the year, year and month, or the day: `2021`, `2020-07` or `2024-11-08`"])
    }
    let url = m["url"].flatMap { r.text($0.value, "`url`") }
    if let id, !isInstrumentID(id.value[...]) {
      r.report(.invalidID, id.span, "`\(id.value)` is not a regulation id", help: ["write capital letters, digits and `-`, starting with a letter, e.g. `PBOC-2021-3`"])
    }
    var clauses: [Regulation.Clause] = []
    for item in m["clauses"].flatMap({ r.sequence($0.value, "`clauses`") }) ?? [] {
      if let c = clause(item, of: id?.value ?? "", &r) {
        if let other = clauses.first(where: { $0.id == c.id }) {
          r.report(
            .duplicateName, c.span, "clause `\(c.id)` of \(id?.value ?? "this regulation") is given twice",
            notes: [.init("the first is here", at: other.span)], help: ["each clause needs its own id: rules cite it by that id"])
        } else {
          clauses.append(c)
        }
      }
    }
    guard let id, isInstrumentID(id.value[...]), let title, let issuer, !r.diagnostics.hasErrors else { return (nil, r.diagnostics) }
    let regulation = Regulation(id: id, title: title.value, issuer: issuer.value, date: date?.value, url: url?.value, clauses: clauses, file: file)
    return (regulation, r.diagnostics)
  }

  private static func clause(_ item: YAMLNode, of regulation: String, _ r: inout NodeReader) -> Regulation.Clause? {
    guard let c = r.mapping(item, of: "a clause", allowed: clauseKeys, required: ["id", "status"]) else { return nil }
    let cid = c["id"].flatMap { r.text($0.value, "the clause's `id`") }
    if let cid, !isClausePart(cid.value[...]) {
      r.report(.invalidID, cid.span, "`\(cid.value)` is not a clause id", help: ["write letters, digits, `-`, `.`, `_` and brackets, e.g. `3`, `art-25(1)` or `doc`"])
    }
    let status = c["status"].flatMap { r.word($0.value, "clause status", as: Regulation.Status.self) }
    let summary = c["summary"].flatMap { r.text($0.value, "the clause's `summary`") }
    let text = c["text"].flatMap { r.text($0.value, "the clause's `text`") }
    let url = c["url"].flatMap { r.text($0.value, "the clause's `url`") }
    if c["summary"] == nil, c["text"] == nil {
      r.report(.missingKey, item.span.startOnly, "a clause needs a `summary` (what it says) or a `text` (a short quotation)")
    }
    guard let cid, isClausePart(cid.value[...]), let status, summary != nil || text != nil else { return nil }
    return Regulation.Clause(
      id: cid.value, fullID: regulation + "#" + cid.value, summary: summary?.value, text: text?.value, status: status, url: url?.value, span: cid.span)
  }

  /// `2021`, `2020-07` or a valid `2024-11-08`.
  static func isPartialDate(_ s: String) -> Bool {
    let parts = s.split(separator: "-", omittingEmptySubsequences: false)
    let digits = { (p: Substring, n: Int) in p.count == n && p.allSatisfy { $0.isASCII && $0.isNumber } }
    switch parts.count {
    case 1: return digits(parts[0], 4)
    case 2: return digits(parts[0], 4) && digits(parts[1], 2) && (1...12).contains(Int(parts[1]) ?? 0)
    case 3: return CivilDate.parse(s).ok != nil
    default: return false
    }
  }
}

extension Span {
  /// The empty span at the start of a file, for problems with the file as a whole.
  static func start(of path: String) -> Span {
    Span(file: path, start: Position(line: 1, column: 1, offset: 0), end: Position(line: 1, column: 1, offset: 0))
  }
}
