// Fuzzy name matching for sanctions and watch-list screening. Scores feed manual review, so the folding
// aims to make spelling variants meet (word order, case, diacritics, full-width forms, punctuation),
// while the score stays an exact, reproducible decimal.

/// Name folding and Jaro–Winkler scoring for screening customers and counterparties against lists.
public enum Screening {
  /// Name normalized for screening: full-width ASCII → ASCII, case-folded, diacritics stripped for Latin
  /// letters (é → e, ø → o, ß → ss), apostrophes and dots dropped (O'Brien → obrien), other punctuation and
  /// white space separating words, words sorted — so word order does not matter ("LI Wei" ~ "Wei Li").
  /// Letters of other scripts (Chinese, Cyrillic, …) are kept as they are, after case folding.
  public static func normalizedName(_ s: String) -> String {
    var words: [String] = []
    var word = String.UnicodeScalarView()
    func endWord() {
      if !word.isEmpty { words.append(String(word)) }
      word = String.UnicodeScalarView()
    }
    func take(_ folded: Unicode.Scalar) {
      switch classify(folded) {
      case .keep: word.append(folded)
      case .replace(let text): word.append(contentsOf: text.unicodeScalars)
      case .drop: break
      case .separate: endWord()
      }
    }
    for scalar in s.unicodeScalars {
      let narrow = widthFolded(scalar)
      if narrow.isASCII {
        take((0x41...0x5A).contains(narrow.value) ? Unicode.Scalar(UInt8(narrow.value) + 0x20) : narrow)
      } else {
        // The full lowercase mapping: İ becomes i + combining dot, whose mark is then dropped.
        for folded in narrow.properties.lowercaseMapping.unicodeScalars { take(folded) }
      }
    }
    endWord()
    words.sort()
    return words.joined(separator: " ")
  }

  /// Jaro–Winkler similarity (prefix scale 0.1, up to 4) of the normalized names, 0…1, as an exact Fixed rounded
  /// to 4 places. Two names that are both empty after normalization score 1 (they are identical); one empty, 0.
  public static func similarity(_ a: String, _ b: String) -> Fixed {
    jaroWinkler(Array(normalizedName(a).unicodeScalars), Array(normalizedName(b).unicodeScalars))
  }

  /// The best-scoring name of a list, or nil for an empty list. Ties: the earlier name.
  public static func bestMatch(_ name: String, among names: [String]) -> (name: String, score: Fixed)? {
    bestMatch(name, in: NameList(names))
  }

  /// A list of names folded once, for screening many names against it (a watch list is a
  /// constant of the rulebook: it is folded when the rulebook is compiled, not per transaction).
  public struct NameList: Sendable {
    public let names: [String]
    let folded: [[Unicode.Scalar]]

    public init(_ names: [String]) {
      self.names = names
      folded = names.map { Array(Screening.normalizedName($0).unicodeScalars) }
    }
  }

  /// The best-scoring name of a folded list, or nil for an empty list. Ties: the earlier name.
  public static func bestMatch(_ name: String, in list: NameList) -> (name: String, score: Fixed)? {
    let target = Array(normalizedName(name).unicodeScalars)
    var best: (name: String, score: Fixed)?
    for (candidate, folded) in zip(list.names, list.folded) {
      let score = jaroWinkler(target, folded)
      if best.map({ score > $0.score }) ?? true { best = (candidate, score) }
    }
    return best
  }

  // MARK: Scoring

  /// Jaro–Winkler of two scalar sequences, computed as an exact fraction and rounded half-even once, to 4 places.
  /// Transpositions are halved with integer division, as Winkler's strcmp95 and most libraries do; the prefix
  /// bonus applies at every Jaro score (no 0.7 threshold).
  static func jaroWinkler(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Fixed {
    if a.isEmpty, b.isEmpty { return .one }
    if a.isEmpty || b.isEmpty { return .zero }
    let window = Swift.max(0, Swift.max(a.count, b.count) / 2 - 1)
    // Each scalar of a takes the first unmatched equal scalar of b within the window. The window's low end only
    // rises, so per-scalar queues of b's positions find it in linear time: a long hostile name cannot stall.
    // The queues are runs of b's positions sorted by (scalar, position), found by binary search (no hashing).
    let order = b.indices.sorted { (b[$0].value, $0) < (b[$1].value, $1) }
    // `heads[k]`: for the run starting at k, the next unused position in it; `ends[k]`: where the run ends.
    var heads = [Int](repeating: 0, count: b.count)
    var ends = [Int](repeating: 0, count: b.count)
    var k = 0
    while k < order.count {
      var e = k + 1
      while e < order.count, b[order[e]] == b[order[k]] { e += 1 }
      (heads[k], ends[k]) = (k, e)
      k = e
    }
    var matchedInB = [Bool](repeating: false, count: b.count)
    var matchesInA: [Unicode.Scalar] = []
    for (i, scalar) in a.enumerated() {
      // The run of `scalar` in `order`: its first index, by binary search.
      var lo = 0
      var hi = order.count
      while lo < hi {
        let mid = (lo + hi) / 2
        if b[order[mid]].value < scalar.value { lo = mid + 1 } else { hi = mid }
      }
      guard lo < order.count, b[order[lo]] == scalar else { continue }
      var head = heads[lo]
      let end = ends[lo]
      while head < end, order[head] < i - window { head += 1 }
      if head < end, order[head] <= i + window {
        matchedInB[order[head]] = true
        matchesInA.append(scalar)
        head += 1
      }
      heads[lo] = head
    }
    let m = matchesInA.count
    guard m > 0 else { return .zero }
    var transposed = 0
    for (k, j) in matchedInB.indices.filter({ matchedInB[$0] }).enumerated() where b[j] != matchesInA[k] {
      transposed += 1
    }
    var prefix = 0
    while prefix < Swift.min(4, a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }

    // jaro = N / D with N = m²·|b| + m²·|a| + (m − t)·|a|·|b| and D = 3·|a|·|b|·m;
    // Jaro–Winkler = jaro + ℓ/10·(1 − jaro) = (10N + ℓ(D − N)) / 10D. Int128 holds it for any string in memory.
    let (la, lb, mm, t) = (Int128(a.count), Int128(b.count), Int128(m), Int128(transposed / 2))
    let n = mm * mm * lb + mm * mm * la + (mm - t) * la * lb
    let d = 3 * la * lb * mm
    let numerator = UInt128(10 * n + Int128(prefix) * (d - n)) * 10_000
    let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: UInt128(10 * d))
    let away = Fixed.roundsAway(quotient, remainder, UInt128(10 * d), negative: false, rule: .halfEven)
    return Fixed(units: Int128(quotient + (away ? 1 : 0)) * 100_000_000)
  }

  // MARK: Folding

  enum Folding {
    case keep, drop, separate
    case replace(String)
  }

  /// Full-width ASCII (U+FF01…U+FF5E) to ASCII and the ideographic space to a space, as NFKC would.
  static func widthFolded(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    switch scalar.value {
    case 0xFF01...0xFF5E: Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar
    case 0x3000: " "
    default: scalar
    }
  }

  /// Apostrophes and dots join (O'Brien, J.R.); other punctuation separates (Jean-Pierre, "LI, Wei", 阿卜杜拉·阿齐兹).
  static let joiners: Set<UInt32> = [0x27, 0x2E, 0x60, 0xB4, 0x2BB, 0x2BC, 0x2018, 0x2019, 0xFF0E]

  static func classify(_ scalar: Unicode.Scalar) -> Folding {
    if scalar.isASCII {
      switch scalar.value {
      case 0x30...0x39, 0x61...0x7A: return .keep
      default: return joiners.contains(scalar.value) ? .drop : .separate
      }
    }
    if joiners.contains(scalar.value) { return .drop }
    let properties = scalar.properties
    switch properties.generalCategory {
    case .nonspacingMark, .spacingMark, .enclosingMark: return .drop
    case .decimalNumber, .letterNumber, .otherNumber: return .keep
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
      guard isLatinRange(scalar.value), let base = latinBase(properties.name ?? "") else { return .keep }
      return .replace(base)
    default: return .separate
    }
  }

  /// Latin-1 Supplement to Latin Extended-B, IPA, Latin Extended Additional, Extended-C/D and the fi/fl ligatures.
  static func isLatinRange(_ value: UInt32) -> Bool {
    (0xC0...0x2AF).contains(value) || (0x1E00...0x1EFF).contains(value) || (0x2C60...0x2C7F).contains(value)
      || (0xA720...0xA7FF).contains(value) || (0xFB00...0xFB06).contains(value)
  }

  /// Base letters with no decomposition of their own, by the name's words before "WITH".
  static let specialBases: [String: String] = [
    "SHARP S": "ss", "DOTLESS I": "i", "DOTLESS J": "j", "ETH": "d", "THORN": "th", "LONG S": "s", "ENG": "ng",
  ]

  /// The plain letters under a Latin letter, read from its Unicode name: "LATIN SMALL LETTER E WITH ACUTE" → e,
  /// "… O WITH STROKE" → o, "LATIN SMALL LIGATURE OE" → oe. The name covers every precomposed Latin letter,
  /// including those canonical decomposition leaves alone (ø, ł, đ), with no table to maintain. Nil: keep it.
  static func latinBase(_ name: String) -> String? {
    let words = name.split(separator: " ")
    guard words.count >= 4, words[0] == "LATIN", words[1] == "SMALL" || words[1] == "CAPITAL",
      words[2] == "LETTER" || words[2] == "LIGATURE"
    else { return nil }
    let base = words[3...].prefix { $0 != "WITH" }.joined(separator: " ")
    if let special = specialBases[base] { return special }
    guard (1...3).contains(base.utf8.count), base.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) else { return nil }
    return String(decoding: base.utf8.map { $0 + 0x20 }, as: UTF8.self)
  }
}
