/// Why the device ended where it did, as data: the explanation layer turns it into plain
/// sentences and fixes, and tests assert on it directly.
public enum Cause: Sendable, Equatable {
    case updated
    case notModified
    /// `begin()` refused the URL, so nothing was sent.
    case urlRefused(DeviceURL.Refusal)
    case connectFailed(ConnectionFailure)
    case sendFailed(detail: String)
    /// 2.5.2 wrote a path-only redirect onto the socket the server had already closed.
    case sendFailedOnReusedSocket
    case connectionLostBeforeHeaders
    case headerTimeout
    case unsupportedTransferEncoding(String)
    case noHTTPServer(firstLine: String?)
    /// A negative code parsed from the status line, passed through by old cores.
    case negativeStatus(Int)
    case statusNotHandled(Int)
    case redirectNotFollowed(code: Int, location: String?, reason: RedirectRefusal)
    case fileNotFound
    case forbidden
    case unauthorized(asWrongCode: Bool)
    case lengthNotReported(contentLength: String?, chunked: Bool)
    case notEnoughSpace(length: Int, available: Int, filesystem: Bool)
    case streamGoneAfterHeaders
    case crashOnClosedStream
    case tooFewBytesForHeaderCheck(received: Int)
    /// The first body segment held fewer than 4 bytes; the peek copies from it alone.
    case peekSawShortSegment(bytes: Int)
    case badMagic(firstByte: UInt8)
    case imageTooBigForFlash(imageFlashSize: Int, chipSize: Int)
    case md5HeaderMalformed(String)
    case bodyEndedEarly(received: Int, expected: Int, closed: Bool)
    case bodyLongerThanLength(extra: Int)
    case md5Mismatch(expected: String, calculated: String)
    case magicAfterDownload(firstByte: UInt8, secondByte: UInt8)
}

/// Why a 3xx was handed to httpUpdate (and became -104) instead of being followed.
public enum RedirectRefusal: String, Sendable, Equatable, Codable {
    case disabled
    case unsupportedByCore
    case codeNotFollowed
    case missingLocation
    case schemeChange
    case relativeWithoutSlash
    case limitReached
}

/// A connection that could not be made, in transport-neutral terms.
public struct ConnectionFailure: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, Codable {
        case nameResolution, refused, timedOut, tlsHandshake, other
    }
    public let kind: Kind
    public let detail: String
    public init(kind: Kind, detail: String) {
        self.kind = kind
        self.detail = detail
    }
}
