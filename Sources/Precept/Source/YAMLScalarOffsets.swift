extension YAMLNode {
  /// For each Unicode scalar of this scalar node's value, the file offset (in `file.scalars`) it
  /// came from, plus one final entry for the end. `result.count == value.unicodeScalars.count + 1`.
  ///
  /// This is how an error inside an expression written in a YAML value is placed on the exact
  /// character in the file, whatever the quoting, escapes, folding or block indentation.
  /// Offsets never decrease. A node that is not a scalar gives `[span.start.offset]`.
  public func sourceOffsets(in file: SourceFile) -> [Int] {
    YAMLScalarText.offsets(of: self, in: file).offsets
  }
}

/// Decodes the raw text of a YAML scalar as libyaml does, remembering where each character came from.
enum YAMLScalarText {
  /// The offsets, and whether they came from an exact decoding (false: the alignment fallback was used).
  static func offsets(of node: YAMLNode, in file: SourceFile) -> (offsets: [Int], exact: Bool) {
    let count = file.scalars.count
    let start = Swift.max(0, Swift.min(node.span.start.offset, count))
    let end = Swift.max(start, Swift.min(node.span.end.offset, count))
    guard case .scalar(let value, let style) = node.kind else { return ([start], true) }
    let target = Array(value.unicodeScalars)
    let text = file.scalars
    // Most expressions are one-line values written verbatim: skip decoding when the file text
    // between the quotes (or the plain scalar itself) is exactly the value.
    let quote = style == .singleQuoted || style == .doubleQuoted ? 1 : 0
    if style == .plain || quote == 1, end - start == target.count + 2 * quote,
      text[(start + quote)..<(end - quote)].elementsEqual(target)
    {
      return (Array((start + quote)...(end - quote)), true)
    }
    let from = contentStart(text, from: start, end: end)

    let decoded: Decoded?
    switch style {
    case .plain: decoded = decodePlain(text, from: from, end: end)
    case .singleQuoted: decoded = decodeQuoted(text, from: from, end: end, double: false)
    case .doubleQuoted: decoded = decodeQuoted(text, from: from, end: end, double: true)
    case .literal, .folded: decoded = decodeBlock(text, from: from, end: end, matching: target)
    }
    if let decoded, decoded.scalars == target {
      return (monotonic(decoded.offsets + [decoded.end], lower: start, upper: end), true)
    }
    // The text did not decode to libyaml's value (a YAML corner this decoder does not model):
    // still give every character a place, never going backwards.
    let base = decoded ?? raw(text, from: from, end: end)
    return (align(target, to: base, lower: from, upper: end), false)
  }

  /// Characters with the file offset each came from, and the offset just past the last one.
  struct Decoded {
    var scalars: [Unicode.Scalar] = []
    var offsets: [Int] = []
    var end: Int

    mutating func add(_ scalar: Unicode.Scalar, at offset: Int) {
      scalars.append(scalar)
      offsets.append(offset)
    }
  }

  static func isBlank(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" }

  /// The line break at `i` as libyaml copies it into a value, and how many characters it spans:
  /// CR LF, CR, LF and NEL become LF; LINE and PARAGRAPH SEPARATOR are kept.
  static func lineBreak(_ text: [Unicode.Scalar], at i: Int) -> (scalar: Unicode.Scalar, width: Int)? {
    guard i < text.count else { return nil }
    switch text[i].value {
    case 0x0D:
      return ("\n", i + 1 < text.count && text[i + 1] == "\n" ? 2 : 1)
    case 0x0A, 0x85: return ("\n", 1)
    case 0x2028, 0x2029: return (text[i], 1)
    default: return nil
    }
  }

  /// Skips a tag or anchor written before the value (`!!str "x"`): the node's span starts at them.
  static func contentStart(_ text: [Unicode.Scalar], from start: Int, end: Int) -> Int {
    var i = start
    while i < end {
      let c = text[i]
      if c == "!" || c == "&" {
        while i < end, !isBlank(text[i]), lineBreak(text, at: i) == nil { i += 1 }
      } else if c == "#" {
        while i < end, lineBreak(text, at: i) == nil { i += 1 }
      } else if isBlank(c) || lineBreak(text, at: i) != nil {
        i += 1
      } else {
        break
      }
    }
    return i
  }

  /// The text as written, one character per offset: the base for alignment when decoding failed.
  static func raw(_ text: [Unicode.Scalar], from start: Int, end: Int) -> Decoded {
    var d = Decoded(end: end)
    for i in start..<Swift.max(start, end) { d.add(text[i], at: i) }
    return d
  }

  /// Clamps offsets into `lower...upper` and makes them non-decreasing.
  static func monotonic(_ offsets: [Int], lower: Int, upper: Int) -> [Int] {
    var result: [Int] = []
    result.reserveCapacity(offsets.count)
    var last = lower
    for o in offsets {
      last = Swift.max(last, Swift.min(o, upper))
      result.append(last)
    }
    return result
  }

  /// Gives each character of `target` the offset of the matching character of `base`, looking a
  /// short way ahead for a match and otherwise taking the next one; never goes backwards.
  static func align(_ target: [Unicode.Scalar], to base: Decoded, lower: Int, upper: Int) -> [Int] {
    let window = 32
    var result: [Int] = []
    result.reserveCapacity(target.count + 1)
    var j = 0
    var last = lower
    for ch in target {
      var k = j
      let limit = Swift.min(base.scalars.count, j + window)
      while k < limit, base.scalars[k] != ch { k += 1 }
      if k < limit {
        last = Swift.max(last, Swift.min(base.offsets[k], upper))
        j = k + 1
      } else if j < base.scalars.count {
        last = Swift.max(last, Swift.min(base.offsets[j], upper))
        j += 1
      }
      result.append(last)
    }
    result.append(Swift.max(last, Swift.min(base.end, upper)))
    return result
  }
}
