/// httpUpdate's `switch(code)` after `http.GET()` — the one place that decides -100 … -108
/// (3.1.2:UPD:243-375; 2.4.2:UPD:255-350). Everything before it (connect, parse) and after it
/// (download, verify) lives in its own type.
public struct UpdateDecisionTree: Sendable {
    public let profile: ESP8266ArduinoProfile
    public let identity: DeviceIdentity

    public enum Decision: Sendable, Equatable {
        case fail(code: Int, stage: Verdict.Stage, cause: Cause)
        case noUpdates
        /// Start `runUpdate` with this length and expected MD5 (may be empty).
        case download(length: Int, md5: String)
    }

    public init(profile: ESP8266ArduinoProfile, identity: DeviceIdentity) {
        self.profile = profile
        self.identity = identity
    }

    /// `code` is what `GET()` returned: an HTTP code, or an HTTPClient error (<= 0).
    public func decide(code: Int, head: ResponseHead?, expectedMD5: String?) -> Decision {
        // A. HTTPClient errors pass straight through (3.1.2:UPD:214-222).
        if code <= 0 { return .fail(code: code, stage: .headers, cause: Self.headerCause(code: code, head: head)) }
        switch code {
        case 200:
            let length = head?.size ?? -1
            // B1. `if(len > 0)`: chunked and close-delimited bodies have no size (-101).
            guard length > 0 else {
                let raw = head?.header("Content-Length")
                let chunked = head?.transferEncoding?.lowercased() == "chunked"
                return .fail(code: -101, stage: .size, cause: .lengthNotReported(contentLength: raw, chunked: chunked))
            }
            // B2. Free space (sketch) or FS partition size, as `(int)`.
            let filesystem = identity.mode == .fs
            let available = identity.spaceForUpdate(fsEndRoundedToBlockSize: profile.update.fsEndRoundedToBlockSize)
            guard length <= available else {
                return .fail(code: -100, stage: .size, cause: .notEnoughSpace(length: length, available: available, filesystem: filesystem))
            }
            // 3.1.2 takes `setMD5sum()` first, then the collected `x-MD5` (3.1.2:UPD:226-229).
            let md5 = (profile.update.supportsSetMD5 ? expectedMD5 : nil) ?? head?.md5Header ?? ""
            return .download(length: length, md5: md5)
        case 304:
            // `lastError` is not touched: a fresh boot reports 0 (spec §5.2).
            return .noUpdates
        case 404: return .fail(code: -102, stage: .status, cause: .fileNotFound)
        case 403: return .fail(code: -103, stage: .status, cause: .forbidden)
        case 401 where profile.update.unauthorizedCode != nil:
            return .fail(code: profile.update.unauthorizedCode!, stage: .status, cause: .unauthorized(asWrongCode: false))
        case 401:
            return .fail(code: -104, stage: .status, cause: .unauthorized(asWrongCode: true))
        default:
            return .fail(code: -104, stage: .status, cause: .statusNotHandled(code))
        }
    }

    /// What an HTTPClient error code (-1 … -11) says about the response head; shared with
    /// arduino-esp32, whose HTTPClient returns the same codes for the same reasons.
    static func headerCause(code: Int, head: ResponseHead?) -> Cause {
        switch code {
        case -5: return .connectionLostBeforeHeaders
        case -11: return .headerTimeout
        case -9: return .unsupportedTransferEncoding(head?.transferEncoding ?? "")
        case -7: return .noHTTPServer(firstLine: head?.firstLine)
        case -1 where head != nil: return .noHTTPServer(firstLine: head?.firstLine)
        default: return .negativeStatus(code)
        }
    }

    /// `ESP.magicFlashChipSize(n)` for the high nibble of image byte 3 (3.1.2:ESP:333-351).
    public static func magicFlashChipSize(_ nibble: UInt8) -> Int {
        switch nibble {
        case 0: return 512 * 1024
        case 1: return 256 * 1024
        case 2: return 1 << 20
        case 3: return 2 << 20
        case 4: return 4 << 20
        case 8: return 8 << 20
        case 9: return 16 << 20
        default: return 0
        }
    }
}
