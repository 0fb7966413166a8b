/// Well-formed 200 responses carrying an image: the baseline every other scenario bends, plus
/// images whose header asks for a different flash size (the device's -107 check).
enum ImageScenarios {
    static let all: [Scenario] = [
        Scenario(name: "good", summary: "200 with Content-Length and a valid 4 MB ESP8266 image") { context in
            ResponseRecipe.download(context.bodies.image)
        },
        Scenario(name: "good-md5", summary: "200 with a valid image and a correct lower-case x-MD5 header") { context in
            ResponseRecipe.download(context.bodies.image, extraHeaders: ["x-MD5: \(context.bodies.imageMD5)"])
        },
        Scenario(name: "flash-16m", summary: "200 with a valid image whose header says 16 MB flash") { _ in
            ResponseRecipe.download(FlashSizeVariants.sixteenMegabytes)
        },
        Scenario(name: "flash-1m", summary: "200 with a valid image whose header says 1 MB flash") { _ in
            ResponseRecipe.download(FlashSizeVariants.oneMegabyte)
        },
        Scenario(
            name: "good-then-hold",
            summary: "200 with a valid image, then the server keeps the connection open for up to 15 s before closing"
        ) { context in
            let image = context.bodies.image
            return [.send(ResponseHead.standard(contentLength: image.count).bytes), .send(image), .holdOpen(milliseconds: 15_000)]
        },
    ]
}

/// Images differing from the standard one only in the flash-size nibble, built once on first use.
private enum FlashSizeVariants {
    static let sixteenMegabytes = ESP8266ImageBuilder(flashSizeNibble: 9).build()
    static let oneMegabyte = ESP8266ImageBuilder(flashSizeNibble: 2).build()
}
