import Foundation
import WhatsAgentAPI

@testable import WhatsAgentCore

/// What the concern contracts share: a fixed clock, and the RBAC check of an agent's call as a request would build it.
enum Contract {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// The check of `tool` by `agent`, under a workspace row in `mode` (the store's own built-in roles decide), settled
    /// through `store`.
    static func check(_ tool: String, by agent: Agent, in store: any MessagingStore, mode: RBACMode = .enforce) -> ToolCheck {
        ToolCheck(workspace: self.workspace(mode: mode), agent: agent, store: store, tool: tool, ceiling: .enforce, now: { now })
    }

    /// A workspace row named `name` (no limits; pass `id` where a store keys its rows by it).
    static func workspace(
        id: WorkspaceID = .generate(),
        name: String = "contract",
        topology: Topology = .channel,
        mode: RBACMode = .enforce
    ) -> Workspace {
        Workspace(
            id: id,
            name: name,
            status: .active,
            topology: topology,
            rbacMode: mode,
            kanbanPrefix: "WA",
            epicPrefix: "EP",
            maxBodyChars: 4_000,
            chatRetention: .forever,
            rateLimit: .off,
            loopGuard: .off,
            createdAt: now,
            updatedAt: now
        )
    }

    /// Gives an agent roles through the store.
    static func assign(_ roles: [String], to agent: Agent, in store: any RepoAgentStore) async throws -> Agent {
        try await store.updateAgent(agent.address) { $0.roles = roles }
    }
}
