import Foundation
@testable import ScenarioServer
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `otaprobe serve` end to end (release binary, 127.0.0.1 only): `check` is the device. Every
/// profile sends its exact request with several identities to `serve --json`; serve must
/// recognise the profile, read the identity back and predict what `check` itself reports.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ServeCLITests {
    /// A running `serve` and the file its stdout goes to.
    final class Serving {
        let process: RunningCommand
        let port: UInt16
        let output: String

        init(_ extra: [String] = []) throws {
            port = try ScenarioServer.unusedLoopbackPort()
            output = NSTemporaryDirectory() + "otaprobe-serve-\(getpid())-\(port).out"
            process = try #require(RunningCommand(["serve", "--port", String(port)] + extra, stdoutPath: output),
                                   "\(CommandRunner.staleness ?? "spawn failed")")
            // Wait until it accepts connections.
            for _ in 0..<100 {
                if Self.canConnect(port) { return }
                usleep(50_000)
            }
        }

        deinit {
            process.stop()
            unlink(output)
        }

        func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

        var text: String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }

        /// The JSON lines printed so far.
        var objects: [[String: Any]] {
            text.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            }
        }

        /// Waits (up to 20 s) for the decoded request whose target is `target`.
        func object(target: String) -> [String: Any]? {
            for _ in 0..<400 {
                if let found = objects.first(where: { (($0["request"] as? [String: Any])?["target"] as? String) == target }) { return found }
                usleep(50_000)
            }
            return nil
        }

        static func canConnect(_ port: UInt16) -> Bool {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(descriptor) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            } == 0
        }

        /// Sends raw bytes, reads the answer to the end.
        func send(_ bytes: [UInt8]) {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(descriptor) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { return }
            _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            var buffer = [UInt8](repeating: 0, count: 65536)
            while recv(descriptor, &buffer, buffer.count, 0) > 0 {}
        }
    }

    /// Identities as check flags, and the fields serve must read back (compared ignoring case).
    static let identities: [(flags: [String], esp8266: [String: String], esp32: [String: String])] = [
        ([], ["chipId": "10451887", "freeSpace": "1695744", "mode": "sketch"], ["partitionSize": "1310720", "mode": "sketch"]),
        (["--current-version", "1.2.3", "--chip-id", "42", "--sta-mac", "aa:bb:cc:00:11:22", "--free-space", "900000", "--sketch-size", "123456",
          "--flash-size", "1M", "--sketch-md5", "0123456789ABCDEF0123456789abcdef", "--partition-size", "1920K", "--mode", "fs"],
         ["currentVersion": "1.2.3", "chipId": "42", "staMac": "aa:bb:cc:00:11:22", "freeSpace": "900000", "sketchSize": "123456",
          "chipSize": "1048576", "sketchMD5": "0123456789abcdef0123456789abcdef", "mode": "fs"],
         ["currentVersion": "1.2.3", "staMac": "aa:bb:cc:00:11:22", "partitionSize": "1966080", "sketchSize": "123456",
          "chipSize": "1048576", "sketchMD5": "0123456789abcdef0123456789abcdef", "mode": "fs"]),
    ]

    static let profiles = ["esp8266-arduino-3.1.2", "esp8266-arduino-3.0.2", "esp8266-arduino-2.7.4", "esp8266-arduino-2.5.2", "esp8266-arduino-2.4.2",
                           "esp32-arduino-3.2", "esp32-arduino-2.0.17", "esp32-arduino-1.0.6", "esp-idf-5.5", "esp-idf-5.4", "esp-idf-5.1", "esp-idf-4.4"]

    @Test func serveDecodesWhatCheckSendsAndPredictsWhatCheckReports() throws {
        let serving = try Serving(["--json"])
        var count = 0
        for profile in Self.profiles {
            let idf = profile.hasPrefix("esp-idf")
            let scenarios = idf ? ["esp32-good", "esp32-truncated", "not-found"] : ["good", "md5-wrong", "no-length"]
            for (index, identity) in Self.identities.enumerated() {
                for scenario in scenarios {
                    count += 1
                    let target = "/\(scenario)?case=\(count)"
                    let flags = idf ? [] : identity.flags
                    let check = CommandRunner.run(["check", "--json", "--no-range-check", "--profile", profile] + flags + [serving.url(target)])
                    let checked = try #require((try? JSONSerialization.jsonObject(with: Data(check.stdout.utf8))) as? [String: Any], "\(check.stdout)\(check.stderr)")
                    var verdict = try #require(checked["verdict"] as? [String: Any])
                    let decoded = try #require(serving.object(target: target), "no decoded request for \(profile) \(target)")
                    let device = try #require(decoded["device"] as? [String: Any])
                    let profiles = device["profiles"] as? [String] ?? []
                    #expect(profiles.contains(profile), "\(profile) \(target): \(profiles) \(device["nearest"] ?? "")")
                    #expect(device["stack"] as? String == String(profile[..<profile.lastIndex(of: "-")!]))
                    let reported = device["identity"] as? [String: Any] ?? [:]
                    var expected = idf ? [:] : (profile.hasPrefix("esp32") ? Self.identities[index].esp32 : Self.identities[index].esp8266)
                    // x-ESP8266-Chip-ID came in 2.7.4.
                    if profile.hasSuffix("2.4.2") || profile.hasSuffix("2.5.2") { expected["chipId"] = nil }
                    for (key, value) in expected {
                        #expect(reported[key].map { "\($0)".lowercased() } == value.lowercased(), "\(profile) \(key): \(String(describing: reported[key]))")
                    }
                    let prediction = try #require(decoded["prediction"] as? [String: Any], "\(decoded)")
                    // The prediction runs the newest profile that sends these bytes: compare it
                    // with check run as that profile (the same one when it is the newest).
                    #expect(prediction["profile"] as? String == profiles.first)
                    if let newest = prediction["profile"] as? String, newest != profile {
                        let again = CommandRunner.run(["check", "--json", "--no-range-check", "--profile", newest] + flags + [serving.url(target + "&again")])
                        let rechecked = try #require((try? JSONSerialization.jsonObject(with: Data(again.stdout.utf8))) as? [String: Any])
                        verdict = try #require(rechecked["verdict"] as? [String: Any])
                    }
                    #expect(prediction["result"] as? String == verdict["result"] as? String, "\(profile) \(target)")
                    #expect(prediction["code"] as? Int == verdict["code"] as? Int, "\(profile) \(target)")
                    #expect(prediction["message"] as? String == verdict["message"] as? String, "\(profile) \(target)")
                    #expect(prediction["outcome"] as? String == verdict["outcome"] as? String, "\(profile) \(target)")
                    let served = try #require(decoded["served"] as? [String: Any])
                    #expect(served["scenario"] as? String == scenario)
                    #expect((served["bytes"] as? Int ?? 0) > 0)
                }
            }
        }
    }

    @Test func nearMissesAreUnknownOrTheRightSubset() throws {
        let serving = try Serving(["--json"])
        serving.send(Array("GET /good?who=curl HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n".utf8))
        serving.send(Array("GET /good?who=browser HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\nAccept: text/html\r\nConnection: keep-alive\r\n\r\n".utf8))
        // A 3.1.2 request with x-ESP8266-STA-MAC and x-ESP8266-AP-MAC swapped (a proxy's doing).
        let reordered = "GET /good?who=reordered HTTP/1.0\r\nHost: 127.0.0.1\r\nUser-Agent: ESP8266-http-Update\r\nConnection: close\r\n"
            + "x-ESP8266-Chip-ID: 1\r\nx-ESP8266-AP-MAC: 5E:CF:7F:9F:7A:AF\r\nx-ESP8266-STA-MAC: 5C:CF:7F:9F:7A:AF\r\n"
            + "x-ESP8266-free-space: 1695744\r\nx-ESP8266-sketch-size: 400000\r\nx-ESP8266-sketch-md5: 2f5d8a0a6a4c7e2bb0a3f1c4d9e8b7a6\r\n"
            + "x-ESP8266-chip-size: 4194304\r\nx-ESP8266-sdk-version: 2.2.2-dev(38a443e)\r\nx-ESP8266-mode: sketch\r\nContent-Length: 0\r\n\r\n"
        serving.send(Array(reordered.utf8))
        // The same request in 2.5.2's order: the right subset, 2.5.2 and 2.4.2.
        let old = "GET /good?who=old HTTP/1.0\r\nHost: 127.0.0.1\r\nUser-Agent: ESP8266-http-Update\r\nConnection: close\r\n"
            + "x-ESP8266-STA-MAC: 5C:CF:7F:9F:7A:AF\r\nx-ESP8266-AP-MAC: 5E:CF:7F:9F:7A:AF\r\n"
            + "x-ESP8266-free-space: 1695744\r\nx-ESP8266-sketch-size: 400000\r\nx-ESP8266-sketch-md5: 2f5d8a0a6a4c7e2bb0a3f1c4d9e8b7a6\r\n"
            + "x-ESP8266-chip-size: 4194304\r\nx-ESP8266-sdk-version: 2.2.1(cfd48f3)\r\nx-ESP8266-mode: sketch\r\nx-ESP8266-version: 0.9\r\n\r\n"
        serving.send(Array(old.utf8))
        for who in ["curl", "browser", "reordered"] {
            let decoded = try #require(serving.object(target: "/good?who=\(who)"))
            let device = try #require(decoded["device"] as? [String: Any])
            #expect(device["stack"] as? String == "unknown", "\(who)")
            #expect((device["profiles"] as? [String])?.isEmpty == true)
            #expect(decoded["prediction"] == nil)
            #expect(decoded["predictionMissing"] as? String == "no built-in profile sends these bytes")
            #expect((decoded["served"] as? [String: Any])?["status"] as? Int == 200, "served all the same")
        }
        let decoded = try #require(serving.object(target: "/good?who=old"))
        let device = try #require(decoded["device"] as? [String: Any])
        #expect(device["profiles"] as? [String] == ["esp8266-arduino-2.5.2", "esp8266-arduino-2.4.2"])
        #expect((device["identity"] as? [String: Any])?["currentVersion"] as? String == "0.9")
        #expect((decoded["prediction"] as? [String: Any])?["profile"] as? String == "esp8266-arduino-2.5.2")
    }

    @Test func humanOutputIsEscapedAndRedacted() throws {
        let serving = try Serving()
        let hostile = "GET /good?\u{1B}[31mred HTTP/1.0\r\nHost: 127.0.0.1\r\nUser-Agent: ESP8266-http-Update\r\nAuthorization: Basic c2VjcmV0OnBhc3N3b3Jk\r\n\r\n"
        serving.send(Array(hostile.utf8))
        let reordered = "GET /good?token=hunter2secret HTTP/1.0\r\nUser-Agent: ESP8266-http-Update\r\n\r\n"
        serving.send(Array(reordered.utf8))
        var text = ""
        for _ in 0..<200 where !(text.contains("token=") && text.contains("\\x1B")) {
            usleep(50_000)
            text = serving.text
        }
        #expect(!text.contains("\u{1B}"), "a raw ESC reached the output")
        #expect(text.contains("\\x1B[31mred"))
        #expect(text.contains("token=***") && !text.contains("hunter2secret"))
        #expect(text.contains("device      unknown"))
        #expect(text.contains("served      good: HTTP/1.1 200 OK"))
    }

    @Test func jsonRedactsAuthorization() throws {
        let serving = try Serving(["--json"])
        serving.send(Array("GET /good?who=auth HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: Basic c2VjcmV0OnBhc3N3b3Jk\r\n\r\n".utf8))
        let decoded = try #require(serving.object(target: "/good?who=auth"))
        let headers = (decoded["request"] as? [String: Any])?["headers"] as? [[String: String]] ?? []
        #expect(headers.map { $0["name"] ?? "" } == ["Host", "Authorization"])
        #expect(headers.last?["value"] == "Basic ***")
        #expect(!serving.text.contains("c2VjcmV0OnBhc3N3b3Jk"))
    }

    @Test func firmwareAndUpdatePolicyEndToEnd() throws {
        let file = NSTemporaryDirectory() + "otaprobe-serve-fw-\(getpid()).bin"
        // A valid ESP8266 image unlike the built-in one: a "build" of one's own.
        let image = ESP8266ImageBuilder(totalSize: 250_000).build()
        #expect(image != ServedBodies.standardImage)
        try Data(image).write(to: URL(fileURLWithPath: file))
        defer { unlink(file) }
        let serving = try Serving(["--json", "--firmware", file, "--update-policy", "version=2.0.0"])
        let digests = CommandRunner.run(["check", "--json", "--no-range-check", "--digests", serving.url("/good?fw=1")])
        #expect(digests.stdout.contains(md5Hex(image)), "the file itself is served")
        let current = CommandRunner.run(["check", "--no-range-check", "--current-version", "2.0.0", serving.url("/update?v=current")])
        #expect(current.stdout.contains("HTTP_UPDATE_NO_UPDATES"), "\(current.stdout)")
        let older = CommandRunner.run(["check", "--no-range-check", "--current-version", "1.9.0", serving.url("/update?v=older")])
        #expect(older.stdout.contains("HTTP_UPDATE_OK"), "\(older.stdout)")
        let notModified = try #require(serving.object(target: "/update?v=current"))
        #expect((notModified["served"] as? [String: Any])?["status"] as? Int == 304)
        #expect((notModified["prediction"] as? [String: Any])?["result"] as? String == "HTTP_UPDATE_NO_UPDATES")
        let update = try #require(serving.object(target: "/update?v=older"))
        #expect((update["served"] as? [String: Any])?["status"] as? Int == 200)
        #expect((update["prediction"] as? [String: Any])?["outcome"] as? String == "updated")
    }

    @Test func scriptsListsAndMistakes() throws {
        let folder = NSTemporaryDirectory() + "otaprobe-serve-script-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("name: my-404\nstatus: HTTP/1.1 404 Not Found\nheaders:\n  - \"Content-Length: {length}\"\nbody:\n  text: nope\n".utf8)
            .write(to: URL(fileURLWithPath: folder + "/ok.yaml"))
        try Data("name: broken\nsteps:\n  - reset\n  - head\n".utf8).write(to: URL(fileURLWithPath: folder + "/bad.yaml"))

        let list = CommandRunner.run(["serve", "--list", "--json", "--script", folder + "/ok.yaml"])
        #expect(list.status == 0)
        let items = try #require((try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8))) as? [[String: Any]])
        #expect(items.contains { $0["name"] as? String == "my-404" })
        #expect(items.first { $0["name"] as? String == "good" }?["servesFirmware"] as? Bool == true)
        #expect(items.first { $0["name"] as? String == "elf-file" }?["servesFirmware"] as? Bool == false)

        let bad = CommandRunner.run(["serve", "--script", folder + "/bad.yaml"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("bad.yaml:4:5: nothing can follow `reset`"), "\(bad.stderr)")
        #expect(bad.stderr.split(separator: "\n").count == 1)

        let serving = try Serving(["--json", "--script", folder + "/ok.yaml"])
        let check = CommandRunner.run(["check", "--no-range-check", serving.url("/my-404?s=1")])
        #expect(check.stdout.contains("HTTP_UPDATE_FAILED Error (-102)"), "\(check.stdout)")
        let decoded = try #require(serving.object(target: "/my-404?s=1"))
        #expect((decoded["served"] as? [String: Any])?["scenario"] as? String == "my-404")
        #expect((decoded["prediction"] as? [String: Any])?["code"] as? Int == -102)
    }

    @Test func badServeArgumentsAreOneLineAndExit64() {
        for arguments in [["--listen", "localhost"], ["--listen", "::1"], ["--firmware", "/nonexistent/app.bin"],
                          ["--update-policy", "newest"], ["--follow-redirects", "always"], ["--script", "/nonexistent/s.yaml"]] {
            let run = CommandRunner.run(["serve"] + arguments)
            #expect(run.status == 64, "\(arguments): \(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(arguments): \(run.stderr)")
        }
    }
}
