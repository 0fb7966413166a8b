import ArgumentParser
import OTAProbeCore

/// check's and matrix's device options (`--profile` may be 'all').
typealias DeviceOptions = DeviceOptionsOf<OneOrAllProfiles>

/// The device's identity and the sketch's updater settings, as flags users copy from their
/// sketch or from the `x-ESP8266-*` / `x-ESP32-*` headers in their server log. Generic only in
/// the help of `--profile`, which differs by command (`ProfileFlagHelp`).
struct DeviceOptionsOf<ProfileFlag: ProfileFlagHelp>: ParsableArguments {
    @Option(name: .long, help: ProfileFlag.help)
    var profile: String = ProfileCatalog.defaultName

    @Option(help: ArgumentHelp("The version string the sketch passes to update() (x-ESP8266-version; none when empty). Tasmota: the running version (default 15.2.0); its image name is added.", valueName: "text"))
    var currentVersion: String = ""

    @Option(help: ArgumentHelp("sketch: update(); fs: updateFS() (x-ESP8266-mode: spiffs).", valueName: "sketch|fs"))
    var mode: String = "sketch"

    @Option(help: ArgumentHelp("setFollowRedirects(): disable (the default in every core), strict or force.", valueName: "mode"))
    var followRedirects: String = "disable"

    @Option(parsing: .unconditional, help: ArgumentHelp("Client timeout, 1-2147483647: Arduino setClientTimeout() / the updater's constructor (header idle, per-byte and peek waits; HTTPClient keeps it in a uint16_t, so 70000 runs as 4464), ESP-IDF esp_http_client_config_t.timeout_ms, ESPHome http_request timeout:. Default: the profile's: 8000 on ESP8266 Arduino, 8000 on arduino-esp32, 5000 on ESP-IDF, 4500 on ESPHome.", valueName: "ms"))
    var timeoutMs: String?

    @Option(help: ArgumentHelp("setMD5sum(): the expected MD5 of the image (3.1.2; overrides x-MD5).", valueName: "hex"))
    var expectedMD5: String?

    @Option(help: ArgumentHelp("Arduino Flash Size option: 512K32 ... 1M64 ... 4M1M, 4M2M, 4M3M ... 16M15M. Sets the chip size and filesystem start.", valueName: "layout"))
    var flashLayout: String = "4M2M"

    @Option(parsing: .unconditional, help: ArgumentHelp("Real flash chip size (getFlashChipRealSize) in bytes, or with K/M. Default: from the layout.", valueName: "size"))
    var flashSize: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("getSketchSize() of the running sketch (x-ESP8266-sketch-size / x-ESP32-sketch-size). Default: 400000 (ESP8266), 1050000 (ESP32).", valueName: "bytes"))
    var sketchSize: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Free sketch space (x-ESP8266-free-space); default derived from the layout and sketch size.", valueName: "bytes"))
    var freeSpace: String?

    @Option(help: ArgumentHelp("MD5 of the running sketch (x-ESP8266-sketch-md5 / x-ESP32-sketch-md5), any case; sent lower-case as ESP.getSketchMD5() prints it.", valueName: "hex"))
    var sketchMD5: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("ESP.getChipId() (x-ESP8266-Chip-ID, 2.7.4+). Default: 10451887.", valueName: "number"))
    var chipID: String?

    @Option(help: ArgumentHelp("Station MAC (x-ESP8266-STA-MAC / x-ESP32-STA-MAC): any case, with : or - or no separator; sent as the device writes it (AA:BB:CC:DD:EE:FF).", valueName: "AA:BB:CC:DD:EE:FF"))
    var staMAC: String?

    @Option(help: ArgumentHelp("Soft-AP MAC (x-ESP8266-AP-MAC / x-ESP32-AP-MAC), written like --sta-mac.", valueName: "AA:BB:CC:DD:EE:FF"))
    var apMAC: String?

    @Option(help: ArgumentHelp("ESP32: the chip the running firmware was built for; images must declare it (chip id at offset 12).", valueName: "esp32|esp32s2|esp32s3|esp32c2|esp32c3|esp32c6|esp32h2|esp32p4"))
    var chip: String = "esp32"

    @Option(parsing: .unconditional, help: ArgumentHelp("ESP32: chip revision, e.g. 3.0 or 0.2 (checked against the image's min/max revision).", valueName: "major.minor"))
    var chipRevision: String = "3.0"

    @Option(parsing: .unconditional, help: ArgumentHelp("ESP32: size of the next OTA partition (x-ESP32-free-space), bytes or with K/M. Default: 1280K (Arduino's default table).", valueName: "size"))
    var partitionSize: String?

    @Option(help: ArgumentHelp("ESP32: Network.macAddress() (x-ESP32-BASE-MAC, arduino-esp32 3.x).", valueName: "AA:BB:CC:DD:EE:FF"))
    var baseMAC: String?

    @Option(help: ArgumentHelp("ESP32: SHA-256 of the running app (x-ESP32-sketch-sha256), any case; sent upper-case as HTTPUpdate prints it.", valueName: "hex"))
    var sketchSHA256: String?

    @Flag(help: "ESP-IDF: partial_http_download = true: a HEAD, then Range requests of --range-size bytes, each on a new connection.")
    var partialDownload = false

    @Option(parsing: .unconditional, help: ArgumentHelp("ESP-IDF: max_http_request_size for partial download. Default: 65536.", valueName: "bytes"))
    var rangeSize: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("ESP-IDF 5.5: ota_resumption with ota_image_bytes_written = BYTES (needs --advanced-api, as on the device).", valueName: "bytes"))
    var resumeFrom: String?

    @Flag(help: "ESP-IDF: the app calls esp_https_ota_begin/get_img_desc/perform/finish itself (begin errors keep their real code).")
    var advancedAPI = false

    @Option(help: ArgumentHelp("system_get_sdk_version() (x-ESP8266-sdk-version). Default: the profile's.", valueName: "text"))
    var sdkVersion: String?

    @Option(help: ArgumentHelp("ESPhttpUpdate.setAuthorization(user, password) (3.0.2+); wins over user:pass@ in the URL.", valueName: "user:password"))
    var authorization: String?

    @Option(help: ArgumentHelp("ESPhttpUpdate.setAuthorization(base64) (3.0.2+), sent verbatim after 'Basic '.", valueName: "base64"))
    var authorizationBase64: String?

    @Flag(help: "Built with 'Mapping defined by Hardware and Sketch' (FLASH_MAP_SUPPORT): 3.1.2 skips the flash-size check.")
    var flashMapSupport = false

    @OptionGroup(title: "TLS (WiFiClientSecure)") var tls: TLSOptions

    mutating func validate() throws {
        guard DeviceIdentity.UpdateMode(rawValue: mode) != nil else { throw ValidationError("--mode must be 'sketch' or 'fs', not '\(mode)'") }
        guard RedirectMode(rawValue: followRedirects) != nil else { throw ValidationError("--follow-redirects must be disable, strict or force, not '\(followRedirects)'") }
        guard FlashLayout.named(flashLayout) != nil else {
            throw ValidationError("unknown --flash-layout '\(flashLayout)'; known: \(FlashLayout.known.map(\.name).joined(separator: ", "))")
        }
        for (flag, text) in numericFlags {
            guard let text else { continue }
            do { _ = try flag.parse(text) } catch { throw ValidationError(error.description) }
        }
        for (flag, mac) in [("--sta-mac", staMAC), ("--ap-mac", apMAC), ("--base-mac", baseMAC)] {
            if let mac, MACAddress(parsing: mac) == nil {
                throw ValidationError("\(flag) takes 6 hex bytes (AA:BB:CC:DD:EE:FF, aa-bb-cc-dd-ee-ff or aabbccddeeff), not '\(mac)'")
            }
        }
        if let sketchMD5, HexDigest(hex: sketchMD5, byteCount: 16) == nil { throw ValidationError("--sketch-md5 must be 32 hex digits") }
        if let sketchSHA256, HexDigest(hex: sketchSHA256, byteCount: 32) == nil { throw ValidationError("--sketch-sha256 must be 64 hex digits") }
        guard ESP32Chip.named(chip) != nil else {
            throw ValidationError("unknown --chip '\(chip)'; known: \(ESP32Chip.all.map(\.targetName).joined(separator: ", "))")
        }
        guard Self.parseRevision(chipRevision) != nil else { throw ValidationError("--chip-revision takes major.minor, e.g. 3.0 or 0.2, not '\(chipRevision)'") }
    }

    /// Every numeric flag with the text given for it (nil when left out).
    private var numericFlags: [(NumericFlag, String?)] {
        [(.timeoutMs, timeoutMs), (.sketchSize, sketchSize), (.freeSpace, freeSpace), (.chipID, chipID), (.flashSize, flashSize),
         (.partitionSize, partitionSize), (.rangeSize, rangeSize), (.resumeFrom, resumeFrom)]
    }

    func identity() -> DeviceIdentity {
        var identity = DeviceIdentity()
        identity.mode = DeviceIdentity.UpdateMode(rawValue: mode) ?? .sketch
        identity.currentVersion = currentVersion
        identity.layout = FlashLayout.named(flashLayout) ?? identity.layout
        identity.flashChipSize = NumericFlag.flashSize.value(flashSize)
        if let sketchSize = NumericFlag.sketchSize.value(sketchSize) {
            identity.sketchSize = sketchSize
            identity.esp32.sketchSize = sketchSize
        }
        identity.freeSpaceOverride = NumericFlag.freeSpace.value(freeSpace)
        // Parsed into bytes: each request builder writes them in its core's own case.
        if let md5 = sketchMD5.flatMap({ HexDigest(hex: $0, byteCount: 16) }) {
            identity.sketchMD5 = md5
            identity.esp32.sketchMD5 = md5
        }
        if let chipID = NumericFlag.chipID.value(chipID) { identity.chipID = UInt32(truncatingIfNeeded: chipID) }
        if let mac = staMAC.flatMap(MACAddress.init(parsing:)) {
            identity.staMAC = mac
            identity.esp32.staMAC = mac
        }
        if let mac = apMAC.flatMap(MACAddress.init(parsing:)) {
            identity.apMAC = mac
            identity.esp32.apMAC = mac
        }
        identity.esp32.chip = ESP32Chip.named(chip) ?? .esp32
        identity.esp32.revision = Self.parseRevision(chipRevision) ?? identity.esp32.revision
        if let size = NumericFlag.partitionSize.value(partitionSize) { identity.esp32.partitionSize = size }
        if let flash = NumericFlag.flashSize.value(flashSize) { identity.esp32.flashChipSize = flash }
        if let mac = baseMAC.flatMap(MACAddress.init(parsing:)) { identity.esp32.baseMAC = mac }
        if let sha = sketchSHA256.flatMap({ HexDigest(hex: $0, byteCount: 32) }) { identity.esp32.sketchSHA256 = sha }
        identity.sdkVersion = sdkVersion
        identity.flashMapSupport = flashMapSupport
        return identity
    }

    func settings(url: String, profile: DeviceProfile) throws -> UpdaterSettings {
        var settings = UpdaterSettings(url: url)
        settings.clientTimeoutMs = NumericFlag.timeoutMs.value(timeoutMs)
        settings.tls = try tls.clientSettings(for: profile, url: url)
        let redirect = RedirectMode(rawValue: followRedirects) ?? .disable
        let wantsAuthorization = authorization != nil || authorizationBase64 != nil
        switch profile {
        case .esp8266(let p):
            try checkArduino(p.name, redirects: p.redirects, setAuthorization: p.request.supportsSetAuthorization, setMD5: p.update.supportsSetMD5, api: "ESPhttpUpdate")
        case .esp32Arduino(let p):
            try checkArduino(p.name, redirects: p.redirects, setAuthorization: p.request.supportsSetAuthorization, setMD5: p.update.supportsSetMD5, api: "httpUpdate")
        case .espIDF(let p):
            if redirect != .disable { throw SettingRefusal("\(p.name) follows redirects itself (esp_https_ota has no setting for it); drop --follow-redirects") }
            if wantsAuthorization { throw SettingRefusal("--authorization is an Arduino setting; esp_https_ota sends no Authorization with the default config") }
            if expectedMD5 != nil { throw SettingRefusal("esp_https_ota checks no MD5; drop --expected-md5") }
            if resumeFrom != nil, !p.ota.supportsResumption { throw SettingRefusal("\(p.name) has no OTA resumption (it came in v5.5)") }
            if let chip = ESP32Chip.named(chip), !p.ota.chips.contains(chip.targetName) {
                throw SettingRefusal("\(p.name) cannot be built for \(chip.name) (it supports \(p.ota.chips.joined(separator: ", ")))")
            }
            settings.partialDownload = partialDownload
            settings.rangeSize = NumericFlag.rangeSize.value(rangeSize)
            settings.resumeFrom = NumericFlag.resumeFrom.value(resumeFrom)
            settings.advancedAPI = advancedAPI
            return settings
        case .esphome(let p):
            if redirect != .disable { throw SettingRefusal("\(p.name) follows redirects itself (http_request: follow_redirects is on by default, redirect_limit 3); drop --follow-redirects") }
            if authorizationBase64 != nil { throw SettingRefusal("ESPHome's http_request OTA takes username: and password: (--authorization user:password), not an encoded value") }
            if partialDownload || rangeSize != nil || resumeFrom != nil || advancedAPI {
                throw SettingRefusal("--partial-download, --range-size, --resume-from and --advanced-api are esp_https_ota settings; \(p.name) sends one plain GET")
            }
            if let authorization {
                guard let colon = authorization.firstIndex(of: ":") else { throw SettingRefusal("--authorization takes user:password") }
                settings.authorization = [.userPassword(user: String(authorization[..<colon]), password: String(authorization[authorization.index(after: colon)...]))]
            }
            // `md5:` of the action (ota/__init__.py:52-66); md5_url is set by `check --md5-url`.
            settings.expectedMD5 = expectedMD5
            return settings
        case .tasmota(let p):
            // Tasmota makes the call itself (support_tasmota.ino): a plain WiFiClient, the
            // core's defaults, no redirect, MD5, credential or timeout setting to change.
            if redirect != .disable {
                throw SettingRefusal(p.esp8266Core != nil
                    ? "\(p.name) never calls setFollowRedirects(): its core follows no redirect; point OtaUrl at the final URL and drop --follow-redirects"
                    : "\(p.name) always follows redirects the strict way (HTTPClientLight's default: same scheme, up to 10, not 308); drop --follow-redirects")
            }
            if wantsAuthorization {
                throw SettingRefusal("\(p.name) has no credential setting: put them in the OtaUrl (http://user:pass@host/…)")
            }
            if expectedMD5 != nil {
                throw SettingRefusal("\(p.name) passes no MD5 (its core has no setMD5sum()); the device checks the server's x-MD5 only")
            }
            if mode != "sketch" {
                throw SettingRefusal("\(p.name) always writes the application (update(), never updateFS()); drop --mode")
            }
            if settings.clientTimeoutMs != nil {
                throw SettingRefusal("\(p.name) never calls setClientTimeout(): its client's \(p.clientTimeoutMs) ms applies; drop --timeout-ms")
            }
        }
        if partialDownload || rangeSize != nil || resumeFrom != nil || advancedAPI {
            throw SettingRefusal("--partial-download, --range-size, --resume-from and --advanced-api are ESP-IDF settings; \(profile.name) never sends Range requests")
        }
        if let requested = settings.clientTimeoutMs, ClientTimeout.arduinoHTTPClient(requested) == 0 {
            throw SettingRefusal("--timeout-ms \(requested) wraps to 0 ms in HTTPClient's uint16_t _tcpTimeout (setTimeout(uint16_t)), so \(profile.name) would not wait at all; otaprobe does not model a zero timeout: use 1…65535, or a value that does not wrap to 0")
        }
        settings.redirectMode = redirect
        if let authorization {
            guard let colon = authorization.firstIndex(of: ":") else {
                throw SettingRefusal("--authorization takes user:password")
            }
            settings.authorization.append(.userPassword(user: String(authorization[..<colon]), password: String(authorization[authorization.index(after: colon)...])))
        }
        if let authorizationBase64 { settings.authorization.append(.encoded(authorizationBase64)) }
        settings.expectedMD5 = expectedMD5
        return settings
    }

    /// What an Arduino core's updater API has: redirect modes, setAuthorization, setMD5sum.
    private func checkArduino(_ name: String, redirects: ESP8266ArduinoProfile.RedirectRules, setAuthorization: Bool, setMD5: Bool, api: String) throws {
        let redirect = RedirectMode(rawValue: followRedirects) ?? .disable
        if redirect != .disable, !redirects.modes.contains(redirect.rawValue) {
            throw SettingRefusal(redirects.supported
                ? "\(name) has no '\(redirect.rawValue)' redirect mode (it has: \(redirects.modes.joined(separator: ", ")))"
                : "\(name) cannot follow redirects at all (HTTPClient has no redirect support)")
        }
        if authorization != nil || authorizationBase64 != nil, !setAuthorization {
            throw SettingRefusal("\(name) has no \(api).setAuthorization(); put the credentials in the URL (http://user:pass@host/…)")
        }
        if expectedMD5 != nil, !setMD5 {
            throw SettingRefusal("--expected-md5 is setMD5sum(), which \(name) does not have; serve x-MD5 instead")
        }
    }

    /// "3.1" → 301 (IDF's major × 100 + minor).
    static func parseRevision(_ text: String) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]), (0...99).contains(major), (0...99).contains(minor) else { return nil }
        return major * 100 + minor
    }

}
