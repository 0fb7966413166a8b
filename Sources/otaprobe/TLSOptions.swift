import ArgumentParser
import OTAProbe
import OTAProbeCore

/// The sketch's `WiFiClientSecure` settings, one flag per call, so a user copies them from their
/// code: `setInsecure()` → `--tls insecure`, `setFingerprint(fp)` → `--tls fingerprint=…`.
struct TLSOptions: ParsableArguments {
    @Option(name: .customLong("tls"), help: ArgumentHelp(
        "How the sketch trusts the server: insecure (setInsecure), fingerprint=AA:BB:… (setFingerprint, SHA-1 of the leaf), ca=FILE.pem (setTrustAnchors / setCACert), known-key=FILE.pem (setKnownKey), self-signed (allowSelfSignedCerts), none (nothing set: BearSSL rejects every server, arduino-esp32 and ESP-IDF refuse to start), bundle=default|FILE.pem (ESP32 certificate bundle; default = Debian's Mozilla roots). Default for https: insecure on Arduino cores, the bundle on ESP-IDF; the report says which.",
        valueName: "mode"))
    var trust: String?

    @Option(name: .customLong("tls-buffers"), parsing: .unconditional, help: ArgumentHelp("setBufferSizes(rx, tx). Default: the profile's (16384,512 on the ESP8266).", valueName: "RX,TX"))
    var buffers: String?

    @Option(name: .customLong("tls-versions"), help: ArgumentHelp("setSSLVersion(min, max), e.g. 1.2-1.2. Default: the profile's (1.0-1.2).", valueName: "MIN-MAX"))
    var versions: String?

    @Option(name: .customLong("tls-ciphers"), help: ArgumentHelp("setCiphersLessSecure() as less-secure, or setCiphers() as IANA ids (C02F,009C).", valueName: "less-secure|ids"))
    var ciphers: String?

    @Flag(name: .customLong("tls-skip-common-name"), help: "ESP-IDF: skip_cert_common_name_check = true (no SNI, no name check).")
    var skipCommonName = false

    @Option(name: .customLong("device-time"), parsing: .unconditional, help: ArgumentHelp("The device clock for certificate dates: now (a device that ran configTime), unsynced (never set: 1970), or Unix seconds (setX509Time). Default: now.", valueName: "now|unsynced|seconds"))
    var deviceTime: String?

    mutating func validate() throws {
        do {
            if let trust { _ = try TLSOptionSyntax.mode(trust) }
            if let buffers { _ = try TLSOptionSyntax.buffers(buffers) }
            if let versions { _ = try TLSOptionSyntax.versions(versions) }
            if let ciphers { _ = try TLSOptionSyntax.ciphers(ciphers) }
            if let deviceTime { _ = try TLSOptionSyntax.deviceTime(deviceTime) }
        } catch {
            throw ValidationError(error.description)
        }
    }

    var anyGiven: Bool { trust != nil || buffers != nil || versions != nil || ciphers != nil || deviceTime != nil || skipCommonName }

    /// The settings for `profile`; refuses what its TLS client has no call for.
    func clientSettings(for profile: DeviceProfile, url: String) throws -> TLSClientSettings {
        var settings = TLSClientSettings()
        if anyGiven, profile.family == .tasmota, profile.esp8266 != nil {
            throw SettingRefusal("\(profile.name) updates over a plain WiFiClient: an https:// OtaUrl is sent as plain HTTP to port 443, so there is no TLS to set; drop the --tls options")
        }
        if anyGiven, profile.tlsCapabilities?.configurable == false {
            throw SettingRefusal("\(profile.name) sets up its TLS client itself (any server key accepted, fixed versions and suites); no setting reaches it, so drop the --tls options")
        }
        guard let capabilities = profile.tlsCapabilities else {
            if anyGiven { throw SettingRefusal("\(profile.name) has no TLS description; --tls options need a profile with a \"tls\" section") }
            return settings
        }
        if anyGiven, !url.lowercased().hasPrefix("https://") {
            throw SettingRefusal("--tls options describe WiFiClientSecure; \(url) is plain http")
        }
        do {
            let mbedTLS = capabilities.stack == "mbedtls"
            if let trust {
                settings.trustGiven = true
                let mode = try TLSOptionSyntax.mode(trust)
                if mbedTLS {
                    switch mode {
                    case .fingerprint, .knownKeyFile, .selfSigned:
                        throw SettingRefusal("\(profile.name) uses mbedTLS, which has no setFingerprint / setKnownKey / allowSelfSignedCerts for an update: use ca=FILE.pem (setCACert / cert_pem), bundle=…, insecure or none")
                    default: break
                    }
                }
                switch mode {
                case .insecure: settings.trust = .insecure
                case .selfSigned: settings.trust = .selfSigned
                case .none: settings.trust = .none
                case .fingerprint(let bytes): settings.trust = .fingerprint(bytes)
                case .caFile(let path): settings.trust = .certificateAuthorities(try TLSTrustMaterial.certificates(fromPEM: try Self.read(path), source: path))
                case .knownKeyFile(let path): settings.trust = .knownKey(try TLSTrustMaterial.publicKey(fromPEM: try Self.read(path), source: path))
                case .bundle(let name):
                    guard capabilities.stack == "mbedtls" else {
                        throw SettingRefusal("--tls bundle= is the ESP-IDF certificate bundle; \(profile.name) has no bundle (use ca=FILE.pem)")
                    }
                    // The IDF bundle is Mozilla's root list; Debian's ca-certificates is the same
                    // list, so it stands in for "default". Any other value is a PEM file of roots.
                    let path = name == "default" ? PEMFile.systemRoots : name
                    settings.trust = .bundle(name: name == "default" ? "default (\(path))" : name,
                                             certificates: try TLSTrustMaterial.certificates(fromPEM: try Self.read(path), source: path))
                }
            }
            if let buffers {
                guard capabilities.buffers.requestsMaxFragmentLength else {
                    throw SettingRefusal("--tls-buffers is BearSSL's setBufferSizes(); \(profile.name) has no such call")
                }
                (settings.receiveBuffer, settings.sendBuffer) = try TLSOptionSyntax.buffers(buffers)
            }
            if let versions {
                let (low, high) = try TLSOptionSyntax.versions(versions)
                settings.minVersion = low
                settings.maxVersion = high
            }
            if let ciphers {
                if let ids = try TLSOptionSyntax.ciphers(ciphers) {
                    settings.cipherSuites = ids
                } else {
                    guard !capabilities.lessSecureCipherSuites.isEmpty else {
                        throw SettingRefusal("\(profile.name) has no setCiphersLessSecure()")
                    }
                    settings.lessSecureCiphers = true
                }
            }
            if let deviceTime { settings.deviceTime = try TLSOptionSyntax.deviceTime(deviceTime) }
            if skipCommonName {
                guard profile.family == .espIDF else {
                    throw SettingRefusal("--tls-skip-common-name is ESP-IDF's skip_cert_common_name_check; \(profile.name) always checks the name")
                }
                settings.skipCommonNameCheck = true
            }
            _ = try TLSClientOffer(capabilities: capabilities, settings: settings, host: "example.invalid")
        } catch let error as TLSTrustMaterial.Unreadable {
            throw SettingRefusal(error.description)
        } catch let error as TLSClientOffer.Problem {
            throw SettingRefusal("\(profile.name): \(error.description)")
        }
        return settings
    }

    private static func read(_ path: String) throws -> String {
        do { return try PEMFile.read(path) } catch { throw SettingRefusal(error.description) }
    }
}
