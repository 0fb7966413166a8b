// swift-tools-version:6.0
import PackageDescription

// otaprobe predicts what an ESP8266/ESP32 OTA updater does with a firmware URL.
//
// Layering (see ../shared/design.md): the pure device logic lives in OTAProbeCore and knows
// nothing of curl or terminals; CurlTransport is the only target that sees libcurl; OTAProbe
// wires the two together; the executable stays a thin argument parser.
let package = Package(
    name: "otaprobe",
    products: [
        .executable(name: "otaprobe", targets: ["otaprobe"]),
        .library(name: "OTAProbe", targets: ["OTAProbe"]),
        .library(name: "ScenarioServer", targets: ["ScenarioServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // libcurl from the system (Debian: libcurl4-openssl-dev).
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Non-variadic wrappers for curl_easy_setopt/getinfo, which Swift cannot call.
        .target(name: "CurlShim", dependencies: ["CCurl"]),
        // libyaml from the system (Debian: libyaml-dev): fleet files, YAML or JSON, with the
        // line and column of every node. Not Yams: it links all of Foundation and ICU.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        // Every YAML file a user writes (fleet files, manifests, serve scripts), read by libyaml
        // with the line and column of each node.
        .target(name: "YAMLReader", dependencies: ["CYAML"]),
        // OpenSSL from the system (Debian: libssl-dev), for the SSL_CTX hook only.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // Restricts libcurl's handshake to the device's ClientHello and records the answer.
        .target(name: "TLSHook", dependencies: ["CCurl", "COpenSSL"]),
        .target(name: "CurlTransport", dependencies: ["CurlShim", "TLSHook"]),
        .target(
            name: "OTAProbeCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            plugins: ["EmbedProfiles"]
        ),
        // Builds profiles/*.json into OTAProbeCore (BuiltInProfiles), so a copied or installed
        // binary needs no profiles directory; profiles/ stays the one source people edit.
        .plugin(name: "EmbedProfiles", capability: .buildTool(), dependencies: ["ProfileEmbedder"], path: "Plugins/EmbedProfiles"),
        // The plugin's tool: writes the profiles' bytes, names and aliases as a Swift source.
        .executableTarget(name: "ProfileEmbedder", path: "Plugins/ProfileEmbedder"),
        .target(name: "OTAProbe", dependencies: ["OTAProbeCore", "CurlTransport", .product(name: "Crypto", package: "swift-crypto"), "YAMLReader"]),
        .target(name: "ScenarioServer", dependencies: [.product(name: "Crypto", package: "swift-crypto"), "YAMLReader"]),
        .executableTarget(
            name: "otaprobe",
            dependencies: [
                "OTAProbe", "ScenarioServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "OTAProbeCoreTests", dependencies: ["OTAProbeCore", "ScenarioServer"]),
        .testTarget(name: "CurlTransportTests", dependencies: ["CurlTransport", "ScenarioServer"]),
        .testTarget(name: "ScenarioServerTests", dependencies: ["ScenarioServer"]),
        .testTarget(name: "IntegrationTests", dependencies: ["OTAProbe", "ScenarioServer", "CurlTransport"]),
        // Runs the built executable: exit codes, one-line errors, the README's demo command.
        .testTarget(name: "CLITests", dependencies: ["otaprobe", "ScenarioServer", "TestSupport"]),
        // Points the built executable at servers that misbehave on purpose and checks the bounds
        // it promises: time, exit status, JSON, escaping, schemes, memory.
        .testTarget(name: "HostileServerTests", dependencies: ["otaprobe", "ScenarioServer", "TestSupport"], exclude: ["README.md"]),
        // Runs the executable (one lookup, OTAPROBE_BIN or the one built beside the tests) with a
        // time limit, capturing its output, exit, time and peak memory; shared by the tests that run it.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
    ]
)
