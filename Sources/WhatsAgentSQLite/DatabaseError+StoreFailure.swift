import GRDB
import WhatsAgentCore

extension DatabaseError: StoreFailure {
    /// SQLite's "database or disk is full", a read-only file system, an I/O error or a file that cannot be opened.
    package var storageFailure: DomainError? {
        switch self.resultCode {
        case .SQLITE_FULL: .diskFull
        case .SQLITE_READONLY: .readOnlyHome
        case .SQLITE_IOERR, .SQLITE_CANTOPEN:
            DomainError(
                .storage,
                "the database could not be read or written (\(self.message ?? "SQLite error \(self.resultCode.rawValue)")): check the disk under the WhatsAgent home and that it is writable, then retry; nothing was written"
            )
        default: nil
        }
    }
}
