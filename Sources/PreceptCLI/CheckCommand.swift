import ArgumentParser
import Precept

/// Options shared by `check` and `trace`.
struct EvaluationOptions: ParsableArguments {
  @ArgumentParser.Argument(help: "Rulebook files, or directories searched for rulebooks.")
  var rulebooks: [String]

  @Option(help: "The facts: a product dossier, applicant or other facts file (YAML or JSON).")
  var facts: String

  @Option(name: .customLong("as-of"), help: "The evaluation date, YYYY-MM-DD (default: today, UTC).")
  var asOf: String?

  @Option(help: "Lifecycle stage: planning, design, approval, launch, operation, exit (default: the facts' product.stage, if any).")
  var stage: String?

  @Option(help: "Directory that imports (and test facts files) may not leave (default: the git checkout holding every path, else the deepest directory holding them).")
  var root: String?

  @Option(help: "The regulations registry's folder that clause ids in `cite` name (default: the nearest `regulations/` at or above each rulebook, inside the root).")
  var registry: String?

  @Flag(help: "For each violated or unknown rule, say what change to the facts would make it pass (text, and `fix` in JSON).")
  var counterfactuals = false

  @Option(help: "A waivers file: violated rules it covers for these facts are `waived` (docs/waivers.md).")
  var waivers: String?

  /// Loads rulebooks and facts and decides them; prints problems and exits 2 on unusable input.
  func decide() throws -> Session.Decisions { try decideKeepingFacts().decided }

  /// `decide()`, also giving the facts document (the HTML report shows the copy and the product).
  func decideKeepingFacts() throws -> (decided: Session.Decisions, facts: FactsDocument) {
    let date = try AsOf.parse(asOf)
    let chosen = try StageOption.parse(stage)
    let waiverFile = try WaiverOption.load(waivers)
    let session: Session
    do throws(LoadError) { session = try Session(paths: rulebooks, root: root, registry: registry, waivers: waiverFile?.waivers ?? []) } catch { throw Failure.load(error) }
    WaiverOption.warnUnmatched(waiverFile, session.rulebooks, asOf: date)
    let doc: FactsDocument
    switch FactsDocument.read(path: facts) {
    case .success(let d): doc = d
    case .failure(let e): throw Failure.load(e)
    }
    switch session.decide(doc, asOf: date, stage: chosen, trace: true, counterfactuals: counterfactuals) {
    case .success(let d):
      for key in d.unreadKeys {
        Terminal.error(TerminalText.escaped("precept: warning[\(DiagnosticCode.unreadFactsKey.rawValue)]: " + session.unreadKeyWarning(key)))
      }
      return (d, doc)
    case .failure(let e):
      let lines = e.errors.map {
        "\(facts)\($0.span.map { ":\($0.start.line):\($0.start.column)" } ?? ""): \($0.code.map { "error[\($0.rawValue)]: " } ?? "")\($0.description)"
      }
      throw Failure.usage((lines + ["nothing was evaluated"]).joined(separator: "\n"))
    }
  }
}

/// Reading `--as-of`.
enum AsOf {
  static func parse(_ text: String?) throws -> CivilDate {
    guard let text else { return Clock.today() }
    guard case .success(let d) = CivilDate.parse(text) else { throw Failure.usage("--as-of `\(text)` is not a date; write YYYY-MM-DD") }
    return d
  }
}

/// Reading `--stage`.
enum StageOption {
  static func parse(_ text: String?) throws -> Stage? {
    guard let s = text else { return nil }
    guard let st = Stage(rawValue: s) else {
      throw Failure.usage("--stage `\(s)` is not a stage; use one of " + Stage.allCases.map(\.rawValue).joined(separator: ", "))
    }
    return st
  }
}

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Evaluate rulebooks on a proposed product (or other facts) and print the decision.",
    discussion: "Exit status: 0 below the --fail-on level, 1 at or above it, 2 unusable rulebooks or facts."
  )

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html }
  enum FailOn: String, ExpressibleByArgument, CaseIterable { case warning, review, block }

  @OptionGroup var options: EvaluationOptions

  @Option(help: "Output format: text, json, or html (a self-contained review report).")
  var format: Format = .text

  @Option(name: .customLong("fail-on"), help: "Exit 1 when the outcome is at least this: warning, review or block.")
  var failOn: FailOn = .block

  func run() throws {
    let (decided, facts) = try Failure.exitOnFailure { try options.decideKeepingFacts() }
    let decisions = decided.decisions
    if format == .html {
      Output.report(decisions, notApplicable: decided.notApplicable, facts: facts, options: options, allTraces: false)
    } else {
      Output.decisions(decisions, notApplicable: decided.notApplicable, json: format == .json, traces: false)
    }
    let threshold = Outcome(rawValue: failOn.rawValue) ?? .block
    if decisions.contains(where: { $0.outcome >= threshold }) { throw ExitCode(1) }
  }
}

struct TraceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trace",
    abstract: "Evaluate rulebooks and show how every rule reached its verdict.",
    discussion: "Exit status: 0 on success, 2 unusable rulebooks or facts."
  )

  @OptionGroup var options: EvaluationOptions

  @Option(help: "Show only this rule (by id).")
  var rule: String?

  @Option(help: "Output format: text, json, or html (a self-contained review report with every trace).")
  var format: CheckCommand.Format = .text

  func run() throws {
    let (decided, facts) = try Failure.exitOnFailure { try options.decideKeepingFacts() }
    var decisions = decided.decisions
    if let id = rule {
      decisions = decisions.compactMap { d in
        let kept = d.results.filter { $0.rule.id == id }
        return kept.isEmpty ? nil : Decision(filtering: d, to: kept)
      }
      if decisions.isEmpty {
        let ids = decided.decisions.flatMap { $0.results.map(\.rule.id) }
        let near = Suggestion.closest(to: id, among: ids).map { "; did you mean `\($0)`?" } ?? ""
        Terminal.error(TerminalText.escaped("precept: error[\(DiagnosticCode.unknownRuleID.rawValue)]: no rule `\(id)` in the rulebooks that apply to these facts\(near)"))
        throw ExitCode(2)
      }
    }
    let notApplicable = rule == nil ? decided.notApplicable : []
    if format == .html {
      Output.report(decisions, notApplicable: notApplicable, facts: facts, options: options, allTraces: true)
    } else {
      Output.decisions(decisions, notApplicable: notApplicable, json: format == .json, traces: true)
    }
  }
}
