extension Scenario {
    /// Whether this scenario serves the image from `ScenarioBodies` — and so, under
    /// `otaprobe serve --firmware FILE`, the user's file (whole, cut, wrapped or bent).
    ///
    /// Found by rendering the scenario with a marker image and looking for the marker's bytes in
    /// what it sends, rather than kept as a flag beside each scenario that could drift from what
    /// the scenario's code does.
    public var servesFirmware: Bool {
        let context = ScenarioContext(port: 8266, request: RecordedRequest(bytes: Array("GET /\(name) HTTP/1.0\r\n\r\n".utf8)),
                                      bodies: FirmwareMarker.bodies)
        return respond(context).contains { step in
            switch step {
            case .send(let bytes), .sendSlowly(let bytes, _, _), .sendRepeatedly(let bytes, _, _):
                return FirmwareMarker.isFound(in: bytes)
            case .pause, .close, .reset, .holdOpen, .awaitRequest:
                return false
            }
        }
    }
}

/// A firmware file no built-in body contains: 8 KiB of seeded bytes.
private enum FirmwareMarker {
    static let bytes: [UInt8] = {
        var generator = DeterministicBytes(seed: 0x5E_27E)
        return generator.bytes(8192)
    }()
    static let bodies = ScenarioBodies.firmware(bytes)
    /// A stretch from the middle: survives a bent start, a damaged tail, chunk framing (chunks
    /// are far larger) and stored-block gzip.
    static let needle = Array(bytes[4000..<4032])

    static func isFound(in haystack: [UInt8]) -> Bool {
        guard haystack.count >= needle.count, let first = needle.first else { return false }
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
