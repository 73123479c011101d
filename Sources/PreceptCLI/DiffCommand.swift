import ArgumentParser
import Dispatch
import Foundation
import Precept

struct DiffCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diff",
    abstract: "Compare two versions of rulebooks: what changed, and what it changes for a corpus of facts.",
    discussion: """
      OLD and NEW are rulebook files or directories (two checkouts of rulebooks/). With --facts, every \
      document of the corpus (dossiers, applicant files, or lines of .jsonl files) is decided under both \
      versions and each rule whose status flips is listed.
      Exit status: 0 when no rule status or outcome flips, 1 when any does, 2 unusable rulebooks or facts.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

  @ArgumentParser.Argument(help: "The old rulebooks (a file or a directory).")
  var old: String

  @ArgumentParser.Argument(help: "The new rulebooks (a file or a directory).")
  var new: String

  @Option(name: .customLong("facts"), help: "A facts file, a directory of them, or a .jsonl file (repeatable).")
  var corpus: [String] = []

  @Option(name: .customLong("as-of"), help: "The evaluation date, YYYY-MM-DD (default: today, UTC).")
  var asOf: String?

  @Option(help: "Lifecycle stage for every document (default: each dossier's product.stage, if any).")
  var stage: String?

  @Option(help: "Output format: text or json.")
  var format: Format = .text

  func run() throws {
    let date = try Failure.exitOnFailure { try AsOf.parse(asOf) }
    let chosen = try Failure.exitOnFailure { try StageOption.parse(stage) }
    let before = try Failure.exitOnFailure { try Self.load(old) }
    let after = try Failure.exitOnFailure { try Self.load(new) }
    let diff = RulebookDiff.compare(old: before.checked, oldBooks: before.books, new: after.checked, newBooks: after.books)
    let files = try Failure.exitOnFailure { try Corpus.files(corpus) }
    let shadow = try Failure.exitOnFailure {
      try Corpus.run(files, old: before.session, new: after.session, asOf: date, stage: chosen)
    }
    let report = DiffReport(diff: diff, shadow: shadow, asOf: date, old: old, new: new)
    Terminal.write(format == .json ? report.json.serialized(pretty: true) + "\n" : report.text)
    if !shadow.unusable.isEmpty {
      for u in shadow.unusable { Terminal.error(TerminalText.escaped("precept: \(u.facts): \(u.why)")) }
      throw ExitCode(2)
    }
    if report.flipped { throw ExitCode(1) }
  }

  struct Version {
    var checked: CheckedProject
    var books: [CompiledRulebook]
    var session: Session
  }

  static func load(_ path: String) throws -> Version {
    do throws(LoadError) {
      let (checked, books) = try Rulebooks.loadChecked(paths: [path])
      let withRules = books.filter { !$0.rules.isEmpty }
      guard !withRules.isEmpty else { throw LoadError.noRulebook(in: [path]) }
      return Version(checked: checked, books: books, session: Session(rulebooks: withRules, warnings: checked.diagnostics))
    } catch {
      throw Failure.load(error)
    }
  }
}

/// The corpus of a shadow run: facts files and JSON Lines, decided under both versions, in
/// parallel, in the order given (files in name order within a directory, lines in file order).
enum Corpus {
  struct File {
    var path: String
    var lines: Bool
  }

  static let extensions = ["yaml", "yml", "json", "jsonl"]

  static func files(_ paths: [String]) throws -> [File] {
    var out: [File] = []
    for path in paths {
      if Disk.isDirectory(path) {
        out += walk(path)
      } else if Disk.exists(path) {
        out.append(File(path: path, lines: path.hasSuffix(".jsonl")))
      } else {
        throw Failure.usage("--facts \(path): no such file or directory")
      }
    }
    return out
  }

  /// The facts files below a directory, in name order, hidden entries skipped.
  private static func walk(_ directory: String) -> [File] {
    var out: [File] = []
    for name in Disk.list(directory).sorted() where !name.hasPrefix(".") {
      let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
      if Disk.isDirectory(path) {
        out += walk(path)
      } else if let ext = name.split(separator: ".").last, extensions.contains(String(ext)), name.contains(".") {
        out.append(File(path: path, lines: ext == "jsonl"))
      }
    }
    return out
  }

  /// One document to decide: its label and its bytes.
  private struct Document: Sendable {
    var label: String
    var bytes: [UInt8]
    var path: String
  }

  static func run(_ files: [File], old: Session, new: Session, asOf: CivilDate, stage: Stage?) throws -> ShadowRun.Outcome {
    var outcome = ShadowRun.Outcome()
    for file in files {
      if file.lines {
        let fd = open(file.path, O_RDONLY)
        guard fd >= 0 else {
          outcome.unusable.append((file.path, String(cString: strerror(errno))))
          continue
        }
        defer { close(fd) }
        let stream = LineStream(fd, maximumLine: EvalCommand.maximumLine)
        while let batch = stream.nextBatch(maxLines: 512) {
          var documents: [Document] = []
          for (k, line) in batch.lines.enumerated() {
            let label = "\(file.path):\(batch.firstNumber + k)"
            switch line.kind {
            case .blank: continue
            case .tooLong: outcome.unusable.append((label, "the line is longer than \(EvalCommand.maximumLine) bytes"))
            case .text: documents.append(Document(label: label, bytes: Array(batch.bytes[line.range]), path: file.path + ".json"))
            }
          }
          decide(documents, old: old, new: new, asOf: asOf, stage: stage, into: &outcome)
        }
        if let e = stream.readError { outcome.unusable.append((file.path, e)) }
      } else {
        switch Disk.readFile(file.path) {
        case .success(let bytes): decide([Document(label: file.path, bytes: bytes, path: file.path)], old: old, new: new, asOf: asOf, stage: stage, into: &outcome)
        case .failure(let e): outcome.unusable.append((file.path, e.reason))
        }
      }
    }
    return outcome
  }

  /// Decides documents on every core; results are kept in input order.
  private static func decide(_ documents: [Document], old: Session, new: Session, asOf: CivilDate, stage: Stage?, into outcome: inout ShadowRun.Outcome) {
    let results = Results(count: documents.count)
    DispatchQueue.concurrentPerform(iterations: documents.count) { k in
      let d = documents[k]
      switch FactsDocument.parse(path: d.path, bytes: d.bytes) {
      case .success(let doc):
        results.set(k, .decided(ShadowRun.compare(doc, label: d.label, old: old, new: new, asOf: asOf, stage: stage)))
      case .failure(let e):
        results.set(k, .unreadable(e.diagnostics.map(\.message).joined(separator: "; ")))
      }
    }
    for (k, r) in results.all.enumerated() {
      switch r {
      case .decided(let s): outcome.add(s, label: documents[k].label)
      case .unreadable(let why): outcome.unusable.append((documents[k].label, why))
      case nil: break
      }
    }
  }

  private enum Decided: Sendable {
    case decided(ShadowRun.Result)
    case unreadable(String)
  }

  /// Results written by index from several threads, each slot by one thread.
  private final class Results: @unchecked Sendable {
    private var slots: [Decided?]
    private let lock = NSLock()
    init(count: Int) { slots = [Decided?](repeating: nil, count: count) }
    func set(_ k: Int, _ value: Decided) {
      lock.lock()
      slots[k] = value
      lock.unlock()
    }
    var all: [Decided?] { slots }
  }
}
