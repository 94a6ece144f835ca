import Foundation

/// Peer rules of the p2p topology (SPEC §7.1).
/// One of the store protocols cut by concern (issue 19, docs/store.md); ``WorkspaceStore`` composes them.
package protocol PeerRuleStore: Sendable {
    func setPeerRuleMode(_ mode: PeerRuleMode, now: Date) async throws

    /// The mode and every rule, sorted by the agents' addresses.
    func peerRules() async throws -> PeerRuleSet

    /// Adds the rule for a pair. - Throws: `invalid_state` when it exists.
    func addPeerRule(_ first: Agent, _ second: Agent, now: Date) async throws -> PeerRule

    /// Removes the rule for a pair. - Throws: `not_found` when there is none.
    func removePeerRule(_ first: Agent, _ second: Agent) async throws -> PeerRule
}
