// Evaluates a JSONL file in-process with `Evaluator.run` and writes, per input line, the rule
// statuses as `{"results":[{"rule":"R01","status":"passed"},…]}` (only what reference.py reads),
// or `{"error":"…"}` for a line whose facts do not fit the schema.
//
//   PreceptBenchRun RULEBOOK INPUT.jsonl [--out FILE] [--as-of YYYY-MM-DD]
//   PreceptBenchRun RULEBOOK INPUT.jsonl --loops N     (no output: N timed passes, for profilers)
import Foundation
import Precept
import PreceptBenchSupport

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data(("PreceptBenchRun: " + message + "\n").utf8))
  exit(2)
}

var positional: [String] = []
var outPath: String?
var asOfText = "2026-11-23"
var loops = 0
var args = CommandLine.arguments.dropFirst()
@MainActor func value(of option: String) -> String {
  guard let v = args.popFirst() else { fail("\(option) needs a value") }
  return v
}
while let a = args.popFirst() {
  switch a {
  case "--out": outPath = value(of: a)
  case "--as-of": asOfText = value(of: a)
  case "--loops":
    guard let n = Int(value(of: a)), n > 0 else { fail("--loops needs a positive count") }
    loops = n
  default: positional.append(a)
  }
}
guard positional.count == 2 else { fail("usage: PreceptBenchRun RULEBOOK INPUT.jsonl [--out FILE] [--as-of DATE] [--loops N]") }
guard case .success(let asOf) = CivilDate.parse(asOfText) else { fail("bad --as-of date \(asOfText)") }

let book: CompiledRulebook
do { book = try JSONLFacts.rulebook(positional[0]) } catch { fail("\(error)") }
let evaluator = Evaluator(book)
let reader = JSONLFacts.reader(for: book)

guard let text = try? String(contentsOfFile: positional[1], encoding: .utf8) else { fail("cannot read \(positional[1])") }
let lines = text.split(separator: "\n", omittingEmptySubsequences: true)

if loops > 0 {
  // Profiling mode: read every line first, then only evaluate.
  var facts: [[Value]] = []
  facts.reserveCapacity(lines.count)
  for (n, line) in lines.enumerated() {
    guard case .success(let v) = JSONLFacts.values(line: line, reader: reader) else { fail("line \(n + 1): facts do not fit the schema") }
    facts.append(v)
  }
  var violated = 0
  let clock = ContinuousClock()
  let t = clock.measure {
    for _ in 0..<loops {
      for f in facts {
        evaluator.run(f, asOf: asOf)
        for s in evaluator.statuses where s == .violated { violated += 1 }
      }
    }
  }
  let n = Double(loops * facts.count)
  let ns = Double(t.components.seconds) * 1e9 + Double(t.components.attoseconds) / 1e9
  FileHandle.standardError.write(Data(String(format: "%d rules, %d graph nodes; %d decisions, %.1f ns per decision (%d violations)\n", book.rules.count, book.nodeCount, Int(n), ns / n, violated).utf8))
  exit(0)
}

let ids: [String] = book.rules.map { id in
  var s = ""
  JSON.escape(id.id, into: &s)
  return s
}
var out = ""
out.reserveCapacity(lines.count * 64 * max(1, ids.count))
for line in lines {
  switch JSONLFacts.values(line: line, reader: reader) {
  case .success(let values):
    evaluator.run(values, asOf: asOf)
    out += "{\"results\":["
    for (i, status) in evaluator.statuses.enumerated() {
      if i > 0 { out += "," }
      out += "{\"rule\":" + ids[i] + ",\"status\":\"" + status.rawValue + "\"}"
    }
    out += "]}\n"
  case .failure(let e):
    var s = ""
    JSON.escape(e.description, into: &s)
    out += "{\"error\":" + s + "}\n"
  }
}
if let outPath {
  do { try out.write(toFile: outPath, atomically: true, encoding: .utf8) } catch { fail("cannot write \(outPath): \(error)") }
} else {
  FileHandle.standardOutput.write(Data(out.utf8))
}
