#if canImport(Glibc)
import Glibc
#endif

/// Reads a local file in 256 KiB blocks and hands each to `body`: build outputs can be
/// 16 MiB, and every reader of local images streams them the same way.
enum FileChunks {
    static func forEach(path: String, _ body: (UnsafeRawBufferPointer) -> Void) throws(FileDigests.Failure) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw FileDigests.Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileDigests.Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { return }
            body(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
    }
}
