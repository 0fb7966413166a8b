/// arduino-esp32 `HTTPUpdate::handleUpdate`'s status switch and size checks: the one place
/// where its -100 … -108 are decided (spec A5.2; A1.0.6 HTTPUpdate.cpp:183-375,
/// A3.2.0 HTTPUpdate.cpp:161-380). Note the differences from the ESP8266: 401 is -104 here,
/// and -108 means "no OTA partition".
struct ESP32UpdateDecisionTree: Sendable {
    let identity: DeviceIdentity

    enum Decision: Sendable, Equatable {
        case fail(code: Int, stage: Verdict.Stage, cause: Cause)
        case noUpdates
        case download(length: Int)
    }

    func decide(code: Int, head: ResponseHead?) -> Decision {
        // `code <= 0`: GET() failed; `_lastError = code`.
        guard code > 0, let head else {
            return .fail(code: code, stage: .headers, cause: UpdateDecisionTree.headerCause(code: code, head: head))
        }
        switch code {
        case 200:
            let length = head.size
            guard length > 0 else {
                return .fail(code: -101, stage: .size, cause: .lengthNotReported(contentLength: head.header("Content-Length"), chunked: head.transferEncoding?.lowercased() == "chunked"))
            }
            // The partition size is a uint32_t that HTTPUpdate compares as an int
            // (`len > (int) ESP.getFreeSketchSpace()`, A1.x(0596a2ac) HTTPUpdate.cpp handleUpdate(); spec A5.2 step 4).
            let space = Int(Int32(truncatingIfNeeded: identity.esp32.partitionSize))
            guard space != 0 else { return .fail(code: -108, stage: .size, cause: .noOTAPartition) }
            guard length <= space else {
                return .fail(code: -100, stage: .size, cause: .notEnoughSpace(length: length, available: space, filesystem: identity.mode == .fs))
            }
            return .download(length: length)
        case 304:
            return .noUpdates
        case 404:
            return .fail(code: -102, stage: .status, cause: .fileNotFound)
        case 403:
            return .fail(code: -103, stage: .status, cause: .forbidden)
        case 401:
            return .fail(code: -104, stage: .status, cause: .unauthorized(asWrongCode: true))
        default:
            return .fail(code: -104, stage: .status, cause: .statusNotHandled(code))
        }
    }
}
