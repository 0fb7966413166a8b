/// A correct head with a body that arrives wrong: cut short, stalled, reset, too long, missing,
/// split so the first segment holds fewer than 4 body bytes, or trickling in.
enum BodyDeliveryScenarios {
    /// How much of the image the truncating scenarios send before misbehaving.
    static let truncatedBodyBytes = 100_000

    static let all: [Scenario] = [
        Scenario(
            name: "short-body",
            summary: "200 with the image's Content-Length, but only the first 100000 bytes, then close"
        ) { context in
            truncatedBody(context, then: .close)
        },
        Scenario(
            name: "stall-body",
            summary: "200 with the image's Content-Length, 100000 bytes, then silence until the client gives up (or the lifetime cap)"
        ) { context in
            truncatedBody(context, then: .holdOpen(milliseconds: ScriptStep.untilLifetimeCap))
        },
        Scenario(
            name: "reset-mid-body",
            summary: "200 with the image's Content-Length, 100000 bytes, then a TCP reset"
        ) { context in
            truncatedBody(context, then: .reset)
        },
        Scenario(name: "long-body", summary: "200 with the image's Content-Length, then the image plus 1000 extra bytes") { context in
            let image = context.bodies.image
            var extra = DeterministicBytes(seed: 0x10A6)
            return ResponseRecipe.respond(.standard(contentLength: image.count), body: image + extra.bytes(1000))
        },
        Scenario(name: "close-after-headers", summary: "200 headers with the image's Content-Length, then close with no body") { context in
            ResponseRecipe.respond(.standard(contentLength: context.bodies.image.count))
        },
        Scenario(
            name: "split-first-bytes",
            summary: "200 headers and the first 2 body bytes in one TCP segment, a 500 ms pause, then the rest of the image"
        ) { context in
            let image = context.bodies.image
            let head = ResponseHead.standard(contentLength: image.count)
            return [.send(head.bytes + image[0..<2]), .pause(milliseconds: 500), .send(Array(image[2...])), .close]
        },
        Scenario(name: "slow-body", summary: "200 with a valid image whose body trickles in 8 KiB pieces every 100 ms (about 4 s)") { context in
            let image = context.bodies.image
            return [
                .send(ResponseHead.standard(contentLength: image.count).bytes),
                .sendSlowly(image, chunk: 8192, intervalMilliseconds: 100),
                .close,
            ]
        },
    ]

    private static func truncatedBody(_ context: ScenarioContext, then ending: ScriptStep) -> [ScriptStep] {
        let image = context.bodies.image
        return [
            .send(ResponseHead.standard(contentLength: image.count).bytes),
            .send(Array(image.prefix(truncatedBodyBytes))),
            ending,
        ]
    }
}
