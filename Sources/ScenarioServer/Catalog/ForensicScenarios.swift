/// 200 answers whose body is some other thing users actually get: a storage error, a hosting
/// interstitial, an image bent by a script, an image for another chip or partition
/// (field-failures.md §1.B, §1.G, §1.H). Each is what `otaprobe` must *name*.
enum ForensicScenarios {
    static let all: [Scenario] = [
        Scenario(name: "s3-access-denied", summary: "403 with an S3 XML error body (AccessDenied, Request has expired)") { _ in
            ResponseRecipe.page(status: 403, reason: "Forbidden", text: ForensicBodies.s3Error, contentType: "application/xml")
        },
        Scenario(name: "drive-virus-scan", summary: "200 text/html: Google Drive's virus-scan warning page instead of the file") { _ in
            ResponseRecipe.page(status: 200, reason: "OK", text: ForensicBodies.driveWarning, contentType: "text/html; charset=utf-8")
        },
        Scenario(name: "github-blob", summary: "200 text/html: a GitHub /blob/ page for the file instead of the raw bytes") { _ in
            ResponseRecipe.page(status: 200, reason: "OK", text: ForensicBodies.githubBlob, contentType: "text/html; charset=utf-8")
        },
        Scenario(name: "stray-newline", summary: "200 with a newline printed before the image (PHP after '?>'); Content-Length counts it") { context in
            ResponseRecipe.download([0x0A] + context.bodies.image)
        },
        Scenario(name: "utf8-reencoded", summary: "200 with the image re-encoded as UTF-8 text (0xE9 became C3 A9)") { _ in
            ResponseRecipe.download(ForensicBodies.utf8Image)
        },
        Scenario(name: "littlefs-image", summary: "200 with a LittleFS filesystem image instead of the sketch") { _ in
            ResponseRecipe.download(ForensicBodies.littleFS)
        },
        Scenario(name: "esp32s3-image", summary: "200 with an ESP32-S3 app image (E9, chip id 9) instead of an ESP8266 one") { _ in
            ResponseRecipe.download(ForensicBodies.esp32s3App)
        },
    ]
}

/// Bodies of the scenarios above, built once.
enum ForensicBodies {
    static let s3Error = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Error><Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>3600</X-Amz-Expires><RequestId>8C4F1E2A</RequestId></Error>
        """

    static let driveWarning = """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>Google Drive - Virus scan warning</title></head>
        <body><form id="download-form" action="https://drive.usercontent.google.com/download" method="get">
        <p>Google Drive can't scan this file for viruses.</p><input type="hidden" name="id" value="1AbCdEf">
        <input type="hidden" name="confirm" value="t"></form></body></html>
        """

    static let githubBlob = """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
        <title>firmware/fw.bin at main · maker/esp-project · GitHub</title>
        <meta property="og:url" content="https://github.com/maker/esp-project/blob/main/firmware/fw.bin"></head><body></body></html>
        """

    /// Every byte ≥ 0x80 written as its two-byte UTF-8 form, as `res.send(buffer.toString())` does.
    static let utf8Image: [UInt8] = ServedBodies.standardImage.prefix(100_000).flatMap { byte -> [UInt8] in
        byte < 0x80 ? [byte] : [0xC0 | (byte >> 6), 0x80 | (byte & 0x3F)]
    }

    /// A LittleFS superblock: revision count, then the "littlefs" magic at offset 8.
    static let littleFS: [UInt8] = {
        var block: [UInt8] = [0x01, 0x00, 0x00, 0x00, 0xF0, 0x0F, 0xFF, 0xF7] + Array("littlefs".utf8)
        block += [0x2F, 0xE0, 0x00, 0x10, 0x00, 0x00, 0x02, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00]
        return block + [UInt8](repeating: 0xFF, count: 65_536 - block.count)
    }()

    /// The head of an ESP32-S3 app image: magic, one segment, DIO, 4 MB (ESP32 code 2) at
    /// 80 MHz, entry, wp pin 0xEE, chip id 9 at offset 12, then a segment of filler.
    static let esp32s3App: [UInt8] = {
        var header: [UInt8] = [0xE9, 0x01, 0x02, 0x2F, 0x24, 0x8A, 0x37, 0x40, 0xEE, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x63, 0x00]
        header += [UInt8](repeating: 0, count: 24 - header.count)
        let segment = Array(ServedBodies.standardImage.prefix(4096))
        header += [0x20, 0x00, 0x00, 0x3C, 0x00, 0x10, 0x00, 0x00] + segment
        var checksum: UInt8 = 0xEF
        for byte in segment { checksum ^= byte }
        while header.count % 16 != 15 { header.append(0) }
        return header + [checksum]
    }()
}
