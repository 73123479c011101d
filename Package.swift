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
    // The decision service (`precept serve`, target PreceptServer); the core library needs none of these.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0", traits: []),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    .package(url: "https://github.com/apple/swift-metrics", from: "2.4.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.20.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CLibYAML",
      pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
    ),
    // zlib, for the decision log's deflated `results` column (PreceptServer only).
    .systemLibrary(
      name: "CZlib",
      providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
    ),
    .target(
      name: "Precept",
      dependencies: ["CLibYAML"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .target(
      name: "PreceptServer",
      dependencies: [
        "Precept",
        "PreceptReport",
        "CZlib",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ],
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
        "PreceptServer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: [.swiftLanguageMode(.v6)],
      plugins: ["BuildInfo"]
    ),
    // Helpers shared by the test targets (headless Chromium); nothing ships it.
    .target(
      name: "PreceptTestSupport",
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    // Stamps the commit into the command (`precept --version`); "unknown" without git.
    .plugin(name: "BuildInfo", capability: .buildTool()),
    .testTarget(
      name: "PreceptTests",
      dependencies: ["Precept", "PreceptTestSupport"],
      resources: [.copy("Cases")],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .testTarget(
      name: "PreceptServerTests",
      dependencies: ["Precept", "PreceptServer", "PreceptReport", "PreceptTestSupport", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log")],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .testTarget(
      name: "PreceptLSPTests",
      dependencies: ["Precept", "PreceptLSP", "PreceptTestSupport"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .testTarget(
      name: "PreceptReportTests",
      dependencies: ["Precept", "PreceptReport", "PreceptTestSupport"],
      exclude: ["Cases"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
  ]
)
