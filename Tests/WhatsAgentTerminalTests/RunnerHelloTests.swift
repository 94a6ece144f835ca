import Dispatch
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import WhatsAgentTerminal

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hello must not wait for the connecting task: on a loaded machine that task can wait for a thread longer than
/// the runner's `RunnerProtocol.helloTimeout`, and the runner then refuses with "no hello within the time allowed".
@Suite("Runner hello")
struct RunnerHelloTests {
    @Test("the hello is sent and answered while the connecting task waits for a thread")
    func helloGoesOutWithoutTheConnectingTask() async throws {
        let directory = try TemporaryDirectory()
        let server = try OneConnectionServer(path: "\(directory.path)/r.sock")
        let executor = HeldTaskExecutor()
        // The event loop connects only once the connecting task's first job is over (it ends waiting for the
        // connection), so that task's next job, like every later one, is held: the hello can only come from the loop.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loopStarts = DispatchSemaphore(value: 0)
        executor.afterFirstJob = { loopStarts.signal() }
        group.next().execute { loopStarts.wait() }
        let connecting = Task(executorPreference: executor) {
            try await RunnerConnection.connect(socketPath: server.path, secret: "s3cret", group: group)
        }
        let hello = try await server.firstFrame(within: .seconds(60))
        #expect(hello?.kind == RunnerFrameKind.hello.rawValue)
        #expect(hello.map { String(decoding: $0.payload, as: UTF8.self).contains("s3cret") } == true)
        #expect(executor.heldJobs > 0, "the connecting task was still waiting for its thread")
        try server.answer(RunnerFrame.json(.info, Self.info))
        executor.release()
        let connection = try await connecting.value
        #expect(connection.info == Self.info, "the answer that came before connect awaited it is connect's result")
        await connection.close()
        try await group.shutdownGracefully()
    }

    static let info = RunnerInfo(
        protocolVersion: RunnerProtocol.version,
        sessionID: "s1",
        runnerPID: 1,
        childPID: 2,
        command: "/bin/sh",
        startedAt: Date(timeIntervalSince1970: 1_700_000_000),
        size: .default,
        startOffset: 0,
        endOffset: 0,
        attention: nil,
        exit: nil,
        endedAt: nil
    )
}

/// Runs a task's first job, then holds every later one until `release()` — a task that never gets a thread.
final class HeldTaskExecutor: TaskExecutor, @unchecked Sendable {
    private let queue = DispatchQueue(label: "held-task-executor")
    private let state = NIOLockedValueBox<(started: Bool, released: Bool, held: [UnownedJob])>((false, false, []))

    /// Runs once the first job returned (the task is suspended).
    var afterFirstJob: @Sendable () -> Void = {}

    var heldJobs: Int { self.state.withLockedValue { $0.held.count } }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let first = self.state.withLockedValue { state -> Bool? in
            if state.started && !state.released {
                state.held.append(job)
                return nil
            }
            defer { state.started = true }
            return !state.started
        }
        guard let first else { return }
        self.run(job)
        if first { self.queue.async { self.afterFirstJob() } }
    }

    func release() {
        let held = self.state.withLockedValue { state -> [UnownedJob] in
            state.released = true
            defer { state.held = [] }
            return state.held
        }
        for job in held { self.run(job) }
    }

    private func run(_ job: UnownedJob) {
        let executor = self.asUnownedTaskExecutor()
        self.queue.async { job.runSynchronously(on: executor) }
    }
}

/// A Unix socket that accepts one connection on its own thread, reads its first runner frame and can answer.
final class OneConnectionServer: @unchecked Sendable {
    let path: String
    private let listener: Int32
    private let state = NIOLockedValueBox<(client: Int32?, frame: (kind: UInt8, payload: [UInt8])?)>((nil, nil))

    init(path: String) throws {
        self.path = path
        self.listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { bytes in
            for (index, byte) in path.utf8.enumerated() { bytes[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(self.listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(self.listener, 1) == 0 else { throw TestTimeout(what: "a listening socket at \(path)") }
        Thread.detachNewThread { self.serve() }
    }

    deinit {
        close(self.listener)
        if let client = self.state.withLockedValue({ $0.client }) { close(client) }
    }

    private func serve() {
        let client = accept(self.listener, nil, nil)
        guard client >= 0 else { return }
        self.state.withLockedValue { $0.client = client }
        guard let header = Self.read(client, count: 5) else { return }
        let length = header[0..<4].reduce(0) { $0 << 8 | Int($1) }
        guard let payload = Self.read(client, count: length - 1) else { return }
        self.state.withLockedValue { $0.frame = (header[4], payload) }
    }

    private static func read(_ descriptor: Int32, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress! + done, count - done, 0) }
            guard got > 0 else { return nil }
            done += got
        }
        return bytes
    }

    /// The first frame the client sent, once it arrived (nil when it did not within `deadline`, a bound on failure).
    func firstFrame(within deadline: Duration) async throws -> (kind: UInt8, payload: [UInt8])? {
        let end = ContinuousClock.now.advanced(by: deadline)
        // Checked once more after the deadline: on a loaded machine this task may resume only long after its sleep.
        while true {
            if let frame = self.state.withLockedValue({ $0.frame }) { return frame }
            guard ContinuousClock.now < end else { return nil }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func answer(_ frame: RunnerFrame) throws {
        var buffer = ByteBuffer()
        try RunnerFrameEncoder().encode(data: frame, out: &buffer)
        let bytes = Array(buffer.readableBytesView)
        guard let client = self.state.withLockedValue({ $0.client }) else { throw TestTimeout(what: "a connected client") }
        let written = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, 0) }
        guard written == bytes.count else { throw TestTimeout(what: "writing the answer") }
    }
}
