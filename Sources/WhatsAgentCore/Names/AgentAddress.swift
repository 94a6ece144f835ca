/// The address of an agent inside a workspace: `repo:agent`.
public struct AgentAddress: Hashable, Sendable, CustomStringConvertible {
    public let repo: String
    public let agent: String

    public init(repo: String, agent: String) {
        self.repo = repo
        self.agent = agent
    }

    /// Parses and validates `repo:agent`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw DomainError(
                .invalidName,
                "'\(text)' is not an agent address; write it as repo:agent (for example api:backend)"
            )
        }
        self.repo = try Names.validateSegment(String(parts[0]), kind: "repo")
        self.agent = try Names.validateSegment(String(parts[1]), kind: "agent")
    }

    public var description: String { "\(self.repo):\(self.agent)" }
}
