import Foundation
import NIOConcurrencyHelpers
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who is on the other end of a Unix-socket connection: the peer's pid (`SO_PEERCRED`, Linux) and its ancestry
/// (`/proc`), looked up once per connection and cached until the connection closes.
enum PeerProcess {
    /// What is known about one peer.
    struct Identity: Sendable, Equatable {
        /// The peer process and its ancestors, nearest first (empty when unknown).
        var ancestry: [Int32]
        /// The session of the nearest `whatsagent runner` among them: the peer is that session's agent.
        var runnerSession: String?
    }

    private static let cache = NIOLockedValueBox([ObjectIdentifier: Identity]())

    /// The peer process, its ancestors and the runner among them; looked up once per connection.
    static func identity(of channel: any Channel) async -> Identity {
        let key = ObjectIdentifier(channel)
        if let cached = self.cache.withLockedValue({ $0[key] }) { return cached }
        let chain = await self.peerPID(of: channel).map(ProcessTree.ancestry) ?? []
        let identity = Identity(ancestry: chain, runnerSession: chain.lazy.compactMap(ProcessTree.runnerSessionID).first)
        let inserted = self.cache.withLockedValue { cache in
            guard cache[key] == nil else { return false }
            cache[key] = identity
            return true
        }
        if inserted {
            channel.closeFuture.whenComplete { _ in _ = Self.cache.withLockedValue { $0.removeValue(forKey: key) } }
        }
        return identity
    }

    /// The pid of the process that connected (`SO_PEERCRED`); nil on other systems or for non-Unix sockets.
    static func peerPID(of channel: any Channel) async -> Int32? {
        #if os(Linux)
        guard let provider = channel as? any SocketOptionProvider else { return nil }
        let credentials: PeerCredentials? = try? await provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET),
            name: SocketOptionName(SO_PEERCRED)
        ).get()
        guard let credentials, credentials.pid > 0 else { return nil }
        return credentials.pid
        #else
        return nil
        #endif
    }

    /// `struct ucred` of Linux (`pid_t pid; uid_t uid; gid_t gid;`), which Glibc does not export to Swift.
    struct PeerCredentials: Sendable {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }
}
