internal import CurlShim

/// Classification of a failed connect-only `curl_easy_perform` into a ``ConnectFailure``.
///
/// Why by CURLcode and not by message text: the codes are curl's stable API; the error-buffer text
/// is kept verbatim in `detail` for the human, never parsed.
extension ConnectFailure {
    /// - Parameters:
    ///   - error: what `curl_easy_perform` threw.
    ///   - endpoint: what we tried to reach (for the host name and a fallback address).
    ///   - connectTimeoutMilliseconds: the budget that a `CURLE_OPERATION_TIMEDOUT` exhausted.
    ///   - attemptedIP: `CURLINFO_PRIMARY_IP` after the failure, if curl got as far as an address.
    init(_ error: CurlError, endpoint: TransportEndpoint, connectTimeoutMilliseconds: Int, attemptedIP: String?) {
        let code = CURLcode(rawValue: UInt32(bitPattern: error.code))
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST:
            self = .nameResolution(host: endpoint.host, detail: error.message)
        case CURLE_COULDNT_CONNECT:
            let ip = (attemptedIP?.isEmpty == false) ? attemptedIP! : endpoint.host
            self = .refused(address: "\(ip):\(endpoint.port)", detail: error.message)
        case CURLE_OPERATION_TIMEDOUT:
            self = .timedOut(afterMilliseconds: connectTimeoutMilliseconds, detail: error.message)
        case CURLE_SSL_CONNECT_ERROR,          // handshake alert, protocol/version mismatch, reset mid-handshake
             CURLE_PEER_FAILED_VERIFICATION,   // chain or host name did not verify
             CURLE_SSL_CIPHER,                 // no common cipher
             CURLE_SSL_ISSUER_ERROR,           // CURLOPT_ISSUERCERT mismatch
             CURLE_SSL_PINNEDPUBKEYNOTMATCH,   // CURLOPT_PINNEDPUBLICKEY mismatch
             CURLE_SSL_INVALIDCERTSTATUS,      // OCSP stapling said no
             CURLE_SSL_CLIENTCERT,             // server wanted a client certificate
             CURLE_USE_SSL_FAILED:
            self = .tlsHandshake(detail: error.message)
        default:
            // Local problems (bad option, unreadable CAINFO, out of memory) and anything unexpected.
            self = .other(error)
        }
    }
}
