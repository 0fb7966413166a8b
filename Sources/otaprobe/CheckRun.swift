import OTAProbe
import OTAProbeCore

/// One check exactly as `check` runs it: the device's probe, the Range request beside it, and
/// the comparisons with published digests and the local build. `check` prints one; `fleet` runs
/// many, each from the same flags, so an entry's JSON is the `check --json` object and nothing
/// else.
struct CheckRun: Sendable {
    let url: String
    let profile: DeviceProfile
    let identity: DeviceIdentity
    private(set) var settings: UpdaterSettings
    let maxTimeMs: Int
    let md5URL: String?
    let sha256URL: String?
    let expectations: IntegrityCheck.Expectations
    let rangeCheck: Bool

    /// Resolves the command's profile and flags; usage errors are thrown as `check` reports them.
    init(_ command: CheckCommand, catalog: ProfileCatalog) throws {
        try self.init(command, profile: try CLIEnvironment.profile(command.device.profile, in: catalog))
    }

    /// With the profile already resolved: a fleet resolves each profile once and shares it
    /// (a decoded profile is tens of kilobytes; one per entry would grow with the fleet).
    init(_ command: CheckCommand, profile: DeviceProfile) throws {
        url = command.url
        self.profile = profile
        var settings = try command.device.settings(url: command.url, profile: profile)
        var expectations = IntegrityCheck.Expectations()
        if let expectFile = command.expectFile {
            do {
                let digests = try FileDigests.of(path: expectFile)
                expectations.file = (expectFile, digests.md5, digests.sha256, digests.size)
            } catch {
                throw SettingRefusal(error.description)
            }
        }
        settings.computeDigests = command.digests || command.expectFile != nil || command.sha256URL != nil || command.md5URL != nil
        // Under ESPHome, --md5-url is the action's md5_url: the device fetches it itself, as
        // the first request of the exchange, and compares; no second, probe-side fetch.
        let deviceFetchesMD5 = profile.family == .esphome
        if deviceFetchesMD5 { settings.md5URL = command.md5URL }
        if command.manifest {
            guard profile.family == .esphome else {
                throw SettingRefusal("--manifest is ESPHome's update component: use it with an ESPHome profile (--profile esphome)")
            }
            // The update entity is modelled over both http layers: esp_http_client (ESP-IDF)
            // and HTTPClient (the Arduino builds), spec E8.
            settings.manifest = true
        }
        self.settings = settings
        self.expectations = expectations
        identity = command.device.identity()
        maxTimeMs = command.limits.maxTime
        md5URL = deviceFetchesMD5 ? nil : command.md5URL
        sha256URL = command.sha256URL
        // A Range request at a manifest says nothing about the image.
        rangeCheck = !command.noRangeCheck && !command.manifest
    }

    /// A copy that also compares the served image with an MD5 published elsewhere (a manifest).
    func comparing(md5 published: String, from source: String) -> CheckRun {
        var copy = self
        copy.publishedMD5 = (source, published)
        copy.settings.computeDigests = true
        // ESPHome's update entity hands the manifest's md5 to the OTA action (set_md5,
        // http_request_update.cpp:195-207): the device itself checks it.
        if profile.family == .esphome { copy.settings.expectedMD5 = published }
        return copy
    }

    private var publishedMD5: (source: String, md5: String)? = nil

    /// Runs the probe (waiting as the device would), then fetches the published digests.
    /// `onWait` is told how long the device still waits, for a countdown.
    func report(onWait: (@Sendable (Probe.Wait) -> Void)? = nil) -> ProbeReport {
        var probe = Probe(profile: profile, identity: identity, settings: settings)
        probe.maxTimeMs = maxTimeMs
        probe.onWait = onWait
        // Started beside the probe, read when it is done: never later than the device's time.
        let range = rangeCheck ? RangeCheck.start(profile: profile, identity: identity, settings: settings) : nil
        var report = probe.run()
        report.range = range?.finish(deviceTimeMs: report.verdict.deviceTimeMs)
        var expectations = expectations
        var fetchFailures: [IntegrityCheck.Finding] = []
        for (sidecar, isMD5) in [(md5URL, true), (sha256URL, false)] {
            guard let sidecar else { continue }
            do {
                let text = try SidecarFetcher.fetch(sidecar)
                if isMD5 { expectations.md5URL = (sidecar, text) } else { expectations.sha256URL = (sidecar, text) }
            } catch {
                fetchFailures.append(.init(source: isMD5 ? "md5-url" : "sha256-url", algorithm: isMD5 ? "MD5" : "SHA-256", expected: "", served: nil, matches: nil, message: error.description))
            }
        }
        if let publishedMD5 { expectations.published = (publishedMD5.source, "MD5", publishedMD5.md5) }
        report.integrity = fetchFailures + IntegrityCheck.check(expectations, exchange: report.exchanges.last)
        return report
    }
}

extension ProbeReport {
    /// A comparison the user asked for that fails is a failure too.
    var integrityFailed: Bool { integrity.contains { $0.matches == false } }
}
