import ArgumentParser
import WhatsAgentAPI
import WhatsAgentTerminal

extension WhatsAgent {
    /// `whatsagent runner` (internal, hidden): owns one managed session's PTY and child (docs/architecture.md,
    /// "Runner"). Started detached by `RunnerLauncher`, which also builds these arguments; the secret arrives on
    /// `--control-fd` (or in a 0600 `--secret-file`), never on the command line.
    struct RunnerCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "runner",
            abstract: "Run one agent session's terminal (internal; started by the daemon).",
            shouldDisplay: false
        )

        @Option(name: .customLong("session-id"), help: "The session this runner serves.")
        var sessionID: String

        @Option(name: .customLong("socket"), help: "The Unix socket to listen on (0600).")
        var socketPath: String

        @Option(name: .customLong("metadata"), help: "The metadata file to write (0600).")
        var metadataPath: String

        @Option(name: .customLong("tail-file"), help: "Where to save the last 256 KiB of output when the child exits.")
        var tailPath: String?

        @Option(name: .customLong("control-fd"), help: "Inherited descriptor: the secret is read from it, readiness written to it.")
        var controlDescriptor: Int32?

        @Option(name: .customLong("secret-file"), help: "A 0600 file holding the secret (removed once read).")
        var secretFile: String?

        @Option(name: .customLong("cwd"), help: "The child's working directory.")
        var workingDirectory: String?

        @Option(help: "Terminal columns.")
        var cols = TerminalSize.default.cols

        @Option(help: "Terminal rows.")
        var rows = TerminalSize.default.rows

        @Option(name: .customLong("buffer-bytes"), help: "Output ring buffer size.")
        var bufferBytes = RingBuffer.defaultCapacity

        @Option(name: .customLong("grace-ms"), help: "Milliseconds between SIGTERM and SIGKILL on stop.")
        var graceMilliseconds: Int64 = 5000

        @Option(name: .customLong("linger-ms"), help: "Milliseconds to wait after the child's exit for a client to acknowledge it.")
        var lingerMilliseconds: Int64 = 30000

        @Argument(parsing: .postTerminator, help: "The command to run and its arguments (after --).")
        var command: [String] = []

        func validate() throws {
            guard !self.command.isEmpty else { throw ValidationError("give the command to run after --") }
            guard self.controlDescriptor != nil || self.secretFile != nil else {
                throw ValidationError("give --control-fd or --secret-file")
            }
            guard TerminalSize(cols: self.cols, rows: self.rows).isValid else { throw ValidationError("invalid --cols/--rows") }
            guard self.bufferBytes > 0 else { throw ValidationError("--buffer-bytes must be positive") }
        }

        func run() async throws {
            let options = RunnerMain.Options(
                sessionID: self.sessionID,
                socketPath: self.socketPath,
                metadataPath: self.metadataPath,
                tailPath: self.tailPath,
                controlDescriptor: self.controlDescriptor,
                secretFile: self.secretFile,
                command: self.command[0],
                arguments: Array(self.command.dropFirst()),
                workingDirectory: self.workingDirectory,
                size: TerminalSize(cols: self.cols, rows: self.rows),
                bufferBytes: self.bufferBytes,
                stopGrace: .milliseconds(max(0, self.graceMilliseconds)),
                linger: .milliseconds(max(0, self.lingerMilliseconds)),
                runnerVersion: WhatsAgentVersion.current
            )
            let code = await RunnerMain.run(options)
            if code != 0 { throw ExitCode(code) }
        }
    }
}
