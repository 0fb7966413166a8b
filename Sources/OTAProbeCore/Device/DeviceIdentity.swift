/// What the device knows about itself and reports in the `x-ESP8266-*` headers.
///
/// Users copy these values from their server log or their sketch; the defaults describe a
/// typical 4 MB NodeMCU / Wemos D1 mini running a ~400 kB sketch.
public struct DeviceIdentity: Sendable, Equatable {
    public enum UpdateMode: String, Sendable, CaseIterable {
        /// `ESPhttpUpdate.update(...)`: writes the application.
        case sketch
        /// `ESPhttpUpdate.updateFS(...)` / `updateSpiffs(...)`: writes the filesystem.
        case fs
    }

    public var chipID: UInt32 = 10_451_887
    /// `WiFi.macAddress()` / `WiFi.softAPmacAddress()`; sent as `%02X:` (see `MACAddress`).
    public var staMAC = MACAddress(bytes: [0x5C, 0xCF, 0x7F, 0x9F, 0x7A, 0xAF])!
    public var apMAC = MACAddress(bytes: [0x5E, 0xCF, 0x7F, 0x9F, 0x7A, 0xAF])!
    public var layout: FlashLayout = FlashLayout.named("4M2M")!
    /// `ESP.getFlashChipRealSize()`; by default the layout's chip size.
    public var flashChipSize: Int? = nil
    /// `ESP.getSketchSize()`: absolute end of the running image, 16-byte aligned.
    public var sketchSize: Int = 400_000
    /// `ESP.getSketchMD5()`, sent lower-case. nil: the call came back empty (its 512-byte
    /// buffer or the flash read failed, 3.1.2:ESP:935-960) and the header goes out empty.
    public var sketchMD5: HexDigest? = HexDigest(hex: "2f5d8a0a6a4c7e2bb0a3f1c4d9e8b7a6", byteCount: 16)
    /// nil = the profile's default SDK string.
    public var sdkVersion: String? = nil
    public var mode: UpdateMode = .sketch
    /// Empty means the sketch passed "" and no `x-ESP8266-version` header is sent.
    public var currentVersion: String = ""
    /// Overrides the free sketch space derived from the layout and sketch size.
    public var freeSpaceOverride: Int? = nil
    /// Built with "Mapping defined by Hardware and Sketch" (`FLASH_MAP_SUPPORT`): 3.1.2 then
    /// skips the flash-size check (3.1.2:UPD:314).
    public var flashMapSupport: Bool = false

    /// What an ESP32 reports about itself (`x-ESP32-*`) and what its update checks compare.
    public var esp32 = ESP32Identity()

    public init() {}

    public var realFlashChipSize: Int { flashChipSize ?? layout.flashSizeBytes }

    /// `ESP.getFreeSketchSpace()` = FS start − sketch size rounded up to a 4 KiB sector
    /// (3.1.2:ESP:623-634; 2.4.2:ESP:454-465), in the core's `uint32_t` arithmetic: a sketch
    /// that ends past the FS start wraps to a value near 4 GiB, which is what the
    /// `x-ESP8266-free-space` header then carries (`String(uint32_t)`, 3.1.2:UPD:173).
    public var freeSketchSpace: Int {
        if let freeSpaceOverride { return Int(UInt32(truncatingIfNeeded: freeSpaceOverride)) }
        let start = (UInt32(truncatingIfNeeded: sketchSize) &+ 4095) & ~4095
        return Int(UInt32(truncatingIfNeeded: layout.filesystemStart) &- start)
    }

    /// The space httpUpdate compares an image's length against: the FS partition for
    /// `updateFS()`, else the free sketch space, both cast to `int` first
    /// (`len > (int) spiffsSize`, `len > (int) ESP.getFreeSketchSpace()`: 3.1.2:UPD:247-257;
    /// 2.4.2:UPD:262-270), so a wrapped free space past 2 GiB is negative and refuses every image.
    public func spaceForUpdate(fsEndRoundedToBlockSize: Bool) -> Int {
        let space = mode == .fs ? filesystemSize(roundedToBlockSize: fsEndRoundedToBlockSize) : freeSketchSpace
        return Int(Int32(truncatingIfNeeded: space))
    }

    /// The FS partition size httpUpdate compares an FS image against (3.1.2:UPD:247-252).
    public func filesystemSize(roundedToBlockSize: Bool) -> Int {
        layout.filesystemEnd(roundedToBlockSize: roundedToBlockSize) - layout.filesystemStart
    }
}

/// The ESP32 side of the device: the chip the firmware was built for, and the running app.
///
/// Defaults describe an ESP32 dev board with 4 MB flash and Arduino's default partition table
/// (two 1.25 MB OTA slots, `app0`/`app1` at 0x10000 and 0x150000).
public struct ESP32Identity: Sendable, Equatable {
    /// `CONFIG_IDF_FIRMWARE_CHIP_ID` of the running firmware: what an image must declare.
    public var chip: ESP32Chip = .esp32
    /// Chip revision as IDF counts it: major × 100 + minor (v3.1 → 301).
    public var revision: Int = 300
    /// `esp_ota_get_next_update_partition()->size`: the slot the new image goes to.
    public var partitionSize: Int = 0x140000
    public var flashChipSize: Int = 4 << 20
    public var sketchSize: Int = 1_050_000
    /// `ESP.getSketchMD5()`, sent lower-case; nil: empty, and HTTPUpdate leaves the header
    /// out (A1.0.6 HTTPUpdate.cpp:198-201).
    public var sketchMD5: HexDigest? = HexDigest(hex: "4f6c0b5a9d3e8e21c7a2b1f0e9d8c7b6", byteCount: 16)
    /// `esp_partition_get_sha256()` of the running app, sent upper-case; nil: it failed and
    /// the header is left out (A1.0.6 HTTPUpdate.cpp:151-175).
    public var sketchSHA256: HexDigest? = HexDigest(hex: "9B1C3D5E7F90A2B4C6D8E0F1A3B5C7D9E1F3A5B7C9D1E3F5A7B9C1D3E5F7A9B1", byteCount: 32)
    public var baseMAC = MACAddress(bytes: [0x24, 0x6F, 0x28, 0xAB, 0xCD, 0xEC])!
    public var staMAC = MACAddress(bytes: [0x24, 0x6F, 0x28, 0xAB, 0xCD, 0xEC])!
    public var apMAC = MACAddress(bytes: [0x24, 0x6F, 0x28, 0xAB, 0xCD, 0xED])!

    public init() {}

    /// "v3.0" for 300.
    public var revisionText: String { "v\(revision / 100).\(revision % 100)" }
}
