import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOWebSocket
import WhatsAgentCore

/// `GET /api/v1/events` on TCP: the web UI's event stream, one WebSocket per browser tab (WEB-CONTRACT.md).
///
/// The upgrade passes ``WebAuthMiddleware`` like any request (login, exact Origin, `?csrf=`); a plain GET answers 426.
/// The stream sends `hello`, then every ``WorkspaceEvent`` of every workspace (the tab filters by `workspaceId`) from
/// a bounded ``WorkspaceEventFeed``: a tab that falls behind gets `resync` instead of unbounded memory. It closes with
/// 4401 once the browser's login session ends (at once when sessions end, and expiry at the next send, re-checked at
/// most once a second) and with 1001 when the
/// daemon stops (``EventStreamCloser`` ends the feeds). Client frames are read and ignored.
struct WebEventStreamController {
    let auth: AuthService
    let events: WorkspaceEventBus
    let version: String
    /// Items a tab may fall behind by before it gets `resync`.
    var capacity = 256

    static let loggedOut = WebSocketErrorCode.unknown(4401)

    func addRoutes(to router: Router<APIRequestContext>) {
        router.ws(
            "/api/v1/events",
            shouldUpgrade: { request, _ in
                guard request.headers[.upgrade]?.lowercased() == "websocket" else {
                    throw HTTPError(
                        .upgradeRequired,
                        message: "GET /api/v1/events is a WebSocket: open it with new WebSocket('/api/v1/events?csrf=…') from the daemon's page"
                    )
                }
                return .upgrade([:])
            },
            onUpgrade: { inbound, outbound, context in
                try await self.stream(inbound: inbound, outbound: outbound, token: context.request.sessionToken ?? "")
            }
        )
    }

    private enum Ending: Sendable {
        case clientGone
        case loggedOut
        case shutdown
    }

    private func stream(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, token: String) async throws {
        let feed = self.events.subscribe(capacity: self.capacity)
        let (endings, key) = self.auth.endings.watch()
        defer {
            self.events.unsubscribe(feed)
            self.auth.endings.stopWatching(key)
        }
        try await outbound.write(.text(WebEventWire.hello(version: self.version)))
        let ending = await withTaskGroup(of: Ending.self) { group in
            group.addTask {
                // Client frames carry nothing the server needs; reading them notices the tab going away.
                do { for try await _ in inbound {} } catch {}
                return .clientGone
            }
            group.addTask {
                for await _ in endings where await !self.isLoggedIn(token) { return .loggedOut }
                return .shutdown
            }
            group.addTask {
                // Ended sessions are caught at once by `endings`; this re-check catches expiry, at most once a second.
                var checked = ContinuousClock.now
                while let item = await feed.next() {
                    if ContinuousClock.now - checked >= .seconds(1) {
                        guard await self.isLoggedIn(token) else { return .loggedOut }
                        checked = .now
                    }
                    do {
                        try await outbound.write(.text(WebEventWire.text(of: item)))
                    } catch {
                        return .clientGone
                    }
                }
                return feed.isFinished && !Task.isCancelled ? .shutdown : .clientGone
            }
            let first = await group.next() ?? .clientGone
            group.cancelAll()
            return first
        }
        switch ending {
        case .clientGone: return
        case .loggedOut: try? await outbound.close(Self.loggedOut, reason: "the login session ended; log in again")
        case .shutdown: try? await outbound.close(.goingAway, reason: "the daemon is stopping")
        }
    }

    private func isLoggedIn(_ token: String) async -> Bool {
        (try? await self.auth.session(token: token)) != nil
    }
}
