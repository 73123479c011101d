// Finding prohibited marketing claims (保本, 保证收益, guaranteed return …) in copy, through the evasions real copy
// uses: see NormalizedText for the folding. Terms are folded the same way as the copy, so a list may be written
// in Simplified or Traditional characters, in any case, with or without spaces between Chinese characters.
//
// Matching, over the folded text:
//  - All terms at once (Aho–Corasick), so the time is linear in the copy plus the total length of the terms
//    plus the occurrences found.
//  - Word boundaries: where a term begins (ends) with a letter or digit that is not CJK, the folded scalar
//    before (after) the occurrence must not be one: `guaranteed return` matches `guaranteed  Return` but not
//    `unguaranteed return`, `guaranteed returns` or `guaranteedreturn`. Chinese has no word boundaries:
//    `保本` matches inside `保本型`.
//  - Negation: an occurrence is a disclosure, not a claim, and is left out, when a negation marker ends at most
//    2 folded scalars before it (filler between CJK characters is already gone, so `不-保-本` counts as `不保本`).
//    Markers: 不 非 无 未 没有 不能 不会 并非 不承诺 不保证 (folded too, so 無 沒有 並非 count) and the whole English
//    words no, not, non, never (`non-guaranteed` via `non`). So `不保本`, `非保本`, `不保证收益`, `本产品不承诺保本`,
//    `not guaranteed` are disclosures, `保本保息` is a claim. Refinements:
//      * a marker never reaches across clause punctuation (, . ; : ! ? 。 full-width or not) or a line break
//        next to a CJK character: in `绝不亏损，保本保息` the 保本 is a claim;
//      * a marker that lies inside an occurrence of a term is part of that term, not a negation: with both
//        稳赚不赔 and 保本 in the list, `稳赚不赔保本` reports both, and 无风险 is itself a claim;
//      * 非常 非凡 未来 不仅 不但 不只 不止 不断 不错 无论 无忧 are not negations (`非常稳健保本` is a claim).
//    Limits: the rule is positional, not grammatical. A negation further away (`not a guaranteed return`,
//    `不是一款保本产品` with 3 scalars between) is not seen, so that occurrence is reported: a false alarm for a
//    reviewer rather than a missed claim. A negation that is close but does not bear on the term (`绝不亏损保本`
//    without a comma) hides it. Contractions (isn't, don't) are not markers.
//  - Overlaps: among the occurrences that survive, leftmost first, then longest; an occurrence that overlaps one
//    already taken is dropped. Spans are of the original copy; two matches that fold from the same original
//    scalar (① gives "1", ㋀ gives "1月") are reported once.

/// Matching marketing claims in copy.
public enum Wording {
  /// Every occurrence of any term in the copy, as spans of the ORIGINAL copy, in order of appearance
  /// (overlaps resolved leftmost-longest). Negated occurrences (see the top of this file) are left out.
  /// Empty terms, and terms that fold to nothing, are ignored.
  public static func find(_ terms: [String], in copy: String) -> [TextSpan] {
    find(terms, in: NormalizedText(copy))
  }

  /// `find` over copy already folded, so one copy can be matched against several lists.
  public static func find(_ terms: [String], in copy: NormalizedText) -> [TextSpan] {
    var spans: [TextSpan] = []
    for range in matches(terms, in: copy) {
      let span = copy.originalSpan(range)
      if let last = spans.last, span.start < last.end { continue }
      spans.append(span)
    }
    return spans
  }

  /// Whether `find` finds anything.
  public static func containsAny(_ terms: [String], in copy: String) -> Bool {
    !matches(terms, in: NormalizedText(copy)).isEmpty
  }

  /// The ranges of `folded` that `find` reports, in order, not overlapping.
  static func matches(_ terms: [String], in text: NormalizedText) -> [Range<Int>] {
    WordMatcher(terms).matches(in: text)
  }
}

/// A list of terms compiled once (folded, with the negation markers, into one automaton) and then
/// matched against many copies: what rules do with a constant list such as `prohibited_claims`.
public struct WordMatcher: Sendable {
  let patterns: Wording.Patterns
  let automaton: Wording.Automaton

  public init(_ terms: [String]) {
    var patterns = Wording.Patterns()
    for term in terms { patterns.add(NormalizedText(term).folded, role: .term) }
    if patterns.hasTerms {
      for marker in Wording.Negation.markers { patterns.add(marker, role: .marker) }
    }
    self.patterns = patterns
    self.automaton = Wording.Automaton(patterns.strings)
  }

  /// Claims in the copy, as spans of the original text (negated occurrences left out).
  public func find(in copy: NormalizedText) -> [TextSpan] {
    var spans: [TextSpan] = []
    for range in matches(in: copy) {
      let span = copy.originalSpan(range)
      if let last = spans.last, span.start < last.end { continue }
      spans.append(span)
    }
    return spans
  }

  /// Whether the copy makes any of the claims.
  public func containsAny(in copy: String) -> Bool { !matches(in: NormalizedText(copy)).isEmpty }

  func matches(in text: NormalizedText) -> [Range<Int>] {
    let folded = text.folded
    guard patterns.hasTerms, !folded.isEmpty else { return [] }

    // Every occurrence that respects word boundaries, as (start, end).
    var found: [(start: Int, end: Int)] = []
    var markers: [(start: Int, end: Int)] = []
    automaton.scan(folded) { pattern, end in
      let entry = patterns.entries[pattern]
      let start = end - entry.length
      if entry.wordAtStart, start > 0, Wording.Fold.isWord(folded[start - 1]) { return }
      if entry.wordAtEnd, end < folded.count, Wording.Fold.isWord(folded[end]) { return }
      if entry.isTerm { found.append((start, end)) }
      if entry.isMarker, !Wording.Negation.isIdiom(folded, markerStart: start, markerEnd: end) { markers.append((start, end)) }
    }
    guard !found.isEmpty else { return [] }

    // covered[k]: how many of the scalars before k lie inside some term occurrence.
    var depth = [Int](repeating: 0, count: folded.count + 1)
    for occurrence in found {
      depth[occurrence.start] += 1
      depth[occurrence.end] -= 1
    }
    var covered = [Int](repeating: 0, count: folded.count + 1)
    var open = 0
    for k in 0..<folded.count {
      open += depth[k]
      covered[k + 1] = covered[k] + (open > 0 ? 1 : 0)
    }
    // negationEndsAt[k]: a marker that is not part of a term occurrence ends at k.
    var negationEndsAt = [Bool](repeating: false, count: folded.count + 1)
    for marker in markers where covered[marker.end] == covered[marker.start] { negationEndsAt[marker.end] = true }

    var claims = found.filter { !Wording.Negation.negates(negationEndsAt, text.clauseBreakBefore, before: $0.start) }
    claims.sort { $0.start != $1.start ? $0.start < $1.start : $0.end > $1.end }
    var chosen: [Range<Int>] = []
    for claim in claims where chosen.last.map({ claim.start >= $0.upperBound }) ?? true {
      chosen.append(claim.start..<claim.end)
    }
    return chosen
  }
}

extension Wording {
}

extension Wording {
  /// The negation rule (see the top of this file).
  enum Negation {
    /// The markers, folded like copy.
    static let markers: [[Unicode.Scalar]] = [
      "不", "非", "无", "未", "没有", "不能", "不会", "并非", "不承诺", "不保证", "no", "not", "non", "never",
    ].map { NormalizedText($0).folded }

    /// How many folded scalars may lie between a marker and the occurrence it negates.
    static let reach = 2

    /// Words that begin with a one-character marker but do not negate: 非常 非凡 未来 不仅 不但 不只 不止 不断 不错
    /// 无论 无忧.
    static let idioms: [Unicode.Scalar: Set<Unicode.Scalar>] = [
      "非": ["常", "凡"], "未": ["来"], "不": ["仅", "但", "只", "止", "断", "错"], "无": ["论", "忧"],
    ]

    static func isIdiom(_ folded: [Unicode.Scalar], markerStart: Int, markerEnd: Int) -> Bool {
      guard markerEnd - markerStart == 1, markerEnd < folded.count, let next = idioms[folded[markerStart]] else {
        return false
      }
      return next.contains(folded[markerEnd])
    }

    /// Whether a marker ends within `reach` scalars before `start` with no clause break in between.
    static func negates(_ negationEndsAt: [Bool], _ clauseBreakBefore: [Bool], before start: Int) -> Bool {
      var end = start
      while end >= 0, start - end <= reach {
        // A break just before `end` separates the occurrence from any marker ending at `end` or earlier.
        if clauseBreakBefore[end] { return false }
        if negationEndsAt[end] { return true }
        end -= 1
      }
      return false
    }
  }

  /// The distinct folded strings to look for, each a term, a negation marker or both.
  struct Patterns {
    enum Role { case term, marker }
    struct Entry {
      let length: Int
      let wordAtStart: Bool
      let wordAtEnd: Bool
      var isTerm = false
      var isMarker = false
    }

    private(set) var strings: [[Unicode.Scalar]] = []
    private(set) var entries: [Entry] = []
    private var index: [[Unicode.Scalar]: Int] = [:]
    private(set) var hasTerms = false

    mutating func add(_ string: [Unicode.Scalar], role: Role) {
      guard let first = string.first, let last = string.last else { return }
      let position: Int
      if let known = index[string] {
        position = known
      } else {
        position = strings.count
        index[string] = position
        strings.append(string)
        entries.append(Entry(length: string.count, wordAtStart: Fold.isWord(first), wordAtEnd: Fold.isWord(last)))
      }
      switch role {
      case .term:
        entries[position].isTerm = true
        hasTerms = true
      case .marker:
        entries[position].isMarker = true
      }
    }
  }

  /// Aho–Corasick over Unicode scalars: every occurrence of every pattern, in one pass.
  struct Automaton {
    private var next: [[Unicode.Scalar: Int]] = [[:]]
    private var fail: [Int] = [0]
    /// The pattern that ends at a node, or -1.
    private var pattern: [Int] = [-1]
    /// The nearest node on the fail chain (not the node itself) where a pattern ends, or -1.
    private var nextOutput: [Int] = [-1]

    init(_ patterns: [[Unicode.Scalar]]) {
      for (id, string) in patterns.enumerated() {
        var node = 0
        for scalar in string {
          if let child = next[node][scalar] {
            node = child
          } else {
            next.append([:])
            fail.append(0)
            pattern.append(-1)
            nextOutput.append(-1)
            next[node][scalar] = next.count - 1
            node = next.count - 1
          }
        }
        pattern[node] = id
      }
      // Breadth-first: a node's fail link is the longest proper suffix of its string that is in the trie.
      var queue = Array(next[0].values)
      var head = 0
      while head < queue.count {
        let node = queue[head]
        head += 1
        for (scalar, child) in next[node] {
          var link = fail[node]
          while link != 0, next[link][scalar] == nil { link = fail[link] }
          fail[child] = next[link][scalar] ?? 0
          nextOutput[child] = pattern[fail[child]] >= 0 ? fail[child] : nextOutput[fail[child]]
          queue.append(child)
        }
      }
    }

    /// Calls `report(pattern, end)` for every occurrence, in order of `end`.
    func scan(_ text: [Unicode.Scalar], _ report: (Int, Int) -> Void) {
      var node = 0
      for (i, scalar) in text.enumerated() {
        while true {
          if let child = next[node][scalar] {
            node = child
            break
          }
          if node == 0 { break }
          node = fail[node]
        }
        var output = pattern[node] >= 0 ? node : nextOutput[node]
        while output >= 0 {
          report(pattern[output], i + 1)
          output = nextOutput[output]
        }
      }
    }
  }
}
