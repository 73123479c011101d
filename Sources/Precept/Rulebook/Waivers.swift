/// A signed exception to one rule for the facts it names, for a period:
///
/// ```yaml
/// precept: 1
/// waivers:
///   - rule: PRICE-APR-CAP
///     rulebook: cn.consumer-credit
///     facts: { product.id: CL-2026-017 }
///     reason: legacy book, repriced at renewal
///     approved_by: { department: risk, name: 王敏 }
///     approved_at: 2026-11-01
///     expires: 2027-03-31
/// ```
///
/// A violated rule whose facts match a waiver that is valid on the evaluation date (from
/// `approved_at` to `expires`, both included) is `waived`: listed, not counted in the outcome.
public struct Waiver: Sendable, Equatable {
  public var rule: String
  public var rulebook: String
  /// Dotted fact paths and the values they must have (as written: `CL-2026-017`, `consumer_loan`, `18`).
  public var facts: [(path: String, value: String)]
  public var reason: String
  public var department: String
  public var approver: String
  public var approvedAt: CivilDate
  public var expires: CivilDate
  /// Where the waiver is written (its `- rule:` item).
  public var span: Span

  public static func == (a: Waiver, b: Waiver) -> Bool {
    a.rule == b.rule && a.rulebook == b.rulebook && a.facts.map(\.path) == b.facts.map(\.path) && a.facts.map(\.value) == b.facts.map(\.value)
      && a.reason == b.reason && a.department == b.department && a.approver == b.approver && a.approvedAt == b.approvedAt
      && a.expires == b.expires && a.span == b.span
  }

  /// Whether the waiver is in force on `date`.
  public func isValid(on date: CivilDate) -> Bool { approvedAt <= date && date <= expires }
}

/// A waivers file read: the waivers that are well formed, and the problems of the rest.
public struct WaiverFile: Sendable {
  public var waivers: [Waiver]
  public var diagnostics: [Diagnostic]
  public var file: SourceFile?

  /// Reads a waivers file (YAML). Problems in it are diagnostics with places, as for rulebooks;
  /// a file that cannot be read is an error.
  public static func read(path: String) -> Result<WaiverFile, DiskError> {
    Disk.readFile(path).map { bytes in
      switch SourceFile.decode(path: path, bytes: bytes) {
      case .failure(let d): WaiverFile(waivers: [], diagnostics: [d], file: nil)
      case .success(let file): parse(file)
      }
    }
  }

  /// The waivers of a file for a process that loads them with its rulebooks (`precept serve`, at
  /// start and on reload): an unreadable file or one with errors is a `LoadError`, as rulebooks are.
  public static func load(path: String) throws(LoadError) -> [Waiver] {
    switch read(path: path) {
    case .failure(let e):
      throw LoadError(diagnostics: [], unreadable: [e], files: [:])
    case .success(let f):
      guard !f.diagnostics.contains(where: { $0.severity == .error }) else {
        throw LoadError(diagnostics: f.diagnostics, unreadable: [], files: f.file.map { [$0.path: $0] } ?? [:])
      }
      return f.waivers
    }
  }

  /// Reads waivers from a file's text.
  public static func parse(_ file: SourceFile) -> WaiverFile {
    let (root, loaded) = YAMLLoader.load(file)
    var r = NodeReader(file: file)
    r.diagnostics = loaded
    guard let root else { return WaiverFile(waivers: [], diagnostics: r.diagnostics, file: file) }
    var out: [Waiver] = []
    if let top = r.mapping(root, of: "a waivers file", allowed: ["precept", "waivers"], required: ["precept", "waivers"]) {
      if let v = top["precept"], r.scalar(v.value, "`precept`")?.value != "1" {
        r.report(.invalidValue, v.value.span, "this waivers file is for format `precept: \(r.scalar(v.value, "`precept`")?.value ?? "?")`; this precept reads `precept: 1`")
      }
      for item in top["waivers"].flatMap({ r.sequence($0.value, "`waivers`") }) ?? [] {
        if let w = waiver(item, &r) { out.append(w) }
      }
    }
    return WaiverFile(waivers: out, diagnostics: r.diagnostics, file: file)
  }

  private static func waiver(_ item: YAMLNode, _ r: inout NodeReader) -> Waiver? {
    let keys = ["rule", "rulebook", "facts", "reason", "approved_by", "approved_at", "expires"]
    guard let m = r.mapping(item, of: "a waiver", allowed: keys, required: keys) else { return nil }
    guard let rule = m["rule"].flatMap({ r.text($0.value, "the waiver's `rule`") }),
      let rulebook = m["rulebook"].flatMap({ r.text($0.value, "the waiver's `rulebook`") }),
      let reason = m["reason"].flatMap({ r.text($0.value, "the waiver's `reason`") })
    else { return nil }
    var facts: [(String, String)] = []
    if let f = m["facts"] {
      guard case .mapping(let pairs) = f.value.kind, !pairs.isEmpty else {
        r.report(.waiver, f.value.span, "a waiver's `facts` names the facts it is for, e.g. `facts: { product.id: CL-2026-017 }`")
        return nil
      }
      for p in pairs {
        guard let v = r.scalar(p.value, "the value of `\(p.name)`") else { return nil }
        facts.append((p.name, v.value))
      }
    }
    var department: Located<String>?
    var approver: Located<String>?
    if let a = m["approved_by"], let am = r.mapping(a.value, of: "`approved_by`", allowed: ["department", "name"], required: ["department", "name"]) {
      department = am["department"].flatMap { r.text($0.value, "the approving department") }
      approver = am["name"].flatMap { r.text($0.value, "the approver's name") }
    }
    func date(_ key: String) -> CivilDate? {
      guard let t = m[key].flatMap({ r.scalar($0.value, "`\(key)`") }) else { return nil }
      guard case .success(let d) = CivilDate.parse(t.value) else {
        r.report(.invalidValue, t.span, "`\(t.value)` is not a date; write YYYY-MM-DD")
        return nil
      }
      return d
    }
    // Every problem is reported, not only the first.
    let approvedAt = date("approved_at")
    let expiresAt = date("expires")
    guard let department, let approver, let approvedAt, let expires = expiresAt else { return nil }
    if expires < approvedAt {
      r.report(.waiver, item.span.startOnly, "waiver of \(rule.value) expires (\(expires)) before it is approved (\(approvedAt))")
      return nil
    }
    return Waiver(
      rule: rule.value, rulebook: rulebook.value, facts: facts, reason: reason.value, department: department.value, approver: approver.value,
      approvedAt: approvedAt, expires: expires, span: item.span)
  }
}
