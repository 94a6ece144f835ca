import MCP
import WhatsAgentAPI

/// The agent's visible tools as last fetched from the daemon; `tools/list` answers from here.
actor ToolCatalogueStore {
    private(set) var catalogue: AgentToolCatalogue

    init(_ catalogue: AgentToolCatalogue) {
        self.catalogue = catalogue
    }

    /// The catalogue as MCP tools, in the daemon's order.
    var tools: [Tool] {
        self.catalogue.tools.map { descriptor in
            Tool(
                name: descriptor.name,
                description: descriptor.description,
                inputSchema: Value(descriptor.inputSchema),
                outputSchema: descriptor.outputSchema.map { Value($0) }
            )
        }
    }

    /// Replaces the catalogue; true when the visible tools changed.
    func replace(with catalogue: AgentToolCatalogue) -> Bool {
        defer { self.catalogue = catalogue }
        return catalogue.tools != self.catalogue.tools
    }
}
