/// Flags the device's stack cannot have (`--authorization` on ESP-IDF, `--tls-buffers` on
/// mbedTLS, an unreadable `--expect-file` …): one line and exit 64, printed by
/// `OTAProbeCommand.main`.
///
/// Thrown, not printed where it is found, so the caller can say where the flags came from: on
/// the command line nothing needs adding, but a `fleet` entry's refusal names its file, line and
/// column.
struct SettingRefusal: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
