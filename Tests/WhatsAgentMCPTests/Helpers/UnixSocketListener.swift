import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A listening Unix socket for the daemon stand-ins, with close-on-exec descriptors.
///
/// Close-on-exec matters: tests in the same process spawn children (`ProcessExitWaitTests`, the runner tests), and an
/// inherited accepted descriptor keeps a connection open after the stub closed it — the client's next request then
/// lands in a socket nobody reads and fails with ECONNRESET when the child exits.
struct UnixSocketListener: Sendable {
    let path: String
    private let descriptor: Int32

    init(prefix: String, backlog: Int32 = 16) throws {
        self.path = "/tmp/\(prefix)-\(UUID().uuidString.prefix(8)).sock"
        #if canImport(Glibc)
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
        if descriptor >= 0 { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        #endif
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(self.path.utf8) + [0]
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard descriptor >= 0, bound == 0, listen(descriptor, backlog) == 0 else { throw POSIXError(.EADDRNOTAVAIL) }
        self.descriptor = descriptor
    }

    /// The next connection (blocking), or nil once ``stop()`` was called.
    ///
    /// Glibc's module does not export `accept4`, so close-on-exec is set right after `accept`; a child spawned in
    /// that instant could still inherit it, a window of microseconds instead of the connection's whole life.
    func accept() -> Int32? {
        #if canImport(Glibc)
        let connection = Glibc.accept(self.descriptor, nil, nil)
        #else
        let connection = Darwin.accept(self.descriptor, nil, nil)
        #endif
        guard connection >= 0 else { return nil }
        _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
        return connection
    }

    /// Stops accepting (`shutdown` wakes the blocked ``accept()``) and removes the socket file.
    func stop() {
        shutdown(self.descriptor, Int32(SHUT_RDWR))
        close(self.descriptor)
        unlink(self.path)
    }
}
