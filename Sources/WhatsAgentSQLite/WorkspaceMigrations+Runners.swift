import GRDB
import WhatsAgentCore

extension WorkspaceMigrations {
    /// Registers `v7-add-session-runner` (managed sessions: the runner and how the session ended) and
    /// `v8-add-agent-nudge` (the per-agent PTY nudge switch), in that order.
    static func registerRunners(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7-add-session-runner") { db in
            try db.alter(table: "session") { t in
                // The detached `whatsagent runner` of a managed session and its child (the agent), while it runs.
                t.add(column: "runnerPid", .integer)
                t.add(column: "childPid", .integer)
                t.add(column: "runnerSocket", .text)
                // How a managed session's child ended: an exit code or a signal, and the last 256 KiB of its output.
                t.add(column: "exitCode", .integer)
                t.add(column: "exitSignal", .integer)
                t.add(column: "exitTail", .blob)
            }
        }
        migrator.registerMigration("v8-add-agent-nudge") { db in
            try db.alter(table: "agent") { t in
                // Whether the daemon types PTY nudges (Codex, custom); independent of `pushEnabled`, which gates them all.
                t.add(column: "nudgeEnabled", .boolean).notNull().defaults(to: true)
            }
        }
    }
}
