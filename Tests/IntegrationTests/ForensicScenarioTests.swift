import OTAProbe
import OTAProbeCore
import ScenarioServer
import Testing

/// Bodies that are not the firmware, served for real: each must be *named* in the report,
/// with the device's exact verdict (issue: image inspection and body forensics).
@Suite(.serialized) struct ForensicScenarioTests {
    @Test func s3ErrorIsNamedBesideTheForbidden() {
        let report = probe("s3-access-denied")
        #expect(report.verdict.code == -103)
        #expect(BodyKind.recognize(report.exchanges[0].body.prefix) == .storageError(code: "AccessDenied", message: "Request has expired"))
    }

    @Test func driveAndGithubPagesAreRecognisedByTheirPages() {
        let drive = probe("drive-virus-scan")
        #expect(drive.verdict.code == -106)
        #expect(drive.verdict.why.contains("Google Drive - Virus scan warning"))
        let github = probe("github-blob")
        #expect(github.verdict.code == -106)
        #expect(github.verdict.why.contains("GitHub"))
        #expect(github.verdict.fix.first?.contains("raw.githubusercontent.com/maker/esp-project/main/firmware/fw.bin") == true)
    }

    @Test func strayBytesAndReencodingAreNamed() {
        let stray = probe("stray-newline")
        #expect(stray.verdict.code == -106)
        #expect(stray.verdict.why.contains("preceded by 1 stray byte"))
        let utf8 = probe("utf8-reencoded")
        #expect(utf8.verdict.code == -106)
        #expect(utf8.verdict.why.contains("re-encoded as UTF-8"))
    }

    @Test func aFilesystemImageIsNotASketch() {
        let report = probe("littlefs-image")
        #expect(report.verdict.code == -106)
        #expect(report.image?.kind == .littleFS)
        #expect(report.fit.contains { $0.aspect == "kind" && $0.ok == false })
    }

    @Test func anESP32ImagePassesTheESP8266CheckButDoesNotFit() {
        let report = probe("esp32s3-image")
        // The ESP8266 looks at 0xE9 and the size nibble only: it would flash this.
        #expect(report.verdict.result == .ok)
        #expect(report.fit.contains { $0.aspect == "chip" && $0.ok == false && $0.message.contains("ESP32-S3") })
    }

    @Test func wrongFlashImageIsReportedWithItsHeader() {
        let report = probe("flash-16m")
        #expect(report.verdict.code == -107)
        #expect(report.fit.contains { $0.aspect == "flashSize" && $0.ok == false })
    }
}
