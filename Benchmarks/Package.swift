// swift-tools-version: 6.1
// Benchmarks for Precept, kept in their own package so that the library carries no benchmark
// dependency. `cd Benchmarks && swift package benchmark` runs them; see README.md.
import PackageDescription

let package = Package(
  name: "PreceptBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "Precept", path: ".."),
    // The trait list replaces the package's defaults: the malloc interposer (for mallocCountTotal)
    // without the Swift 6.3 runtime interposer.
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    // Finding and generating the data, and reading JSONL lines into values.
    .target(
      name: "PreceptBenchSupport",
      dependencies: [.product(name: "Precept", package: "Precept")],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    // Reads a JSONL file, evaluates each line in-process and writes each line's rule statuses:
    // what check-reference.sh compares with the reference decisions.
    .executableTarget(
      name: "PreceptBenchRun",
      dependencies: ["PreceptBenchSupport", .product(name: "Precept", package: "Precept")],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .executableTarget(
      name: "PreceptBenchmarks",
      dependencies: [
        "PreceptBenchSupport",
        .product(name: "Precept", package: "Precept"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/PreceptBenchmarks",
      swiftSettings: [.swiftLanguageMode(.v6)],
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
  ]
)
