/// Turns a device TLS outcome into the report's `TLSFinding`: the device's numbers, the chain,
/// and what to change — in the sketch or on the server.
public struct TLSAdvice: Sendable {
    public var capabilities: TLSCapabilities
    public var offer: TLSClientOffer
    public var settings: TLSClientSettings
    public var host: String
    public var deviceTime: Int64
    /// The time the probe ran (to tell a device clock apart from a server problem).
    public var now: Int64

    public init(capabilities: TLSCapabilities, offer: TLSClientOffer, settings: TLSClientSettings, host: String, deviceTime: Int64, now: Int64) {
        self.capabilities = capabilities
        self.offer = offer
        self.settings = settings
        self.host = host
        self.deviceTime = deviceTime
        self.now = now
    }

    public func finding(for outcome: TLSOutcome, oversizedRecord: Int? = nil) -> TLSFinding {
        let resultName: String
        switch outcome.result {
        case .established: resultName = oversizedRecord == nil ? "established" : "failed"
        case .failed, .mbedTLSFailed, .refusedBeforeHandshake: resultName = "failed"
        case .crash: resultName = "crash"
        }
        var finding = TLSFinding(result: resultName, trust: settings.trust.flagValue, trustAssumed: !settings.trustGiven,
                                 sketchCall: settings.trust.sketchCall, decidedAt: oversizedRecord == nil ? outcome.decidedAt : "application data",
                                 reason: outcome.reason, receiveBuffer: offer.receiveBuffer, sendBuffer: offer.sendBuffer,
                                 deviceTime: UnixTime.date(deviceTime) + (settings.deviceTime == nil ? " (assumed synced: the probe's clock)" : ""))
        if capabilities.stack == "mbedtls" {
            finding.errorCall = capabilities.assumedTrust == "bundle" ? "esp_http_client_get_and_clear_last_tls_error()" : "client.lastError()"
        }
        if capabilities.configurable == false {
            // Tasmota's HTTPClientLight: the firmware sets the client up, nothing was assumed.
            finding.trustAssumed = false
            finding.sketchCall = "setPubKeyFingerprint(any, any, true), set by the firmware: any server key is accepted"
        }
        if capabilities.connectErrors != nil { finding.errorCall = "WiFiClientSecure_light::getLastError()" }
        var error: BearSSLError?
        if case .failed(let engine) = outcome.result { error = engine }
        if let oversizedRecord {
            error = BearSSLError(6)
            finding.oversizedRecord = oversizedRecord
            finding.reason = "after the handshake the server sent a \(oversizedRecord)-byte record; the device's receive buffer takes \(offer.recordLimit), so its TLS engine fails mid-download"
        }
        if let error {
            finding.engineError = error.engine
            finding.deviceError = error.deviceNumber(masksAlertBits: capabilities.lastErrorMasksAlertBits)
            finding.deviceErrorName = error.name
            // A client that hands the number to GET() as a code has no text for it.
            finding.deviceErrorText = capabilities.connectErrors == nil ? error.deviceText(masksAlertBits: capabilities.lastErrorMasksAlertBits) : nil
        }
        if case .mbedTLSFailed(let mbed) = outcome.result {
            finding.engineError = mbed.code
            finding.deviceError = mbed.code
            finding.deviceErrorName = mbed.name
            finding.deviceErrorText = mbed.text
            finding.verification = mbed.verifyFlags.map { "  ! " + $0.text }
        }
        finding.version = TLSOutcome.versionName(outcome.version)
        finding.suite = outcome.suite?.name
        finding.serverName = offer.serverName
        finding.maxFragmentLength = offer.maxFragmentLength
        finding.maxFragmentLengthEchoed = outcome.maxFragmentLengthEchoed
        finding.chain = outcome.chain.map(TLSFinding.Certificate.init)
        finding.leafFingerprint = outcome.chain.first.map { TLSFingerprint.format($0.sha1) }
        finding.notes = outcome.notes
        if let note = capabilities.note { finding.notes.append(note) }
        if !settings.trustGiven, capabilities.configurable != false {
            let choices = capabilities.stack == "mbedtls" ? "ca=FILE, bundle=FILE, insecure or none" : "fingerprint=…, ca=FILE, known-key=FILE, self-signed or none"
            finding.notes.insert("No --tls given: assumed \(settings.trust.sketchCall), as most \(capabilities.stack == "mbedtls" && capabilities.assumedTrust == "bundle" ? "ESP-IDF OTA examples" : "OTA sketches") do. Pass --tls \(choices) to check your setting.", at: 0)
        }
        if !offer.suitesNotEmulated.isEmpty, outcome.serverAlert == 40 || outcome.serverAlert == 71 {
            finding.notes.append("OpenSSL cannot offer \(offer.suitesNotEmulated.count) of the device's suites (static ECDH); a server that accepts only those is not reproduced.")
        }
        if case .refusedBeforeHandshake = outcome.result {
            finding.fix = ["Give the client a way to trust the server before the update: client.setCACert(rootPem), setCACertBundle(bundle) or setInsecure()."]
        } else if case .mbedTLSFailed(let mbed) = outcome.result {
            finding.fix = mbedTLSFixes(outcome: outcome, error: mbed)
        } else {
            finding.fix = fixes(outcome: outcome, error: error, oversized: oversizedRecord)
        }
        return finding
    }

    static let groupNames = [29: "x25519", 23: "P-256", 24: "P-384", 25: "P-521"]

    private func fixes(outcome: TLSOutcome, error: BearSSLError?, oversized: Int?) -> [String] {
        if case .crash = outcome.result {
            return ["Serve a certificate with an RSA key of at most \(capabilities.maxRSABits) bits (2048 is usual) or an ECDSA P-256 key.",
                    "Until then every update attempt reboots the device."]
        }
        if oversized != nil {
            return ["Call client.setBufferSizes(16384, 512) (the default) — this server ignores the max_fragment_length request and sends records up to 16 KiB.",
                    "Or serve from a TLS stack that honours max_fragment_length (OpenSSL-based servers such as nginx do); check it with WiFiClientSecure::probeMaxFragmentLength()."]
        }
        guard let error else { return [] }
        let leaf = outcome.chain.first
        if let alert = error.alert, error.isReceivedAlert {
            switch alert {
            case 70:
                return ["The server offers only TLS versions the device lacks (BearSSL stops at TLS \(capabilities.versions.last ?? "1.2")): enable TLS 1.2 on the server (nginx: ssl_protocols TLSv1.2 TLSv1.3;)."]
            case 40 where offer.cipherSuites.count <= 4, 71 where offer.cipherSuites.count <= 4:
                // A client with a short fixed offer (Tasmota's BearSSL light): name it whole.
                let groups = offer.groups.map { Self.groupNames[$0] ?? "group \($0)" }.joined(separator: ", ")
                return ["The server found nothing in common with the device's offer: TLS \(offer.minVersion == offer.maxVersion ? offer.minVersion : offer.minVersion + "–" + offer.maxVersion) only, \(offer.cipherSuites.map(\.name).joined(separator: " or ")), ECDHE on \(groups) only.",
                        "Enable one of those suites and the \(groups) group on the server (nginx: ssl_protocols TLSv1.2 TLSv1.3; ssl_ecdh_curve X25519:prime256v1;)."]
            case 40, 71:
                return ["The server found nothing in common with the device's offer: \(offer.cipherSuites.count) TLS \(offer.minVersion)–\(offer.maxVersion) suites (ECDHE/RSA with AES-GCM, AES-CBC, ChaCha20), curves x25519/P-256/P-384/P-521, RSA PKCS#1 or ECDSA signatures.",
                        "Enable ECDHE-RSA-AES128-GCM-SHA256 (or ECDHE-ECDSA-…) on the server, a P-256 or x25519 group, and an RSA or ECDSA P-256 certificate; Ed25519, RSA-PSS-only keys, DHE-only, ARIA/Camellia-only and X448-only setups are out of the device's reach."]
            default:
                return ["The server refused the handshake with \(TLSAlert.name(alert)); check the server's TLS log for the reason."]
            }
        }
        switch error.engine {
        case 0:
            return ["The server closed the connection during the handshake; check its TLS log (a proxy or SNI rule may reject the device's ClientHello)."]
        case 3:
            return ["Let the device and server meet on a common version: the device allows TLS \(offer.minVersion)–\(offer.maxVersion) (setSSLVersion); the server chose \(TLSOutcome.versionName(outcome.version) ?? "another")."]
        case 6:
            return ["Call client.setBufferSizes(16384, 512) — this server ignores the max_fragment_length request."]
        case 16, 26, 28:
            return ["The server chose something the device cannot use (\(outcome.reason)); offer ECDHE-RSA/ECDSA AES-GCM suites with an RSA (≤ \(capabilities.maxRSABits) bits) or P-256 key."]
        case 23, 50:
            return ["Use an RSA key of at most \(capabilities.maxRSABits) bits (2048 is usual) or an ECDSA P-256 key, for the server and every CA in the chain it sends."]
        case 27 where settings.trust.isKnownKey:
            return ["The pinned key is not the server's: export the server's current public key (openssl x509 -pubkey -noout -in cert.pem) for setKnownKey."]
        case 54:
            if deviceTime < 86400 * 365 * 10 {
                return ["Call configTime(0, 0, \"pool.ntp.org\") and wait for time(nullptr) to pass a recent date before the update: without it the device clock is near 1970 and every certificate looks not yet valid.",
                        "Or give the time directly with client.setX509Time(...)."]
            }
            if let leaf, now > leaf.notAfter {
                return ["The server's certificate expired on \(UnixTime.date(leaf.notAfter)): renew it (certbot renew)."]
            }
            return ["A certificate in the chain is not valid at the device's time (\(UnixTime.date(deviceTime))); check the chain dates below and the device clock."]
        case 56:
            if TLSClientOffer.isIPv4Literal(host) {
                return ["Your URL is an IP address: BearSSL matches DNS names only, never IP SANs. Use a host name the certificate names (and DNS or /etc/hosts for it), or pin with setFingerprint / setKnownKey, which skip the name check."]
            }
            return ["Use the host name the certificate was issued for (\((leaf?.dnsNames ?? leaf?.commonNames ?? []).joined(separator: ", "))), or reissue the certificate for \(host)."]
        case 55:
            return ["Make the server send the chain in order: leaf, then each intermediate (nginx: ssl_certificate must be the fullchain file)."]
        case 62:
            return trustFix(outcome)
        case 49:
            return ["Use an RSA (PKCS#1) or ECDSA P-256/P-384/P-521 certificate signed with RSA or ECDSA; BearSSL has no Ed25519 or RSA-PSS."]
        default:
            return ["The device's TLS client stopped with \(error.name); see the reason above."]
        }
    }

    private func mbedTLSFixes(outcome: TLSOutcome, error: MbedTLSError) -> [String] {
        let leaf = outcome.chain.first
        switch error.code {
        case MbedTLSError.fatalAlert:
            if outcome.serverAlert == 70 { return ["The server offers only TLS versions the device lacks (it speaks TLS \(offer.minVersion)–\(offer.maxVersion)): enable TLS 1.2 on the server."] }
            return ["The server refused the device's offer (\(outcome.serverAlert.map { TLSAlert.name(Int($0)) } ?? "alert")): enable ECDHE-RSA/ECDSA AES-GCM suites, a P-256 or x25519 group and an RSA or ECDSA certificate on the server."]
        case MbedTLSError.badProtocolVersion:
            return ["The server chose \(TLSOutcome.versionName(outcome.version) ?? "a version") outside the device's TLS \(offer.minVersion)–\(offer.maxVersion): enable TLS 1.2 on the server."]
        case MbedTLSError.certificateVerifyFailed:
            var fixes: [String] = []
            for flag in error.verifyFlags {
                switch flag {
                case .expired:
                    if deviceTime < 86400 * 365 * 10 {
                        fixes.append("The device clock is near 1970: sync it (SNTP, configTime) before the update.")
                    } else {
                        fixes.append("A certificate on the path has expired\(leaf.map { " (the leaf's notAfter is \(UnixTime.date($0.notAfter)))" } ?? ""): renew it.")
                    }
                case .future: fixes.append("A certificate is not valid yet at the device's time (\(UnixTime.date(deviceTime))): sync the device clock, or check the server's certificate dates.")
                case .cnMismatch:
                    fixes.append(TLSClientOffer.isIPv4Literal(host) && !capabilities.matchesIPAddressNames
                        ? "The URL is an IP address and this mbedTLS matches DNS names only: use a host name the certificate names, or set common_name / skip_cert_common_name_check."
                        : "Use the host name the certificate names (\((leaf?.dnsNames ?? leaf?.commonNames ?? []).joined(separator: ", "))), or reissue the certificate for \(host).")
                case .notTrusted:
                    switch settings.trust {
                    case .bundle: fixes.append("No root of the certificate bundle signs the chain the server sends (\(outcome.chain.last?.issuerText ?? "?")): use a public CA, or pass its root with cert_pem / setCACert.")
                    default: fixes.append("The given CA does not sign this chain (it ends at \(outcome.chain.last?.issuerText ?? "?")): pass the server's root CA to setCACert / cert_pem, and make the server send its intermediates.")
                    }
                case .badMD: fixes.append("A certificate is signed with SHA-1, which mbedTLS's default profile refuses: reissue it with SHA-256.")
                case .badKey: fixes.append("An RSA key on the path is shorter than 2048 bits: reissue with 2048 bits or more.")
                case .badPK: fixes.append("A certificate is signed with an algorithm the profile refuses.")
                }
            }
            return fixes
        case MbedTLSError.connectionEOF:
            return ["The server closed the connection during the handshake; check its TLS log."]
        default:
            return ["The device's TLS client stopped with \(error.name) (\(error.hex)); see the reason above."]
        }
    }

    private func trustFix(_ outcome: TLSOutcome) -> [String] {
        let leaf = outcome.chain.first
        switch settings.trust {
        case .fingerprint:
            var fixes = ["The server's certificate changed: its SHA-1 fingerprint is now \(leaf.map { TLSFingerprint.format($0.sha1) } ?? "?") — put that in setFingerprint."]
            if let leaf { fixes.append("A pinned leaf breaks at every renewal (this one expires on \(UnixTime.date(leaf.notAfter))); pin the root with setTrustAnchors instead.") }
            return fixes
        case .selfSigned:
            return ["allowSelfSignedCerts only accepts a certificate issued by itself; for a CA-issued certificate use setTrustAnchors with the CA, or setFingerprint."]
        case .none:
            return ["The sketch sets no trust method, so BearSSL rejects every server: add client.setTrustAnchors(&cert) with the server's root CA, setFingerprint(fp) or setInsecure()."]
        case .certificateAuthorities:
            let root = outcome.chain.last?.issuerText ?? "the server's CA"
            return ["The given certificates do not cover this server's chain (it ends at \(root)): pin that root, not the leaf — the root changes rarely.",
                    "If the server omits its intermediate, fix the server to send the full chain, or add the intermediate as a trust anchor."]
        default:
            return ["The chain could not be linked to a trust anchor."]
        }
    }
}

extension TLSTrustMode {
    var isKnownKey: Bool { if case .knownKey = self { return true } else { return false } }
}
