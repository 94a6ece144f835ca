import Foundation

/// Repos and agents of a workspace, and the sessions their removal ends.
/// One of the store protocols cut by concern (issue 19, docs/store.md); ``WorkspaceStore`` composes them.
package protocol RepoAgentStore: Sendable {
    /// Closes the connections; later use fails with an error instead of touching the file.
    func close() throws

    /// Writes a consistent copy of the database to `path` (SQLite online backup).
    func backup(to path: String) throws

    func insertRepo(_ repo: Repo) async throws

    func repos() async throws -> [Repo]

    func repo(named name: String) async throws -> Repo

    /// Deletes a repo and its agents. Refuses while any of its agents has a live session unless `force`, in which
    /// case those sessions are ended first (same transaction).
    func deleteRepo(named name: String, force: Bool, now: Date) async throws -> [LiveSession]

    /// Inserts `agent`. An agent named `main` added while the workspace has no main agent becomes the main agent
    /// (decided in the same transaction). Returns the agent as stored.
    @discardableResult
    func insertAgent(_ proposed: Agent) async throws -> Agent

    func agents() async throws -> [Agent]

    func agent(_ address: AgentAddress) async throws -> Agent

    /// Applies `change` to one agent and saves it. Roles and the main flag are written as the closure leaves them.
    func updateAgent(_ address: AgentAddress, _ change: @Sendable (inout Agent) throws -> Void) async throws -> Agent

    /// Clears the main flag of every agent. Returns the agent that was main, if any.
    func unsetMain(now: Date) async throws -> Agent?

    /// Deletes an agent; refuses while it has a live session unless `force` (then the session is ended first).
    func deleteAgent(_ address: AgentAddress, force: Bool, now: Date) async throws -> [LiveSession]

    func liveSessions() async throws -> [LiveSession]

    /// Ends every live session with `reason`. Used when a workspace is trashed with `--force`.
    func endAllSessions(reason: String, now: Date) async throws -> [LiveSession]

    /// Counts for listings.
    func countsNow() async throws -> (repos: Int, agents: Int, liveSessions: Int)
}
