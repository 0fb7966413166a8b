import Crypto
import OTAProbeCore

#if canImport(Glibc)
import Glibc
#endif

/// MD5 and SHA-256 of a local file, read in blocks (a build output can be 16 MiB).
public enum FileDigests {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func of(path: String) throws(Failure) -> (md5: String, sha256: String, size: Int) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var md5 = Insecure.MD5()
        var sha = SHA256()
        var size = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
            md5.update(bufferPointer: chunk)
            sha.update(bufferPointer: chunk)
            size += count
        }
        return (hex(md5.finalize()), hex(sha.finalize()), size)
    }

    private static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }
}
