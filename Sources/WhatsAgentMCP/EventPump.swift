import Logging
import MCP
import WhatsAgentAPI
import WhatsAgentClient

/// Holds the agent events stream (which is what makes the agent "connected") and turns each event into an MCP
/// notification the moment it arrives: `mail` → `notifications/claude/channel` (and `notifications/resources/updated`
/// for `whatsagent://inbox` when the client subscribed to it), `tools_changed` → a fresh catalogue and
/// `notifications/tools/list_changed`.
struct EventPump: Sendable {
    /// Why the pump stopped; the server ends with it.
    enum Outcome: Equatable, Sendable {
        case sessionEnded(reason: String?)
        /// The daemon answered the events request with a 4xx (401: the token is dead); waiting would not help.
        case refused(status: Int, message: String)
    }

    /// Capped exponential waits between reconnection attempts.
    struct Backoff: Sendable {
        var initial: Duration = .milliseconds(50)
        var maximum: Duration = .seconds(1)

        func after(_ delay: Duration) -> Duration { min(delay * 2, self.maximum) }
    }

    let backend: any AgentBackend
    let catalogue: ToolCatalogueStore
    let server: Server
    let backoff: Backoff
    let logger: Logger
    /// Opened at the first `hello`: the stream is held, so the agent counts as online.
    let greeted: Gate
    /// Opened when the client sent `notifications/initialized`; notifications wait for it.
    let initialized: Gate
    /// Repeats the start-up mail hint once if the client may have dropped it.
    let reminder: LaunchMailReminder
    /// The inbox resource: a subscribed client hears of new mail with the standard notification.
    let inbox: InboxResource

    /// Runs until the session ends or the daemon refuses the stream; throws `CancellationError` when cancelled.
    ///
    /// When the stream fails or closes because the daemon went away (a daemon restart), this reconnects after a short
    /// capped backoff and keeps serving. The wait is for the daemon to come back: it is not a polling path for
    /// messages, which only ever arrive as pushed events on the open stream.
    func run() async throws -> Outcome {
        // Whatever ends the pump, nobody must keep waiting for the first greeting.
        defer { Task { await self.greeted.open() } }
        var delay = self.backoff.initial
        var greeted = false
        var outage = false
        while true {
            do {
                for try await event in self.backend.events() {
                    switch event.kind {
                    case .hello:
                        delay = self.backoff.initial
                        if greeted {
                            self.logger.info("reconnected to the daemon's events stream")
                            // A restarted daemon may see different grants: resync quietly, announce only a change.
                            await self.refreshTools(announceAlways: false)
                        } else {
                            self.logger.debug("holding the daemon's events stream", metadata: ["agent.address": "\(event.agent)"])
                        }
                        greeted = true
                        outage = false
                        await self.greeted.open()
                    case .mail:
                        guard let push = ChannelNotification(event) else { continue }
                        await self.notify(ClaudeChannel.message(push))
                        await self.reminder.pushed(push)
                        if await self.inbox.subscribed {
                            await self.notify(ResourceUpdatedNotification.message(.init(uri: WhatsAgentAPI.InboxResource.uri)))
                        }
                    case .toolsChanged:
                        await self.refreshTools(announceAlways: true)
                    case .sessionEnded:
                        return .sessionEnded(reason: event.reason)
                    }
                }
                try Task.checkCancellation()
                if !outage { self.logger.notice("the daemon closed the events stream; waiting for it to come back") }
            } catch ClientError.api(let status, _, let message) where (400..<500).contains(status) {
                return .refused(status: status, message: message)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                if !outage {
                    self.logger.notice("lost the daemon's events stream; waiting for it to come back", metadata: ["error": "\(error)"])
                } else {
                    self.logger.debug("the daemon is still unreachable", metadata: ["error": "\(error)"])
                }
            }
            outage = true
            try await Task.sleep(for: delay)
            delay = self.backoff.after(delay)
        }
    }

    /// Once the client's first `tools/list` has been answered and `settle` has returned, pushes the start-up mail
    /// hint again if ``LaunchMailReminder`` says the client may have dropped it. Returns early when cancelled.
    func remindOfLaunchMail(after settle: @Sendable () async throws -> Void) async {
        await self.reminder.listed.wait()
        guard !Task.isCancelled, (try? await settle()) != nil, !Task.isCancelled,
            let hint = await self.reminder.settle()
        else { return }
        self.logger.debug("pushing the start-up mail hint again: the client may have dropped it before listing the tools")
        await self.notify(ClaudeChannel.message(hint))
    }

    /// Refetches the catalogue; tells the client when asked to, or when the visible tools differ.
    private func refreshTools(announceAlways: Bool) async {
        do {
            let changed = await self.catalogue.replace(with: try await self.backend.tools())
            if changed || announceAlways {
                await self.notify(ToolListChangedNotification.message())
            }
        } catch {
            self.logger.warning("could not refetch the tool catalogue; keeping the previous one", metadata: ["error": "\(error)"])
        }
    }

    private func notify<N: MCP.Notification>(_ message: Message<N>) async {
        await self.initialized.wait()
        do {
            try await self.server.notify(message)
        } catch {
            self.logger.warning("could not send a notification", metadata: ["mcp.method": "\(message.method)", "error": "\(error)"])
        }
    }
}
