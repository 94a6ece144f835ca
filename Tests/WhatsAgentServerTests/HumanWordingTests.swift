import Testing
import WhatsAgentAPI
import WhatsAgentCore

@testable import WhatsAgentServer

/// Refusals to the human name CLI commands and buttons, never MCP tools; agents keep the tool names (issue 17).
@Suite struct HumanWordingTests {
    static let toolWords = AgentTools.all.map(\.name) + ["assignedTo", "taskId", "epicId", "dependsOn"]

    static func words(_ text: String) -> Set<String> {
        Set(text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
    }

    @Test func everyToolHasAHumanEquivalent() {
        for tool in AgentTools.all.map(\.name) {
            #expect(HumanWording.insteadOf[tool] != nil, "no human wording for \(tool)")
        }
    }

    @Test("every error code: the human's message names no tool, keeps the code and the rest of the text")
    func everyCodeIsReworded() {
        let message = "refused: " + Self.toolWords.map { "use \($0) or `\($0)`" }.joined(separator: "; ") + " (WA-001, api:dev)"
        for code in DomainError.Code.allCases {
            let human = HumanWording.forHuman(DomainError(code, message))
            #expect(human.code == code)
            let leftover = Self.words(human.message).intersection(Self.toolWords)
            #expect(leftover.isEmpty, "\(code.rawValue) still names \(leftover)")
            #expect(human.message.hasPrefix("refused: use `whatsagent agent show REPO:NAME` or `whatsagent agent show REPO:NAME`;"))
            #expect(human.message.hasSuffix("(WA-001, api:dev)") && !human.message.contains("``"))
        }
    }

    @Test func realRefusalsReadAsCommands() {
        let topology = DomainError(.topologyRefused, "channel posts need the channel topology; this workspace uses star: use send_message")
        #expect(HumanWording.forHuman(topology).message.hasSuffix("use `whatsagent msg send` (Send on the Messages page)"))
        let assignee = DomainError(.invalidArgument, "assignedTo must be an agent address (repo:name)")
        #expect(HumanWording.forHuman(assignee).message == "--assignee must be an agent address (repo:name)")
        // Words that merely contain a tool name stay as they are.
        #expect(HumanWording.reword("my_send_message_v2 and send_messages") == "my_send_message_v2 and send_messages")
    }

    @Test func onlyTheAgentProtocolKeepsToolNames() {
        #expect(HumanWording.isAgentProtocol(path: "/api/v1/agent/tools/send_message"))
        #expect(HumanWording.isAgentProtocol(path: "/api/v1/agent/events"))
        #expect(!HumanWording.isAgentProtocol(path: "/api/v1/agents"))
        #expect(!HumanWording.isAgentProtocol(path: "/api/v1/workspaces/w/agents/api:dev"))
        #expect(!HumanWording.isAgentProtocol(path: "/api/v1/workspaces/w/channels/shared/messages"))
    }
}
