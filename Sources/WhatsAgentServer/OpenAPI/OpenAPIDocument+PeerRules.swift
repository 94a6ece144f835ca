import Foundation
import WhatsAgentAPI

/// Peer rules (p2p topology) and the loop guard's holds.
extension OpenAPIDocument {
    func peerRulePaths() -> [String: Any] {
        [
            "/api/v1/workspaces/{workspace}/peer-rules": [
                "get": self.operation(
                    "listPeerRules",
                    tag: "Peer rules",
                    summary: "The peer-rule mode and every rule",
                    description: "Rules are stored in any topology and apply only in p2p (`active`).",
                    parameters: [self.workspaceParameter],
                    response: self.schema(PeerRuleList.self),
                    responseDescription: "The mode and the rules."
                ),
                "post": self.operation(
                    "addPeerRule",
                    tag: "Peer rules",
                    summary: "Add the rule for a pair of agents",
                    description: "Refused with 409 `invalid_state` when the pair already has a rule.",
                    parameters: [self.workspaceParameter],
                    body: AgentPairRequest.self,
                    status: 201,
                    response: self.schema(PeerRuleResponse.self),
                    responseDescription: "The new rule."
                ),
            ],
            "/api/v1/workspaces/{workspace}/peer-rules/mode": [
                "put": self.operation(
                    "setPeerRuleMode",
                    tag: "Peer rules",
                    summary: "Choose deny-list (a rule forbids its pair) or allow-list (only pairs with a rule may talk)",
                    parameters: [self.workspaceParameter],
                    body: PeerRuleModeRequest.self,
                    response: self.schema(PeerRuleList.self),
                    responseDescription: "The mode and the rules."
                )
            ],
            "/api/v1/workspaces/{workspace}/peer-rules/{first}/{second}": [
                "delete": self.operation(
                    "removePeerRule",
                    tag: "Peer rules",
                    summary: "Remove the rule for a pair of agents (in either order)",
                    parameters: [
                        self.workspaceParameter,
                        self.pathParameter("first", "One agent, `repo:agent`."),
                        self.pathParameter("second", "The other agent, `repo:agent`."),
                    ],
                    response: self.schema(PeerRuleResponse.self),
                    responseDescription: "The removed rule."
                )
            ],
            "/api/v1/workspaces/{workspace}/message-holds": [
                "get": self.operation(
                    "listMessageHolds",
                    tag: "Messages",
                    summary: "Pairs of agents held by the loop guard, with their held messages",
                    parameters: [self.workspaceParameter],
                    response: self.schema(MessageHoldList.self),
                    responseDescription: "The active holds, oldest first."
                )
            ],
            "/api/v1/workspaces/{workspace}/message-holds/release": [
                "post": self.operation(
                    "releaseMessageHold",
                    tag: "Messages",
                    summary: "Release a held pair: its held messages are queued in order and pushed",
                    description: "Also restarts the pair's loop-guard window. 404 `not_found` when the pair is not held.",
                    parameters: [self.workspaceParameter],
                    body: AgentPairRequest.self,
                    response: self.schema(ReleaseHoldResult.self),
                    responseDescription: "The released hold and how many messages it released."
                )
            ],
        ]
    }

}
