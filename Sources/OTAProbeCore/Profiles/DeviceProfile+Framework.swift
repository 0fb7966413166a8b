extension DeviceProfile.Family {
    /// A firmware framework that drives a core's updater itself (Tasmota), as opposed to the
    /// core stacks a sketch or app calls. A plain `matrix` compares the cores and leaves the
    /// frameworks out: their rows repeat their core's result after a retry sequence of their
    /// own (Tasmota's nine attempts take 16 s and more on a failing URL). `--family` and
    /// `--profiles` name them.
    public var isFramework: Bool { self == .tasmota }
}
