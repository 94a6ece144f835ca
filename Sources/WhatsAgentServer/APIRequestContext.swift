import Foundation
import Hummingbird
import WhatsAgentAPI

/// The request context of every route: the wire's JSON configuration (RFC 3339 dates with milliseconds).
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    public var requestDecoder: JSONDecoder { WireJSON.decoder() }
    public var responseEncoder: JSONEncoder { WireJSON.encoder() }
}
