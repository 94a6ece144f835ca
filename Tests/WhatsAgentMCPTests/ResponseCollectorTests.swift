import NIOCore
import NIOEmbedded
import Testing

@testable import WhatsAgentClient

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How ``ResponseCollector`` classifies a broken exchange: before the request was written it is a stale connection
/// (the caller may repeat it on a new one), after it the outcome is unknown and the error reaches the caller.
@Suite struct ResponseCollectorTests {
    @Test func aReadErrorBeforeTheRequestIsWrittenIsAStaleConnection() throws {
        let (channel, collector, response) = try Self.pending()
        channel.pipeline.fireErrorCaught(IOError(errnoCode: ECONNRESET, reason: "read(descriptor:pointer:size:)"))
        #expect(throws: StaleConnection.self) { try response.wait() }
        _ = collector
    }

    @Test func aReadErrorAfterTheRequestIsWrittenReachesTheCaller() throws {
        let (channel, collector, response) = try Self.pending()
        collector.written()
        channel.pipeline.fireErrorCaught(IOError(errnoCode: ECONNRESET, reason: "read(descriptor:pointer:size:)"))
        #expect(throws: IOError.self) { try response.wait() }
    }

    @Test func aCloseBeforeTheRequestIsWrittenIsStaleAndAfterItIsABrokenResponse() throws {
        let (before, _, unsent) = try Self.pending()
        _ = try? before.finish()
        #expect(throws: StaleConnection.self) { try unsent.wait() }

        let (after, collector, sent) = try Self.pending()
        collector.written()
        _ = try? after.finish()
        #expect(throws: ClientError.self) { try sent.wait() }
    }

    /// An active embedded channel whose collector expects a response.
    private static func pending() throws -> (EmbeddedChannel, ResponseCollector, EventLoopFuture<ResponseCollector.Response>) {
        let collector = ResponseCollector()
        let channel = EmbeddedChannel(handler: collector)
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/tmp/unused")).wait()
        let promise = channel.eventLoop.makePromise(of: ResponseCollector.Response.self)
        collector.expect(promise)
        return (channel, collector, promise.futureResult)
    }
}
