/// The report a person reads: the device's own line first, then the exchange, then why and
/// what to change. `verbose` adds every byte of every exchange. Lines are built as plain
/// `OutputLine`s; `TerminalOutput` escapes, redacts and styles them on the way out.
public struct HumanReport: Sendable {
    public let output: TerminalOutput
    public let verbose: Bool

    public init(style: TerminalStyle, redactor: Redactor, verbose: Bool) {
        self.output = TerminalOutput(style: style, redactor: redactor)
        self.verbose = verbose
    }

    private var redactor: Redactor { output.redactor }

    /// The device's TLS view: trust mode, getLastSSLError(), the negotiated parameters, the chain.
    func tlsLines(_ tls: TLSFinding) -> [OutputLine] {
        var out: [OutputLine] = [.heading("TLS (as the device's client sees it)")]
        out.append("  trust: \(tls.sketchCall)\(tls.trustAssumed ? " (assumed; set it with --tls)" : "")")
        let ok = tls.result == "established"
        out.append(contentsOf: wrap("\(OutputLine.mark(ok)) \(ok ? "handshake completes" : tls.result == "crash" ? "device crashes" : "fails at the \(tls.decidedAt)"): \(tls.reason)", indent: "  ", continuation: "    "))
        if let error = tls.deviceError {
            let text = tls.deviceErrorText.map { ": \"\($0)\"" } ?? ""
            out.append("  \(tls.errorCall) = \(error) (\(tls.deviceErrorName ?? ""))\(text)")
            for line in tls.verification ?? [] { out.append("  \(line)") }
        }
        var offer = ["buffers \(tls.receiveBuffer)/\(tls.sendBuffer)"]
        if let mfln = tls.maxFragmentLength { offer.append("max_fragment_length \(mfln) \(tls.maxFragmentLengthEchoed ? "(honoured)" : "(ignored by the server)")") }
        if let sni = tls.serverName { offer.append("SNI \(sni)") }
        offer.append("device clock \(tls.deviceTime)")
        out.append(.dim("  " + offer.joined(separator: " · ")))
        if let version = tls.version { out.append("  negotiated: \(version)\(tls.suite.map { ", \($0)" } ?? "")") }
        for (index, certificate) in tls.chain.enumerated() {
            out.append("  [\(index)] \(certificate.subject) — \(certificate.key), \(certificate.notBefore) … \(certificate.notAfter)")
            out.append(.dim("      issuer \(certificate.issuer)"))
            var names = certificate.dnsNames.map { "DNS:\($0)" } + certificate.ipAddresses.map { "IP:\($0)" }
            if names.isEmpty { names = ["no subjectAltName"] }
            out.append(.dim("      \(names.joined(separator: ", ")) · SHA-1 \(certificate.sha1)"))
        }
        return out
    }

    public func render(_ report: ProbeReport) -> String {
        output.render(lines(report))
    }

    public func lines(_ report: ProbeReport) -> [OutputLine] {
        let verdict = report.verdict
        var out: [OutputLine] = []
        let outcome = report.outcome
        out.append(OutputLine("\(OutputLine.mark(outcome.isSuccess)) Outcome: \(report.outcomeSentence)", tone: outcome.isSuccess ? .good : .bad))
        let line = verdict.deviceLine
        out.append(OutputLine(line, tone: verdict.deviceSucceeds ? .good : .bad))
        var facts = ["profile \(report.profile.name)", "device time \(Self.seconds(verdict.deviceTimeMs))"]
        if let hex = verdict.codeHex {
            facts.append("returns \(verdict.resultName) = \(verdict.code) (\(hex))")
        } else if !verdict.name.isEmpty {
            facts.append(verdict.name)
        }
        out.append(.dim("  " + facts.joined(separator: " · ")))
        if verdict.log.count > 1 || (verdict.log.count == 1 && verdict.log[0] != line) {
            out.append("")
            out.append(.heading("Device log"))
            out.append(contentsOf: verdict.log.map { "  \($0)" })
        }
        if !verdict.attempts.isEmpty {
            out.append("")
            out.append(.heading("Attempts"))
            out += verdict.attempts.enumerated().map { index, attempt in
                let text = attempt.message.isEmpty ? "" : " '\(attempt.message)'"
                return "  \(index + 1). \(attempt.result.rawValue) \(attempt.code)\(text) · \(Self.seconds(attempt.startedAtMs))–\(Self.seconds(attempt.endedAtMs)) · \(attempt.url)"
            }
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
            out.append(.heading("Image"))
            out.append(contentsOf: image.summary.split(separator: "\n").map { "  \($0)" })
            for finding in report.fit {
                out.append(contentsOf: wrap("\(OutputLine.mark(finding.ok)) \(finding.message)", indent: "  ", continuation: "    "))
            }
        }
        out.append("")
        out.append(.heading("Why"))
        out.append(contentsOf: wrap(verdict.why, indent: "  "))
        if !verdict.fix.isEmpty {
            out.append("")
            out.append(.heading("What to change"))
            for fix in verdict.fix { out.append(contentsOf: wrap(fix, indent: "  • ", continuation: "    ")) }
        }
        if !report.integrity.isEmpty {
            out.append("")
            out.append(.heading("Integrity"))
            for finding in report.integrity {
                out.append(contentsOf: wrap("\(OutputLine.mark(finding.matches)) \(finding.message)", indent: "  ", continuation: "    "))
            }
        }
        if let range = report.range {
            out.append("")
            out.append(.heading("Range requests"))
            // A device that never sends Range gets information, not a pass or a fail.
            let mark = range.usedByDevice ? OutputLine.mark(range.support == .honoured ? true : range.support == .unknown ? nil : false) : OutputLine.infoMark
            out.append(contentsOf: wrap("\(mark) \(range.summary)", indent: "  ", continuation: "    "))
        }
        if !verdict.notes.isEmpty {
            out.append("")
            out.append(.heading("Notes"))
            for note in verdict.notes { out.append(contentsOf: wrap(note, indent: "  • ", continuation: "    ")) }
        }
        return out
    }

    func exchangeLines(_ exchange: Exchange, number: Int, of total: Int) -> [OutputLine] {
        var out: [OutputLine] = []
        let label = total > 1 ? "Request \(number) of \(total)" : "Request"
        let status: String
        if exchange.connectFailure != nil { status = "→ no connection" }
        else if exchange.responseHead.isEmpty { status = "→ no answer" }
        else { status = exchange.head.map { $0.sawStatusLine ? "→ \($0.code)" : "→ no status line" } ?? "" }
        // A port the core cannot hold (16 bits): name the written one and the one connected to.
        let port = exchange.writtenPort.map { " (URL port \($0) → device port \(exchange.port))" } ?? ""
        out.append(.heading("\(label): GET \(exchange.url)\(port) \(status)"))
        if let failure = exchange.connectFailure {
            out.append("  connect failed: \(failure.kind.words): \(failure.detail)")
            return out
        }
        if let address = exchange.remoteAddress, let connected = exchange.connectedAtMs {
            out.append(.dim("  connected to \(address)\(exchange.tls ? " (TLS)" : "") after \(connected - exchange.startedAtMs) ms"))
        }
        let request = Array(redactor.redact(bytes: exchange.request).prefix(Limits.requestBytesShown))
        let responseHead = redactor.redact(bytes: exchange.responseHead)
        out.append(contentsOf: ByteText.lines(request, clip: verbose ? .max : Limits.quotedCharacters).map { "  > \($0)" })
        if exchange.request.count > Limits.requestBytesShown {
            out.append("  > … (\(exchange.request.count) bytes sent; the first \(Limits.requestBytesShown) are shown)")
        }
        if exchange.responseHead.isEmpty {
            out.append("  < (nothing received)")
        } else {
            var headLines = ByteText.lines(responseHead, clip: verbose ? .max : Limits.quotedCharacters)
            if !verbose, headLines.count > 40 { headLines = Array(headLines.prefix(40)) + ["… (\(headLines.count - 40) more lines; --verbose shows all)"] }
            out.append(contentsOf: headLines.map { "  < \($0)" })
            if exchange.responseHeadBytes > exchange.responseHead.count {
                out.append("  < … (\(exchange.responseHeadBytes) bytes of head received; the first \(exchange.responseHead.count) are kept)")
            }
        }
        let body = exchange.body
        if body.bytesReceived > 0 || exchange.head != nil {
            var text = "  body: \(body.bytesReceived) bytes received"
            if body.bytesConsumedByDevice > 0 { text += ", \(body.bytesConsumedByDevice) read by the device" }
            if body.truncated { text += " (probe stopped reading)" }
            out.append(OutputLine(text))
            if !body.prefix.isEmpty {
                let prefix = redactor.redact(bytes: body.prefix)
                out.append("  starts: \(ByteText.hex(prefix)) \"\(ByteText.printable(prefix, limit: 32))\"")
                out.append("  looks like: \(BodyKind.recognize(body.prefix).summary)")
            }
            if let md5 = body.md5 { out.append("  MD5 of the bytes the device wrote: \(md5)") }
            if let sha256 = body.sha256 { out.append("  SHA-256 of the same bytes: \(sha256)") }
        }
        out.append(.dim("  ended: \(exchange.ending.words)\(exchange.endedAtMs.map { " at \($0) ms" } ?? "")"))
        if verbose, exchange.responseHead.count > 0 {
            // Secrets are masked in the bytes themselves, so both columns show the mask.
            let masked = redactor.enabled ? ", secrets masked" : ""
            for (name, bytes, total) in [("head", responseHead, exchange.responseHeadBytes), ("request", request, exchange.request.count)] {
                let dumped = min(bytes.count, Limits.dumpBytes)
                let shown = dumped < max(total, bytes.count) ? ", the first \(dumped) dumped" : ""
                out.append("  raw \(name) (\(max(total, bytes.count)) bytes\(masked)\(shown)):")
                out.append(contentsOf: Self.hexDump(Array(bytes.prefix(dumped))).map { "    \($0)" })
            }
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

    private func wrap(_ text: String, indent: String, continuation: String? = nil, width: Int = 96) -> [OutputLine] {
        var lines: [OutputLine] = []
        var current = indent
        let next = continuation ?? String(repeating: " ", count: indent.count)
        for word in text.split(separator: " ") {
            if current.count + word.count + 1 > width, current.trimmingSpaces.count > 0 {
                lines.append(OutputLine(current))
                current = next
            }
            current += (current == indent || current == next ? "" : " ") + word
        }
        lines.append(OutputLine(current))
        return lines
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }

    var trimmingSpaces: Substring { drop { $0 == " " || $0 == "•" } }
}
