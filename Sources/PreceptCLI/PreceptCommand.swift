import ArgumentParser
import Precept

@main
struct PreceptCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "precept",
    abstract: "Rules and compliance checks for financial products.",
    subcommands: []
  )
}
