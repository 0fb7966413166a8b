/// The PEM files TLS settings name (`--tls ca=`, `known-key=`, `bundle=`), read whole.
public enum PEMFile {
    /// Mozilla's roots as Debian ships them (package ca-certificates): the same list the
    /// ESP-IDF certificate bundle is built from, so it stands in for `bundle=default`.
    public static let systemRoots = "/etc/ssl/certs/ca-certificates.crt"

    /// A PEM file is a few KiB, a root bundle a few hundred; anything larger is not one.
    static let sizeLimit = 4 * 1024 * 1024

    public static func read(_ path: String) throws(FileDigests.Failure) -> String {
        var bytes: [UInt8] = []
        var tooLarge = false
        try FileChunks.forEach(path: path) { chunk in
            if bytes.count + chunk.count > sizeLimit { tooLarge = true } else { bytes += chunk }
        }
        if tooLarge { throw FileDigests.Failure(description: "\(path) is larger than 4 MiB; expected a PEM file") }
        return String(decoding: bytes, as: UTF8.self)
    }
}
