import GRDB

extension WorkspaceMigrations {
    /// Registers `v6-create-board` (and any later migrations of this area, appended after it).
    static func registerBoard(in migrator: inout DatabaseMigrator) {
    }
}
