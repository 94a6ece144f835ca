import Foundation
import WhatsAgentAPI

/// Roles, grants and the audit log.
extension OpenAPIDocument {
    func rbacPaths() -> [String: Any] {
        let role = self.pathParameter("role", "Role name.")
        func query(_ name: String, _ description: String, _ schema: [String: Any]? = nil) -> [String: Any] {
            ["name": name, "in": "query", "required": false, "description": description, "schema": schema ?? self.string]
        }
        let filters = [
            query("kind", "Only entries of this kind (grant_check_pass, grant_miss_soft, grant_miss_hard, …)."),
            query("agent", "Only entries of this agent (repo:agent)."),
            query("since", "Only entries at or after this RFC 3339 time."),
            query("limit", "Most entries (1–500, default 50).", ["type": "integer", "minimum": 1, "maximum": 500]),
        ]
        return [
            "/api/v1/workspaces/{workspace}/roles": [
                "get": self.operation(
                    "listRoles",
                    tag: "RBAC",
                    summary: "List roles with their grants",
                    parameters: [self.workspaceParameter],
                    response: self.schema(RoleList.self),
                    responseDescription: "The roles."
                ),
                "post": self.operation(
                    "createRole",
                    tag: "RBAC",
                    summary: "Create a custom role (no grants yet)",
                    parameters: [self.workspaceParameter],
                    body: CreateRoleRequest.self,
                    status: 201,
                    response: self.schema(RoleResponse.self),
                    responseDescription: "The new role."
                ),
            ],
            "/api/v1/workspaces/{workspace}/roles/{role}": [
                "get": self.operation(
                    "showRole",
                    tag: "RBAC",
                    summary: "One role with its grants",
                    parameters: [self.workspaceParameter, role],
                    response: self.schema(RoleResponse.self),
                    responseDescription: "The role."
                ),
                "delete": self.operation(
                    "deleteRole",
                    tag: "RBAC",
                    summary: "Delete a custom role no agent holds (built-in roles stay)",
                    parameters: [self.workspaceParameter, role],
                    response: self.schema(RemovalResult.self),
                    responseDescription: "The deleted role's name."
                ),
            ],
            "/api/v1/workspaces/{workspace}/roles/{role}/grant": [
                "post": self.operation(
                    "grantToRole",
                    tag: "RBAC",
                    summary: "Add a grant to a role (idempotent)",
                    parameters: [self.workspaceParameter, role],
                    body: GrantValue.self,
                    response: self.schema(RoleResponse.self),
                    responseDescription: "The role with its grants."
                )
            ],
            "/api/v1/workspaces/{workspace}/roles/{role}/revoke": [
                "post": self.operation(
                    "revokeFromRole",
                    tag: "RBAC",
                    summary: "Remove a grant from a role",
                    parameters: [self.workspaceParameter, role],
                    body: GrantValue.self,
                    response: self.schema(RoleResponse.self),
                    responseDescription: "The role with its grants."
                )
            ],
            "/api/v1/workspaces/{workspace}/audit": [
                "get": self.operation(
                    "listAudit",
                    tag: "RBAC",
                    summary: "The audit log of RBAC decisions, newest first",
                    parameters: [self.workspaceParameter] + filters,
                    response: self.schema(AuditList.self),
                    responseDescription: "Matching entries."
                )
            ],
            "/api/v1/workspaces/{workspace}/audit/export": [
                "get": [
                    "operationId": "exportAudit",
                    "tags": ["RBAC"],
                    "summary": "The filtered audit log as CSV (at most 10,000 rows)",
                    "parameters": [self.workspaceParameter] + filters.dropLast(),
                    "responses": [
                        "200": ["description": "CSV with a header row.", "content": ["text/csv": ["schema": self.string]]],
                        "400": self.errorResponse("The request is invalid."),
                        "404": self.errorResponse("No such workspace."),
                        "409": self.errorResponse("No current workspace."),
                        "503": self.errorResponse("Storage is unavailable."),
                    ],
                ]
            ],
        ]
    }

}
