import CLibYAML

/// One libyaml parse event, copied out of C memory so nothing outlives `yaml_event_delete`.
struct YAMLEvent {
  /// What the event announces.
  enum Kind {
    case streamStart, streamEnd
    case documentStart, documentEnd
    case alias(anchor: String)
    case scalar(value: String, style: ScalarStyle, tag: String?, anchor: String?)
    case sequenceStart(tag: String?, anchor: String?)
    case sequenceEnd
    case mappingStart(tag: String?, anchor: String?)
    case mappingEnd
  }

  var kind: Kind
  /// Scalar offsets (libyaml's `mark.index`), which count characters exactly as `SourceFile.scalars` does.
  var start: Int
  var end: Int
}

/// A problem libyaml reported, with its places already turned into scalar offsets.
struct LibYAMLError: Error {
  /// libyaml's own description, e.g. "mapping values are not allowed in this context".
  var problem: String
  /// Where the problem is, as a scalar offset.
  var offset: Int
  /// The character libyaml objected to, for reader errors ("control characters are not allowed").
  var value: Int32?
  /// What libyaml was doing, e.g. "while scanning a simple key", and where that began.
  var context: String?
  var contextOffset: Int?
}

/// Owns one libyaml parser over a private copy of the input and hands out its events one at a time.
///
/// The copy keeps the bytes alive and still for the whole parse (libyaml keeps a pointer into them);
/// the parser and the buffer are released in `deinit`, whichever way the parse ended.
final class LibYAMLEventReader {
  private let parser: UnsafeMutablePointer<yaml_parser_t>
  private let event: UnsafeMutablePointer<yaml_event_t>
  private let input: UnsafeMutableBufferPointer<UInt8>
  private let byteCount: Int
  private let initialized: Bool

  init(bytes: [UInt8]) {
    // libyaml asserts on a null input pointer, so even an empty file gets a (zeroed) byte of buffer.
    byteCount = bytes.count
    input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count + 1)
    input.initialize(repeating: 0)
    _ = input.update(fromContentsOf: bytes)
    parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    parser.initialize(to: yaml_parser_t())
    event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
    event.initialize(to: yaml_event_t())
    initialized = yaml_parser_initialize(parser) != 0
    if initialized, let base = input.baseAddress {
      yaml_parser_set_input_string(parser, base, byteCount)
      // Naming the encoding stops libyaml from skipping a second byte-order mark without counting it.
      yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
    }
  }

  deinit {
    if initialized { yaml_parser_delete(parser) }
    parser.deinitialize(count: 1)
    parser.deallocate()
    event.deinitialize(count: 1)
    event.deallocate()
    input.deallocate()
  }

  /// The next event, or the error that stopped the parse. libyaml cannot continue after an error.
  func next() -> Result<YAMLEvent, LibYAMLError> {
    guard initialized else {
      return .failure(LibYAMLError(problem: "could not start the YAML reader (out of memory)", offset: 0))
    }
    // The event's strings are freed as soon as they are copied; a failed parse leaves it zeroed.
    defer { yaml_event_delete(event) }
    guard yaml_parser_parse(parser, event) != 0 else { return .failure(currentError()) }
    return .success(Self.copy(event.pointee))
  }

  private static func copy(_ e: yaml_event_t) -> YAMLEvent {
    let start = Int(e.start_mark.index)
    let end = Int(e.end_mark.index)
    let kind: YAMLEvent.Kind
    switch e.type {
    case YAML_STREAM_START_EVENT: kind = .streamStart
    case YAML_DOCUMENT_START_EVENT: kind = .documentStart
    case YAML_DOCUMENT_END_EVENT: kind = .documentEnd
    case YAML_ALIAS_EVENT: kind = .alias(anchor: string(e.data.alias.anchor) ?? "")
    case YAML_SCALAR_EVENT:
      let s = e.data.scalar
      let value = s.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(s.length)), as: UTF8.self) }
      kind = .scalar(value: value ?? "", style: style(s.style), tag: string(s.tag), anchor: string(s.anchor))
    case YAML_SEQUENCE_START_EVENT:
      kind = .sequenceStart(tag: string(e.data.sequence_start.tag), anchor: string(e.data.sequence_start.anchor))
    case YAML_SEQUENCE_END_EVENT: kind = .sequenceEnd
    case YAML_MAPPING_START_EVENT:
      kind = .mappingStart(tag: string(e.data.mapping_start.tag), anchor: string(e.data.mapping_start.anchor))
    case YAML_MAPPING_END_EVENT: kind = .mappingEnd
    default: kind = .streamEnd  // YAML_NO_EVENT or YAML_STREAM_END_EVENT: nothing more will come.
    }
    return YAMLEvent(kind: kind, start: start, end: end)
  }

  private static func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    guard let p else { return nil }
    return String(cString: p)
  }

  private static func style(_ s: yaml_scalar_style_t) -> ScalarStyle {
    switch s {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
    case YAML_LITERAL_SCALAR_STYLE: .literal
    case YAML_FOLDED_SCALAR_STYLE: .folded
    default: .plain
    }
  }

  private func currentError() -> LibYAMLError {
    let p = parser.pointee
    let problem = p.problem.map { String(cString: $0) } ?? "the YAML could not be read"
    switch p.error {
    case YAML_READER_ERROR:
      // Reader errors carry a byte offset, not a mark; the input is UTF-8, so count character starts.
      let byteOffset = Swift.min(Int(p.problem_offset), byteCount)
      var offset = 0
      for b in input[..<byteOffset] where b & 0xC0 != 0x80 { offset += 1 }
      return LibYAMLError(
        problem: problem, offset: offset, value: p.problem_value >= 0 ? p.problem_value : nil)
    case YAML_MEMORY_ERROR:
      return LibYAMLError(problem: "the YAML reader ran out of memory", offset: 0)
    default:
      let context = p.context.map { String(cString: $0) }
      return LibYAMLError(
        problem: problem, offset: Int(p.problem_mark.index), context: context,
        contextOffset: context == nil ? nil : Int(p.context_mark.index))
    }
  }
}
