import Hummingbird
import Logging
import WhatsAgentAPI
import WhatsAgentCore

/// `POST /api/v1/auth/reset-password` on the owner-only Unix socket (`whatsagent auth reset-password`): forgets the
/// web password, ends every web session and returns a fresh setup link. Never mounted on TCP.
struct PasswordResetController {
    let auth: AuthService
    let state: DaemonState

    func addRoutes(to router: Router<APIRequestContext>) {
        router.post("/api/v1/auth/reset-password", use: self.reset)
    }

    @Sendable func reset(_ request: Request, context: APIRequestContext) async throws -> PasswordResetResult {
        let token = try await self.auth.resetPassword()
        context.logger.info("web password reset over the owner socket; a new setup link was issued")
        return PasswordResetResult(setupURL: SetupLink.url(base: await self.state.url, token: token))
    }
}

/// The first-run setup link `whatsagent start` prints: the daemon's URL, `/setup?token=`.
enum SetupLink {
    static func url(base: String, token: String) -> String {
        "\(base)/setup?token=\(token)"
    }
}
