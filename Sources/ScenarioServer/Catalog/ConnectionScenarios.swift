/// Servers that misbehave at the connection level: silent, closing or resetting without an
/// answer, stopping mid-head, or sending the head so slowly that only per-line timeouts matter.
enum ConnectionScenarios {
    static let all: [Scenario] = [
        Scenario(name: "silent", summary: "reads the request, sends nothing, keeps the connection open until the client gives up (or the lifetime cap)") { _ in
            [.holdOpen(milliseconds: ScriptStep.untilLifetimeCap)]
        },
        Scenario(
            name: "close-immediately",
            summary: "closes the connection without sending a byte: right after accept when served alone, after the request head when routed",
            readsRequest: false
        ) { _ in
            [.close]
        },
        Scenario(
            name: "reset-immediately",
            summary: "resets the connection (TCP RST) without sending a byte: right after accept when served alone, after the request head when routed",
            readsRequest: false
        ) { _ in
            [.reset]
        },
        Scenario(name: "close-after-request", summary: "reads the request, then closes without answering") { _ in
            [.close]
        },
        Scenario(name: "reset-after-request", summary: "reads the request, then resets the connection (TCP RST) without answering") { _ in
            [.reset]
        },
        Scenario(name: "partial-headers-close", summary: "sends `HTTP/1.1 200 OK` and half a header line, then closes") { _ in
            [.send("HTTP/1.1 200 OK\r\nContent-Le".wireBytes), .close]
        },
        Scenario(
            name: "headers-then-silent",
            summary: "sends a 200 status line and one header line, then nothing until the client gives up (or the lifetime cap)"
        ) { _ in
            [
                .send("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n".wireBytes),
                .holdOpen(milliseconds: ScriptStep.untilLifetimeCap),
            ]
        },
        Scenario(
            name: "slow-headers",
            summary: "a valid 200 image response whose header block arrives 1 byte every 50 ms (about 5 s), then the body at once"
        ) { context in
            let image = context.bodies.image
            return [
                .sendSlowly(ResponseHead.standard(contentLength: image.count).bytes, chunk: 1, intervalMilliseconds: 50),
                .send(image),
                .close,
            ]
        },
    ]
}
