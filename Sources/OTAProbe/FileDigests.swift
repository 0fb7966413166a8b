import Crypto

/// MD5 and SHA-256 of a local file, read in blocks.
public enum FileDigests {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func of(path: String) throws(Failure) -> (md5: String, sha256: String, size: Int) {
        var md5 = Insecure.MD5()
        var sha = SHA256()
        var size = 0
        try FileChunks.forEach(path: path) { chunk in
            md5.update(bufferPointer: chunk)
            sha.update(bufferPointer: chunk)
            size += chunk.count
        }
        return (hex(md5.finalize()), hex(sha.finalize()), size)
    }

    private static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }
}
