extension DeviceProfile {
    /// The profile making one update call only: what a framework's retry sequence calls once.
    /// The probe uses it to look at where a redirect leads (one look at the target answers
    /// "what is there"; Tasmota's nine tries of it, 2 s apart, would add nothing but time).
    public var singleCall: DeviceProfile {
        guard case .tasmota(var profile) = self else { return self }
        // The counter is decremented before the attempt: 2 makes one, and no `.gz` retry.
        profile.retry.counterStart = 2
        profile.retry.gzipBelowCounter = 0
        return .tasmota(profile)
    }
}
