/// The character classes of `\w` and `\s` and the simple case mappings, shared by the parser and the matcher.
enum ScalarRules {
  /// `\w`: `_`, letters of any script (so 保 is a word character) and numerals, the same set as Python's `str` `\w`.
  static func isWord(_ c: Unicode.Scalar) -> Bool {
    let v = c.value
    if v < 0x80 {
      return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
    }
    // CJK ideographs (extension A and the main block) are all letters; skipping the property lookup matters for
    // `\b` on Chinese copy.
    if (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) { return true }
    switch c.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
    default: return c.properties.numericType != nil
    }
  }

  /// `\s`: the Unicode White_Space property, which includes the ideographic space U+3000.
  static func isSpace(_ c: Unicode.Scalar) -> Bool {
    let v = c.value
    if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
    return c.properties.isWhitespace
  }

  /// The simple lowercase mapping; scalars whose lowercase is several scalars (like İ) map to themselves.
  static func lower(_ c: Unicode.Scalar) -> Unicode.Scalar {
    let v = c.value
    if v < 0x80 {
      return v >= 0x41 && v <= 0x5A ? Unicode.Scalar(UInt8(v + 0x20)) : c
    }
    // CJK and Hangul have no case; checking the flag next avoids building a String for most other scalars.
    guard !isCaseless(v), c.properties.changesWhenLowercased else { return c }
    return single(c.properties.lowercaseMapping) ?? c
  }

  /// The simple uppercase mapping, used only to test class membership case-insensitively.
  static func upper(_ c: Unicode.Scalar) -> Unicode.Scalar {
    let v = c.value
    if v < 0x80 {
      return v >= 0x61 && v <= 0x7A ? Unicode.Scalar(UInt8(v - 0x20)) : c
    }
    guard !isCaseless(v), c.properties.changesWhenUppercased else { return c }
    return single(c.properties.uppercaseMapping) ?? c
  }

  /// CJK radicals through the unified ideographs (U+2E80–U+9FFF) and Hangul syllables have no case mappings.
  @inline(__always) private static func isCaseless(_ v: UInt32) -> Bool {
    (v >= 0x2E80 && v <= 0x9FFF) || (v >= 0xAC00 && v <= 0xD7A3)
  }

  private static func single(_ mapping: String) -> Unicode.Scalar? {
    var scalars = mapping.unicodeScalars.makeIterator()
    guard let first = scalars.next(), scalars.next() == nil else { return nil }
    return first
  }
}

/// A bracket class such as `[^a-z\d]`, or a shorthand such as `\w`, tested against one scalar.
struct ScalarClass: Sendable, Hashable {
  /// Members that are not ranges of code points.
  enum Property: Sendable, Hashable {
    case word, notWord, space, notSpace
  }

  /// Sorted, non-overlapping, non-adjacent once `normalized()` has run.
  var ranges: [ClosedRange<UInt32>] = []
  var properties: [Property] = []
  var negated = false

  /// Sorts and merges the ranges so membership is a binary search.
  func normalized() -> ScalarClass {
    var copy = self
    let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
    var merged: [ClosedRange<UInt32>] = []
    for range in sorted {
      if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
        merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
      } else {
        merged.append(range)
      }
    }
    copy.ranges = merged
    var seen: [Property] = []
    for property in properties where !seen.contains(property) { seen.append(property) }
    copy.properties = seen
    return copy
  }

  /// Whether `c` is in the class; with `caseInsensitive`, also when its lowercase or uppercase form is.
  func contains(_ c: Unicode.Scalar, caseInsensitive: Bool) -> Bool {
    var found = containsExactly(c)
    if !found && caseInsensitive {
      let lower = ScalarRules.lower(c)
      found = lower != c && containsExactly(lower)
      if !found {
        let upper = ScalarRules.upper(c)
        found = upper != c && containsExactly(upper)
      }
    }
    return found != negated
  }

  private func containsExactly(_ c: Unicode.Scalar) -> Bool {
    let v = c.value
    var low = 0
    var high = ranges.count
    while low < high {
      let mid = (low + high) / 2
      if ranges[mid].upperBound < v {
        low = mid + 1
      } else if ranges[mid].lowerBound > v {
        high = mid
      } else {
        return true
      }
    }
    for property in properties {
      switch property {
      case .word: if ScalarRules.isWord(c) { return true }
      case .notWord: if !ScalarRules.isWord(c) { return true }
      case .space: if ScalarRules.isSpace(c) { return true }
      case .notSpace: if !ScalarRules.isSpace(c) { return true }
      }
    }
    return false
  }

  static let digit = ScalarClass(ranges: [0x30...0x39])
  static let notDigit = ScalarClass(ranges: [0...0x2F, 0x3A...0x10_FFFF])
  static let word = ScalarClass(properties: [.word])
  static let notWord = ScalarClass(properties: [.notWord])
  static let space = ScalarClass(properties: [.space])
  static let notSpace = ScalarClass(properties: [.notSpace])
}

/// A class ready for matching: ASCII membership is a precomputed bitmap, since most compliance copy punctuation,
/// digits and Latin letters are ASCII even in Chinese text, and classes with only ASCII members answer every other
/// scalar at once.
struct CompiledClass: Sendable, Hashable {
  let scalarClass: ScalarClass
  let caseInsensitive: Bool
  private let asciiLow: UInt64
  private let asciiHigh: UInt64
  /// The answer for every non-ASCII scalar when it does not depend on the scalar (as for `\d` or `[^,]`).
  private let nonASCII: Bool?

  init(_ scalarClass: ScalarClass, caseInsensitive: Bool) {
    self.scalarClass = scalarClass
    self.caseInsensitive = caseInsensitive
    var low: UInt64 = 0
    var high: UInt64 = 0
    for v in 0..<UInt8(128) where scalarClass.contains(Unicode.Scalar(v), caseInsensitive: caseInsensitive) {
      if v < 64 { low |= 1 << UInt64(v) } else { high |= 1 << UInt64(v - 64) }
    }
    asciiLow = low
    asciiHigh = high
    // Case-insensitively a non-ASCII scalar can fold into ASCII (the Kelvin sign K to k), so no shortcut then.
    let onlyASCII = scalarClass.properties.isEmpty && (scalarClass.ranges.last?.upperBound ?? 0) < 0x80
    nonASCII = onlyASCII && !caseInsensitive ? scalarClass.negated : nil
  }

  @inline(__always) func contains(_ c: Unicode.Scalar) -> Bool {
    let v = c.value
    if v < 64 { return asciiLow & (1 << UInt64(v)) != 0 }
    if v < 128 { return asciiHigh & (1 << UInt64(v - 64)) != 0 }
    if let nonASCII { return nonASCII }
    return scalarClass.contains(c, caseInsensitive: caseInsensitive)
  }
}
