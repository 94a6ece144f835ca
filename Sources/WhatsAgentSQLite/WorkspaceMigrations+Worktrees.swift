import GRDB
import WhatsAgentCore

extension WorkspaceMigrations {
    /// Registers `v11-agent-worktree` (an agent's worktree switch and branch, issue 23; a row only for agents that
    /// ever had the switch on) and `v12-board-task-branch` (the branch a task is done on).
    static func registerWorktrees(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v11-agent-worktree") { db in
            try db.execute(
                sql: """
                    CREATE TABLE agentWorktree (
                        agentId TEXT PRIMARY KEY NOT NULL REFERENCES agent(id) ON DELETE CASCADE,
                        enabled BOOLEAN NOT NULL,
                        branch TEXT NOT NULL
                    )
                    """
            )
        }
        migrator.registerMigration("v12-board-task-branch") { db in
            try db.execute(sql: "ALTER TABLE boardTask ADD COLUMN branch TEXT")
        }
    }
}
