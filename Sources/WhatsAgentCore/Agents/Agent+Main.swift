import Foundation

extension Agent {
    /// The agent name that becomes the main agent when the workspace has none.
    package static let mainAgentName = "main"

    /// Whether this agent, inserted into a workspace whose main agent exists or not, is to be stored as the main agent:
    /// one flagged main, or one named `main` while there is none. The store decides it inside the insert's transaction.
    package func becomesMain(workspaceHasMain: Bool) -> Bool {
        self.isMain || (!workspaceHasMain && self.name.lowercased() == Self.mainAgentName)
    }
}
