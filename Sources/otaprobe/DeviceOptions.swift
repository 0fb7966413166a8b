import ArgumentParser
import OTAProbeCore

/// The device's identity and the sketch's updater settings, as flags users copy from their
/// sketch or from the `x-ESP8266-*` headers in their server log.
struct DeviceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Device profile: a name, an alias, a path to a profile file, or 'all' (check only: every profile at once).", valueName: "name|path|all"))
    var profile: String = ProfileCatalog.defaultName

    @Option(help: ArgumentHelp("The version string the sketch passes to update() (x-ESP8266-version; none when empty).", valueName: "text"))
    var currentVersion: String = ""

    @Option(help: ArgumentHelp("sketch: update(); fs: updateFS() (x-ESP8266-mode: spiffs).", valueName: "sketch|fs"))
    var mode: String = "sketch"

    @Option(help: ArgumentHelp("setFollowRedirects(): disable (the default in every core), strict or force.", valueName: "mode"))
    var followRedirects: String = "disable"

    @Option(help: ArgumentHelp("Client timeout (setClientTimeout / constructor): header idle, per-byte and peek waits. Default: the profile's (8000).", valueName: "ms"))
    var timeoutMs: Int?

    @Option(help: ArgumentHelp("setMD5sum(): the expected MD5 of the image (3.1.2; overrides x-MD5).", valueName: "hex"))
    var expectedMD5: String?

    @Option(help: ArgumentHelp("Arduino Flash Size option: 512K32 … 1M64 … 4M1M, 4M2M, 4M3M … 16M15M. Sets the chip size and filesystem start.", valueName: "layout"))
    var flashLayout: String = "4M2M"

    @Option(help: ArgumentHelp("Real flash chip size (getFlashChipRealSize) in bytes, or with K/M. Default: from the layout.", valueName: "size"))
    var flashSize: String?

    @Option(help: ArgumentHelp("getSketchSize() of the running sketch (x-ESP8266-sketch-size).", valueName: "bytes"))
    var sketchSize: Int = 400_000

    @Option(help: ArgumentHelp("Free sketch space (x-ESP8266-free-space); default derived from the layout and sketch size.", valueName: "bytes"))
    var freeSpace: Int?

    @Option(help: ArgumentHelp("MD5 of the running sketch (x-ESP8266-sketch-md5).", valueName: "hex"))
    var sketchMD5: String = "2f5d8a0a6a4c7e2bb0a3f1c4d9e8b7a6"

    @Option(help: ArgumentHelp("ESP.getChipId() (x-ESP8266-Chip-ID, 2.7.4+).", valueName: "number"))
    var chipID: UInt32 = 10_451_887

    @Option(help: ArgumentHelp("Station MAC (x-ESP8266-STA-MAC).", valueName: "AA:BB:CC:DD:EE:FF"))
    var staMAC: String = "5C:CF:7F:9F:7A:AF"

    @Option(help: ArgumentHelp("Soft-AP MAC (x-ESP8266-AP-MAC).", valueName: "AA:BB:CC:DD:EE:FF"))
    var apMAC: String = "5E:CF:7F:9F:7A:AF"

    @Option(help: ArgumentHelp("system_get_sdk_version() (x-ESP8266-sdk-version). Default: the profile's.", valueName: "text"))
    var sdkVersion: String?

    @Option(help: ArgumentHelp("ESPhttpUpdate.setAuthorization(user, password) (3.0.2+); wins over user:pass@ in the URL.", valueName: "user:password"))
    var authorization: String?

    @Option(help: ArgumentHelp("ESPhttpUpdate.setAuthorization(base64) (3.0.2+), sent verbatim after 'Basic '.", valueName: "base64"))
    var authorizationBase64: String?

    @Flag(help: "Built with 'Mapping defined by Hardware and Sketch' (FLASH_MAP_SUPPORT): 3.1.2 skips the flash-size check.")
    var flashMapSupport = false

    mutating func validate() throws {
        guard DeviceIdentity.UpdateMode(rawValue: mode) != nil else { throw ValidationError("--mode must be 'sketch' or 'fs', not '\(mode)'") }
        guard RedirectMode(rawValue: followRedirects) != nil else { throw ValidationError("--follow-redirects must be disable, strict or force, not '\(followRedirects)'") }
        if let timeoutMs, timeoutMs <= 0 { throw ValidationError("--timeout-ms must be a positive number of milliseconds") }
        guard FlashLayout.named(flashLayout) != nil else {
            throw ValidationError("unknown --flash-layout '\(flashLayout)'; known: \(FlashLayout.known.map(\.name).joined(separator: ", "))")
        }
        if let flashSize, Self.parseSize(flashSize) == nil { throw ValidationError("--flash-size takes bytes or a size such as 1M, 4M, 512K, not '\(flashSize)'") }
        if sketchSize <= 0 { throw ValidationError("--sketch-size must be positive") }
        if let freeSpace, freeSpace < 0 { throw ValidationError("--free-space must not be negative") }
        for (flag, mac) in [("--sta-mac", staMAC), ("--ap-mac", apMAC)] where !Self.isMAC(mac) {
            throw ValidationError("\(flag) must look like AA:BB:CC:DD:EE:FF, not '\(mac)'")
        }
        if !Self.isHex(sketchMD5, count: 32) { throw ValidationError("--sketch-md5 must be 32 hex digits") }
    }

    func identity() -> DeviceIdentity {
        var identity = DeviceIdentity()
        identity.mode = DeviceIdentity.UpdateMode(rawValue: mode) ?? .sketch
        identity.currentVersion = currentVersion
        identity.layout = FlashLayout.named(flashLayout) ?? identity.layout
        identity.flashChipSize = flashSize.flatMap(Self.parseSize)
        identity.sketchSize = sketchSize
        identity.freeSpaceOverride = freeSpace
        identity.sketchMD5 = sketchMD5
        identity.chipID = chipID
        identity.staMAC = staMAC
        identity.apMAC = apMAC
        identity.sdkVersion = sdkVersion
        identity.flashMapSupport = flashMapSupport
        return identity
    }

    func settings(url: String, profile: DeviceProfile) throws -> UpdaterSettings {
        var settings = UpdaterSettings(url: url)
        let redirect = RedirectMode(rawValue: followRedirects) ?? .disable
        if redirect != .disable, !profile.redirects.modes.contains(redirect.rawValue) {
            throw CLIEnvironment.usage(profile.redirects.supported
                ? "\(profile.name) has no '\(redirect.rawValue)' redirect mode (it has: \(profile.redirects.modes.joined(separator: ", ")))"
                : "\(profile.name) cannot follow redirects at all (HTTPClient has no redirect support)")
        }
        settings.redirectMode = redirect
        if authorization != nil || authorizationBase64 != nil {
            guard profile.request.supportsSetAuthorization else {
                throw CLIEnvironment.usage("\(profile.name) has no ESPhttpUpdate.setAuthorization(); put the credentials in the URL (http://user:pass@host/…)")
            }
        }
        if let authorization {
            guard let colon = authorization.firstIndex(of: ":") else {
                throw CLIEnvironment.usage("--authorization takes user:password")
            }
            settings.authorization.append(.userPassword(user: String(authorization[..<colon]), password: String(authorization[authorization.index(after: colon)...])))
        }
        if let authorizationBase64 { settings.authorization.append(.encoded(authorizationBase64)) }
        settings.clientTimeoutMs = timeoutMs
        if let expectedMD5 {
            guard profile.update.supportsSetMD5 else { throw CLIEnvironment.usage("--expected-md5 is setMD5sum(), which \(profile.name) does not have; serve x-MD5 instead") }
            settings.expectedMD5 = expectedMD5
        }
        return settings
    }

    static func parseSize(_ text: String) -> Int? {
        let upper = text.uppercased()
        let multiplier = upper.hasSuffix("M") ? 1 << 20 : upper.hasSuffix("K") ? 1024 : 1
        let digits = multiplier == 1 ? upper : String(upper.dropLast())
        guard let value = Int(digits), value > 0 else { return nil }
        return value * multiplier
    }

    static func isMAC(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts.allSatisfy { $0.count == 2 && isHex(String($0), count: 2) }
    }

    static func isHex(_ text: String, count: Int) -> Bool {
        text.count == count && text.allSatisfy(\.isHexDigit)
    }
}
