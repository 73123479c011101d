import Foundation
import PackagePlugin

/// Stamps the commit the command is built from into it (`precept --version`): before every build,
/// `scripts/build-info.sh` writes `BuildInfo.swift` with the checkout's commit, or "unknown" when
/// git or the checkout is absent (a source archive), and leaves the file alone when the commit
/// has not changed, so nothing is recompiled.
@main
struct BuildInfo: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let output = context.pluginWorkDirectoryURL.appending(path: "generated")
    let package = context.package.directoryURL
    return [
      .prebuildCommand(
        displayName: "Stamping the commit into \(target.name)",
        executable: URL(fileURLWithPath: "/bin/sh"),
        arguments: [package.appending(path: "scripts/build-info.sh").path, package.path, output.path],
        outputFilesDirectory: output)
    ]
  }
}
