// Finding prohibited marketing claims (保本, 保证收益, guaranteed return …) in copy, through the evasions real copy
// uses: see NormalizedText for the folding. Terms are folded the same way as the copy, so a list may be written
// in Simplified or Traditional characters, in any case, with or without spaces between Chinese characters.
//
// Matching, over the folded text:
//  - All terms at once (Aho–Corasick), so the time is linear in the copy plus the total length of the terms
//    plus the occurrences found.
//  - Word boundaries: where a term begins (ends) with a letter or digit that is not CJK, the folded scalar
//    before (after) the occurrence must not be one: `guaranteed return` matches `guaranteed  Return` and
//    `Guaranteed Returns` (inflections fold to one stem, see WordFolds.swift) but not `unguaranteed return` or
//    `guaranteedreturn`. Chinese has no word boundaries: `保本` matches inside `保本型`.
//  - Negation (see Negation.swift): an occurrence that a negation governs is a disclosure, not a claim, and is
//    left out: `不保本`, `这不是一款保本产品`, `this is not a guaranteed return`. A negation inside an occurrence of
//    a listed term is part of that term (`稳赚不赔`, `无风险` are claims).
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

/// A list of terms compiled once (folded, with the negation vocabulary, into one automaton) and then
/// matched against many copies: what rules do with a constant list such as `prohibited_claims`.
public struct WordMatcher: Sendable {
  let patterns: Wording.Patterns
  let automaton: Wording.Automaton
  /// Whether negated occurrences are left out (claims) or kept (`near`, which asks only where words are).
  let negation: Bool

  public init(_ terms: [String], negation: Bool = true) {
    var patterns = Wording.Patterns()
    for term in terms { patterns.add(NormalizedText(term).folded, role: .term) }
    if patterns.hasTerms, negation {
      for marker in Wording.Negation.wordMarkers { patterns.add(marker, role: .wordMarker) }
      for marker in Wording.Negation.clauseMarkers { patterns.add(marker, role: .clauseMarker) }
      for idiom in Wording.Negation.idioms { patterns.add(idiom, role: .idiom) }
      for conjunction in Wording.Negation.conjunctions { patterns.add(conjunction, role: .conjunction) }
    }
    self.patterns = patterns
    self.automaton = Wording.Automaton(patterns.strings)
    self.negation = negation
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

  /// Every occurrence of a term that respects word boundaries, overlapping ones included, in order of end,
  /// negated or not: what `near` measures distances between.
  func occurrences(in text: NormalizedText) -> [Range<Int>] {
    let folded = text.folded
    guard patterns.hasTerms, !folded.isEmpty else { return [] }
    var found: [Range<Int>] = []
    automaton.scan(folded) { pattern, end in
      let entry = patterns.entries[pattern]
      let start = end - entry.length
      guard entry.isTerm, Wording.bounded(entry, start, end, folded) else { return }
      found.append(start..<end)
    }
    return found
  }

  func matches(in text: NormalizedText) -> [Range<Int>] {
    let folded = text.folded
    guard patterns.hasTerms, !folded.isEmpty else { return [] }

    // Every occurrence that respects word boundaries, by role.
    var found: [Range<Int>] = []
    var vocabulary = Wording.Negation.Occurrences()
    automaton.scan(folded) { pattern, end in
      let entry = patterns.entries[pattern]
      let start = end - entry.length
      guard Wording.bounded(entry, start, end, folded) else { return }
      if entry.isTerm { found.append(start..<end) }
      if entry.roles != 0 { vocabulary.add(start..<end, roles: entry.roles) }
    }
    guard !found.isEmpty else { return [] }

    var claims = found
    if negation, !vocabulary.isEmpty {
      let negated = Wording.Negation.negatedStarts(found, vocabulary, folded.count, text.clauseBreakBefore)
      claims = found.filter { !negated[$0.lowerBound] }
    }
    claims.sort { $0.lowerBound != $1.lowerBound ? $0.lowerBound < $1.lowerBound : $0.upperBound > $1.upperBound }
    var chosen: [Range<Int>] = []
    for claim in claims where chosen.last.map({ claim.lowerBound >= $0.upperBound }) ?? true {
      chosen.append(claim)
    }
    return chosen
  }
}

extension Wording {
  /// Whether an occurrence of a pattern respects word boundaries (see the top of this file).
  static func bounded(_ entry: Patterns.Entry, _ start: Int, _ end: Int, _ folded: [Unicode.Scalar]) -> Bool {
    if entry.wordAtStart, start > 0, Fold.isWord(folded[start - 1]) { return false }
    if entry.wordAtEnd, end < folded.count, Fold.isWord(folded[end]) { return false }
    // A hyphen joins words into one: the term `no risk` is not in `no risk-free investment`. (Negation
    // words are not held to this: `non-guaranteed` negates.)
    if entry.wordAtEnd, entry.roles == 0, end + 1 < folded.count, folded[end] == "-", Fold.isWord(folded[end + 1]) { return false }
    return true
  }
}

extension Wording {
  /// The distinct folded strings to look for, each a term, a negation marker or both.
  struct Patterns {
    enum Role {
      case term, wordMarker, clauseMarker, idiom, conjunction
      /// The bit of `Entry.roles` (terms have none: they are `isTerm`).
      var bit: UInt8 {
        switch self {
        case .term: 0
        case .wordMarker: Negation.Occurrences.wordMarker
        case .clauseMarker: Negation.Occurrences.clauseMarker
        case .idiom: Negation.Occurrences.idiom
        case .conjunction: Negation.Occurrences.conjunction
        }
      }
    }
    struct Entry {
      let length: Int
      let wordAtStart: Bool
      let wordAtEnd: Bool
      var isTerm = false
      /// The negation roles of the string (bits of `Negation.Occurrences`), 0 for none.
      var roles: UInt8 = 0
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
      if role == .term {
        entries[position].isTerm = true
        hasTerms = true
      } else {
        entries[position].roles |= role.bit
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
