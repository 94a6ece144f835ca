import GRDB

extension WorkspaceMigrations {
    /// Registers `v5-message-search` (and any later migrations of this area, appended after it).
    static func registerMessageSearch(in migrator: inout DatabaseMigrator) {
    }
}
