/// Facts about this build of Precept.
public enum PreceptInfo {
  /// The tool's version, reported in SARIF logs and `--version`.
  public static let version = "0.1.0"
}
