/// An update script of the kind the ESP8266 documentation describes (spec field-failures.md
/// §4 "PHP readfile update scripts", rows #53 and #60): it decides from the updater's own
/// headers whether this device may update, and says no in its own words — a reason phrase of
/// its choosing, or a line of text. Written here from that description, not copied.
///
/// It checks, in order: the `User-Agent` of an Arduino updater (`ESP8266-http-Update`,
/// `ESP32-http-Update`), then the station MAC header the updater sends (`x-ESP8266-STA-MAC`,
/// `x-ESP32-STA-MAC`) against the one registered device, and only then serves the image for
/// that family with its `x-MD5`.
enum UpdateScriptScenarios {
    /// The one device the script knows (`--sta-mac 18:FE:34:A1:B2:C3` gets the image).
    static let registeredMAC = "18:FE:34:A1:B2:C3"

    static let esp32AppMD5 = md5Hex(ESP32Bodies.app)

    static let all: [Scenario] = [
        Scenario(
            name: "update-script",
            summary: "An update script: 403 'only for ESP updaters' unless the User-Agent is an Arduino updater's, then '500 ESP MAC not configured for updates' unless x-ESP*-STA-MAC is \(registeredMAC), else the image"
        ) { context in
            let agent = context.request?.header("User-Agent") ?? ""
            let family = agent == "ESP8266-http-Update" ? "ESP8266" : agent == "ESP32-http-Update" ? "ESP32" : nil
            guard let family else {
                return ResponseRecipe.page(status: 403, reason: "Forbidden", text: "only for ESP updaters (ESP8266-http-Update, ESP32-http-Update)!\n",
                                           contentType: "text/plain; charset=utf8")
            }
            guard context.request?.header("x-\(family)-STA-MAC")?.uppercased() == registeredMAC else {
                // The script sets its own reason phrase and prints nothing.
                return ResponseRecipe.respond(.standard(status: 500, reason: "ESP MAC not configured for updates", contentType: "text/plain; charset=utf8", contentLength: 0))
            }
            let (image, md5) = family == "ESP32" ? (ESP32Bodies.app, esp32AppMD5) : (ServedBodies.standardImage, ServedBodies.standardImageMD5)
            return ResponseRecipe.download(image, extraHeaders: ["Content-Disposition: attachment; filename=firmware.bin", "x-MD5: \(md5)"])
        },
    ]
}
