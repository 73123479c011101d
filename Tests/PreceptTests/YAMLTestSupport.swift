@testable import Precept

/// Loads YAML text held in a test, keeping the file so positions can be checked against it.
func loadYAML(_ text: String, path: String = "t.yaml") -> (root: YAMLNode?, diagnostics: [Diagnostic], file: SourceFile) {
  let file = SourceFile(path: path, text: text)
  let (root, diagnostics) = YAMLLoader.load(file)
  return (root, diagnostics, file)
}

extension YAMLNode {
  /// The value under `key` in a mapping node.
  subscript(key: String) -> YAMLNode? {
    guard case .mapping(let pairs) = kind else { return nil }
    return pairs.first { $0.name == key }?.value
  }

  /// The item at `index` in a sequence node.
  subscript(index: Int) -> YAMLNode? {
    guard case .sequence(let items) = kind, items.indices.contains(index) else { return nil }
    return items[index]
  }

  /// The pairs of a mapping node (empty for other nodes).
  var pairs: [YAMLPair] {
    if case .mapping(let p) = kind { return p }
    return []
  }

  /// Every scalar in the tree, found without recursion.
  var allScalars: [YAMLNode] {
    var out: [YAMLNode] = []
    var work = [self]
    while let node = work.popLast() {
      switch node.kind {
      case .scalar: out.append(node)
      case .sequence(let items): work.append(contentsOf: items)
      case .mapping(let pairs):
        for p in pairs { work.append(p.key); work.append(p.value) }
      }
    }
    return out
  }

  /// Where in the file the first occurrence of `needle` inside this scalar's value came from.
  func position(of needle: String, in file: SourceFile) -> Position? {
    guard let value = scalarValue else { return nil }
    let hay = Array(value.unicodeScalars)
    let n = Array(needle.unicodeScalars)
    guard n.count <= hay.count else { return nil }
    let offsets = sourceOffsets(in: file)
    for i in 0...(hay.count - n.count) where Array(hay[i..<(i + n.count)]) == n {
      return file.position(ofOffset: offsets[i])
    }
    return nil
  }
}

