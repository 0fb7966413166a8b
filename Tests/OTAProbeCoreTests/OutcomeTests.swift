import Testing
@testable import OTAProbeCore

/// The outcome rules: the device's result decides, except that a success which flashed an image
/// the device cannot start is `fails-to-boot`.
struct OutcomeTests {
    func verdict(_ result: Verdict.Result) -> Verdict {
        Verdict(result: result, code: 0, name: "", message: "", stage: .done, deviceTimeMs: 0, cause: .updated)
    }

    func finding(_ aspect: String, _ ok: Bool?) -> DeviceFit.Finding {
        DeviceFit.Finding(aspect: aspect, ok: ok, message: "\(aspect) finding")
    }

    @Test func eachResultHasItsOutcome() {
        #expect(Outcome.of(verdict(.ok), fit: []) == .updated)
        #expect(Outcome.of(verdict(.espOK), fit: []) == .updated)
        #expect(Outcome.of(verdict(.noUpdates), fit: []) == .noUpdate)
        #expect(Outcome.of(verdict(.failed), fit: [finding("chip", false)]) == .failed)
        #expect(Outcome.of(verdict(.espError), fit: []) == .failed)
        #expect(Outcome.of(verdict(.deviceCrash), fit: []) == .crashes)
        #expect(Outcome.of(verdict(.deviceHangs), fit: []) == .hangs)
        #expect(Outcome.of(verdict(.stillWaiting), fit: []) == .hangs)
    }

    @Test func aSuccessThatCannotBootFailsToBoot() {
        for aspect in ["chip", "flashSize", "kind", "checksum", "sha256", "complete", "revision"] {
            #expect(Outcome.of(verdict(.ok), fit: [finding(aspect, false)]) == .failsToBoot, "\(aspect)")
        }
        // Findings that do not stop a boot, or could not be judged, leave it updated.
        #expect(Outcome.of(verdict(.ok), fit: [finding("version", false), finding("space", false), finding("complete", nil), finding("chip", true)]) == .updated)
        // updateFS() writes no code: a wrong file there does not stop the sketch from booting.
        #expect(Outcome.of(verdict(.ok), fit: [finding("chip", false)], filesystem: true) == .updated)
    }

    @Test func onlyUpdatedAndNoUpdateAreSuccesses() {
        #expect(Outcome.allCases.filter(\.isSuccess) == [.updated, .noUpdate])
        #expect(Outcome.allCases.map(\.rawValue) == ["updated", "no-update", "failed", "fails-to-boot", "crashes", "hangs"])
    }

    @Test func theSentenceNamesWhatStopsTheBoot() {
        let fit = [finding("chip", false)]
        let sentence = Outcome.failsToBoot.sentence(for: verdict(.ok), fit: fit)
        #expect(sentence.hasPrefix("fails to boot") && sentence.contains("chip finding"))
    }
}
