import CurlTransport
import FoundationEssentials
import OTAProbe
import OTAProbeCore
import ScenarioServer
import Testing

/// The device against real nginx (spec §10 rows that hosting produces; field-failures §5):
/// a static file, a 404, the usual "force https" `return 302`, and gzip switched on for
/// binaries — which the device never triggers, because it sends HTTP/1.0 and no
/// Accept-Encoding.
@Suite(.serialized, .enabled(if: NginxServer.isInstalled || CIEnvironment.isCI, "nginx is not installed (.ci/setup installs it)"))
struct NginxTests {
    static let image = ESP8266ImageBuilder(totalSize: 400_000).build()

    static func start() throws -> NginxServer {
        try NginxServer(files: ["fw.bin": image, "gz/fw.bin": image, "fw.bin.md5": Array("\(md5Hex(image))  fw.bin\n".utf8),
                                "esp32.bin": ESP32Bodies.app, "norange/esp32.bin": ESP32Bodies.app], locations: """
                    location = /old.bin { return 302 https://$host/fw.bin; }
                    location /norange/ { max_ranges 0; }
                    location /gz/ { gzip on; gzip_types application/octet-stream; gzip_min_length 20; gzip_proxied any; }
            """)
    }

    func check(_ url: String, redirects: RedirectMode = .disable) -> ProbeReport {
        var settings = UpdaterSettings(url: url)
        settings.redirectMode = redirects
        settings.computeDigests = true
        return Probe(profile: Shared.device("esp8266-arduino-3.1.2"), identity: DeviceIdentity(), settings: settings).run()
    }

    @Test func staticFileUpdates() throws {
        let nginx = try Self.start()
        defer { nginx.stop() }
        let report = check(nginx.url("/fw.bin"))
        #expect(report.verdict.result == .ok && report.verdict.code == 0)
        #expect(report.exchanges.first?.head?.size == Self.image.count)
        #expect(report.exchanges.first?.body.md5 == md5Hex(Self.image))
    }

    @Test func publishedDigestAndLocalBuildAreCompared() throws {
        let nginx = try Self.start()
        defer { nginx.stop() }
        let published = try SidecarFetcher.fetch(nginx.url("/fw.bin.md5"))
        #expect(published.hasPrefix(md5Hex(Self.image)))
        var settings = UpdaterSettings(url: nginx.url("/fw.bin"))
        settings.computeDigests = true
        let report = Probe(profile: Shared.device("esp8266-arduino-3.1.2"), identity: DeviceIdentity(), settings: settings).run()
        var expectations = IntegrityCheck.Expectations()
        expectations.md5URL = (nginx.url("/fw.bin.md5"), published)
        let path = nginx.root + "/www/fw.bin"
        let local = try FileDigests.of(path: path)
        expectations.file = (path, local.md5, local.sha256, local.size)
        let findings = IntegrityCheck.check(expectations, exchange: report.exchanges.last)
        #expect(findings.map(\.matches) == [true, true])
        #expect(local.md5 == md5Hex(Self.image) && local.size == Self.image.count)
        #expect(throws: SidecarFetcher.Failure.self) { try SidecarFetcher.fetch(nginx.url("/missing.md5")) }
    }

    @Test func missingFileIs102() throws {
        let nginx = try Self.start()
        defer { nginx.stop() }
        let report = check(nginx.url("/nope.bin"))
        #expect(report.verdict.code == -102 && report.verdict.message == "File Not Found (404)")
        #expect(report.exchanges.first?.body.prefix.isEmpty == false)
    }

    @Test func httpsRedirectIsNeverFollowed() throws {
        let nginx = try Self.start()
        defer { nginx.stop() }
        let off = check(nginx.url("/old.bin"))
        #expect(off.verdict.code == -104)
        guard case .redirectNotFollowed(302, let location?, .disabled) = off.verdict.cause else {
            Issue.record("unexpected cause \(off.verdict.cause)")
            return
        }
        #expect(location.hasPrefix("https://"))
        let strict = check(nginx.url("/old.bin"), redirects: .strict)
        #expect(strict.verdict.code == -104)
        #expect(strict.verdict.cause == .redirectNotFollowed(code: 302, location: location, reason: .schemeChange))
    }

    @Test func gzipForBinariesDoesNotReachTheDevice() throws {
        let nginx = try Self.start()
        defer { nginx.stop() }
        let report = check(nginx.url("/gz/fw.bin"))
        #expect(report.verdict.result == .ok)
        #expect(report.exchanges.first?.head?.header("Content-Encoding") == nil)
        // The same URL does compress for a desktop client (HTTP/1.1 + Accept-Encoding), which
        // then sees a chunked gzip body: the config is live, the device just never asks.
        let desktop = try rawHead(port: nginx.port, request: "GET /gz/fw.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n")
        #expect(desktop.contains("Content-Encoding: gzip"))
        #expect(desktop.contains("Transfer-Encoding: chunked"))
    }

    /// The response head for a hand-written request (via the probe's own raw transport).
    private func rawHead(port: UInt16, request: String) throws -> String {
        let connection = try RawConnection.open(to: TransportEndpoint(host: "127.0.0.1", port: Int(port)), connectTimeoutMilliseconds: 2000)
        defer { connection.close() }
        try connection.sendAll(Array(request.utf8), timeoutMilliseconds: 2000)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { buffer.deallocate() }
        guard case .data(let count) = connection.receive(into: buffer, deadline: .now + .seconds(2)) else { return "" }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}

enum CIEnvironment {
    /// In CI a missing nginx is a setup failure, not a reason to skip.
    static var isCI: Bool { ProcessInfoLite.environment("CI") == "true" }
}

enum ProcessInfoLite {
    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension NginxTests {
    /// nginx honours Range for static files; `max_ranges 0` turns it off (nginx then answers
    /// 200 with the whole file). ESP-IDF partial download works against both: a server that
    /// ignores Range on the first GET sends the whole image at once (spec B5.5).
    @Test func rangeSupportAndPartialDownload() throws {
        let nginx = try Self.start()
        defer { nginx.stop() }
        func range(_ path: String) -> RangeFinding? {
            RangeCheck.run(profile: Shared.device("esp-idf-5.4"), identity: DeviceIdentity(), settings: UpdaterSettings(url: nginx.url(path)))
        }
        #expect(range("/esp32.bin")?.support == .honoured)
        #expect(range("/norange/esp32.bin")?.support == .ignored)
        for path in ["/esp32.bin", "/norange/esp32.bin"] {
            var settings = UpdaterSettings(url: nginx.url(path))
            settings.partialDownload = true
            let report = Probe(profile: Shared.device("esp-idf-5.4"), identity: DeviceIdentity(), settings: settings).run()
            #expect(report.verdict.result == .espOK && report.verdict.cause == .updated, "\(path): \(report.verdict.message)")
            #expect(String(decoding: report.exchanges[0].request, as: UTF8.self).hasPrefix("HEAD \(path) HTTP/1.1\r\n"))
            let statuses = report.exchanges.dropFirst().compactMap { $0.head?.code }
            #expect(statuses == (path == "/esp32.bin" ? [206, 206, 206, 206] : [200]), "\(path)")
        }
    }
}
