// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "Precept",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "Precept", targets: ["Precept"]),
    .library(name: "PreceptReport", targets: ["PreceptReport"]),
    .library(name: "PreceptLSP", targets: ["PreceptLSP"]),
    .executable(name: "precept", targets: ["PreceptCLI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CLibYAML",
      pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
    ),
    .target(
      name: "Precept",
      dependencies: ["CLibYAML"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    // The HTML review reports: apart from the core library, so embedding Precept stays light.
    .target(
      name: "PreceptReport",
      dependencies: ["Precept"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    // The language server (`precept lsp`): JSON-RPC over stdio, no dependency beyond the library.
    .target(
      name: "PreceptLSP",
      dependencies: ["Precept"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .executableTarget(
      name: "PreceptCLI",
      dependencies: [
        "Precept",
        "PreceptReport",
        "PreceptLSP",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .testTarget(
      name: "PreceptTests",
      dependencies: ["Precept"],
      resources: [.copy("Cases")],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .testTarget(
      name: "PreceptLSPTests",
      dependencies: ["Precept", "PreceptLSP"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .testTarget(
      name: "PreceptReportTests",
      dependencies: ["Precept", "PreceptReport"],
      exclude: ["Cases"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
  ]
)
