/// "Did you mean …?": the closest known name to a misspelt one.
public enum Suggestion {
  /// The candidate nearest to `name` by edit distance (transpositions count once), if it is
  /// close enough to be a plausible typo: at most a third of the name's length, at least 1.
  public static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
    let target = Array(name.lowercased().unicodeScalars)
    let limit = Swift.max(1, target.count / 3)
    var best: [String] = []
    var bestDistance = Int.max
    for c in Set(candidates) where c != name {
      let d = distance(target, Array(c.lowercased().unicodeScalars))
      guard d <= limit else { continue }
      if d < bestDistance {
        best = [c]
        bestDistance = d
      } else if d == bestDistance {
        best.append(c)
      }
    }
    // Several equally close names (`C6` near C1…C5): any pick would be a guess, so say nothing.
    return best.count == 1 ? best[0] : nil
  }

  /// Optimal-string-alignment distance.
  static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev2 = [Int](repeating: 0, count: b.count + 1)
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      cur[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var v = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = Swift.min(v, prev2[j - 2] + 1) }
        cur[j] = v
      }
      (prev2, prev, cur) = (prev, cur, prev2)
    }
    return prev[b.count]
  }

  /// The help line for a suggestion, or nothing.
  public static func help(for name: String, among candidates: some Sequence<String>) -> [String] {
    closest(to: name, among: candidates).map { ["did you mean `\($0)`?"] } ?? []
  }
}
