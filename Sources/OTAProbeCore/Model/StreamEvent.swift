/// One transport event as an Arduino model passes it on to the reader its phase holds (the
/// head reader, then the body writer): both cores' models react to the same three events in
/// the same way, only their body writers differ.
enum StreamEvent {
    case bytes(UnsafeRawBufferPointer)
    case closed
    case deadline
}

/// A reader that consumes the transport's events: `ResponseHeadReader`, `UpdaterBodyWriter`,
/// `ESP32UpdaterBodyWriter`.
protocol StreamEventConsumer {
    mutating func receive(_ bytes: UnsafeRawBufferPointer, at time: Int)
    mutating func connectionClosed(at time: Int)
    mutating func deadlinePassed(at time: Int)
}

extension StreamEventConsumer {
    mutating func consume(_ event: StreamEvent, at time: Int) {
        switch event {
        case .bytes(let bytes): receive(bytes, at: time)
        case .closed: connectionClosed(at: time)
        case .deadline: deadlinePassed(at: time)
        }
    }
}

extension ResponseHeadReader: StreamEventConsumer {}
extension UpdaterBodyWriter: StreamEventConsumer {}
extension ESP32UpdaterBodyWriter: StreamEventConsumer {}
