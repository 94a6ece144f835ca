import Hummingbird
import HummingbirdWebSocket
import NIOWebSocket
import WhatsAgentCore
import WhatsAgentRunners

/// The browser terminal: `GET /api/v1/workspaces/{workspace}/agents/{agent}/terminal/stream?csrf=…&from=<offset>`, a
/// WebSocket on the TCP listener only, behind the login (``WebAuthMiddleware`` checks the Origin and `?csrf=` of the
/// upgrade). Each viewer gets its own runner connection (``TerminalViewer``); the runner's socket and secret never
/// leave the daemon. An agent that is not running refuses the upgrade with the usual JSON error (404 or 409).
struct TerminalStreamController {
    static let path: RouterPath = "/api/v1/workspaces/{workspace}/agents/{agent}/terminal/stream"

    let runners: RunnerSupervisor

    func addRoutes(to router: Router<APIRequestContext>) {
        router.ws(
            Self.path,
            shouldUpgrade: { request, context in
                _ = try Self.fromOffset(request)
                _ = try await self.target(context)
                return .upgrade([:])
            },
            onUpgrade: { inbound, outbound, context in
                let target: TerminalViewerTarget
                do {
                    target = try await self.target(context.requestContext)
                } catch {
                    // The agent stopped between the upgrade check and now.
                    let message = (error as? DomainError)?.message ?? "\(error)"
                    try? await outbound.write(.text(TerminalStreamMessage.error(code: "not_running", message: message)))
                    try? await outbound.close(.unexpectedServerError, reason: "not_running")
                    return
                }
                let viewer = TerminalViewer(
                    target: target,
                    fromOffset: try? Self.fromOffset(context.request),
                    runners: self.runners,
                    logger: context.logger
                )
                await viewer.run(inbound: inbound, outbound: outbound)
            }
        )
    }

    private func target(_ context: APIRequestContext) async throws -> TerminalViewerTarget {
        try await self.runners.viewerTarget(workspace: try AgentController.workspace(context), try AgentController.address(context))
    }

    /// `?from=`: the offset to resume from; absent → the whole buffered output (restore).
    static func fromOffset(_ request: Request) throws -> UInt64? {
        guard let raw = request.uri.queryParameters["from"] else { return nil }
        guard let offset = UInt64(raw) else {
            throw DomainError.invalidArgument(
                "query parameter from must be an output offset (a whole number ≥ 0, the startOffset plus the bytes received); got '\(raw)'"
            )
        }
        return offset
    }
}
