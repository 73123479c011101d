import Foundation
import Testing

/// `precept eval`'s options as the command takes them (the binary, run as a user runs it).
@Suite struct EvalCommandTests {
  static let stream = ["eval", "rulebooks/cn/aml-monitoring.yaml", "--input", "examples/transactions/stream.jsonl", "--as-of", "2026-11-23"]

  @Test func violationsWithIDs() async throws {
    let full = try await runPrecept(Self.stream)
    let r = try await runPrecept(Self.stream + ["--output", "violations", "--id", "customer.id"])
    #expect(r.status == 0 && r.error.isEmpty, "\(r.error)")
    let lines = r.output.split(separator: "\n")
    #expect(lines.count == full.output.split(separator: "\n").count)
    for (line, fullLine) in zip(lines, full.output.split(separator: "\n")) {
      let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let f = try #require(try JSONSerialization.jsonObject(with: Data(fullLine.utf8)) as? [String: Any])
      #expect(Array(o.keys).sorted() == ["id", "line", "outcome", "results", "rulebook"])
      #expect((o["id"] as? String)?.count == 4, "\(line)")
      #expect(o["outcome"] as? String == f["outcome"] as? String)
      let failing = (f["results"] as? [[String: Any]] ?? []).filter { ["violated", "unknown"].contains($0["status"] as? String) }
      #expect((o["results"] as? [[String: Any]] ?? []).map { $0["rule"] as? String } == failing.map { $0["rule"] as? String })
    }
    #expect(r.output.contains(#""rule":"AML-STRUCTURING","status":"violated""#))
    let outcome = try await runPrecept(Self.stream + ["--output", "outcome"])
    #expect(outcome.output.split(separator: "\n").allSatisfy { $0.hasPrefix(#"{"line":"#) && $0.contains(#","outcome":""#) && !$0.contains("results") })
    // The default is byte for byte `--output full`.
    #expect(try await runPrecept(Self.stream + ["--output", "full"]).output == full.output)
  }

  @Test func badOptionsExit2() async throws {
    let badOutput = try await runPrecept(Self.stream + ["--output", "everything"])
    #expect(badOutput.status == 2 && badOutput.error.contains("everything"), "\(badOutput.error)")
    let badID = try await runPrecept(Self.stream + ["--id", "customer..id"])
    #expect(badID.status == 2 && badID.error == "precept: --id customer..id: give a field as keys joined by dots, such as customer.id\n", "\(badID.error)")
    let both = try await runPrecept(Self.stream + ["--quiet", "--summary"])
    #expect(both.status == 2 && both.error.contains("--quiet and --summary"), "\(both.error)")
    #expect(both.output.isEmpty)
  }

  /// Not on a terminal: nothing on standard error unless the summary is asked for.
  @Test func summaryOnlyWhenAsked() async throws {
    let plain = try await runPrecept(Self.stream)
    #expect(plain.error.isEmpty)
    let asked = try await runPrecept(Self.stream + ["--summary"])
    let lines = asked.error.split(separator: "\n").map(String.init)
    #expect(asked.status == 0 && asked.output == plain.output)
    #expect(lines.count == 2, "\(asked.error)")
    #expect(lines.first?.hasPrefix("precept eval: 16 lines (") == true, "\(asked.error)")
    #expect(lines.last?.hasPrefix("precept eval: 16 decisions: ") == true && lines.last?.hasSuffix("; no error lines") == true, "\(asked.error)")
  }

  /// `--jobs N` cuts each batch of lines into one run per worker; the output is byte for byte
  /// that of one job, in input order, error lines and all, over two batches (8,192 lines and 508: three workers and two).
  @Test func jobsKeepTheOutputOfOneJob() async throws {
    let customers = try String(contentsOfFile: repository + "/examples/transactions/stream.jsonl", encoding: .utf8)
      .split(separator: "\n").map(String.init)
    var lines: [String] = []
    for k in 0..<8_700 {
      switch k {
      case _ where k % 997 == 5: lines.append(#"{"customer": {"id": 7}}"#)  // does not fit the schema
      case _ where k % 1_499 == 9: lines.append("not json")
      case _ where k % 503 == 0: lines.append("")
      default: lines.append(customers[k % customers.count])
      }
    }
    let input = FileManager.default.temporaryDirectory.appendingPathComponent("precept-jobs-\(UUID().uuidString).jsonl")
    try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: input) }
    let base = ["eval", "rulebooks/cn/aml-monitoring.yaml", "--input", input.path, "--as-of", "2026-11-23", "--summary"]
    for extra in [[], ["--output", "violations", "--id", "customer.id"]] {
      let one = try await runPrecept(base + extra + ["--jobs", "1"])
      #expect(one.status == 2, "\(one.error)")
      // One line out per line in, but for the 18 blank ones.
      #expect(one.output.split(separator: "\n").count == 8_700 - 18)
      #expect(one.output.contains(#"{"line":6,"#) && one.output.contains(#""error":"#))
      // `nil`: the default, one job per core.
      for jobs in extra.isEmpty ? ["3"] : [nil] {
        let many = try await runPrecept(base + extra + (jobs.map { ["--jobs", $0] } ?? []))
        #expect(many.status == one.status)
        #expect(many.output == one.output, "--jobs \(jobs ?? "default") \(extra) differs from one job")
        // The tallies (lines, decisions by outcome, error lines) are those of one job; only the rate differs.
        let tally = { (e: String) in e.split(separator: "\n").map { $0.split(separator: "(").first.map(String.init) ?? "" } }
        #expect(tally(many.error) == tally(one.error), "\(many.error)")
      }
    }
  }

  @Test func versionNamesTheCommit() async throws {
    let r = try await runPrecept(["--version"])
    #expect(r.status == 0)
    #expect(r.output.range(of: #"^[0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{12}(-dirty)?|unknown)\)\n$"#, options: .regularExpression) != nil, "\(r.output)")
  }
}
