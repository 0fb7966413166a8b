internal import CurlShim

/// libcurl's process-wide initialisation, done exactly once.
///
/// Why: `curl_global_init` is not thread-safe and must run before any other curl call;
/// `curl_easy_init` would call it implicitly, but racily if two threads open connections at
/// the same time. A Swift global `let` is initialised lazily under `swift_once`, which gives us
/// "exactly once, thread-safely" without a lock of our own. We never call `curl_global_cleanup`:
/// it is equally thread-unsafe and the process exit releases everything anyway.
enum CurlGlobal {
    /// Call before creating any easy handle. Cheap after the first call.
    static func ensureInitialized() throws(CurlError) {
        let code = curlGlobalInitResult
        if code != 0 {
            throw CurlError(CURLcode(rawValue: UInt32(bitPattern: code)), detail: "curl_global_init failed")
        }
    }
}

/// The CURLcode of the one `curl_global_init(CURL_GLOBAL_ALL)` call (as Int32, which is Sendable).
private let curlGlobalInitResult: Int32 = Int32(bitPattern: curl_global_init(Int(CURL_GLOBAL_ALL)).rawValue)
