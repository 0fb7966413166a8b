/// The waits of one connection, phase by phase. A plain `WiFiClient` uses the client timeout
/// (8 s, `setClientTimeout`) everywhere; a BearSSL client keeps its own for some phases
/// (spec §7: a fixed 5 s peek, a 5 s stream timeout in 2.5.2/2.7.4, 15 s connect in 3.x).
public struct PhaseTimeouts: Sendable, Equatable {
    /// `_tcpTimeout`: no header line for this long → -11 (always the client timeout).
    public let idleMs: Int
    /// Per-byte wait inside `readStringUntil` (a partial line is returned after it).
    public let lineByteMs: Int
    /// How long httpUpdate's 4-byte peek waits for the first body bytes.
    public let peekMs: Int
    /// Per-byte wait inside the Updater's `readBytes`.
    public let readByteMs: Int
    /// Name lookup + TCP connect (+ handshake) budget for the probe's connect.
    public let connectMs: Int

    /// A handshake with no timeout blocks until TCP gives up; the probe stops waiting here.
    public static let unboundedHandshakeCapMs = 60_000

    /// The waits of a stack whose profile states them directly (arduino-esp32).
    public init(idleMs: Int, lineByteMs: Int, peekMs: Int, readByteMs: Int, connectMs: Int) {
        self.idleMs = idleMs
        self.lineByteMs = lineByteMs
        self.peekMs = peekMs
        self.readByteMs = readByteMs
        self.connectMs = connectMs
    }

    /// `clientTimeoutMs` is what the sketch set; HTTPClient keeps it as a uint16_t (`ClientTimeout`).
    public init(profile: ESP8266ArduinoProfile, clientTimeoutMs requested: Int?, tls: Bool) {
        self.init(timeouts: profile.timeouts, clientTimeoutMs: requested, tls: tls)
    }

    /// The same waits from the timeouts alone: ESPHome's http layer on the ESP8266 drives the
    /// same HTTPClient and BearSSL client with its own `setTimeout()`.
    public init(timeouts: ESP8266ArduinoProfile.Timeouts, clientTimeoutMs requested: Int?, tls: Bool) {
        let clientTimeoutMs = requested.map(ClientTimeout.arduinoHTTPClient)
        let client = clientTimeoutMs ?? timeouts.clientMs
        idleMs = client
        guard tls else {
            lineByteMs = client
            peekMs = client
            readByteMs = client
            // A plain WiFiClient connects with the client timeout HTTPClient hands it
            // (3.1.2:HC:896, 3.1.2:CC:129-159).
            connectMs = clientTimeoutMs ?? timeouts.connectMs
            return
        }
        let secure = timeouts.tls
        lineByteMs = secure.streamTimeoutMs ?? client
        readByteMs = secure.streamTimeoutMs ?? client
        peekMs = secure.peekTimeoutMs
        connectMs = secure.tcpConnectMs + (secure.handshakeMs > 0 ? secure.handshakeMs : Self.unboundedHandshakeCapMs)
    }
}
