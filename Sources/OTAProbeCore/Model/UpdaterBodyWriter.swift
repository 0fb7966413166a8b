import Crypto

/// The part of the update that reads the body: `getStreamPtr()`, the 4-byte peek and header
/// checks in httpUpdate (3.1.2:UPD:269-326), then `Updater::writeStream` and `Updater::end`
/// (3.1.2:UPR:541-567, 212-373).
///
/// Bytes are hashed and counted as they arrive; the body is never held. Times are the
/// device's: a read that waits for more bytes waits one client timeout, and a stalled body
/// fails after the version's stall rule, so the reported device time is the real one.
struct UpdaterBodyWriter: Sendable {
    enum Outcome: Sendable, Equatable {
        case needMore(deadline: Int)
        /// `crash`: the real code dereferences a null stream instead of returning a code.
        case failed(code: Int, stage: Verdict.Stage, cause: Cause, at: Int, crash: Bool)
        case succeeded(at: Int)
    }

    private enum Phase: Sendable {
        /// Between the blank line and `getStreamPtr()`: a close seen now means a null stream.
        case awaitingStream(until: Int)
        case peeking(startedAt: Int)
        case writing(startedAt: Int)
        case done(Outcome)
    }

    private let rules: ESP8266ArduinoProfile.UpdateRules
    private let peekMs: Int
    private let readByteMs: Int
    private let length: Int
    private let md5: String
    private let sketch: Bool
    private let flashMapSupport: Bool
    private let chipSize: Int
    private let headerEndedAt: Int
    private var phase: Phase
    /// The first body bytes (the peek, and `_verifyEnd`'s look at what was written).
    private(set) var firstBytes: [UInt8] = []
    /// Size of the first piece of body that arrived on its own (a TCP segment, as lwIP keeps
    /// it in one pbuf): `peekBytes` copies from that pbuf only.
    private var firstSegment: Int?
    /// Bytes that arrived while httpUpdate was still peeking: they wait in the socket.
    private var queued: [UInt8] = []
    /// Bytes the Updater has read (only 2.4.2 can read past the length).
    private(set) var consumed = 0
    private var lastReadAt: Int
    private var closed = false
    /// The Updater always hashes, but the result only matters when there is an expected MD5
    /// (or the user asked for digests): skipping it keeps the probe as fast as the transfer.
    private var digest: Insecure.MD5?
    /// Only when asked for (`--expect-file`, `--sha256-url`): the device never computes it.
    private var sha256: SHA256?
    private(set) var calculatedMD5: String?
    /// `Update._size > 0` from an earlier call: `begin()` returns false, `getError()` is 0.
    private let updaterLeftRunning: Bool
    private(set) var calculatedSHA256: String?

    init(rules: ESP8266ArduinoProfile.UpdateRules, timeouts: PhaseTimeouts, length: Int, md5: String, sketch: Bool,
         flashMapSupport: Bool, chipSize: Int, headerEndedAt: Int, computeDigests: Bool = false, updaterLeftRunning: Bool = false) {
        self.updaterLeftRunning = updaterLeftRunning
        self.sha256 = computeDigests ? SHA256() : nil
        self.digest = computeDigests || !md5.isEmpty ? Insecure.MD5() : nil
        self.rules = rules
        self.peekMs = timeouts.peekMs
        self.readByteMs = timeouts.readByteMs
        self.length = length
        self.md5 = md5
        self.sketch = sketch
        self.flashMapSupport = flashMapSupport
        self.chipSize = chipSize
        self.headerEndedAt = headerEndedAt
        self.lastReadAt = headerEndedAt
        self.phase = .awaitingStream(until: headerEndedAt + rules.nullStreamWindowMs)
    }

    var outcome: Outcome {
        switch phase {
        case .done(let outcome): return outcome
        case .awaitingStream(let until): return .needMore(deadline: until)
        case .peeking(let start): return .needMore(deadline: start + peekMs)
        case .writing(let start): return .needMore(deadline: stallDeadline(writingStartedAt: start))
        }
    }

    var isDone: Bool { if case .done = phase { return true } else { return false } }

    // MARK: Events

    mutating func receive(_ bytes: UnsafeRawBufferPointer, at time: Int) {
        guard !bytes.isEmpty, !isDone else { return }
        if firstBytes.count < 4 { firstBytes.append(contentsOf: bytes.prefix(4 - firstBytes.count)) }
        if firstSegment == nil { firstSegment = bytes.count }
        if case .awaitingStream = phase { startPeekOrWrite() }
        switch phase {
        case .peeking(let start):
            queued.append(contentsOf: bytes)
            if firstBytes.count >= 4 { checkHeader(at: max(time, start)) }
        case .writing:
            consume(bytes, at: time)
        default:
            break
        }
    }

    mutating func connectionClosed(at time: Int) {
        guard !isDone else { return }
        closed = true
        if case .awaitingStream = phase {
            // `connected()` is false and nothing is buffered: `getStreamPtr()` returns null.
            phase = .done(rules.nullStreamCheck
                ? .failed(code: -5, stage: .stream, cause: .streamGoneAfterHeaders, at: time, crash: false)
                : .failed(code: 0, stage: .stream, cause: .crashOnClosedStream, at: time, crash: true))
            return
        }
        settleAfterClose()
    }

    mutating func deadlinePassed(at time: Int) {
        switch phase {
        case .done:
            return
        case .awaitingStream(let until):
            guard time >= until else { return }
            startPeekOrWrite()
            if closed { settleAfterClose() }
        case .peeking(let start):
            if time >= start + peekMs { failPeek(at: start + peekMs) }
        case .writing(let start):
            let deadline = stallDeadline(writingStartedAt: start)
            if time >= deadline { finishWriting(at: deadline) }
        }
    }

    // MARK: Steps

    private mutating func startPeekOrWrite() {
        // `delay(100)` after stopping the other sockets (3.1.2:UPD:282); FS updates skip the peek.
        let start = headerEndedAt + rules.delayBeforePeekMs
        if sketch {
            phase = .peeking(startedAt: start)
            if firstBytes.count >= 4 { checkHeader(at: start) }
        } else {
            startWriting(at: start)
        }
    }

    /// httpUpdate's own check of the first four bytes (3.1.2:UPD:293-326).
    private mutating func checkHeader(at time: Int) {
        // `ClientContext::peekBytes` copies only from the head pbuf (3.1.2:CC:285-300): when
        // the first body segment held 1-3 bytes (the tail of the header segment, say), the
        // peek returns fewer than 4 even though more have arrived (spec §9.4).
        if let firstSegment, firstSegment < 4 {
            phase = .done(.failed(code: -106, stage: .imageHeader, cause: .peekSawShortSegment(bytes: firstSegment), at: time, crash: false))
            return
        }
        let first = firstBytes[0]
        guard rules.acceptedMagic.contains(Int(first)) else {
            phase = .done(.failed(code: -106, stage: .imageHeader, cause: .badMagic(firstByte: first), at: time, crash: false))
            return
        }
        if !flashMapSupport, first == 0xE9 || !rules.flashSizeCheckOnlyForE9 {
            let imageFlash = UpdateDecisionTree.magicFlashChipSize(firstBytes[3] >> 4)
            if imageFlash > chipSize {
                phase = .done(.failed(code: -107, stage: .imageHeader, cause: .imageTooBigForFlash(imageFlashSize: imageFlash, chipSize: chipSize), at: time, crash: false))
                return
            }
        }
        startWriting(at: time)
    }

    private mutating func failPeek(at time: Int) {
        phase = .done(.failed(code: -106, stage: .imageHeader, cause: .tooFewBytesForHeaderCheck(received: firstBytes.count), at: time, crash: false))
    }

    /// `runUpdate`: `Update.begin()`, then `setMD5()`, whose only check is the length (-105).
    private mutating func startWriting(at time: Int) {
        if updaterLeftRunning {
            phase = .done(.failed(code: 0, stage: .download, cause: .updaterStillRunning, at: time, crash: false))
            return
        }
        if !md5.isEmpty, md5.utf8.count != 32 {
            phase = .done(.failed(code: -105, stage: .verify, cause: .md5HeaderMalformed(md5), at: time, crash: false))
            return
        }
        phase = .writing(startedAt: time)
        lastReadAt = max(lastReadAt, time)
        if !queued.isEmpty {
            let waiting = queued
            queued = []
            waiting.withUnsafeBytes { consume($0, at: time) }
        }
    }

    private mutating func consume(_ bytes: UnsafeRawBufferPointer, at time: Int) {
        // 2.5.2+ never ask for more than the remaining length (3.1.2:UPR:553-556).
        let taken = rules.clampsReadToRemaining ? min(bytes.count, length - consumed) : bytes.count
        let hashed = min(taken, max(0, length - consumed))
        if hashed > 0 {
            let part = UnsafeRawBufferPointer(rebasing: bytes[..<hashed])
            digest?.update(bufferPointer: part)
            sha256?.update(bufferPointer: part)
        }
        consumed += taken
        lastReadAt = max(lastReadAt, time)
        if consumed == length, rules.clampsReadToRemaining || length % rules.bufferBytes == 0 {
            finishWriting(at: lastReadAt)
        }
    }

    private mutating func settleAfterClose() {
        // After a close no byte will come: every wait runs to a deadline we can compute now.
        switch phase {
        case .peeking(let start): failPeek(at: start + peekMs)
        case .writing(let start): finishWriting(at: stallDeadline(writingStartedAt: start))
        default: break
        }
    }

    /// When the Updater's read loop returns if nothing more arrives (spec §5.5, measured §13).
    /// A partly filled read returns one client timeout after its last byte; then `two-reads`
    /// (≤2.7.4) fails after read, `delay(100)`, read — about 3 × 8 s in all — and
    /// `retry-until` (3.x) reads again until `stallTimeoutMs` passed since the last read that
    /// returned data — about 73 s (3.1.2:UPR:541-567).
    private func stallDeadline(writingStartedAt start: Int) -> Int {
        let t = readByteMs
        let inBuffer = consumed % rules.bufferBytes
        if !rules.clampsReadToRemaining, consumed == length {
            // 2.4.2's last read asks for a whole buffer and waits one timeout for the rest.
            return lastReadAt + t
        }
        let zeroReadsStart = consumed == 0 ? start : (inBuffer != 0 ? lastReadAt + t : lastReadAt)
        if rules.stallPolicy == "two-reads" {
            return zeroReadsStart + t + rules.stallRetryDelayMs + t
        }
        let step = max(1, t + rules.stallRetryDelayMs)
        let reads = max(1, (rules.stallTimeoutMs + rules.stallRetryDelayMs + step - 1) / step)
        return zeroReadsStart + reads * t + (reads - 1) * rules.stallRetryDelayMs
    }

    private mutating func finishWriting(at time: Int) {
        if consumed < length {
            phase = .done(.failed(code: 6, stage: .download, cause: .bodyEndedEarly(received: consumed, expected: length, closed: closed), at: time, crash: false))
            return
        }
        if consumed > length {
            // 2.4.2 only: extra bytes overfill the buffer and the write never lines up.
            phase = .done(.failed(code: 6, stage: .download, cause: .bodyLongerThanLength(extra: consumed - length), at: time, crash: false))
            return
        }
        let calculated = digest?.finalize().map { String(byte: $0) }.joined() ?? ""
        calculatedMD5 = digest == nil ? nil : calculated
        calculatedSHA256 = sha256?.finalize().map { String(byte: $0) }.joined()
        // `Updater::end()`: MD5 first (3.1.2:UPR:328-336; 2.4.2:UPR:171 case-sensitive) ...
        if !md5.isEmpty {
            let matches = rules.md5CaseSensitive ? md5 == calculated : md5.lowercased() == calculated
            if !matches {
                phase = .done(.failed(code: 7, stage: .verify, cause: .md5Mismatch(expected: md5, calculated: calculated), at: time, crash: false))
                return
            }
        }
        // ... then `_verifyEnd()`: gzip `1F 8B` (2.7.4+) or magic 0xE9 (3.1.2:UPR:375-420).
        if sketch, firstBytes.count >= 2 {
            let gzip = firstBytes[0] == 0x1F && firstBytes[1] == 0x8B && rules.acceptedMagic.contains(0x1F)
            if !gzip, firstBytes[0] != 0xE9 {
                phase = .done(.failed(code: 10, stage: .verify, cause: .magicAfterDownload(firstByte: firstBytes[0], secondByte: firstBytes[1]), at: time, crash: false))
                return
            }
        }
        phase = .done(.succeeded(at: time))
    }
}

extension String {
    /// Two lower-case hex digits, as `MD5Builder` prints them (`%02x`).
    init(byte: UInt8) {
        let digits = Array("0123456789abcdef".utf8)
        self.init(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
    }
}
