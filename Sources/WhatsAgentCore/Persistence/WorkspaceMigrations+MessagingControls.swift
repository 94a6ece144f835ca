import GRDB

extension WorkspaceMigrations {
    /// Registers `v5-messaging-controls` (and any later migrations of this area, appended after it).
    static func registerMessagingControls(in migrator: inout DatabaseMigrator) {
    }
}
