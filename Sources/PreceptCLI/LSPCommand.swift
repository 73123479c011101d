import ArgumentParser
import Foundation
import PreceptLSP

struct LSPCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lsp",
    abstract: "Run the Language Server (LSP 3.17) over standard input and output, for editors."
  )

  @Flag(help: "Write how long each re-check takes to standard error.")
  var timing = false

  func run() throws {
    let status = Server(input: 0, output: 1, timing: timing || ProcessInfo.processInfo.environment["PRECEPT_LSP_TIMING"] == "1").run()
    if status != 0 { throw ExitCode(status) }
  }
}
