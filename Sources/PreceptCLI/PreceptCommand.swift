import ArgumentParser
import Precept

import Foundation

@main
struct PreceptCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "precept",
    abstract: "Rules and compliance checks for financial products.",
    version: PreceptInfo.version,
    subcommands: [LintCommand.self, CheckCommand.self, TraceCommand.self, EvalCommand.self, TestCommand.self, GraphCommand.self]
  )

  /// Runs the command; usage mistakes exit 2 like any other unusable input (0 ok, 1 findings, 2 bad input).
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        print(fullMessage(for: error))
        Foundation.exit(0)
      }
      if code.rawValue == 1 || code.rawValue == 2 { Foundation.exit(code.rawValue) }
      Terminal.error(fullMessage(for: error))
      Foundation.exit(2)
    }
  }
}

/// Where the CLI writes, and whether it may use colour.
enum Terminal {
  static func error(_ message: String) {
    var text = message
    if !text.hasSuffix("\n") { text += "\n" }
    FileHandle.standardError.write(Data(text.utf8))
  }

  static func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  /// Colour only on a terminal, and never when NO_COLOR is set.
  static var color: Bool { isatty(1) == 1 && getenv("NO_COLOR") == nil }
  static var errorColor: Bool { isatty(2) == 1 && getenv("NO_COLOR") == nil }
}
