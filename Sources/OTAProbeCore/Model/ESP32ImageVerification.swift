/// What `esp_image_verify()` decides about a downloaded app image, run by arduino-esp32's
/// `Update.end()` (through `esp_ota_set_boot_partition`, → error 9) and by ESP-IDF's
/// `esp_ota_end()` (→ ESP_ERR_OTA_VALIDATE_FAILED). The checks and their log lines follow
/// spec B7 (v5.4.4 bootloader_support/src/esp_image_format.c; bootloader_common_loader.c).
public enum ESP32ImageVerification {
    /// The first check that fails, as the bootloader_support log line, or nil when the image
    /// passes. `written` is how many bytes the device wrote to the partition.
    public static func failure(of image: ESP32ImageInfo?, written: Int, chip: ESP32Chip, revision: Int, partitionSize: Int) -> String? {
        guard let image else { return "image at 0x10000 has invalid magic byte (nothing flashed here?)" }
        if image.chip != chip {
            return "mismatch chip ID, expected \(chip.id), found \(image.chip.id)"
        }
        if let revisionProblem = revisionFailure(of: image, revision: revision) { return revisionProblem }
        if let problem = image.problems.first(where: { if case .truncated = $0 { return false } else { return true } }) {
            return problem.summary
        }
        guard let end = image.endOffset, written >= end - image.offset else {
            return "image ends at \(written) bytes, before its segments, checksum and digest (truncated download)"
        }
        if end - image.offset > partitionSize {
            return "Image length \(end - image.offset) doesn't fit in partition length \(partitionSize)"
        }
        if case .invalid(let stored, let computed) = image.checksum {
            return "Checksum failed. Calculated 0x\(String(computed, radix: 16)) read 0x\(String(stored, radix: 16))"
        }
        if case .invalid = image.sha256 { return "Image hash failed - image is corrupt" }
        return nil
    }

    /// `Image requires chip rev >= v%d.%d, but chip is v%d.%d` (and the `<=` form).
    public static func revisionFailure(of image: ESP32ImageInfo, revision: Int) -> String? {
        let chipText = "v\(revision / 100).\(revision % 100)"
        let minimum = Int(image.minChipRevisionFull)
        if revision < minimum {
            return "Image requires chip rev >= v\(minimum / 100).\(minimum % 100), but chip is \(chipText)"
        }
        let maximum = Int(image.maxChipRevisionFull)
        // 0xFFFF (or 0) means "no upper bound" in images built before the field existed.
        if maximum != 0, maximum != 0xFFFF, revision > maximum {
            return "Image requires chip rev <= v\(maximum / 100).\(maximum % 100), but chip is \(chipText)"
        }
        return nil
    }
}
