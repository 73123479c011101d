/// How a YAML scalar was written; a quoted `"12"` is text, a plain `12` may be a number.
public enum ScalarStyle: String, Sendable, Hashable {
  case plain, singleQuoted, doubleQuoted, literal, folded

  /// Whether the scalar was quoted or a block, i.e. certainly meant as text.
  public var isQuotedOrBlock: Bool { self != .plain }
}

/// One node of a YAML document, with the span it covers in its file.
public struct YAMLNode: Sendable {
  /// The node's content.
  public enum Kind: Sendable {
    case scalar(String, ScalarStyle)
    case sequence([YAMLNode])
    case mapping([YAMLPair])
  }

  /// A scalar, a sequence or a mapping.
  public var kind: Kind
  /// From the node's first character up to, not including, its end mark.
  public var span: Span
  /// An explicit tag such as `!!str`, if the author wrote one.
  public var tag: String?

  /// A node of `kind` covering `span`.
  public init(kind: Kind, span: Span, tag: String? = nil) {
    self.kind = kind
    self.span = span
    self.tag = tag
  }

  /// The scalar's text, if this node is a scalar.
  public var scalarValue: String? {
    if case .scalar(let v, _) = kind { return v }
    return nil
  }

  /// The scalar found by following mapping keys from this node (`["product", "stage"]`), if any.
  public func text(at path: [String]) -> String? {
    var node = self
    for key in path {
      guard case .mapping(let pairs) = node.kind, let next = pairs.first(where: { $0.name == key }) else { return nil }
      node = next.value
    }
    return node.scalarValue
  }

  /// The scalar's style, if this node is a scalar.
  public var scalarStyle: ScalarStyle? {
    if case .scalar(_, let s) = kind { return s }
    return nil
  }

  /// A plain scalar that YAML reads as null: empty, `~`, `null`.
  public var isNull: Bool {
    if case .scalar(let v, .plain) = kind { return v.isEmpty || v == "~" || v == "null" || v == "Null" || v == "NULL" }
    return false
  }

  /// What kind of value this is, in words for a diagnostic ("a list", "a mapping", "text").
  public var kindDescription: String {
    switch kind {
    case .scalar: isNull ? "an empty value" : "a single value"
    case .sequence: "a list"
    case .mapping: "a mapping"
    }
  }
}

/// A key and its value in a YAML mapping. Keys are scalars (others are rejected on load).
public struct YAMLPair: Sendable {
  /// The key, a scalar.
  public var key: YAMLNode
  /// The value.
  public var value: YAMLNode

  /// A pair of `key` and `value`.
  public init(key: YAMLNode, value: YAMLNode) {
    self.key = key
    self.value = value
  }

  /// The key's text.
  public var name: String { key.scalarValue ?? "" }
}
