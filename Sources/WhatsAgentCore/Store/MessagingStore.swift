import Foundation
import WhatsAgentAPI

/// The messaging use cases of one workspace's store (docs/store.md). Each write method is ONE atomic write
/// transaction that reads its own checks inside it and returns the events to publish after the commit (its
/// ``StoreOutbox``); nothing is published before the commit. Policy stays in the services: a use case hands the
/// facts it read to the caller's `decide` closure (synchronous, run inside the transaction; throwing rolls everything
/// back).
///
/// Implementations: the SQLite `WorkspaceDatabase` (a file or in memory) and `PostgresWorkspaceStore`. The contract
/// every implementation must meet is `Tests/WhatsAgentCoreTests/Store/MessagingStoreContractTests.swift`. What is not
/// SQL — a push's plan, the mail summary, the loop guard's window and alert, a broadcast's rows, the refusals' words —
/// is written once in the core (`PushPlan.draft`, `MailSummary`, `LoopGuard`) and called by both.
public protocol MessagingStore: Sendable {
    /// Write transactions (committed or rolled back) this store has run since it was opened.
    var writeTransactionCount: Int { get }

    /// The workspace this store holds (nil for a store opened outside a workspace, in tests): where its events go.
    var workspaceID: WorkspaceID? { get }

    /// Sends one direct message: resolves the recipient, reads the facts the rules need (main agent, the sender's mute,
    /// the pair's peer rules), lets `decide` refuse or admit it and shape the row, stores it (idempotent on the sender's
    /// `clientMessageId`; a refusal is stored `rejected`), and — when the recipient's live session is in
    /// `request.connected` — lists everything waiting for it and marks the queued messages pushed, all in one write
    /// transaction.
    /// - Throws: `agent_not_found` / `repo_not_found` for an unknown recipient, `idempotency_conflict`, and whatever
    ///   `decide` throws (nothing is stored then). A store may run several sends in one transaction (group commit),
    ///   each in a savepoint of its own: a send that throws fails alone, and each returns only after it committed.
    func sendDirect(
        _ request: DirectSendRequest,
        decide: @escaping @Sendable (DirectSendFacts) throws -> DirectSendPlan
    ) async throws -> DirectSendCommit

    /// Stores one broadcast (a row per recipient, one thread) and the push marks of its connected recipients in one
    /// write transaction. `check` sees the sender's mute and the recipients and may refuse (nothing is stored then).
    func broadcast(_ request: BroadcastRequest, check: @Sendable (BroadcastFacts) throws -> Void) async throws -> BroadcastCommit

    /// Posts in a channel (a new thread, or a reply in the thread of a post): reads the channel, the sender's mute and
    /// membership, lets `decide` refuse or admit it, makes every agent a member of `#shared` before a post there (so it
    /// counts as unread), stores the post and marks the pushes of its connected members; one write transaction.
    /// - Throws: `not_found` for an unknown channel or post, and whatever `decide` throws (nothing is stored then).
    func postToChannel(_ request: ChannelPostRequest, decide: @Sendable (ChannelPostFacts) throws -> Void) async throws -> ChannelPostCommit

    /// `check_messages`: leases up to `limit` waiting direct messages, then unread posts of the agent's channels, to
    /// the session under `leaseID` and marks the messages surfaced; one write transaction.
    func leaseInbox(_ request: InboxLeaseRequest) async throws -> InboxLease

    /// Acknowledges a lease of `agent` (messages become acknowledged, channel read cursors move); one write
    /// transaction. A repeat of the agent's own acknowledgement is a no-op.
    /// - Throws: `not_found` for a lease that is not the agent's.
    func acknowledge(lease leaseID: String, agent: AgentID, now: Date) async throws -> LeaseAcknowledgement

    /// The pushes for everything waiting for `agents` whose live session is in `connected` (on connect, after a
    /// release, a board change or a channel post), with their queued messages marked pushed; one write transaction.
    func preparePushes(to agents: [AgentID], connected: Set<SessionID>, now: Date) async throws -> [PushPlan]

    /// Undoes the marks of a push whose hint reached no connection after all (the session closed between the
    /// transaction and the publish): its messages go back to `queued`, and the session's push record goes back to what
    /// it was unless something changed it since. The next transaction, rare.
    func revertPushMarks(_ plan: PushPlan) async throws

    /// Appends one audit entry (the RBAC entry of a use case whose transaction rolled back); one write transaction.
    func recordAudit(_ entry: AuditEntry) async throws

    /// Runs `check` in a write transaction of its own, audit row included: a read tool's check, or the check of a call
    /// refused before its use case's transaction ran.
    func runCheck(_ check: ToolCheck, facts: AuthorizationFacts) async throws -> ToolCheck.Outcome

    /// The human's conversations (see ``MessageService/humanMessages(workspace:peer:limit:broadcasts:)``); reading
    /// acknowledges what was sent to the human. One write transaction.
    func humanConversation(peer: String?, limit: Int, now: Date, broadcasts: Bool) async throws -> [Message]

    /// One agent by address.
    /// - Throws: `agent_not_found` / `repo_not_found`.
    func agent(at address: AgentAddress) async throws -> Agent

    /// The loop guard's active holds, oldest first.
    func loopHolds() async throws -> [LoopHold]

    /// Releases the hold between two agents (its held messages become queued); one write transaction.
    func releaseLoopHold(_ first: Agent, _ second: Agent, now: Date) async throws -> (hold: LoopHold, released: Int)
}

/// Events a use case leaves for after its commit (the outbox): published by ``OutboxPublisher`` only once the
/// transaction committed, in this order: `events`, `watcherEvents`, then `pushes`.
public struct StoreOutbox: Sendable, Equatable {
    /// For the web UI's feeds (``WorkspaceEventBus``).
    public var events: [WorkspaceEvent] = []
    /// For the workspace's watchers too (``EventHub``, which forwards them to the bus): loop-guard holds.
    public var watcherEvents: [WorkspaceEvent] = []
    /// Mail hints for connected agents, with the push marks the transaction made.
    public var pushes: [PushPlan] = []

    public init(events: [WorkspaceEvent] = [], watcherEvents: [WorkspaceEvent] = [], pushes: [PushPlan] = []) {
        (self.events, self.watcherEvents, self.pushes) = (events, watcherEvents, pushes)
    }
}

/// A mail hint to write to a connected session, and the messages its transaction marked pushed (by `path`, at
/// `markedAt`). Path `none` marks nothing: nothing carries the hint to the model.
public struct PushPlan: Sendable, Equatable {
    public var agentID: AgentID
    public var session: SessionID
    public var hint: MailHint
    public var path: MessagePushPath
    public var markedIDs: [Int64]
    public var markedAt: Date
    /// The session's push record as the transaction stored it with this hint as its last push (nil: the hint is not
    /// the session's push), and the record before it (nil: none was stored): a revert puts that one back.
    public var recordedPush: SessionPush?
    public var recordBefore: SessionPush?

    public init(
        agentID: AgentID,
        session: SessionID,
        hint: MailHint,
        path: MessagePushPath,
        markedIDs: [Int64],
        markedAt: Date,
        recordedPush: SessionPush? = nil,
        recordBefore: SessionPush? = nil
    ) {
        (self.agentID, self.session, self.hint, self.path) = (agentID, session, hint, path)
        (self.markedIDs, self.markedAt) = (markedIDs, markedAt)
        (self.recordedPush, self.recordBefore) = (recordedPush, recordBefore)
    }

    /// `message` as its sender should see it once this hint went out: pushed, when and by which path, if marked.
    public func applied(to message: Message) -> Message {
        guard self.markedIDs.contains(message.id) else { return message }
        var pushed = message
        (pushed.state, pushed.pushedAt, pushed.pushPath) = (.pushed, self.markedAt, self.path.rawValue)
        return pushed
    }
}
