// swift-tools-version:6.0
import PackageDescription

// libFuzzer harnesses for otaprobe's parsers of server- and user-supplied bytes (issue 13).
// A package of its own so the root package's build and `swift test` never see the fuzzer
// flags: `Fuzz/run` builds it with `-sanitize=fuzzer,address` into Fuzz/.build.
let package = Package(
    name: "otaprobe-fuzz",
    dependencies: [.package(name: "otaprobe", path: "..")],
    targets: [
        .executableTarget(
            name: "otaprobe-fuzz",
            dependencies: [.product(name: "OTAProbe", package: "otaprobe")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
