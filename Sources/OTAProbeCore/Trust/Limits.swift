/// Every bound otaprobe puts on itself, in one place, each with the reason for its size.
///
/// The probe is pointed at servers nobody trusts, so nothing a server sends may make it hang,
/// balloon or hammer. These bounds limit the *probe*, never the device's truth: when the device
/// itself would loop, wait or read forever, the probe replays a bounded part of that at the
/// device's own pace and the verdict says what the device would do (`DEVICE_HANGS`), or that
/// it would still be waiting when the probe stopped (`DEVICE_STILL_WAITING`).
public enum Limits {
    // MARK: What is kept for the report (memory)

    /// Raw response-head bytes kept per exchange. 16 KiB shows every real head whole (nginx's
    /// largest default is 8 KiB, esp_http_client's 512 B) while a header bomb costs 16 KiB, even
    /// times the 300 exchanges a run may hold.
    public static let headBytesKept = 16 * 1024
    /// Request bytes shown per exchange (human trace, dumps and JSON); the request itself is
    /// sent whole. A device only sends more when a server redirects it to a huge URL.
    public static let requestBytesShown = 16 * 1024
    /// Bytes of a head or request in a `--verbose` hex dump; the trace above it shows the rest.
    public static let dumpBytes = 4096
    /// Characters of one line of human output: a 64 KiB Location quoted in a sentence is cut
    /// here, with the count of what was left out.
    public static let lineCharactersShown = 2048
    /// Header fields kept per response for the report and JSON; the rest are only counted
    /// ("100000 headers, first 100 shown"). The headers the device acts on (Content-Length,
    /// Transfer-Encoding, Location, x-MD5 …) are extracted as they arrive, so this never
    /// changes a verdict.
    public static let headersKept = 100
    /// Bytes of one header line the reader keeps. The ESP8266 `String` would have run out of
    /// heap long before (3.1.2 WString.cpp:363-375 drops what `concat` cannot hold), and no
    /// header the device acts on needs more.
    public static let headerLineBytesKept = 64 * 1024
    /// Body bytes kept for recognising what the body is and showing its start.
    public static let bodyPrefixKept = 4096
    /// Characters of one server-supplied string (a Location, a header value) quoted in
    /// sentences; the full value, escaped, stays in the exchange trace.
    public static let quotedCharacters = 256
    /// Characters of a server's own words quoted in Why (a reason phrase, a page title, the
    /// first line of an error text): an update script's refusal ("ESP MAC not configured for
    /// updates") fits in a third of this, and a hostile page cannot fill the explanation.
    public static let serverWordsCharacters = 120
    /// An error body up to this size is a message worth quoting (its first line); a longer one
    /// is a document (a README, a log dump) whose first line rarely says why.
    public static let quotedBodyBytes = 2048
    /// A redirect target longer than this is not fetched: no firmware host writes such a
    /// Location, every stack's request would carry it whole, and fetching it would only double
    /// what a hostile Location costs (a 1 MiB Location is one of the hostile-server cases).
    public static let redirectTargetURLBytes = 8 * 1024
    /// Links to firmware files named from a directory listing at a redirect's target.
    public static let firmwareLinksNamed = 3

    // MARK: How much the probe reads and sends (time and the server's load)

    /// Response-head bytes the probe reads before it stops waiting for the head to end. Every
    /// stack but ESP-IDF reads a head for as long as the server sends it; 8 MiB is far beyond
    /// any real head, and at loopback speed it takes well under a second to reach. ESP-IDF's
    /// http_parser stops at 80 KiB (or at a bad Content-Length or chunk size), but the device
    /// then goes on reading and dropping until a FIN or a silence: the probe follows it for
    /// this many bytes past the stop, head or chunked body alike.
    public static let headBytesRead = 8 * 1024 * 1024
    /// Connections one check opens. The largest finite sequence a device makes is a partial
    /// download of a 16 MiB image in ESP-IDF's default 64 KiB ranges (256 + a HEAD); past this,
    /// the probe stops and reports the loop rather than hammer the server.
    public static let requestsPerRun = 300
    /// How often a device loop that makes no progress (the same redirect, the same Range, the
    /// same fallback) is replayed before the verdict says the device repeats it forever.
    public static let loopReplays = 3
    /// How long the Range check (beside the probe) may take when the device decides sooner.
    /// It never waits past the device's own time when that is longer (a silent server costs the
    /// device's 8 s, not 8 s plus the check), but a device that decides in 5 ms would otherwise
    /// never see the answer a server gives in 10: one second bounds that case.
    public static let rangeCheckGraceMs = 1000
    /// The largest `serve --firmware` file: held in memory with the variants scenarios derive
    /// from it (gzip-wrapped, bent, damaged), so about four copies; 32 MiB is twice the largest
    /// app partition an ESP32 maps.
    public static let serveFirmwareBytes = 32 * 1024 * 1024
    /// `serve`: predictions running at once. Each is a probe on its own thread, as long as the
    /// device's run; a device (or anyone on the network) sending faster than that gets its
    /// requests decoded and answered, and the prediction says it was skipped.
    public static let servePredictionsAtOnce = 8
    /// The whole run's ceiling, `--max-time`'s default: 5 minutes covers a 16 MiB image at
    /// 60 KiB/s, slower than any hosting a device can update from in practice.
    public static let defaultMaxTimeMs = 300_000
    /// ESPHome manifests the probe reads whole (the device allocates a buffer of the
    /// Content-Length and parses it at once): 1 MiB is twice an ESP32's whole SRAM and hundreds
    /// of times a real manifest; a longer one is not read, so a server cannot make the probe
    /// hold an unbounded body.
    public static let manifestBytesKept = 1024 * 1024
}
