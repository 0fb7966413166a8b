extension String {
    /// The text cut to `limit` characters (Unicode scalars) with the count of what was left out,
    /// for server-supplied values that can be as long as a server likes: a 64 KiB Location is
    /// kept for the device model, but a report quotes its start.
    public func clipped(to limit: Int) -> String {
        let count = unicodeScalars.count
        guard count > limit else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.prefix(limit))) + "…(\(count - limit) more characters)"
    }
}
