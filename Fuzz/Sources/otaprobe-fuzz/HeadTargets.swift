@testable import OTAProbeCore

/// `ResponseHeadReader` (HTTPClient::handleHeaderResponse of both Arduino cores) with every
/// Arduino profile's rules, fed in chunks over time, closed or left silent.
///
/// Input: [profile][chunk size, 0 = whole][timing: bit 7 = stay open, bits 0-6 × 80 ms gap]
/// [line wait selector] then the raw response head.
/// Oracle: bounded state, and chunks that arrive at the same instant give the same outcome as
/// one read (the device parses a byte stream; TCP segmentation alone must not matter).
enum ArduinoHeadTarget {
    static func run(_ buffer: UnsafeRawBufferPointer) {
        var input = FuzzInput(buffer)
        let rules = Catalog.arduinoRules[Int(input.byte()) % Catalog.arduinoRules.count].rules
        let chunkSize = Int(input.byte())
        let timing = input.byte()
        let gap = Int(timing & 0x7F) * 80
        let closes = timing & 0x80 == 0
        let lineByteMs = [8000, 5000, 1000, 200][Int(input.byte() & 3)]
        let timeouts = PhaseTimeouts(idleMs: 8000, lineByteMs: lineByteMs, peekMs: lineByteMs, readByteMs: lineByteMs, connectMs: 8000)
        let data = input.rest

        let (reader, unread) = play(TimedStream(chunks: chunks(data, size: chunkSize), start: 0, gap: gap, closes: closes), rules: rules, timeouts: timeouts)
        guard reader.rawHead.count <= ResponseHeadReader.rawHeadLimit, reader.longestLine <= ResponseHeadReader.lineLimit,
              reader.leftover.count <= data.count else {
            finding("head reader state out of bounds: raw \(reader.rawHead.count), line \(reader.longestLine), leftover \(reader.leftover.count)")
        }
        if gap == 0, chunkSize != 0, data.count > chunkSize {
            let (whole, _) = play(TimedStream(chunks: chunks(data, size: 0), start: 0, gap: 0, closes: closes), rules: rules, timeouts: timeouts)
            // What follows the head is the body's, whether it came in the head's read or later.
            if whole.outcome != reader.outcome || whole.leftover != reader.leftover + unread || whole.rawHead != reader.rawHead {
                finding("chunking changed the head reader's outcome:\n  chunked: \(reader.outcome)\n  whole:   \(whole.outcome)")
            }
        }
    }

    /// The reader once it is done, and the bytes of the reads it never saw.
    static func play(_ stream: TimedStream, rules: ESP8266ArduinoProfile.ResponseRules, timeouts: PhaseTimeouts) -> (ResponseHeadReader, [UInt8]) {
        var reader = ResponseHeadReader(rules: rules, timeouts: timeouts, startedAt: 0)
        var next = 0
        var closed = false
        var clock = 0
        var steps = 0
        while case .needMore(let deadline) = reader.outcome {
            steps += 1
            if steps > 4 * stream.chunks.count + 100 { finding("ResponseHeadReader did not finish (deadline \(deadline), clock \(clock))") }
            if next < stream.chunks.count, stream.time(of: next) <= deadline {
                clock = max(clock, stream.time(of: next))
                stream.chunks[next].withUnsafeBytes { reader.receive($0, at: clock) }
                next += 1
            } else if next == stream.chunks.count, stream.closes, !closed, stream.closeTime <= deadline {
                clock = max(clock, stream.closeTime)
                reader.connectionClosed(at: clock)
                closed = true
            } else {
                clock = max(clock, deadline)
                reader.deadlinePassed(at: clock)
            }
        }
        return (reader, Array(stream.chunks[next...].joined()))
    }
}

/// `ESPIDFResponseReader` (esp_http_client_fetch_headers over http_parser), same framing as
/// the Arduino head target; bit 6 of the selector byte shrinks HTTP_MAX_HEADER_SIZE to 256 so
/// the overflow path is reachable.
enum IDFHeadTarget {
    static func run(_ buffer: UnsafeRawBufferPointer) {
        var input = FuzzInput(buffer)
        let selector = input.byte()
        let profile = Catalog.idf[Int(selector & 0x3F) % Catalog.idf.count]
        let maxHeaderBytes = selector & 0x40 != 0 ? 256 : profile.response.maxHeaderBytes
        let chunkSize = Int(input.byte())
        let timing = input.byte()
        let gap = Int(timing & 0x7F) * 80
        let closes = timing & 0x80 == 0
        let timeoutMs = profile.timeouts.timeoutMs
        let data = input.rest

        let (reader, unread) = play(TimedStream(chunks: chunks(data, size: chunkSize), start: 0, gap: gap, closes: closes),
                                    timeoutMs: timeoutMs, maxHeaderBytes: maxHeaderBytes)
        guard reader.rawHead.count <= ResponseHeadReader.rawHeadLimit, reader.leftover.count <= data.count else {
            finding("IDF head reader state out of bounds")
        }
        if gap == 0, chunkSize != 0, data.count > chunkSize {
            let (whole, _) = play(TimedStream(chunks: chunks(data, size: 0), start: 0, gap: 0, closes: closes), timeoutMs: timeoutMs, maxHeaderBytes: maxHeaderBytes)
            if whole.outcome != reader.outcome || whole.leftover != reader.leftover + unread || whole.parserError != reader.parserError {
                finding("chunking changed the IDF head reader's outcome:\n  chunked: \(reader.outcome)\n  whole:   \(whole.outcome)")
            }
        }
        if case .complete(let head, _) = reader.outcome {
            for method in ["GET", "HEAD"] {
                var body = ESPIDFBodyReader(framing: ESPIDFBodyReader.framing(for: head, method: method), maxHeaderBytes: 80 * 1024)
                reader.leftover.withUnsafeBytes { _ = body.feed($0) }
                body.closed()
            }
        }
    }

    static func play(_ stream: TimedStream, timeoutMs: Int, maxHeaderBytes: Int) -> (ESPIDFResponseReader, [UInt8]) {
        var reader = ESPIDFResponseReader(timeoutMs: timeoutMs, maxHeaderBytes: maxHeaderBytes, startedAt: 0)
        var next = 0
        var clock = 0
        var steps = 0
        while case .needMore(let deadline) = reader.outcome {
            steps += 1
            if steps > 4 * stream.chunks.count + 100 { finding("ESPIDFResponseReader did not finish (deadline \(deadline), clock \(clock))") }
            if next < stream.chunks.count, stream.time(of: next) <= deadline {
                clock = max(clock, stream.time(of: next))
                stream.chunks[next].withUnsafeBytes { reader.receive($0, at: clock) }
                next += 1
            } else if next == stream.chunks.count, stream.closes, stream.closeTime <= deadline {
                clock = max(clock, stream.closeTime)
                reader.connectionClosed(at: clock)
            } else {
                clock = max(clock, deadline)
                reader.deadlinePassed(at: clock)
            }
        }
        return (reader, Array(stream.chunks[next...].joined()))
    }
}

/// `ESPIDFBodyReader`: Content-Length, chunked (http_parser's chunk decoder), close-delimited.
///
/// Input: [framing: 0 length, 1 chunked, 2 until close, 3 none][length hi][length lo]
/// [chunk size] then the raw body. Oracle: what a length or close-delimited body yields is
/// the input's prefix; any framing decodes the same whatever the chunking.
enum IDFBodyTarget {
    static func run(_ buffer: UnsafeRawBufferPointer) {
        var input = FuzzInput(buffer)
        let selector = input.byte()
        let length = Int(input.byte()) << 8 | Int(input.byte())
        let framing: ESPIDFBodyReader.Framing = [.length(length), .chunked, .untilClose, ESPIDFBodyReader.Framing.none][Int(selector & 3)]
        let chunkSize = Int(input.byte())
        let data = input.rest

        let (reader, output) = decode(data, framing: framing, chunkSize: chunkSize)
        guard reader.decodedCount == output.count, output.count <= data.count else {
            finding("decodedCount \(reader.decodedCount) vs output \(output.count) of \(data.count) input bytes")
        }
        switch framing {
        case .length(let length):
            if !output.elementsEqual(data.prefix(length)) { finding("a Content-Length body is not the input's prefix") }
            if reader.isComplete != (data.count >= length) { finding("Content-Length completion wrong") }
        case .untilClose:
            if !output.elementsEqual(data) || !reader.isComplete { finding("a close-delimited body is not the input") }
        case .none:
            if !output.isEmpty || !reader.isComplete { finding("a bodiless response yielded bytes") }
        case .chunked:
            break
        }
        if chunkSize != 0, data.count > chunkSize {
            let (whole, wholeOutput) = decode(data, framing: framing, chunkSize: 0)
            if whole.isComplete != reader.isComplete || whole.parserError != reader.parserError || wholeOutput != output {
                finding("chunking changed the decoded body: complete \(reader.isComplete)/\(whole.isComplete), error \(reader.parserError)/\(whole.parserError), \(output.count)/\(wholeOutput.count) bytes")
            }
        }
    }

    static func decode(_ data: ArraySlice<UInt8>, framing: ESPIDFBodyReader.Framing, chunkSize: Int) -> (ESPIDFBodyReader, [UInt8]) {
        var reader = ESPIDFBodyReader(framing: framing, maxHeaderBytes: 80 * 1024)
        var output: [UInt8] = []
        for chunk in chunks(data, size: chunkSize) {
            chunk.withUnsafeBytes { output += reader.feed($0) }
        }
        reader.closed()
        return (reader, output)
    }
}
