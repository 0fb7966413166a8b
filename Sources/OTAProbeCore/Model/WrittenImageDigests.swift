import Crypto

/// MD5 and SHA-256 of the bytes a device writes to flash, for the user's comparisons
/// (`--md5-url`, `--sha256-url`, `--expect-file`, a manifest's `ota.md5`). ESP-IDF computes no
/// MD5 itself; these are the probe's, over exactly what `esp_ota_write` was given.
struct WrittenImageDigests: Sendable {
    private var md5 = Insecure.MD5()
    private var sha256 = SHA256()

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        md5.update(bufferPointer: bytes)
        sha256.update(bufferPointer: bytes)
    }

    /// Lower-case hex, as digest files and `x-MD5` headers write them.
    func finalize() -> (md5: String, sha256: String) {
        (md5.finalize().map { String(byte: $0) }.joined(), sha256.finalize().map { String(byte: $0) }.joined())
    }
}

extension Array where Element == Exchange {
    /// The device's last connection as its verdict leaves it: ended at `time` unless it ended
    /// before, and, when bytes were written, carrying the digests of what was written (the ESP-IDF
    /// stacks hash what `esp_ota_write` got, not what arrived).
    /// The server ended the device's last connection (a FIN, or a reset): every model records
    /// it the same way before its own client decides what the close means.
    mutating func serverClosedLast(reset: Bool, at time: Int) {
        guard !isEmpty else { return }
        self[count - 1].ending = reset ? .resetByServer : .closedByServer
        if self[count - 1].endedAtMs == nil { self[count - 1].endedAtMs = time }
    }

    mutating func closeLast(at time: Int, digestsOfWritten digests: WrittenImageDigests?, written: Int) {
        guard !isEmpty else { return }
        if self[count - 1].endedAtMs == nil { self[count - 1].endedAtMs = time }
        if written > 0, let digests {
            let (md5, sha256) = digests.finalize()
            self[count - 1].body.md5 = md5
            self[count - 1].body.sha256 = sha256
        }
    }
}
