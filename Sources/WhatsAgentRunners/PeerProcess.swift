import Foundation
import NIOConcurrencyHelpers
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who is on the other end of an owner-socket connection (Linux). The peer is identified when the connection is
/// accepted (`PeerCaptureHandler`): its pid (`SO_PEERCRED`) and a pidfd (`SO_PEERPIDFD`, Linux ≥ 6.5), which pins
/// that very process, so a recycled pid is never taken for it. Without a pidfd, the peer's start time must not be
/// later than the accept. On each request the peer must still be alive and its ancestry (`ProcessTree`) must reach
/// pid 1; anything else leaves it unidentified, and the boundary refuses it as the human.
package enum PeerProcess {
    /// What is known about one peer.
    package struct Identity: Sendable, Equatable {
        /// The peer process and its ancestors, or why they are not known.
        package var ancestry: ProcessTree.Ancestry
        /// The session of the nearest `whatsagent runner` among them: the peer is that session's agent.
        package var runnerSession: String?
    }

    /// The connecting process as seen at accept time.
    enum Capture: Sendable {
        /// `pidfd` pins the process (nil without `SO_PEERPIDFD`); `startTicks` is its start time.
        case process(pid: Int32, pidfd: PIDFD?, startTicks: UInt64)
        /// Not identified; why.
        case unidentified(String)
    }

    /// `SO_PEERPIDFD` of Linux ≥ 6.5 (not in every Glibc's headers).
    static let peerPIDFDOption: Int32 = 77

    private static let captures = NIOLockedValueBox([ObjectIdentifier: EventLoopFuture<Capture>]())

    /// A pidfd, closed when the last capture holding it is released (the connection closed and no request of it
    /// still running).
    final class PIDFD: Sendable {
        let descriptor: Int32

        init(_ descriptor: Int32) { self.descriptor = descriptor }

        deinit { close(self.descriptor) }

        /// A pidfd is readable once its process has exited.
        var isRunning: Bool {
            var entry = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
            var ready = poll(&entry, 1, 0)
            while ready < 0, errno == EINTR { ready = poll(&entry, 1, 0) }
            return ready == 0
        }
    }

    /// Records the peer of a just-accepted connection (on its event loop), until the connection closes.
    static func captureAtAccept(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        let inserted = self.captures.withLockedValue { captures in
            guard captures[key] == nil else { return false }
            captures[key] = self.readCapture(channel)
            return true
        }
        guard inserted else { return }
        channel.closeFuture.whenComplete { _ in _ = Self.captures.withLockedValue { $0.removeValue(forKey: key) } }
    }

    /// The peer of the connection `channel` and its ancestry, now; nil when the channel is no OS socket at all (the
    /// in-process test harness: there is no peer process to ask about).
    package static func identity(of channel: any Channel) async -> Identity? {
        guard channel is any SocketOptionProvider else { return nil }
        let key = ObjectIdentifier(channel)
        if self.captures.withLockedValue({ $0[key] }) == nil { self.captureAtAccept(channel) }
        guard let future = self.captures.withLockedValue({ $0[key] }),
            let capture = try? await future.get()
        else {
            return Identity(ancestry: .incomplete("the connection's peer process could not be identified"))
        }
        return self.identity(of: capture)
    }

    /// The identity of a captured peer: its ancestry walked now, and the peer checked alive after the walk (so the
    /// first step of the walk read that very process).
    static func identity(of capture: Capture, read: (Int32) -> ProcessTree.Stat? = ProcessTree.stat(of:)) -> Identity {
        let (pid, pidfd, startTicks): (Int32, PIDFD?, UInt64)
        switch capture {
        case .unidentified(let reason): return Identity(ancestry: .incomplete(reason))
        case .process(let capturedPID, let capturedPIDFD, let capturedStart): (pid, pidfd, startTicks) = (capturedPID, capturedPIDFD, capturedStart)
        }
        let gone = Identity(ancestry: .incomplete("the process that connected (pid \(pid)) has exited"))
        guard let stat = read(pid), stat.startTicks == startTicks else { return gone }
        let ancestry = ProcessTree.ancestry(of: pid, stat: stat, read: read)
        guard self.isRunning(pid: pid, pidfd: pidfd, startTicks: startTicks, read: read) else { return gone }
        guard case .complete(let chain) = ancestry else { return Identity(ancestry: ancestry) }
        return Identity(ancestry: ancestry, runnerSession: chain.lazy.compactMap(ProcessTree.runnerSessionID).first)
    }

    /// Identifies the peer from its socket options, on the channel's event loop.
    private static func readCapture(_ channel: any Channel) -> EventLoopFuture<Capture> {
        #if os(Linux)
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeSucceededFuture(.unidentified("the connection is not a socket"))
        }
        let acceptedAt = ProcessTree.bootTicksNow()
        let credentials: EventLoopFuture<PeerCredentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET),
            name: SocketOptionName(SO_PEERCRED)
        )
        let pidfd: EventLoopFuture<PIDFDResult> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET),
            name: SocketOptionName(Self.peerPIDFDOption)
        )
        .map { (descriptor: Int32) in PIDFDResult.descriptor(PIDFD(descriptor)) }
        .recover { error in
            let code = (error as? IOError)?.errnoCode
            return code == ENOPROTOOPT || code == EINVAL ? .unsupported : .failed(code ?? 0)
        }
        return credentials.and(pidfd).map { credentials, pidfd in
            switch pidfd {
            case .descriptor(let descriptor):
                return Self.capture(pid: credentials.pid, pidfd: descriptor, acceptedAt: acceptedAt)
            case .unsupported:
                return Self.capture(pid: credentials.pid, pidfd: nil, acceptedAt: acceptedAt)
            case .failed(let code):
                // ESRCH: the process that connected was already gone when the connection was accepted.
                return .unidentified("the process that connected (pid \(credentials.pid)) is gone (errno \(code))")
            }
        }
        .recover { _ in .unidentified("the connection's peer credentials cannot be read") }
        #else
        return channel.eventLoop.makeSucceededFuture(.unidentified("peer processes are identified on Linux only"))
        #endif
    }

    private enum PIDFDResult: Sendable {
        case descriptor(PIDFD)
        case unsupported
        case failed(Int32)
    }

    /// The capture for the peer `pid`: with a pidfd (which must still be running after `/proc` was read), or without
    /// one (then the process behind `pid` must have started no later than `acceptedAt`, in boot clock ticks).
    static func capture(
        pid: Int32,
        pidfd: PIDFD?,
        acceptedAt: UInt64?,
        read: (Int32) -> ProcessTree.Stat? = ProcessTree.stat(of:)
    ) -> Capture {
        guard pid > 0 else { return .unidentified("the process that connected is outside this PID namespace") }
        guard let stat = read(pid), !stat.hasExited else {
            return .unidentified("the process that connected (pid \(pid)) has exited")
        }
        if let pidfd {
            guard pidfd.isRunning else { return .unidentified("the process that connected (pid \(pid)) has exited") }
        } else {
            guard let acceptedAt, stat.startTicks <= acceptedAt else {
                return .unidentified("pid \(pid) belongs to a process started after the connection (the pid was reused)")
            }
        }
        return .process(pid: pid, pidfd: pidfd, startTicks: stat.startTicks)
    }

    /// Whether the captured peer still runs: its pidfd has not signalled an exit, or (without one) `/proc/<pid>`
    /// still shows a running process with the same start time.
    static func isRunning(pid: Int32, pidfd: PIDFD?, startTicks: UInt64, read: (Int32) -> ProcessTree.Stat?) -> Bool {
        if let pidfd { return pidfd.isRunning }
        guard let stat = read(pid) else { return false }
        return !stat.hasExited && stat.startTicks == startTicks
    }

    /// `struct ucred` of Linux (`pid_t pid; uid_t uid; gid_t gid;`), which Glibc does not export to Swift.
    struct PeerCredentials: Sendable {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }
}

/// Identifies the peer of each accepted owner-socket connection as it is accepted (`PeerProcess.captureAtAccept`).
package final class PeerCaptureHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    package typealias InboundIn = NIOAny

    package init() {}

    package func handlerAdded(context: ChannelHandlerContext) {
        PeerProcess.captureAtAccept(context.channel)
    }
}
