/// Decision tables analysed before anything runs, as DMN tools do at build time: each row is a
/// box — one set of values per input column — and boxes are intersected and subtracted exactly.
/// Under `unique`, two rows whose boxes meet are an error, with an input that matches both; under
/// `first`, a row whose box the earlier rows cover together is dead; without a `default`, inputs
/// that no row covers are a gap, with one such input. Columns of numbers, amounts, percentages,
/// enums and bools are analysed; a cell that is not a constant (or a column of text or dates
/// tested with anything but `-`) makes the table too open to judge, and nothing is claimed.
/// Missing inputs are left aside: the analysis is about present values.
extension Checker {
  func lintTableCoverage(_ ref: Reference) {
    guard let checked = tableTypes[ref], !checked.outputType.isError else { return }
    let table = checked.table
    guard let columns = allPresent(checked.inputs.map { Column($0.type.unwrapped) }),
      let rows = allPresent(checked.rows.map { row in allPresent(zip(row.cells, columns).map { cellSetForAnalysis($0, $1) }) })
    else { return }
    let full = columns.map(\.full)
    let inputs = checked.inputs.map { text(of: $0.span) }
    func shown(_ box: [ValueSet]) -> String {
      zip(inputs, zip(box, columns)).map { "\($0) = \($1.0.witness($1.1))" }.joined(separator: ", ")
    }
    switch table.hit {
    case .unique, .any:
      for j in rows.indices {
        for i in 0..<j {
          let both = intersect(rows[i], rows[j])
          guard !isEmpty(both) else { continue }
          // Under `any`, rows that give the same constant agree; only differing ones conflict.
          if table.hit == .any, sameConstants(checked.rows[i].outputs, checked.rows[j].outputs) { continue }
          report(
            .overlappingRows, table.rows[j].span,
            table.hit == .unique
              ? "rows \(i + 1) and \(j + 1) of table `\(table.name.value)` both match \(shown(both)); under `hit: unique` exactly one row may match"
              : "rows \(i + 1) and \(j + 1) of table `\(table.name.value)` both match \(shown(both)) and give different results; under `hit: any` they must agree",
            notes: [.init("row \(i + 1) is here", at: table.rows[i].span)],
            help: ["narrow one of the two rows so they no longer meet, or use `hit: first` if the earlier row should win"])
          break
        }
      }
    case .first:
      for j in rows.indices {
        let earlier = (0..<j).filter { !isEmpty(intersect(rows[$0], rows[j])) }
        // A row that an earlier one covers cell by cell as written is reported by the row-shape check.
        guard !earlier.isEmpty, !earlier.contains(where: { rowCovers(table.rows[$0], table.rows[j]) }) else { continue }
        guard let rest = subtract([rows[j]], earlier.map { rows[$0] }), rest.isEmpty else { continue }
        let names = earlier.map { String($0 + 1) }.joined(separator: ", ")
        report(
          .unreachableRow, table.rows[j].span,
          earlier.count == 1
            ? "this row of table `\(table.name.value)` can never be chosen: row \(names) comes first and matches everything it matches"
            : "this row of table `\(table.name.value)` can never be chosen: rows \(names) come first and together match everything it matches",
          notes: earlier.map { .init("row \($0 + 1) is here", at: table.rows[$0].span) },
          help: ["with `hit: first` the first matching row wins; move this row up, or remove it"])
      }
    case .priority:
      // The most important result wins wherever rows meet: overlaps are the point.
      break
    case .collect, .ruleOrder, .outputOrder:
      return
    }
    guard checked.defaultValue == nil, table.hit != .collect, let gaps = subtract([full], rows), let gap = gaps.first else { return }
    report(
      .tableGap, table.name.span,
      "no row of table `\(table.name.value)` matches \(shown(gap)), and it has no `default`: rules reading it are unknown there",
      help: ["add a row for these inputs, or a `default:` for every input no row matches"])
  }

  /// Whether two rows give the same constant for every output.
  private func sameConstants(_ a: [Typed], _ b: [Typed]) -> Bool {
    zip(a, b).allSatisfy { x, y in fold(x).map { $0 == fold(y) } ?? false }
  }

  // MARK: - Columns and sets

  /// What a column's values are, for the analysis.
  enum Column {
    case numbers(integral: Bool, percent: Bool, currency: String?)
    /// Calendar dates, as whole days since 1970-01-01.
    case dates
    case cases([String])

    init?(_ type: ValueType) {
      switch type {
      case .int: self = .numbers(integral: true, percent: false, currency: nil)
      case .decimal: self = .numbers(integral: false, percent: false, currency: nil)
      case .percent: self = .numbers(integral: false, percent: true, currency: nil)
      case .money(let c): self = .numbers(integral: false, percent: false, currency: c)
      case .date: self = .dates
      case .enumeration(let e): self = .cases(e.cases)
      case .bool: self = .cases(["false", "true"])
      default: return nil
      }
    }

    var full: ValueSet {
      switch self {
      case .numbers(let integral, _, _): .numbers(Intervals.all(integral: integral))
      case .dates: .numbers(Intervals.all(integral: true))
      case .cases(let names): .cases(Set(names.indices))
      }
    }
  }

  /// A set of a column's values: intervals of numbers, or enum (bool) cases by index.
  enum ValueSet: Hashable {
    case numbers(Intervals)
    case cases(Set<Int>)

    var isEmpty: Bool {
      switch self {
      case .numbers(let n): n.pieces.isEmpty
      case .cases(let c): c.isEmpty
      }
    }

    func intersect(_ o: ValueSet) -> ValueSet {
      switch (self, o) {
      case (.numbers(let a), .numbers(let b)): .numbers(a.intersect(b))
      case (.cases(let a), .cases(let b)): .cases(a.intersection(b))
      default: self
      }
    }

    func union(_ o: ValueSet) -> ValueSet {
      switch (self, o) {
      // Through the complements, which keeps the pieces disjoint and sorted.
      case (.numbers(let a), .numbers(let b)): .numbers(a.complement.intersect(b.complement).complement)
      case (.cases(let a), .cases(let b)): .cases(a.union(b))
      default: self
      }
    }

    func subtract(_ o: ValueSet) -> ValueSet {
      switch (self, o) {
      case (.numbers(let a), .numbers(let b)): .numbers(a.intersect(b.complement))
      case (.cases(let a), .cases(let b)): .cases(a.subtracting(b))
      default: self
      }
    }

    /// The set of one value of it, as close to its lower bound as the scale allows, for probing:
    /// probes at bounds tell `> 11%` from `> 12%`.
    var point: ValueSet {
      switch self {
      case .numbers(let n): n.probe.map { .numbers(Intervals(point: $0, integral: n.integral)) } ?? self
      case .cases(let c): c.min().map { .cases([$0]) } ?? self
      }
    }

    /// One value of the set, as a reviewer reads it.
    func witness(_ column: Column) -> String {
      switch (self, column) {
      case (.numbers(let n), .numbers(_, let percent, let currency)):
        guard let v = n.witness else { return "?" }
        if percent { return v.percentDescription }
        return currency.map { "\(v.description) \($0)" } ?? v.description
      case (.numbers(let n), .dates):
        return n.witness.flatMap { $0.intValue }.flatMap { CivilDate(daysSinceEpoch: $0) }.map(\.description) ?? "?"
      case (.cases(let c), .cases(let names)):
        return c.min().map { names[$0] } ?? "?"
      default: return "?"
      }
    }
  }

  /// A union of disjoint intervals of exact decimals, sorted; for an int column, of whole numbers
  /// with closed bounds (`> 700` is `>= 701`).
  struct Intervals: Hashable {
    /// A bound: nil is infinite.
    struct Piece: Hashable {
      var low: Fixed?
      var lowIn: Bool
      var high: Fixed?
      var highIn: Bool
    }
    var pieces: [Piece]
    var integral: Bool

    static func all(integral: Bool) -> Intervals { Intervals(pieces: [Piece(low: nil, lowIn: false, high: nil, highIn: false)], integral: integral) }

    init(pieces: [Piece], integral: Bool) {
      self.integral = integral
      self.pieces = pieces.compactMap { Intervals.normalized($0, integral) }
    }

    init(point v: Fixed, integral: Bool) {
      self.init(pieces: [Piece(low: v, lowIn: true, high: v, highIn: true)], integral: integral)
    }

    /// The piece with whole-number bounds closed (for an int column), or nil when it is empty.
    private static func normalized(_ p: Piece, _ integral: Bool) -> Piece? {
      var p = p
      if integral {
        if let l = p.low {
          let c = ceiling(l)
          p.low = (!p.lowIn && c == l) ? (try? c.adding(.one)) : c
          p.lowIn = true
        }
        if let h = p.high {
          let f = floor(h)
          p.high = (!p.highIn && f == h) ? (try? f.subtracting(.one)) : f
          p.highIn = true
        }
      }
      if let l = p.low, let h = p.high {
        if l > h || (l == h && !(p.lowIn && p.highIn)) { return nil }
      }
      return p
    }

    private static func floor(_ x: Fixed) -> Fixed {
      let r = Fixed(units: x.units % Fixed.unitsPerWhole)
      let down = (try? x.subtracting(r)) ?? x
      return r.units < 0 ? ((try? down.subtracting(.one)) ?? down) : down
    }

    private static func ceiling(_ x: Fixed) -> Fixed {
      let f = floor(x)
      return f == x ? x : ((try? f.adding(.one)) ?? f)
    }

    func intersect(_ o: Intervals) -> Intervals {
      var out: [Piece] = []
      for a in pieces {
        for b in o.pieces {
          var p = a
          if let bl = b.low, p.low.map({ bl > $0 || (bl == $0 && !b.lowIn) }) ?? true {
            p.low = bl
            p.lowIn = b.lowIn
          }
          if let bh = b.high, p.high.map({ bh < $0 || (bh == $0 && !b.highIn) }) ?? true {
            p.high = bh
            p.highIn = b.highIn
          }
          out.append(p)
        }
      }
      return Intervals(pieces: out, integral: integral)
    }

    /// Everything the intervals leave out.
    var complement: Intervals {
      var out: [Piece] = []
      var low: Fixed?
      var lowIn = false
      for p in pieces.sorted(by: { ($0.low?.units ?? .min) < ($1.low?.units ?? .min) }) {
        // The gap before this piece (none when it starts at minus infinity).
        if let l = p.low { out.append(Piece(low: low, lowIn: lowIn, high: l, highIn: !p.lowIn)) }
        guard let h = p.high else { return Intervals(pieces: out, integral: integral) }
        low = h
        lowIn = !p.highIn
      }
      out.append(Piece(low: low, lowIn: lowIn, high: nil, highIn: false))
      return Intervals(pieces: out, integral: integral)
    }

    /// A value inside, at the lower bound or the smallest step above it.
    var probe: Fixed? {
      guard let p = pieces.first else { return nil }
      switch (p.low, p.high) {
      case (let l?, _): return p.lowIn ? l : (try? l.adding(Fixed(units: 1)))
      case (nil, let h?): return p.highIn ? h : (try? h.subtracting(Fixed(units: 1)))
      case (nil, nil): return .zero
      }
    }

    /// A value inside, preferring a bound (`701` for `> 700` on ints) and round numbers.
    var witness: Fixed? {
      guard let p = pieces.first else { return nil }
      switch (p.low, p.high) {
      case (let l?, _) where p.lowIn: return l
      case (let l?, let h?): return (try? l.adding(h)).flatMap { try? $0.divided(by: Fixed(2)) }
      case (let l?, nil): return try? l.adding(.one)
      case (nil, let h?): return p.highIn ? h : (try? h.subtracting(.one))
      case (nil, nil): return .zero
      }
    }
  }

  // MARK: - Cells as sets

  /// The values of `column` that `cell` matches, or nil when the cell is not a constant test.
  func cellSetForAnalysis(_ cell: CheckedTable.Cell, _ column: Column) -> ValueSet? {
    switch cell {
    case .any: return column.full
    case .anyOf(let cells):
      var union = column.full.subtract(column.full)
      for c in cells {
        guard let set = cellSetForAnalysis(c, column) else { return nil }
        union = union.union(set)
      }
      return union
    case .not(let c): return cellSetForAnalysis(c, column).map { column.full.subtract($0) }
    case .equals, .compare, .range: break
    }
    switch column {
    case .numbers, .dates:
      let integral: Bool
      if case .numbers(let i, _, _) = column { integral = i } else { integral = true }
      func value(_ t: Typed) -> Fixed? {
        switch fold(t) {
        case .number(let n)?: return n
        case .money(let m)?: return m.amount
        case .date(let d)?: return Fixed(d.daysSinceEpoch)
        default: return nil
        }
      }
      func half(_ op: BinaryOp, _ v: Fixed) -> Intervals? {
        switch op {
        case .lt: Intervals(pieces: [.init(low: nil, lowIn: false, high: v, highIn: false)], integral: integral)
        case .le: Intervals(pieces: [.init(low: nil, lowIn: false, high: v, highIn: true)], integral: integral)
        case .gt: Intervals(pieces: [.init(low: v, lowIn: false, high: nil, highIn: false)], integral: integral)
        case .ge: Intervals(pieces: [.init(low: v, lowIn: true, high: nil, highIn: false)], integral: integral)
        case .eq: Intervals(point: v, integral: integral)
        case .ne: Intervals(point: v, integral: integral).complement
        default: nil
        }
      }
      switch cell {
      case .any, .anyOf, .not: return nil  // taken above
      case .equals(let e): return value(e).map { .numbers(Intervals(point: $0, integral: integral)) }
      case .compare(let op, let e): return value(e).flatMap { half(op, $0) }.map { .numbers($0) }
      case .range(let lo, let li, let hi, let hiIn):
        guard let l = value(lo), let h = value(hi) else { return nil }
        return .numbers(Intervals(pieces: [.init(low: l, lowIn: li, high: h, highIn: hiIn)], integral: integral))
      }
    case .cases(let names):
      func index(_ t: Typed) -> Int? {
        switch t.kind {
        case .enumCase(let name): return names.firstIndex(of: name)
        case .literal(.bool(let b)): return b ? 1 : 0
        default: return nil
        }
      }
      switch cell {
      case .any, .anyOf, .not: return nil  // taken above
      case .equals(let e): return index(e).map { .cases([$0]) }
      case .compare(let op, let e):
        // Enums order by declaration (R1 < R2).
        guard let k = index(e) else { return nil }
        let all = Array(names.indices)
        switch op {
        case .lt: return .cases(Set(all.filter { $0 < k }))
        case .le: return .cases(Set(all.filter { $0 <= k }))
        case .gt: return .cases(Set(all.filter { $0 > k }))
        case .ge: return .cases(Set(all.filter { $0 >= k }))
        case .eq: return .cases([k])
        case .ne: return .cases(Set(all.filter { $0 != k }))
        default: return nil
        }
      case .range(let lo, let li, let hi, let hiIn):
        guard let l = index(lo), let h = index(hi) else { return nil }
        return .cases(Set(names.indices.filter { ($0 > l || (li && $0 == l)) && ($0 < h || (hiIn && $0 == h)) }))
      }
    }
  }

  // MARK: - Boxes

  /// The box of inputs in both boxes (empty in some column when they do not meet).
  static func intersectBox(_ a: [ValueSet], _ b: [ValueSet]) -> [ValueSet] { zip(a, b).map { $0.intersect($1) } }

  /// Whether a box holds no input.
  static func isEmptyBox(_ box: [ValueSet]) -> Bool { box.contains { $0.isEmpty } }

  private func intersect(_ a: [ValueSet], _ b: [ValueSet]) -> [ValueSet] { Checker.intersectBox(a, b) }

  private func isEmpty(_ box: [ValueSet]) -> Bool { Checker.isEmptyBox(box) }

  private func subtract(_ boxes: [[ValueSet]], _ minus: [[ValueSet]]) -> [[ValueSet]]? { Checker.subtractBoxes(boxes, minus) }

  /// What of `boxes` no box of `minus` covers, as disjoint boxes; nil past a size that says the
  /// question is too large to judge this way.
  static func subtractBoxes(_ boxes: [[ValueSet]], _ minus: [[ValueSet]]) -> [[ValueSet]]? {
    let empty = isEmptyBox
    var rest = boxes
    for m in minus {
      var next: [[ValueSet]] = []
      for box in rest {
        guard !empty(intersectBox(box, m)) else {
          next.append(box)
          continue
        }
        // box − m = ⋃ᵢ (m₀ ∩ b₀) × … × (bᵢ − mᵢ) × bᵢ₊₁ × …, pieces disjoint.
        var prefix: [ValueSet] = []
        for k in box.indices {
          let piece = prefix + [box[k].subtract(m[k])] + Array(box[(k + 1)...])
          if !empty(piece) { next.append(piece) }
          prefix.append(box[k].intersect(m[k]))
        }
      }
      guard next.count <= 4096 else { return nil }
      rest = next
    }
    return rest
  }
}

/// The elements, when none is nil.
private func allPresent<T>(_ xs: [T?]) -> [T]? {
  var out: [T] = []
  out.reserveCapacity(xs.count)
  for x in xs {
    guard let v = x else { return nil }
    out.append(v)
  }
  return out
}
