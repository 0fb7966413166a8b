/// The device's `HTTPClient::handleHeaderResponse`, fed with timed bytes instead of a socket.
///
/// It reproduces the reading loop's timing as well as its parsing, because the code the device
/// reports depends on both: `readStringUntil('\n')` waits one client timeout for the rest of a
/// line (and returns the partial line), the loop gives up with -11 when no line arrived for one
/// client timeout, and a connection that closes first ends the loop with -5
/// (3.1.2:HC:979-1088; 2.5.2:HC:1244-1338).
struct ResponseHeadReader: Sendable {
    enum Outcome: Sendable, Equatable {
        case needMore(deadline: Int)
        /// The blank line was read; `code` is what handleHeaderResponse returns.
        case complete(code: Int, head: ResponseHead, at: Int)
        /// The loop ended without a blank line: -5 (closed) or -11 (timeout).
        case failed(code: Int, head: ResponseHead, at: Int)
    }

    private let rules: ESP8266ArduinoProfile.ResponseRules
    private let idleMs: Int
    private let lineByteMs: Int
    private var line: [UInt8] = []
    private var lastByteAt: Int
    private var lastLineAt: Int
    private var closedAt: Int?
    private var head: ResponseHead
    private var finished: Outcome?
    /// Bytes after the blank line: already body as far as the device is concerned.
    private(set) var leftover: [UInt8] = []
    /// The raw head as received, kept for the report (its first `Limits.headBytesKept` bytes).
    private(set) var rawHead: [UInt8] = []
    /// Every head byte received, kept or not.
    private(set) var bytesSeen = 0
    static let rawHeadLimit = Limits.headBytesKept
    /// A line is kept up to this size; the device's `String` would have run out of heap long
    /// before (3.1.2 `WString.cpp:363-375` drops characters silently when `concat` fails).
    static let lineLimit = Limits.headerLineBytesKept
    private(set) var longestLine = 0

    init(rules: ESP8266ArduinoProfile.ResponseRules, timeouts: PhaseTimeouts, startedAt: Int) {
        self.rules = rules
        self.idleMs = timeouts.idleMs
        self.lineByteMs = timeouts.lineByteMs
        self.lastByteAt = startedAt
        self.lastLineAt = startedAt
        self.head = ResponseHead(code: rules.initialReturnCode)
    }

    var outcome: Outcome {
        if let finished { return finished }
        if !line.isEmpty { return .needMore(deadline: lastByteAt + lineByteMs) }
        return .needMore(deadline: lastLineAt + idleMs + 1)
    }

    mutating func receive(_ bytes: UnsafeRawBufferPointer, at time: Int) {
        guard finished == nil else { return }
        var index = bytes.startIndex
        while index < bytes.endIndex, finished == nil {
            let byte = bytes[index]
            index += 1
            bytesSeen += 1
            if rawHead.count < Self.rawHeadLimit { rawHead.append(byte) }
            if byte == UInt8(ascii: "\n") {
                process(line: line[...], at: time)
                line.removeAll(keepingCapacity: true)
            } else if line.count < Self.lineLimit {
                line.append(byte)
                longestLine = max(longestLine, line.count)
            }
        }
        if finished != nil {
            leftover.append(contentsOf: bytes[index...])
        } else {
            lastByteAt = time
        }
    }

    mutating func connectionClosed(at time: Int) {
        guard finished == nil, closedAt == nil else { return }
        closedAt = time
        if line.isEmpty {
            finished = .failed(code: -5, head: head, at: time)
            return
        }
        // `timedRead` still waits a full client timeout for the rest of the line, then the
        // partial line is parsed and the loop ends: certain now, so resolve it now.
        let partialAt = lastByteAt + lineByteMs
        process(line: line[...], at: partialAt)
        line.removeAll()
        if finished == nil { finished = .failed(code: -5, head: head, at: partialAt) }
    }

    /// Nothing arrived until `time` (the deadline from `outcome`).
    mutating func deadlinePassed(at time: Int) {
        guard finished == nil else { return }
        if !line.isEmpty {
            guard time >= lastByteAt + lineByteMs else { return }
            // `readStringUntil` gives up and returns what it has as a line.
            let partialAt = lastByteAt + lineByteMs
            process(line: line[...], at: partialAt)
            line.removeAll()
            if finished == nil, closedAt != nil { finished = .failed(code: -5, head: head, at: partialAt) }
        } else if time > lastLineAt + idleMs {
            finished = .failed(code: -11, head: head, at: lastLineAt + idleMs + 1)
        }
    }

    private mutating func process(line raw: ArraySlice<UInt8>, at time: Int) {
        lastLineAt = time
        var line = raw
        if rules.trimLineBeforeParsing { line = ArduinoString.trim(line) }
        let text = String(decoding: line, as: UTF8.self)
        let isFirstLine = head.firstLine == nil
        if isFirstLine { head.firstLine = text }
        let prefix = Array(rules.statusLinePrefix.utf8)
        if rules.statusCodeFromFirstLine == true {
            // arduino-esp32 2.x/3.x: the first line is the status line, whatever it says;
            // the code is `toInt()` of the text between its first and second space.
            if isFirstLine {
                head.sawStatusLine = line.starts(with: prefix)
                head.code = Self.statusCodeAfterFirstSpace(of: line)
            } else if let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex {
                addHeader(name: line[..<colon], value: line[(colon + 1)...], display: true)
            } else if !line.isEmpty, !line.contains(UInt8(ascii: ":")) {
                addHeader(name: line, value: line, display: false)
            }
        } else if line.starts(with: prefix) {
            head.sawStatusLine = true
            head.code = Self.statusCode(of: line)
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex {
            addHeader(name: line[..<colon], value: line[(colon + 1)...], display: true)
            if !rules.trimLineBeforeParsing { return }
        } else if rules.trimLineBeforeParsing, !line.isEmpty, !line.contains(UInt8(ascii: ":")) {
            // 2.4.2/2.5.2 test `if(headerLine.indexOf(':'))`, true for -1: a line without a
            // colon is matched as a header whose name and value are the whole line.
            addHeader(name: line, value: line, display: false)
        }
        if ArduinoString.trim(line).isEmpty { finish(at: time) }
    }

    /// `codePos = indexOf(' ') + 1; toInt(substring(codePos, indexOf(' ', codePos)))`.
    static func statusCodeAfterFirstSpace(of line: ArraySlice<UInt8>) -> Int {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { return 0 }
        let start = line.index(after: space)
        let end = line[start...].firstIndex(of: UInt8(ascii: " ")) ?? line.endIndex
        return ArduinoString.toInt(String(decoding: line[start..<end], as: UTF8.self))
    }

    /// `toInt(substring(9, indexOf(' ', 9)))`: digits from index 9 up to the next space.
    static func statusCode(of line: ArraySlice<UInt8>) -> Int {
        let start = line.startIndex + 9
        guard start < line.endIndex else { return 0 }
        let end = line[start...].firstIndex(of: UInt8(ascii: " ")) ?? line.endIndex
        return ArduinoString.toInt(String(decoding: line[start..<end], as: UTF8.self))
    }

    private mutating func addHeader(name: ArraySlice<UInt8>, value: ArraySlice<UInt8>, display: Bool) {
        let name = String(decoding: name, as: UTF8.self)
        let value = String(decoding: ArduinoString.trim(value), as: UTF8.self)
        if display { head.keep(.init(name: name, value: value)) }
        switch name.lowercased() {
        case "content-length": head.size = ArduinoString.toInt(value)
        case "transfer-encoding": head.transferEncoding = value
        case "location": head.location = value
        case "x-md5":
            if rules.repeatedCollectedHeader == "join", let existing = head.md5Header, !existing.isEmpty {
                head.md5Header = existing + "," + value
            } else {
                head.md5Header = value
            }
        default: break
        }
    }

    /// The blank line: Transfer-Encoding, then the code rules of this version.
    private mutating func finish(at time: Int) {
        var code = head.code
        let accepted = rules.identityTransferEncodingAccepted == true ? ["chunked", "identity"] : ["chunked"]
        if let encoding = head.transferEncoding, !encoding.isEmpty, !accepted.contains(encoding.lowercased()) {
            code = -9
        } else if rules.nonPositiveStatusIsNoHTTPServer ? code <= 0 : code == 0 {
            code = -7
        }
        finished = .complete(code: code, head: head, at: time)
    }
}
