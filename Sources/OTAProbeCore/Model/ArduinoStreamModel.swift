/// Where an Arduino core's update stands: both cores walk the same phases and differ only in
/// the body writer (`UpdaterBodyWriter` on the ESP8266, `ESP32UpdaterBodyWriter` on the ESP32).
enum ArduinoPhase<Writer: StreamEventConsumer & Sendable>: Sendable {
    case notStarted
    case connecting(ConnectionPlan)
    case readingHead(ResponseHeadReader)
    case readingBody(Writer)
    case finished
}

/// The transport-event half of an Arduino model, shared: record what arrived on the current
/// exchange, hand the event to the phase's reader, then take the model's next step.
protocol ArduinoStreamModel: DeviceModel {
    associatedtype Writer: StreamEventConsumer & Sendable
    var exchanges: [Exchange] { get set }
    var phase: ArduinoPhase<Writer> { get set }
    /// After the head is complete (or failed): redirect, status switch, length checks.
    mutating func decide(code: Int, head: ResponseHead?, at time: Int, leftover: [UInt8])
    mutating func advanceBody(_ writer: Writer)
}

extension ArduinoStreamModel {
    public mutating func receive(_ bytes: UnsafeRawBufferPointer, at time: Int) {
        guard !bytes.isEmpty, !exchanges.isEmpty else { return }
        let index = exchanges.count - 1
        if exchanges[index].firstByteAtMs == nil { exchanges[index].firstByteAtMs = time }
        deliver(.bytes(bytes), at: time)
    }

    public mutating func connectionClosed(at time: Int, reset: Bool = false) {
        guard !exchanges.isEmpty else { return }
        exchanges.serverClosedLast(reset: reset, at: time)
        deliver(.closed, at: time)
    }

    public mutating func deadlinePassed(at time: Int) {
        deliver(.deadline, at: time)
    }

    /// HTTPClient's head parsing is the same on both cores; what follows is each core's own.
    mutating func advanceHead(_ reader: ResponseHeadReader) {
        let index = exchanges.count - 1
        switch reader.outcome {
        case .needMore:
            return
        case .failed(let code, let head, let at):
            exchanges[index].head = head
            decide(code: code, head: nil, at: at, leftover: [])
        case .complete(let code, let head, let at):
            exchanges[index].head = head
            decide(code: code, head: head, at: at, leftover: reader.leftover)
        }
    }

    private mutating func deliver(_ event: StreamEvent, at time: Int) {
        let index = exchanges.count - 1
        switch phase {
        case .readingHead(var reader):
            reader.consume(event, at: time)
            if case .bytes = event { exchanges[index].responseHead = reader.rawHead; exchanges[index].responseHeadBytes = reader.bytesSeen }
            phase = .readingHead(reader)
            advanceHead(reader)
        case .readingBody(var writer):
            if case .bytes(let bytes) = event { exchanges[index].body.record(bytes) }
            writer.consume(event, at: time)
            phase = .readingBody(writer)
            advanceBody(writer)
        default:
            break
        }
    }
}
