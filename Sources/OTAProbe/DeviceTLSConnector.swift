import CurlTransport
import OTAProbeCore
#if canImport(Glibc)
import Glibc
#endif

/// Opens an https connection the way the device's TLS client would: the ClientHello restricted
/// to the profile's capabilities and the sketch's settings, the server's answer recorded, and
/// the device's own decision replayed over it (`BearSSLClientModel`).
struct DeviceTLSConnector {
    let capabilities: TLSCapabilities
    let settings: TLSClientSettings

    struct Attempt {
        /// Open only when the device would have finished the handshake too.
        var connection: RawConnection?
        var outcome: TLSOutcome
        /// nil only when the settings could not make an offer at all.
        var advice: TLSAdvice?
        /// Set when the transport failed for a reason outside TLS (DNS, refused, timeout).
        var transportFailure: CurlTransport.ConnectFailure?
        /// TCP connected and the ClientHello went out (a timeout is then the handshake's).
        var handshakeStarted = false
    }

    func connect(host: String, port: Int, timeoutMs: Int) -> Attempt {
        var settings = self.settings
        if !settings.trustGiven, capabilities.assumedTrust == "bundle", case .insecure = settings.trust {
            settings.trust = Self.assumedBundle()
        }
        let now = Int64(time(nil))
        let deviceTime = settings.deviceTime ?? now
        let offer: TLSClientOffer
        do {
            offer = try TLSClientOffer(capabilities: capabilities, settings: settings, host: host)
        } catch {
            // The CLI validates these first; a library caller with impossible settings gets a
            // connect failure that says why instead of a trap.
            let failure = CurlTransport.ConnectFailure.other(CurlError(code: -1, name: "TLS settings", message: error.description))
            return Attempt(connection: nil, outcome: TLSOutcome(result: .established, decidedAt: "settings", reason: error.description),
                           advice: nil, transportFailure: failure)
        }
        let advice = TLSAdvice(capabilities: capabilities, offer: offer, settings: settings, host: host, deviceTime: deviceTime, now: now)
        if capabilities.stack == "mbedtls", case .none = settings.trust {
            // arduino-esp32: start_ssl_client() returns -1 before the handshake when no CA,
            // bundle, PSK or setInsecure() is set (spec A7: A3.2.0 ssl_client.cpp:70-72).
            let outcome = TLSOutcome(result: .refusedBeforeHandshake, decidedAt: "start_ssl_client",
                                     reason: "no CA certificate, bundle or setInsecure() is set, so the client refuses to start a handshake")
            return Attempt(connection: nil, outcome: outcome, advice: advice, transportFailure: nil)
        }
        let recorder = TLSRecorder(offer: Self.transportOffer(offer), minVersion: Self.version(offer.minVersion),
                                   maxVersion: Self.version(offer.maxVersion))
        let endpoint = TransportEndpoint(host: host, port: port,
                                         tls: TLSSettings(minVersion: Self.version(offer.minVersion), maxVersion: Self.version(offer.maxVersion)))
        var connection: RawConnection?
        var failure: CurlTransport.ConnectFailure?
        do {
            connection = try RawConnection.open(to: endpoint, connectTimeoutMilliseconds: timeoutMs, recorder: recorder)
        } catch {
            failure = error
        }
        let transcript = TLSTranscript(log: recorder.transcript, completed: connection != nil && recorder.handshakeCompleted)
        if let failure, transcript.received.isEmpty, !Self.isTLS(failure) {
            // DNS, refused, timeout: not a TLS matter; the HTTP model reports it as usual.
            return Attempt(connection: nil, outcome: TLSOutcome(result: .established, decidedAt: "connect", reason: failure.description),
                           advice: advice, transportFailure: failure, handshakeStarted: transcript.clientHello != nil)
        }
        var outcome: TLSOutcome
        if capabilities.stack == "mbedtls" {
            let model = MbedTLSClientModel(capabilities: capabilities, offer: offer, trust: settings.trust,
                                           verifiedName: settings.skipCommonNameCheck ? nil : host, deviceTime: deviceTime)
            outcome = model.judge(transcript)
        } else {
            outcome = BearSSLClientModel(capabilities: capabilities, offer: offer, trust: settings.trust, host: host, deviceTime: deviceTime)
                .judge(transcript)
        }
        if case .established = outcome.result, connection == nil {
            outcome.result = capabilities.stack == "mbedtls" ? .mbedTLSFailed(MbedTLSError(MbedTLSError.connectionEOF)) : .failed(BearSSLError(0))
            outcome.reason = "the probe's TLS client could not finish this handshake (\(failure?.description ?? "unknown")); the device's result is uncertain"
            outcome.notes.append("OpenSSL refused a step the device might accept; treat this prediction with care.")
        }
        if case .established = outcome.result {
            return Attempt(connection: connection, outcome: outcome, advice: advice, transportFailure: nil)
        }
        connection?.close()
        return Attempt(connection: nil, outcome: outcome, advice: advice, transportFailure: nil)
    }

    /// The bundle an ESP-IDF build attaches by default, stood in for by Debian's Mozilla roots;
    /// without that file the bundle is empty and every chain is untrusted (the name says so).
    static func assumedBundle() -> TLSTrustMode {
        let path = PEMFile.systemRoots
        let certificates = (try? TLSTrustMaterial.certificates(fromPEM: PEMFile.read(path), source: path)) ?? []
        return .bundle(name: "default (\(path), \(certificates.count) roots)", certificates: certificates)
    }

    private static func isTLS(_ failure: CurlTransport.ConnectFailure) -> Bool {
        if case .tlsHandshake = failure { return true }
        return false
    }

    static func version(_ text: String) -> TLSSettings.Version {
        switch text {
        case "1.0": return .tls1_0
        case "1.1": return .tls1_1
        case "1.3": return .tls1_3
        default: return .tls1_2
        }
    }

    /// The offer in OpenSSL's vocabulary.
    static func transportOffer(_ offer: TLSClientOffer) -> DeviceTLSOffer {
        let ciphers = offer.cipherSuites.compactMap(\.openSSLName).joined(separator: ":")
        let groupNames = [29: "X25519", 23: "P-256", 24: "P-384", 25: "P-521", 30: "X448", 22: "secp256k1",
                          26: "brainpoolP256r1", 27: "brainpoolP384r1", 28: "brainpoolP512r1"]
        let groups = offer.groups.compactMap { groupNames[$0] }.joined(separator: ":")
        let hashes: [Character: String] = ["1": "MD5", "2": "SHA1", "3": "SHA224", "4": "SHA256", "5": "SHA384", "6": "SHA512"]
        let named = ["0804": "rsa_pss_rsae_sha256", "0805": "rsa_pss_rsae_sha384", "0806": "rsa_pss_rsae_sha512",
                     "0807": "ed25519", "0808": "ed448", "0809": "rsa_pss_pss_sha256", "080A": "rsa_pss_pss_sha384", "080B": "rsa_pss_pss_sha512"]
        let sigalgs = offer.signatureAlgorithms.compactMap { id -> String? in
            let upper = id.uppercased()
            if let name = named[upper] { return name }
            guard upper.count == 4, let hash = hashes[upper[upper.index(upper.startIndex, offsetBy: 1)]] else { return nil }
            switch upper.last {
            case "1": return "RSA+" + hash
            case "3": return "ECDSA+" + hash
            default: return nil
            }
        }.joined(separator: ":")
        return DeviceTLSOffer(cipherList: ciphers + ":@SECLEVEL=0", groups: groups, signatureAlgorithms: sigalgs,
                              maxFragmentCode: offer.maxFragmentCode, serverName: offer.serverName, recordLimit: offer.recordLimit)
    }
}
