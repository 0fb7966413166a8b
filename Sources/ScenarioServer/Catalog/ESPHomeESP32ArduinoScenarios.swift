/// What tells ESPHome 2025.12's Arduino http layer on the ESP32 from its esp-idf one (spec
/// esphome-and-tasmota.md §1.5, E4.3, E10): an ESP32 image that arrives in pieces. The esp-idf
/// build's read waits for each piece; the Arduino build's read returns 0 at the first gap and
/// its loop ends, so the same server updates one and fails the other with an MD5 mismatch.
enum ESPHomeESP32ArduinoScenarios {
    static let all: [Scenario] = [
        Scenario(name: "esp32-slow-body", summary: "200 with the ESP32 app image and its Content-Length, the body in 8 KiB pieces every 100 ms") { context in
            let image = context.bodies.esp32Image
            return [
                .send(ResponseHead.standard(contentLength: image.count).bytes),
                .sendSlowly(image, chunk: 8192, intervalMilliseconds: 100),
                .close,
            ]
        },
    ]
}
