import Testing
@testable import OTAProbeCore

/// A server that closes (or resets) the connection right after accepting it, before any byte of
/// an answer. On loopback that close is back before the probe has written its request, so the
/// probe's write can fail; on the device it cannot (see `ESP8266UpdaterModel.sendFailed`).
///
/// The device's timeline on a real network: `ClientContext::connect()` returns on the SYN-ACK
/// (3.0.2 ClientContext.h:131-164); from there to the request's `tcp_write` nothing yields
/// (3.0.2:HC:848-876 connect() → `return connected()`, 885-940 sendHeader(): `connected()`,
/// build, write; 2.4.2:HC:925-935), and lwIP processes the server's FIN or RST only at a yield
/// (`defaultSync = false`, 3.0.2 WiFiClient.cpp:48, so no `wait_until_acked()`,
/// ClientContext.h:498). The close, a round trip away, is seen inside handleHeaderResponse's
/// `while (connected())` loop, entered while still connected (3.0.2:HC:946-1054): -5 on every
/// ESP8266 core. -4 would need the close processed before that loop's first check.
@Suite struct CloseAtAcceptTests {
    @Test(arguments: Profiles.all.map(\.name))
    func aWriteIntoAClosedConnectionIsStillMinus5(name: String) {
        let profile = Profiles.named(name)
        var model = ESP8266UpdaterModel(profile: profile, identity: DeviceIdentity(), settings: UpdaterSettings(url: "http://127.0.0.1:8080/fw.bin"))
        model.start(at: 0)
        model.sendFailed(detail: "Connection reset by peer", at: 3)
        #expect(model.verdict?.code == -5, "\(profile.name): \(String(describing: model.verdict))")
        #expect(model.verdict?.cause == .connectionLostBeforeHeaders)
        #expect(model.exchanges.last?.ending == .resetByServer)
    }

    /// Over TLS the handshake yields while it waits for the server, so a failed write is the
    /// device's own -2.
    @Test func overTLSAFailedWriteStaysMinus2() {
        var model = ESP8266UpdaterModel(profile: Profiles.v302, identity: DeviceIdentity(), settings: UpdaterSettings(url: "https://127.0.0.1:8443/fw.bin"))
        model.start(at: 0)
        model.sendFailed(detail: "Connection reset by peer", at: 3)
        #expect(model.verdict?.code == -2)
    }

    @Test func theNoteSaysWhenMinus4AppearsInstead() {
        var model = ESP8266UpdaterModel(profile: Profiles.v302, identity: DeviceIdentity(), settings: UpdaterSettings(url: "http://127.0.0.1:8080/fw.bin"))
        model.start(at: 0)
        model.sendFailed(detail: "Connection reset by peer", at: 3)
        let verdict = Diagnosis(profile: .esp8266(Profiles.v302), identity: DeviceIdentity(), settings: model.settings).explain(model.verdict!, exchanges: model.exchanges)
        #expect(verdict.notes.contains { $0.contains("reports -5 here") && $0.contains("setDefaultSync(true)") }, "\(verdict.notes)")
        #expect(!verdict.notes.contains { $0.contains("-2 'send header failed'") })
    }
}
