import OTAProbeCore

#if canImport(Glibc)
import Glibc
#endif

/// Reads a local file through the same streaming image parser the probe uses on a served
/// body, so `inspect build/fw.bin` and `check URL` judge bytes the same way.
public enum FileInspector {
    public struct Result: Sendable {
        public let image: FirmwareImageReport
        public let prefix: [UInt8]
    }

    public static func inspect(path: String) throws(FileDigests.Failure) -> Result {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw FileDigests.Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var sniffer = FirmwareImageSniffer()
        var prefix: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileDigests.Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
            if prefix.count < BodyFacts.prefixLimit { prefix.append(contentsOf: chunk.prefix(BodyFacts.prefixLimit - prefix.count)) }
            sniffer.feed(chunk)
        }
        return Result(image: sniffer.finish(), prefix: prefix)
    }
}
