// Shared by every fuzz target: the repository's place, the shipped rulebooks loaded once, an
// in-memory `precept lint`, and the checks every target makes of what the library returns.
// Compiled into each target's executable beside its own file (see fuzz/run).

#if canImport(Glibc)
  import Glibc
#endif
@testable import Precept

enum Fuzz {
  /// The checkout: `PRECEPT_FUZZ_ROOT` (set by fuzz/run), else found from the executable's
  /// place (fuzz/.build/bin/TARGET).
  static let root: String = {
    if let env = getenv("PRECEPT_FUZZ_ROOT"), let real = Disk.realPath(String(cString: env)) { return real }
    var path = Disk.realPath("/proc/self/exe") ?? "."
    for _ in 0..<4 { path = PathName.directory(of: path) }
    return path
  }()

  /// The date every evaluation is made as of.
  static let asOf = CivilDate(year: 2026, month: 11, day: 23)!

  /// The input bytes libFuzzer hands over.
  static func bytes(_ start: UnsafeRawPointer?, _ count: Int) -> [UInt8] {
    guard let start, count > 0 else { return [] }
    return Array(UnsafeRawBufferPointer(start: start, count: count))
  }

  /// Stops the run with a report libFuzzer records as a crash, keeping the input.
  static func require(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #file, line: UInt = #line) {
    if !condition { fatalError("fuzz oracle: " + message(), file: file, line: line) }
  }

  // MARK: - The shipped rulebooks

  /// rulebooks/cn and what it imports, checked and compiled once per process.
  static let shipped: Session = {
    do throws(LoadError) {
      return try Session(paths: [root + "/rulebooks/cn"], root: root)
    } catch {
      fatalError("fuzz: cannot load \(root)/rulebooks/cn (\(error.diagnostics.count) diagnostics, unreadable: \(error.unreadable)); set PRECEPT_FUZZ_ROOT")
    }
  }()

  /// rulebooks/common, read once: the files a fuzzed rulebook's imports may name.
  static let common: Project = {
    let p = Project.load(paths: [root + "/rulebooks/common"], root: root)
    guard p.units.count >= 4, !p.diagnostics.hasErrors else { fatalError("fuzz: cannot read \(root)/rulebooks/common") }
    return p
  }()

  // MARK: - An in-memory `precept lint`

  /// The path a fuzzed rulebook is read as: beside the shipped ones, so `../common/…` imports read naturally.
  static var inputPath: String { root + "/rulebooks/cn/fuzz-input.yaml" }

  /// What reading and checking one rulebook text gave.
  struct Linted {
    var checked: CheckedProject
    /// The fuzzed rulebook's unit, when it was read as a rulebook.
    var unit: Int?
    var files: [String: SourceFile]
  }

  /// Reads `bytes` as a rulebook file, as `precept lint FILE` does, without the disk: an import
  /// naming one of rulebooks/common's files (by its file name) gets that file. The project holds
  /// rulebooks/common (unless `imports` is false: then its imports lead nowhere) and, when the
  /// text is a rulebook, it (`unit`, the one requested).
  static func read(_ bytes: [UInt8], imports: Bool = true) -> (project: Project, unit: Int?)? {
    let file: SourceFile
    switch SourceFile.decode(path: inputPath, bytes: bytes) {
    case .failure: return nil
    case .success(let f): file = f
    }
    var project = imports ? common : Project(root: root)
    project.requested = []
    project.files[inputPath] = file
    let (root, yamlDiagnostics) = YAMLLoader.load(file)
    requireInside(yamlDiagnostics, [inputPath: file])
    require(root != nil || yamlDiagnostics.hasErrors, "no tree and no error")
    project.diagnostics = yamlDiagnostics
    guard let root, !yamlDiagnostics.hasErrors else { return (project, nil) }
    let (book, diagnostics) = RulebookReader.read(root, file: file)
    project.diagnostics += diagnostics
    guard let book else { return (project, nil) }
    var targets: [String: Int] = [:]
    for imp in book.imports where imports {
      let name = PathName.name(of: imp.path.value)
      if let i = common.units.firstIndex(where: { PathName.name(of: $0.realPath) == name }) { targets[imp.alias.value] = i }
    }
    let unit = project.units.count
    project.units.append(Project.Unit(rulebook: book, realPath: inputPath, imports: targets))
    project.requested = [unit]
    return (project, unit)
  }

  /// `read`, then the checker and lint passes.
  static func lint(_ bytes: [UInt8], imports: Bool = true) -> Linted? {
    guard let (project, unit) = read(bytes, imports: imports) else { return nil }
    return check(project, unit: unit)
  }

  /// The checker and lint passes over a project `read` made.
  static func check(_ project: Project, unit: Int?) -> Linted {
    let checked = Check.project(project)
    requireInside(checked.diagnostics, project.files)
    return Linted(checked: checked, unit: unit, files: project.files)
  }

  /// Renders diagnostics every way `precept lint` can: as text for one set of diagnostics in
  /// four, as JSON and SARIF for one in sixteen (rendering took most of the time of a run),
  /// chosen by their messages so that a crash reproduces.
  static func render(_ ds: [Diagnostic], files: [String: SourceFile]) {
    let pick = ds.reduce(0, { $0 &+ $1.message.utf8.count &+ $1.span.start.offset })
    guard !ds.isEmpty, pick % 4 == 0 else { return }
    let text = DiagnosticRenderer(files: files, color: pick % 8 == 0).render(ds)
    require(!text.isEmpty, "a diagnostic rendered as nothing")
    guard pick % 16 == 0 else { return }
    _ = DiagnosticJSON.json(ds).serialized(pretty: true)
    _ = DiagnosticJSON.sarif(ds, toolVersion: "fuzz").serialized(pretty: false)
  }

  /// Every diagnostic and note about a file we have points inside it.
  static func requireInside(_ ds: [Diagnostic], _ files: [String: SourceFile]) {
    for d in ds {
      requireInside(d.span, files, "\(d.code.rawValue) \(d.message)")
      for n in d.notes { if let s = n.span { requireInside(s, files, "note of \(d.code.rawValue) \(d.message)") } }
    }
  }

  static func requireInside(_ span: Span, _ files: [String: SourceFile], _ what: @autoclosure () -> String) {
    guard let f = files[span.file] else { return }
    let n = f.scalars.count
    require(
      span.start.offset >= 0 && span.start.offset <= span.end.offset && span.end.offset <= n
        && span.start.line >= 1 && span.start.line <= f.lineCount && span.start.column >= 1,
      "\(what()): span \(span.start.offset)..<\(span.end.offset) (\(span.start.line):\(span.start.column)) outside a file of \(n) scalars, \(f.lineCount) lines")
  }

  // MARK: - Decisions compared

  /// What a decision says of each rule, traces aside: the part that must not depend on tracing.
  static func summary(_ d: Decision) -> [String] {
    d.results.map { r in
      "\(r.rule.id)=\(r.status.rawValue) message=\(r.message ?? "-") reason=\(r.reason ?? "-") by=\(r.overriddenBy ?? "-") missing=\(r.missing)"
    }
  }

  /// Evaluates traced and untraced and requires the same verdicts, then renders the traced one
  /// every way `check`/`trace` can. Returns the untraced decision.
  @discardableResult
  static func decideBothWays(_ book: CompiledRulebook, _ values: [Value], stage: Stage?) -> Decision {
    let plain = book.evaluate(values, asOf: asOf, stage: stage, trace: false)
    let traced = book.evaluate(values, asOf: asOf, stage: stage, trace: true)
    let a = summary(plain), b = summary(traced)
    require(a == b, "traced and untraced decisions differ:\n  untraced: \(a)\n  traced:   \(b)")
    _ = DecisionRenderer(color: false, traces: true).render(traced)
    _ = DecisionJSON.json(traced).serialized(pretty: false)
    _ = DecisionJSON.json(plain, includeTraces: false).serialized(pretty: false)
    return plain
  }

  // MARK: - Facts that fit a schema

  /// A JSON line that fits `roots`: one plausible value of each type, every list one item long;
  /// optional facts present or, with `optionalsPresent` false, null.
  static func sampleLine(_ roots: [Field], optionalsPresent: Bool) -> String {
    func value(_ t: ValueType, depth: Int) -> String {
      switch t {
      case .optional(let u): return optionalsPresent && depth < 8 ? value(u, depth: depth) : "null"
      case .bool: return "true"
      case .int: return "3"
      case .decimal: return "1.5"
      case .percent: return "\"5%\""
      case .money(let c): return "\"1200.50 \(c ?? "CNY")\""
      case .date: return "\"2026-01-01\""
      case .datetime: return "\"2026-01-01T09:30:00+08:00\""
      case .duration: return "\"30d\""
      case .text: return "\"保本 x\""
      case .enumeration(let e): return JSON.string(e.cases.first ?? "").serialized()
      case .list(let e): return depth < 8 ? "[" + value(e, depth: depth + 1) + "]" : "[]"
      case .record(let r): return record(r.fields, depth: depth + 1)
      case .nothing, .error: return "null"
      }
    }
    func record(_ fields: [Field], depth: Int) -> String {
      "{" + fields.map { JSON.string($0.name).serialized() + ":" + value($0.type, depth: depth) }.joined(separator: ",") + "}"
    }
    return record(roots, depth: 0)
  }

  /// Evaluates `book` on sample facts (optionals present, then absent) read by the JSON line
  /// reader, traced and untraced (see `decideBothWays`).
  static func decideSamples(_ book: CompiledRulebook, stage: Stage? = nil) {
    let plan = FactsPlan(book.roots)
    for present in [true, false] {
      let line = Array(sampleLine(book.roots, optionalsPresent: present).utf8)
      if case .success(let values) = line.withUnsafeBufferPointer({ JSONFactsReader.read($0, plan: plan) }) {
        decideBothWays(book, values, stage: stage)
      }
    }
  }
}
