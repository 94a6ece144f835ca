import Foundation
import WhatsAgentCore
import WhatsAgentRuntimes
import WhatsAgentTerminal

/// One runner the daemon watches: its connection, its files, how pushes reach it, and what the watch learned
/// (when output last arrived, whether a stop was asked for, whether it finished).
actor ManagedRunner {
    let workspaceID: WorkspaceID
    let sessionID: SessionID
    let agentAddress: String
    let connection: RunnerConnection
    let files: RunnerFileSet
    /// The session's push strategy; `.ptyNudge` makes the daemon type nudges, `.appServer` start Codex turns.
    let push: PushStrategy

    private(set) var lastOutputAt = ContinuousClock.now
    /// When the daemon last finished typing a nudge.
    private(set) var lastNudgeAt: Date?
    private(set) var stopRequested = false
    /// Closed by the daemon (shutdown): the runner keeps running, nothing is ended.
    private(set) var detached = false
    private(set) var finished = false
    /// Mail count waiting for a nudge that could not be typed yet.
    var pendingCount: Int?
    var recheck: Task<Void, Never>?
    /// A managed Codex behind its app-server: the daemon's client connection (``CodexAppServerLink``).
    var appServerLink: CodexAppServerLink?
    /// The path `codex-attach` recorded for this session, once read.
    var attachPath: CodexAttachStatus?
    /// Why the last app-server push had to wait (logged once per reason).
    var appServerWait: String?
    /// An app-server push is in flight.
    var appServerPushing = false
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]

    init(
        workspaceID: WorkspaceID,
        sessionID: SessionID,
        agentAddress: String,
        connection: RunnerConnection,
        files: RunnerFileSet,
        push: PushStrategy
    ) {
        self.workspaceID = workspaceID
        self.sessionID = sessionID
        self.agentAddress = agentAddress
        self.connection = connection
        self.files = files
        self.push = push
    }

    func noteOutput() {
        self.lastOutputAt = .now
    }

    /// Called once the nudge's Enter was sent: input the runner saw up to now is the daemon's own.
    func noteNudge() {
        self.lastNudgeAt = Date()
    }

    func requestStop() {
        self.stopRequested = true
    }

    func detach() {
        self.detached = true
    }

    /// Marks the watch finished and wakes whoever waits for it (a stop).
    func finish() {
        self.finished = true
        self.recheck?.cancel()
        self.recheck = nil
        if let link = self.appServerLink { Task { await link.close() } }
        self.appServerLink = nil
        for waiter in self.waiters.values { waiter.resume() }
        self.waiters = [:]
    }

    /// Returns once the watch finished (the session ended, or the daemon detached), or the task is cancelled.
    func waitUntilFinished() async {
        if self.finished { return }
        let key = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if self.finished || Task.isCancelled {
                    continuation.resume()
                } else {
                    self.waiters[key] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancelWait(key) }
        }
    }

    private func cancelWait(_ key: UUID) {
        self.waiters.removeValue(forKey: key)?.resume()
    }
}
