import GRDB
import WhatsAgentCore

/// The per-workspace colleague protocol (SPEC §6.4): the text a workspace's launches get instead of the built-in one.
extension DaemonMigrations {
    static func registerColleagueProtocol(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-add-workspace-colleague-protocol") { db in
            try db.alter(table: "workspace") { t in
                // NULL: the built-in text; rows written before this migration keep it.
                t.add(column: "colleagueProtocol", .text)
            }
        }
    }
}
