/// Streaming parser for one ESP32-family image that starts at the first byte fed.
///
/// Bounded: the 24-byte header, the segment table, the 256-byte app descriptor and a running
/// SHA-256; bytes after the image are counted and ignored.
public struct ESP32ImageParser: Sendable {
    private var walker = SegmentedImageWalker(layout: .esp32, captureLength: ESP32AppDescriptor.size)
    private let offset: Int
    public private(set) var bytesSeen = 0

    /// `offset` is where the image sits in the enclosing body; it only shifts reported offsets.
    public init(offset: Int = 0) { self.offset = offset }

    public mutating func feed(_ chunk: UnsafeRawBufferPointer) {
        bytesSeen += chunk.count
        if !walker.isFinished { walker.consume(chunk) }
    }

    public mutating func feed(_ bytes: [UInt8]) { bytes.withUnsafeBytes { feed($0) } }

    /// True once the image (including its digest) has been read completely.
    public var isImageComplete: Bool { walker.phase == .done }
    /// False when the first byte was not 0xE9.
    public var isImage: Bool { walker.phase != .notAnImage && !walker.header.isEmpty }

    /// The image so far, treating the stream as ended; nil when nothing that starts with 0xE9 arrived.
    public func finish() -> ESP32ImageInfo? {
        guard isImage else { return nil }
        return ESP32ImageInfo(offset: offset, walker: walker, ended: true)
    }
}
