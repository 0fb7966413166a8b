import Foundation
import Testing
@testable import OTAProbeCore

/// `serve`'s decoding: the exact bytes each profile's builder writes are recognised as that
/// profile (and only as profiles that write the same bytes), the identity reads back, and
/// requests no device sends are not mistaken for one.
@Suite struct DeviceRecognizerTests {
    static let profiles = try! Profiles.catalog.profiles
    static let recognizer = DeviceRecognizer(profiles: profiles)

    /// Identities unlike the defaults and unlike each other: upper- and lower-case MACs,
    /// an updateFS(), versions present and absent.
    static let identities: [DeviceIdentity] = {
        var first = DeviceIdentity()
        first.currentVersion = "1.2.3"
        var second = DeviceIdentity()
        second.chipID = 42
        second.staMAC = MACAddress(parsing: "a4:cf:12:00:00:01")!
        second.apMAC = MACAddress(parsing: "A6:CF:12:00:00:01")!
        second.sketchSize = 123_456
        second.freeSpaceOverride = 900_000
        second.flashChipSize = 1 << 20
        second.sketchMD5 = HexDigest(hex: "0123456789ABCDEF0123456789abcdef", byteCount: 16)
        second.sdkVersion = "NONOS_SDK_22x_190703"
        second.mode = .fs
        second.esp32.staMAC = MACAddress(parsing: "30:AE:A4:00:00:02")!
        second.esp32.partitionSize = 0x1E0000
        second.esp32.sketchSize = 987_654
        second.esp32.flashChipSize = 8 << 20
        second.esp32.sketchMD5 = HexDigest(hex: "fedcba9876543210fedcba9876543210", byteCount: 16)
        var third = second
        third.currentVersion = "v2.0.0-rc1 build 7"
        third.mode = .sketch
        third.esp32.sketchMD5 = nil
        return [DeviceIdentity(), first, second, third]
    }()

    static let url = try! DeviceURL.parse("http://192.168.1.10:8080/firmware.bin?board=d1", schemeCaseInsensitive: true).get()

    /// The bytes `check` sends first for `profile` and `identity` (the model's own first request).
    static func firstRequest(_ profile: DeviceProfile, _ identity: DeviceIdentity) -> [UInt8] {
        var settings = UpdaterSettings(url: "http://192.168.1.10:8080/firmware.bin?board=d1")
        settings.computeDigests = false
        // ESPHome requests nothing without an MD5 (md5:); the others never send it.
        if profile.family == .esphome { settings.expectedMD5 = String(repeating: "0", count: 32) }
        var model = profile.makeModel(identity: identity, settings: settings)
        model.start(at: 0)
        guard case .open(let plan) = model.nextAction else { Issue.record("\(profile.name) opens no connection"); return [] }
        return plan.request
    }

    /// The profiles whose first request is byte-identical to `profile`'s for `identity`.
    static func twins(of profile: DeviceProfile, _ identity: DeviceIdentity) -> Set<String> {
        let bytes = firstRequest(profile, identity)
        return Set(profiles.filter { firstRequest($0, identity) == bytes }.map(\.name))
    }

    /// The SDK string is what the sketch's core reports (`ESP.getSdkVersion()`), but not narrowed
    /// on: an ESP8266 core can be built against several NONOS SDKs, and a profile's default is one
    /// build's. So profiles whose requests differ only there are twins: give them the same one.
    @Test(arguments: profiles.map(\.name))
    func everyProfilesRequestIsRecognisedAsExactlyItsTwins(name: String) throws {
        let profile = try #require(Self.profiles.first { $0.name == name })
        for var identity in Self.identities {
            identity.sdkVersion = identity.sdkVersion ?? "the-same-sdk"
            let recognition = Self.recognizer.recognize(Self.firstRequest(profile, identity))
            #expect(recognition.profileNames.contains(name), "\(name) not recognised: \(String(describing: recognition.nearest))")
            #expect(Set(recognition.profileNames) == Self.twins(of: profile, identity), "\(name): \(recognition.profileNames)")
            #expect(recognition.stack == profile.family.rawValue)
        }
    }

    @Test func theDefaultSDKStringsAreNotNarrowedOn() {
        // 1.0.6 and 2.0.17 differ in their default SDK string only: both stay.
        let recognition = Self.recognizer.recognize(Self.firstRequest(Profiles.device("esp32-arduino-1.0.6"), DeviceIdentity()))
        #expect(recognition.profileNames == ["esp32-arduino-2.0.17", "esp32-arduino-1.0.6"])
    }

    @Test func theIdentityReadsBackAsTheModelWouldSendItAgain() throws {
        for profile in Self.profiles {
            for identity in Self.identities {
                let sent = Self.firstRequest(profile, identity)
                let recognition = Self.recognizer.recognize(sent)
                // The decoded identity, sent again by the same profile, is the same request.
                #expect(Self.firstRequest(profile, recognition.deviceIdentity) == sent, "\(profile.name)")
            }
        }
    }

    @Test func esp8266FieldsAreNamedAfterCheckFlags() throws {
        let identity = Self.identities[2]
        let recognition = Self.recognizer.recognize(Self.firstRequest(Profiles.device("esp8266-arduino-3.1.2"), identity))
        #expect(recognition.profileNames == ["esp8266-arduino-3.1.2", "esp8266-arduino-3.0.2", "esp8266-arduino-2.7.4"])
        let fields = recognition.identity
        #expect(fields[.chipId] == "42")
        #expect(fields[.staMac]?.lowercased() == "a4:cf:12:00:00:01")
        #expect(fields[.apMac]?.lowercased() == "a6:cf:12:00:00:01")
        #expect(fields[.freeSpace] == "900000")
        #expect(fields[.sketchSize] == "123456")
        #expect(fields[.sketchMD5]?.lowercased() == "0123456789abcdef0123456789abcdef")
        #expect(fields[.chipSize] == String(1 << 20))
        #expect(fields[.sdkVersion] == "NONOS_SDK_22x_190703")
        #expect(fields[.mode] == "fs")
        #expect(fields[.currentVersion] == nil)
        #expect(recognition.newest?.variant == "first request")
    }

    @Test func olderCoresNarrowByHeaderOrder() {
        // 2.4.2 and 2.5.2 write the same first request; 2.7.4 moved Authorization and added Chip-ID.
        let recognition = Self.recognizer.recognize(Self.firstRequest(Profiles.device("esp8266-arduino-2.5.2"), Self.identities[1]))
        #expect(recognition.profileNames == ["esp8266-arduino-2.5.2", "esp8266-arduino-2.4.2"])
        #expect(recognition.identity[.currentVersion] == "1.2.3")
    }

    @Test func espIDFNarrowsOnContentLengthZero() {
        let old = Self.recognizer.recognize(Self.firstRequest(Profiles.device("esp-idf-5.1"), DeviceIdentity()))
        #expect(old.profileNames == ["esp-idf-5.1", "esp-idf-4.4"])
        let new = Self.recognizer.recognize(Self.firstRequest(Profiles.device("esp-idf-5.5"), DeviceIdentity()))
        #expect(new.profileNames == ["esp-idf-5.5", "esp-idf-5.4"])
        #expect(new.identity.isEmpty)
    }

    @Test func redirectedRequestsAreRecognisedToo() {
        let profile = Profiles.v312
        let redirected = UpdateRequestBuilder(profile: profile, identity: DeviceIdentity()).request(for: Self.url, redirected: true)
        let recognition = Self.recognizer.recognize(redirected)
        #expect(recognition.profileNames.contains("esp8266-arduino-3.1.2"))
        #expect(recognition.newest?.variant == "followed redirect")
        #expect(!recognition.profileNames.contains("esp8266-arduino-2.4.2"), "2.4.2 follows no redirect")
    }

    @Test func browsersCurlAndReorderedHeadersAreNoDevice() {
        let curl = "GET /good HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"
        let browser = "GET /good HTTP/1.1\r\nHost: 192.168.1.10\r\nUser-Agent: Mozilla/5.0\r\nAccept: text/html\r\nConnection: keep-alive\r\n\r\n"
        for text in [curl, browser] {
            let recognition = Self.recognizer.recognize(Array(text.utf8))
            #expect(recognition.stack == "unknown")
            #expect(recognition.profileNames.isEmpty)
            #expect(recognition.identity.isEmpty)
            #expect(recognition.nearest != nil)
        }
        // The device's own bytes with two headers swapped (a proxy rewriting the head).
        let sent = String(decoding: Self.firstRequest(Profiles.device("esp8266-arduino-3.1.2"), DeviceIdentity()), as: UTF8.self)
        var lines = sent.components(separatedBy: "\r\n")
        lines.swapAt(5, 6)
        let swapped = Self.recognizer.recognize(Array(lines.joined(separator: "\r\n").utf8))
        #expect(swapped.stack == "unknown")
        #expect(swapped.nearest?.difference.contains("missing") == true)
        // LF-only line ends, a lower-cased header name, a changed User-Agent: no device.
        let lfOnly = Self.recognizer.recognize(Array(sent.replacingOccurrences(of: "\r\n", with: "\n").utf8))
        #expect(lfOnly.stack == "unknown")
        let lowered = Self.recognizer.recognize(Array(sent.replacingOccurrences(of: "User-Agent:", with: "user-agent:").utf8))
        #expect(lowered.stack == "unknown")
        let otherAgent = Self.recognizer.recognize(Array(sent.replacingOccurrences(of: "ESP8266-http-Update", with: "ESP8266-http-Updater").utf8))
        #expect(otherAgent.stack == "unknown")
        #expect(otherAgent.nearest?.difference.contains("User-Agent") == true)
    }

    @Test func aLayoutIsRecognisedWhenTheReportsPinItDown() {
        var identity = DeviceIdentity()
        identity.layout = FlashLayout.named("4M1M")!
        let recognition = Self.recognizer.recognize(Self.firstRequest(Profiles.device("esp8266-arduino-3.1.2"), identity))
        #expect(recognition.flashLayout?.name == "4M1M")
        #expect(recognition.deviceIdentity.layout.name == "4M1M")
    }

    @Test func numbersMustBeNumbers() {
        let sent = String(decoding: Self.firstRequest(Profiles.device("esp8266-arduino-3.1.2"), DeviceIdentity()), as: UTF8.self)
        let bent = sent.replacingOccurrences(of: "x-ESP8266-free-space: 1695744", with: "x-ESP8266-free-space: lots")
        #expect(bent != sent)
        #expect(Self.recognizer.recognize(Array(bent.utf8)).stack == "unknown")
    }
}
