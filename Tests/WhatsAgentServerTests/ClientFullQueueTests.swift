import Foundation
import NIOCore
import Testing

@testable import WhatsAgentClient

/// The client and a daemon whose accept queue is full (a burst of agents connecting at once): `connect` answers
/// `EAGAIN` on a Unix socket, and the client tries again instead of failing the call.
@Suite struct ClientFullQueueTests {
    /// A listening socket with the shortest queue, filled with connections nobody accepts yet.
    private final class FullListener {
        let path: String
        let listener: Int32
        var fillers: [Int32] = []

        init() throws {
            self.path = "/tmp/wa-q-\(UUID().uuidString.prefix(8).lowercased()).sock"
            self.listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { buffer in
                for (index, byte) in self.path.utf8.enumerated() { buffer[index] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(self.listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard bound == 0, listen(self.listener, 0) == 0 else { throw POSIXError(.EADDRINUSE) }
            // Non-blocking connects until the queue refuses one.
            for _ in 0..<64 {
                let filler = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
                _ = fcntl(filler, F_SETFL, fcntl(filler, F_GETFL) | O_NONBLOCK)
                let connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
                }
                if connected != 0 && errno == EAGAIN {
                    close(filler)
                    return
                }
                self.fillers.append(filler)
            }
            throw POSIXError(.ENOBUFS)
        }

        /// Accepts whatever is queued, once.
        func drain() {
            _ = fcntl(self.listener, F_SETFL, fcntl(self.listener, F_GETFL) | O_NONBLOCK)
            while case let accepted = accept(self.listener, nil, nil), accepted >= 0 { self.fillers.append(accepted) }
        }

        deinit {
            for descriptor in self.fillers { close(descriptor) }
            close(self.listener)
            unlink(self.path)
        }
    }

    @Test func aFullAcceptQueueIsWaitedOutNotReported() async throws {
        let listener = try FullListener()
        let client = UnixSocketHTTPClient(socketPath: listener.path)
        // The daemon is busy for a moment, then accepts what queued up.
        let drained = Task {
            try await Task.sleep(for: .milliseconds(150))
            listener.drain()
        }
        let channel = try await client.connect()
        try await drained.value
        try await channel.channel.close()
    }
}
