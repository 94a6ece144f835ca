import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore
import WhatsAgentRunners

// Domain → wire. The API types are the contract; the domain types never see HTTP.

extension WorkspaceResponse: ResponseEncodable {
    init(_ summary: WorkspaceSummary) {
        let workspace = summary.workspace
        self.init(
            id: workspace.id.rawValue,
            name: workspace.name,
            status: workspace.status.rawValue,
            topology: workspace.topology,
            rbacMode: workspace.rbacMode,
            kanbanPrefix: workspace.kanbanPrefix,
            epicPrefix: workspace.epicPrefix,
            maxBodyChars: workspace.maxBodyChars,
            chatRetention: RetentionValue(workspace.chatRetention),
            rateLimit: LimitValue(workspace.rateLimit),
            loopGuard: LimitValue(workspace.loopGuard),
            createdAt: workspace.createdAt,
            updatedAt: workspace.updatedAt,
            trashedAt: workspace.trashedAt,
            purgeAfter: summary.purgeAfter,
            isCurrent: summary.isCurrent,
            repoCount: summary.repoCount,
            agentCount: summary.agentCount,
            liveSessionCount: summary.liveSessionCount
        )
    }
}

extension WorkspaceList: ResponseEncodable {}
extension RepoList: ResponseEncodable {}
extension AgentList: ResponseEncodable {}
extension RemovalResult: ResponseEncodable {}
extension MainAgentResult: ResponseEncodable {}
extension Health: ResponseEncodable {}
extension DaemonStatus: ResponseEncodable {}
extension DaemonInfo: ResponseEncodable {}
extension BackupResult: ResponseEncodable {}

extension RepoResponse: ResponseEncodable {
    init(_ repo: Repo) {
        self.init(id: repo.id.rawValue, name: repo.name, path: repo.path, exists: repo.directoryExists, createdAt: repo.createdAt)
    }
}

extension AgentResponse: ResponseEncodable {
    init(_ agent: Agent) {
        self.init(
            id: agent.id.rawValue,
            address: agent.address.description,
            repo: agent.repoName,
            name: agent.name,
            runtime: agent.runtime,
            command: agent.command,
            args: agent.args,
            roles: agent.roles,
            isMain: agent.isMain,
            pushEnabled: agent.pushEnabled,
            nudgeEnabled: agent.nudgeEnabled,
            muted: agent.muted,
            persona: agent.persona,
            createdAt: agent.createdAt,
            updatedAt: agent.updatedAt,
            pushPath: AgentPushStatus.path(agent: agent, push: nil)
        )
    }
}

extension LiveSessionResponse {
    init(_ session: LiveSession) {
        self.init(id: session.id.rawValue, agent: session.agentAddress, kind: session.kind.rawValue, startedAt: session.startedAt)
    }
}

extension LimitValue {
    init(_ limit: Limit) {
        switch limit {
        case .off: self = .off
        case .value(let number): self = .value(number)
        }
    }

    var domain: Limit {
        switch self {
        case .off: .off
        case .value(let number): .value(number)
        }
    }
}

extension RetentionValue {
    init(_ retention: Retention) {
        switch retention {
        case .forever: self = .forever
        case .days(let days): self = .days(days)
        }
    }

    /// Validated: days must be in range.
    func domain() throws -> Retention {
        switch self {
        case .forever: return .forever
        case .days(let days): return try Retention(parsing: String(days), name: "chat retention")
        }
    }
}

extension MessageResponse {
    init(_ message: Message) {
        self.init(
            id: message.wireID,
            kind: message.kind,
            from: message.fromAddress,
            to: message.toAddress,
            threadId: message.threadID,
            body: message.body,
            state: message.state.rawValue,
            rejection: message.rejection,
            clientMessageId: message.clientMessageID,
            sentAt: message.sentAt,
            pushedAt: message.pushedAt,
            pushPath: message.pushPath,
            surfacedAt: message.surfacedAt,
            acknowledgedAt: message.acknowledgedAt
        )
    }
}

extension LiveSessionResponse: ResponseEncodable {}
extension AgentConnection: ResponseEncodable {}
extension SendMessageResult: ResponseEncodable {}
extension AgentToolCatalogue: ResponseEncodable {}
extension AgentToolResult: ResponseEncodable {}

extension ChannelPostResponse: ResponseEncodable {
    init(_ post: ChannelPost) {
        self.init(
            id: post.wireID,
            channel: post.channelName,
            from: post.fromAddress,
            rootId: post.rootID.map { "c\($0)" },
            threadId: post.threadID,
            body: post.body,
            sentAt: post.sentAt
        )
    }
}

extension ChannelResponse: ResponseEncodable {
    init(_ summary: ChannelSummary) {
        self.init(
            id: String(summary.channel.id),
            name: summary.channel.name,
            createdBy: summary.channel.createdBy,
            createdAt: summary.channel.createdAt,
            posts: summary.posts
        )
    }
}

extension ChannelList: ResponseEncodable {}
extension ChannelPostList: ResponseEncodable {}

extension MessageList: ResponseEncodable {}
