import Foundation
import Testing

@testable import Precept

/// `schemas/` holds the JSON Schemas editors use (yaml-language-server). They cannot drift from
/// the reader: the rulebook schema's keys at every place are the reader's own allowed keys (from
/// its P0201 help, as in `RulebookFormatTests`), its enums are the model's cases, and the dossier
/// schema is generated from `rulebooks/common/product-schema.yaml`
/// (`PRECEPT_UPDATE_GOLDEN=1 swift test --filter SchemaFileTests` rewrites it).
@Suite struct SchemaFileTests {
  static let repo = RulebookFormatTests.repo
  static let updating = ProcessInfo.processInfo.environment["PRECEPT_UPDATE_GOLDEN"] == "1"

  static func load(_ path: String) throws -> [String: Any] {
    let data = try Data(contentsOf: repo.appendingPathComponent(path))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  /// The object at a `/`-separated path of keys.
  static func object(_ root: [String: Any], _ path: String) -> [String: Any]? {
    var node: Any = root
    for key in path.split(separator: "/") {
      guard let m = node as? [String: Any], let next = m[String(key)] else { return nil }
      node = next
    }
    return node as? [String: Any]
  }

  /// Where each place of `RulebookFormatTests.places` is described in the rulebook schema.
  static let pointers: [String: String] = [
    "the top level": "",
    "an import": "$defs/import",
    "a table": "$defs/table",
    "a rule": "$defs/rule",
    "a rule's lint": "$defs/rule/properties/lint",
    "a rule's effective": "$defs/rule/properties/effective/anyOf/1",
    "a test": "$defs/test",
    "a test's expect": "$defs/test/properties/expect",
  ]

  @Test func rulebookSchemaHasExactlyTheReadersKeys() throws {
    let schema = try Self.load("schemas/rulebook.schema.json")
    for (place, text) in RulebookFormatTests.places {
      let pointer = try #require(Self.pointers[place], "no schema pointer for \(place)")
      let node: [String: Any]
      if pointer.isEmpty {
        node = schema
      } else if pointer.hasSuffix("anyOf/1") {
        let parent = try #require(Self.object(schema, String(pointer.dropLast("/anyOf/1".count))))
        let alternatives = try #require(parent["anyOf"] as? [[String: Any]])
        node = try #require(alternatives.last)
      } else {
        node = try #require(Self.object(schema, pointer), "schema has no \(pointer)")
      }
      let keys = Set(try #require(node["properties"] as? [String: Any]).keys)
      #expect(keys == Set(RulebookFormatTests.allowedKeys(text)), "schema keys at \(place) differ from the reader's")
      #expect(node["additionalProperties"] as? Bool == false, "\(place) must refuse unknown keys")
    }
  }

  @Test func rulebookSchemaEnumsAreTheModelsCases() throws {
    let schema = try Self.load("schemas/rulebook.schema.json")
    func cases(_ path: String) -> [String] { (Self.object(schema, path)?["enum"] as? [String]) ?? [] }
    #expect(cases("$defs/severity") == Severity.allCases.map(\.rawValue))
    #expect(cases("$defs/stage") == Stage.allCases.map(\.rawValue))
    #expect(cases("$defs/table/properties/hit") == HitPolicy.allCases.map(\.rawValue))
    #expect(cases("$defs/table/properties/aggregate") == Aggregate.allCases.map(\.rawValue))
    #expect(cases("$defs/outcome") == NodeReader.outcomes)
    #expect(Set(try #require(Self.object(schema, "$defs/test/properties/expect/properties")).keys)
      == Set(["outcome"] + NodeReader.statuses))
  }

  /// The regulation schema (files of `regulations/`) has the registry reader's keys and statuses.
  @Test func regulationSchemaHasExactlyTheReadersKeys() throws {
    let schema = try Self.load("schemas/regulation.schema.json")
    let top = Set(try #require(schema["properties"] as? [String: Any]).keys)
    #expect(top == Set(RegulationRegistry.topKeys))
    let clause = try #require(Self.object(schema, "$defs/clause"))
    #expect(Set(try #require(clause["properties"] as? [String: Any]).keys) == Set(RegulationRegistry.clauseKeys))
    #expect(schema["additionalProperties"] as? Bool == false && clause["additionalProperties"] as? Bool == false)
    #expect((Self.object(schema, "$defs/clause/properties/status")?["enum"] as? [String]) == Regulation.Status.allCases.map(\.rawValue))
  }

  /// A rule's `cite` may be text or a list of texts (clause ids and free text).
  @Test func rulebookSchemaTakesACiteList() throws {
    let schema = try Self.load("schemas/rulebook.schema.json")
    let cite = try #require(Self.object(schema, "$defs/rule/properties/cite"))
    let alternatives = try #require(cite["anyOf"] as? [[String: Any]])
    #expect(alternatives.count == 2)
    #expect(alternatives.last?["type"] as? String == "array")
  }

  @Test func dossierSchemaIsGeneratedFromTheProductSchema() throws {
    let path = "rulebooks/common/product-schema.yaml"
    let project = Project.load(paths: [Self.repo.appendingPathComponent(path).path])
    let unit = try #require(project.units.first)
    let generated = DossierSchema.json(roots: unit.rulebook.schema, source: path).serialized(pretty: true) + "\n"
    let file = Self.repo.appendingPathComponent("schemas/dossier.schema.json")
    if Self.updating { try generated.write(to: file, atomically: true, encoding: .utf8) }
    let current = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
    #expect(current == generated, "schemas/dossier.schema.json is stale: PRECEPT_UPDATE_GOLDEN=1 swift test --filter SchemaFileTests")
  }
}

/// The JSON Schema of a facts file whose roots are `roots` (encodings as in the README's Facts).
enum DossierSchema {
  static func json(roots: [SchemaRoot], source: String) -> JSON {
    .object([
      ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
      ("$id", .string("https://precept.dev/schemas/dossier.schema.json")),
      ("title", .string("Precept product dossier")),
      ("description", .string("Generated from \(source) by Tests/PreceptTests/SchemaFileTests.swift; keys not listed are allowed.")),
      ("type", .string("object")),
      ("required", .array(roots.map { .string($0.name.value) })),
      ("properties", .object(roots.map { ($0.name.value, schema($0.type)) })),
    ])
  }

  static func schema(_ t: ValueType) -> JSON {
    switch t {
    case .optional(let inner):
      return .object([("anyOf", .array([schema(inner), .object([("type", .string("null"))])]))])
    case .bool: return .object([("type", .string("boolean"))])
    case .int: return .object([("type", .string("integer"))])
    case .decimal: return .object([("type", .array([.string("number"), .string("string")]))])
    case .percent:
      return .object([("description", .string("\"18%\" or a fraction 0.18")), ("type", .array([.string("number"), .string("string")])), ("pattern", .string("^-?[0-9][0-9_]*(\\.[0-9]+)?%$"))])
    case .money:
      return .object([
        ("description", .string("\"20000 CNY\" or {amount, currency}")),
        ("anyOf", .array([
          .object([("type", .string("string")), ("pattern", .string("^-?[0-9][0-9_,]*(\\.[0-9]+)? [A-Z]{3}$"))]),
          .object([("type", .string("object")), ("required", .array([.string("amount"), .string("currency")]))]),
        ])),
      ])
    case .date: return .object([("type", .string("string")), ("pattern", .string("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))])
    case .datetime: return .object([("type", .string("string")), ("format", .string("date-time"))])
    case .duration: return .object([("type", .string("string"))])
    case .text: return .object([("type", .string("string"))])
    case .enumeration(let e): return .object([("enum", .array(e.cases.map { .string($0) }))])
    case .list(let e): return .object([("type", .array([.string("array"), .string("null")])), ("items", schema(e))])
    case .record(let r):
      // A missing optional fact is `missing`, a missing list is empty; anything else is required.
      let required = r.fields.filter { !$0.type.isOptional && $0.type.element == nil }.map { JSON.string($0.name) }
      return .object([
        ("type", .string("object")),
        ("required", .array(required)),
        ("properties", .object(r.fields.map { ($0.name, schema($0.type)) })),
      ])
    case .nothing, .error: return .object([])
    }
  }
}
