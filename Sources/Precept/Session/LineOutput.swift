/// How `precept eval` writes each line: what its decision lines carry, and the field, if any,
/// whose value every output line repeats as `id` (so results join without line numbers).
public struct LineOutput: Sendable, Hashable {
  public var content: DecisionLineContent
  /// The keys leading to the id in a line (`["customer", "id"]`), or nil for no `id`.
  public var id: [String]?

  public init(content: DecisionLineContent = .full, id: [String]? = nil) {
    self.content = content
    self.id = id
  }

  /// The keys of a dotted path (`customer.id`); nil when one is empty (`customer.`, `.id`, `a..b`).
  public static func path(_ dotted: String) -> [String]? {
    let keys = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    return keys.contains(where: \.isEmpty) ? nil : keys
  }
}
