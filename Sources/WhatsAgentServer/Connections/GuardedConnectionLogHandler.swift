import Logging

/// The logger Hummingbird gets for one guarded connection: unchanged, except that once the ``ConnectionGuard`` has
/// closed the connection on purpose (a refusal or a deadline), what Hummingbird reports as an error about it ("Error
/// handling upgrade result": the request it was waiting for never came) is logged at debug. A flood of slow
/// connections must not fill the log with errors about the defence working.
struct GuardedConnectionLogHandler: LogHandler {
    var wrapped: any LogHandler
    let outcome: ConnectionOutcome

    var logLevel: Logger.Level {
        get { self.wrapped.logLevel }
        set { self.wrapped.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { self.wrapped.metadata }
        set { self.wrapped.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { self.wrapped.metadataProvider }
        set { self.wrapped.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.wrapped[metadataKey: key] }
        set { self.wrapped[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        guard event.level > .debug, self.outcome.closedByGuard else {
            self.wrapped.log(event: event)
            return
        }
        guard self.wrapped.logLevel <= .debug else { return }
        var event = event
        event.level = .debug
        self.wrapped.log(event: event)
    }
}
