import Crypto

/// arduino-esp32 from the end of the headers to `Update.end()`: the `delay(100)` and the
/// one-byte `peek()` (-106), the `x-MD5` length check (-105), `Update.writeStream()`'s
/// 300-retry read loop (error 6), and `Update.end()` (MD5 → 7, image verification → 9).
///
/// The peek is where plain HTTP surprises: `WiFiClient::peek()` does not wait
/// (`recv(..., MSG_DONTWAIT)`), so a body that starts more than ~100 ms after the headers
/// fails with -106 (spec A5.2 step 4; A1.0.6 WiFiClient.cpp:74,141-144; A3.2.0
/// NetworkClient.cpp:524-534). arduino-esp32's secure client's peek waits up to its Stream
/// timeout; Tasmota's BearSSL light does not (`TLSCapabilities.peekWaits`, spec §T3.7). Tasmota's
/// TasUpdate, a copy of this Updater, also stays running after a -105 (`updaterLeftRunning`).
struct ESP32UpdaterBodyWriter: Sendable {
    enum Outcome: Sendable, Equatable {
        case needMore(deadline: Int)
        case succeeded(at: Int)
        case failed(code: Int, stage: Verdict.Stage, cause: Cause, at: Int)
    }

    private let profile: ESP32ArduinoProfile
    private let identity: DeviceIdentity
    private let length: Int
    private let streamTimeoutMs: Int
    private let peekAt: Int
    private let md5Header: String?
    /// An earlier call in this boot left the Updater running (-105): `Update.begin()` fails.
    private let updaterLeftRunning: Bool
    /// Whether `peek()` waits for data: a plain `WiFiClient` never does, a secure one as its
    /// TLS stack says (`TLSCapabilities.peekWaits`, nil = waits).
    private let peekWaits: Bool
    private var peeked = false
    private var firstByte: UInt8?
    private var firstByteAt: Int?
    private(set) var consumed = 0
    private var lastProgressAt: Int
    private var closedAt: Int?
    private var finished: Outcome?
    private var digest: Insecure.MD5?
    private var sha256: SHA256?
    private var image = ESP32ImageParser()
    private(set) var calculatedMD5: String?
    private(set) var calculatedSHA256: String?

    init(profile: ESP32ArduinoProfile, identity: DeviceIdentity, length: Int, tls: Bool, streamTimeoutMs: Int,
         md5Header: String?, headerEndedAt: Int, computeDigests: Bool, updaterLeftRunning: Bool = false) {
        self.profile = profile
        self.updaterLeftRunning = updaterLeftRunning
        self.peekWaits = tls && profile.tls?.peekWaits != false
        self.identity = identity
        self.length = length
        self.streamTimeoutMs = streamTimeoutMs
        self.md5Header = md5Header
        self.peekAt = headerEndedAt + profile.update.delayBeforePeekMs
        self.lastProgressAt = headerEndedAt
        let compares = !(md5Header ?? "").isEmpty
        digest = compares || computeDigests ? Insecure.MD5() : nil
        sha256 = computeDigests ? SHA256() : nil
    }

    /// Time by which `writeStream` gives up: 300 reads that each wait one Stream timeout,
    /// with `delay(100)` between them (A3.2.0 Updater.cpp:596-608).
    private var stallDeadline: Int {
        let retries = profile.update.streamRetries
        return lastProgressAt + retries * streamTimeoutMs + (retries - 1) * profile.update.streamRetryDelayMs
    }

    private var peekDeadline: Int { peekWaits ? peekAt + streamTimeoutMs : peekAt }

    var outcome: Outcome {
        if let finished { return finished }
        return .needMore(deadline: peeked ? stallDeadline : peekDeadline)
    }

    mutating func receive(_ bytes: UnsafeRawBufferPointer, at time: Int) {
        guard finished == nil, !bytes.isEmpty else { return }
        if !peeked {
            if !peekWaits, time > peekAt {
                // The peek already ran and found nothing.
                resolvePeek(at: peekAt)
                return
            }
            if firstByte == nil {
                firstByte = bytes[bytes.startIndex]
                firstByteAt = time
            }
        }
        let take = min(bytes.count, length - consumed)
        if take > 0 {
            let slice = UnsafeRawBufferPointer(rebasing: bytes[bytes.startIndex..<(bytes.startIndex + take)])
            digest?.update(bufferPointer: slice)
            sha256?.update(bufferPointer: slice)
            image.feed(slice)
            consumed += take
            lastProgressAt = time
        }
        if !peeked, peekWaits || time >= peekAt { resolvePeek(at: max(time, peekAt)) }
        if peeked, finished == nil, consumed >= length { complete(at: time) }
    }

    mutating func connectionClosed(at time: Int) {
        guard finished == nil, closedAt == nil else { return }
        closedAt = time
        if !peeked {
            resolvePeek(at: firstByte == nil ? peekDeadline : max(peekAt, firstByteAt ?? peekAt))
            if finished != nil { return }
        }
        // A closed socket reads nothing: the retry loop runs its full course (spec A8).
        fail(code: 6, stage: .download, cause: .bodyEndedEarly(received: consumed, expected: length, closed: true), at: stallDeadline)
    }

    mutating func deadlinePassed(at time: Int) {
        guard finished == nil else { return }
        if !peeked {
            if time >= peekDeadline { resolvePeek(at: peekDeadline) }
            return
        }
        if time >= stallDeadline {
            fail(code: 6, stage: .download, cause: .bodyEndedEarly(received: consumed, expected: length, closed: closedAt != nil), at: stallDeadline)
        }
    }

    /// `peek() != 0xE9` → -106, then runUpdate's MD5 length check → -105.
    private mutating func resolvePeek(at time: Int) {
        peeked = true
        guard let firstByte else {
            fail(code: -106, stage: .imageHeader, cause: .tooFewBytesForHeaderCheck(received: 0), at: time)
            return
        }
        guard firstByte == 0xE9 else {
            fail(code: -106, stage: .imageHeader, cause: .badMagic(firstByte: firstByte), at: time)
            return
        }
        if updaterLeftRunning {
            // `Update.begin()`: `_size > 0` → "already running", false, `_error` untouched (0)
            // (T:lib/libesp32/HttpClientLight/src/TasUpdater.cpp begin(); spec §T3.4 step 4).
            fail(code: 0, stage: .download, cause: .updaterStillRunning, at: time)
            return
        }
        if let md5 = md5Header, !md5.isEmpty, md5.utf8.count != 32 {
            fail(code: -105, stage: .imageHeader, cause: .md5HeaderMalformed(md5), at: time)
            return
        }
        lastProgressAt = max(lastProgressAt, time)
        if consumed >= length { complete(at: time) }
    }

    /// `Update.end()`: MD5 (case per version), then `esp_ota_set_boot_partition` → `esp_image_verify`.
    private mutating func complete(at time: Int) {
        if let digest {
            calculatedMD5 = digest.finalize().map { String(byte: $0) }.joined()
            self.digest = nil
        }
        if let sha256 {
            calculatedSHA256 = sha256.finalize().map { String(byte: $0) }.joined()
            self.sha256 = nil
        }
        if let expected = md5Header, !expected.isEmpty, let calculated = calculatedMD5 {
            let compared = profile.update.md5LowerCased ? expected.lowercased() : expected
            if compared != calculated {
                fail(code: 7, stage: .verify, cause: .md5Mismatch(expected: expected, calculated: calculated), at: time)
                return
            }
        }
        let esp32 = identity.esp32
        if let problem = ESP32ImageVerification.failure(of: image.finish(), written: consumed, chip: esp32.chip, revision: esp32.revision, partitionSize: esp32.partitionSize) {
            fail(code: 9, stage: .verify, cause: .imageRejected(problem), at: time)
            return
        }
        finished = .succeeded(at: time)
    }

    private mutating func fail(code: Int, stage: Verdict.Stage, cause: Cause, at time: Int) {
        if finished == nil { finished = .failed(code: code, stage: stage, cause: cause, at: time) }
    }
}
