@testable import OTAProbeCore

/// Everything that reads a firmware body: `FirmwareImageSniffer` (family, ESP8266/ESP32
/// parsers, merged images with their partition table, gzip, ELF, LittleFS) and each parser on
/// its own, `BodyKind`, `DeviceFit` and the `inspect` report.
///
/// Input: [chunk size, 0 = whole][profile] then the body.
/// Oracle: the sniffer's and the parsers' answers do not depend on the chunking (they are
/// documented to, and the probe feeds them whatever the socket returns).
enum ImageTarget {
    static func run(_ buffer: UnsafeRawBufferPointer) {
        var input = FuzzInput(buffer)
        let chunkSize = Int(input.byte())
        let profile = Catalog.all[Int(input.byte()) % Catalog.all.count]
        let data = input.rest
        let pieces = chunks(data, size: chunkSize)

        var sniffer = FirmwareImageSniffer()
        var esp8266 = ESP8266ImageParser()
        var esp32 = ESP32ImageParser()
        for piece in pieces {
            piece.withUnsafeBytes {
                sniffer.feed($0)
                esp8266.feed($0)
                esp32.feed($0)
            }
        }
        let image = sniffer.finish()
        let info8266 = esp8266.finish()
        let info32 = esp32.finish()
        if image.length != data.count { finding("sniffer counted \(image.length) of \(data.count) bytes") }
        if pieces.count > 1 {
            var whole = FirmwareImageSniffer()
            var whole8266 = ESP8266ImageParser()
            var whole32 = ESP32ImageParser()
            data.withUnsafeBytes {
                whole.feed($0)
                whole8266.feed($0)
                whole32.feed($0)
            }
            if whole.finish() != image { finding("chunking changed the sniffer's report:\n  chunked: \(image.summary)\n  whole:   \(whole.finish().summary)") }
            if whole8266.finish() != info8266 { finding("chunking changed ESP8266ImageParser's answer") }
            if whole32.finish() != info32 { finding("chunking changed ESP32ImageParser's answer") }
        }
        _ = image.summary
        _ = info8266.summary
        _ = info32?.summary

        let bytes = Array(data)
        _ = PartitionTable(Array(bytes.prefix(PartitionTable.maximumLength)))?.bootApp
        _ = ELFInfo(bytes)?.summary
        _ = ESP32AppDescriptor(bytes)?.summary
        if bytes.count > 32 { _ = ESP32AppDescriptor(Array(bytes[32...]))?.summary }
        _ = try? GzipHeader(bytes)
        let prefix = Array(bytes.prefix(BodyFacts.prefixLimit))
        _ = BodyKind.recognize(prefix).summary
        _ = BodyKind.esp32ChipIDReading(prefix)

        var identity = DeviceIdentity()
        identity.mode = chunkSize & 1 == 0 ? .sketch : .fs
        _ = DeviceFit.assess(image, identity: identity, profile: profile, complete: chunkSize & 2 == 0)
        let report = InspectReport(file: "fuzz.bin", profile: profile, identity: identity, image: image, prefix: prefix, md5: "", sha256: "")
        _ = report.renderText(style: TerminalStyle(enabled: true), redactor: Redactor())
        _ = report.renderJSON()
    }
}

/// `RawInflater` (RFC 1951, with the output limit the sniffer uses) and `GzipHeader` in front.
///
/// Input: [limit: (n % 64 + 1) × 256][bit 0: gzip member, else raw DEFLATE] then the data.
/// Oracle: output within the limit, input consumed within the input, and a truncated input
/// decodes to a prefix of what the whole input decodes to.
enum InflateTarget {
    static func run(_ buffer: UnsafeRawBufferPointer) {
        var input = FuzzInput(buffer)
        let limit = (Int(input.byte()) % 64 + 1) * 256
        let gzip = input.byte() & 1 != 0
        let data = Array(input.rest)
        var start = 0
        if gzip {
            guard let header = try? GzipHeader(data) else { return }
            start = header.length
            if start > data.count { finding("gzip header length \(start) past the \(data.count) bytes") }
        }
        let full: RawInflater.Result
        do {
            full = try RawInflater.inflate(data, from: start, limit: limit)
        } catch {
            return
        }
        if full.output.count > limit || full.consumed < 0 || start + full.consumed > data.count {
            finding("inflate out of bounds: \(full.output.count) of limit \(limit), consumed \(full.consumed) of \(data.count - start)")
        }
        let cut = start + (data.count - start) / 2
        let truncated: RawInflater.Result
        do {
            truncated = try RawInflater.inflate(Array(data[..<cut]), from: start, limit: limit)
        } catch {
            finding("a prefix of a valid stream was rejected: \(error)")
        }
        if !full.output.starts(with: truncated.output) {
            finding("a prefix of the stream inflated to something else (\(truncated.output.count) vs \(full.output.count) bytes)")
        }
    }
}
