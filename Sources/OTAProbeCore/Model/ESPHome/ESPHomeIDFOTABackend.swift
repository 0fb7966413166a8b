/// ESPHome's `IDFOTABackend` (E25 ota/ota_backend_esp_idf.cpp), the OTA writer of every ESP32
/// build — esp-idf and Arduino framework alike (spec E7) — as a small value type, so the two
/// ESP32 models (`ESPHomeOTAModel` over esp_http_client, `ESPHomeArduinoOTAModel` over
/// arduino-esp32's HTTPClient) cannot drift apart on what the flash writer refuses and when.
///
/// Each step returns nil when it passes, or the `OTAResponseTypes` code and the cause when it
/// fails; the lines go into the ESPHome log as the device prints them: ESP-IDF's own line first
/// (relayed by ESPHome), then `do_ota_()`'s line for the backend error (ota_http_request.cpp),
/// which is the same source line in both models.
struct ESPHomeIDFOTABackend: Sendable {
    let esp32: ESP32Identity
    /// Bytes `esp_ota_write` accepted.
    private(set) var written = 0
    private var image = ESP32ImageParser()

    init(esp32: ESP32Identity) {
        self.esp32 = esp32
    }

    /// `OTA_SIZE_UNKNOWN`: `esp_ota_begin` erases the whole partition for it (as for 0) instead
    /// of checking it against the partition (IDF v5.5.1 app_update/esp_ota_ops.c:189-199). The
    /// Arduino http layer passes `(size_t) getSize()` = 4294967295 for an answer without a length.
    static let sizeUnknown = Int(UInt32.max)

    /// `begin(image_size)` (ota_backend_esp_idf.cpp:37-53): `esp_ota_begin` refuses a size over
    /// the next OTA partition with ESP_ERR_INVALID_SIZE → 0x89, which `do_ota_()` logs as
    /// `backend->begin error: 137` (ota_http_request.cpp:118-123).
    func begin(length: Int, log: inout ESPHomeLog) -> (code: Int, cause: Cause)? {
        let partition = esp32.partitionSize
        guard length != Self.sizeUnknown, length > partition else { return nil }
        log.add(.warning, "http_request.ota", 120, "backend->begin error: \(0x89)")
        return (0x89, .esphomeImageTooBig(length: length, partition: partition))
    }

    /// `write(data, len)` (ota_backend_esp_idf.cpp:64-75): `esp_ota_write` checks the first byte
    /// of the first write only (IDF v5.5.1 app_update/esp_ota_ops.c:333-334) →
    /// ESP_ERR_OTA_VALIDATE_FAILED → 0x80, logged by `do_ota_()` with the offset (bytes read
    /// before this chunk) and the Content-Length it knows (ota_http_request.cpp:156-159).
    mutating func write(_ bytes: [UInt8], offset: Int, contentLength: Int, log: inout ESPHomeLog) -> (code: Int, cause: Cause)? {
        if written == 0, let first = bytes.first, first != 0xE9 {
            log.idf(.error, "esp_ota_ops", "OTA image has invalid magic byte (expected 0xE9, saw 0x\(String(byte: first)))")
            log.add(.error, "http_request.ota", 156, "Error code (80) writing binary data to flash at offset \(offset) and size \(contentLength)")
            return (0x80, .invalidMagicOnWrite(first))
        }
        written += bytes.count
        image.feed(bytes)
        return nil
    }

    /// `end()` (ota_backend_esp_idf.cpp:85-100): `esp_ota_end` refuses a handle nothing was
    /// written to (ESP_ERR_INVALID_ARG → 0xFF) [derived: IDF v5.5.1 esp_ota_ops.c esp_ota_end];
    /// it and `esp_ota_set_boot_partition` verify the image (chip id, revision, segments,
    /// checksum, appended SHA-256) → ESP_ERR_OTA_VALIDATE_FAILED → 0x84, logged by `do_ota_()` as
    /// `Error ending update! error_code: %d` (ota_http_request.cpp:195-200).
    func end(log: inout ESPHomeLog, nothingWritten: @autoclosure () -> Cause) -> (code: Int, cause: Cause)? {
        if written == 0 {
            log.add(.warning, "http_request.ota", 197, "Error ending update! error_code: \(0xFF)")
            return (0xFF, nothingWritten())
        }
        if let problem = ESP32ImageVerification.failure(of: image.finish(), written: written, chip: esp32.chip, revision: esp32.revision, partitionSize: esp32.partitionSize) {
            log.idf(.error, "esp_image", problem)
            log.add(.warning, "http_request.ota", 197, "Error ending update! error_code: \(0x84)")
            return (0x84, .imageRejected(problem))
        }
        return nil
    }
}
