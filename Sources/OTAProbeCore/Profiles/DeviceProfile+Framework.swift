extension DeviceProfile.Family {
    /// A firmware framework that drives a core's HTTP client itself (ESPHome's `http_request`
    /// OTA, Tasmota's `Upgrade`), as opposed to the core stacks a sketch or app calls. A plain
    /// `matrix` compares the cores and leaves the frameworks out: their answers need inputs of
    /// their own (ESPHome downloads nothing without an expected MD5) or repeat their core's
    /// result after a retry sequence of their own (Tasmota's nine attempts take 16 s and more on
    /// a failing URL). `--family` and `--profiles` name them.
    public var isFramework: Bool { self == .tasmota || self == .esphome }
}
