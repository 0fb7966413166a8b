#if canImport(Glibc)
import Glibc
#endif

/// One binary, many targets: `FUZZ_TARGET` picks the harness (see Fuzz/README.md). One link of
/// the whole package instead of one per target keeps the build inside CI's budget.
let targets: [String: @Sendable (UnsafeRawBufferPointer) -> Void] = [
    "arduino-head": ArduinoHeadTarget.run,
    "idf-head": IDFHeadTarget.run,
    "idf-body": IDFBodyTarget.run,
    "model": ModelTarget.run,
    "url": URLTarget.run,
    "image": ImageTarget.run,
    "inflate": InflateTarget.run,
    "profile": ProfileTarget.run,
    "x509": X509Target.run,
    "tls": TLSTarget.run,
    "fleet": FleetTarget.run,
    "request": RequestTarget.run,
]

let selected: @Sendable (UnsafeRawBufferPointer) -> Void = {
    let name = getenv("FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = targets[name] else {
        let known = targets.keys.sorted().joined(separator: ", ")
        printError("otaprobe-fuzz: set FUZZ_TARGET to one of: \(known)")
        exit(2)
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selected(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

// SwiftPM links an executable target with `--defsym main=<module>_main`; hand that entry
// point to libFuzzer's driver so its `main` and ours agree.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("otaprobe_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    _ = selected
    Catalog.load()
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzOne)
}

/// A finding that is not a crash on its own (a stalled model, chunking changing a result):
/// abort so libFuzzer saves the input.
func finding(_ message: String) -> Never {
    printError("FINDING: \(message)")
    abort()
}

/// Writes a line to standard error (fd 2; the `stderr` global is not concurrency-safe).
func printError(_ text: String) {
    let line = Array((text + "\n").utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
