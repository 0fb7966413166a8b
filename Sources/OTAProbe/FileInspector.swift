import OTAProbeCore

/// Reads a local file through the same streaming image parser the probe uses on a served
/// body, so `inspect build/fw.bin` and `check URL` judge bytes the same way.
public enum FileInspector {
    public struct Result: Sendable {
        public let image: FirmwareImageReport
        public let prefix: [UInt8]
    }

    public static func inspect(path: String) throws(FileDigests.Failure) -> Result {
        var sniffer = FirmwareImageSniffer()
        var prefix: [UInt8] = []
        try FileChunks.forEach(path: path) { chunk in
            if prefix.count < BodyFacts.prefixLimit { prefix.append(contentsOf: chunk.prefix(BodyFacts.prefixLimit - prefix.count)) }
            sniffer.feed(chunk)
        }
        return Result(image: sniffer.finish(), prefix: prefix)
    }
}
