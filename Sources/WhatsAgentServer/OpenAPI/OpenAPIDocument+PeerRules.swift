import Foundation

/// Peer rules (p2p topology) and the loop guard's holds.
extension OpenAPIDocument {
    static func peerRulePaths() -> [String: Any] {
        [
            "/api/v1/workspaces/{workspace}/peer-rules": [
                "get": self.operation(
                    "listPeerRules",
                    tag: "Peer rules",
                    summary: "The peer-rule mode and every rule",
                    description: "Rules are stored in any topology and apply only in p2p (`active`).",
                    parameters: [self.workspaceParameter],
                    response: self.ref("PeerRuleList"),
                    responseDescription: "The mode and the rules."
                ),
                "post": self.operation(
                    "addPeerRule",
                    tag: "Peer rules",
                    summary: "Add the rule for a pair of agents",
                    description: "Refused with 409 `invalid_state` when the pair already has a rule.",
                    parameters: [self.workspaceParameter],
                    body: "AgentPairRequest",
                    status: 201,
                    response: self.ref("PeerRuleResponse"),
                    responseDescription: "The new rule."
                ),
            ],
            "/api/v1/workspaces/{workspace}/peer-rules/mode": [
                "put": self.operation(
                    "setPeerRuleMode",
                    tag: "Peer rules",
                    summary: "Choose deny-list (a rule forbids its pair) or allow-list (only pairs with a rule may talk)",
                    parameters: [self.workspaceParameter],
                    body: "PeerRuleModeRequest",
                    response: self.ref("PeerRuleList"),
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
                    response: self.ref("PeerRuleResponse"),
                    responseDescription: "The removed rule."
                )
            ],
            "/api/v1/workspaces/{workspace}/message-holds": [
                "get": self.operation(
                    "listMessageHolds",
                    tag: "Messages",
                    summary: "Pairs of agents held by the loop guard, with their held messages",
                    parameters: [self.workspaceParameter],
                    response: self.ref("MessageHoldList"),
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
                    body: "AgentPairRequest",
                    response: self.ref("ReleaseHoldResult"),
                    responseDescription: "The released hold and how many messages it released."
                )
            ],
        ]
    }

    static func peerRuleSchemas() -> [String: Any] {
        let pair = self.described(
            ["type": "array", "items": self.string, "minItems": 2, "maxItems": 2],
            "The two agents (`repo:agent`), sorted."
        )
        return [
            "PeerRuleModeValue": self.enumeration(["deny-list", "allow-list"], "How peer rules read in the p2p topology."),
            "PeerRuleResponse": self.object(required: ["agents": pair, "createdAt": self.dateTime]),
            "PeerRuleList": self.object(
                required: [
                    "mode": self.ref("PeerRuleModeValue"),
                    "active": self.described(self.boolean, "Whether the rules apply now (only in the p2p topology)."),
                    "rules": self.array(self.ref("PeerRuleResponse")),
                ]
            ),
            "PeerRuleModeRequest": self.object(required: ["mode": self.ref("PeerRuleModeValue")]),
            "AgentPairRequest": self.object(
                required: [
                    "agents": self.described(
                        ["type": "array", "items": self.string, "minItems": 2, "maxItems": 2],
                        "Two `repo:agent` addresses, in any order."
                    )
                ]
            ),
            "MessageHoldResponse": self.object(
                required: [
                    "id": self.string, "agents": pair, "heldAt": self.dateTime,
                    "messages": self.described(self.array(self.ref("MessageResponse")), "The messages still held, oldest first."),
                ],
                optional: ["releasedAt": self.dateTime]
            ),
            "MessageHoldList": self.object(required: ["holds": self.array(self.ref("MessageHoldResponse"))]),
            "ReleaseHoldResult": self.object(
                required: [
                    "hold": self.ref("MessageHoldResponse"),
                    "released": self.described(self.count, "How many held messages became queued."),
                ]
            ),
        ]
    }
}
