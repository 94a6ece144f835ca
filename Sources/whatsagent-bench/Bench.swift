import Foundation
import WhatsAgentAPI

/// Runs every row and prints the table.
struct Bench {
    let options: Options

    /// What one run (one fresh daemon) measured.
    struct RunResult: Sendable {
        var rbacSetting: String
        /// RBAC decisions in the audit log after the run; nil when the binary keeps none.
        var rbacAudited: Int?
        var push: PushLatency.Run
        var daemonIdleBytes: Double
        var daemonIdleSplit: (anonymous: Double, file: Double)
        var daemonAfterLoadBytes: Double
        var throughput: Throughput.Run
        var mcpStarts: [MCPStart.Sample]
        /// Store write transactions per `send_message` (issue 19); nil when the binary does not count them.
        var writeTransactionsPerSend: Double?
        /// Daemon CPU per send to an empty inbox and to a full one (issue 21).
        var backlog: Backlog.Run
        /// RSS and PSS of each `whatsagent mcp` of the throughput row, read after initialize with all of them running.
        var mcpMemory: [(resident: Double, proportional: Double)]
    }

    func run() async throws {
        let machine = Machine.probe(whatsagent: self.options.whatsagent)
        print("machine: \(machine.summary)")
        print("RBAC: workspace mode \(self.options.rbacMode) under the daemon's default ceiling (enforce); checked in the audit log after each run")
        print("binary: \(self.options.whatsagent)")
        fflush(nil)
        if self.options.only == "terminal" {
            try await self.runTerminalRows(machine: machine)
            return
        }
        if self.options.only == "history" {
            try await self.runHistoryRow(machine: machine)
            return
        }

        let start = CPUAccounting.mark()
        var runs: [RunResult] = []
        let spawnsPerRun = (self.options.mcpSpawns + self.options.runs - 1) / self.options.runs
        for index in 1...self.options.runs {
            self.progress("run \(index)/\(self.options.runs): fresh daemon, \(self.options.agents) agents")
            runs.append(try await self.measureRun(spawns: min(spawnsPerRun, self.options.mcpSpawns - spawnsPerRun * (index - 1))))
            let last = runs[runs.count - 1]
            self.progress(
                String(
                    format: "run %d: push (strict) p50 %.2f ms p99 %.2f ms, %.0f msg/s, daemon %.1f MB idle",
                    index,
                    Stats.percentile(last.push.afterCall, 50),
                    Stats.percentile(last.push.afterCall, 99),
                    last.throughput.messagesPerSecond,
                    last.daemonIdleBytes / 1e6
                )
            )
        }
        let history = try await self.runHistory()
        if self.options.only == "messaging" {
            print("")
            print("machine: \(machine.summary)")
            print(Self.rbacSummary(runs))
            print(Self.otherLoad(since: start))
            print(Table.render(Self.messagingRows(runs: runs, history: history, agents: self.options.agents)))
            print("")
            print(Self.notes(runs: runs, history: history))
            return
        }
        self.progress("`whatsagent start` → /health: \(self.options.startSamples) samples")
        let starts = try await StartHealth.run(binary: self.options.whatsagent, samples: self.options.startSamples)
        self.progress(
            "board: importing \(self.options.boardTasks) tasks, then \(self.options.runs) × \(self.options.boardRepeats) "
                + "rounds of 4 searches and a 1,000-task listing"
        )
        let (seeded, board) = try await BoardSearch.run(
            binary: self.options.whatsagent,
            taskCount: self.options.boardTasks,
            rounds: self.options.runs,
            repeats: self.options.boardRepeats
        )
        self.progress(
            "terminal: 2 managed agents, then \(self.options.runs) × (\(self.options.terminalBytes) bytes of PTY output, "
                + "\(self.options.keystrokes) keystrokes)"
        )
        let terminal = try await TerminalRows.run(
            binary: self.options.whatsagent,
            bytes: self.options.terminalBytes,
            keystrokes: self.options.keystrokes,
            rounds: self.options.runs
        )
        let web = try await self.runWebPageLoad()

        let rows = Self.rows(
            runs: runs,
            history: history,
            starts: starts,
            board: board,
            boardTasks: seeded.tasks,
            terminal: terminal,
            agents: self.options.agents
        )
        print("")
        print("machine: \(machine.summary)")
        print(Self.rbacSummary(runs))
        print(Self.otherLoad(since: start))
        print(
            "runs: \(self.options.runs) × (\(self.options.latencyMessages) push sends, \(self.options.throughputMessages) throughput DMs); "
                + "\(runs.flatMap(\.mcpStarts).count) mcp spawns; \(starts.count) starts; "
                + "\(terminal.count) × (\(self.options.terminalBytes) terminal bytes, \(self.options.keystrokes) keystrokes)"
                + (self.options.quick ? " — QUICK: a smoke check, not a measurement" : "")
        )
        print(Table.render(rows + WebPageLoad.rows(web, skipReason: "not asked for (pass --web-script bench/web_page_load.py)")))
        print("")
        print(Self.notes(runs: runs, history: history))
        print(Self.boardNote(seeded, board))
        print(Self.terminalNote(terminal, bytes: self.options.terminalBytes))
    }

    /// `--only history`: the history row alone.
    private func runHistoryRow(machine: Machine) async throws {
        let start = CPUAccounting.mark()
        guard let history = try await self.runHistory() else { throw BenchError.usage("--only history needs --history N above 0") }
        print("")
        print("machine: \(machine.summary)")
        print(Self.otherLoad(since: start))
        print(
            String(
                format: "history: daemon CPU per exchange %.3f ms fresh, %.3f ms with %d messages in history: ratio %.2f (goal ≤ 1.10)",
                history.freshCPU * 1_000,
                history.historyCPU * 1_000,
                history.history,
                history.ratio
            )
        )
    }

    /// The line saying how much of the machine other processes used since `start`.
    static func otherLoad(since start: CPUAccounting.Mark) -> String {
        let foreign = String(format: "%.0f%%", CPUAccounting.foreignShare(since: start) * 100)
        return "other load: processes outside the benchmark used \(foreign) of the machine's CPU while it ran"
    }

    /// The history row's own daemon (`--history 0` skips it).
    private func runHistory() async throws -> History.Run? {
        guard self.options.history > 0 else { return nil }
        return try await History.run(
            binary: self.options.whatsagent,
            history: self.options.history,
            exchanges: self.options.latencyMessages,
            progress: { self.progress($0) }
        )
    }

    /// The web page-load rows, when `--web-script` names the script; nil otherwise.
    private func runWebPageLoad() async throws -> WebPageLoad.Result? {
        guard let script = self.options.webScript else { return nil }
        self.progress(
            "web: 50 agents and 1,000 tasks, then \(self.options.webRuns) loads of #/agents and \(self.options.webBoardRuns) of #/board "
                + "in headless Chromium"
        )
        return try await WebPageLoad.run(
            python: self.options.webPython,
            script: script,
            binary: self.options.whatsagent,
            runs: self.options.webRuns,
            boardRuns: self.options.webBoardRuns
        )
    }

    /// `--only terminal`: the terminal rows alone (one daemon, two managed agents).
    private func runTerminalRows(machine: Machine) async throws {
        let start = CPUAccounting.mark()
        self.progress(
            "terminal: 2 managed agents, then \(self.options.runs) × (\(self.options.terminalBytes) bytes of PTY output, "
                + "\(self.options.keystrokes) keystrokes), as a runner subscriber and over the browser WebSocket"
        )
        let terminal = try await TerminalRows.run(
            binary: self.options.whatsagent,
            bytes: self.options.terminalBytes,
            keystrokes: self.options.keystrokes,
            rounds: self.options.runs
        )
        print("")
        print("machine: \(machine.summary)")
        print(Self.otherLoad(since: start))
        print(
            "runs: \(terminal.count) × (\(self.options.terminalBytes) terminal bytes, \(self.options.keystrokes) keystrokes); --only terminal"
                + (self.options.quick ? " — QUICK: a smoke check, not a measurement" : "")
        )
        print(Table.render(Self.terminalRows(terminal)))
        print("")
        print(Self.terminalNote(terminal, bytes: self.options.terminalBytes))
    }

    /// One fresh daemon: rows 1, 2, 3 (a share of the spawns) and 4.
    private func measureRun(spawns: Int) async throws -> RunResult {
        let binary = self.options.whatsagent
        let options = self.options
        return try await DaemonHarness.with(binary: binary) { daemon in
            let (rbacSetting, _, agents) = try await daemon.setUpAgents(count: options.agents, rbacMode: options.rbacMode)

            let streams = try await AgentStreams.open(agents)
            let idle: Double
            let idleSplit: (anonymous: Double, file: Double)
            let push: PushLatency.Run
            let afterLoad: Double
            let writes: Double?
            do {
                idle = try ResidentMemory.bytes(pid: daemon.info.pid)
                idleSplit = ResidentMemory.split(pid: daemon.info.pid)
                self.progress("push latency: \(options.latencyMessages) sends")
                push = try await PushLatency.run(
                    agents: agents,
                    streams: streams,
                    messages: options.latencyMessages,
                    warmUp: 2 * agents.count,
                    daemonPID: daemon.info.pid
                )
                afterLoad = try ResidentMemory.bytes(pid: daemon.info.pid)
                let writeSends = max(10, options.latencyMessages / 5)
                self.progress("write transactions: \(writeSends) sends")
                writes = try await WriteTransactions.run(daemon: daemon, agents: agents, board: streams.board, messages: writeSends)
                streams.close()
            } catch {
                streams.close()
                throw error
            }

            self.progress("throughput: \(agents.count) `whatsagent mcp` processes, \(options.throughputMessages) DMs")
            let logs = daemon.home + "/logs"
            let clients = try await Throughput.spawn(binary: binary, agents: agents, logDirectory: logs)
            let rate: Throughput.Run
            let mcpMemory: [(resident: Double, proportional: Double)]
            do {
                mcpMemory = try Throughput.memory(of: clients)
                self.progress("throughput: sending (\(clients.count) processes initialized)")
                rate = try await Throughput.run(clients: clients, agents: agents, total: options.throughputMessages, daemonPID: daemon.info.pid)
            } catch {
                for client in clients { client.terminate() }
                throw error
            }
            for client in clients { await client.close() }

            // Last of the messaging rows: it leaves 10,000 more messages in the history, which the rows above do not
            // start with.
            let waiting = options.quick ? 1_000 : 10_000
            self.progress("backlog: \(options.latencyMessages) sends to an empty inbox, then to one holding \(waiting)")
            let backlogStreams = try await AgentStreams.open(agents)
            let backlog: Backlog.Run
            do {
                backlog = try await Backlog.run(
                    agents: agents,
                    board: backlogStreams.board,
                    sends: options.latencyMessages,
                    waiting: waiting,
                    daemonPID: daemon.info.pid
                )
                backlogStreams.close()
            } catch {
                backlogStreams.close()
                throw error
            }

            self.progress("`whatsagent mcp` start: \(spawns) spawns")
            var starts: [MCPStart.Sample] = []
            for index in 0..<max(0, spawns) {
                starts.append(try await MCPStart.sample(binary: binary, agent: agents[0], logPath: "\(logs)/mcp-start-\(index).log"))
            }
            return RunResult(
                rbacSetting: rbacSetting,
                rbacAudited: await daemon.auditedDecisions(),
                push: push,
                daemonIdleBytes: idle,
                daemonIdleSplit: idleSplit,
                daemonAfterLoadBytes: afterLoad,
                throughput: rate,
                mcpStarts: starts,
                writeTransactionsPerSend: writes,
                backlog: backlog,
                mcpMemory: mcpMemory
            )
        }
    }

    /// The RBAC mode the rows ran under, as the daemon's audit log shows it.
    static func rbacSummary(_ runs: [RunResult]) -> String {
        let setting = runs.first?.rbacSetting ?? "?"
        let audited = runs.compactMap(\.rbacAudited)
        if audited.count < runs.count {
            return "RBAC: workspace setting \(setting), but this binary keeps no audit log: enforcement not observed (treat as off)"
        }
        let median = Int(Stats.median(audited.map(Double.init)))
        if setting == "off" { return "RBAC: off (workspace rbac-mode off; \(median) audited decisions per run)" }
        return "RBAC: \(setting) (workspace rbac-mode \(setting), daemon ceiling default enforce; \(median) decisions audited per run)"
    }

    static func rows(
        runs: [RunResult],
        history: History.Run?,
        starts: [Double],
        board: [BoardSearch.Run],
        boardTasks: Int,
        terminal: [TerminalRows.Run],
        agents: Int
    ) -> [TableRow] {
        let spawns = runs.flatMap(\.mcpStarts)
        var rows = Self.messagingRows(runs: runs, history: history, agents: agents)
        if !spawns.isEmpty {
            rows.append(.atMost("`whatsagent mcp` spawn → initialize answered", spawns.map(\.milliseconds), goal: 50, unit: .milliseconds))
            rows.append(.atMost("`whatsagent mcp` RSS after initialize, alone", spawns.map(\.residentBytes), goal: 15e6, unit: .megabytes))
        }
        rows += [
            TableRow.atMost("daemon RSS idle, \(agents) connected agents", runs.map(\.daemonIdleBytes), goal: 40e6, unit: .megabytes),
            TableRow.atMost("`whatsagent start` → GET /health 200", starts, goal: 300, unit: .milliseconds),
        ]
        rows += Self.terminalRows(terminal)
        rows += [
            TableRow.atMost(
                "board: full-text search, \(TableRow.Unit.grouped(boardTasks)) tasks, p50 (4 fixed queries, REST)",
                board.map { Stats.percentile($0.search, 50) },
                goal: 10,
                unit: .milliseconds
            ),
            TableRow.info(
                "board: full-text search, \(TableRow.Unit.grouped(boardTasks)) tasks, p99",
                board.map { Stats.percentile($0.search, 99) },
                unit: .milliseconds
            ),
            TableRow.info("board: list 1,000 tasks (REST), p50", board.map { Stats.percentile($0.list, 50) }, unit: .milliseconds),
        ]
        return rows
    }

    /// The rows of the messaging runs: push latency, throughput against its goal and against the CPU-bound ceiling of
    /// the same run, CPU per delivered DM, the same with a full inbox and with a long history, write transactions per
    /// send, and `whatsagent mcp`'s memory while all the agents' processes run.
    static func messagingRows(runs: [RunResult], history: History.Run?, agents: Int) -> [TableRow] {
        var rows = [
            TableRow.atMost(
                "push latency p50: send_message returns → mail event, \(agents) connected",
                runs.map { Stats.percentile($0.push.afterReturn, 50) },
                goal: 2,
                unit: .milliseconds
            ),
            TableRow.atMost(
                "push latency p99: send_message returns → mail event, \(agents) connected",
                runs.map { Stats.percentile($0.push.afterReturn, 99) },
                goal: 10,
                unit: .milliseconds
            ),
            TableRow.atMost(
                "push latency p50, strict: send_message called → mail event",
                runs.map { Stats.percentile($0.push.afterCall, 50) },
                goal: 1,
                unit: .milliseconds
            ),
            TableRow.atMost(
                "push latency p99, strict: send_message called → mail event",
                runs.map { Stats.percentile($0.push.afterCall, 99) },
                goal: 5,
                unit: .milliseconds
            ),
            TableRow.atLeast(
                "end-to-end throughput: \(agents) agents through `whatsagent mcp`, all delivered",
                runs.map(\.throughput.messagesPerSecond),
                goal: 3_000,
                unit: .perSecond
            ),
            TableRow.atLeast(
                "end-to-end throughput ÷ the CPU-bound ceiling of the same run (cores left by other load ÷ CPU per message)",
                runs.map { $0.throughput.messagesPerSecond / max($0.throughput.ceiling, 1) },
                goal: 0.9,
                unit: .count
            ),
            TableRow.atMost(
                "daemon CPU per delivered DM (throughput run)",
                runs.map { $0.throughput.daemonCPU / Double(max($0.throughput.messages, 1)) * 1_000 },
                goal: 0.3,
                unit: .milliseconds
            ),
            TableRow.atMost(
                "`whatsagent mcp` CPU per delivered DM, both ends (throughput run)",
                runs.map { $0.throughput.mcpCPU / Double(max($0.throughput.messages, 1)) * 1_000 },
                goal: 0.2,
                unit: .milliseconds
            ),
        ]
        let waiting = runs.first?.backlog.waiting ?? 0
        rows.append(
            .atMost(
                "daemon CPU per DM to an inbox holding \(waiting.formatted()) unread, ÷ to an empty one",
                runs.map(\.backlog.ratio),
                goal: 1.1,
                unit: .count
            )
        )
        rows.append(
            history.map {
                .atMost(
                    "daemon CPU per exchange (DM, push, check, ack) with \($0.history.formatted()) messages in history, ÷ on a fresh workspace",
                    [$0.ratio],
                    goal: 1.1,
                    unit: .count
                )
            }
                ?? TableRow(
                    what: "daemon CPU per exchange with 1,000,000 in history ÷ fresh",
                    measured: "not run (--history 0)",
                    goal: "≤ 1.1",
                    gap: "—"
                )
        )
        let writes = runs.compactMap(\.writeTransactionsPerSend)
        rows.append(
            writes.count == runs.count
                ? .atMost("store write transactions per send_message (send + push marks + RBAC audit)", writes, goal: 1, unit: .count)
                : TableRow(
                    what: "store write transactions per send_message",
                    measured: "not counted by this binary",
                    goal: "≤ 1",
                    gap: "—"
                )
        )
        let memory = runs.flatMap(\.mcpMemory)
        rows.append(
            .atMost("`whatsagent mcp` RSS after initialize, \(agents) running", memory.map(\.resident), goal: 15e6, unit: .megabytes)
        )
        rows.append(
            .atMost("`whatsagent mcp` PSS after initialize, \(agents) running", memory.map(\.proportional), goal: 6e6, unit: .megabytes)
        )
        return rows
    }

    /// The terminal rows: the browser WebSocket path first, then the runner hop it is built on.
    static func terminalRows(_ terminal: [TerminalRows.Run]) -> [TableRow] {
        [
            TableRow.atLeast(
                "terminal: PTY output → browser WebSocket (runner → daemon → WS)",
                terminal.map(\.web.bytesPerSecond),
                goal: 50e6,
                unit: .megabytesPerSecond
            ),
            TableRow.atMost(
                "terminal: keystroke echo p99, browser WebSocket ↔ raw `cat`",
                terminal.map { Stats.percentile($0.web.echo, 99) },
                goal: 5,
                unit: .milliseconds
            ),
            TableRow.atLeast(
                "terminal: PTY output → runner subscriber (the hop before the daemon)",
                terminal.map(\.bytesPerSecond),
                goal: 50e6,
                unit: .megabytesPerSecond
            ),
            TableRow.atMost(
                "terminal: keystroke echo p99, runner subscriber ↔ raw `cat`",
                terminal.map { Stats.percentile($0.echo, 99) },
                goal: 5,
                unit: .milliseconds
            ),
        ]
    }

    /// Context the table rows need: what the latency definition hides, where the CPU goes, memory after load.
    static func notes(runs: [RunResult], history: History.Run?) -> String {
        let sends = runs.reduce(0) { $0 + $1.push.afterReturn.count }
        let early = runs.reduce(0) { $0 + $1.push.early }
        let sendP50 = Stats.median(runs.map { Stats.percentile($0.push.sendCall, 50) })
        let exchangeCPU = Stats.median(runs.map(\.push.daemonCPUPerExchange)) * 1_000
        func perMessage(_ part: KeyPath<Throughput.Run, Double>) -> Double {
            Stats.median(runs.map { $0.throughput[keyPath: part] / Double($0.throughput.messages) * 1_000 })
        }
        let daemon = perMessage(\.daemonCPU)
        let mcp = perMessage(\.mcpCPU)
        let bench = perMessage(\.benchCPU)
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        let afterLoad = Stats.median(runs.map(\.daemonAfterLoadBytes))
        let spawns = runs.flatMap(\.mcpStarts)
        return [
            String(
                format: "note: %d of %d hints (%.1f%%) reached the recipient before send_message returned to its sender (the daemon "
                    + "publishes the hint before it answers); the SPEC rows count those as 0 ms, the strict rows time from the call.",
                early,
                sends,
                Double(early) / Double(max(sends, 1)) * 100
            ),
            String(
                format: "note: send_message round trip p50 %.2f ms; daemon CPU per latency exchange (send, push, check_messages, ack) %.2f ms.",
                sendP50,
                exchangeCPU
            ),
            String(
                format: "note: throughput CPU per delivered message: daemon %.2f ms, the `whatsagent mcp` processes %.2f ms, this bench %.2f ms "
                    + "(total %.2f ms: %.0f cores cap it at %.0f msg/s).",
                daemon,
                mcp,
                bench,
                daemon + mcp + bench,
                cores,
                cores * 1_000 / max(daemon + mcp + bench, 0.001)
            ),
            String(
                format: "note: RSS = anonymous (heap, stacks) + file-backed pages (binary, shared libraries; shared by processes "
                    + "mapping them): `whatsagent mcp` %.1f + %.1f MB; idle daemon %.1f + %.1f MB; "
                    + "daemon RSS right after the push-latency sends %.1f MB (medians).",
                spawns.isEmpty ? 0 : Stats.median(spawns.map(\.anonymousBytes)) / 1e6,
                spawns.isEmpty ? 0 : Stats.median(spawns.map(\.fileBytes)) / 1e6,
                Stats.median(runs.map(\.daemonIdleSplit.anonymous)) / 1e6,
                Stats.median(runs.map(\.daemonIdleSplit.file)) / 1e6,
                afterLoad / 1e6
            ),
            String(
                format: "note: daemon CPU per DM and its push: %.3f ms to an empty inbox, %.3f ms to one holding %d unread (medians).",
                Stats.median(runs.map(\.backlog.emptyCPU)) * 1_000,
                Stats.median(runs.map(\.backlog.backlogCPU)) * 1_000,
                runs.first?.backlog.waiting ?? 0
            ),
            String(
                format: "note: throughput's CPU-bound ceiling: %.0f msg/s (%.2f ms of CPU per message, other load %.0f%% during the row; medians).",
                Stats.median(runs.map(\.throughput.ceiling)),
                Stats.median(runs.map(\.throughput.cpuPerMessage)) * 1_000,
                Stats.median(runs.map(\.throughput.foreignShare)) * 100
            ),
            history.map {
                String(
                    format: "note: history: daemon CPU per exchange %.3f ms in the fresh workspace, %.3f ms in the one with %d messages "
                        + "written into its history (in %.1f s with the sqlite3 shell, the daemon stopped); one daemon, alternating blocks.",
                    $0.freshCPU * 1_000,
                    $0.historyCPU * 1_000,
                    $0.history,
                    $0.seedSeconds
                )
            } ?? "note: history: not run (--history 0).",
        ].joined(separator: "\n")
    }

    /// How the board was seeded and how each query of the fixed set fared.
    static func boardNote(_ seeded: BoardSearch.Seeded, _ runs: [BoardSearch.Run]) -> String {
        let perQuery = BoardSearch.queries(taskCount: seeded.tasks).map { query in
            let p50 = Stats.median(runs.map { Stats.percentile($0.byQuery[query.label] ?? [0], 50) })
            return String(format: "%@ '%@' %.2f ms", query.label, query.text, p50)
        }
        return String(
            format: "note: board seeded through `board import` (%d tasks, %d comments, %.1f MB of JSON) in %.1f s; search p50 by query: %@.",
            seeded.tasks,
            seeded.comments,
            Double(seeded.exportBytes) / 1e6,
            seeded.importSeconds,
            perQuery.joined(separator: ", ")
        )
    }

    /// The terminal rows' context: echo p50, time to the first output byte, chunk sizes.
    static func terminalNote(_ runs: [TerminalRows.Run], bytes: Int) -> String {
        String(
            format: "note: terminal: keystroke echo p50 %.2f ms over the browser WebSocket, %.2f ms as a runner subscriber; "
                + "newline sent → first output byte %.2f / %.2f ms; %.1f KB per WebSocket frame, %.1f KB per runner chunk "
                + "(medians; the daemon's own watch subscribes to the same runners).",
            Stats.median(runs.map { Stats.percentile($0.web.echo, 50) }),
            Stats.median(runs.map { Stats.percentile($0.echo, 50) }),
            Stats.median(runs.map(\.web.firstByte)),
            Stats.median(runs.map(\.firstByte)),
            Stats.median(runs.map { Double(bytes) / Double(max($0.web.chunks, 1)) / 1e3 }),
            Stats.median(runs.map { Double(bytes) / Double(max($0.chunks, 1)) / 1e3 })
        )
    }

    func progress(_ message: String) {
        FileHandle.standardError.write(Data("[bench] \(message)\n".utf8))
    }
}
