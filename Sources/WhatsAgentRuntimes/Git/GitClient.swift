import Foundation

/// Runs the `git` CLI (issue 23): `git --no-optional-locks -C <directory> <arguments>` with stdin on `/dev/null`, a
/// timeout on every call (the whole process group is killed when it passes) and git's stderr in the error. Nothing here
/// writes into `.git` itself; git does, and never for a read (no optional index refresh).
///
/// ```swift
/// let git = GitClient()
/// let head = try await git.run(["rev-parse", "HEAD"], in: repo).text   // "3f2c…\n"
/// ```
public struct GitClient: Sendable {
    /// What a call printed.
    public struct Output: Sendable {
        public var exitCode: Int32
        public var stdout: Data
        public var stderr: String
        /// Whether stdout was cut at the limit the call asked for.
        public var truncated: Bool

        public var text: String { String(decoding: self.stdout, as: UTF8.self) }
        public var firstLine: String {
            self.text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        }
    }

    /// The resolved `git` executable (nil: not installed).
    public var executable: String?
    public var timeout: Duration

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, timeout: Duration = .seconds(30)) {
        self.executable = ExecutableLookup(environment: environment, workingDirectory: "/").resolve("git")
        self.timeout = timeout
    }

    /// Runs git in `directory`. A non-zero exit throws ``GitError/failed`` unless `allowing` holds the code.
    /// - Parameter outputLimit: stdout bytes kept (the rest is dropped and `truncated` set).
    public func run(
        _ arguments: [String],
        in directory: String,
        allowing codes: Set<Int32> = [],
        outputLimit: Int? = nil
    )
        async throws -> Output
    {
        guard let executable = self.executable else { throw GitError.notInstalled }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("whatsagent-git-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("out")
        let errURL = folder.appendingPathComponent("err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        defer { try? out.close() }
        let err = try FileHandle(forWritingTo: errURL)
        defer { try? err.close() }

        // No optional locks: a status in an agent's worktree must not rewrite the index (and hold `index.lock`) while
        // the agent runs git there itself.
        let full = ["--no-optional-locks", "-C", directory] + arguments
        let probe = try SpawnedProbe(path: executable, arguments: full, output: out.fileDescriptor, errorOutput: err.fileDescriptor)
        defer { probe.killGroup() }
        guard let exit = await probe.wait(timeout: self.timeout) else {
            probe.killGroup()
            _ = await probe.wait()
            throw GitError.timedOut(arguments: arguments, directory: directory, timeout: self.timeout)
        }
        var stdout = (try? Data(contentsOf: outURL)) ?? Data()
        var truncated = false
        if let outputLimit, stdout.count > outputLimit {
            stdout = stdout.prefix(outputLimit)
            truncated = true
        }
        let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let code: Int32
        switch exit {
        case .exited(let status): code = status
        case .signalled(let signal): code = 128 + signal
        }
        guard code == 0 || codes.contains(code) else {
            throw GitError.failed(arguments: arguments, directory: directory, exitCode: code, stderr: stderr)
        }
        return Output(exitCode: code, stdout: stdout, stderr: stderr, truncated: truncated)
    }
}

/// A git call that did not succeed; the description names the command, the folder and what git said.
public enum GitError: Error, Equatable, CustomStringConvertible {
    case notInstalled
    case timedOut(arguments: [String], directory: String, timeout: Duration)
    case failed(arguments: [String], directory: String, exitCode: Int32, stderr: String)

    public var description: String {
        switch self {
        case .notInstalled:
            return "git is not installed or not on the daemon's PATH; install git and restart the daemon"
        case .timedOut(let arguments, let directory, let timeout):
            return "`git \(arguments.joined(separator: " "))` in \(directory) did not finish within \(timeout)"
        case .failed(let arguments, let directory, let exitCode, let stderr):
            let said = stderr.isEmpty ? "" : ": \(stderr.split(separator: "\n").prefix(4).joined(separator: " / "))"
            return "`git \(arguments.joined(separator: " "))` in \(directory) failed with exit code \(exitCode)\(said)"
        }
    }
}
