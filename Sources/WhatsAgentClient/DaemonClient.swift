import Foundation
import WhatsAgentAPI

/// The typed client of the daemon's `/api/v1` API over its Unix socket (used by the CLI).
public struct DaemonClient: Sendable {
    let http: UnixSocketHTTPClient

    public init(socketPath: String) {
        self.http = UnixSocketHTTPClient(socketPath: socketPath)
    }

    // MARK: - Daemon

    public func health() async throws -> Health { try await self.request("GET", "/health") }
    public func status() async throws -> DaemonStatus { try await self.request("GET", "/api/v1/status") }

    public func stop(stopRunners: Bool) async throws -> DaemonInfo {
        try await self.request("POST", "/api/v1/daemon/stop", body: StopDaemonRequest(stopRunners: stopRunners))
    }

    public func backup(to path: String) async throws -> BackupResult {
        try await self.request("POST", "/api/v1/backup", body: BackupRequest(path: path))
    }

    /// `whatsagent auth reset-password`: forgets the web password and returns a fresh setup link.
    public func resetWebPassword() async throws -> PasswordResetResult {
        try await self.request("POST", "/api/v1/auth/reset-password")
    }

    // MARK: - Workspaces

    public func workspaces() async throws -> WorkspaceList { try await self.request("GET", "/api/v1/workspaces") }

    public func createWorkspace(_ body: CreateWorkspaceRequest) async throws -> WorkspaceResponse {
        try await self.request("POST", "/api/v1/workspaces", body: body)
    }

    public func workspace(_ reference: String?) async throws -> WorkspaceResponse {
        try await self.request("GET", Self.workspacePath(reference))
    }

    public func updateWorkspace(_ reference: String?, _ body: UpdateWorkspaceRequest) async throws -> WorkspaceResponse {
        try await self.request("PATCH", Self.workspacePath(reference), body: body)
    }

    public func useWorkspace(_ reference: String) async throws -> WorkspaceResponse {
        try await self.request("PUT", "/api/v1/current-workspace", body: SelectWorkspaceRequest(workspace: reference))
    }

    public func trashWorkspace(_ reference: String?, force: Bool) async throws -> WorkspaceResponse {
        try await self.request("POST", Self.workspacePath(reference) + "/trash", body: RemovalRequest(force: force))
    }

    public func restoreWorkspace(_ id: String) async throws -> WorkspaceResponse {
        try await self.request("POST", Self.workspacePath(id) + "/restore")
    }

    public func purgeWorkspace(_ id: String) async throws -> WorkspaceResponse {
        try await self.request("POST", Self.workspacePath(id) + "/purge")
    }

    // MARK: - Repos

    public func repos(workspace: String?) async throws -> RepoList {
        try await self.request("GET", Self.workspacePath(workspace) + "/repos")
    }

    public func addRepo(workspace: String?, _ body: CreateRepoRequest) async throws -> RepoResponse {
        try await self.request("POST", Self.workspacePath(workspace) + "/repos", body: body)
    }

    public func removeRepo(workspace: String?, name: String, force: Bool) async throws -> RemovalResult {
        try await self.request("DELETE", Self.workspacePath(workspace) + "/repos/\(Self.segment(name))?force=\(force)")
    }

    // MARK: - Agents

    public func agents(workspace: String?) async throws -> AgentList {
        try await self.request("GET", Self.workspacePath(workspace) + "/agents")
    }

    public func addAgent(workspace: String?, _ body: CreateAgentRequest) async throws -> AgentResponse {
        try await self.request("POST", Self.workspacePath(workspace) + "/agents", body: body)
    }

    public func agent(workspace: String?, _ address: String) async throws -> AgentResponse {
        try await self.request("GET", Self.workspacePath(workspace) + "/agents/\(Self.segment(address))")
    }

    public func updateAgent(workspace: String?, _ address: String, _ body: UpdateAgentRequest) async throws -> AgentResponse {
        try await self.request("PATCH", Self.workspacePath(workspace) + "/agents/\(Self.segment(address))", body: body)
    }

    public func removeAgent(workspace: String?, _ address: String, force: Bool) async throws -> RemovalResult {
        try await self.request("DELETE", Self.workspacePath(workspace) + "/agents/\(Self.segment(address))?force=\(force)")
    }

    public func setMain(workspace: String?, _ address: String) async throws -> AgentResponse {
        try await self.request("PUT", Self.workspacePath(workspace) + "/main-agent", body: SetMainAgentRequest(agent: address))
    }

    public func unsetMain(workspace: String?) async throws -> MainAgentResult {
        try await self.request("DELETE", Self.workspacePath(workspace) + "/main-agent")
    }

    // MARK: - Sessions and messages

    public func connect(workspace: String?, _ address: String, replace: Bool) async throws -> AgentConnection {
        try await self.request(
            "POST",
            Self.workspacePath(workspace) + "/agents/\(Self.segment(address))/connect",
            body: ConnectAgentRequest(replace: replace)
        )
    }

    public func disconnect(workspace: String?, _ address: String) async throws -> LiveSessionResponse {
        try await self.request("POST", Self.workspacePath(workspace) + "/agents/\(Self.segment(address))/disconnect")
    }

    /// Starts the agent in a managed session (or returns its live one).
    public func launch(workspace: String?, _ address: String) async throws -> AgentLaunchResult {
        try await self.request("POST", Self.workspacePath(workspace) + "/agents/\(Self.segment(address))/launch")
    }

    /// Stops the agent's managed session (SIGTERM to its process group, SIGKILL after 5 s).
    public func stopAgent(workspace: String?, _ address: String) async throws -> AgentStopResult {
        try await self.request("POST", Self.workspacePath(workspace) + "/agents/\(Self.segment(address))/stop")
    }

    /// The runner socket and secret of the agent's managed session, for `agent attach` (owner only).
    public func terminalAccess(workspace: String?, _ address: String) async throws -> AgentTerminalAccess {
        try await self.request("POST", Self.workspacePath(workspace) + "/agents/\(Self.segment(address))/terminal")
    }

    public func sendMessage(workspace: String?, _ body: SendMessageRequest) async throws -> SendMessageResult {
        try await self.request("POST", Self.workspacePath(workspace) + "/messages", body: body)
    }

    public func humanMessages(workspace: String?, peer: String?, limit: Int, broadcasts: Bool = false) async throws -> MessageList {
        var path = Self.workspacePath(workspace) + "/messages?limit=\(limit)"
        if let peer { path += "&peer=\(Self.segment(peer))" }
        if broadcasts { path += "&broadcasts=true" }
        return try await self.request("GET", path)
    }

    // MARK: - Channels

    public func channels(workspace: String?) async throws -> ChannelList {
        try await self.request("GET", Self.workspacePath(workspace) + "/channels")
    }

    public func createChannel(workspace: String?, name: String) async throws -> ChannelResponse {
        try await self.request("POST", Self.workspacePath(workspace) + "/channels", body: CreateChannelRequest(name: name))
    }

    public func post(workspace: String?, channel: String, _ body: ChannelPostRequest) async throws -> ChannelPostResponse {
        try await self.request("POST", Self.workspacePath(workspace) + "/channels/\(Self.segment(channel))/posts", body: body)
    }

    public func readChannel(workspace: String?, channel: String, sinceID: String?, limit: Int) async throws -> ChannelPostList {
        var path = Self.workspacePath(workspace) + "/channels/\(Self.segment(channel))/posts?limit=\(limit)"
        if let sinceID { path += "&sinceId=\(Self.segment(sinceID))" }
        return try await self.request("GET", path)
    }

    // MARK: - Search, broadcast, members, metrics

    /// Full-text search in the workspace's direct and broadcast messages (`limit` 1–100; nil: 20).
    public func searchMessages(workspace: String?, query: String, sender: String?, limit: Int?) async throws -> MessageSearchResults {
        var path = Self.workspacePath(workspace) + "/messages/search?q=\(Self.queryValue(query))"
        if let sender { path += "&sender=\(Self.queryValue(sender))" }
        if let limit { path += "&limit=\(limit)" }
        return try await self.request("GET", path)
    }

    /// Full-text search in the posts of every channel, or of `channel`.
    public func searchChannels(
        workspace: String?,
        query: String,
        channel: String?,
        sender: String?,
        limit: Int?
    ) async throws -> ChannelSearchResults {
        var path = Self.workspacePath(workspace) + "/channels/search?q=\(Self.queryValue(query))"
        if let channel { path += "&channel=\(Self.queryValue(channel))" }
        if let sender { path += "&sender=\(Self.queryValue(sender))" }
        if let limit { path += "&limit=\(limit)" }
        return try await self.request("GET", path)
    }

    /// One message from human-web to every agent.
    public func broadcast(workspace: String?, _ body: BroadcastRequest) async throws -> BroadcastResult {
        try await self.request("POST", Self.workspacePath(workspace) + "/broadcasts", body: body)
    }

    public func channelMembers(workspace: String?, channel: String) async throws -> ChannelMemberList {
        try await self.request("GET", Self.workspacePath(workspace) + "/channels/\(Self.segment(channel))/members")
    }

    /// The Prometheus text of `GET /metrics`.
    public func metrics() async throws -> String {
        String(decoding: try await self.raw("/metrics"), as: UTF8.self)
    }

    // MARK: - Peer rules and loop-guard holds

    public func peerRules(workspace: String?) async throws -> PeerRuleList {
        try await self.request("GET", Self.workspacePath(workspace) + "/peer-rules")
    }

    public func setPeerRuleMode(workspace: String?, _ mode: PeerRuleModeValue) async throws -> PeerRuleList {
        try await self.request("PUT", Self.workspacePath(workspace) + "/peer-rules/mode", body: PeerRuleModeRequest(mode: mode))
    }

    public func addPeerRule(workspace: String?, _ first: String, _ second: String) async throws -> PeerRuleResponse {
        try await self.request("POST", Self.workspacePath(workspace) + "/peer-rules", body: AgentPairRequest(agents: [first, second]))
    }

    public func removePeerRule(workspace: String?, _ first: String, _ second: String) async throws -> PeerRuleResponse {
        try await self.request("DELETE", Self.workspacePath(workspace) + "/peer-rules/\(Self.segment(first))/\(Self.segment(second))")
    }

    public func messageHolds(workspace: String?) async throws -> MessageHoldList {
        try await self.request("GET", Self.workspacePath(workspace) + "/message-holds")
    }

    public func releaseHold(workspace: String?, _ first: String, _ second: String) async throws -> ReleaseHoldResult {
        try await self.request(
            "POST",
            Self.workspacePath(workspace) + "/message-holds/release",
            body: AgentPairRequest(agents: [first, second])
        )
    }

    // MARK: - RBAC

    public func roles(workspace: String?) async throws -> RoleList {
        try await self.request("GET", Self.workspacePath(workspace) + "/roles")
    }

    public func role(workspace: String?, _ name: String) async throws -> RoleResponse {
        try await self.request("GET", Self.workspacePath(workspace) + "/roles/\(Self.segment(name))")
    }

    public func createRole(workspace: String?, _ body: CreateRoleRequest) async throws -> RoleResponse {
        try await self.request("POST", Self.workspacePath(workspace) + "/roles", body: body)
    }

    public func deleteRole(workspace: String?, _ name: String) async throws -> RemovalResult {
        try await self.request("DELETE", Self.workspacePath(workspace) + "/roles/\(Self.segment(name))")
    }

    public func grant(workspace: String?, role: String, _ grant: GrantValue) async throws -> RoleResponse {
        try await self.request("POST", Self.workspacePath(workspace) + "/roles/\(Self.segment(role))/grant", body: grant)
    }

    public func revoke(workspace: String?, role: String, _ grant: GrantValue) async throws -> RoleResponse {
        try await self.request("POST", Self.workspacePath(workspace) + "/roles/\(Self.segment(role))/revoke", body: grant)
    }

    /// `query` is the URL query (already encoded), e.g. `kind=grant_miss_hard&limit=20`.
    public func audit(workspace: String?, query: String) async throws -> AuditList {
        try await self.request("GET", Self.workspacePath(workspace) + "/audit" + (query.isEmpty ? "" : "?" + query))
    }

    public func auditCSV(workspace: String?, query: String) async throws -> Data {
        try await self.raw(Self.workspacePath(workspace) + "/audit/export" + (query.isEmpty ? "" : "?" + query))
    }

    // MARK: - Runtimes

    public func runtimes() async throws -> RuntimeSettingList { try await self.request("GET", "/api/v1/runtimes") }

    public func setRuntime(_ runtime: String, _ body: SetRuntimeRequest) async throws -> RuntimeSettingResponse {
        try await self.request("PUT", "/api/v1/runtimes/\(Self.segment(runtime))", body: body)
    }

    public func detectRuntimes() async throws -> RuntimeDetectionList { try await self.request("POST", "/api/v1/runtimes/detect") }

    // MARK: - Transport

    /// Sends a request and decodes the response, turning error bodies into ``ClientError/api(status:code:message:)``.
    public func request<Response: Decodable>(_ method: String, _ path: String) async throws -> Response {
        try await self.decode(try await self.http.send(method: method, path: path))
    }

    public func request<Body: Encodable, Response: Decodable>(_ method: String, _ path: String, body: Body) async throws -> Response {
        let data = try WireJSON.encoder().encode(body)
        return try await self.decode(try await self.http.send(method: method, path: path, body: data))
    }

    /// The raw body of a GET (for documents such as the OpenAPI description).
    public func raw(_ path: String) async throws -> Data {
        let reply = try await self.http.send(method: "GET", path: path)
        try Self.check(reply)
        return reply.body
    }

    private func decode<Response: Decodable>(_ reply: UnixSocketHTTPClient.Reply) throws -> Response {
        try Self.check(reply)
        do {
            return try WireJSON.decoder().decode(Response.self, from: reply.body)
        } catch {
            throw ClientError.invalidResponse("cannot decode \(Response.self): \(error)")
        }
    }

    private static func check(_ reply: UnixSocketHTTPClient.Reply) throws {
        guard (200..<300).contains(reply.status) else {
            if let body = try? WireJSON.decoder().decode(APIErrorBody.self, from: reply.body) {
                throw ClientError.api(status: reply.status, code: body.error.code, message: body.error.message)
            }
            throw ClientError.invalidResponse("HTTP \(reply.status)")
        }
    }

    static func workspacePath(_ reference: String?) -> String {
        "/api/v1/workspaces/\(self.segment(reference ?? "current"))"
    }

    /// Percent-encodes one query value: everything but ASCII letters, digits and `-._~` (so `&`, `+`, `#`, quotes and
    /// non-ASCII text arrive intact).
    static func queryValue(_ value: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// Percent-encodes one path segment (`:` is kept: agent addresses read naturally in logs).
    static func segment(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
