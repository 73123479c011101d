// Folding marketing copy so that a word list still matches what evasive copy writes: 保　本, ＧＵＡＲＡＮＴＥＥＤ,
// 保證收益, 保\u{200B}本. Every folded scalar remembers which scalars of the original it came from, so a match is
// reported as a span of the copy the reviewer actually reads.
//
// The folding, in order, one original scalar at a time unless said otherwise:
//  1. Dropped: default-ignorable code points (zero-width space, joiners, U+2060, U+FEFF, soft hyphen, variation
//     selectors, bidi controls …), control characters other than white space, and the script-neutral combining
//     diacritics (U+0300–036F, 1AB0–1AFF, 1DC0–1DFF, 20D0–20FF, FE20–FE2F) that copy uses to strike through or
//     decorate text (保̶本, g̲u̲a̲r̲a̲n̲t̲e̲e̲d̲). So a decomposed é (e + U+0301) becomes e, while a precomposed é stays é.
//  2. Full-width ASCII FF01–FF5E → 21–7E, ideographic space U+3000 → space (arithmetic); other compatibility
//     characters → their NFKC form from CompatibilityTable.swift (① → 1, ⑴ → (1), ℡ → TEL, ㎡ → m2, ⾦ → 金,
//     𝐆 → G, ｡ → 。, the CJK compatibility ideographs …), see that file for the blocks covered.
//  3. Latin lookalikes (whole words): inside a run of letters that has an ASCII letter, Cyrillic and Greek
//     letters that look Latin become Latin (`guаranteed` with a Cyrillic а).
//  4. Case: `Unicode.Scalar.Properties.lowercaseMapping` (may give several scalars: İ → i̇).
//  5. Traditional → Simplified Chinese, character by character (OpenCC's table, T2STable.swift).
//  6. White space and filler, over runs: a run of white space, punctuation and symbols (not currency signs)
//     with a CJK character on both sides is removed entirely (保 本, 保-本, 保*本, 保，本, 保★本 → 保本). Elsewhere
//     punctuation stays; white space next to a CJK character, or at either end of the text, is removed
//     (100% 保本 → 100%保本), and any other run of white space becomes one space (guaranteed  Return →
//     guaranteed return).
//
//  7. Phrase-dependent Simplified forms: 躺著 → 躺着, 秒到帳 → 秒到账 (see WordFolds.swift).
//  8. English inflections: each word of four or more ASCII letters becomes a light stem, so `returns` matches
//     `return` (see WordFolds.swift).
//
// Not covered: canonical composition or decomposition (precomposed letters stay as they are; see step 1),
// compatibility characters outside the generated blocks, Traditional/Simplified differences that depend on
// the phrase beyond step 7's characters (OpenCC's phrase tables are not used), irregular English forms, and
// lookalikes beyond the hand-made list.

/// A place in the original copy: scalar offsets [start, end) and the text there.
public struct TextSpan: Sendable, Hashable {
  public let start: Int
  public let end: Int
  public let text: String

  public init(start: Int, end: Int, text: String) {
    self.start = start
    self.end = end
    self.text = text
  }
}

/// Copy folded for matching (see the top of this file), with the way back to the original.
public struct NormalizedText: Sendable {
  /// The folded text; every folded scalar maps back to a range of the original.
  public let folded: [Unicode.Scalar]
  /// The original, as scalars.
  let original: [Unicode.Scalar]
  /// `folded[i]` came from `original[originStart[i] ..< originEnd[i]]`. Both are non-decreasing.
  let originStart: [Int]
  let originEnd: [Int]
  /// `clauseBreakBefore[i]`: clause punctuation (, . ; : ! ? 。 、 brackets, dashes), or a line break next to a CJK character, lay
  /// between `folded[i - 1]` and `folded[i]`, whether the folding removed it or kept it. One slot more than
  /// `folded`, for the end. Negation does not reach across a clause break.
  let clauseBreakBefore: [Bool]

  public init(_ original: String) {
    let scalars = Array(original.unicodeScalars)
    self.original = scalars

    // Steps 1–2: drop, widen-fold and compatibility-fold.
    var units: [Wording.Unit] = []
    units.reserveCapacity(scalars.count)
    for (index, scalar) in scalars.enumerated() {
      let value = scalar.value
      if value < 0x80 {
        if value < 0x20 || value == 0x7F, !Wording.Fold.isASCIIWhitespace(value) { continue }
        units.append(Wording.Unit(scalar, index))
        continue
      }
      if Wording.Fold.isUnifiedIdeograph(value) {  // the bulk of Chinese copy: nothing to drop or fold here
        units.append(Wording.Unit(scalar, index))
        continue
      }
      if Wording.Fold.isCombiningDiacritic(value) { continue }
      let properties = scalar.properties
      if properties.isDefaultIgnorableCodePoint { continue }
      if properties.generalCategory == .control, !properties.isWhitespace { continue }
      if (0xFF01...0xFF5E).contains(value), let narrow = Unicode.Scalar(value - 0xFEE0) {
        units.append(Wording.Unit(narrow, index))
      } else if value == 0x3000 {
        units.append(Wording.Unit(" ", index))
      } else if let replacement = WordingData.compatibility[scalar] {
        for folded in replacement { units.append(Wording.Unit(folded, index)) }
      } else {
        units.append(Wording.Unit(scalar, index))
      }
    }

    // Step 3: Latin lookalikes inside words that have ASCII letters.
    Wording.Fold.replaceLookalikes(in: &units)

    // Steps 4–5: case, then Traditional → Simplified.
    var lowered: [Wording.Unit] = []
    lowered.reserveCapacity(units.count)
    for unit in units {
      let value = unit.scalar.value
      if value < 0x80 {
        let lower = (0x41...0x5A).contains(value) ? Unicode.Scalar(UInt8(value + 0x20)) : unit.scalar
        lowered.append(Wording.Unit(lower, unit.origin))
      } else if !Wording.Fold.isUnifiedIdeograph(value), unit.scalar.properties.changesWhenLowercased {
        for lower in unit.scalar.properties.lowercaseMapping.unicodeScalars {
          lowered.append(Wording.Unit(Wording.Fold.simplified(lower), unit.origin))
        }
      } else {
        lowered.append(Wording.Unit(Wording.Fold.simplified(unit.scalar), unit.origin))
      }
    }

    // Step 6: white space and filler.
    var folded: [Unicode.Scalar] = [], starts: [Int] = [], ends: [Int] = [], breaks: [Bool] = []
    folded.reserveCapacity(lowered.count)
    starts.reserveCapacity(lowered.count)
    ends.reserveCapacity(lowered.count)
    breaks.reserveCapacity(lowered.count + 1)
    let classes = lowered.map { Wording.Fold.classify($0.scalar) }
    var pendingBreak = false
    var lastContentIsCJK: Bool?  // nil before the first content scalar
    var i = 0
    func emit(_ scalar: Unicode.Scalar, _ start: Int, _ end: Int) {
      folded.append(scalar)
      starts.append(start)
      ends.append(end)
      breaks.append(pendingBreak)
      pendingBreak = false
    }
    while i < lowered.count {
      if classes[i].isContent {
        emit(lowered[i].scalar, lowered[i].origin, lowered[i].origin + 1)
        lastContentIsCJK = classes[i] == .cjk
        i += 1
        continue
      }
      var j = i
      while j < lowered.count, !classes[j].isContent { j += 1 }
      let leftCJK = lastContentIsCJK == true, rightCJK = j < lowered.count && classes[j] == .cjk
      let nextToCJK = leftCJK || rightCJK
      let atEdge = lastContentIsCJK == nil || j == lowered.count
      var runBreaks = false
      for k in i..<j where classes[k] == .clause || (classes[k] == .lineBreak && nextToCJK) { runBreaks = true }
      if !(leftCJK && rightCJK) {
        let dropSpace = nextToCJK || atEdge
        var inSpace = false
        for k in i..<j {
          let unit = lowered[k]
          switch classes[k] {
          case .space, .lineBreak:
            guard !dropSpace else { continue }
            if inSpace, let last = ends.indices.last {
              ends[last] = unit.origin + 1
            } else {
              emit(" ", unit.origin, unit.origin + 1)
              inSpace = true
            }
          default:
            emit(unit.scalar, unit.origin, unit.origin + 1)
            inSpace = false
          }
        }
      }
      if runBreaks { pendingBreak = true }
      i = j
    }
    breaks.append(pendingBreak)

    // Steps 7–8: phrase-dependent Simplified forms, English inflections (WordFolds.swift).
    Wording.Fold.foldPhrases(&folded)
    Wording.Fold.stemEnglish(&folded, &starts, &ends, &breaks)

    self.folded = folded
    self.originStart = starts
    self.originEnd = ends
    self.clauseBreakBefore = breaks
  }

  /// The span of the original that a range of `folded` came from: from the start of the first folded scalar's
  /// origin to the end of the last one's, so removed filler and zero-width characters inside a match are part
  /// of it. The range is clamped to `folded`; an empty range gives an empty span where it points.
  public func originalSpan(_ foldedRange: Range<Int>) -> TextSpan {
    let lower = Swift.min(Swift.max(foldedRange.lowerBound, 0), folded.count)
    let upper = Swift.min(Swift.max(foldedRange.upperBound, lower), folded.count)
    guard lower < upper else {
      let at = lower < folded.count ? originStart[lower] : original.count
      return TextSpan(start: at, end: at, text: "")
    }
    let start = originStart[lower], end = originEnd[upper - 1]
    return TextSpan(start: start, end: end, text: String(String.UnicodeScalarView(original[start..<end])))
  }
}

extension Wording {
  /// A scalar on its way through the folding, with the index of the original scalar it came from.
  struct Unit {
    var scalar: Unicode.Scalar
    let origin: Int
    init(_ scalar: Unicode.Scalar, _ origin: Int) {
      self.scalar = scalar
      self.origin = origin
    }
  }

  /// Character classes and single-scalar folds.
  enum Fold {
    /// How the filler step and the matcher see a folded scalar.
    enum Class: Equatable {
      /// White space other than a line break.
      case space
      case lineBreak
      /// Punctuation that ends a clause: , . ; : ! ? 。 、 ( ) [ ] 【 】 〔 〕 — ― (filler, and a bound for negation).
      case clause
      /// Other punctuation and symbols, currency signs excepted.
      case filler
      /// Han, kana, Hangul, bopomofo.
      case cjk
      /// Letters, digits and marks of other scripts: what English word boundaries are made of.
      case word
      /// Anything else (currency signs, private use, unassigned …).
      case other

      var isContent: Bool { self == .cjk || self == .word || self == .other }
    }

    static func classify(_ scalar: Unicode.Scalar) -> Class {
      let value = scalar.value
      if value < 0x80 {
        switch value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return .word
        case 0x0A...0x0D: return .lineBreak
        case 0x09, 0x20: return .space
        case 0x21, 0x28, 0x29, 0x2C, 0x2E, 0x3A, 0x3B, 0x3F, 0x5B, 0x5D: return .clause
        case 0x24: return .other
        case 0x22...0x7E: return .filler
        default: return .other
        }
      }
      if isCJK(value) { return .cjk }
      // 。 ends a sentence; 、 separates items of a list ("理财非存款、产品有风险"): neither lets a negation reach past it.
      // Brackets and dashes set off a clause too: 业绩比较基准3.0%（不代表实际收益）保本 reports 保本.
      switch value {
      case 0x3001, 0x3002, 0x3010, 0x3011, 0x3014, 0x3015, 0x2014, 0x2015: return .clause
      default: break
      }
      if value == 0x85 || value == 0x2028 || value == 0x2029 { return .lineBreak }
      let properties = scalar.properties
      if properties.isWhitespace { return .space }
      switch properties.generalCategory {
      case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
        .finalPunctuation, .otherPunctuation, .mathSymbol, .modifierSymbol, .otherSymbol:
        return .filler
      case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber,
        .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark:
        return .word
      default:
        return .other
      }
    }

    /// Whether English word boundaries apply to this scalar: a letter, digit or mark that is not CJK.
    static func isWord(_ scalar: Unicode.Scalar) -> Bool { classify(scalar) == .word }

    /// Han ideographs (with radicals and compatibility ideographs), kana (with the voicing marks), Hangul and
    /// bopomofo: scripts written without spaces between words.
    static func isCJK(_ value: UInt32) -> Bool {
      switch value {
      case 0x1100...0x11FF, 0x2E80...0x2FDF, 0x3005...0x3007, 0x3021...0x3029, 0x3031...0x3035, 0x3038...0x303C,
        0x3041...0x3096, 0x3099...0x309A, 0x309D...0x309F, 0x30A1...0x30FA, 0x30FC...0x30FF, 0x3105...0x312F,
        0x3131...0x318E, 0x31A0...0x31BF, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA960...0xA97F,
        0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x3FFFF:
        return true
      default:
        return false
      }
    }

    /// CJK Unified Ideographs (not the compatibility ones): no case, no decomposition, never ignorable.
  static func isUnifiedIdeograph(_ value: UInt32) -> Bool {
    (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value) || (0x20000...0x2A6DF).contains(value)
  }

  /// Combining marks of the blocks shared by all scripts (diacritics, their extensions and supplements, marks
  /// for symbols such as the enclosing circle and keycap, half marks).
  static func isCombiningDiacritic(_ value: UInt32) -> Bool {
    switch value {
    case 0x0300...0x036F, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x20D0...0x20FF, 0xFE20...0xFE2F: return true
    default: return false
    }
  }

  static func isASCIIWhitespace(_ value: UInt32) -> Bool { value == 0x20 || (0x09...0x0D).contains(value) }

    /// The Simplified form of a Traditional character, or the scalar itself.
    static func simplified(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
      // Every key of the table is at or above U+3400.
      guard scalar.value >= 0x3400 else { return scalar }
      return WordingData.traditionalToSimplified[scalar] ?? scalar
    }

    /// Step 3: in each run of word scalars that has an ASCII letter, Latin lookalikes become Latin.
    static func replaceLookalikes(in units: inout [Unit]) {
      var start = 0
      while start < units.count {
        guard isWord(units[start].scalar) else {
          start += 1
          continue
        }
        var end = start, hasASCIILetter = false, hasLookalike = false
        while end < units.count, isWord(units[end].scalar) {
          let value = units[end].scalar.value
          if (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) {
            hasASCIILetter = true
          } else if value >= 0x80, WordingData.latinLookalikes[units[end].scalar] != nil {
            hasLookalike = true
          }
          end += 1
        }
        if hasASCIILetter, hasLookalike {
          for k in start..<end {
            if let latin = WordingData.latinLookalikes[units[k].scalar] { units[k].scalar = latin }
          }
        }
        start = end
      }
    }
  }
}
