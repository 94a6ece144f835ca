import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import WhatsAgentAPI
import WhatsAgentCore

/// The web login's routes on TCP (`/api/v1/auth/…`). ``WebAuthMiddleware`` has already checked the origin, and
/// for the routes that need one, the session and CSRF token.
struct AuthController {
    let auth: AuthService
    let policy: WebSecurityPolicy

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/v1/auth/session", use: self.state)
        router.post("/api/v1/auth/setup", use: self.setup)
        router.post("/api/v1/auth/login", use: self.login)
        router.post("/api/v1/auth/recover", use: self.recover)
        router.post("/api/v1/auth/logout", use: self.logout)
        router.post("/api/v1/auth/password", use: self.changePassword)
        router.post("/api/v1/auth/recovery-code", use: self.newRecoveryCode)
        router.get("/api/v1/auth/sessions", use: self.sessions)
        router.delete("/api/v1/auth/sessions/{id}", use: self.revoke)
        router.post("/api/v1/auth/sessions/sign-out-others", use: self.signOutOthers)
    }

    @Sendable func state(_ request: Request, context: APIRequestContext) async throws -> AuthState {
        let setupRequired = try await !self.auth.isPasswordSet()
        guard let token = request.sessionToken, let session = try await self.auth.session(token: token) else {
            return AuthState(authenticated: false, setupRequired: setupRequired)
        }
        return AuthState(
            authenticated: true,
            setupRequired: false,
            csrfToken: AuthSecret.csrfToken(forSession: token),
            session: Self.info(session, current: session.id)
        )
    }

    @Sendable func setup(_ request: Request, context: APIRequestContext) async throws -> Response {
        let body = try await request.decode(as: AuthSetupRequest.self, context: context)
        return try await self.retryAfterLock {
            let result = try await self.auth.setup(token: body.token, password: body.password, userAgent: request.headers[.userAgent])
            context.logger.info("web password set by first-run setup")
            return try self.loggedIn(result.issued, recoveryCode: result.recoveryCode, status: .created, request: request, context: context)
        }
    }

    @Sendable func login(_ request: Request, context: APIRequestContext) async throws -> Response {
        let body = try await request.decode(as: AuthLoginRequest.self, context: context)
        return try await self.retryAfterLock {
            let issued = try await self.auth.login(password: body.password, userAgent: request.headers[.userAgent])
            return try self.loggedIn(issued, recoveryCode: nil, status: .ok, request: request, context: context)
        }
    }

    @Sendable func recover(_ request: Request, context: APIRequestContext) async throws -> Response {
        let body = try await request.decode(as: AuthRecoverRequest.self, context: context)
        return try await self.retryAfterLock {
            let result = try await self.auth.recover(
                recoveryCode: body.recoveryCode,
                newPassword: body.newPassword,
                userAgent: request.headers[.userAgent]
            )
            context.logger.info("web password reset with the recovery code")
            return try self.loggedIn(result.issued, recoveryCode: result.recoveryCode, status: .ok, request: request, context: context)
        }
    }

    @Sendable func logout(_ request: Request, context: APIRequestContext) async throws -> Response {
        let session = try await self.currentSession(request)
        try await self.auth.revoke(id: session.id)
        var response = Response(status: .noContent)
        response.setCookie(self.cookie(value: "", maxAge: 0, request: request))
        return response
    }

    @Sendable func changePassword(_ request: Request, context: APIRequestContext) async throws -> Response {
        let session = try await self.currentSession(request)
        let body = try await request.decode(as: ChangePasswordRequest.self, context: context)
        return try await self.retryAfterLock {
            try await self.auth.changePassword(session: session.id, current: body.currentPassword, new: body.newPassword)
            context.logger.info("web password changed")
            return Response(status: .noContent)
        }
    }

    @Sendable func newRecoveryCode(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try await self.currentSession(request)
        let body = try await request.decode(as: NewRecoveryCodeRequest.self, context: context)
        return try await self.retryAfterLock {
            let code = try await self.auth.newRecoveryCode(currentPassword: body.currentPassword)
            context.logger.info("web recovery code replaced")
            let data = try context.responseEncoder.encode(NewRecoveryCodeResult(recoveryCode: code))
            return Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: data))
            )
        }
    }

    @Sendable func sessions(_ request: Request, context: APIRequestContext) async throws -> AuthSessionList {
        let current = try await self.currentSession(request)
        let sessions = try await self.auth.sessions()
        return AuthSessionList(sessions: sessions.map { Self.info($0, current: current.id) })
    }

    @Sendable func revoke(_ request: Request, context: APIRequestContext) async throws -> HTTPResponse.Status {
        let id = try context.parameters.require("id")
        try await self.auth.revoke(id: id)
        return .noContent
    }

    @Sendable func signOutOthers(_ request: Request, context: APIRequestContext) async throws -> RevokedSessions {
        let current = try await self.currentSession(request)
        return RevokedSessions(revoked: try await self.auth.revokeOthers(keeping: current.id))
    }

    // MARK: - Helpers

    private func currentSession(_ request: Request) async throws -> WebSession {
        guard let token = request.sessionToken, let session = try await self.auth.session(token: token) else {
            throw DomainError(.authenticationRequired, "log in first (POST /api/v1/auth/login); the session is missing or has ended")
        }
        return session
    }

    /// Runs `body`, turning a lockout into 429 `account_locked` with `Retry-After`.
    private func retryAfterLock(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as DomainError where error.code == .accountLocked {
            var response = ErrorMiddleware<APIRequestContext>.response(status: .tooManyRequests, code: error.code.rawValue, message: error.message)
            let remaining = try await self.auth.lockRemaining() ?? 1
            response.headers[.retryAfter] = String(Int(remaining.rounded(.up)))
            return response
        }
    }

    private func loggedIn(
        _ issued: IssuedWebSession,
        recoveryCode: String?,
        status: HTTPResponse.Status,
        request: Request,
        context: APIRequestContext
    ) throws -> Response {
        let result = AuthLoginResult(
            csrfToken: issued.csrfToken,
            session: Self.info(issued.session, current: issued.session.id),
            returnTo: SafeReturnPath.validate(request.uri.queryParameters.get("return")),
            recoveryCode: recoveryCode
        )
        let data = try context.responseEncoder.encode(result)
        var response = Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
        response.setCookie(self.cookie(value: issued.token, maxAge: Int(self.auth.policy.sessionLifetime), request: request))
        return response
    }

    /// `HttpOnly; SameSite=Strict; Path=/`, plus `Secure` when the request came through an `https://` entry of
    /// `allow_hosts` (a TLS reverse proxy).
    private func cookie(value: String, maxAge: Int, request: Request) -> Cookie {
        let secure = self.policy.allowedHost(request.hostHeader)?.scheme == "https"
        return Cookie(
            name: WebSecurityPolicy.cookieName,
            value: value,
            maxAge: maxAge,
            path: "/",
            secure: secure,
            httpOnly: true,
            sameSite: .strict
        )
    }

    static func info(_ session: WebSession, current: String) -> AuthSessionInfo {
        AuthSessionInfo(
            id: session.id,
            createdAt: session.createdAt,
            lastSeenAt: session.lastSeenAt,
            expiresAt: session.expiresAt,
            userAgent: session.userAgent,
            current: session.id == current
        )
    }
}

extension AuthState: ResponseEncodable {}
extension AuthSessionList: ResponseEncodable {}
extension RevokedSessions: ResponseEncodable {}
extension PasswordResetResult: ResponseEncodable {}
