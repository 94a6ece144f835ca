import Foundation
import Logging

/// The workspace's colleague protocol (SPEC §6.4, Settings → colleague protocol).
extension WorkspaceService {
    /// Stores a workspace's own colleague protocol, or with nil goes back to the built-in text. The next launches
    /// of its agents use it; running agents keep the prompt they were started with.
    /// - Throws: `invalid_argument` for an empty text, one longer than ``Workspace/maxColleagueProtocolChars`` or
    ///   one with a NUL character; `workspace_not_found` for an unknown or trashed workspace.
    public func setColleagueProtocol(_ reference: String?, text: String?) async throws -> Workspace {
        try await self.gate.run {
            var workspace = try await self.resolve(reference)
            workspace.colleagueProtocol = try text.map(Self.validatedColleagueProtocol)
            workspace.updatedAt = self.now()
            try await self.registry.update(workspace)
            self.logger.info(
                "colleague protocol \(text == nil ? "reset to the built-in text" : "changed")",
                metadata: ["workspace.id": "\(workspace.id)"]
            )
            self.events.publish(.workspacesChanged, workspace: workspace.id)
            return workspace
        }
    }

    static func validatedColleagueProtocol(_ text: String) throws -> String {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DomainError.invalidArgument(
                "the colleague protocol is empty; write the text, or reset it to the built-in one (Settings → Colleague protocol → Reset to default, or `whatsagent workspace set W --colleague-protocol default`)"
            )
        }
        guard FreeText.length(text) <= Workspace.maxColleagueProtocolChars else {
            throw DomainError.invalidArgument(
                "the colleague protocol may have at most \(Workspace.maxColleagueProtocolChars) characters (got \(FreeText.length(text))); shorten it"
            )
        }
        guard !text.unicodeScalars.contains("\0") else {
            throw DomainError.invalidArgument("the colleague protocol contains a NUL character; remove it (a launch cannot pass it)")
        }
        return text
    }
}
