import Foundation
import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore

/// Roles, grants and the audit log of a workspace (SPEC §10), for the human.
struct RoleController {
    let rbac: RBACService
    let sessions: SessionService

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/v1/workspaces/{workspace}/roles", use: self.list)
        router.post("/api/v1/workspaces/{workspace}/roles", use: self.create)
        router.get("/api/v1/workspaces/{workspace}/roles/{role}", use: self.show)
        router.delete("/api/v1/workspaces/{workspace}/roles/{role}", use: self.remove)
        router.post("/api/v1/workspaces/{workspace}/roles/{role}/grant", use: self.grant)
        router.post("/api/v1/workspaces/{workspace}/roles/{role}/revoke", use: self.revoke)
        router.get("/api/v1/workspaces/{workspace}/audit", use: self.audit)
        router.get("/api/v1/workspaces/{workspace}/audit/export", use: self.export)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> RoleList {
        RoleList(roles: try await self.rbac.roles(workspace: try AgentController.workspace(context)).map(RoleResponse.init))
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<RoleResponse> {
        let body = try await request.decode(as: CreateRoleRequest.self, context: context)
        let role = try await self.rbac.createRole(
            named: body.name,
            description: body.description ?? "",
            workspace: try AgentController.workspace(context)
        )
        return EditedResponse(status: .created, response: RoleResponse(role))
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> RoleResponse {
        RoleResponse(try await self.rbac.role(named: try Self.role(context), workspace: try AgentController.workspace(context)))
    }

    @Sendable func remove(_ request: Request, context: APIRequestContext) async throws -> RemovalResult {
        let name = try Self.role(context)
        try await self.rbac.deleteRole(named: name, workspace: try AgentController.workspace(context))
        return RemovalResult(removed: name, stoppedSessions: [])
    }

    @Sendable func grant(_ request: Request, context: APIRequestContext) async throws -> RoleResponse {
        let body = try await request.decode(as: GrantValue.self, context: context)
        let grant = try Grant.parse(kind: body.kind, value: body.value, scope: body.scope)
        let workspace = try AgentController.workspace(context)
        let role = try await self.rbac.grant(grant, to: try Self.role(context), workspace: workspace)
        try await self.sessions.toolsChanged(workspace: workspace)
        return RoleResponse(role)
    }

    @Sendable func revoke(_ request: Request, context: APIRequestContext) async throws -> RoleResponse {
        let body = try await request.decode(as: GrantValue.self, context: context)
        let grant = try Grant.parse(kind: body.kind, value: body.value, scope: body.scope)
        let workspace = try AgentController.workspace(context)
        let role = try await self.rbac.revoke(grant, from: try Self.role(context), workspace: workspace)
        try await self.sessions.toolsChanged(workspace: workspace)
        return RoleResponse(role)
    }

    @Sendable func audit(_ request: Request, context: APIRequestContext) async throws -> AuditList {
        let workspace = try AgentController.workspace(context)
        let filter = try Self.filter(request)
        return AuditList(
            entries: try await self.rbac.auditEntries(workspace: workspace, filter: filter).map(AuditEntryResponse.init),
            total: try await self.rbac.auditCount(workspace: workspace, filter: filter)
        )
    }

    /// The filtered audit log as CSV (at most 10,000 rows).
    @Sendable func export(_ request: Request, context: APIRequestContext) async throws -> Response {
        var filter = try Self.filter(request)
        filter.limit = 10_000
        let entries = try await self.rbac.auditEntries(workspace: try AgentController.workspace(context), filter: filter)
        var csv = "id,at,kind,actor,tool,expected_grant,outcome\n"
        for entry in entries {
            let fields = [
                String(entry.id), WireDate.format(entry.at), entry.kind, entry.actorAddress, entry.tool ?? "", entry.expectedGrant ?? "",
                entry.outcome,
            ]
            csv += fields.map(Self.csvField).joined(separator: ",") + "\n"
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"audit.csv\""],
            body: .init(byteBuffer: ByteBuffer(string: csv))
        )
    }

    // MARK: Helpers

    static func role(_ context: APIRequestContext) throws -> String {
        try AgentController.parameter("role", context)
    }

    static func filter(_ request: Request) throws -> AuditFilter {
        let query = request.uri.queryParameters
        var filter = AuditFilter(kind: query["kind"].map(String.init), actor: query["agent"].map(String.init))
        if let since = query["since"] {
            guard let date = WireDate.parse(String(since)) else {
                throw DomainError.invalidArgument("since must be an RFC 3339 date such as 2026-11-21T09:00:00Z (got '\(since)')")
            }
            filter.since = date
        }
        if let limit = query["limit"] {
            guard let value = Int(limit), (1...500).contains(value) else {
                throw DomainError.invalidArgument("limit must be from 1 to 500 (got '\(limit)')")
            }
            filter.limit = value
        }
        return filter
    }

    /// Quotes a CSV field when needed; a leading `=`, `+`, `-` or `@` is prefixed with `'` so spreadsheets never
    /// evaluate agent-written text as a formula.
    static func csvField(_ raw: String) -> String {
        var text = raw
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension RoleResponse: ResponseEncodable {
    init(_ role: RoleDefinition) {
        self.init(
            name: role.name,
            description: role.description,
            isBuiltin: role.isBuiltin,
            grants: role.grants.map { GrantValue(kind: $0.kind.rawValue, value: $0.value, scope: $0.scope?.rawValue) }
        )
    }
}

extension AuditEntryResponse {
    init(_ entry: AuditEntry) {
        self.init(
            id: String(entry.id),
            at: entry.at,
            kind: entry.kind,
            actor: entry.actorAddress,
            tool: entry.tool,
            expectedGrant: entry.expectedGrant,
            outcome: entry.outcome
        )
    }
}

extension RoleList: ResponseEncodable {}
extension AuditList: ResponseEncodable {}
