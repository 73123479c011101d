// Word proximity in marketing copy: "保证 … 收益" a few characters apart promises a return as surely as
// "保证收益" does. Distances are counted in Unicode scalars, which for Chinese copy are characters.

/// Whether two terms occur close together in a text.
public enum Proximity {
  /// Whether `a` and `b` both occur in `text` with at most `within` characters between the end of one and the start
  /// of the other (either order). Case-insensitive, over Unicode scalars. Overlapping occurrences count as adjacent,
  /// but when `a` and `b` are the same term it must occur twice. An empty term, or a negative `within`, never matches.
  public static func near(_ text: String, _ a: String, _ b: String, within: Int) -> Bool {
    guard within >= 0 else { return false }
    let text = folded(text), first = folded(a), second = folded(b)
    guard !first.isEmpty, !second.isEmpty else { return false }
    let firstStarts = occurrences(of: first, in: text)
    let secondStarts = first == second ? firstStarts : occurrences(of: second, in: text)
    // No gap inside the text exceeds its length, so clamping keeps the bounds below from overflowing.
    let slack = Swift.min(within, text.count)
    for start in firstStarts {
      // `second` at s is near when s + |second| + slack ≥ start (it ends close enough before)
      // and s ≤ start + |first| + slack (it starts close enough after); overlaps lie in between.
      let lowest = start - second.count - slack, highest = start + first.count + slack
      var index = firstIndex(in: secondStarts, notBelow: lowest)
      // The same occurrence of the same term is not a pair.
      if first == second, index < secondStarts.count, secondStarts[index] == start { index += 1 }
      if index < secondStarts.count, secondStarts[index] <= highest { return true }
    }
    return false
  }

  /// Scalars lowercased where the lowercase is a single scalar, so offsets stay those of the original text.
  static func folded(_ text: String) -> [Unicode.Scalar] {
    text.unicodeScalars.map { scalar in
      if scalar.isASCII {
        return (0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(UInt8(scalar.value) + 0x20) : scalar
      }
      let lower = scalar.properties.lowercaseMapping.unicodeScalars
      return lower.count == 1 ? lower[lower.startIndex] : scalar
    }
  }

  /// Start offsets of every occurrence of `pattern` in `text`, overlapping ones included (Knuth–Morris–Pratt,
  /// so a long text with a repetitive term stays linear).
  static func occurrences(of pattern: [Unicode.Scalar], in text: [Unicode.Scalar]) -> [Int] {
    var border = [Int](repeating: 0, count: pattern.count)
    var k = 0
    for i in pattern.indices.dropFirst() {
      while k > 0, pattern[i] != pattern[k] { k = border[k - 1] }
      if pattern[i] == pattern[k] { k += 1 }
      border[i] = k
    }
    var starts: [Int] = []
    k = 0
    for (i, scalar) in text.enumerated() {
      while k > 0, scalar != pattern[k] { k = border[k - 1] }
      if scalar == pattern[k] { k += 1 }
      if k == pattern.count {
        starts.append(i - k + 1)
        k = border[k - 1]
      }
    }
    return starts
  }

  /// The index of the first element ≥ `bound` in ascending `values`, or `values.count`.
  static func firstIndex(in values: [Int], notBelow bound: Int) -> Int {
    var low = 0, high = values.count
    while low < high {
      let middle = (low + high) / 2
      if values[middle] < bound { low = middle + 1 } else { high = middle }
    }
    return low
  }
}
