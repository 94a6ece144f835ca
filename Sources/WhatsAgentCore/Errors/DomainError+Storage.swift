import Foundation

/// An error of a store's driver that may say the disk failed (full, read-only, I/O): the store maps it once.
package protocol StoreFailure: Error {
    /// The `storage_error` this failure is, or nil for anything else (which stays an internal error).
    var storageFailure: DomainError? { get }
}

extension DomainError {
    /// Turns a failure of the disk under the home — SQLite's "database or disk is full", a read-only file system,
    /// an I/O error, a file that cannot be opened, or the same from a plain file write — into a `storage_error` that
    /// says what happened and what to do (SPEC §15). Nil for anything else, which stays an internal error.
    ///
    /// Every database change is one transaction, so a refused write leaves nothing half-written: the messages say so.
    public static func storageFailure(_ error: any Error) -> DomainError? {
        if let error = error as? DomainError { return error.code == .storage ? error : nil }
        if let error = error as? any StoreFailure { return error.storageFailure }
        let errno: Int32? =
            switch error {
            case let error as POSIXError: error.code.rawValue
            case let error as CocoaError: (error.userInfo[NSUnderlyingErrorKey] as? POSIXError)?.code.rawValue ?? Self.errno(of: error)
            case let error as NSError where error.domain == NSPOSIXErrorDomain: Int32(error.code)
            default: nil
            }
        switch errno {
        case ENOSPC, EDQUOT: return .diskFull
        case EROFS: return .readOnlyHome
        case EIO: return DomainError(.storage, "a disk read or write failed under the WhatsAgent home (EIO): check the disk, then retry")
        default: return nil
        }
    }

    package static let diskFull = DomainError(
        .storage,
        "the disk holding the WhatsAgent home is full, so nothing was written: free some space (see `df` for the home's file system), then retry"
    )

    package static let readOnlyHome = DomainError(
        .storage,
        "the WhatsAgent home is on a read-only file system, so nothing was written: make it writable again (or start the daemon with --home on a writable disk), then retry"
    )

    /// The daemon cannot start on a home it cannot write.
    static func readOnlyFolder(_ path: String) -> DomainError {
        DomainError(
            .storage,
            "cannot write \(path): the WhatsAgent home is on a read-only file system; make it writable or start with --home on a writable disk"
        )
    }

    private static func errno(of error: CocoaError) -> Int32? {
        switch error.code {
        case .fileWriteOutOfSpace: ENOSPC
        case .fileWriteVolumeReadOnly: EROFS
        default: nil
        }
    }
}
