internal import TLSHook
#if canImport(Glibc)
internal import Glibc
#endif

/// Holds the C hook that restricts one TLS handshake to a ``DeviceTLSOffer`` and records what the
/// server sent back (handshake messages, alerts, record headers).
///
/// Why a class: OpenSSL's callbacks write into the hook while libcurl runs, so it needs a stable
/// address that outlives the connection attempt; the caller reads ``transcript`` afterwards,
/// whether the handshake succeeded or failed. One recorder per connection attempt.
public final class TLSRecorder {
    let hook: UnsafeMutablePointer<otap_tls_hook>
    /// C copies of the offer's strings; the hook points into them.
    private var strings: [UnsafeMutablePointer<CChar>] = []

    public init(offer: DeviceTLSOffer, minVersion: TLSSettings.Version, maxVersion: TLSSettings.Version) {
        hook = .allocate(capacity: 1)
        hook.initialize(to: otap_tls_hook())
        func keep(_ text: String?) -> UnsafePointer<CChar>? {
            guard let text, let copy = strdup(text) else { return nil }
            strings.append(copy)
            return UnsafePointer(copy)
        }
        hook.pointee.min_version = Int32(minVersion.openSSLValue)
        hook.pointee.max_version = Int32(maxVersion.openSSLValue)
        hook.pointee.cipher_list = keep(offer.cipherList)
        hook.pointee.groups = keep(offer.groups)
        hook.pointee.sigalgs = keep(offer.signatureAlgorithms)
        hook.pointee.max_fragment_code = Int32(offer.maxFragmentCode ?? 0)
        hook.pointee.server_name = keep(offer.serverName)
        hook.pointee.record_limit = Int32(offer.recordLimit ?? 0)
    }

    deinit {
        otap_tls_hook_release(hook)
        hook.deinitialize(count: 1)
        hook.deallocate()
        for pointer in strings { free(pointer) }
    }

    /// The recorded entries: kind (1 byte), direction (1 byte, 1 = sent), length (4 bytes,
    /// little-endian), bytes. Parsed by OTAProbeCore's `TLSTranscript`.
    public var transcript: [UInt8] {
        guard let log = hook.pointee.log else { return [] }
        return Array(UnsafeBufferPointer(start: log, count: hook.pointee.log_length))
    }

    /// True once OpenSSL finished the handshake.
    public var handshakeCompleted: Bool { hook.pointee.handshake_done != 0 }

    /// Length of the first encrypted record after the handshake that exceeded the offer's
    /// `recordLimit`, or nil.
    public var oversizedRecord: Int? {
        hook.pointee.oversized_record > 0 ? Int(hook.pointee.oversized_record) : nil
    }

    /// Why OpenSSL refused the offer itself (a cipher name it does not know …), or nil.
    public var configurationError: String? {
        guard hook.pointee.configure_error != 0 else { return nil }
        return withUnsafeBytes(of: hook.pointee.configure_detail) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

extension TLSSettings.Version {
    /// OpenSSL's `TLS1_x_VERSION` constant.
    var openSSLValue: Int {
        switch self {
        case .tls1_0: return 0x0301
        case .tls1_1: return 0x0302
        case .tls1_2: return 0x0303
        case .tls1_3: return 0x0304
        }
    }
}
