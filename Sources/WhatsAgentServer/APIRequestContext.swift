import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import WhatsAgentAPI

/// The request context of every route: the wire's JSON configuration (RFC 3339 dates with milliseconds). It also
/// carries the WebSocket upgrade slot, so the TCP listener's routes can answer with `router.ws(…)` (the web event and
/// terminal streams); the Unix socket never upgrades.
public struct APIRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection, so long-lived responses (the agent events stream) notice when the client goes away.
    public let channel: any Channel
    /// Set by a `router.ws(…)` route that accepts the upgrade.
    public let webSocket: WebSocketHandlerReference<APIRequestContext>

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
        self.webSocket = .init()
    }

    public var requestDecoder: JSONDecoder { WireJSON.decoder() }
    public var responseEncoder: JSONEncoder { WireJSON.encoder() }
}
