// When is a listed claim in copy a disclosure instead (`本产品不保本`, `this is not a guaranteed return`)?
// The rule works on the folded text, fails closed — a negation it cannot place leaves the claim reported — and
// is documented for rulebook authors in docs/wording.md.
//
// Two kinds of negator:
//  - Clause negators deny a whole predication: 不是 并非 并不 绝非 决非 不属于 不承诺 不保证 不提供 不代表 不构成
//    不等于 不意味 无法保证 不能保证 没有承诺 未承诺 不作 不做, and English not, never, without, cannot, can't,
//    isn't, aren't, doesn't, don't, won't, neither, nor (straight or curly apostrophe). One governs the rest of
//    its clause: up to clause punctuation (, . ; : ! ? 。 、 brackets, dashes) or a line break next to a CJK
//    character, or up to a conjunction, whichever comes first. `这不是一款保本产品`, `not a guaranteed return`.
//  - Word negators negate the word after them: 不 非 无 未 没 没有 不能 不会 别 勿 从不 绝不 决不, and English no and
//    non (`non-guaranteed`). One governs an occurrence that starts at most 2 folded scalars after it, with no
//    clause break between: `不保本`, `非保本`, `不以保本为目标`, `no guaranteed return`. A word negator does not
//    reach further, so `无手续费保本保息` still reports 保本: `无` negates 手续费.
//
// Conjunctions end a clause negator's reach, because what follows them is asserted: 而是 而 但 但是 却 可是
// 不过 只是 然而 反而 而且 并且 还 更 甚至 同时 此外 另外 况且 也 又 且 就, and English but, and, yet, however, instead,
// rather, though, although, while, whereas, plus, with, also, so. `不是…而是保本` reports 保本; so does
// `not risky and guaranteed returns`. 和 与 及 或 and English or are not conjunctions here: in `不保证本金和收益`
// the negation carries on, as it does in Chinese.
//
// Phrase-level exceptions — words that begin with a negator but do not negate what follows (idioms); a negator
// inside one is no negator: 不仅 不但 不只 不止 不光 不单 非但 (not only: the claim is added to, not denied), 非常
// 非凡 未来 不断 不错 无论 无忧 不用 不必 无需 无须 不怕 不愁 没问题 (the object is worry, not the claim:
// `不用担心，保本` and `保本，不用担心` are claims), and English not only, not just, not merely, not simply,
// no doubt, no wonder, no matter, no worry, no worries, no problem, never worry, never miss.
//
// Other limits: a negator governs only what comes after it (`保本，不用担心` and `保本不是梦` report 保本); a
// negator inside a listed term is part of the term (`稳赚不赔`, `无风险`, `no risk` are claims); double negation
// (`不是不保本`) counts as negation. The analysis is lexical, not a parse: it is a reviewer's aid, and copy it
// clears can still be read by a person.

extension Wording {
  enum Negation {
    static let wordMarkers = folded([
      "不", "非", "无", "未", "没", "没有", "不能", "不会", "别", "勿", "从不", "绝不", "决不", "no", "non",
    ])

    static let clauseMarkers = folded(
      [
        "不是", "并非", "并不", "绝非", "决非", "不属于", "不承诺", "不保证", "不提供", "不代表", "不构成", "不等于", "不意味",
        "无法保证", "不能保证", "没有承诺", "未承诺", "不作", "不做",
        "not", "never", "without", "cannot", "neither", "nor",
      ] + ["can't", "isn't", "aren't", "doesn't", "don't", "won't"].flatMap { [$0, String($0.map { $0 == "'" ? "\u{2019}" : $0 })] })

    static let idioms = folded([
      "不仅", "不但", "不只", "不止", "不光", "不单", "非但", "非常", "非凡", "未来", "不断", "不错", "无论", "无忧", "不用", "不必",
      "无需", "无须", "不怕", "不愁", "没问题",
      "not only", "not just", "not merely", "not simply", "no doubt", "no wonder", "no matter", "no worry", "no worries",
      "no problem", "never worry", "never miss",
    ])

    static let conjunctions = folded([
      "而是", "而", "但", "但是", "却", "可是", "不过", "只是", "然而", "反而", "而且", "并且", "还", "更", "甚至", "同时", "此外",
      "另外", "况且", "也", "又", "且", "就",
      "but", "and", "yet", "however", "instead", "rather", "though", "although", "while", "whereas", "plus", "with",
      "also", "so",
    ])

    /// How many folded scalars may lie between a word negator and the occurrence it negates.
    static let reach = 2

    private static func folded(_ words: [String]) -> [[Unicode.Scalar]] { words.map { NormalizedText($0).folded } }

    /// The negation vocabulary found in one copy, by role.
    struct Occurrences {
      static let wordMarker: UInt8 = 1, clauseMarker: UInt8 = 2, idiom: UInt8 = 4, conjunction: UInt8 = 8

      var wordMarkers: [Range<Int>] = []
      var clauseMarkers: [Range<Int>] = []
      var idioms: [Range<Int>] = []
      var conjunctions: [Range<Int>] = []

      var isEmpty: Bool { wordMarkers.isEmpty && clauseMarkers.isEmpty }

      mutating func add(_ range: Range<Int>, roles: UInt8) {
        if roles & Self.wordMarker != 0 { wordMarkers.append(range) }
        if roles & Self.clauseMarker != 0 { clauseMarkers.append(range) }
        if roles & Self.idiom != 0 { idioms.append(range) }
        if roles & Self.conjunction != 0 { conjunctions.append(range) }
      }
    }

    /// `result[s]`: an occurrence starting at folded offset `s` is governed by a negation. One slot per offset
    /// and one for the end; linear in the text plus the occurrences.
    static func negatedStarts(
      _ found: [Range<Int>], _ vocabulary: Occurrences, _ count: Int, _ clauseBreakBefore: [Bool]
    ) -> [Bool] {
      // covered[k]: how many of the scalars before k lie inside some term occurrence, so "does this range
      // overlap a term?" is one subtraction.
      var depth = [Int](repeating: 0, count: count + 1)
      for occurrence in found {
        depth[occurrence.lowerBound] += 1
        depth[occurrence.upperBound] -= 1
      }
      var covered = [Int](repeating: 0, count: count + 1)
      var open = 0
      for k in 0..<count {
        open += depth[k]
        covered[k + 1] = covered[k] + (open > 0 ? 1 : 0)
      }
      func insideTerm(_ r: Range<Int>) -> Bool { covered[r.upperBound] != covered[r.lowerBound] }

      // idiomReach[k]: the furthest end of an idiom that starts at or before k, so a marker [s, e) lies inside
      // one exactly when idiomReach[s] >= e.
      var idiomReach = [Int](repeating: -1, count: vocabulary.idioms.isEmpty ? 0 : count + 1)
      if !vocabulary.idioms.isEmpty {
        for idiom in vocabulary.idioms { idiomReach[idiom.lowerBound] = Swift.max(idiomReach[idiom.lowerBound], idiom.upperBound) }
        for k in 1...count { idiomReach[k] = Swift.max(idiomReach[k], idiomReach[k - 1]) }
      }
      func counts(_ marker: Range<Int>) -> Bool {
        !insideTerm(marker) && (idiomReach.isEmpty || idiomReach[marker.lowerBound] < marker.upperBound)
      }

      // Events at each offset: a word negation ends, a clause negation opens, a conjunction starts.
      var events = [UInt8](repeating: 0, count: count + 1)
      for marker in vocabulary.wordMarkers where counts(marker) { events[marker.upperBound] |= Occurrences.wordMarker }
      for marker in vocabulary.clauseMarkers where counts(marker) { events[marker.upperBound] |= Occurrences.clauseMarker }
      for conjunction in vocabulary.conjunctions where !insideTerm(conjunction) {
        events[conjunction.lowerBound] |= Occurrences.conjunction
      }

      var negated = [Bool](repeating: false, count: count + 1)
      var clauseOpen = false
      var lastWordNegation = Int.min / 2  // where the last word negation ended, with no break since
      for k in 0...count {
        // A negation ending at k lies before a break at k, so the break ends it; so does a conjunction
        // starting at k, for a clause negation.
        if events[k] & Occurrences.wordMarker != 0 { lastWordNegation = k }
        if events[k] & Occurrences.clauseMarker != 0 { clauseOpen = true }
        if clauseBreakBefore[k] {
          lastWordNegation = Int.min / 2
          clauseOpen = false
        }
        if events[k] & Occurrences.conjunction != 0 { clauseOpen = false }
        negated[k] = clauseOpen || k - lastWordNegation <= reach
      }
      return negated
    }
  }
}
