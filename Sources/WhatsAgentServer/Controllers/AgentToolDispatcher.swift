import Foundation
import Logging
import WhatsAgentAPI
import WhatsAgentCore

/// Decodes tool arguments, calls one service, and renders compact text plus structured content. Domain refusals
/// become `isError` results the model can read, never transport errors.
struct AgentToolDispatcher {
    let services: DaemonServices

    /// The served tools this agent may see: filtered by its grants under the workspace's mode and the ceiling.
    func catalogue(for identity: AgentIdentity) async throws -> [AgentToolDescriptor] {
        let served = AgentTools.all.filter { Self.served.contains($0.name) }
        let visible = Set(try await self.services.rbac.visibleTools(served.map(\.name), identity: identity, ceiling: self.services.rbacCeiling))
        return served.filter { visible.contains($0.name) }.map(\.descriptor)
    }

    func call(_ name: String, arguments: JSONValue, identity: AgentIdentity, logger: Logger) async -> AgentToolResult {
        guard let handler = Self.handlers[name], let definition = AgentTools.definition(named: name) else {
            return .refusal("unknown tool '\(name)'; the tools are \(Self.served.sorted().joined(separator: ", "))", code: "not_found")
        }
        do {
            let arguments = try ToolArguments(arguments, definition: definition)
            // Re-checked on every call, whatever the catalogue showed (SPEC §8, §10): the one check of this call, run
            // where the tool's handler says.
            let check = self.services.rbac.check(identity: identity, tool: name, ceiling: self.services.rbacCeiling)
            switch handler {
            case .read(let run):
                try await self.services.rbac.authorize(check)
                return try await run(self, identity, arguments)
            case .write(let run), .board(let run):
                do {
                    return try await run(self, identity, arguments, check)
                } catch {
                    // Refused before its transaction (a bad argument): a write's check runs on its own, audited, and
                    // its denial wins (a board tool's stays unaudited); rolled back: its audit row is written on its
                    // own; committed: nothing more.
                    try await check.settleAfterFailure(checkIfNotRun: handler.isWrite)
                    throw error
                }
            }
        } catch let error as DomainError {
            return .refusal(error.message, code: error.code.rawValue)
        } catch {
            logger.error("tool failed", metadata: ["tool": "\(name)", "error": "\(error)"])
            if let storage = DomainError.storageFailure(error) {
                return .refusal(storage.message, code: storage.code.rawValue)
            }
            return .refusal("\(name) failed inside the daemon: \(error)", code: "internal_error")
        }
    }

    // MARK: - Identity

    func whoami(_ identity: AgentIdentity) async throws -> AgentToolResult {
        let agents = try await self.services.agents.list(workspace: identity.workspace.id.rawValue)
        let main = agents.first(where: \.isMain)?.address.description
        let workspace = identity.workspace
        let text = """
            You are \(identity.agent.address) in workspace \(workspace.name) (\(workspace.id)).
            Roles: \(identity.agent.roles.joined(separator: ", ")). Topology: \(workspace.topology.rawValue); main agent: \(main ?? "none").
            Session: \(identity.session.id) (\(identity.session.kind.rawValue)). The human is human-web.
            """
        return .shaped(
            text,
            [
                "agent": .string(identity.agent.address.description),
                "workspace": .string(workspace.name),
                "workspaceId": .string(workspace.id.rawValue),
                "roles": .array(identity.agent.roles.map(JSONValue.string)),
                "topology": .string(workspace.topology.rawValue),
                "mainAgent": main.map(JSONValue.string) ?? .null,
                "isMain": .bool(identity.agent.isMain),
                "sessionId": .string(identity.session.id.rawValue),
                "runtime": .string(identity.agent.runtime.rawValue),
            ]
        )
    }

    /// Summaries are written by the agents themselves: fenced, in the text and in the structure.
    func listPeers(_ identity: AgentIdentity) async throws -> AgentToolResult {
        let peers = try await self.services.sessions.peers(of: identity)
        let pushes = try await self.peerPushes(identity, peers)
        let fence = UntrustedFence(covering: peers.compactMap { $0.session?.summary })
        let lines = peers.map { peer in
            "\(peer.agent.address)\(peer.agent.isMain ? " (main)" : ""): \(peer.online ? "online" : "offline"), "
                + "\(peer.agent.runtime.rawValue), roles \(peer.agent.roles.joined(separator: ","))"
                + Self.describePush(pushes[peer.agent.id])
                + (peer.session?.summary.map { ", summary:\n\(fence.wrap($0))" } ?? "")
        }
        let structured: [JSONValue] = peers.map { peer in
            [
                "agent": .string(peer.agent.address.description),
                "online": .bool(peer.online),
                "runtime": .string(peer.agent.runtime.rawValue),
                "roles": .array(peer.agent.roles.map(JSONValue.string)),
                "isMain": .bool(peer.agent.isMain),
                "summary": peer.session?.summary.map { .string(fence.wrap($0)) } ?? .null,
                "canReceivePush": .bool(peer.canReceivePush),
                "pushPath": .string((pushes[peer.agent.id]?.path ?? .none).rawValue),
                "pushWarning": pushes[peer.agent.id]?.warning.map(JSONValue.string) ?? .null,
            ]
        }
        let text =
            lines.isEmpty
            ? "You are the only agent in this workspace."
            : (["Agents of your workspace [nonce \(fence.nonce)]"] + fence.legend + [""] + lines).joined(separator: "\n")
        return .shaped(text, ["peers": .array(structured), "nonce": .string(fence.nonce)])
    }

    func setSummary(_ identity: AgentIdentity, _ arguments: ToolArguments, _ check: ToolCheck) async throws -> AgentToolResult {
        let summary = try await self.services.sessions.setSummary(identity, try arguments.requiredString("summary"), check: check)
        let fence = UntrustedFence(covering: [summary])
        let fenced = fence.wrap(summary)
        return .shaped("Summary set [nonce \(fence.nonce)]; your peers see:\n\(fenced)", ["summary": .string(fenced), "nonce": .string(fence.nonce)])
    }

    // MARK: - Messages

    /// A message held by the loop guard is a success result (not `isError`) with `state: "held"`, `held: true` and a
    /// text that tells the agent to stop: the message *was* stored durably and will be delivered if the human
    /// releases the pair, so an error — which reads as "your message failed" — would invite the model to resend or
    /// rephrase it, piling more into the hold. The text says plainly that nothing was delivered, not to resend, to stop
    /// messaging that peer and to wait for the human.
    func sendMessage(_ identity: AgentIdentity, _ arguments: ToolArguments, _ check: ToolCheck) async throws -> AgentToolResult {
        let outcome = try await self.services.messages.send(
            workspace: nil,
            from: .agent(identity),
            to: try arguments.requiredString("to"),
            body: try arguments.requiredString("body"),
            clientMessageID: try arguments.optionalString("clientMessageId"),
            check: check
        )
        let message = outcome.message
        let status = outcome.recipientOnline ? "online: pushed now" : "not connected: it waits in their mailbox"
        let text =
            message.state == .held
            ? LoopGuard.heldNotice(to: message.toAddress, messageID: message.wireID)
            : outcome.duplicate
                ? "Already sent as message \(message.wireID) (same clientMessageId); nothing new was sent."
                : "Sent message \(message.wireID) to \(message.toAddress) (\(status))."
        return .shaped(
            text,
            [
                "messageId": .string(message.wireID),
                "to": .string(message.toAddress),
                "threadId": .string(message.threadID),
                "state": .string(message.state.rawValue),
                "recipientOnline": .bool(outcome.recipientOnline),
                "duplicate": .bool(outcome.duplicate),
                "held": .bool(message.state == .held),
            ]
        )
    }

    func broadcast(_ identity: AgentIdentity, _ arguments: ToolArguments, _ check: ToolCheck) async throws -> AgentToolResult {
        let outcomes = try await self.services.messages.broadcast(from: identity, body: try arguments.requiredString("body"), check: check)
        let online = outcomes.filter(\.recipientOnline).count
        return .shaped(
            "Broadcast to \(outcomes.count) agent\(outcomes.count == 1 ? "" : "s") (\(online) online now; the others get it when they connect).",
            [
                "recipients": .array(outcomes.map { .string($0.message.toAddress) }),
                "messageIds": .array(outcomes.map { .string($0.message.wireID) }),
                "online": .number(Double(online)),
            ]
        )
    }

    func checkMessages(_ identity: AgentIdentity, _ arguments: ToolArguments) async throws -> AgentToolResult {
        let batch = try await self.services.messages.checkMessages(identity, limit: try arguments.optionalInt("limit") ?? 50)
        return .shaped(batch.envelope.text, Self.structured(batch.envelope), leaseId: batch.leaseID)
    }

    /// The structured twin of an inbox envelope: the same messages in the same order, each body in the same fence.
    static func structured(_ envelope: InboxEnvelope, rootIDs: [String?]? = nil) -> [String: JSONValue] {
        let messages: [JSONValue] = envelope.messages.enumerated().map { index, message in
            var fields: [String: JSONValue] = [
                "id": .string(message.id),
                "from": .string(message.from),
                "to": .string(message.to),
                "kind": .string(message.kind),
                "threadId": .string(message.threadID),
                "sentAt": .string(message.sentAt),
                "redelivered": .bool(message.redelivered),
                "body": .string(envelope.fence.wrap(message.body)),
            ]
            if let rootIDs { fields["rootId"] = rootIDs[index].map(JSONValue.string) ?? .null }
            return .object(fields)
        }
        return ["count": .number(Double(messages.count)), "messages": .array(messages), "nonce": .string(envelope.nonce)]
    }
}

/// Tool arguments checked against the tool's declared properties: unknown names, wrong types and missing required
/// values are refused with a message naming the argument.
struct ToolArguments {
    let values: [String: JSONValue]
    let tool: String

    init(_ value: JSONValue, definition: AgentToolDefinition) throws {
        guard case .object(let values) = value else {
            throw DomainError.invalidArgument("\(definition.name) takes a JSON object of arguments")
        }
        let declared =
            definition.descriptor.inputSchema["properties"].flatMap { property -> [String]? in
                if case .object(let object) = property { return Array(object.keys) }
                return nil
            } ?? []
        if let unknown = values.keys.sorted().first(where: { !declared.contains($0) }) {
            throw DomainError.invalidArgument(
                "\(definition.name) has no argument '\(unknown)'; its arguments are \(declared.sorted().joined(separator: ", "))"
            )
        }
        self.values = values
        self.tool = definition.name
    }

    func requiredString(_ name: String) throws -> String {
        guard let value = try self.optionalString(name) else {
            throw DomainError.invalidArgument("\(self.tool) needs the argument '\(name)' (a string)")
        }
        return value
    }

    func optionalString(_ name: String) throws -> String? {
        switch self.values[name] {
        case nil, .null: return nil
        case .string(let value): return value
        default: throw DomainError.invalidArgument("argument '\(name)' of \(self.tool) must be a string")
        }
    }

    func optionalInt(_ name: String) throws -> Int? {
        switch self.values[name] {
        case nil, .null: return nil
        case .some(let value):
            guard let number = value.intValue else {
                throw DomainError.invalidArgument("argument '\(name)' of \(self.tool) must be a whole number")
            }
            return number
        }
    }
}
