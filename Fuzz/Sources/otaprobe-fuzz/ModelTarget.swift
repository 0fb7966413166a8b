@testable import OTAProbeCore

/// Whole responses through each profile's `DeviceModel`, the way `Probe.run` drives it over a
/// real socket, then everything the probe does with the result: the streaming image sniffer
/// on the last body, `Diagnosis`, `DeviceFit`, and both report renderers.
///
/// Input: [profile][settings flags][chunk size, 0 = whole][timing: bit 7 = stay open after the
/// last byte, bits 0-6 × 80 ms gap] then one server reply per connection the device opens,
/// separated by `connectionMarker`; connections past the last reply are refused.
///
/// Settings flags: bits 0-1 redirect mode (disable, strict, force, force), bit 2 digests,
/// bit 3 partial download (IDF), bit 4 advanced API (IDF), bit 5 filesystem update,
/// bit 6 https URL, bit 7 expected MD5 set.
enum ModelTarget {
    static let connectionMarker = Array("\u{0}NEXT\u{0}".utf8)

    static func run(_ buffer: UnsafeRawBufferPointer) {
        var input = FuzzInput(buffer)
        let profile = Catalog.all[Int(input.byte()) % Catalog.all.count]
        let flags = input.byte()
        let chunkSize = Int(input.byte())
        let timing = input.byte()
        let gap = Int(timing & 0x7F) * 80
        let closes = timing & 0x80 == 0
        let replies = split(input.rest, on: connectionMarker)

        var settings = UpdaterSettings(url: flags & 0x40 != 0 ? "https://user:pw@ota.example:8443/fw.bin?token=1" : "http://192.168.1.10/fw.bin")
        settings.redirectMode = [.disable, .strict, .force, .force][Int(flags & 3)]
        settings.computeDigests = flags & 0x04 != 0
        settings.partialDownload = flags & 0x08 != 0
        settings.advancedAPI = flags & 0x10 != 0
        if flags & 0x80 != 0 { settings.expectedMD5 = "0123456789abcdef0123456789abcdef" }
        var identity = DeviceIdentity()
        if flags & 0x20 != 0 { identity.mode = .fs }

        let run = drive(profile: profile, identity: identity, settings: settings, replies: replies, chunkSize: chunkSize, gap: gap, closes: closes)
        let model = run.model
        let sniffer = run.sniffer
        let sniffedExchange = run.sniffedExchange
        guard let verdict = model.verdict else { finding("\(profile.name): finished without a verdict") }

        let exchanges = model.exchanges
        let image = sniffedExchange == exchanges.count - 1 && !exchanges.isEmpty ? sniffer.finish() : nil
        let report = ProbeReport.assemble(profile: profile, identity: identity, settings: settings, verdict: verdict, exchanges: exchanges, lastBodyImage: image)
        for exchange in exchanges where exchange.responseHead.count > ResponseHeadReader.rawHeadLimit || exchange.body.prefix.count > BodyFacts.prefixLimit {
            finding("an exchange kept more than its bound: head \(exchange.responseHead.count), body prefix \(exchange.body.prefix.count)")
        }
        let redactor = Redactor(enabled: flags & 0x04 == 0)
        _ = HumanReport(style: TerminalStyle(enabled: flags & 0x08 != 0), redactor: redactor, verbose: true).render(report)
        _ = HumanReport(style: TerminalStyle(enabled: false), redactor: redactor, verbose: false).render(report)
        _ = JSONReport.render(report, redactor: redactor)
    }

    struct Run {
        var model: any DeviceModel
        var sniffer: FirmwareImageSniffer
        var sniffedExchange: Int
    }

    /// Plays the replies into the model as `Probe.run` plays a socket; the sniffer sees the
    /// last exchange's body as the probe's does.
    static func drive(profile: DeviceProfile, identity: DeviceIdentity, settings: UpdaterSettings, replies: [ArraySlice<UInt8>],
                      chunkSize: Int, gap: Int, closes: Bool) -> Run {
        var model = profile.makeModel(identity: identity, settings: settings)
        var sniffer = FirmwareImageSniffer()
        var sniffedExchange = -1
        var clock = 0
        var connection = -1
        var stream: TimedStream?
        var next = 0
        var closed = false
        // Every event moves the model on; a generous cap turns a stuck model into a finding
        // (the probe would spin on it: its deadlines come from the model).
        let totalChunks = replies.reduce(0) { $0 + chunks($1, size: chunkSize).count }
        let cap = 8 * (totalChunks + replies.count) + 1000
        var steps = 0

        model.start(at: 0)
        loop: while true {
            steps += 1
            if steps > cap { finding("\(profile.name): the model did not finish in \(cap) steps (\(model.nextAction))") }
            switch model.nextAction {
            case .finished:
                break loop
            case .open:
                connection += 1
                if connection < replies.count {
                    stream = TimedStream(chunks: chunks(replies[connection], size: chunkSize), start: clock, gap: gap, closes: closes)
                    next = 0
                    closed = false
                    model.connected(remoteAddress: "192.0.2.1:80", at: clock)
                } else {
                    stream = nil
                    model.connectFailed(ConnectionFailure(kind: .refused, detail: "no more replies in the input"), at: clock)
                }
            case .receive(let deadline):
                guard let live = stream else {
                    model.connectionClosed(at: clock, reset: false)
                    continue
                }
                if next < live.chunks.count, live.time(of: next) <= deadline {
                    clock = max(clock, live.time(of: next))
                    let index = model.exchanges.count - 1
                    let before = model.exchanges.last?.body.bytesReceived ?? 0
                    live.chunks[next].withUnsafeBytes { chunk in
                        model.receive(chunk, at: clock)
                        // As Probe: the body is the chunk's last `delta` bytes.
                        if model.exchanges.count - 1 == index, let after = model.exchanges.last?.body.bytesReceived, after > before {
                            if index != sniffedExchange {
                                sniffer = FirmwareImageSniffer()
                                sniffedExchange = index
                            }
                            guard after - before <= chunk.count else { finding("body grew by \(after - before) on a \(chunk.count)-byte read") }
                            sniffer.feed(UnsafeRawBufferPointer(rebasing: chunk[(chunk.count - (after - before))...]))
                        }
                    }
                    next += 1
                } else if next == live.chunks.count, !closed, live.closes, live.closeTime <= deadline {
                    clock = max(clock, live.closeTime)
                    closed = true
                    model.connectionClosed(at: clock, reset: false)
                } else if closed {
                    // The probe reports a closed socket again at once.
                    model.connectionClosed(at: clock, reset: false)
                } else {
                    clock = max(clock, deadline)
                    model.deadlinePassed(at: clock)
                }
            case .pause(let until):
                // As Probe: the connection is closed and the device waits with nothing on the network.
                stream = nil
                clock = max(clock, until)
                model.deadlinePassed(at: clock)
            }
        }
        if model.verdict == nil { finding("\(profile.name): finished without a verdict") }
        return Run(model: model, sniffer: sniffer, sniffedExchange: sniffedExchange)
    }
}
