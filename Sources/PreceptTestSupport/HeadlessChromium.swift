import Foundation

/// Headless Chromium for the tests that load pages in a real browser (the reports, the served
/// decision pages): where it is, and the DOM and console of a page it loaded. Only the test
/// targets depend on this.
public enum HeadlessChromium {
  /// `PRECEPT_CHROMIUM`, else the first Chromium or Chrome on `PATH`; nil when there is none.
  public static let path: String? = {
    if let p = ProcessInfo.processInfo.environment["PRECEPT_CHROMIUM"], FileManager.default.isExecutableFile(atPath: p) { return p }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
      for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
        let p = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
      }
    }
    return nil
  }()

  /// Runs Chromium headless on `page` (a URL) with `extra` flags (`--dump-dom`, `--screenshot=…`,
  /// `--print-to-pdf=…`): its standard output (the DOM, when dumped) and the console lines it logged.
  public static func run(_ chromium: String, _ page: String, _ extra: [String]) throws -> (dom: String, console: [String]) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: chromium)
    let profile = FileManager.default.temporaryDirectory.appendingPathComponent("precept-chromium-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: profile) }
    p.arguments = [
      "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--disable-dev-shm-usage",
      "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000",
    ] + extra + [page]
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    // Read both pipes while it runs, so a full pipe cannot stall it.
    nonisolated(unsafe) var errData = Data()
    let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let dom = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    while !reader.isFinished { Thread.sleep(forTimeInterval: 0.01) }
    let console = String(decoding: errData, as: UTF8.self).split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") }
    return (String(decoding: dom, as: UTF8.self), console)
  }
}
