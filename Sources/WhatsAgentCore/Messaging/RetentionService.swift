import Foundation

/// Chat and audit retention (SPEC §5 `[retention] chat_days, audit_days`, §7.5), run by the daemon's maintenance
/// timer for every active workspace and once when a workspace's chat retention changes.
///
/// - Direct and broadcast messages older than the workspace's chat retention are deleted once finished (`acknowledged`
///   or `rejected`). Unacknowledged ones — `queued`, `pushed`, `surfaced` or `held` — are kept whatever their age: nothing waiting
///   for an agent or the human is ever silently lost.
/// - Channel threads go as a unit: a thread (root and replies) is deleted when its newest post is older than the
///   retention and every member has read all of it. A thread with a recent reply stays whole.
/// - Audit entries older than `auditDays` are deleted, and beyond `auditMaxEntries` per workspace the oldest go too,
///   so an agent that calls tools all day cannot grow the audit log without bound.
/// - `forever` keeps chat history (audit retention still applies).
public struct RetentionService: Sendable {
    let workspaces: WorkspaceService
    /// Days audit entries are kept (`[retention] audit_days`).
    let auditDays: Int
    /// Most audit entries a workspace keeps (`[retention] audit_max_entries`).
    let auditMaxEntries: Int
    let now: @Sendable () -> Date

    public init(
        workspaces: WorkspaceService,
        auditDays: Int = 90,
        auditMaxEntries: Int = 1_000_000,
        now: @escaping @Sendable () -> Date = WallClock.now
    ) {
        self.workspaces = workspaces
        self.auditDays = auditDays
        self.auditMaxEntries = auditMaxEntries
        self.now = now
    }

    /// What one pass deleted in one workspace.
    public struct Pruned: Sendable, Equatable {
        public var workspaceID: WorkspaceID
        public var workspaceName: String
        public var messages = 0
        public var posts = 0
        public var auditEntries = 0
    }

    /// Prunes the chat history of one workspace under its current retention (audit entries untouched).
    public func pruneChat(workspace reference: String?) async throws -> Pruned {
        let (workspace, database) = try await self.workspaces.database(for: reference)
        var pruned = Pruned(workspaceID: workspace.id, workspaceName: workspace.name)
        guard case .days(let days) = workspace.chatRetention else { return pruned }
        let cutoff = self.now().addingTimeInterval(-Double(days) * 86_400)
        pruned.messages = try await database.pruneMessages(before: cutoff)
        pruned.posts = try await database.prunePosts(before: cutoff)
        return pruned
    }

    /// Prunes chat history and audit entries of every active workspace. A workspace that fails is reported in
    /// `failures` and does not stop the others.
    public func pruneAll() async throws -> (pruned: [Pruned], failures: [(workspace: String, error: any Error)]) {
        var pruned: [Pruned] = []
        var failures: [(workspace: String, error: any Error)] = []
        let auditCutoff = self.now().addingTimeInterval(-Double(self.auditDays) * 86_400)
        for summary in try await self.workspaces.list() where summary.workspace.status == .active {
            let id = summary.workspace.id.rawValue
            do {
                var result = try await self.pruneChat(workspace: id)
                let database = try await self.workspaces.database(for: id).1
                result.auditEntries = try await database.pruneAudit(before: auditCutoff, keepingAtMost: self.auditMaxEntries)
                pruned.append(result)
            } catch {
                failures.append((summary.workspace.name, error))
            }
        }
        return (pruned, failures)
    }
}
