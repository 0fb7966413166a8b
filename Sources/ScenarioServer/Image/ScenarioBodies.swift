/// The images a server's scenarios serve: the built-in test images, or one firmware file the
/// user gave (`otaprobe serve --firmware FILE`), with the variants the scenarios derive from it
/// (gzip-wrapped, first bytes bent, tail damaged) built once when the server starts.
///
/// Scenarios read their image from here (through `ScenarioContext`) instead of from
/// `ServedBodies`, so "good", "chunked", "stall-body" or "md5-wrong" can serve a sketch's own
/// build. Scenarios whose point is a particular other file (an ELF, a 16 MB-flash header, an
/// ESP32-C3 image, an HTML page) keep their built-in bodies whatever is given here.
public final class ScenarioBodies: Sendable {
    /// The ESP8266-flavoured image (the built-in one is `ServedBodies.standardImage`).
    public let image: [UInt8]
    /// Lower-case hex MD5 of `image`, what an `x-MD5` header carries.
    public let imageMD5: String
    /// The ESP32 app image the ESP32 scenarios serve (the same file as `image` when a firmware
    /// file was given: the scenarios then serve that one file whatever chip it is for).
    public let esp32Image: [UInt8]
    /// True when a firmware file replaced the built-in images.
    public let isFirmwareFile: Bool

    /// `image` as a real gzip member (stored blocks).
    let gzippedImage: [UInt8]
    /// `image` with its first two bytes replaced by 1F 00 (a 0x1F magic that is not gzip).
    let magic1F: [UInt8]
    /// `esp32Image` with its last 64 bytes damaged (checksum and SHA-256 then fail).
    let esp32CorruptTail: [UInt8]

    private init(image: [UInt8], imageMD5: String, gzippedImage: [UInt8], esp32Image: [UInt8], isFirmwareFile: Bool) {
        self.image = image
        self.imageMD5 = imageMD5
        self.gzippedImage = gzippedImage
        self.esp32Image = esp32Image
        self.isFirmwareFile = isFirmwareFile
        var bent = image
        for index in 0..<min(2, bent.count) { bent[index] = [0x1F, 0x00][index] }
        magic1F = bent
        var damaged = esp32Image
        for index in max(0, damaged.count - 64)..<damaged.count { damaged[index] ^= 0xA5 }
        esp32CorruptTail = damaged
    }

    /// The built-in test images: a 300 000-byte ESP8266 image and an ESP32 app image.
    public static let builtIn = ScenarioBodies(
        image: ServedBodies.standardImage, imageMD5: ServedBodies.standardImageMD5,
        gzippedImage: ServedBodies.gzippedStandardImage, esp32Image: ESP32Bodies.app, isFirmwareFile: false)

    /// Every image-serving scenario serves `firmware` (a user's build, read whole).
    public static func firmware(_ firmware: [UInt8]) -> ScenarioBodies {
        ScenarioBodies(image: firmware, imageMD5: md5Hex(firmware), gzippedImage: StoredGzip.wrap(firmware),
                       esp32Image: firmware, isFirmwareFile: true)
    }
}
