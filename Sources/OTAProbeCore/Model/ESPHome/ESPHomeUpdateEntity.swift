/// ESPHome's update entity (`update: platform: http_request`, E25
/// http_request/update/http_request_update.cpp) without the http client under it: what
/// `update_task` decides once its GET came back — status, buffer, parse, chip family, version,
/// `ota.path` — and the results and log lines of that decision. Both ESPHome models use it;
/// each keeps its own client's reads (esp_http_client's blocking ones in `ESPHomeOTAModel`,
/// HTTPClient's non-blocking ones in `ESPHomeArduinoOTAModel`), because that is where the
/// platforms differ (spec E8, E4.2, E4.3, E11).
struct ESPHomeUpdateEntity: Sendable {
    let profile: ESPHomeProfile
    /// `source_url_`, as the `Failed to … from %s` lines print it.
    let source: String
    /// `ESPHOME_VARIANT`: the `chipFamily` the device's build must carry.
    let variant: String
    /// `ESPHOME_PROJECT_VERSION` when the YAML sets a project (`--current-version`), else
    /// ESPHome's own version (:152-161).
    let currentVersion: String

    init(profile: ESPHomeProfile, identity: DeviceIdentity, source: String) {
        self.profile = profile
        self.source = source
        // esp8266/__init__.py:190 sets ESPHOME_VARIANT "ESP8266"; an ESP32 build its variant
        // name (esp32/const.py:38-49).
        self.variant = profile.isESP8266 ? "ESP8266" : identity.esp32.chip.name
        self.currentVersion = identity.currentVersion.isEmpty ? profile.esphomeVersion : identity.currentVersion
    }

    /// What the check leads to once the manifest is read and parsed.
    enum Decision: Sendable {
        /// `perform()`: `set_md5`, `set_url`, `flash()` (:195-207): the OTA action takes over.
        case install(url: String, md5: String, latest: String)
        /// The check ended here (no update, or the entity's error).
        case done(Verdict)
    }

    // MARK: The fetch (:53-71)

    /// Container null or status ≠ 200 (:55-60); the container is not ended.
    func fetchFailed(_ code: Int, log: inout ESPHomeLog, at time: Int) -> Verdict {
        log.add(.error, "http_request.update", 56, "Failed to fetch manifest from \(source)")
        return failed("Failed to fetch manifest", .fetchFailed(code), stage: .status, log: log, at: time)
    }

    /// `allocator.allocate(content_length)` returned null (:62-70): `content_length` as the
    /// client reported it, printed with `%zu` — 0 from esp_http_client for a chunked or
    /// length-less answer (`heap_caps_malloc(0)` is NULL, IDF heap_caps_base.c:113-117),
    /// 4294967295 from HTTPClient's `(size_t) getSize()` (http_request_arduino.cpp:140-142;
    /// on the ESP8266 `malloc` of that size fails as umm_malloc has no such block [derived]).
    /// 2026.x still allocates before it reads, with `http_read_fully` after (esphome/esphome
    /// http_request/update/http_request_update.cpp at 0b325b5a0a0a63415f17e9f2101bad570e73bd77,
    /// a 2026 dev version), and its Arduino client still sets `content_length` to SIZE_MAX for a
    /// chunked answer before `set_chunked()` (http_request_arduino.cpp, the version with the
    /// chunk decoder): so 2026.6.5 refuses a chunked manifest too [derived; UNVERIFIED against
    /// the 2026.6.5 wheel, whose update_task was not read].
    func allocationFailed(_ bytes: Int, log: inout ESPHomeLog, at time: Int) -> Verdict {
        log.add(.error, "http_request.update", 65, "Failed to allocate \(bytes) bytes for manifest")
        return failed("Failed to allocate memory for manifest", .allocationFailed(bytes: bytes), stage: .size, log: log, at: time)
    }

    /// Whether `allocate(length)` can succeed at all: never for 0 (chunked or length-less on
    /// esp_http_client) nor for 4294967295 (the same on HTTPClient) (spec E8).
    static func allocates(_ length: Int) -> Bool { length > 0 && length < Int(UInt32.max) }

    /// 2026.6's `http_read_fully` did not end OK: `Timeout reading manifest` or `Error reading
    /// manifest: %d`, then `Failed to read manifest` (spec E11).
    func readFailed(timedOut: Bool, error: Int, log: inout ESPHomeLog, at time: Int) -> Verdict {
        if timedOut {
            log.add(.error, "http_request.update", 0, "Timeout reading manifest")
        } else {
            log.add(.error, "http_request.update", 0, "Error reading manifest: \(error)")
        }
        return failed("Failed to read manifest", .fetchFailed(error), stage: .download, log: log, at: time)
    }

    // MARK: Parse, choose, compare, resolve (:87-190)

    /// The read loop ended with `bytes`: parse them, choose the build, compare the version and
    /// resolve `ota.path`; an install goes through `set_url`'s validation first. `cut` says the
    /// loop broke at an empty socket buffer before `expected` bytes, after a pause of `pauseMs`
    /// (2025.12 on Arduino): a parse error is then put down to that.
    func decide(_ bytes: [UInt8], cut: (expected: Int, pauseMs: Int)? = nil, log: inout ESPHomeLog, at time: Int) -> Decision {
        func parseProblem(_ error: String) -> ESPHomeManifestProblem {
            guard let cut else { return .parseError(error) }
            return .cutShort(received: bytes.count, expected: cut.expected, pauseMs: cut.pauseMs, error: error)
        }
        switch ESPHomeManifestReader.read(bytes, variant: variant) {
        case .noData:
            log.add(.error, "json", 39, "No data to parse")
            return .done(unparsable(parseProblem("No data to parse"), log: &log, at: time))
        case .parseError(let error):
            log.add(.error, "json", 59, "Parse error: \(error)")
            return .done(unparsable(parseProblem(error), log: &log, at: time))
        case .missingFields:
            log.add(.error, "http_request.update", 97, "Manifest does not contain required fields")
            return .done(unparsable(.missingFields, log: &log, at: time))
        case .noBuild:
            return .done(unparsable(.noBuild(variant: variant), log: &log, at: time))
        case .build(let path, let md5, let version):
            // 2026.6 leaves an empty path as it is (spec E11).
            let keepsEmpty = profile.ota.manifestKeepsEmptyPath == true && path.isEmpty
            let url = keepsEmpty ? "" : ESPHomeManifestReader.resolve(path, against: source) ?? path
            // String equality only: empty or equal is NO_UPDATE (:152-190).
            if version.isEmpty || version == currentVersion {
                return .done(Self.verdict(.esphomeNoUpdate, name: "UPDATE_STATE_NO_UPDATE", cause: .esphomeUpToDate(version: version), stage: .done, log: log, at: time))
            }
            // `set_url` → `validate_url_` (ota_http_request.cpp:269-275), then `flash()` finds
            // no URL (:44-48).
            guard url.utf8.count >= 8, url.hasPrefix("http"), url.contains("://") else {
                log.add(.error, "http_request.ota", 271, "URL is invalid and/or must be prefixed with 'http://' or 'https://'")
                log.add(.error, "http_request.ota", 46, "URL not set; cannot start update")
                return .done(failed("URL not set", .urlInvalid(url), stage: .url, log: log, at: time))
            }
            return .install(url: url, md5: md5, latest: version)
        }
    }

    /// The note an install's verdict carries: why a check led to a download at all.
    func installNote(latest: String) -> String {
        "The manifest offers version \(latest), the device runs \(currentVersion): the update entity is UPDATE_STATE_AVAILABLE, and otaprobe installed at once, as update.perform would."
    }

    /// `Failed to parse JSON from %s` (:132-136), component error `Failed to parse manifest JSON`.
    private func unparsable(_ problem: ESPHomeManifestProblem, log: inout ESPHomeLog, at time: Int) -> Verdict {
        log.add(.error, "http_request.update", 134, "Failed to parse JSON from \(source)")
        return failed("Failed to parse manifest JSON", problem, stage: .download, log: log, at: time)
    }

    /// The entity's `status_set_error(…)`: no OTA code, the error text as the result's name.
    private func failed(_ error: String, _ problem: ESPHomeManifestProblem, stage: Verdict.Stage, log: ESPHomeLog, at time: Int) -> Verdict {
        Self.verdict(.esphomeUpdateFailed, name: error, cause: .esphomeManifestUnusable(problem), stage: stage, log: log, at: time)
    }

    private static func verdict(_ result: Verdict.Result, name: String, cause: Cause, stage: Verdict.Stage, log: ESPHomeLog, at time: Int) -> Verdict {
        var verdict = Verdict(result: result, code: 0, name: name, message: log.headline, stage: stage, deviceTimeMs: time, cause: cause)
        verdict.log = log.lines
        return verdict
    }
}
