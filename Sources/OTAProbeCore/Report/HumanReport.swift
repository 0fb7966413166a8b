/// The report a person reads: the device's own line first, then the exchange, then why and
/// what to change. `verbose` adds every byte of every exchange.
public struct HumanReport: Sendable {
    public let style: TerminalStyle
    public let redactor: Redactor
    public let verbose: Bool

    public init(style: TerminalStyle, redactor: Redactor, verbose: Bool) {
        self.style = style
        self.redactor = redactor
        self.verbose = verbose
    }

    /// The device's TLS view: trust mode, getLastSSLError(), the negotiated parameters, the chain.
    func tlsLines(_ tls: TLSFinding) -> [String] {
        var out = [style.bold("TLS (as the device's client sees it)")]
        out.append("  trust: \(tls.sketchCall)\(tls.trustAssumed ? " (assumed; set it with --tls)" : "")")
        let ok = tls.result == "established"
        out.append(contentsOf: wrap("\(style.mark(ok)) \(ok ? "handshake completes" : tls.result == "crash" ? "device crashes" : "fails at the \(tls.decidedAt)"): \(tls.reason)", indent: "  ", continuation: "    "))
        if let error = tls.deviceError {
            out.append("  \(tls.errorCall) = \(error) (\(tls.deviceErrorName ?? "")): \"\(tls.deviceErrorText ?? "")\"")
            for line in tls.verification ?? [] { out.append("  " + line) }
        }
        var offer = ["buffers \(tls.receiveBuffer)/\(tls.sendBuffer)"]
        if let mfln = tls.maxFragmentLength { offer.append("max_fragment_length \(mfln) \(tls.maxFragmentLengthEchoed ? "(honoured)" : "(ignored by the server)")") }
        if let sni = tls.serverName { offer.append("SNI \(sni)") }
        offer.append("device clock \(tls.deviceTime)")
        out.append(style.dim("  " + offer.joined(separator: " · ")))
        if let version = tls.version { out.append("  negotiated: \(version)\(tls.suite.map { ", \($0)" } ?? "")") }
        for (index, certificate) in tls.chain.enumerated() {
            out.append("  [\(index)] \(certificate.subject) — \(certificate.key), \(certificate.notBefore) … \(certificate.notAfter)")
            out.append(style.dim("      issuer \(certificate.issuer)"))
            var names = certificate.dnsNames.map { "DNS:\($0)" } + certificate.ipAddresses.map { "IP:\($0)" }
            if names.isEmpty { names = ["no subjectAltName"] }
            out.append(style.dim("      \(names.joined(separator: ", ")) · SHA-1 \(certificate.sha1)"))
        }
        return out
    }

    public func render(_ report: ProbeReport) -> String {
        let verdict = report.verdict
        var out: [String] = []
        let line = verdict.deviceLine
        out.append(verdict.deviceSucceeds ? style.green(line) : style.red(line))
        var facts = ["profile \(report.profile.name)", "device time \(Self.seconds(verdict.deviceTimeMs))"]
        if let hex = verdict.codeHex {
            facts.append("returns \(verdict.resultName) = \(verdict.code) (\(hex))")
        } else if !verdict.name.isEmpty {
            facts.append(verdict.name)
        }
        out.append(style.dim("  " + facts.joined(separator: " · ")))
        if verdict.log.count > 1 || (verdict.log.count == 1 && verdict.log[0] != line) {
            out.append("")
            out.append(style.bold("Device log"))
            out.append(contentsOf: verdict.log.map { "  " + $0 })
        }
        if let tls = verdict.tls {
            out.append("")
            out += tlsLines(tls)
        }
        for (index, exchange) in report.exchanges.enumerated() {
            out.append("")
            out += exchangeLines(exchange, number: index + 1, of: report.exchanges.count)
        }
        if let image = report.image, image.kind != .empty {
            out.append("")
            out.append(style.bold("Image"))
            out.append(contentsOf: image.summary.split(separator: "\n").map { "  " + $0 })
            for finding in report.fit {
                out.append(contentsOf: wrap("\(style.mark(finding.ok)) \(finding.message)", indent: "  ", continuation: "    "))
            }
        }
        out.append("")
        out.append(style.bold("Why"))
        out.append(contentsOf: wrap(verdict.why, indent: "  "))
        if !verdict.fix.isEmpty {
            out.append("")
            out.append(style.bold("What to change"))
            for fix in verdict.fix { out.append(contentsOf: wrap(fix, indent: "  • ", continuation: "    ")) }
        }
        if !report.integrity.isEmpty {
            out.append("")
            out.append(style.bold("Integrity"))
            for finding in report.integrity {
                out.append(contentsOf: wrap("\(style.mark(finding.matches)) \(finding.message)", indent: "  ", continuation: "    "))
            }
        }
        if let range = report.range {
            out.append("")
            out.append(style.bold("Range requests"))
            out.append(contentsOf: wrap("\(style.mark(range.support == .honoured ? true : range.support == .unknown ? nil : false)) \(range.summary)", indent: "  ", continuation: "    "))
        }
        if !verdict.notes.isEmpty {
            out.append("")
            out.append(style.bold("Notes"))
            for note in verdict.notes { out.append(contentsOf: wrap(note, indent: "  • ", continuation: "    ")) }
        }
        return out.map(redactor.redact).joined(separator: "\n") + "\n"
    }

    private func exchangeLines(_ exchange: Exchange, number: Int, of total: Int) -> [String] {
        var out: [String] = []
        let label = total > 1 ? "Request \(number) of \(total)" : "Request"
        let status: String
        if exchange.connectFailure != nil { status = "→ no connection" }
        else if exchange.responseHead.isEmpty { status = "→ no answer" }
        else { status = exchange.head.map { $0.sawStatusLine ? "→ \($0.code)" : "→ no status line" } ?? "" }
        // A port the core cannot hold (16 bits): name the written one and the one connected to.
        let port = exchange.writtenPort.map { " (URL port \(Diagnosis.printable($0)) → device port \(exchange.port))" } ?? ""
        out.append(style.bold("\(label): GET \(exchange.url)\(port) \(status)"))
        if let failure = exchange.connectFailure {
            out.append("  connect failed: \(failure.kind.rawValue): \(failure.detail)")
            return out
        }
        if let address = exchange.remoteAddress, let connected = exchange.connectedAtMs {
            out.append(style.dim("  connected to \(address)\(exchange.tls ? " (TLS)" : "") after \(connected - exchange.startedAtMs) ms"))
        }
        out.append(contentsOf: ByteText.lines(exchange.request).map { "  > " + $0 })
        if exchange.responseHead.isEmpty {
            out.append("  < (nothing received)")
        } else {
            var headLines = ByteText.lines(exchange.responseHead)
            if !verbose, headLines.count > 40 { headLines = Array(headLines.prefix(40)) + ["… (\(headLines.count - 40) more lines; --verbose shows all)"] }
            out.append(contentsOf: headLines.map { "  < " + $0 })
        }
        let body = exchange.body
        if body.bytesReceived > 0 || exchange.head != nil {
            var text = "  body: \(body.bytesReceived) bytes received"
            if body.bytesConsumedByDevice > 0 { text += ", \(body.bytesConsumedByDevice) read by the device" }
            if body.truncated { text += " (probe stopped reading)" }
            out.append(text)
            if !body.prefix.isEmpty {
                out.append("  starts: \(ByteText.hex(body.prefix)) \"\(ByteText.printable(body.prefix, limit: 32))\"")
                out.append("  looks like: \(BodyKind.recognize(body.prefix).summary)")
            }
            if let md5 = body.md5 { out.append("  MD5 of the bytes the device wrote: \(md5)") }
            if let sha256 = body.sha256 { out.append("  SHA-256 of the same bytes: \(sha256)") }
        }
        out.append(style.dim("  ended: \(exchange.ending.rawValue)\(exchange.endedAtMs.map { " at \($0) ms" } ?? "")"))
        if verbose, exchange.responseHead.count > 0 {
            out.append("  raw head (\(exchange.responseHead.count) bytes):")
            out.append(contentsOf: Self.hexDump(exchange.responseHead).map { "    " + $0 })
            out.append("  raw request (\(exchange.request.count) bytes):")
            out.append(contentsOf: Self.hexDump(exchange.request).map { "    " + $0 })
        }
        return out
    }

    static func hexDump(_ bytes: [UInt8]) -> [String] {
        stride(from: 0, to: bytes.count, by: 16).map { offset in
            let row = bytes[offset..<min(offset + 16, bytes.count)]
            let hex = ByteText.hex(row).padding(toLength: 47)
            let offsetText = String(offset, radix: 16)
            return String(repeating: "0", count: max(0, 6 - offsetText.count)) + offsetText + "  " + hex + "  " + ByteText.printable(row)
        }
    }

    static func seconds(_ milliseconds: Int) -> String {
        milliseconds < 1000 ? "\(milliseconds) ms" : "\(milliseconds / 1000).\(String((milliseconds % 1000) / 100)) s"
    }

    private func wrap(_ text: String, indent: String, continuation: String? = nil, width: Int = 96) -> [String] {
        var lines: [String] = []
        var current = indent
        let next = continuation ?? String(repeating: " ", count: indent.count)
        for word in text.split(separator: " ") {
            if current.count + word.count + 1 > width, current.trimmingSpaces.count > 0 {
                lines.append(current)
                current = next
            }
            current += (current == indent || current == next ? "" : " ") + word
        }
        lines.append(current)
        return lines
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }

    var trimmingSpaces: Substring { drop { $0 == " " || $0 == "•" } }
}
