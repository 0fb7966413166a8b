@testable import OTAProbeCore

/// Loads the shipped profiles from the repository, as the CLI does.
enum Profiles {
    static let directory: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/profiles"
    }()

    static let catalog: ProfileCatalog = try! ProfileCatalog(directory: directory)

    static func named(_ name: String) -> ESP8266ArduinoProfile { try! catalog.resolve(name).esp8266! }
    static func device(_ name: String) -> DeviceProfile { try! catalog.resolve(name) }

    static let v312 = named("esp8266-arduino-3.1.2")
    static let v302 = named("esp8266-arduino-3.0.2")
    static let v274 = named("esp8266-arduino-2.7.4")
    static let v252 = named("esp8266-arduino-2.5.2")
    static let v242 = named("esp8266-arduino-2.4.2")
    static let all = [v312, v302, v274, v252, v242]
}

/// A server as a timeline of events, played into the model the way `Probe` plays the real
/// transport: the model's deadlines decide when "nothing happened" is reported.
struct Timeline {
    enum Event {
        case bytes([UInt8], at: Int)
        case close(at: Int)
        var time: Int {
            switch self {
            case .bytes(_, let at), .close(let at): return at
            }
        }
    }

    /// One entry per connection the device opens; connections beyond the list are refused.
    var connections: [[Event]]
    var connectFailure: ConnectionFailure?

    init(_ events: [Event]) { connections = [events] }
    init(connections: [[Event]]) { self.connections = connections }

    static func response(_ text: String, at time: Int = 1, close: Int? = 2) -> Timeline {
        var events: [Event] = [.bytes(Array(text.utf8), at: time)]
        if let close { events.append(.close(at: close)) }
        return Timeline(events)
    }

    static func response(head: String, body: [UInt8], at time: Int = 1, close: Int? = 2) -> Timeline {
        var events: [Event] = [.bytes(Array(head.utf8) + body, at: time)]
        if let close { events.append(.close(at: close)) }
        return Timeline(events)
    }

    /// Plays the timeline; returns the finished model. Time starts at 0 for each connection.
    func play<Model: DeviceModel>(_ model: inout Model) {
        var clock = 0
        var connectionIndex = -1
        var pending: [Event] = []
        model.start(at: 0)
        for _ in 0..<100_000 {
            switch model.nextAction {
            case .finished:
                return
            case .open(let plan):
                if plan.reusesConnection, !pending.isEmpty {
                    // The device writes over the connection it holds: the server's events on
                    // it (a close, the next answer) go on from where they were.
                    model.connected(remoteAddress: "127.0.0.1:80", at: clock)
                    continue
                }
                connectionIndex += 1
                if let connectFailure {
                    model.connectFailed(connectFailure, at: clock)
                } else if connectionIndex < connections.count {
                    pending = connections[connectionIndex].map { shift($0, by: clock) }
                    model.connected(remoteAddress: "127.0.0.1:80", at: clock)
                } else {
                    model.connectFailed(ConnectionFailure(kind: .refused, detail: "no more connections in the timeline"), at: clock)
                }
            case .pause(let until):
                // The device waits with its connection closed: what the server still had
                // queued on it is gone.
                pending = []
                clock = max(clock, until)
                model.deadlinePassed(at: clock)
            case .receive(let deadline):
                if let next = pending.first, next.time <= deadline {
                    pending.removeFirst()
                    clock = max(clock, next.time)
                    switch next {
                    case .bytes(let bytes, _): bytes.withUnsafeBytes { model.receive($0, at: clock) }
                    case .close: model.connectionClosed(at: clock, reset: false)
                    }
                } else {
                    clock = max(clock, deadline)
                    model.deadlinePassed(at: clock)
                }
            }
        }
        fatalError("the model did not finish")
    }

    private func shift(_ event: Event, by offset: Int) -> Event {
        switch event {
        case .bytes(let bytes, let at): return .bytes(bytes, at: at + offset)
        case .close(let at): return .close(at: at + offset)
        }
    }
}

func run(_ timeline: Timeline, profile: ESP8266ArduinoProfile = Profiles.v312, identity: DeviceIdentity = DeviceIdentity(),
         url: String = "http://192.168.1.10/fw.bin", configure: (inout UpdaterSettings) -> Void = { _ in }) -> ESP8266UpdaterModel {
    var settings = UpdaterSettings(url: url)
    configure(&settings)
    var model = ESP8266UpdaterModel(profile: profile, identity: identity, settings: settings)
    timeline.play(&model)
    return model
}

/// A minimal ESP8266 image: magic, segment count, flash mode, size/frequency byte, then filler.
func image(size: Int = 8192, magic: UInt8 = 0xE9, flashNibble: UInt8 = 4) -> [UInt8] {
    var bytes: [UInt8] = [magic, 1, 2, flashNibble << 4, 0x10, 0x10, 0x20, 0x40]
    var state: UInt32 = 0x1234_5678
    while bytes.count < size {
        state = state &* 1_664_525 &+ 1_013_904_223
        bytes.append(UInt8(truncatingIfNeeded: state >> 24))
    }
    return bytes
}

func okHead(length: Int, extra: String = "") -> String {
    "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: \(length)\r\n\(extra)Connection: close\r\n\r\n"
}

import Crypto
func md5(_ bytes: [UInt8]) -> String { Insecure.MD5.hash(data: bytes).map { String(byte: $0) }.joined() }
