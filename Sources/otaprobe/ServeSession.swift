import OTAProbe
import OTAProbeCore
import ScenarioServer
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What `serve` does with each request: decode it as it arrives, start the prediction beside
/// the answer, and once the answer is over print one block (or one JSON line) for it.
///
/// Runs on the server's connection threads, so it shares only the output lock and the count of
/// predictions under way.
final class ServeSession: Sendable {
    let recognizer: DeviceRecognizer
    let prediction: ServePrediction
    let json: Bool
    let redactor: Redactor
    /// One request's lines are written together, never interleaved with another's.
    private let output = Mutex(())
    private let running = Mutex(0)

    init(recognizer: DeviceRecognizer, prediction: ServePrediction, json: Bool, redactor: Redactor) {
        self.recognizer = recognizer
        self.prediction = prediction
        self.json = json
        self.redactor = redactor
    }

    var observer: ServeObserver {
        ServeObserver { [self] arrived in requestArrived(arrived) }
    }

    private func requestArrived(_ arrived: ArrivedRequest) -> @Sendable (ServedAnswer) -> Void {
        let time = Self.clockTime()
        let recognition = recognizer.recognize(arrived.request.bytes)
        let admitted = recognition.newest != nil && running.withLock { count in
            guard count < Limits.servePredictionsAtOnce else { return false }
            count += 1
            return true
        }
        let pending = admitted ? prediction.start(for: recognition) : nil
        return { [self] answer in
            var report = ServeRequestReport(
                time: time, peer: arrived.peer, recognition: recognition,
                served: .init(scenario: arrived.scenario, statusLine: answer.statusLine, status: answer.status, bytes: answer.bytesSent,
                              ending: answer.ending.rawValue, milliseconds: answer.milliseconds),
                prediction: nil, predictionMissing: nil)
            if let pending {
                switch pending.wait() {
                case .success(let probe): report.prediction = probe
                case .failure(let missing): report.predictionMissing = missing.description
                }
                running.withLock { $0 -= 1 }
            } else {
                report.predictionMissing = recognition.newest == nil
                    ? ServePrediction.Missing.noProfile.description
                    : "skipped: \(Limits.servePredictionsAtOnce) predictions were already running"
            }
            write(report)
        }
    }

    private func write(_ report: ServeRequestReport) {
        let text = json
            ? report.json(redactor: redactor) + "\n"
            : TerminalOutput(style: TerminalStyle(enabled: CLIEnvironment.colorOnStandardOutput()), redactor: redactor).render(report.lines()) + "\n"
        output.withLock { _ in CLIEnvironment.write(text) }
    }

    /// `HH:MM:SS` local time.
    static func clockTime() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}
