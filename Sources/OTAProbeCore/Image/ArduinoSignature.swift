/// A signature appended by Arduino's signing tool: the signed .bin, then the signature, then its
/// length as a little-endian u32 (esp8266/Arduino 3.1.2:tools/signing.py:21-35). The device reads
/// that last word and refuses the update (UPDATE_ERROR_SIGN) when it differs from its verifier's
/// length (3.1.2:cores/esp8266/Updater.cpp:241-327).
///
/// Any 4 trailing bytes decode to some number, so a signature is only reported when the length is
/// one a real key produces *and* it accounts exactly for the bytes after the app image.
public struct ArduinoSignature: Sendable, Equatable {
    public enum Algorithm: Sendable, Equatable {
        /// RSA with a 2048/3072/4096-bit modulus (256/384/512 bytes).
        case rsa(bits: Int)
        /// ECDSA P-256, DER-encoded (64–72 bytes).
        case ecdsa
    }

    public let length: Int
    public let algorithm: Algorithm
    /// Offset of the first signature byte = length of the signed data.
    public let signatureOffset: Int

    /// Recognises the trailer; `trailing` is the number of bytes after the app image.
    static func detect(lengthWord: UInt32, trailing: Int, appEnd: Int) -> ArduinoSignature? {
        let length = Int(lengthWord)
        let algorithm: Algorithm
        switch length {
        case 256, 384, 512: algorithm = .rsa(bits: length * 8)
        case 64...72: algorithm = .ecdsa
        default: return nil
        }
        guard trailing == length + 4 else { return nil }
        return ArduinoSignature(length: length, algorithm: algorithm, signatureOffset: appEnd)
    }

    public var summary: String {
        switch algorithm {
        case .rsa(let bits): return "looks signed: \(length)-byte signature (RSA-\(bits)) at \(ImageHex.offset(signatureOffset))"
        case .ecdsa: return "looks signed: \(length)-byte signature (ECDSA) at \(ImageHex.offset(signatureOffset))"
        }
    }
}
