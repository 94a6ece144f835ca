import Foundation
import Logging
import MCP
import WhatsAgentAPI

/// The `initialize` patches swift-sdk 0.12.1 cannot express, applied on the wire by ``SessionTransport``.
///
/// - Incoming `initialize` request: removes `params.capabilities.experimental`. The spec types it
///   `{[key]: object}` but the SDK decodes `[String: String]`, so a client sending `{"claude/channel": {}}` would
///   get an internal error and a dead session (`reference/swift-stack-findings.md` §A, gotcha 2).
/// - Outgoing `initialize` result: adds `capabilities.experimental = {"claude/channel": {}}`, which makes Claude Code
///   treat this server as a channel (`Server.Capabilities` has no `experimental` field).
struct ClaudeChannelCapability {
    /// Ids of inbound `initialize` requests whose response has not been written yet.
    private var initializeRequestIDs: Set<JSONValue> = []

    /// Whether `data` may be the answer to an `initialize` request (a cheap byte search).
    func mayAnswerInitialize(_ data: Data) -> Bool {
        !self.initializeRequestIDs.isEmpty && data.range(of: Data(#""protocolVersion""#.utf8)) != nil
    }

    /// Notes the id of an `initialize` request and strips its client `experimental` capabilities.
    mutating func sanitize(_ data: Data, logger: Logger) -> Data {
        guard data.range(of: Data(#""initialize""#.utf8)) != nil,
            case .object(var message) = try? WireJSON.decoder().decode(JSONValue.self, from: data),
            message["method"] == .string(Initialize.name)
        else { return data }
        if let id = message["id"] { self.initializeRequestIDs.insert(id) }
        guard case .object(var params) = message["params"],
            case .object(var capabilities) = params["capabilities"],
            let experimental = capabilities.removeValue(forKey: "experimental")
        else { return data }
        logger.debug("stripped the client's experimental capabilities", metadata: ["mcp.experimental": "\(experimental)"])
        params["capabilities"] = .object(capabilities)
        message["params"] = .object(params)
        return (try? WireJSON.encoder().encode(JSONValue.object(message))) ?? data
    }

    /// Adds the Claude channel to `result` when `id` is that of an `initialize` request not answered yet.
    mutating func advertise(in result: inout [String: JSONValue], answering id: JSONValue?) {
        guard let id, self.initializeRequestIDs.remove(id) != nil else { return }
        var capabilities: [String: JSONValue] = [:]
        if case .object(let existing) = result["capabilities"] { capabilities = existing }
        var experimental: [String: JSONValue] = [:]
        if case .object(let existing) = capabilities["experimental"] { experimental = existing }
        experimental["claude/channel"] = .object([:])
        capabilities["experimental"] = .object(experimental)
        result["capabilities"] = .object(capabilities)
    }
}
