internal import CurlShim
internal import TLSHook
#if canImport(Glibc)
internal import Glibc
#endif

/// A typed facade over one libcurl easy handle (`CURL *`).
///
/// Why a facade: libcurl's option API is variadic and untyped (the wrong C type for an option is
/// undefined behaviour, not a compile error). Here every option gets exactly one Swift setter that
/// names the option it wraps and passes the C type that option documents, through the non-variadic
/// wrappers in `CurlShim`. Modelled on swift-corelibs-foundation's `URLSession/libcurl/EasyHandle.swift`,
/// except that every failing `CURLcode` becomes a thrown ``CurlError`` instead of a `try!` crash:
/// a probe must report "curl said no" rather than die.
///
/// Ownership: the class owns the `CURL *` and the `CURLOPT_ERRORBUFFER` memory, and releases both
/// in `deinit` (handle first, because curl may write the error buffer until cleanup). Not Sendable:
/// a curl easy handle must only be used from one thread at a time.
final class CurlEasyHandle {
    /// The `CURL *` (libcurl declares `typedef void CURL`).
    private let raw: UnsafeMutableRawPointer
    /// Storage for `CURLOPT_ERRORBUFFER`; curl writes the first failure's detailed text here.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() throws(CurlError) {
        try CurlGlobal.ensureInitialized()
        guard let raw = curl_easy_init() else {
            throw CurlError(CURLE_FAILED_INIT, detail: "curl_easy_init returned NULL")
        }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        do {
            try setErrorBuffer()
        } catch {
            curl_easy_cleanup(raw)
            errorBuffer.deallocate()
            throw error
        }
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }

    // MARK: - Errors

    /// The text curl wrote into the error buffer for the most recent failure ("" if none).
    ///
    /// Note: libcurl fills the buffer only once per transfer (the first `failf`), and resets it at
    /// the start of `curl_easy_perform`; after a connect-only perform, the first send/recv failure
    /// is the one recorded. That is the failure we report, so this is sufficient.
    var errorBufferText: String { String(cString: errorBuffer) }

    private func check(_ code: CURLcode) throws(CurlError) {
        if code != CURLE_OK { throw CurlError(code, detail: errorBufferText) }
    }

    // MARK: - Options (one setter per CURLOPT)

    /// `CURLOPT_ERRORBUFFER`: where curl writes a detailed message (host, port, errno text) on failure.
    private func setErrorBuffer() throws(CurlError) {
        try check(curlshim_setopt_pointer(raw, CURLOPT_ERRORBUFFER, errorBuffer))
    }

    /// `CURLOPT_URL`: only scheme, host and port matter for a connect-only handle.
    func setURL(_ url: String) throws(CurlError) {
        try check(curlshim_setopt_string(raw, CURLOPT_URL, url))
    }

    /// `CURLOPT_CONNECT_ONLY` (1): perform stops after TCP (+TLS) connect, so no HTTP is spoken by curl.
    func setConnectOnly(_ enabled: Bool) throws(CurlError) {
        try check(curlshim_setopt_long(raw, CURLOPT_CONNECT_ONLY, enabled ? 1 : 0))
    }

    /// Address families for `CURLOPT_IPRESOLVE`.
    enum IPResolve {
        case whatever, v4, v6
        fileprivate var curlValue: Int {
            switch self {
            case .whatever: return Int(CURL_IPRESOLVE_WHATEVER)
            case .v4: return Int(CURL_IPRESOLVE_V4)
            case .v6: return Int(CURL_IPRESOLVE_V6)
            }
        }
    }

    /// `CURLOPT_IPRESOLVE`: the ESP devices' lwIP stacks resolve and connect over IPv4 only.
    func setIPResolve(_ family: IPResolve) throws(CurlError) {
        try check(curlshim_setopt_long(raw, CURLOPT_IPRESOLVE, family.curlValue))
    }

    /// `CURLOPT_CONNECTTIMEOUT_MS`: bounds name lookup + TCP connect + TLS handshake together.
    func setConnectTimeout(milliseconds: Int) throws(CurlError) {
        try check(curlshim_setopt_long(raw, CURLOPT_CONNECTTIMEOUT_MS, milliseconds))
    }

    /// `CURLOPT_NOSIGNAL`: never use SIGALRM/signal tricks; required for multi-threaded callers.
    func setNoSignal(_ enabled: Bool) throws(CurlError) {
        try check(curlshim_setopt_long(raw, CURLOPT_NOSIGNAL, enabled ? 1 : 0))
    }

    /// `CURLOPT_PROXY`: "" disables proxies, including `http_proxy`/`https_proxy` from the environment.
    func setProxy(_ proxy: String) throws(CurlError) {
        try check(curlshim_setopt_string(raw, CURLOPT_PROXY, proxy))
    }

    /// `CURLOPT_SSL_VERIFYPEER`: check the certificate chain against the CA store.
    func setSSLVerifyPeer(_ enabled: Bool) throws(CurlError) {
        try check(curlshim_setopt_long(raw, CURLOPT_SSL_VERIFYPEER, enabled ? 1 : 0))
    }

    /// `CURLOPT_SSL_VERIFYHOST`: check the certificate names the host (curl's "on" value is 2).
    func setSSLVerifyHost(_ enabled: Bool) throws(CurlError) {
        try check(curlshim_setopt_long(raw, CURLOPT_SSL_VERIFYHOST, enabled ? 2 : 0))
    }

    /// `CURLOPT_SSLVERSION`: `CURL_SSLVERSION_TLSv1_x | CURL_SSLVERSION_MAX_TLSv1_y`.
    func setSSLVersion(min: TLSSettings.Version, max: TLSSettings.Version) throws(CurlError) {
        try check(curlshim_setopt_long(raw, CURLOPT_SSLVERSION, min.curlMinimum | max.curlMaximum))
    }

    /// `CURLOPT_CAINFO`: PEM bundle used when verifying the peer.
    func setCAInfo(_ path: String) throws(CurlError) {
        try check(curlshim_setopt_string(raw, CURLOPT_CAINFO, path))
    }

    /// `CURLOPT_BUFFERSIZE`: libcurl caps every `curl_easy_recv` at this many bytes (default 16 KiB),
    /// so a larger value lets one receive call fill a large caller buffer (fewer syscalls).
    func setBufferSize(_ bytes: Int) throws(CurlError) {
        try check(curlshim_setopt_long(raw, CURLOPT_BUFFERSIZE, bytes))
    }

    /// `CURLOPT_PREREQFUNCTION` + `CURLOPT_PREREQDATA`: run ``negotiatedTLSVersion()`` at the one
    /// moment it can answer for a connect-only handle, and keep the result in ``tlsVersionAtConnect``.
    ///
    /// Why: after a `CURLOPT_CONNECT_ONLY` perform, libcurl detaches the connection from the handle
    /// (until the first send/recv re-attaches it), so `CURLINFO_TLS_SSL_PTR` has no session then.
    /// The pre-request callback runs inside perform, after the handshake, while it is still attached.
    func capturesTLSVersionBeforeRequest() throws(CurlError) {
        let callback: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<CChar>?,
                                      UnsafeMutablePointer<CChar>?, Int32, Int32) -> Int32 = { context, _, _, _, _ in
            guard let context else { return Int32(CURL_PREREQFUNC_OK) }
            let handle = Unmanaged<CurlEasyHandle>.fromOpaque(context).takeUnretainedValue()
            handle.tlsVersionAtConnect = handle.negotiatedTLSVersion()
            return Int32(CURL_PREREQFUNC_OK)
        }
        // Unretained: the callback only runs inside `perform()` on this very object.
        try check(curlshim_setopt_pointer(raw, CURLOPT_PREREQDATA, Unmanaged.passUnretained(self).toOpaque()))
        try check(curlshim_setopt_pointer(raw, CURLOPT_PREREQFUNCTION, unsafeBitCast(callback, to: UnsafeMutableRawPointer.self)))
    }

    /// What the pre-request callback saw (see ``capturesTLSVersionBeforeRequest()``).
    private(set) var tlsVersionAtConnect: String?

    /// `CURLOPT_SSL_CTX_FUNCTION` with the recorder's hook, plus `CURLOPT_SSL_ENABLE_ALPN` off and
    /// `CURLOPT_SSL_SESSIONID_CACHE` off: the devices send no ALPN and (by default) never resume.
    func install(_ recorder: TLSRecorder) throws(CurlError) {
        try check(curlshim_setopt_long(raw, CURLOPT_SSL_ENABLE_ALPN, 0))
        try check(curlshim_setopt_long(raw, CURLOPT_SSL_SESSIONID_CACHE, 0))
        try check(otap_tls_hook_install(raw, recorder.hook))
    }

    /// `CURLOPT_VERBOSE`: curl's own trace on stderr; for debugging only.
    func setVerbose(_ enabled: Bool) throws(CurlError) {
        try check(curlshim_setopt_long(raw, CURLOPT_VERBOSE, enabled ? 1 : 0))
    }

    // MARK: - Actions

    /// `curl_easy_perform`: with `CURLOPT_CONNECT_ONLY` this resolves, connects and handshakes.
    func perform() throws(CurlError) {
        errorBuffer[0] = 0
        try check(curl_easy_perform(raw))
    }

    /// The outcome of one `curl_easy_send` / `curl_easy_recv` call.
    ///
    /// Why not `throws`: `.wouldBlock` is the normal case on a non-blocking socket and sits on the
    /// hot path of a 16 MiB stream, so it must cost nothing (no error existential, no strings).
    enum IOStep {
        /// `CURLE_OK` with this many bytes (0 from recv means orderly EOF).
        case transferred(Int)
        /// `CURLE_AGAIN`: the socket (or TLS layer) is not ready; poll and retry.
        case wouldBlock
        /// Any other CURLcode.
        case failed(CurlError)
    }

    /// `curl_easy_send`: writes up to `count` bytes without blocking.
    func send(_ bytes: UnsafeRawPointer, count: Int) -> IOStep {
        var sent = 0
        let code = curl_easy_send(raw, bytes, count, &sent)
        return step(code, count: sent)
    }

    /// `curl_easy_recv`: reads up to `count` bytes (further capped by `CURLOPT_BUFFERSIZE`) without blocking.
    func receive(into buffer: UnsafeMutableRawPointer, count: Int) -> IOStep {
        var received = 0
        let code = curl_easy_recv(raw, buffer, count, &received)
        return step(code, count: received)
    }

    @inline(__always)
    private func step(_ code: CURLcode, count: Int) -> IOStep {
        if code == CURLE_OK { return .transferred(count) }
        if code == CURLE_AGAIN { return .wouldBlock }
        return .failed(CurlError(code, detail: errorBufferText))
    }

    // MARK: - Info (one getter per CURLINFO)

    /// `CURLINFO_PRIMARY_IP`: the IP address of the most recent connection ("" before any attempt).
    func primaryIP() throws(CurlError) -> String {
        var value: UnsafePointer<CChar>? = nil
        try check(curlshim_getinfo_string(raw, CURLINFO_PRIMARY_IP, &value))
        return value.map { String(cString: $0) } ?? ""
    }

    /// `CURLINFO_PRIMARY_PORT`: the remote port of the most recent connection.
    func primaryPort() throws(CurlError) -> Int {
        var value = 0
        try check(curlshim_getinfo_long(raw, CURLINFO_PRIMARY_PORT, &value))
        return value
    }

    /// `CURLINFO_NAMELOOKUP_TIME`: seconds from start until name resolution finished.
    func nameLookupTime() throws(CurlError) -> Double {
        try doubleInfo(CURLINFO_NAMELOOKUP_TIME)
    }

    /// `CURLINFO_CONNECT_TIME`: seconds from start until the TCP connect finished.
    func connectTime() throws(CurlError) -> Double {
        try doubleInfo(CURLINFO_CONNECT_TIME)
    }

    /// `CURLINFO_APPCONNECT_TIME`: seconds from start until the TLS handshake finished (0 without TLS).
    func appConnectTime() throws(CurlError) -> Double {
        try doubleInfo(CURLINFO_APPCONNECT_TIME)
    }

    private func doubleInfo(_ info: CURLINFO) throws(CurlError) -> Double {
        var value = 0.0
        try check(curlshim_getinfo_double(raw, info, &value))
        return value
    }

    /// `CURLINFO_ACTIVESOCKET`: the connected socket of a connect-only handle, to poll(2) on.
    /// Returns nil when curl has no connection (`CURL_SOCKET_BAD`).
    func activeSocket() throws(CurlError) -> Int32? {
        var socket: curl_socket_t = CURL_SOCKET_BAD
        try check(curlshim_getinfo_socket(raw, CURLINFO_ACTIVESOCKET, &socket))
        return socket == CURL_SOCKET_BAD ? nil : socket
    }

    /// `CURLINFO_TLS_SSL_PTR`, read through OpenSSL's `SSL_get_version`: the negotiated protocol,
    /// e.g. "TLSv1.2". Nil when not TLS, not the OpenSSL backend, or curl exposes no session.
    ///
    /// Why `dlsym`: Package.swift links libcurl only, not libssl; libssl is already loaded into the
    /// process as libcurl's own dependency, so looking the one symbol up at run time avoids a
    /// second system-library target for a single read-only call.
    func negotiatedTLSVersion() -> String? {
        var pointer: UnsafeMutableRawPointer? = nil
        guard curlshim_getinfo_pointer(raw, CURLINFO_TLS_SSL_PTR, &pointer) == CURLE_OK,
              let info = pointer?.assumingMemoryBound(to: curl_tlssessioninfo.self).pointee,
              info.backend == CURLSSLBACKEND_OPENSSL,
              let ssl = info.internals,
              let symbol = dlsym(nil, "SSL_get_version")
        else { return nil }
        typealias SSLGetVersion = @convention(c) (UnsafeMutableRawPointer?) -> UnsafePointer<CChar>?
        let sslGetVersion = unsafeBitCast(symbol, to: SSLGetVersion.self)
        return sslGetVersion(ssl).map { String(cString: $0) }
    }
}
