import Foundation

/// The command line of `whatsagent-bench`.
struct Options {
    var runs = 5
    /// Sends per run of the push-latency row.
    var latencyMessages = 1_000
    /// DMs per run of the throughput row.
    var throughputMessages = 5_000
    var agents = 20
    /// `whatsagent mcp` spawns in all (spread over the runs).
    var mcpSpawns = 20
    /// `whatsagent start` samples.
    var startSamples = 10
    /// Tasks on the board of the search rows (SPEC §14: 100,000).
    var boardTasks = 100_000
    /// Times each board query runs per run.
    var boardRepeats = 50
    /// PTY output bytes per run of the terminal throughput row. Kept under the runner's 8 MiB backlog limit: a
    /// subscriber further behind than that is dropped (`too_slow`), which a loaded machine reaches with 100 MB.
    var terminalBytes = 8_000_000
    /// Keystrokes per run of the keystroke echo row.
    var keystrokes = 1_000
    /// Messages written into the history of the history row's workspace (0: the row is skipped).
    var history = 1_000_000
    var quick = false
    /// The web page-load rows: `bench/web_page_load.py` and the Python with Playwright that runs it (nil: skipped).
    var webScript: String?
    var webPython = "python3"
    /// Measured loads of `#/agents` and of `#/board`.
    var webRuns = 30
    var webBoardRuns = 20
    /// `--only terminal`: run one group of rows.
    var only: String?
    /// The RBAC mode of the benchmark workspace (`enforce`, the product default, `soft` or `off`).
    var rbacMode = "enforce"
    var whatsagent: String
    var help = false

    static let usage = """
        usage: whatsagent-bench [--runs N] [--messages N] [--throughput-messages N] [--agents N] [--mcp-spawns N] [--start-samples N]
                                [--board-tasks N] [--board-repeats N] [--terminal-bytes N] [--keystrokes N] [--history N]
                                [--rbac-mode MODE] [--only terminal|messaging] [--quick] [--whatsagent PATH]
                                [--web-script PATH [--web-python PATH] [--web-runs N] [--web-board-runs N]]

        Measures the SPEC §14 rows against a real daemon started with `whatsagent start` in a temporary home
        (/tmp/wab-*), always stopped and removed at the end, and prints one table: median over the runs, goal, gap.

          --runs N           repeated runs; each starts a fresh daemon (default 5)
          --messages N       messages per run for push latency and for throughput (default 1000 and 5000)
          --throughput-messages N  messages per run for throughput only
          --agents N         connected agents (default 20)
          --mcp-spawns N     `whatsagent mcp` starts measured in all (default 20)
          --start-samples N  `whatsagent start` → /health samples (default 10)
          --board-tasks N    tasks on the board searched by the board rows (default 100000)
          --board-repeats N  times each board query (and the 1,000-task listing) runs per run (default 50)
          --terminal-bytes N PTY output bytes per run through a managed agent's runner (default 8000000)
          --keystrokes N     keystrokes per run echoed by a managed `cat` (default 1000)
          --history N        messages written into the history row's workspace (default 1000000; 0 skips the row)
          --rbac-mode MODE   RBAC mode of the benchmark workspace: enforce (default), soft or off
          --only terminal    only the terminal rows (runner subscriber and browser WebSocket)
          --only messaging   only the messaging rows (push latency, throughput, CPU per DM, write transactions per send)
          --web-script PATH  bench/web_page_load.py: the agents/board page-load rows in headless Chromium (without it
                             those rows show as skipped); --web-python is the Python with Playwright (default python3)
          --web-runs N       measured loads of the agents page (default 30); --web-board-runs N of the board (default 20)
          --quick            small counts: a smoke check, not a measurement
          --whatsagent PATH  the binary to measure (default: `whatsagent` next to this program)

        Exit status: 0 when the benchmark ran (missed goals show as gaps), 1 when it failed, 2 for a usage error.
        """

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options(whatsagent: Self.defaultBinary())
        var explicit: Set<String> = []
        var remaining = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let value = remaining.popFirst() else { throw BenchError.usage("\(flag) needs a value") }
            return value
        }
        func count(_ flag: String, minimum: Int = 1) throws -> Int {
            let text = try value(flag)
            guard let number = Int(text), number >= minimum else {
                throw BenchError.usage("\(flag) needs a whole number ≥ \(minimum) (got '\(text)')")
            }
            explicit.insert(flag)
            return number
        }
        while let flag = remaining.popFirst() {
            switch flag {
            case "--runs": options.runs = try count(flag)
            case "--messages":
                options.latencyMessages = try count(flag)
                options.throughputMessages = options.latencyMessages
            case "--throughput-messages": options.throughputMessages = try count(flag)
            case "--agents": options.agents = try count(flag, minimum: 2)
            case "--mcp-spawns": options.mcpSpawns = try count(flag)
            case "--start-samples": options.startSamples = try count(flag)
            case "--board-tasks": options.boardTasks = try count(flag, minimum: 1_000)
            case "--board-repeats": options.boardRepeats = try count(flag)
            case "--terminal-bytes": options.terminalBytes = try count(flag, minimum: 1_000_000)
            case "--keystrokes": options.keystrokes = try count(flag)
            case "--history": options.history = try count(flag, minimum: 0)
            case "--whatsagent": options.whatsagent = try value(flag)
            case "--rbac-mode":
                options.rbacMode = try value(flag)
                guard ["enforce", "soft", "off"].contains(options.rbacMode) else {
                    throw BenchError.usage("--rbac-mode is enforce, soft or off (got '\(options.rbacMode)')")
                }
            case "--only":
                options.only = try value(flag)
                guard options.only == "terminal" || options.only == "messaging" else {
                    throw BenchError.usage("--only takes terminal or messaging (got '\(options.only ?? "")')")
                }
            case "--web-script": options.webScript = try value(flag)
            case "--web-python": options.webPython = try value(flag)
            case "--web-runs": options.webRuns = try count(flag)
            case "--web-board-runs": options.webBoardRuns = try count(flag, minimum: 0)
            case "--quick": options.quick = true
            case "--help", "-h": options.help = true
            default: throw BenchError.usage("unknown argument '\(flag)'")
            }
        }
        if options.quick {
            if !explicit.contains("--runs") { options.runs = 2 }
            if !explicit.contains("--messages") { options.latencyMessages = 100 }
            if !explicit.contains("--messages") && !explicit.contains("--throughput-messages") { options.throughputMessages = 400 }
            if !explicit.contains("--mcp-spawns") { options.mcpSpawns = 4 }
            if !explicit.contains("--start-samples") { options.startSamples = 3 }
            if !explicit.contains("--board-tasks") { options.boardTasks = 5_000 }
            if !explicit.contains("--board-repeats") { options.boardRepeats = 10 }
            if !explicit.contains("--terminal-bytes") { options.terminalBytes = 4_000_000 }
            if !explicit.contains("--keystrokes") { options.keystrokes = 100 }
            if !explicit.contains("--history") { options.history = 20_000 }
            if !explicit.contains("--web-runs") { options.webRuns = 5 }
            if !explicit.contains("--web-board-runs") { options.webBoardRuns = 3 }
        }
        options.whatsagent = URL(fileURLWithPath: options.whatsagent).standardizedFileURL.path
        guard FileManager.default.isExecutableFile(atPath: options.whatsagent) else {
            throw BenchError.usage("no whatsagent executable at \(options.whatsagent) (pass --whatsagent PATH)")
        }
        return options
    }

    /// `whatsagent` in the directory of this executable.
    static func defaultBinary() -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("whatsagent").path
    }
}
