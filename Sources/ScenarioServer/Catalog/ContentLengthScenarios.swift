/// Content-Length missing, zero, negative, unparsable, repeated, oversized or folded. The device
/// needs a positive Content-Length (else -101) and takes the last one it sees, parsed with atol.
enum ContentLengthScenarios {
    static let all: [Scenario] = [
        Scenario(
            name: "no-length",
            summary: "200 with the image but no Content-Length; the body ends when the server closes"
        ) { context in
            ResponseRecipe.respond(.standard(contentLength: nil), body: context.bodies.image)
        },
        Scenario(name: "length-zero", summary: "200 with Content-Length: 0 and no body") { _ in
            ResponseRecipe.respond(.standard(contentLength: 0))
        },
        Scenario(name: "length-negative", summary: "200 with Content-Length: -1, then the image") { context in
            withContentLengthLines(context, ["Content-Length: -1"])
        },
        Scenario(name: "length-garbage", summary: "200 with Content-Length: abc, then the image") { context in
            withContentLengthLines(context, ["Content-Length: abc"])
        },
        Scenario(
            name: "length-twice",
            summary: "200 with Content-Length: 100 and then a second, correct Content-Length, then the whole image"
        ) { context in
            withContentLengthLines(context, ["Content-Length: 100", "Content-Length: \(context.bodies.image.count)"])
        },
        Scenario(
            name: "length-huge",
            summary: "200 with Content-Length: 4294967296 (2^32), then the image and close"
        ) { context in
            withContentLengthLines(context, ["Content-Length: 4294967296"])
        },
        Scenario(
            name: "length-folded",
            summary: "200 whose Content-Length value is folded onto a continuation line (obs-fold), then the image"
        ) { context in
            withContentLengthLines(context, ["Content-Length:", " \(context.bodies.image.count)"])
        },
    ]

    /// The standard image download with `lines` where the Content-Length line would be.
    private static func withContentLengthLines(_ context: ScenarioContext, _ lines: [String]) -> [ScriptStep] {
        let head = ResponseHead.standard(contentLength: nil, extraHeaders: lines)
        return ResponseRecipe.respond(head, body: context.bodies.image)
    }
}
