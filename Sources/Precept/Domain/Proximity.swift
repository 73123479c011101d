// Word proximity in marketing copy: "保证 … 收益" a few characters apart promises a return as surely as
// "保证收益" does, and "业绩比较基准3.0%（不代表实际收益）" qualifies its figure as surely as a caveat in the
// documents. Words are found the way `contains` finds them (folded text, English word boundaries and
// inflections; see Wording.swift), but negation is not applied: `near` asks where words are, not what is
// claimed. Distances count scalars of the folded text, which for Chinese copy are characters.

/// Whether terms occur close together in a text.
public enum Proximity {
  /// Whether `a` and `b` both occur in `text` with at most `within` characters between the end of one and the
  /// start of the other (either order). Overlapping occurrences count as adjacent, but when `a` and `b` are the
  /// same term it must occur twice. An empty term, or a negative `within`, never matches.
  public static func near(_ text: String, _ a: String, _ b: String, within: Int) -> Bool {
    near(text, [a], [b], within: within)
  }

  /// Whether some term of `a` and some term of `b` occur within `within` characters of each other in `text`
  /// (see `near(_:_:_:within:)`): a figure's label near any of its qualifiers.
  public static func near(_ text: String, _ a: [String], _ b: [String], within: Int) -> Bool {
    closest(NormalizedText(text), WordMatcher(a, negation: false), WordMatcher(b, negation: false), within: within) != nil
  }

  /// The first pair (an occurrence of `a`'s terms, then one of `b`'s) within `within` characters of each other,
  /// as ranges of `text.folded`, or nil. Linear in the text and the occurrences, plus a sort of each side's.
  static func closest(_ text: NormalizedText, _ a: WordMatcher, _ b: WordMatcher, within: Int) -> (Range<Int>, Range<Int>)? {
    guard within >= 0 else { return nil }
    var first = a.occurrences(in: text)
    guard !first.isEmpty else { return nil }
    var second = b.occurrences(in: text)
    guard !second.isEmpty else { return nil }
    let byStart = { (x: Range<Int>, y: Range<Int>) in x.lowerBound != y.lowerBound ? x.lowerBound < y.lowerBound : x.upperBound < y.upperBound }
    first.sort(by: byStart)
    second.sort(by: byStart)
    // furthest[j]: the latest end among second[0...j], so "does some occurrence starting before s reach
    // close enough to s?" is one look-up.
    var furthest = [Int](repeating: 0, count: second.count)
    var reach = Int.min
    for (j, r) in second.enumerated() {
      reach = Swift.max(reach, r.upperBound)
      furthest[j] = reach
    }
    // No gap inside the text exceeds its length, so clamping keeps the sums below from overflowing.
    let slack = Swift.min(within, text.folded.count)
    for x in first {
      // An occurrence of `b` starting at or after x: the earliest one that is not x itself.
      var j = firstIndex(in: second, notBelow: x.lowerBound)
      while j < second.count, second[j] == x { j += 1 }
      if j < second.count, second[j].lowerBound <= x.upperBound + slack { return (x, second[j]) }
      // One starting before x that ends close enough before it (or overlaps it).
      let before = firstIndex(in: second, notBelow: x.lowerBound) - 1
      if before >= 0, furthest[before] + slack >= x.lowerBound {
        let y = second[0...before].first { $0.upperBound + slack >= x.lowerBound } ?? second[before]
        return (x, y)
      }
    }
    return nil
  }

  /// The index of the first range starting at or after `bound` in `ranges` (sorted by start), or `ranges.count`.
  static func firstIndex(in ranges: [Range<Int>], notBelow bound: Int) -> Int {
    var low = 0, high = ranges.count
    while low < high {
      let middle = (low + high) / 2
      if ranges[middle].lowerBound < bound { low = middle + 1 } else { high = middle }
    }
    return low
  }
}
