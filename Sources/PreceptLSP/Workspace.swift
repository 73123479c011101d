import Foundation
import Precept

/// The open documents and the latest analysis of every rulebook they are or import.
public final class Workspace {
  /// Open documents by URI.
  public private(set) var documents: [String: Document] = [:]
  /// The latest analysis, after the last change.
  public private(set) var analysis: Analysis?
  /// URIs given diagnostics last time (cleared when they have none now).
  private var published: Set<String> = []
  /// The URI of each open document's real path, so diagnostics name files as the client does.
  private var uriByPath: [String: String] = [:]
  /// What the last re-check read and found, reused where the text is unchanged.
  public let loadMemo = LoadMemo()
  public let checkMemo = CheckMemo()

  public init() {}

  /// The file path of a `file:` URI.
  public static func path(ofURI uri: String) -> String {
    URL(string: uri)?.path ?? uri
  }

  /// The URI of a path: the client's own URI for an open document.
  public func uri(ofPath path: String) -> String {
    let real = Disk.realPath(path) ?? path
    return uriByPath[real] ?? URL(fileURLWithPath: real).absoluteString
  }

  public func open(_ doc: Document) {
    documents[doc.uri] = doc
    let path = Self.path(ofURI: doc.uri)
    uriByPath[Disk.realPath(path) ?? path] = doc.uri
  }

  public func update(_ uri: String, _ change: (inout Document) -> Void) {
    guard var d = documents[uri] else { return }
    change(&d)
    documents[uri] = d
  }

  public func close(_ uri: String) { documents[uri] = nil }

  /// Re-checks every open rulebook (so an importer is re-checked when a file it imports changes);
  /// returns the diagnostics to publish, by URI, with the line index to place them.
  public func recheck() -> [(uri: String, diagnostics: [Diagnostic], index: LineIndex)] {
    var overlay: [String: [UInt8]] = [:]
    var paths: [String] = []
    for d in documents.values.sorted(by: { $0.uri < $1.uri }) {
      let path = Self.path(ofURI: d.uri)
      paths.append(path)
      overlay[Disk.realPath(path) ?? path] = d.utf8
    }
    guard !paths.isEmpty else {
      analysis = nil
      return []
    }
    let a = Analysis.run(paths: paths, overlay: overlay, load: loadMemo, check: checkMemo)
    analysis = a
    var byFile: [String: [Diagnostic]] = [:]
    for d in a.checked.diagnostics { byFile[d.span.file, default: []].append(d) }
    var out: [(uri: String, diagnostics: [Diagnostic], index: LineIndex)] = []
    var now: Set<String> = []
    for (file, ds) in byFile {
      let uri = uri(ofPath: file)
      now.insert(uri)
      out.append((uri, ds, index(forFile: file)))
    }
    for uri in published.subtracting(now) { out.append((uri, [], LineIndex([]))) }
    // The open documents themselves always get an answer, empty when clean.
    for uri in documents.keys where !now.contains(uri) && !published.contains(uri) { out.append((uri, [], LineIndex([]))) }
    published = now
    return out.sorted { $0.uri < $1.uri }
  }

  /// The line index of a project file, as the project read it (offsets count from after a BOM).
  public func index(forFile file: String) -> LineIndex {
    LineIndex(analysis?.checked.project.files[file]?.scalars ?? [])
  }

  /// The project path (display path) of an open document's URI.
  public func file(ofURI uri: String) -> String? {
    let real = Disk.realPath(Self.path(ofURI: uri)) ?? Self.path(ofURI: uri)
    return analysis?.checked.project.files.keys.first { (Disk.realPath($0) ?? $0) == real }
  }
}
