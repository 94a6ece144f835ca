import WhatsAgentAPI

extension AgentSessionResponse: SchemaDocumented {
    static let schemaNotes = SchemaNotes(
        "An agent's live session, else its latest one: presence, the runner, how it ended.",
        fields: [
            "attention": "The \"waiting for approval\" phrase while the attention flag is up.",
            "childPid": "The agent process.",
            "exitTail": "The last output (≤ 256 KiB) of an ended managed session; single-agent views only.",
            "kind": .oneOf(["managed", "external"]),
            "online": "Its MCP server (or plugin/extension) holds the events stream and, when managed, its runner is alive.",
            "pendingNudge": "Mail waits for a PTY nudge that could not be typed yet (output busy or the human typing).",
            "runnerAlive": "Managed sessions only.",
            "summary": "The agent's own one-line summary of what it is working on (`set_summary`).",
        ]
    )
}

extension AgentTerminalAccess: SchemaDocumented {
    static let schemaNotes = SchemaNotes(fields: [
        "secret": "The runner's per-session secret (runner protocol `hello`)."
    ])
}
