import Foundation
import WhatsAgentAPI

/// What an import restored.
public struct BoardImportSummary: Sendable, Equatable {
    public var tasks: Int
    public var epics: Int
    public var comments: Int
    public var dependencies: Int
    public var activity: Int
}

extension BoardService {
    // MARK: - Export and import

    /// The whole board of a workspace (the human's export; render it with `BoardRenderer` or map it to the wire).
    public func export(workspace reference: String? = nil) async throws -> BoardSnapshot {
        let (workspace, database) = try await self.workspaces.boardStore(for: reference)
        return try await database.boardRead(prefixes: (workspace.kanbanPrefix, workspace.epicPrefix)) { tx in try tx.snapshot() }
    }

    /// Restores an export into a workspace whose board is empty, exactly (ids, display ids, sequences, timestamps,
    /// comments, dependencies, activity, close-approval state), and sets the workspace's task and epic prefixes to
    /// the export's. Agents are matched by address. One transaction: a refused import leaves the board empty.
    /// - Throws: `invalid_state` when the board is not empty, `invalid_argument` for an export that does not fit
    ///   together or has another format version.
    @discardableResult
    public func importBoard(_ snapshot: BoardSnapshot, workspace reference: String? = nil) async throws -> BoardImportSummary {
        try Self.rejectNUL(in: snapshot)
        let (workspace, database) = try await self.workspaces.boardStore(for: reference)
        _ = try await database.boardWrite(now: self.now(), actor: .human, prefixes: (workspace.kanbanPrefix, workspace.epicPrefix)) { tx in
            try tx.restore(snapshot)
        }
        if workspace.kanbanPrefix != snapshot.taskPrefix || workspace.epicPrefix != snapshot.epicPrefix {
            _ = try await self.workspaces.update(
                workspace.id.rawValue,
                WorkspacePatch(kanbanPrefix: snapshot.taskPrefix, epicPrefix: snapshot.epicPrefix)
            )
        }
        // Everything may have changed: the pages refetch.
        self.workspaces.events.publish(.board(itemID: "*", kind: .task), workspace: workspace.id)
        return BoardImportSummary(
            tasks: snapshot.tasks.count,
            epics: snapshot.epics.count,
            comments: snapshot.comments.count,
            dependencies: snapshot.dependencies.count,
            activity: snapshot.activity.count
        )
    }

    /// An edited export may carry a NUL, which storage would cut the text at: refused, naming the item and field.
    static func rejectNUL(in snapshot: BoardSnapshot) throws {
        let items =
            snapshot.tasks.map { ($0.displayID, $0.title, $0.details, $0.github) }
            + snapshot.epics.map { ($0.displayID, $0.title, $0.details, $0.github) }
        for (displayID, title, details, github) in items {
            try FreeText.rejectNUL(title, field: "\(displayID).title")
            try FreeText.rejectNUL(details, field: "\(displayID).details")
            try FreeText.rejectNUL(github.url ?? "", field: "\(displayID).githubUrl")
            try FreeText.rejectNUL(github.title ?? "", field: "\(displayID).githubTitle")
        }
        for comment in snapshot.comments {
            try FreeText.rejectNUL(comment.body, field: "\(comment.itemDisplayID) comment \(comment.id).body")
        }
    }
}
