/// A fixed-size buffer the evaluator owns and frees: reads and writes go through a raw pointer,
/// so they pay neither the exclusivity check of a class's stored array nor its uniqueness test
/// (together they had dominated the hot path). No bounds checks: indices come from the compiled
/// program, which sized every buffer.
struct OwnedBuffer<Element> {
  let base: UnsafeMutablePointer<Element>
  let count: Int

  /// A copy of `items`.
  init(_ items: [Element]) {
    count = items.count
    base = .allocate(capacity: Swift.max(count, 1))
    _ = UnsafeMutableBufferPointer(start: base, count: count).initialize(from: items)
  }

  init(repeating value: Element, count: Int) {
    self.count = count
    base = .allocate(capacity: Swift.max(count, 1))
    base.initialize(repeating: value, count: count)
  }

  subscript(_ i: Int) -> Element {
    @inline(__always) get { base[i] }
    @inline(__always) nonmutating set { base[i] = newValue }
  }

  /// Deinitializes the elements and frees the memory; the buffer must not be used again.
  func free() {
    base.deinitialize(count: count)
    base.deallocate()
  }
}
