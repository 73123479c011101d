import ArgumentParser
import PreceptServer

struct TokenCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "token",
    abstract: "Print a new bearer token for `precept serve`, and the line to add to its tokens file.",
    discussion: "The first line is the token (give it to the client; it is not kept anywhere); the second is the tokens-file line, which holds only its SHA-256."
  )

  @ArgumentParser.Argument(help: "The client's name, recorded on each of its decisions.")
  var name: String

  @Flag(help: "Allow the admin routes (reload) and every client's decisions.")
  var admin = false

  func run() throws {
    let made = TokenTable.newToken(name: name, admin: admin)
    // The line must read back as a tokens file would: the name is checked by the same parser.
    if case .failure(let e) = TokenTable.parse(made.line, path: "NAME") {
      Terminal.error("precept: \(e.description.replacingOccurrences(of: "NAME:1:1: ", with: ""))")
      throw ExitCode(2)
    }
    Terminal.write(made.token + "\n" + made.line + "\n")
  }
}
