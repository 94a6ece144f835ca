import Foundation

/// The refusals of the messaging use cases, worded once for every store.
extension DomainError {
    /// A `clientMessageId` this sender already used for another recipient or body.
    package static func idempotencyConflict(clientID: String, original: Int64) -> DomainError {
        DomainError(
            .idempotencyConflict,
            "clientMessageId '\(clientID)' was already used for message \(original) with another recipient or body; use a new clientMessageId for a new message"
        )
    }

    /// No channel named `name`.
    package static func channelNotFound(_ name: String) -> DomainError {
        DomainError(.notFound, "no channel #\(name); list_channels shows the channels (create one with create_channel)")
    }

    /// No channel post `c<id>` to reply to.
    package static func channelPostNotFound(_ id: Int64) -> DomainError {
        DomainError(.notFound, "no channel message c\(id); read_channel_messages shows message ids such as c12")
    }

    /// An acknowledgement of a lease that is not the agent's (another agent's, or one never issued).
    package static func leaseNotFound(_ leaseID: String) -> DomainError {
        DomainError(
            .notFound,
            "no lease '\(leaseID.prefix(80))' of yours is open or acknowledged; acknowledge the leaseId of your latest check_messages result"
        )
    }

    /// A release of a pair the loop guard does not hold.
    package static func notHeld(_ first: Agent, _ second: Agent) -> DomainError {
        DomainError(
            .notFound,
            "\(first.address) and \(second.address) are not held by the loop guard; `whatsagent msg holds` lists the held pairs"
        )
    }
}
