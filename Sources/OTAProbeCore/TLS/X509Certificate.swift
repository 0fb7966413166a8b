import Crypto
import SwiftASN1

/// The facts of one DER certificate that the devices' validators look at.
///
/// Why our own view instead of a full X.509 library: the device decoders are minimal and check
/// things in a fixed order; this type exposes exactly those fields (raw DN bytes, key sizes,
/// extension criticality, the signature OID) so `BearSSLX509Minimal` can replay that order. It
/// must also describe certificates a full library refuses (RSA-PSS keys, 8192-bit moduli).
public struct X509Certificate: Sendable, Equatable {
    public enum Key: Sendable, Equatable {
        /// Modulus length in bytes (leading zeros stripped) and exponent length.
        case rsa(modulusBytes: Int, exponentBytes: Int)
        /// A named curve (IANA group number: 23 P-256, 24 P-384, 25 P-521, 0 = other) and the point.
        case ec(curve: Int, curveName: String, point: [UInt8])
        /// Any other algorithm (Ed25519, Ed448, RSASSA-PSS keys …), by OID.
        case other(oid: String, name: String)
    }

    public struct Extension: Sendable, Equatable {
        public var oid: String
        public var critical: Bool
        public var value: [UInt8]
    }

    public let der: [UInt8]
    public let tbs: [UInt8]
    public let version: Int
    /// The encoded issuer and subject Names (compared byte for byte, as BearSSL compares hashes).
    public let issuer: [UInt8]
    public let subject: [UInt8]
    public let subjectText: String
    public let issuerText: String
    public let commonNames: [String]
    public let notBefore: Int64
    public let notAfter: Int64
    public let key: Key
    /// SubjectPublicKeyInfo DER (for `setKnownKey` comparisons and signature checks).
    public let subjectPublicKeyInfo: [UInt8]
    public let extensions: [Extension]
    public let signatureAlgorithm: String
    public let signature: [UInt8]

    public struct Malformed: Error, Sendable, Equatable {
        public let detail: String
    }

    public init(der: [UInt8]) throws(Malformed) {
        self.der = der
        do {
            let root = try DER.parse(der)
            let top = try Self.children(root)
            guard top.count == 3 else { throw Malformed(detail: "a certificate has three parts") }
            tbs = Array(top[0].encodedBytes)
            var tbsParts = try Self.children(top[0])
            var version = 0
            if let first = tbsParts.first, first.identifier.tagClass == .contextSpecific, first.identifier.tagNumber == 0 {
                version = Int(Self.integerValue(try Self.children(first).first))
                tbsParts.removeFirst()
            }
            self.version = version
            guard tbsParts.count >= 6 else { throw Malformed(detail: "the TBSCertificate is too short") }
            issuer = Array(tbsParts[2].encodedBytes)
            issuerText = Self.nameText(tbsParts[2])
            let validity = try Self.children(tbsParts[3])
            guard validity.count == 2 else { throw Malformed(detail: "validity needs two dates") }
            notBefore = try Self.time(validity[0])
            notAfter = try Self.time(validity[1])
            subject = Array(tbsParts[4].encodedBytes)
            subjectText = Self.nameText(tbsParts[4])
            commonNames = Self.attributes(tbsParts[4], oid: "2.5.4.3")
            subjectPublicKeyInfo = Array(tbsParts[5].encodedBytes)
            key = try Self.key(tbsParts[5])
            var extensions: [Extension] = []
            for part in tbsParts.dropFirst(6) where part.identifier.tagClass == .contextSpecific && part.identifier.tagNumber == 3 {
                guard let list = try Self.children(part).first else { continue }
                for item in try Self.children(list) {
                    let fields = try Self.children(item)
                    guard let oidNode = fields.first else { continue }
                    let critical = fields.count == 3 && Self.primitive(fields[1]).first.map { $0 != 0 } == true
                    extensions.append(Extension(oid: Self.oid(oidNode), critical: critical, value: Array(Self.primitive(fields[fields.count - 1]))))
                }
            }
            self.extensions = extensions
            signatureAlgorithm = Self.oid(try Self.children(top[1]).first)
            signature = Array(Self.primitive(top[2]).dropFirst())
        } catch let error as Malformed {
            throw error
        } catch {
            throw Malformed(detail: "not DER: \(error)")
        }
    }

    // MARK: - Derived facts

    /// SHA-1 of the DER: what `setFingerprint` compares.
    public var sha1: [UInt8] { Array(Insecure.SHA1.hash(data: der)) }
    public var sha256: [UInt8] { Array(SHA256.hash(data: der)) }

    /// dNSName entries of the subjectAltName extension, nil when there is no such extension.
    public var dnsNames: [String]? { subjectAltNames(tag: 2).map { $0.map { String(decoding: $0, as: UTF8.self) } } }
    /// iPAddress entries of the subjectAltName extension, as dotted text.
    public var ipAddresses: [String] {
        (subjectAltNames(tag: 7) ?? []).map { bytes in
            bytes.count == 4 ? bytes.map { String(Int($0)) }.joined(separator: ".")
                : stride(from: 0, to: bytes.count, by: 2).map { String(Int(bytes[$0]) << 8 | Int(bytes[min($0 + 1, bytes.count - 1)]), radix: 16) }.joined(separator: ":")
        }
    }

    private func subjectAltNames(tag: UInt) -> [[UInt8]]? {
        guard let san = extensions.first(where: { $0.oid == "2.5.29.17" }),
              let node = try? DER.parse(san.value), case .constructed(let names) = node.content else { return nil }
        return names.filter { $0.identifier.tagClass == .contextSpecific && $0.identifier.tagNumber == tag }
            .map { Array(Self.primitive($0)) }
    }

    /// basicConstraints cA flag (false when absent).
    public var isCA: Bool {
        guard let bc = extensions.first(where: { $0.oid == "2.5.29.19" }), let node = try? DER.parse(bc.value),
              let first = (try? Self.children(node))?.first, first.identifier == .boolean else { return false }
        return Self.primitive(first).first.map { $0 != 0 } ?? false
    }

    public var isSelfIssued: Bool { subject == issuer }

    /// Key size in bits for display ("RSA 2048", "EC P-256").
    public var keyDescription: String {
        switch key {
        case .rsa(let modulus, _): return "RSA \(rsaBits ?? modulus * 8)"
        case .ec(_, let name, _): return "EC \(name)"
        case .other(_, let name): return name
        }
    }

    /// Exact RSA modulus size in bits.
    public var rsaBits: Int? {
        guard case .rsa = key, let modulus = rsaModulus else { return nil }
        let leading = modulus.first.map { UInt8.bitWidth - (Int($0).bitWidthNeeded) } ?? 0
        return modulus.count * 8 - leading
    }

    var rsaModulus: [UInt8]? {
        guard let root = try? DER.parse(subjectPublicKeyInfo), let parts = try? Self.children(root), parts.count == 2,
              let inner = try? DER.parse(Array(Self.primitive(parts[1]).dropFirst())),
              let numbers = try? Self.children(inner), let n = numbers.first else { return nil }
        return Array(Self.primitive(n).drop { $0 == 0 })
    }

    // MARK: - DER helpers

    static func children(_ node: ASN1Node) throws -> [ASN1Node] {
        guard case .constructed(let nodes) = node.content else { throw Malformed(detail: "expected a constructed element") }
        return Array(nodes)
    }

    static func primitive(_ node: ASN1Node) -> ArraySlice<UInt8> {
        if case .primitive(let bytes) = node.content { return bytes }
        return []
    }

    static func integerValue(_ node: ASN1Node?) -> Int64 {
        guard let node else { return 0 }
        return primitive(node).prefix(8).reduce(0) { $0 << 8 | Int64($1) }
    }

    static func oid(_ node: ASN1Node?) -> String {
        guard let node else { return "" }
        let bytes = primitive(node)
        guard let first = bytes.first else { return "" }
        var parts = [String(first < 80 ? first / 40 : 2), String(first < 80 ? first % 40 : first - 80)]
        var value: UInt64 = 0
        for byte in bytes.dropFirst() {
            value = value << 7 | UInt64(byte & 0x7F)
            if byte & 0x80 == 0 { parts.append(String(value)); value = 0 }
        }
        return parts.joined(separator: ".")
    }

    static func attributes(_ name: ASN1Node, oid wanted: String) -> [String] {
        var values: [String] = []
        for set in (try? children(name)) ?? [] {
            for pair in (try? children(set)) ?? [] {
                guard let fields = try? children(pair), fields.count == 2, oid(fields[0]) == wanted else { continue }
                values.append(String(decoding: primitive(fields[1]), as: UTF8.self))
            }
        }
        return values
    }

    static func nameText(_ name: ASN1Node) -> String {
        let short = ["2.5.4.3": "CN", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST"]
        var parts: [String] = []
        for set in (try? children(name)) ?? [] {
            for pair in (try? children(set)) ?? [] {
                guard let fields = try? children(pair), fields.count == 2 else { continue }
                let key = oid(fields[0])
                parts.append("\(short[key] ?? key)=\(String(decoding: primitive(fields[1]), as: UTF8.self))")
            }
        }
        return parts.joined(separator: ", ")
    }

    /// UTCTime / GeneralizedTime → Unix seconds.
    static func time(_ node: ASN1Node) throws(Malformed) -> Int64 {
        let text = String(decoding: primitive(node), as: UTF8.self)
        let digits = Array(text.prefix { $0.isNumber })
        func number(_ range: Range<Int>) -> Int64 { Int64(String(digits[range])) ?? 0 }
        var year: Int64, rest: Int
        if node.identifier == .utcTime, digits.count >= 10 {
            year = number(0..<2); year += year < 50 ? 2000 : 1900; rest = 2
        } else if digits.count >= 12 {
            year = number(0..<4); rest = 4
        } else {
            throw Malformed(detail: "unreadable time \(text)")
        }
        let month = number(rest..<rest + 2), day = number(rest + 2..<rest + 4)
        let hour = number(rest + 4..<rest + 6), minute = number(rest + 6..<rest + 8)
        let second = digits.count >= rest + 10 ? number(rest + 8..<rest + 10) : 0
        return UnixTime.seconds(year: year, month: month, day: day) + hour * 3600 + minute * 60 + second
    }

    static func key(_ spki: ASN1Node) throws -> Key {
        let parts = try children(spki)
        guard parts.count == 2 else { throw Malformed(detail: "SubjectPublicKeyInfo needs two parts") }
        let algorithm = try children(parts[0])
        let algorithmOID = oid(algorithm.first)
        let bits = Array(primitive(parts[1]).dropFirst())
        switch algorithmOID {
        case "1.2.840.113549.1.1.1":
            let numbers = try children(try DER.parse(bits))
            guard numbers.count == 2 else { throw Malformed(detail: "an RSA key has two numbers") }
            let modulus = primitive(numbers[0]).drop { $0 == 0 }
            let exponent = primitive(numbers[1]).drop { $0 == 0 }
            return .rsa(modulusBytes: modulus.count, exponentBytes: exponent.count)
        case "1.2.840.10045.2.1":
            let curveOID = algorithm.count > 1 ? oid(algorithm[1]) : ""
            let curves = ["1.2.840.10045.3.1.7": (23, "P-256"), "1.3.132.0.34": (24, "P-384"), "1.3.132.0.35": (25, "P-521")]
            let (curve, name) = curves[curveOID] ?? (0, curveOID)
            return .ec(curve: curve, curveName: name, point: bits)
        default:
            let names = ["1.3.101.112": "Ed25519", "1.3.101.113": "Ed448", "1.2.840.113549.1.1.10": "RSASSA-PSS",
                         "1.2.840.10040.4.1": "DSA", "1.3.101.110": "X25519", "1.3.101.111": "X448"]
            return .other(oid: algorithmOID, name: names[algorithmOID] ?? algorithmOID)
        }
    }
}

private extension Int {
    var bitWidthNeeded: Int { self == 0 ? 0 : Int.bitWidth - leadingZeroBitCount }
}

/// Calendar arithmetic for certificate dates (proleptic Gregorian, UTC), without Foundation.
public enum UnixTime {
    /// Days from 1970-01-01 to the date (Howard Hinnant's days_from_civil).
    public static func seconds(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return (era * 146097 + doe - 719468) * 86400
    }

    /// "2026-11-25" for a Unix time.
    public static func date(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))"
    }
}
