import Crypto

/// The lower-case hex MD5 of `bytes`, the form an `x-MD5` header carries and the ESP8266 Updater
/// compares against.
public func md5Hex(_ bytes: [UInt8]) -> String {
    var hasher = Insecure.MD5()
    bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    let hexDigits = Array("0123456789abcdef".utf8)
    var hex: [UInt8] = []
    for byte in hasher.finalize() {
        hex.append(hexDigits[Int(byte >> 4)])
        hex.append(hexDigits[Int(byte & 0x0F)])
    }
    return String(decoding: hex, as: UTF8.self)
}
