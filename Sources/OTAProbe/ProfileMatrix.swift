import OTAProbeCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs one URL through every profile at once and keeps one report per profile, in profile
/// order. Each probe gets its own thread: a probe blocks on its own device clock (8 s of
/// silence, a 73 s stall), and parking those on a shared pool of two would serialise them.
public enum ProfileMatrix {
    public struct Row: Sendable {
        public let profile: DeviceProfile
        public let report: ProbeReport
        /// Settings the sketch cannot have on this core (dropped, and said so).
        public let adjustments: [String]
    }

    public static func run(profiles: [DeviceProfile], identity: DeviceIdentity, settings: UpdaterSettings) -> [Row] {
        let results = Mutex<[Int: Row]>([:])
        var threads: [pthread_t] = []
        for (index, profile) in profiles.enumerated() {
            let (adapted, adjustments) = adapt(settings, to: profile)
            let probe = Probe(profile: profile, identity: identity, settings: adapted)
            let work: @Sendable () -> Void = {
                let report = probe.run()
                results.withLock { $0[index] = Row(profile: profile, report: report, adjustments: adjustments) }
            }
            if let thread = startThread(work) {
                threads.append(thread)
            } else {
                work()
            }
        }
        for thread in threads { pthread_join(thread, nil) }
        return results.withLock { rows in profiles.indices.compactMap { rows[$0] } }
    }

    /// A sketch written for 3.1.2 compiled against an older core: what does not exist there is
    /// dropped (setMD5sum, setAuthorization, FORCE), as the matrix compares servers, not APIs.
    static func adapt(_ settings: UpdaterSettings, to profile: DeviceProfile) -> (UpdaterSettings, [String]) {
        var adapted = settings
        var notes: [String] = []
        if settings.redirectMode != .disable, !profile.redirects.modes.contains(settings.redirectMode.rawValue) {
            adapted.redirectMode = profile.redirects.modes.contains("strict") ? .strict : .disable
            notes.append("follow-redirects \(settings.redirectMode.rawValue) → \(adapted.redirectMode.rawValue)")
        }
        if settings.expectedMD5 != nil, !profile.update.supportsSetMD5 {
            adapted.expectedMD5 = nil
            notes.append("no setMD5sum()")
        }
        if !settings.authorization.isEmpty, !profile.request.supportsSetAuthorization {
            adapted.authorization = []
            notes.append("no setAuthorization()")
        }
        return (adapted, notes)
    }

    private static func startThread(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
        let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { context in
            Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, box)
        guard result == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(box).release()
            return nil
        }
        return thread
    }
}

/// Carries a closure through `pthread_create`'s one C pointer.
private final class ThreadBody: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}
