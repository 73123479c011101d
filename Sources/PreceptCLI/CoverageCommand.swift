import ArgumentParser
import Precept
import PreceptReport

struct CoverageCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "coverage",
    abstract: "Report which clauses of the regulations registry the rules encode and the tests exercise.",
    discussion: """
      The registry is --registry DIR, or the nearest `regulations/` folder at or above each rulebook, inside the root. \
      Exit status: 0 the report was written, 2 unusable rulebooks or registry, or no registry found.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html }

  @Flag(help: "Coverage of the regulations registry: each clause, the rules that cite it, the tests that exercise them (the only coverage this command reports; rule coverage by tests is `precept test --coverage`).")
  var regulations = false

  @ArgumentParser.Argument(help: "Rulebook files, or directories searched for rulebooks.")
  var paths: [String]

  @Option(help: "The regulations registry's folder (default: the nearest `regulations/` at or above each rulebook, inside the root).")
  var registry: String?

  @Option(help: "Output format: text, json, or html (a self-contained page).")
  var format: Format = .text

  @Option(help: "Directory that imports (and test facts files) may not leave (default: the git checkout holding every path, else the deepest directory holding them).")
  var root: String?

  func run() throws {
    guard regulations else {
      _ = try Failure.exitOnFailure { () throws -> Bool in
        throw Failure.usage("say which coverage to report: `precept coverage --regulations PATH...` (rule coverage by tests is `precept test --coverage`)")
      }
      return
    }
    let coverage = try Failure.exitOnFailure { () throws -> RegulationCoverage in
      let c: RegulationCoverage
      do throws(LoadError) {
        c = try RegulationCoverage.run(paths: paths, root: root, registry: registry, defaultAsOf: Clock.today())
      } catch {
        throw Failure.load(error)
      }
      guard !c.registries.isEmpty else {
        throw Failure.usage(
          "no regulations registry found: no `regulations/` folder at or above \(paths.joined(separator: ", ")) inside the root; pass --registry DIR")
      }
      return c
    }
    switch format {
    case .text: Terminal.write(RegulationCoverageOutput.text(coverage))
    case .json: Terminal.write(RegulationCoverageOutput.json(coverage).serialized(pretty: true) + "\n")
    case .html: Terminal.write(RegulationCoverageHTML.html(coverage))
    }
  }
}
