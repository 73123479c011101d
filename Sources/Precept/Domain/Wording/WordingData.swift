// Tables behind the folding in NormalizedText. Two are generated (see the headers of T2STable.swift and
// CompatibilityTable.swift, and the dot-named scripts beside them); they are stored as string literals, which
// compile fast, and parsed into dictionaries once, on first use (a `static let` is initialized lazily and
// thread-safely).

/// Folding tables for marketing-copy matching.
enum WordingData {
  /// Traditional → Simplified Chinese, one scalar to one (OpenCC, Apache-2.0).
  static let traditionalToSimplified: [Unicode.Scalar: Unicode.Scalar] = {
    var table: [Unicode.Scalar: Unicode.Scalar] = [:]
    table.reserveCapacity(4_200)
    var key: Unicode.Scalar?
    for scalar in traditionalToSimplifiedPairs.unicodeScalars where scalar != "\n" && scalar != "\r" {
      if let traditional = key {
        table[traditional] = scalar
        key = nil
      } else {
        key = scalar
      }
    }
    return table
  }()

  /// Compatibility characters → their NFKC form (one or more scalars), for the blocks the generator lists.
  static let compatibility: [Unicode.Scalar: [Unicode.Scalar]] = {
    var table: [Unicode.Scalar: [Unicode.Scalar]] = [:]
    table.reserveCapacity(3_600)
    for line in compatibilityLines.unicodeScalars.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
      guard let key = line.first else { continue }
      table[key] = Array(line.dropFirst())
    }
    return table
  }()

  /// Cyrillic and Greek letters that look like Latin ones, applied only inside a word that also has ASCII
  /// letters (`guаranteed` with a Cyrillic а), so Russian or Greek words are left alone. Case is kept: the
  /// lowercase folding comes after. A hand-made subset of Unicode's confusables (UTS #39), not the whole list.
  static let latinLookalikes: [Unicode.Scalar: Unicode.Scalar] = [
    // Cyrillic capitals
    "\u{405}": "S", "\u{406}": "I", "\u{408}": "J", "\u{410}": "A", "\u{412}": "B", "\u{415}": "E",
    "\u{41A}": "K", "\u{41C}": "M", "\u{41D}": "H", "\u{41E}": "O", "\u{420}": "P", "\u{421}": "C",
    "\u{422}": "T", "\u{423}": "Y", "\u{425}": "X", "\u{4BA}": "H", "\u{4C0}": "I", "\u{51A}": "Q",
    "\u{51C}": "W",
    // Cyrillic small letters
    "\u{430}": "a", "\u{435}": "e", "\u{43E}": "o", "\u{440}": "p", "\u{441}": "c", "\u{443}": "y",
    "\u{445}": "x", "\u{455}": "s", "\u{456}": "i", "\u{458}": "j", "\u{4BB}": "h", "\u{4CF}": "l",
    "\u{501}": "d", "\u{51B}": "q", "\u{51D}": "w",
    // Greek capitals
    "\u{391}": "A", "\u{392}": "B", "\u{395}": "E", "\u{396}": "Z", "\u{397}": "H", "\u{399}": "I",
    "\u{39A}": "K", "\u{39C}": "M", "\u{39D}": "N", "\u{39F}": "O", "\u{3A1}": "P", "\u{3A4}": "T",
    "\u{3A5}": "Y", "\u{3A7}": "X",
    // Greek small letters
    "\u{3B1}": "a", "\u{3B9}": "i", "\u{3BD}": "v", "\u{3BF}": "o", "\u{3C1}": "p", "\u{3C5}": "u",
    // Latin letters outside ASCII
    "\u{131}": "i", "\u{251}": "a", "\u{261}": "g",
  ]
}
