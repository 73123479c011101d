/// The stable code of a diagnostic. Codes never change meaning; tools match on them.
/// Each is documented, with an example, in `docs/diagnostics.md`.
public enum DiagnosticCode: String, Sendable, Hashable, Codable, CaseIterable {
  // P00xx — reading files
  case unreadableFile = "P0001"
  case fileTooLarge = "P0002"
  case invalidUTF8 = "P0003"

  // P01xx — YAML
  case yamlSyntax = "P0101"
  case duplicateKey = "P0102"
  case yamlAlias = "P0103"
  case multipleDocuments = "P0104"
  case yamlTooDeep = "P0105"
  case yamlTab = "P0106"
  case complexKey = "P0107"
  case emptyDocument = "P0108"

  // P02xx — rulebook structure
  case unknownKey = "P0201"
  case missingKey = "P0202"
  case wrongShape = "P0203"
  case invalidID = "P0204"
  case duplicateRuleID = "P0205"
  case invalidValue = "P0206"
  case ruleVerb = "P0207"
  case formatVersion = "P0208"
  case invalidType = "P0209"
  case tableShape = "P0210"
  case tableCell = "P0211"
  case unknownOverride = "P0213"
  case overrideCycle = "P0214"
  case testCase = "P0215"
  case duplicateName = "P0216"

  // P03xx — imports
  case importNotFound = "P0301"
  case importCycle = "P0302"
  case importOutsideRoot = "P0303"
  case importAlias = "P0304"

  // P04xx — expression syntax
  case unexpectedCharacter = "P0401"
  case unterminatedString = "P0402"
  case invalidLiteral = "P0403"
  case expectedExpression = "P0404"
  case unexpectedToken = "P0405"
  case unclosedDelimiter = "P0406"
  case expressionTooDeep = "P0407"
  case invalidRegex = "P0408"
  case placeholderSyntax = "P0409"

  // P05xx — names and types
  case unknownName = "P0501"
  case unknownField = "P0502"
  case unknownEnumCase = "P0503"
  case typeMismatch = "P0504"
  case notBoolean = "P0505"
  case currencyMismatch = "P0506"
  case badCall = "P0507"
  case definitionCycle = "P0508"
  case placeholderType = "P0509"
  case implicitItemOutside = "P0511"

  // P06xx — lint warnings
  case unusedDefinition = "P0601"
  case unusedList = "P0602"
  case unusedField = "P0603"
  case neverApplies = "P0604"
  case constantVerdict = "P0605"
  case duplicateCondition = "P0606"
  case unreachableRow = "P0607"
  case blockWithoutCite = "P0608"
  case protectedAttribute = "P0609"

  /// The severity a diagnostic with this code has unless the pass says otherwise.
  public var defaultSeverity: Diagnostic.Severity {
    rawValue.hasPrefix("P06") ? .warning : .error
  }

  /// A short name for the code, used in SARIF rule descriptors and in the docs.
  public var title: String {
    switch self {
    case .unreadableFile: "file cannot be read"
    case .fileTooLarge: "file too large"
    case .invalidUTF8: "file is not UTF-8"
    case .yamlSyntax: "YAML syntax error"
    case .duplicateKey: "duplicate mapping key"
    case .yamlAlias: "YAML anchors and aliases are not allowed"
    case .multipleDocuments: "more than one YAML document"
    case .yamlTooDeep: "YAML nested too deeply"
    case .yamlTab: "tab used for indentation"
    case .complexKey: "mapping key is not a plain value"
    case .emptyDocument: "empty file"
    case .unknownKey: "unknown key"
    case .missingKey: "required key missing"
    case .wrongShape: "value has the wrong shape"
    case .invalidID: "invalid id"
    case .duplicateRuleID: "duplicate rule id"
    case .invalidValue: "invalid value"
    case .ruleVerb: "rule needs exactly one of require, forbid, flag"
    case .formatVersion: "unsupported format version"
    case .invalidType: "invalid type in schema"
    case .tableShape: "decision table shape"
    case .tableCell: "invalid decision-table cell"
    case .unknownOverride: "override names an unknown rule"
    case .overrideCycle: "rules override each other in a cycle"
    case .testCase: "invalid rulebook test"
    case .duplicateName: "name declared twice"
    case .importNotFound: "imported file not found"
    case .importCycle: "import cycle"
    case .importOutsideRoot: "import reaches outside the root directory"
    case .importAlias: "invalid import alias"
    case .unexpectedCharacter: "unexpected character"
    case .unterminatedString: "unterminated string"
    case .invalidLiteral: "invalid literal"
    case .expectedExpression: "expected an expression"
    case .unexpectedToken: "unexpected token"
    case .unclosedDelimiter: "unclosed bracket"
    case .expressionTooDeep: "expression nested too deeply"
    case .invalidRegex: "invalid regular expression"
    case .placeholderSyntax: "invalid message placeholder"
    case .unknownName: "unknown name"
    case .unknownField: "unknown field"
    case .unknownEnumCase: "unknown enum case"
    case .typeMismatch: "type mismatch"
    case .notBoolean: "condition is not true/false"
    case .currencyMismatch: "currencies do not match"
    case .badCall: "wrong arguments to a function"
    case .definitionCycle: "definitions depend on each other in a cycle"
    case .placeholderType: "placeholder cannot be printed"
    case .implicitItemOutside: "implicit item outside `where` or a quantifier"
    case .unusedDefinition: "unused definition"
    case .unusedList: "unused list"
    case .unusedField: "unused schema field"
    case .neverApplies: "rule can never apply"
    case .constantVerdict: "rule's verdict never changes"
    case .duplicateCondition: "two rules test the same condition"
    case .unreachableRow: "decision-table row can never be reached"
    case .blockWithoutCite: "blocking rule without a citation"
    case .protectedAttribute: "eligibility rule reads a protected attribute"
    }
  }
}
