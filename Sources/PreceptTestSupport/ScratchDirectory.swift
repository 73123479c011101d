import Foundation
import Synchronization

/// A fresh directory under the system's temporary directory, named `prefix` and a UUID, removed
/// with everything in it when the test process exits (tests made hundreds of them and left them).
public func scratchDirectory(_ prefix: String) throws -> String {
  let path = NSTemporaryDirectory() + prefix + UUID().uuidString
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  ScratchDirectories.remember(path)
  return path
}

private enum ScratchDirectories {
  static let made = Mutex<(registered: Bool, paths: [String])>((false, []))

  static func remember(_ path: String) {
    let first = made.withLock { state -> Bool in
      state.paths.append(path)
      defer { state.registered = true }
      return !state.registered
    }
    if first { atexit { ScratchDirectories.removeAll() } }
  }

  static func removeAll() {
    let paths = made.withLock { state -> [String] in
      defer { state.paths = [] }
      return state.paths
    }
    for path in paths { try? FileManager.default.removeItem(atPath: path) }
  }
}
