/// The evaluator's storage: one allocation, carved into typed buffers, deinitialized and freed
/// together when the arena goes. Buffers read and write through raw pointers, so they pay
/// neither the exclusivity check of a class's stored array nor its uniqueness test (together
/// they had dominated the hot path), and no bounds checks: indices come from the plan, which
/// sized every buffer.
///
/// Made in two steps: a `Layout` places each buffer (`place`), then the arena is allocated once
/// and each placement is filled (`buffer`).
final class Arena {
  struct Layout {
    fileprivate var size = 0
    fileprivate var alignment = 16

    /// Room for `count` values of `T`.
    mutating func place<T>(_: T.Type, count: Int) -> Placement<T> {
      let align = MemoryLayout<T>.alignment
      alignment = Swift.max(alignment, align)
      let offset = (size + align - 1) / align * align
      size = offset + MemoryLayout<T>.stride * Swift.max(count, 1)
      return Placement(offset: offset, count: count)
    }
  }

  struct Placement<T> {
    fileprivate let offset: Int
    let count: Int
  }

  private let base: UnsafeMutableRawPointer
  /// Deinitializes each buffer filled so far (a no-op for plain data).
  private var deinitializers: [() -> Void] = []

  init(_ layout: Layout) {
    base = .allocate(byteCount: Swift.max(layout.size, 1), alignment: layout.alignment)
  }

  /// The buffer at `placement`, holding `items`.
  func buffer<T>(_ placement: Placement<T>, _ items: [T]) -> Buffer<T> {
    let p = (base + placement.offset).bindMemory(to: T.self, capacity: Swift.max(placement.count, 1))
    let count = Swift.min(items.count, placement.count)
    _ = UnsafeMutableBufferPointer(start: p, count: count).initialize(from: items.prefix(count))
    deinitializers.append { p.deinitialize(count: count) }
    return Buffer(base: p, count: count)
  }

  /// The buffer at `placement`, with every element `value`.
  func buffer<T>(_ placement: Placement<T>, repeating value: T) -> Buffer<T> {
    let p = (base + placement.offset).bindMemory(to: T.self, capacity: Swift.max(placement.count, 1))
    p.initialize(repeating: value, count: placement.count)
    let count = placement.count
    deinitializers.append { p.deinitialize(count: count) }
    return Buffer(base: p, count: count)
  }

  deinit {
    for d in deinitializers { d() }
    base.deallocate()
  }
}

/// A fixed-size buffer inside an `Arena`, valid while the arena lives.
struct Buffer<Element> {
  let base: UnsafeMutablePointer<Element>
  let count: Int

  subscript(_ i: Int) -> Element {
    @inline(__always) get { base[i] }
    @inline(__always) nonmutating set { base[i] = newValue }
  }
}
