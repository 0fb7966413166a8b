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
    public var staMAC: String = "5C:CF:7F:9F:7A:AF"
    public var apMAC: String = "5E:CF:7F:9F:7A:AF"
    public var layout: FlashLayout = FlashLayout.named("4M2M")!
    /// `ESP.getFlashChipRealSize()`; by default the layout's chip size.
    public var flashChipSize: Int? = nil
    /// `ESP.getSketchSize()`: absolute end of the running image, 16-byte aligned.
    public var sketchSize: Int = 400_000
    public var sketchMD5: String = "2f5d8a0a6a4c7e2bb0a3f1c4d9e8b7a6"
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

    public init() {}

    public var realFlashChipSize: Int { flashChipSize ?? layout.flashSizeBytes }

    /// `ESP.getFreeSketchSpace()` = FS start − sketch size rounded up to a 4 KiB sector
    /// (3.1.2:ESP:623-634; 2.4.2:ESP:454-465).
    public var freeSketchSpace: Int {
        if let freeSpaceOverride { return freeSpaceOverride }
        return layout.filesystemStart - ((sketchSize + 4095) & ~4095)
    }

    /// The FS partition size httpUpdate compares an FS image against (3.1.2:UPD:247-252).
    public func filesystemSize(roundedToBlockSize: Bool) -> Int {
        layout.filesystemEnd(roundedToBlockSize: roundedToBlockSize) - layout.filesystemStart
    }
}
