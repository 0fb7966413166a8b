/// Where a request head ends: after the first empty line.
///
/// An empty line is LF right after the LF that ended the previous line, optionally with a CR in
/// between, so both proper CRLF CRLF and a sloppy client's LF LF end the head without waiting for
/// the read timeout.
enum RequestHeadBoundary {
    /// The index just past the blank line, or nil if the head is not complete yet. Starts looking
    /// at `searchingFrom` so a growing buffer is not rescanned from the start on every read.
    static func end(in bytes: [UInt8], searchingFrom start: Int) -> Int? {
        var index = max(0, start)
        while index < bytes.count {
            if bytes[index] == ASCII.lineFeed {
                let next = index + 1
                if next < bytes.count && bytes[next] == ASCII.lineFeed { return next + 1 }
                if next + 1 < bytes.count && bytes[next] == ASCII.carriageReturn && bytes[next + 1] == ASCII.lineFeed {
                    return next + 2
                }
            }
            index += 1
        }
        return nil
    }
}
