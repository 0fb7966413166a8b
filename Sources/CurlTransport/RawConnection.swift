#if canImport(Glibc)
internal import Glibc
#endif

/// One TCP (optionally TLS) connection opened the way the device opens it, exposing only raw bytes.
///
/// Why raw: the device's HTTP parser is what the probe emulates, so libcurl's HTTP parser must never
/// see the response. libcurl does what a probe should not hand-write (IPv4-only resolution, connect
/// timeout, OpenSSL with version limits) via `CURLOPT_CONNECT_ONLY`; after that, bytes move only
/// through `curl_easy_send` / `curl_easy_recv` (which pass through TLS but nothing else), and waiting
/// is poll(2) on `CURLINFO_ACTIVESOCKET`.
///
/// Used from one thread at a time (a curl easy handle is not thread-safe), hence not Sendable.
public final class RawConnection {
    /// libcurl read cap per `curl_easy_recv` (`CURLOPT_BUFFERSIZE`); see ``CurlEasyHandle/setBufferSize(_:)``.
    /// 256 KiB lets a large caller buffer be filled in one call; curl allocates it once per handle.
    static let curlReceiveBufferSize = 256 * 1024

    /// nil once closed.
    private var handle: CurlEasyHandle?
    /// The connected socket, cached once: poll(2) needs it on every wait.
    private let socket: Int32

    /// "ip:port" of the peer (`CURLINFO_PRIMARY_IP` / `CURLINFO_PRIMARY_PORT`).
    public let remoteAddress: String
    /// Connect phase timings (`CURLINFO_NAMELOOKUP_TIME` / `CONNECT_TIME` / `APPCONNECT_TIME`).
    public let timings: ConnectTimings
    /// The negotiated TLS protocol as OpenSSL names it ("TLSv1.2", "TLSv1.3"), or nil for plain TCP
    /// or when curl cannot tell (e.g. a non-OpenSSL libcurl).
    public let tlsVersion: String?

    /// The hook that restricted the handshake, kept to watch incoming record sizes.
    private let recorder: TLSRecorder?

    private init(handle: CurlEasyHandle, socket: Int32, remoteAddress: String, timings: ConnectTimings, tlsVersion: String?, recorder: TLSRecorder?) {
        self.handle = handle
        self.recorder = recorder
        self.socket = socket
        self.tlsVersion = tlsVersion
        self.remoteAddress = remoteAddress
        self.timings = timings
    }

    deinit { close() }

    // MARK: - Opening

    /// Opens TCP (and TLS if `endpoint.tls != nil`) to the endpoint. IPv4 only
    /// (`CURLOPT_IPRESOLVE` V4) like the devices, no proxy, no signals.
    ///
    /// - Parameter connectTimeoutMilliseconds: bounds name lookup + TCP connect + TLS handshake
    ///   together (`CURLOPT_CONNECTTIMEOUT_MS`). Values below 1 are raised to 1, because curl reads
    ///   0 as "use the 300 s default", which is never what a caller asking for "no time" means.
    ///   - recorder: for TLS, restricts the ClientHello to the device's offer and records the
    ///     server's answer (read it after this returns or throws).
    public static func open(to endpoint: TransportEndpoint, connectTimeoutMilliseconds: Int,
                            recorder: TLSRecorder? = nil) throws(ConnectFailure) -> RawConnection {
        try validate(endpoint)
        let timeout = max(1, connectTimeoutMilliseconds)

        let handle: CurlEasyHandle
        do throws(CurlError) {
            handle = try CurlEasyHandle()
            try configure(handle, for: endpoint, connectTimeoutMilliseconds: timeout)
            if let recorder, endpoint.tls != nil { try handle.install(recorder) }
        } catch {
            throw .other(error)
        }

        do throws(CurlError) {
            try handle.perform()
        } catch {
            if let detail = recorder?.configurationError {
                throw .other(CurlError(code: error.code, name: error.name, message: "the device's TLS offer was refused by OpenSSL: \(detail)"))
            }
            throw ConnectFailure(error, endpoint: endpoint, connectTimeoutMilliseconds: timeout,
                                 attemptedIP: try? handle.primaryIP())
        }

        do throws(CurlError) {
            guard let socket = try handle.activeSocket() else {
                throw CurlError(code: -1, name: "CURLINFO_ACTIVESOCKET",
                                message: "libcurl reported no active socket after connecting")
            }
            let ip = try handle.primaryIP()
            let port = try handle.primaryPort()
            let isTLS = endpoint.tls != nil
            let timings = ConnectTimings(
                nameLookupMs: try handle.nameLookupTime() * 1000,
                connectMs: try handle.connectTime() * 1000,
                tlsMs: isTLS ? try handle.appConnectTime() * 1000 : nil
            )
            return RawConnection(handle: handle, socket: socket, remoteAddress: "\(ip):\(port)",
                                 timings: timings, tlsVersion: isTLS ? handle.tlsVersionAtConnect : nil,
                                 recorder: isTLS ? recorder : nil)
        } catch {
            throw .other(error)
        }
    }

    /// Rejects what cannot be put into a URL authority unchanged. A host with '/', '@', ':', spaces
    /// etc. would make curl parse a *different* URL; the device would simply fail to resolve it.
    private static func validate(_ endpoint: TransportEndpoint) throws(ConnectFailure) {
        let allowed = endpoint.host.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        if endpoint.host.isEmpty || !allowed {
            throw .nameResolution(host: endpoint.host,
                                  detail: "not a host name or IPv4 address that DNS could resolve")
        }
        if !(1...65535).contains(endpoint.port) {
            throw .other(CurlError(code: 3, name: CurlError.name(of: 3),
                                   message: "port \(endpoint.port) is outside 1...65535"))
        }
    }

    private static func configure(_ handle: CurlEasyHandle, for endpoint: TransportEndpoint,
                                  connectTimeoutMilliseconds: Int) throws(CurlError) {
        let scheme = endpoint.tls == nil ? "http" : "https"
        try handle.setURL("\(scheme)://\(endpoint.host):\(endpoint.port)/")
        try handle.setConnectOnly(true)
        try handle.setIPResolve(.v4)
        try handle.setConnectTimeout(milliseconds: connectTimeoutMilliseconds)
        try handle.setNoSignal(true)
        try handle.setProxy("")
        try handle.setBufferSize(curlReceiveBufferSize)
        if let tls = endpoint.tls {
            try handle.setSSLVerifyPeer(tls.verifyPeer)
            try handle.setSSLVerifyHost(tls.verifyHost)
            try handle.setSSLVersion(min: tls.minVersion, max: tls.maxVersion)
            if let caFile = tls.caFile { try handle.setCAInfo(caFile) }
            try handle.capturesTLSVersionBeforeRequest()
        }
    }

    // MARK: - Bytes

    /// Writes all bytes (looping over partial sends, polling for writability), or throws.
    ///
    /// - Parameter timeoutMilliseconds: budget for the whole write, counted from this call. It can
    ///   only expire while waiting for writability (the peer stopped reading and the buffers are
    ///   full); a send that is making progress is never cut short.
    public func sendAll(_ bytes: [UInt8], timeoutMilliseconds: Int) throws(TransportError) {
        guard let handle else { throw .sendFailed(detail: "the connection was already closed") }
        if bytes.isEmpty { return }
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        let failure: TransportError? = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                switch handle.send(buffer.baseAddress! + offset, count: buffer.count - offset) {
                case .transferred(let count):
                    offset += count
                case .failed(let error):
                    return .sendFailed(detail: error.message)
                case .wouldBlock:
                    switch SocketWait.wait(socket: socket, for: Int16(POLLOUT), until: deadline) {
                    case .ready: continue
                    case .deadlinePassed: return .sendTimedOut(afterMilliseconds: timeoutMilliseconds)
                    case .failed(let code): return .sendFailed(detail: "poll(2) failed: \(errnoText(code))")
                    }
                }
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// Waits until at least one byte is available, the peer closes, or `deadline` passes
    /// (nil = wait forever), and copies up to `buffer.count` bytes into `buffer`.
    ///
    /// Always tries `curl_easy_recv` first and polls only on `CURLE_AGAIN`, because with TLS,
    /// OpenSSL may already hold decrypted bytes while the socket itself is not readable. Data that is
    /// already available is returned even if the deadline has passed. No heap allocation on the
    /// data / would-block path. `buffer` must not be empty.
    public func receive(into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant?) -> ReceiveEvent {
        precondition(buffer.count > 0, "receive(into:) needs a non-empty buffer")
        guard let handle else { return .reset(detail: "the connection was already closed") }
        let base = buffer.baseAddress!
        while true {
            switch handle.receive(into: base, count: buffer.count) {
            case .transferred(let count):
                // OpenSSL returns one record per read: if the record just read was too long for
                // the device, the device's TLS engine failed on its header and never saw its bytes.
                if let length = recorder?.oversizedRecord { return .tlsRecordTooLarge(length: length) }
                return count == 0 ? .closed : .data(count)
            case .failed(let error):
                if let length = recorder?.oversizedRecord { return .tlsRecordTooLarge(length: length) }
                return .reset(detail: error.message)
            case .wouldBlock:
                switch SocketWait.wait(socket: socket, for: Int16(POLLIN), until: deadline) {
                case .ready: continue
                case .deadlinePassed: return .deadlineReached
                case .failed(let code): return .reset(detail: "poll(2) failed: \(errnoText(code))")
                }
            }
        }
    }

    /// Closes the connection (curl_easy_cleanup closes the socket; with TLS it first sends
    /// close_notify). Idempotent; also done in deinit.
    public func close() {
        handle = nil
    }
}

/// strerror text for an errno value.
private func errnoText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return "\(String(cString: text)) (errno \(code))"
}
