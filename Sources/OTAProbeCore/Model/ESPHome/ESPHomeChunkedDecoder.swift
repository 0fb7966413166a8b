/// ESPHome 2026.6's own chunk decoder for the ESP8266 container (`read_chunked_()`, E26
/// http_request_arduino.cpp, spec E11), byte by byte as it reads the socket.
///
/// It is not http_parser (`ESPIDFBodyReader`) and not strict: it is lenient where ESPHome
/// chose to be, and the prediction follows its choices —
/// - a size line takes every hex digit it meets; the first other byte that is not `\r`
///   starts an "extension" skipped to `\n` (so `zz\r\n` is a size of 0);
/// - a size line without digits is size 0, the last chunk;
/// - the byte(s) after a chunk's data are skipped up to `\n` without looking at them;
/// - after the last chunk, trailer lines are skipped until an empty line; then it is complete.
/// Because the container decodes whenever `getSize()` is -1, an answer with no
/// Content-Length that is not chunked at all (close-delimited) goes through it too, and its
/// bytes are read as framing [derived].
struct ESPHomeChunkedDecoder: Sendable, Equatable {
    private enum State: Sendable, Equatable { case size, sizeExtension, data, dataTrail, trailer, complete }

    private var state = State.size
    /// The size being parsed, then the bytes left in the chunk; in `trailer`, 1 at a line start.
    private var remaining: UInt32 = 0

    /// The final chunk and its trailers were read (`COMPLETE`).
    var isComplete: Bool { state == .complete }

    /// Feeds socket bytes; returns the payload they carry. Bytes after completion are not
    /// consumed (the container stops reading), so they are not returned.
    mutating func feed(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var index = bytes.startIndex
        while index < bytes.endIndex, state != .complete {
            if state == .data {
                let take = min(Int(remaining), bytes.endIndex - index)
                out += bytes[index..<(index + take)]
                index += take
                remaining -= UInt32(take)
                if remaining == 0 { state = .dataTrail }
                continue
            }
            let byte = bytes[index]
            index += 1
            switch state {
            case .size:
                if byte == 0x0A {
                    sizeLineEnded()
                } else if let digit = Self.hexValue(byte) {
                    // 32-bit size_t on the ESP8266: overflow is not checked.
                    remaining = (remaining &<< 4) | UInt32(digit)
                } else if byte != 0x0D {
                    state = .sizeExtension
                }
            case .sizeExtension:
                if byte == 0x0A { sizeLineEnded() }
            case .dataTrail:
                if byte == 0x0A {
                    state = .size
                    remaining = 0
                }
            case .trailer:
                if byte == 0x0A {
                    if remaining != 0 { state = .complete } else { remaining = 1 }
                } else if byte != 0x0D {
                    remaining = 0
                }
            case .data, .complete:
                break
            }
        }
        return out
    }

    private mutating func sizeLineEnded() {
        if remaining == 0 {
            state = .trailer
            remaining = 1
        } else {
            state = .data
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
