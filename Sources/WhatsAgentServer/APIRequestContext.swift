import Foundation
import Hummingbird
import NIOCore
import WhatsAgentAPI

/// The request context of every route: the wire's JSON configuration (RFC 3339 dates with milliseconds).
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection, so long-lived responses (the agent events stream) notice when the client goes away.
    public let channel: any Channel

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    public var requestDecoder: JSONDecoder { WireJSON.decoder() }
    public var responseEncoder: JSONEncoder { WireJSON.encoder() }
}
