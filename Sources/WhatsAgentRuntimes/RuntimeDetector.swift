import Foundation

/// The outcome of probing a runtime command with `<cmd> --version`.
public struct RuntimeDetection: Equatable, Sendable {
    public enum Status: String, Equatable, Sendable, Codable {
        case found
        case notFound = "not_found"
        case timedOut = "timed_out"
        case failed
    }

    public var command: String
    public var status: Status
    /// The resolved absolute path (nil when not found).
    public var path: String?
    /// The first non-empty line of the output when found.
    public var version: String?
    /// The exit code when the probe failed.
    public var exitCode: Int32?
    /// One line for humans: the version, or why there is none and what to do.
    public var message: String
}

/// Runs `<cmd> --version` with a timeout (SPEC §6.3: 3 s) and reports the resolved path and version or a clear reason.
///
/// The probe runs in its own process group with its output in a temporary file (not a pipe, whose end a left-behind
/// child could hold open); at the timeout, and after it exits, the group is killed so nothing it started survives.
public struct RuntimeDetector: Sendable {
    public var timeout: Duration
    public var lookup: ExecutableLookup

    public init(timeout: Duration = .seconds(3), lookup: ExecutableLookup = ExecutableLookup(environment: ProcessInfo.processInfo.environment)) {
        self.timeout = timeout
        self.lookup = lookup
    }

    /// Probes `command` for `runtime` (the runtime only shapes the advice in messages).
    public func detect(_ command: String, runtime: RuntimeKind) async -> RuntimeDetection {
        guard let path = self.lookup.resolve(command) else {
            let advice = command.isEmpty ? RuntimeError.noCommand(runtime: runtime) : RuntimeError.commandNotFound(command: command, runtime: runtime)
            return RuntimeDetection(command: command, status: .notFound, message: advice.description)
        }
        do {
            return try await self.probe(command: command, path: path)
        } catch {
            return RuntimeDetection(
                command: command,
                status: .failed,
                path: path,
                message: "could not run \(path) --version: \(error)"
            )
        }
    }

    private func probe(command: String, path: String) async throws -> RuntimeDetection {
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("whatsagent-probe-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: outputURL.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let output = try FileHandle(forWritingTo: outputURL)
        defer { try? output.close() }

        let probe = try await Self.spawn(path: path, output: output.fileDescriptor)
        // Whatever happens, nothing the probe started outlives the detection.
        defer { probe.killGroup() }
        guard let exit = await probe.wait(timeout: self.timeout) else {
            probe.killGroup()
            _ = await probe.wait()
            return RuntimeDetection(
                command: command,
                status: .timedOut,
                path: path,
                message: "\(path) --version did not answer within \(self.timeout); check that the command works in a terminal"
            )
        }
        let text = String(decoding: (try? Data(contentsOf: outputURL)) ?? Data(), as: UTF8.self)
        let firstLine = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
        guard exit == .exited(0) else {
            let how: String
            var code: Int32?
            switch exit {
            case .exited(let status):
                how = "exit code \(status)"
                code = status
            case .signalled(let signal):
                how = "signal \(signal)"
            }
            return RuntimeDetection(
                command: command,
                status: .failed,
                path: path,
                exitCode: code,
                message: "\(path) --version failed with \(how)" + (firstLine.map { ": \($0)" } ?? "")
            )
        }
        let version = firstLine ?? "unknown version"
        return RuntimeDetection(command: command, status: .found, path: path, version: version, message: version)
    }
}

extension RuntimeDetector {
    /// Starts the probe. "Text file busy" means the file is still open for writing somewhere (being installed, or
    /// inherited by a process forked while it was written): that passes, so it is retried briefly.
    static func spawn(path: String, output: Int32) async throws -> SpawnedProbe {
        var attempt = 0
        while true {
            do {
                return try SpawnedProbe(path: path, arguments: ["--version"], output: output)
            } catch let error as POSIXError where error.code == .ETXTBSY && attempt < 10 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(20 * attempt))
            }
        }
    }
}

/// A one-shot signal from a termination handler to async waiters, with an optional timeout.
final class ExitSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    private var waiters: [UUID: CheckedContinuation<Bool, Never>] = [:]
    /// Timeouts that expired before their waiter registered.
    private var expired: Set<UUID> = []

    func fire() {
        let waiting = self.lock.withLock {
            self.fired = true
            defer { self.waiters = [:] }
            return self.waiters
        }
        for waiter in waiting.values { waiter.resume(returning: true) }
    }

    func wait() async {
        _ = await self.wait(timeout: nil)
    }

    /// True when the signal fired, false when `timeout` passed first.
    func wait(timeout: Duration?) async -> Bool {
        let id = UUID()
        let timer = timeout.map { timeout in
            Task {
                try? await Task.sleep(for: timeout)
                self.expire(id)
            }
        }
        defer { timer?.cancel() }
        return await withCheckedContinuation { continuation in
            let outcome: Bool? = self.lock.withLock {
                if self.fired { return true }
                if self.expired.remove(id) != nil { return false }
                self.waiters[id] = continuation
                return nil
            }
            if let outcome { continuation.resume(returning: outcome) }
        }
    }

    private func expire(_ id: UUID) {
        let waiter = self.lock.withLock {
            let waiter = self.waiters.removeValue(forKey: id)
            if waiter == nil, !self.fired { self.expired.insert(id) }
            return waiter
        }
        waiter?.resume(returning: false)
    }
}
