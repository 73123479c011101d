import ArgumentParser
import Foundation
import Precept

@main
struct PreceptCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "precept",
    abstract: "Rules and compliance checks for financial products.",
    version: "\(PreceptInfo.version) (commit \(BuildInfo.commit))",
    subcommands: [
      LintCommand.self, CheckCommand.self, TraceCommand.self, EvalCommand.self, TestCommand.self, GraphCommand.self, DiffCommand.self, CoverageCommand.self,
      FmtCommand.self, LSPCommand.self, ServeCommand.self, LogCommand.self, TokenCommand.self,
    ]
  )

  /// Runs the command; usage mistakes exit 2 like any other unusable input (0 ok, 1 findings, 2 bad input).
  static func main() {
    Terminal.start()
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        Terminal.write(fullMessage(for: error) + "\n")
        Foundation.exit(0)
      }
      // 1 and 2 are ours; 128 + N is an interrupted `eval` (SIGINT 130, SIGTERM 143).
      if code.rawValue == 1 || code.rawValue == 2 || error is ExitCode && code.rawValue > 128 { Foundation.exit(code.rawValue) }
      Terminal.error(fullMessage(for: error))
      Foundation.exit(2)
    }
  }
}
