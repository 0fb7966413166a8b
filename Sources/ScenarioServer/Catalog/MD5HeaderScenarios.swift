/// The `x-MD5` header in every shape that changes the device's verdict: upper-case (2.4.2
/// compares case-sensitively), wrong (error 7 after the download), not 32 characters (-105),
/// repeated (joined with a comma from 2.5.2, so -105 again).
enum MD5HeaderScenarios {
    /// 32 hex digits that are not the image's MD5 (checked by the tests).
    static let mismatchingMD5 = "0123456789abcdef0123456789abcdef"
    /// Used instead in the (astronomically unlikely) case that a firmware file has `mismatchingMD5`.
    static let otherMismatchingMD5 = "fedcba9876543210fedcba9876543210"

    static let all: [Scenario] = [
        Scenario(name: "md5-uppercase", summary: "200 with a valid image and the correct x-MD5 in upper-case hex") { context in
            ResponseRecipe.download(context.bodies.image, extraHeaders: ["x-MD5: \(context.bodies.imageMD5.uppercased())"])
        },
        Scenario(name: "md5-wrong", summary: "200 with a valid image and an x-MD5 of 32 hex digits that does not match it") { context in
            ResponseRecipe.download(context.bodies.image, extraHeaders: ["x-MD5: \(context.bodies.imageMD5 == mismatchingMD5 ? otherMismatchingMD5 : mismatchingMD5)"])
        },
        Scenario(name: "md5-short", summary: "200 with a valid image and x-MD5: 1234 (not 32 characters)") { context in
            ResponseRecipe.download(context.bodies.image, extraHeaders: ["x-MD5: 1234"])
        },
        Scenario(name: "md5-twice", summary: "200 with a valid image and two x-MD5 headers, both correct") { context in
            let md5 = context.bodies.imageMD5
            return ResponseRecipe.download(context.bodies.image, extraHeaders: ["x-MD5: \(md5)", "x-MD5: \(md5)"])
        },
    ]
}
