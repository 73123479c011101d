/// The check pipeline as a value: rulebooks loaded, checked and compiled once, each with its facts
/// plan; then, for any facts, which rulebooks apply (their roots present), at which stage (given,
/// or the dossier's `product.stage`), the facts validated against each one's schema, and the
/// decisions. `check`, `trace`, `test`, `eval` and the Swift API all go through here, so the same
/// facts are decided alike through every door. Immutable; share it across threads.
public final class Session: Sendable {
  /// The rulebooks with rules, in the order loaded.
  public let rulebooks: [CompiledRulebook]
  /// Warnings found while loading (errors make loading fail).
  public let warnings: [Diagnostic]
  /// Each rulebook's facts plan.
  let plans: [FactsPlan]
  /// Waivers applied to every decision (`--waivers`): a violated rule they cover is `waived`.
  public let waivers: [Waiver]
  /// Every root name a rulebook reads, sorted.
  public let rootNames: [String]
  /// The single root every rulebook shares, when they all read exactly one and the same root:
  /// then a JSON line may be that root's value itself (a flat record).
  public let sharedRoot: String?

  /// Loads, checks and compiles the rulebooks at `paths` (files or directories). Imports may not
  /// leave `root` (default: the deepest directory holding every path). Throws when a path cannot
  /// be read, a rulebook has an error, or no rulebook with rules is found. `registry` names the
  /// regulations registry that clause ids in `cite` are checked against (default: the nearest
  /// `regulations/` above each rulebook that cites one). With `warnings: false` the lint warnings
  /// are not looked for (`warnings` is then empty of them; what loads is the same).
  public convenience init(paths: [String], root: String? = nil, registry: String? = nil, waivers: [Waiver] = [], warnings lookForWarnings: Bool = true) throws(LoadError) {
    let (books, warnings) = try Rulebooks.load(paths: paths, root: root, registry: registry, warnings: lookForWarnings)
    guard !books.isEmpty else {
      throw LoadError(diagnostics: [], unreadable: [], files: [:], noRulebookIn: paths)
    }
    self.init(rulebooks: books, warnings: warnings, waivers: waivers)
  }

  /// A session over rulebooks already compiled.
  public init(rulebooks: [CompiledRulebook], warnings: [Diagnostic] = [], waivers: [Waiver] = []) {
    self.rulebooks = rulebooks
    self.warnings = warnings
    self.waivers = waivers
    plans = rulebooks.map { FactsPlan($0.roots) }
    rootNames = Set(rulebooks.flatMap { $0.roots.map(\.name) }).sorted()
    let singles = Set(rulebooks.map { $0.roots.count == 1 ? $0.roots[0].name : "" })
    sharedRoot = singles.count == 1 && !singles.contains("") ? singles.first : nil
  }

  /// Facts validated for every rulebook that applies to them.
  public struct Facts: Sendable {
    /// The stage the rules are judged at: the one asked for, else the facts' `product.stage`.
    public var stage: Stage?
    /// Each applicable rulebook (an index into `rulebooks`) with its facts as values.
    public var inputs: [(rulebook: Int, values: [Value])]
    /// Rulebooks that do not apply, with the roots the facts lack.
    public var notApplicable: [NotApplicable]
    /// Top-level keys of the facts that no rulebook reads (a misspelt root, or facts for another tool).
    public var unreadKeys: [String] = []
  }

  /// A rulebook that does not apply to the facts: they lack some of its roots.
  public struct NotApplicable: Sendable {
    /// The rulebook.
    public var rulebook: CompiledRulebook
    /// Its roots that the facts do not have, sorted.
    public var missingRoots: [String]
  }

  /// Decisions for one facts document.
  public struct Decisions: Sendable {
    /// One decision per rulebook that applies, in the session's order.
    public var decisions: [Decision]
    /// The rulebooks that do not apply, and why.
    public var notApplicable: [NotApplicable]
    /// The stage the rules were judged at.
    public var stage: Stage?
    /// Top-level keys of the facts that no rulebook reads.
    public var unreadKeys: [String] = []
  }

  /// Validates `facts` for every rulebook whose roots they have. Fails when the facts are not a
  /// mapping, name an unknown stage, fit no rulebook (naming the roots expected), or do not fit
  /// the schema of a rulebook that applies.
  public func facts(_ document: FactsDocument, stage asked: Stage? = nil) -> Result<Facts, FactsErrors> {
    facts(document.root, stage: asked)
  }

  /// `facts(_:stage:)` for a parsed tree (a rulebook test's inline facts).
  func facts(_ root: YAMLNode, stage asked: Stage?) -> Result<Facts, FactsErrors> {
    guard case .mapping(let pairs) = root.kind else {
      return .failure(FactsErrors(errors: [FactsError(
        path: "", message: "facts must be a mapping of fact names (such as `product`) to values, found \(root.kindDescription)",
        span: root.span)]))
    }
    let keys = Set(pairs.map(\.name))
    var stage = asked
    if asked == nil, let product = pairs.first(where: { $0.name == "product" })?.value, case .mapping(let fields) = product.kind,
      let node = fields.first(where: { $0.name == "stage" })?.value, !node.isNull
    {
      switch node.scalarValue.map(FactsPlan.stage) {
      case .success(let s)?: stage = s
      case .failure(var e)?:
        e.span = node.span
        return .failure(FactsErrors(errors: [e]))
      case nil:
        return .failure(FactsErrors(errors: [FactsError(path: "product.stage", message: "expected a stage name, found \(node.kindDescription)", span: node.span)]))
      }
    }
    var out = Facts(stage: stage, inputs: [], notApplicable: [], unreadKeys: pairs.map(\.name).filter { !rootNames.contains($0) })
    var errors: [FactsError] = []
    for (b, book) in rulebooks.enumerated() {
      let missing = book.roots.map(\.name).filter { !keys.contains($0) }
      guard missing.isEmpty else {
        out.notApplicable.append(NotApplicable(rulebook: book, missingRoots: missing))
        continue
      }
      switch FactsReader.read(root, plan: plans[b]) {
      case .success(let values): out.inputs.append((b, values))
      case .failure(let e): errors += e.errors
      }
    }
    if out.inputs.isEmpty && errors.isEmpty {
      return .failure(FactsErrors(errors: [noRulebookApplies(keys: pairs.map(\.name), span: root.span)]))
    }
    if !errors.isEmpty { return .failure(FactsErrors(errors: Session.distinct(errors))) }
    return .success(out)
  }

  /// Decides `document` with every rulebook that applies to it, as of `asOf`.
  /// With `counterfactuals`, each violated or unknown result says what would make it pass.
  public func decide(
    _ document: FactsDocument, asOf: CivilDate, stage: Stage? = nil, trace: Bool = false, counterfactuals: Bool = false
  ) -> Result<Decisions, FactsErrors> {
    facts(document, stage: stage).map { f in
      Decisions(
        decisions: f.inputs.map {
          rulebooks[$0.rulebook].evaluate(
            $0.values, asOf: asOf, stage: f.stage, trace: trace, counterfactuals: counterfactuals, waivers: waivers)
        },
        notApplicable: f.notApplicable, stage: f.stage, unreadKeys: f.unreadKeys)
    }
  }

  /// The error for facts that no rulebook applies to: the roots the rulebooks expect, and the
  /// closest expected root for a top-level key that may be its misspelling.
  func noRulebookApplies(keys: [String], span: Span? = nil) -> FactsError {
    let books = rulebooks
    let expected = books.map { "`" + $0.roots.map(\.name).joined(separator: "` and `") + "`" }
    var unique: [String] = []
    for e in expected where !unique.contains(e) { unique.append(e) }
    var message = "no rulebook applies to these facts: "
    message += books.count == 1 ? "\(books[0].id) reads \(unique[0])" : "the rulebooks read " + unique.joined(separator: ", or ")
    message += keys.isEmpty ? ", and the facts have no keys" : ", and the facts have " + keys.map { "`\($0)`" }.joined(separator: ", ")
    let roots = Set(books.flatMap { $0.roots.map(\.name) })
    let hints = keys.filter { !roots.contains($0) }.compactMap { k in Suggestion.closest(to: k, among: roots).map { "did you mean `\($0)` for `\(k)`?" } }
    if !hints.isEmpty { message += "; " + hints.joined(separator: "; ") }
    return FactsError(path: "", message: message, span: span, code: .noRulebookApplies)
  }

  /// The warning for a top-level key no rulebook reads, with the closest root it may misspell.
  public func unreadKeyWarning(_ key: String) -> String {
    let near = Suggestion.closest(to: key, among: rootNames).map { "; did you mean `\($0)`?" } ?? ""
    return "no rulebook reads the facts' top-level key `\(key)`\(near)"
  }

  /// The errors without repeats (two rulebooks over the same schema find the same problem), in order.
  static func distinct(_ errors: [FactsError]) -> [FactsError] {
    var seen = Set<String>()
    return errors.filter { seen.insert($0.description + ($0.span?.description ?? "")).inserted }
  }
}
