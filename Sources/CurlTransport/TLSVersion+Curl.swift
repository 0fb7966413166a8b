internal import CurlShim

/// The mapping from ``TLSSettings/Version`` to `CURLOPT_SSLVERSION` bits, kept apart from the
/// public type so the public file never mentions libcurl.
extension TLSSettings.Version {
    /// `CURL_SSLVERSION_TLSv1_x`: the minimum version bits.
    var curlMinimum: Int {
        switch self {
        case .tls1_0: return Int(CURL_SSLVERSION_TLSv1_0)
        case .tls1_1: return Int(CURL_SSLVERSION_TLSv1_1)
        case .tls1_2: return Int(CURL_SSLVERSION_TLSv1_2)
        case .tls1_3: return Int(CURL_SSLVERSION_TLSv1_3)
        }
    }

    /// `CURL_SSLVERSION_MAX_TLSv1_x`: the maximum version bits (already shifted left by 16).
    var curlMaximum: Int {
        switch self {
        case .tls1_0: return Int(CURL_SSLVERSION_MAX_TLSv1_0)
        case .tls1_1: return Int(CURL_SSLVERSION_MAX_TLSv1_1)
        case .tls1_2: return Int(CURL_SSLVERSION_MAX_TLSv1_2)
        case .tls1_3: return Int(CURL_SSLVERSION_MAX_TLSv1_3)
        }
    }
}
