/// Whether a served (or local) image suits the device described by the flags: judged beside
/// the verdict, from the parsed image, because the device's own checks are narrower (the
/// ESP8266 updater looks at four bytes) and a wrong image it accepts is worse than one it
/// refuses.
public enum DeviceFit {
    public struct Finding: Sendable, Equatable, Codable {
        /// `chip`, `flashSize`, `space`, `checksum`, `sha256`, `complete`, `version`, `kind`.
        public let aspect: String
        /// nil = could not be judged.
        public let ok: Bool?
        public let message: String
    }

    /// The two Updater facts the ESP8266 judgement needs: from the core's profile, or — for
    /// ESPHome on the ESP8266, which writes through the same core's Updater — from the core
    /// it names (3.1.2: FS_end rounded, gzip accepted by `_verifyEnd`, A312:UPR:485-525).
    private struct ESP8266Rules {
        let fsEndRoundedToBlockSize: Bool
        let acceptsGzip: Bool

        init?(_ profile: DeviceProfile) {
            if let core = profile.esp8266 {
                fsEndRoundedToBlockSize = core.update.fsEndRoundedToBlockSize
                acceptsGzip = core.update.acceptedMagic.contains(0x1F)
            } else if case .esphome(let esphome) = profile, esphome.isESP8266 {
                fsEndRoundedToBlockSize = true
                acceptsGzip = true
            } else {
                return nil
            }
        }
    }

    /// `complete`: whether the whole body was seen (a probe that stopped early cannot judge
    /// checksums).
    public static func assess(_ image: FirmwareImageReport, identity: DeviceIdentity, profile: DeviceProfile, complete: Bool) -> [Finding] {
        guard let rules = ESP8266Rules(profile) else { return assessESP32(image, identity: identity, complete: complete) }
        var findings: [Finding] = []
        let filesystem = identity.mode == .fs
        let available = identity.spaceForUpdate(fsEndRoundedToBlockSize: rules.fsEndRoundedToBlockSize)
        let where_ = filesystem ? "the filesystem partition (\(available) bytes)" : "the free sketch space (\(available) bytes)"
        switch image.kind {
        case .esp8266App, .esp8266ArduinoCombined:
            guard let info = image.esp8266, let header = info.updaterHeader else { break }
            findings.append(Finding(aspect: "chip", ok: !filesystem, message: filesystem
                ? "an application image served to updateFS(): it would be written over the filesystem"
                : "an ESP8266 application image"))
            let declared = header.arduinoFlashChipSize
            if declared > 0 {
                let fits = declared <= identity.realFlashChipSize
                findings.append(Finding(aspect: "flashSize", ok: fits, message: fits
                    ? "built for a \(Diagnosis.size(declared)) flash; the chip has \(Diagnosis.size(identity.realFlashChipSize))"
                    : "built for a \(Diagnosis.size(declared)) flash, larger than the chip's \(Diagnosis.size(identity.realFlashChipSize))"))
            }
            findings += checksumFindings(info, complete: complete)
        case .esp8266Gzip:
            findings.append(Finding(aspect: "chip", ok: rules.acceptsGzip,
                                    message: rules.acceptsGzip ? "a gzip-compressed ESP8266 image (eboot decompresses it at boot)" : "a gzip-compressed image, which this core rejects (0xE9 only)"))
        case .esp32App(let chip), .esp32Bootloader(let chip):
            findings.append(Finding(aspect: "chip", ok: false, message: "an \(chip.name) image, not an ESP8266 one: the ESP8266 only checks the first byte (0xE9) and would flash it and fail to boot"))
            if let info = image.esp32 {
                if let descriptor = info.appDescriptor, !identity.currentVersion.isEmpty, descriptor.version == identity.currentVersion {
                    findings.append(Finding(aspect: "version", ok: false, message: "the image's version \"\(descriptor.version)\" is the version the device already runs"))
                }
                switch info.sha256 {
                case .valid: findings.append(Finding(aspect: "sha256", ok: true, message: "appended SHA-256 is valid"))
                case .invalid: findings.append(Finding(aspect: "sha256", ok: false, message: "appended SHA-256 does not match: corrupted in transit"))
                case .unavailable where complete: findings.append(Finding(aspect: "sha256", ok: false, message: "the image ends before its appended SHA-256: truncated"))
                default: break
                }
            }
        case .esp32Merged(let chip):
            findings.append(Finding(aspect: "kind", ok: false, message: "a merged factory image\(chip.map { " for \($0.name)" } ?? "") (bootloader, partition table and app at their flash offsets): OTA needs the app image alone"))
        case .littleFS:
            findings.append(Finding(aspect: "kind", ok: filesystem, message: filesystem ? "a LittleFS filesystem image" : "a LittleFS filesystem image served to update(): use updateFS() for it, or serve the sketch .bin"))
        case .elf:
            findings.append(Finding(aspect: "kind", ok: false, message: "an ELF file (the linker output), not the .bin image the Arduino build writes next to it"))
        case .gzip:
            findings.append(Finding(aspect: "kind", ok: false, message: "gzip data that does not decompress to an ESP8266 image"))
        case .empty, .unknown:
            break
        }
        let isImage: Bool
        switch image.kind {
        case .esp8266App, .esp8266ArduinoCombined, .esp8266Gzip, .esp32App, .littleFS: isImage = true
        default: isImage = false
        }
        if isImage {
            let fits = image.length <= available
            findings.append(Finding(aspect: "space", ok: fits, message: fits
                ? "\(image.length) bytes fit \(where_)"
                : "\(image.length) bytes do not fit \(where_)"))
        }
        return findings
    }

    /// For an ESP32 device: the chip and revision the image was built for, the OTA slot size,
    /// and the checksum and digest `esp_image_verify()` will check.
    static func assessESP32(_ image: FirmwareImageReport, identity: DeviceIdentity, complete: Bool) -> [Finding] {
        let device = identity.esp32
        var findings: [Finding] = []
        switch image.kind {
        case .esp32App(let chip):
            findings.append(Finding(aspect: "chip", ok: chip == device.chip, message: chip == device.chip
                ? "an \(chip.name) application image"
                : "an \(chip.name) image, but the device is an \(device.chip.name) (pass --chip if that is wrong)"))
            if let info = image.esp32 {
                if let problem = ESP32ImageVerification.revisionFailure(of: info, revision: device.revision) {
                    findings.append(Finding(aspect: "revision", ok: false, message: problem))
                }
                if let descriptor = info.appDescriptor, !identity.currentVersion.isEmpty, descriptor.version == identity.currentVersion {
                    findings.append(Finding(aspect: "version", ok: false, message: "the image's version \"\(descriptor.version)\" is the version the device already runs"))
                }
                if complete {
                    findings.append(Finding(aspect: "checksum", ok: info.checksum.isValid, message: info.checksum.summary))
                    switch info.sha256 {
                    case .valid: findings.append(Finding(aspect: "sha256", ok: true, message: "appended SHA-256 is valid"))
                    case .invalid: findings.append(Finding(aspect: "sha256", ok: false, message: "appended SHA-256 does not match: corrupted in transit"))
                    case .unavailable: findings.append(Finding(aspect: "sha256", ok: false, message: "the image ends before its appended SHA-256: truncated"))
                    case .notAppended: break
                    }
                } else {
                    findings.append(Finding(aspect: "complete", ok: nil, message: "only part of the image was seen, so checksums cannot be judged"))
                }
            }
            let fits = image.length <= device.partitionSize
            findings.append(Finding(aspect: "space", ok: fits, message: "\(image.length) bytes \(fits ? "fit" : "do not fit") the \(device.partitionSize)-byte OTA partition"))
        case .esp32Bootloader(let chip):
            findings.append(Finding(aspect: "kind", ok: false, message: "an \(chip.name) second-stage bootloader, not an application"))
        case .esp32Merged(let chip):
            findings.append(Finding(aspect: "kind", ok: false, message: "a merged factory image\(chip.map { " for \($0.name)" } ?? ""): OTA needs the app image alone (the build's <project>.bin)"))
        case .esp8266App, .esp8266ArduinoCombined, .esp8266Gzip:
            findings.append(Finding(aspect: "chip", ok: false, message: "an ESP8266 image, not one for an \(device.chip.name)"))
        case .elf:
            findings.append(Finding(aspect: "kind", ok: false, message: "an ELF file (the linker output), not the .bin image"))
        case .littleFS, .gzip:
            findings.append(Finding(aspect: "kind", ok: false, message: "not an application image (\(image.kind.summary))"))
        case .empty, .unknown:
            break
        }
        return findings
    }

    private static func checksumFindings(_ info: ESP8266FirmwareInfo, complete: Bool) -> [Finding] {
        guard complete else {
            return [Finding(aspect: "complete", ok: nil, message: "only \(info.totalLength) bytes were seen, so checksums cannot be judged")]
        }
        var findings: [Finding] = []
        if let app = info.app ?? info.bootloader {
            if !app.isComplete {
                findings.append(Finding(aspect: "complete", ok: false, message: "the image ends before its last segment: truncated"))
            } else if let crc = info.arduinoCRC, let valid = crc.isValid {
                findings.append(Finding(aspect: "checksum", ok: valid, message: valid
                    ? "Arduino flash CRC valid (ESP.checkFlashCRC() would pass)"
                    : "Arduino flash CRC does not match: truncated or corrupted in transit"))
            } else if app.checksum != .unavailable {
                let valid = app.checksum.isValid
                findings.append(Finding(aspect: "checksum", ok: valid, message: valid ? "image checksum valid" : "image checksum invalid: corrupted in transit"))
            }
        }
        return findings
    }


}
