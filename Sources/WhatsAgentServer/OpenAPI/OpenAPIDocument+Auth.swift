import Foundation
import WhatsAgentAPI

/// The web login (served on TCP only, except `reset-password`, which is served on the owner socket only).
extension OpenAPIDocument {
    func authPaths() -> [String: Any] {
        let login = self.schema(AuthLoginResult.self)
        let returnParameter: [String: Any] = [
            "name": "return", "in": "query", "required": false, "schema": self.string,
            "description": "Where to go after logging in; only a same-origin path starting with a single `/` is kept, else `/`.",
        ]
        return [
            "/api/v1/auth/session": [
                "get": self.authOperation(
                    "getAuthSession",
                    summary: "Whether this browser is logged in (with its CSRF token) or first-run setup is pending",
                    response: (200, self.schema(AuthState.self), "The login state."),
                    public: true
                )
            ],
            "/api/v1/auth/setup": [
                "post": self.authOperation(
                    "setUpPassword",
                    summary: "First-run setup: set the password with the one-time token of the setup link",
                    description: "Returns the one-time recovery code (shown once) and logs the browser in (sets the session cookie).",
                    parameters: [returnParameter],
                    body: AuthSetupRequest.self,
                    response: (201, login, "The password is set and the browser is logged in."),
                    public: true
                )
            ],
            "/api/v1/auth/login": [
                "post": self.authOperation(
                    "logIn",
                    summary: "Log in with the password (sets the session cookie)",
                    description: "5 failures within 60 s lock the login for 15 minutes (429 `account_locked` with `Retry-After`).",
                    parameters: [returnParameter],
                    body: AuthLoginRequest.self,
                    response: (200, login, "Logged in."),
                    public: true
                )
            ],
            "/api/v1/auth/recover": [
                "post": self.authOperation(
                    "recoverWithCode",
                    summary: "Log in with the recovery code and set a new password; returns a new recovery code",
                    description: "Every other session ends. Failures count towards the login lock.",
                    parameters: [returnParameter],
                    body: AuthRecoverRequest.self,
                    response: (200, login, "Logged in with a new password and a new recovery code."),
                    public: true
                )
            ],
            "/api/v1/auth/logout": [
                "post": self.authOperation(
                    "logOut",
                    summary: "End this browser's session (clears the cookie)",
                    response: (204, nil, "Logged out.")
                )
            ],
            "/api/v1/auth/password": [
                "post": self.authOperation(
                    "changePassword",
                    summary: "Change the password; every other session ends",
                    body: ChangePasswordRequest.self,
                    response: (204, nil, "Changed.")
                )
            ],
            "/api/v1/auth/recovery-code": [
                "post": self.authOperation(
                    "newRecoveryCode",
                    summary: "Replace the recovery code; the new one is returned once",
                    description: "Needs the current password; a wrong one counts towards the login lock. The old code stops working.",
                    body: NewRecoveryCodeRequest.self,
                    response: (200, self.schema(NewRecoveryCodeResult.self), "The new recovery code (shown once, `Cache-Control: no-store`).")
                )
            ],
            "/api/v1/auth/sessions": [
                "get": self.authOperation(
                    "listAuthSessions",
                    summary: "List the browser sessions",
                    response: (200, self.schema(AuthSessionList.self), "Every live session, newest first.")
                )
            ],
            "/api/v1/auth/sessions/{id}": [
                "delete": self.authOperation(
                    "revokeAuthSession",
                    summary: "End one browser session",
                    parameters: [self.pathParameter("id", "Session id (from the session list).")],
                    response: (204, nil, "Ended.")
                )
            ],
            "/api/v1/auth/sessions/sign-out-others": [
                "post": self.authOperation(
                    "signOutOtherSessions",
                    summary: "End every browser session except this one",
                    response: (200, self.schema(RevokedSessions.self), "How many sessions ended.")
                )
            ],
            "/api/v1/auth/reset-password": [
                "post": self.operation(
                    "resetWebPassword",
                    tag: "Auth",
                    summary: "Forget the web password, end every browser session and issue a fresh setup link",
                    description: "Owner Unix socket only (`whatsagent auth reset-password`); never served on TCP.",
                    response: self.schema(PasswordResetResult.self),
                    responseDescription: "The new one-time setup link."
                )
            ],
        ]
    }

    /// The security schemes: agent session tokens on the socket, the session cookie plus CSRF header on TCP.
    var securitySchemes: [String: Any] {
        [
            "sessionToken": ["type": "http", "scheme": "bearer", "description": "An agent session token."],
            "sessionCookie": [
                "type": "apiKey", "in": "cookie", "name": WebSecurityPolicy.cookieName,
                "description": """
                The web login's session cookie (TCP only; `HttpOnly; SameSite=Strict; Path=/`). State-changing requests \
                also need the session's CSRF token in the `X-CSRF-Token` header and an `Origin` equal to the daemon's own.
                """,
            ],
        ]
    }

    private func authOperation(
        _ operationId: String,
        summary: String,
        description: String? = nil,
        parameters: [[String: Any]] = [],
        body: (any Decodable.Type)? = nil,
        response: (status: Int, schema: [String: Any]?, description: String),
        public isPublic: Bool = false
    ) -> [String: Any] {
        var success: [String: Any] = ["description": response.description]
        if let schema = response.schema { success["content"] = self.json(schema) }
        var operation: [String: Any] = [
            "operationId": operationId,
            "tags": ["Auth"],
            "summary": summary,
            "responses": [
                String(response.status): success,
                "400": self.errorResponse("The request is invalid (`invalid_request`, `invalid_argument`)."),
                "401": self.errorResponse("Not logged in, or wrong credentials (`authentication_required`, `invalid_credentials`)."),
                "403": self.errorResponse("Refused host, origin or CSRF token (`host_not_allowed`, `origin_not_allowed`, `csrf_token_invalid`)."),
                "429": self.errorResponse("Too many failed logins (`account_locked`, with `Retry-After`)."),
            ],
        ]
        if !isPublic { operation["security"] = [["sessionCookie": []]] }
        if let description { operation["description"] = description }
        if !parameters.isEmpty { operation["parameters"] = parameters }
        if let body { operation["requestBody"] = ["required": true, "content": self.json(self.schema(body))] }
        return operation
    }
}
