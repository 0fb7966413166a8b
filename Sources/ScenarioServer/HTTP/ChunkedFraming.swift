/// HTTP/1.1 chunked transfer coding, produced by hand so the exact framing bytes are known:
/// lower-case hex sizes without extensions, CRLF after each size and each chunk, a final `0`
/// chunk and an empty trailer. A device that ignores chunking reads these bytes as the body.
enum ChunkedFraming {
    static func frame(_ body: [UInt8], chunkSize: Int = 4096) -> [UInt8] {
        let crlf = "\r\n".wireBytes
        var framed: [UInt8] = []
        framed.reserveCapacity(body.count + (body.count / max(1, chunkSize) + 2) * 10)
        var offset = 0
        while offset < body.count {
            let end = min(body.count, offset + max(1, chunkSize))
            framed += String(end - offset, radix: 16).wireBytes + crlf
            framed += body[offset..<end]
            framed += crlf
            offset = end
        }
        framed += "0\r\n\r\n".wireBytes
        return framed
    }
}
