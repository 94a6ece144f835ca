import Foundation
import Testing

@testable import WhatsAgentRunners
@testable import WhatsAgentServer

#if canImport(Glibc)
import Glibc
#endif

/// The owner-socket boundary fails closed (docs/security.md, issue 14): the ancestry walk counts as complete only when
/// it reaches pid 1, and a peer that has gone, or whose pid now belongs to another process, is not identified.
@Suite struct PeerAncestryTests {
    /// A fake `/proc`: pid → (parent, start tick), every process running.
    static func reader(_ table: [Int32: (parent: Int32, start: UInt64)]) -> (Int32) -> ProcessTree.Stat? {
        { pid in table[pid].map { ProcessTree.Stat(parent: $0.parent, state: "S", startTicks: $0.start) } }
    }

    static func walk(from pid: Int32, _ table: [Int32: (parent: Int32, start: UInt64)]) -> ProcessTree.Ancestry {
        let read = Self.reader(table)
        return ProcessTree.ancestry(of: pid, stat: read(pid)!, read: read)
    }

    @Test func aChainThatReachesPidOneIsComplete() {
        let table: [Int32: (parent: Int32, start: UInt64)] = [1: (0, 0), 300: (1, 10), 400: (300, 20), 500: (400, 30)]
        #expect(Self.walk(from: 500, table) == .complete([500, 400, 300]))
    }

    @Test func aParentThatCannotBeReadFailsClosed() {
        let table: [Int32: (parent: Int32, start: UInt64)] = [1: (0, 0), 500: (400, 30)]
        #expect(Self.walk(from: 500, table) == .incomplete("the parent 400 of process 500 cannot be read"))
    }

    @Test func aChainDeeperThanTheLimitFailsClosedAndOneAtTheLimitIsComplete() {
        func chain(_ length: Int32) -> [Int32: (parent: Int32, start: UInt64)] {
            var table: [Int32: (parent: Int32, start: UInt64)] = [1: (0, 0)]
            for pid in Int32(2)...(length + 1) { table[pid] = (pid - 1, UInt64(pid)) }
            return table
        }
        let limit = Int32(ProcessTree.maxDepth)
        guard case .complete(let full) = Self.walk(from: limit + 1, chain(limit)) else {
            Issue.record("a chain of exactly \(limit) processes reaches pid 1")
            return
        }
        #expect(full.count == ProcessTree.maxDepth)
        #expect(Self.walk(from: limit + 2, chain(limit + 1)) == .incomplete("its chain of parent processes is deeper than 64"))
    }

    @Test func aParentOutsideThePIDNamespaceFailsClosed() {
        let table: [Int32: (parent: Int32, start: UInt64)] = [1: (0, 0), 500: (0, 30)]
        #expect(Self.walk(from: 500, table) == .incomplete("process 500 has no parent in this PID namespace"))
    }

    @Test func aParentThatStartedAfterItsChildIsARecycledPid() {
        let table: [Int32: (parent: Int32, start: UInt64)] = [1: (0, 0), 400: (1, 99), 500: (400, 30)]
        #expect(Self.walk(from: 500, table) == .incomplete("the parent 400 of process 500 started after it (the pid was reused)"))
    }

    @Test func anExitedPeerFailsClosed() {
        let zombie = ProcessTree.Stat(parent: 1, state: "Z", startTicks: 30)
        #expect(ProcessTree.ancestry(of: 500, stat: zombie) { _ in nil } == .incomplete("the process that connected (pid 500) has exited"))
    }

    @Test func statLinesWithSpacesAndParenthesesInTheNameParse() {
        let line = "4242 (a b) (c)) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123456 1000 10"
        #expect(ProcessTree.parseStat(line) == ProcessTree.Stat(parent: 17, state: "S", startTicks: 123_456))
    }

    #if os(Linux)
    /// This very process, through a socket pair: identified with a pidfd and without one, and its walk reaches pid 1.
    @Test func aLivePeerIsIdentifiedWithAndWithoutAPidfd() throws {
        var pair: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { for descriptor in pair { close(descriptor) } }
        let credentials = try Self.credentials(pair[0])
        #expect(credentials.pid == getpid())
        for pidfd in [try Self.pidfd(pair[0]).map(PeerProcess.PIDFD.init), nil] {
            let capture = PeerProcess.capture(pid: credentials.pid, pidfd: pidfd, acceptedAt: ProcessTree.bootTicksNow())
            guard case .process = capture else {
                Issue.record("a live peer is identified (pidfd: \(pidfd != nil))")
                continue
            }
            guard case .complete(let chain) = PeerProcess.identity(of: capture).ancestry else {
                Issue.record("this process's walk reaches pid 1")
                continue
            }
            #expect(chain.first == getpid())
        }
        // Without a pidfd, a process that started after the connection was accepted is not the peer (a recycled pid).
        guard case .unidentified(let reason) = PeerProcess.capture(pid: credentials.pid, pidfd: nil, acceptedAt: 0) else {
            Issue.record("a process started after the accept is not the peer")
            return
        }
        #expect(reason.contains("started after the connection"))
    }

    /// A child connects and exits and is reaped before the connection is looked at (the attack of issue 14): the peer
    /// is not identified, with a pidfd or without one.
    @Test func aReapedPeerIsNotIdentifiedWithOrWithoutAPidfd() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("peer-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("s").path
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        try #require(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            for (index, byte) in path.utf8.enumerated() where index < bytes.count - 1 { bytes[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0 && listen(listener, 4) == 0)

        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        child.arguments = ["python3", "-c", "import socket, sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])", path]
        try child.run()
        child.waitUntilExit()  // reaped
        #expect(child.terminationStatus == 0)
        let connection = accept(listener, nil, nil)
        try #require(connection >= 0)
        defer { close(connection) }
        let credentials = try Self.credentials(connection)
        #expect(credentials.pid == child.processIdentifier)

        // With SO_PEERPIDFD: either the kernel refuses a pidfd for a reaped process, or the pidfd shows it exited.
        if let pidfd = try? Self.pidfd(connection) {
            guard case .unidentified = PeerProcess.capture(pid: credentials.pid, pidfd: PeerProcess.PIDFD(pidfd), acceptedAt: nil) else {
                Issue.record("a reaped peer is not identified through its pidfd")
                return
            }
        }
        // Without: /proc/<pid> is gone (or holds a later process).
        guard case .unidentified = PeerProcess.capture(pid: credentials.pid, pidfd: nil, acceptedAt: ProcessTree.bootTicksNow()) else {
            Issue.record("a reaped peer is not identified without a pidfd")
            return
        }
    }

    static func credentials(_ descriptor: Int32) throws -> PeerProcess.PeerCredentials {
        var credentials = PeerProcess.PeerCredentials()
        var length = socklen_t(MemoryLayout<PeerProcess.PeerCredentials>.size)
        try #require(getsockopt(descriptor, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0)
        return credentials
    }

    /// The peer's pidfd (`SO_PEERPIDFD`); nil when the kernel has no such option.
    static func pidfd(_ descriptor: Int32) throws -> Int32? {
        var pidfd: Int32 = -1
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(descriptor, SOL_SOCKET, PeerProcess.peerPIDFDOption, &pidfd, &length) == 0 else {
            if errno == ENOPROTOOPT { return nil }
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        return pidfd
    }
    #endif
}
