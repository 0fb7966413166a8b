import Glibc

/// A system call failed while setting the server up. Carries the call and `errno` so a test
/// failure or `otaprobe serve` says what went wrong without guessing.
public struct ScenarioServerError: Error, CustomStringConvertible, Sendable {
    /// The failing operation, e.g. `bind(127.0.0.1:0)`.
    public let operation: String
    /// The `errno` value reported by the call (or the return code of a pthread call).
    public let code: Int32

    init(_ operation: String, code: Int32 = errno) {
        self.operation = operation
        self.code = code
    }

    public var description: String {
        "\(operation) failed: \(String(cString: strerror(code))) (errno \(code))"
    }
}
