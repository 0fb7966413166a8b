/// Why and what to change for ESPHome's `ota.http_request` on the Arduino framework — ESP8266
/// and ESP32 (spec esphome-and-tasmota.md E3.2, E3.3, E4.3, E7, E10): the words that differ from
/// the ESP-IDF build — HTTPClient's errors, its FORCE redirects, the non-blocking read that
/// ends the 2025.12 download at the first empty socket buffer, and (ESP8266) the Updater's end
/// checks. Causes whose words are the same as on ESP-IDF (no MD5, md5_url, status not 200, MD5
/// mismatch, and on the ESP32 the IDF backend's checks) return nil here.
extension Diagnosis {
    func esphomeArduinoExplanation(_ verdict: Verdict, client: ESPHomeProfile.ArduinoClient, last: Exchange?, body: BodyKind) -> (String, [String])? {
        let result = "\(verdict.resultName) (\(verdict.code))"
        let unknown = Int(UInt32.max)
        let esp8266 = profile.esphomeRules?.isESP8266 ?? true
        let chip = esp8266 ? "ESP8266" : "ESP32"
        let native = profile.esphomeRules?.writesThroughNativeESP8266Backend == true
        let stop = Self.esphomeLineText(verdict, fallback: "")
        // 2026.6 decodes whenever getSize() is -1, chunked or not (E26 http_request_arduino.cpp).
        let misreadAsChunks = client.decodesChunked == true && last?.head?.size == -1
            && !(last?.head?.transferEncoding?.lowercased().hasSuffix("chunked") ?? false)
        switch verdict.cause {
        case .updated where profile.esphomeRules?.ota.idleTimeoutLoop == true:
            let size = last?.head?.size ?? 0
            let length = size < 0 ? "without a Content-Length (decoded as chunked, the final chunk ending the loop)" : "with \(size) bytes and a Content-Length"
            return ("The server answered 200 \(length); ESPHome 2026.6's loop waits for data (up to the http timeout between reads), the MD5 of what the device read matches the expected one, and the native backend's end checks (magic byte, flash size) passed: it stages the image and the device reboots into it: \(verdict.resultName) (\(verdict.code)).",
                    size < 0 ? ["Serve the image with a Content-Length. Without one, begin() got 4294967295: that size rounds to 0 in 32 bits, so the image was written from the filesystem's first sector on, and the backend staged size=4294967295 for eboot to copy at the next boot (derived from ota_backend_esp8266.cpp, not run on a device)."] : [])
        case .esphomeStreamError(let received, let expected, false) where profile.esphomeRules?.ota.idleTimeoutLoop == true:
            return ("The body stopped at \(received) of \(expected == unknown ? "an unknown number of" : String(expected)) bytes and no byte came for \(timeout) ms; ESPHome 2026.6's loop waits that long for data, then stops with `\(stop)`: \(result).",
                    ["Make the server send the whole body without pauses of \(timeout / 1000) s or more (http_request: timeout:)."])
        case .md5Mismatch where misreadAsChunks, .esphomeStreamError where misreadAsChunks:
            let read = last?.body.bytesConsumedByDevice ?? 0
            let end = verdict.code == 0x8B
                ? "a line of the body ended it as if it were the last chunk, and the MD5 of what it delivered is not the expected one"
                : "the server closed before the decoder saw a last chunk (`\(stop)`)"
            return ("The answer had no Content-Length and was not chunked. ESPHome 2026.6 treats every answer whose length HTTPClient reports as -1 as chunked and runs its chunk decoder over it, so the body's own bytes were read as chunk framing: the decoder delivered \(read) bytes of it; \(end): \(result) [derived from the decoder's rules, not run on a device].",
                    ["Serve the image with a Content-Length (a static file)."])
        case .esphomeNothingRead where native, .magicAfterDownload where native, .imageTooBigForFlash where native:
            return ("The whole body was downloaded and its MD5 matched, but ESPHome's ESP8266 backend refuses it at the end (`\(stop)`): \(result). The body is \(body.summary).",
                    ["Serve the firmware.bin / .ota.bin of the ESP8266 build, built for the device's flash size."])
        case .updated where !esp8266:
            let size = last?.head?.size ?? 0
            return ("The server answered 200 with \(size) bytes and a Content-Length, every read of ESPHome's loop found bytes waiting, the MD5 of what the device read matches the expected one, and esp_ota_end() verified the image: OTA_RESPONSE_OK, the device reboots into it.",
                    ["Over Wi-Fi a pause between TCP segments ends ESPHome 2025.12's download early (MD5 mismatch); updating ESPHome (2026.1 or later, where the ESP32 also uses the ESP-IDF client) removes that risk."])
        case .updated:
            let size = last?.head?.size ?? 0
            return ("The server answered 200 with \(size) bytes and a Content-Length, every read of ESPHome's loop found bytes waiting, the MD5 of what the device read matches the expected one, and the Updater's end checks (magic byte, flash size) passed: OTA_RESPONSE_OK, the device reboots into the staged image.",
                    ["Over Wi-Fi a pause between TCP segments ends ESPHome 2025.12's download early (MD5 mismatch); updating ESPHome (2026.1 or later) removes that risk."])
        case .esphomeBufferRanEmpty(let received, let expected, let pause):
            let length = expected == unknown
                ? "The answer had no Content-Length (chunked or length-less), which HTTPClient reports as -1 and ESPHome keeps as 4294967295, so the loop reads the raw socket — chunk framing included — until a read finds nothing"
                : "The server sent \(received) of \(expected) bytes and then paused (nothing new for more than \(pause) ms)"
            return ("\(length). ESPHome 2025.12's read on the \(chip) (Arduino framework) does not wait: a read that finds the socket buffer empty returns 0 and do_ota_() ends its loop (`Done in …`), hashes what it has and compares: \(result).",
                    expected == unknown
                        ? ["Serve the image as a static file with a Content-Length (no chunked encoding).", "Even then, ESPHome 2025.12.x on the ESP8266 needs a server that never pauses; ESPHome 2026.1 or later waits for data."]
                        : ["Serve the image without pauses (a static file from a server on the device's network), or update ESPHome (the fix, PR #13435, is in 2026.1 and later; 2025.12.x has the bug)."])
        case .esphomeStreamError(let received, let expected, _):
            let of = expected == unknown ? "\(received) bytes of an answer without a length" : "\(received) of \(expected) bytes"
            return ("The server closed the connection after \(of); the device had read everything buffered, so the next read finds no stream (`Stream pointer vanished!`), returns -1, and ESPHome stops with `\(stop.isEmpty ? "Stream closed with error" : stop)`: \(result).",
                    ["Send the whole image with a Content-Length that matches it, and keep the connection open until it is sent."])
        case .esphomeNothingRead where esp8266:
            return ("The answer's MD5 matched an empty download, but the Updater refuses to end an update that wrote nothing (UPDATE_ERROR_NO_DATA, `End error: 13`): \(result).",
                    ["Serve the image itself, with its MD5."])
        case .connectFailed(let failure):
            let target = last.map { "\($0.host):\($0.port)" } ?? "the server"
            return ("The connection to \(target) failed (\(failure.kind.words): \(failure.detail)); HTTPClient returns -1 (`connection failed`) and ESPHome reports \(result).",
                    failure.kind == .tlsHandshake && !esp8266
                        ? ["The ESP32 (Arduino framework, verify_ssl: false) accepts any certificate but speaks TLS 1.2 only over mbedTLS: the server must offer TLS 1.2 with an ECDHE or RSA AES suite."]
                        : failure.kind == .tlsHandshake
                        ? ["The ESP8266 accepts any certificate (setInsecure) but has 512-byte TLS buffers: the server must honour the max_fragment_length extension (512) or keep its records small."]
                        : ["Check that the server listens there and is reachable from the device."])
        case .connectionLostBeforeHeaders, .headerTimeout, .noHTTPServer, .unsupportedTransferEncoding, .negativeStatus:
            let line = verdict.log.last { $0.contains("Error: ") } ?? ""
            let text = line.components(separatedBy: "Error: ").last ?? ""
            return ("HTTPClient could not read an answer (\(text.isEmpty ? "no status" : text)); ESPHome logs `HTTP Request failed` and reports \(result).",
                    ["Make the server answer the GET with a status line and headers within \(timeout / 1000) s (http_request: timeout:)."])
        case .esphomeRedirectFailed(let code, let location, let reason):
            let target = location.map { " to '\(Self.printable($0))'" } ?? ""
            return ("HTTPClient (FORCE mode, redirect_limit \(client.redirects.limit)) did not follow the \(code)\(target): \(reason.words). The 3xx is the final answer, and ESPHome's OTA goes on only with 200: \(result).",
                    ["Point the device at the final URL, or redirect with 301/302/303/307 to a URL of the same scheme (HTTPClient on the \(chip) never follows 308 or an http↔https change)."])
        case .notEnoughSpace(let length, let available, _):
            return ("The Content-Length \(length), rounded up to a 4 KiB sector, does not fit the \(available) bytes of free sketch space, so Update.begin() fails with UPDATE_ERROR_SPACE: \(result), logged as `backend->begin error: 136`.",
                    ["Build a smaller image, or flash a layout with more sketch space."])
        case .magicAfterDownload(let first, _):
            return ("The whole body was downloaded and its MD5 matched, but it does not start with 0xE9 (an app image) or 1F 8B (gzip): first byte 0x\(Self.hex(first)). Update.end() rejects it (`End error: 10`): \(result). The body is \(body.summary).",
                    ["Serve the firmware.bin / .ota.bin of the ESP8266 build."])
        case .imageTooBigForFlash(let imageFlash, let chip):
            return ("The image header declares a \(imageFlash)-byte flash, more than the device's \(chip) bytes, so Update.end() rejects it (`End error: 9`): \(result).",
                    ["Build for the device's flash size (board: / esp8266: flash size)."])
        case .urlRefused where !verdict.log.contains(where: { $0.contains("Incorrect URL prefix") }):
            return ("HTTPClient::begin() could not parse the URL, so ESPHome logs `HTTP Request failed` and sends nothing: \(result).",
                    ["Write the URL as http(s)://host[:port]/path."])
        case .sendFailed(let detail):
            return ("The request could not be written (\(detail)); HTTPClient returns an error and ESPHome reports \(result).", ["Check the server's connection handling."])
        default:
            return nil
        }
    }

    func esphomeArduinoSummary(_ cause: Cause) -> String? {
        switch cause {
        case .updated where profile.esphomeRules?.writesThroughNativeESP8266Backend == true: return "valid image, MD5 matches: staged by the native backend, device reboots"
        case .updated: return "valid image, no pause, MD5 matches: flashed, device reboots"
        case .esphomeBufferRanEmpty(let received, let expected, _):
            return expected == Int(UInt32.max) ? "no length: read until the buffer ran empty (\(received) bytes)" : "buffer ran empty at \(received) of \(expected) bytes: loop ended"
        case .esphomeStreamError(let received, _, _): return "server closed after \(received) bytes: stream vanished"
        case .esphomeNothingRead where profile.esphomeRules?.isESP8266 ?? true: return "nothing written: End error 13"
        case .notEnoughSpace: return "image does not fit the free sketch space"
        case .magicAfterDownload: return "downloaded, but not an image: End error 10"
        case .imageTooBigForFlash: return "image built for a bigger flash: End error 9"
        default: return nil
        }
    }
}
