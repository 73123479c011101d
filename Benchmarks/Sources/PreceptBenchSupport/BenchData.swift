import Foundation
import Precept

/// Where the benchmark package, its workloads and its (generated, git-ignored) data live, and how
/// missing data is made: nothing here needs a hand step on a fresh clone.
public enum BenchPaths {
  /// The `Benchmarks/` package directory, found from this source file's path.
  public static let package: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // PreceptBenchSupport
    .deletingLastPathComponent()  // Sources
    .deletingLastPathComponent()  // Benchmarks

  public static let workloads = package.appendingPathComponent("workloads")
  public static let data = package.appendingPathComponent("data")

  /// `data/` with the full-size files (100,000 applicants, 10,000 customers), generated on first use
  /// by `workloads/gen_data.py` (deterministic; its sha256s are in README.md).
  public static func fullData() throws -> URL {
    let applicants = data.appendingPathComponent("applicants.jsonl")
    let customers = data.appendingPathComponent("customers.jsonl")
    let fm = FileManager.default
    if !fm.fileExists(atPath: applicants.path) || !fm.fileExists(atPath: customers.path) {
      try run(["python3", workloads.appendingPathComponent("gen_data.py").path, "--out", data.path])
    }
    return data
  }

  /// The 1,000-rule rulebook from `workloads/gen_rulebook.py`, in a directory of its own.
  public static func largeRulebook(rules: Int = 1000) throws -> URL {
    let dir = data.appendingPathComponent("rules-\(rules)")
    let file = dir.appendingPathComponent("large.yaml")
    if !FileManager.default.fileExists(atPath: file.path) {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      let out = try run(["python3", workloads.appendingPathComponent("gen_rulebook.py").path, "--rules", String(rules)])
      try out.write(to: file)
    }
    return file
  }

  @discardableResult
  static func run(_ arguments: [String]) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let out = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw BenchError("\(arguments.joined(separator: " ")) exited with \(p.terminationStatus)") }
    return out
  }
}

public struct BenchError: Error, CustomStringConvertible, Sendable {
  public var description: String
  public init(_ d: String) { description = d }
}

/// Reading JSONL facts as `precept eval` does, with its reader (`JSONFactsReader`): a line keyed by
/// the rulebook's roots is read as is; a line whose keys are not the roots, for a rulebook with exactly
/// one root, is that root's value (a flat applicant record for a rulebook over `applicant`).
public enum JSONLFacts {
  /// Loads a single rulebook file (the workloads have one rulebook each).
  public static func rulebook(_ path: String) throws -> CompiledRulebook {
    do {
      let loaded = try Rulebooks.load(paths: [path])
      guard loaded.rulebooks.count == 1 else { throw BenchError("\(path): expected one rulebook, found \(loaded.rulebooks.count)") }
      return loaded.rulebooks[0]
    } catch let e as LoadError {
      throw BenchError(DiagnosticRenderer(files: e.files, color: false).render(e.diagnostics) + e.unreadable.map { "\($0.path): \($0.reason)" }.joined(separator: "\n"))
    }
  }

  /// A reader for `book`'s lines: its schema compiled once, as `precept eval` does.
  public static func reader(for book: CompiledRulebook) -> JSONFactsReader.LineReader {
    JSONFactsReader.LineReader(JSONFactsReader.Plan(book.roots))
  }

  /// One line's facts as values of the reader's roots, in order.
  public static func values(line: Substring, reader: JSONFactsReader.LineReader) -> Result<[Value], BenchError> {
    Array(line.utf8).withUnsafeBufferPointer { reader.read($0) }
      .mapError { BenchError($0.errors.map(\.description).joined(separator: "; ")) }
  }

  /// Every line of a JSONL file (up to `limit`), read as facts; the first bad line throws.
  public static func load(_ path: String, book: CompiledRulebook, limit: Int = .max) throws -> [[Value]] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let reader = reader(for: book)
    var out: [[Value]] = []
    for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
      if out.count >= limit { break }
      switch values(line: line, reader: reader) {
      case .success(let v): out.append(v)
      case .failure(let e): throw BenchError("\(path):\(n + 1): \(e)")
      }
    }
    return out
  }
}
