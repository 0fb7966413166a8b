/// What the server said during one handshake, read off the wire by the transport: records,
/// handshake messages, alerts, in arrival order.
///
/// Why a transcript instead of OpenSSL's verdict: the desktop TLS library and the device's
/// disagree on what is acceptable (OpenSSL takes an 8192-bit key, BearSSL does not), so the
/// device's decision is replayed from these bytes by `BearSSLClientModel`.
public struct TLSTranscript: Sendable, Equatable {
    public enum Entry: Sendable, Equatable {
        /// A record header: content type, version, body length; `encrypted` once the server's
        /// ChangeCipherSpec was seen.
        case record(type: UInt8, version: UInt16, length: Int, encrypted: Bool)
        /// A whole handshake message (type and body, without the 4-byte header).
        case handshake(type: UInt8, body: [UInt8])
        case alert(level: UInt8, description: UInt8)
        case changeCipherSpec
    }

    /// What the server sent, in order.
    public var received: [Entry]
    /// Alerts the emulating client sent (OpenSSL giving up on something).
    public var alertsSent: [UInt8]
    /// The ClientHello body as sent.
    public var clientHello: [UInt8]?
    /// True when the handshake completed on the wire.
    public var completed: Bool

    public init(received: [Entry], alertsSent: [UInt8] = [], clientHello: [UInt8]? = nil, completed: Bool) {
        self.received = received
        self.alertsSent = alertsSent
        self.clientHello = clientHello
        self.completed = completed
    }

    /// Parses the transport's log (kind, direction, 4-byte little-endian length, bytes).
    public init(log: [UInt8], completed: Bool) {
        var received: [Entry] = []
        var alertsSent: [UInt8] = []
        var clientHello: [UInt8]?
        var encrypted = false
        var offset = 0
        while offset + 6 <= log.count {
            let kind = log[offset], outgoing = log[offset + 1] == 1
            let length = Int(log[offset + 2]) | Int(log[offset + 3]) << 8 | Int(log[offset + 4]) << 16 | Int(log[offset + 5]) << 24
            let start = offset + 6, end = min(log.count, start + length)
            let bytes = Array(log[start..<end])
            offset = end
            switch (kind, outgoing) {
            case (0x80, false) where bytes.count >= 5:
                received.append(.record(type: bytes[0], version: UInt16(bytes[1]) << 8 | UInt16(bytes[2]),
                                        length: Int(bytes[3]) << 8 | Int(bytes[4]), encrypted: encrypted))
            case (22, false) where bytes.count >= 4:
                received.append(.handshake(type: bytes[0], body: Array(bytes[4...])))
            case (22, true) where bytes.count >= 4 && bytes[0] == 1:
                clientHello = Array(bytes[4...])
            case (21, false) where bytes.count >= 2:
                received.append(.alert(level: bytes[0], description: bytes[1]))
            case (21, true) where bytes.count >= 2:
                alertsSent.append(bytes[1])
            case (20, false):
                encrypted = true
                received.append(.changeCipherSpec)
            default:
                break
            }
        }
        self.init(received: received, alertsSent: alertsSent, clientHello: clientHello, completed: completed)
    }

    /// The certificates of the server's Certificate message (DER, leaf first), if one came.
    public var certificates: [[UInt8]]? {
        for case .handshake(11, let body) in received {
            return Self.certificateList(body)
        }
        return nil
    }

    static func certificateList(_ body: [UInt8]) -> [[UInt8]] {
        guard body.count >= 3 else { return [] }
        var certificates: [[UInt8]] = []
        var offset = 3
        let end = min(body.count, 3 + (Int(body[0]) << 16 | Int(body[1]) << 8 | Int(body[2])))
        while offset + 3 <= end {
            let length = Int(body[offset]) << 16 | Int(body[offset + 1]) << 8 | Int(body[offset + 2])
            offset += 3
            guard offset + length <= end else { break }
            certificates.append(Array(body[offset..<offset + length]))
            offset += length
        }
        return certificates
    }
}

/// The parts of a ServerHello the device checks.
public struct ServerHello: Sendable, Equatable {
    public var version: UInt16
    public var sessionIDLength: Int
    public var cipherSuite: UInt16
    public var compression: UInt8
    /// Extensions in order: type and contents.
    public var extensions: [(type: UInt16, data: [UInt8])]

    public static func == (lhs: ServerHello, rhs: ServerHello) -> Bool {
        lhs.version == rhs.version && lhs.cipherSuite == rhs.cipherSuite && lhs.compression == rhs.compression
            && lhs.sessionIDLength == rhs.sessionIDLength
            && lhs.extensions.map(\.type) == rhs.extensions.map(\.type) && lhs.extensions.map(\.data) == rhs.extensions.map(\.data)
    }

    public init?(body: [UInt8]) {
        guard body.count >= 38 else { return nil }
        version = UInt16(body[0]) << 8 | UInt16(body[1])
        let idLength = Int(body[34])
        sessionIDLength = idLength
        var offset = 35 + idLength
        guard offset + 3 <= body.count else { return nil }
        cipherSuite = UInt16(body[offset]) << 8 | UInt16(body[offset + 1])
        compression = body[offset + 2]
        offset += 3
        var extensions: [(type: UInt16, data: [UInt8])] = []
        if offset + 2 <= body.count {
            let end = min(body.count, offset + 2 + (Int(body[offset]) << 8 | Int(body[offset + 1])))
            offset += 2
            while offset + 4 <= end {
                let type = UInt16(body[offset]) << 8 | UInt16(body[offset + 1])
                let length = Int(body[offset + 2]) << 8 | Int(body[offset + 3])
                offset += 4
                let stop = min(end, offset + length)
                extensions.append((type, Array(body[offset..<stop])))
                offset = stop
            }
        }
        self.extensions = extensions
    }
}
