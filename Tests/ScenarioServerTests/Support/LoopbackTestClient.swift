import Glibc

/// How a test client's read ended.
enum StreamEnding: Equatable {
    /// recv returned 0: the server closed orderly (FIN).
    case endOfStream
    /// recv failed with ECONNRESET: the server reset the connection (RST).
    case reset
    /// Nothing more arrived before the test's deadline.
    case timedOut
    case failed(errno: Int32)
}

/// What a test client received before the stream ended.
struct ReceivedResponse {
    var bytes: [UInt8]
    var ending: StreamEnding
    var elapsedMilliseconds: Int

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The bytes up to and including the first blank line (CRLF CRLF), as text; all if none.
    var head: String {
        let marker = Array("\r\n\r\n".utf8)
        guard bytes.count >= 4 else { return text }
        for start in 0...(bytes.count - 4) where Array(bytes[start..<(start + 4)]) == marker {
            return String(decoding: bytes[0..<(start + 4)], as: UTF8.self)
        }
        return text
    }
}

/// A deliberately plain blocking-socket HTTP client, independent of the server's own socket code,
/// so the tests check the bytes on the wire rather than the server's view of them. Every read has
/// a deadline, so no test can hang.
struct LoopbackTestClient {
    let descriptor: Int32

    /// Connects to 127.0.0.1:`port`; returns nil and the errno if the connection fails.
    static func connect(port: UInt16) -> (client: LoopbackTestClient?, errno: Int32) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        precondition(descriptor >= 0, "socket() failed")
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            let failure = errno
            Glibc.close(descriptor)
            return (nil, failure)
        }
        var sendTimeout = timeval(tv_sec: 10, tv_usec: 0)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &sendTimeout, socklen_t(MemoryLayout<timeval>.size))
        return (LoopbackTestClient(descriptor: descriptor), 0)
    }

    func send(_ text: String) {
        send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// Reads until the server closes or resets, or `timeoutMilliseconds` pass.
    func readToEnd(timeoutMilliseconds: Int = 10_000) -> ReceivedResponse {
        let started = Self.nowMilliseconds()
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let elapsed = Self.nowMilliseconds() - started
            let remaining = timeoutMilliseconds - elapsed
            guard remaining > 0 else { return ReceivedResponse(bytes: received, ending: .timedOut, elapsedMilliseconds: elapsed) }
            var watched = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&watched, 1, Int32(remaining))
            if ready == 0 { continue }
            if ready < 0 && errno == EINTR { continue }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            let now = Self.nowMilliseconds() - started
            if count > 0 {
                received += buffer[0..<count]
            } else if count == 0 {
                return ReceivedResponse(bytes: received, ending: .endOfStream, elapsedMilliseconds: now)
            } else if errno == ECONNRESET {
                return ReceivedResponse(bytes: received, ending: .reset, elapsedMilliseconds: now)
            } else if errno != EINTR && errno != EAGAIN {
                return ReceivedResponse(bytes: received, ending: .failed(errno: errno), elapsedMilliseconds: now)
            }
        }
    }

    func close() {
        Glibc.close(descriptor)
    }

    /// One request, the whole answer: connect, send, read to the end, close.
    static func exchange(port: UInt16, request: String, timeoutMilliseconds: Int = 10_000) -> ReceivedResponse {
        let (client, failure) = connect(port: port)
        guard let client else { return ReceivedResponse(bytes: [], ending: .failed(errno: failure), elapsedMilliseconds: 0) }
        defer { client.close() }
        client.send(request)
        return client.readToEnd(timeoutMilliseconds: timeoutMilliseconds)
    }

    /// A GET for `path` the way the ESP8266 updater (3.1.2) words it.
    static func deviceRequest(path: String, port: UInt16) -> String {
        "GET \(path) HTTP/1.0\r\n"
            + "Host: 127.0.0.1:\(port)\r\n"
            + "User-Agent: ESP8266-http-Update\r\n"
            + "Connection: close\r\n"
            + "x-ESP8266-Chip-ID: 10446185\r\n"
            + "x-ESP8266-STA-MAC: 5C:CF:7F:9F:65:69\r\n"
            + "x-ESP8266-AP-MAC: 5E:CF:7F:9F:65:69\r\n"
            + "x-ESP8266-free-space: 1695744\r\n"
            + "x-ESP8266-sketch-size: 400000\r\n"
            + "x-ESP8266-sketch-md5: 0123456789abcdef0123456789abcdef\r\n"
            + "x-ESP8266-chip-size: 4194304\r\n"
            + "x-ESP8266-sdk-version: 2.2.2-dev(38a443e)\r\n"
            + "x-ESP8266-mode: sketch\r\n"
            + "Content-Length: 0\r\n"
            + "\r\n"
    }

    static func nowMilliseconds() -> Int {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return spec.tv_sec * 1000 + spec.tv_nsec / 1_000_000
    }
}

/// Sleeps the calling thread (tests only; bounded by the caller).
func sleepMilliseconds(_ milliseconds: Int) {
    _ = poll(nil, 0, Int32(milliseconds))
}
