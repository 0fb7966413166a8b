/// One thing a device reports about itself in its update request, named after the `check` flag
/// that sets it (camelCase), so a decoded request can be replayed with `otaprobe check`.
///
/// The fields are what `DeviceIdentity` holds; which header carries which field is not written
/// here but found by `RequestShape`, which asks each profile's request builder (a field's header
/// is the line whose value follows the field). So a profile that renames or drops a header
/// changes the decoding with it.
public enum ReportedField: String, Sendable, CaseIterable, Comparable {
    case chipId, staMac, apMac, baseMac, freeSpace, partitionSize, sketchSize, sketchMD5, sketchSHA256
    /// `ESP.getFlashChipRealSize()` / the ESP32 flash size (`check --flash-size`).
    case chipSize
    case sdkVersion, mode, currentVersion

    /// Reported as a decimal number (`String(uint32_t)` on the device).
    public var isNumber: Bool {
        switch self {
        case .chipId, .freeSpace, .partitionSize, .sketchSize, .chipSize: return true
        default: return false
        }
    }

    /// The `check` flag taking this value.
    public var checkFlag: String {
        switch self {
        case .chipId: return "--chip-id"
        case .staMac: return "--sta-mac"
        case .apMac: return "--ap-mac"
        case .baseMac: return "--base-mac"
        case .freeSpace: return "--free-space"
        case .partitionSize: return "--partition-size"
        case .sketchSize: return "--sketch-size"
        case .sketchMD5: return "--sketch-md5"
        case .sketchSHA256: return "--sketch-sha256"
        case .chipSize: return "--flash-size"
        case .sdkVersion: return "--sdk-version"
        case .mode: return "--mode"
        case .currentVersion: return "--current-version"
        }
    }

    /// Two values to tell this field's header apart from every other line. Each field's values
    /// differ from every other field's, so a changed line can only be this field's.
    var samples: [String] {
        switch self {
        case .chipId: return ["11223301", "11223302"]
        case .staMac: return ["02:00:00:00:01:01", "02:00:00:00:01:02"]
        case .apMac: return ["02:00:00:00:02:01", "02:00:00:00:02:02"]
        case .baseMac: return ["02:00:00:00:03:01", "02:00:00:00:03:02"]
        case .freeSpace: return ["1111041", "1111042"]
        case .partitionSize: return ["2222081", "2222082"]
        case .sketchSize: return ["333121", "333122"]
        case .sketchMD5: return ["0000000000000000000000000000ab01", "0000000000000000000000000000ab02"]
        case .sketchSHA256: return [String(repeating: "0", count: 60) + "CD01", String(repeating: "0", count: 60) + "CD02"]
        case .chipSize: return ["4444161", "4444162"]
        case .sdkVersion: return ["sample-sdk-1", "sample-sdk-2"]
        case .mode: return ["sketch", "fs"]
        case .currentVersion: return ["sample-version-1", "sample-version-2"]
        }
    }

    /// Fields whose header the device leaves out when the value is empty (the builders check).
    var emptyMeansAbsent: Bool {
        switch self {
        case .sketchMD5, .sketchSHA256, .currentVersion: return true
        default: return false
        }
    }

    /// Writes `value` where the request builders and the models read this field, on the
    /// ESP8266 and the ESP32 side alike (as `check`'s flags do). False when `value` is not one
    /// this field can hold.
    @discardableResult
    public func apply(_ value: String, to identity: inout DeviceIdentity) -> Bool {
        if isNumber {
            guard let number = Int(value), number >= 0, number <= Int(UInt32.max) else { return false }
            switch self {
            case .chipId: identity.chipID = UInt32(number)
            case .freeSpace: identity.freeSpaceOverride = number
            case .partitionSize: identity.esp32.partitionSize = number
            case .sketchSize:
                identity.sketchSize = number
                identity.esp32.sketchSize = number
            default:
                identity.flashChipSize = number
                identity.esp32.flashChipSize = number
            }
            return true
        }
        switch self {
        case .staMac:
            guard let mac = MACAddress(parsing: value) else { return false }
            identity.staMAC = mac
            identity.esp32.staMAC = mac
        case .apMac:
            guard let mac = MACAddress(parsing: value) else { return false }
            identity.apMAC = mac
            identity.esp32.apMAC = mac
        case .baseMac:
            guard let mac = MACAddress(parsing: value) else { return false }
            identity.esp32.baseMAC = mac
        case .sketchMD5:
            // An empty header is a device without a sketch MD5 (ESP8266 sends it empty).
            guard value.isEmpty || HexDigest(hex: value, byteCount: 16) != nil else { return false }
            let digest = value.isEmpty ? nil : HexDigest(hex: value, byteCount: 16)
            identity.sketchMD5 = digest
            identity.esp32.sketchMD5 = digest
        case .sketchSHA256:
            guard value.isEmpty || HexDigest(hex: value, byteCount: 32) != nil else { return false }
            identity.esp32.sketchSHA256 = value.isEmpty ? nil : HexDigest(hex: value, byteCount: 32)
        case .sdkVersion: identity.sdkVersion = value
        case .mode:
            guard let mode = DeviceIdentity.UpdateMode(rawValue: value) else { return false }
            identity.mode = mode
        case .currentVersion: identity.currentVersion = value
        default: return false
        }
        return true
    }

    public static func < (lhs: ReportedField, rhs: ReportedField) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
