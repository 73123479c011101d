import ArgumentParser
import Foundation
import Precept
import PreceptReport

/// Problems that make input unusable: printed, then the command exits 2.
enum Failure: Error {
  case usage(String)
  case load(LoadError)

  /// Runs `body`; on a `Failure`, prints it and exits 2.
  static func exitOnFailure<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let f as Failure {
      switch f {
      case .usage(let message):
        Terminal.error(message.split(separator: "\n").map { "precept: " + TerminalText.escaped(String($0)) }.joined(separator: "\n"))
      case .load(let e):
        for u in e.unreadable { Terminal.error(TerminalText.escaped("precept: cannot read \(u.path): \(u.reason)")) }
        if !e.noRulebookIn.isEmpty {
          Terminal.error(TerminalText.escaped(
            "precept: error[\(DiagnosticCode.noRulebookFound.rawValue)]: no rulebook with rules found in \(e.noRulebookIn.joined(separator: ", ")) (a rulebook is a YAML file that starts with `precept: 1`)"))
        }
        let shown = e.diagnostics.filter { $0.severity == .error }
        if !shown.isEmpty { Terminal.error(DiagnosticRenderer(files: e.files, color: Terminal.errorColor).render(shown)) }
      }
      throw ExitCode(2)
    }
  }
}

/// The evaluation date when none is given: today in UTC, read once by the command, never by rules.
enum Clock {
  static func today() -> CivilDate {
    let days = Int((Date().timeIntervalSince1970 / 86_400).rounded(.down))
    return CivilDate(daysSinceEpoch: days) ?? CivilDate(daysSinceEpoch: 0)!
  }
}

/// Printing decisions in the chosen format.
enum Output {
  static func decisions(_ ds: [Decision], notApplicable: [Session.NotApplicable], json: Bool, traces: Bool) {
    if json {
      var w = JSONWriter(pretty: true, capacity: 64 * 1024)
      if ds.count == 1 && notApplicable.isEmpty {
        DecisionJSON.write(ds[0], into: &w)
      } else {
        w.beginArray()
        for d in ds { DecisionJSON.write(d, into: &w) }
        w.endArray()
      }
      w.bytes.append(0x0A)
      w.bytes.withUnsafeBytes { Terminal.write(bytes: $0) }
      return
    }
    let renderer = DecisionRenderer(color: Terminal.color, traces: traces)
    Terminal.write(ds.map { renderer.render($0) }.joined(separator: "\n"))
    for n in notApplicable {
      let roots = n.missingRoots.map { "`\($0)`" }.joined(separator: ", ")
      Terminal.write("\n" + TerminalText.escaped("\(n.rulebook.id): not applicable — the facts have no \(roots)") + "\n")
    }
  }
}

extension Output {
  /// The HTML review report: the decisions, the facts they were made on (for the product and its
  /// copy), and the rules' word lists read again from the rulebooks (for negated phrases).
  static func report(_ ds: [Decision], notApplicable: [Session.NotApplicable], facts: FactsDocument, options: EvaluationOptions, allTraces: Bool) {
    let project = Project.load(paths: options.rulebooks, root: options.root, registry: options.registry)
    let input = ReportInput(
      decisions: ds, notApplicable: notApplicable.map { ($0.rulebook.id, $0.missingRoots) }, facts: FactsTree.json(facts.root),
      factsSource: options.facts, claimTerms: ClaimTerms.resolve(project, for: ds), allTraces: allTraces)
    Terminal.write(DecisionReport.html(input))
  }
}

/// Reading `--waivers FILE`: a malformed file is unusable input (its problems printed, exit 2).
enum WaiverOption {
  static func load(_ path: String?) throws -> WaiverFile? {
    guard let path else { return nil }
    switch WaiverFile.read(path: path) {
    case .failure(let e):
      throw Failure.usage("cannot read --waivers \(e.path): \(e.reason)")
    case .success(let file):
      let errors = file.diagnostics.filter { $0.severity == .error }
      if !errors.isEmpty {
        let files = file.file.map { [$0.path: $0] } ?? [:]
        Terminal.error(DiagnosticRenderer(files: files, color: Terminal.errorColor).render(errors))
        throw ExitCode(2)
      }
      return file
    }
  }

  /// Waivers naming a rulebook or rule that is not loaded apply to nothing: said on standard error.
  static func warnUnmatched(_ file: WaiverFile?, _ rulebooks: [CompiledRulebook], asOf: CivilDate) {
    guard let file else { return }
    for d in file.check(rulebooks, asOf: asOf) where d.code == .waiverUnknownRule {
      Terminal.error(TerminalText.escaped("precept: warning[\(d.code.rawValue)]: \(d.span.description): \(d.message)"))
    }
  }
}
