/// Well-framed 200 responses whose body is not the expected image: gzip (accepted from 2.7.4),
/// a 0x1F magic that is not gzip, a wrong file, a web page, too little or too much.
enum BodyContentScenarios {
    static let all: [Scenario] = [
        Scenario(
            name: "gzip-image",
            summary: "200 with Content-Encoding: gzip and a real gzip of the image (starts 1F 8B); Content-Length is the gzip size"
        ) { context in
            ResponseRecipe.download(context.bodies.gzippedImage, extraHeaders: ["Content-Encoding: gzip"])
        },
        Scenario(name: "magic-1f", summary: "200 with an image whose first two bytes are 1F 00 (0x1F magic, but not gzip)") { context in
            ResponseRecipe.download(context.bodies.magic1F)
        },
        Scenario(name: "elf-file", summary: "200 with an ELF file (7F 45 4C 46 …) instead of the .bin image") { _ in
            ResponseRecipe.download(OddBodies.elfFile)
        },
        Scenario(name: "html", summary: "200 text/html sign-in page instead of the firmware") { _ in
            ResponseRecipe.page(status: 200, reason: "OK", text: OddBodies.signInPage, contentType: "text/html; charset=utf-8")
        },
        Scenario(name: "tiny-body", summary: "200 with Content-Length: 2 and the body E9 01, then close") { _ in
            ResponseRecipe.download([0xE9, 0x01])
        },
        Scenario(
            name: "too-big",
            summary: "200 with Content-Length: 3000000 and a 3,000,000-byte image-like body (starts E9)"
        ) { _ in
            ResponseRecipe.download(ESP8266ImageBuilder(totalSize: 3_000_000).build())
        },
    ]
}

/// Bodies of the scenarios above, built once on first use.
private enum OddBodies {
    /// An ELF32 little-endian Xtensa header (what `firmware.elf` starts with) and filler: the
    /// classic "uploaded the wrong build artefact".
    static let elfFile: [UInt8] = {
        let identification: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x01, 0x01, 0x01, 0x00] + [UInt8](repeating: 0, count: 8)
        let typeExecutableMachineXtensa: [UInt8] = [0x02, 0x00, 0x5E, 0x00, 0x01, 0x00, 0x00, 0x00]
        var file = identification + typeExecutableMachineXtensa
        var filler = DeterministicBytes(seed: 0xE1F)
        file += filler.bytes(ServedBodies.standardImage.count - file.count)
        return file
    }()

    static let signInPage = """
        <!DOCTYPE html><html><head><title>Sign in - Example Cloud</title></head><body>\
        <h1>Sign in to continue</h1><form method="post" action="/login">\
        <input name="email" type="email"><input name="password" type="password">\
        <button type="submit">Sign in</button></form></body></html>
        """
}
