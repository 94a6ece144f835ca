import Foundation
import WhatsAgentAPI

/// Which Codex thread is the TUI's, from what a second app-server client can see (docs/codex-app-server.md): at
/// connection the loaded thread created last; afterwards every `thread/started` (the TUI's `/new` starts one, and the
/// server announces it to every client) moves it to the new thread; `thread/closed` forgets it.
struct CodexThreadTracker: Equatable, Sendable {
    private(set) var current: String?

    /// A thread the loaded-list walk found (`createdAt` in seconds): kept when it is newer than the current one.
    mutating func found(_ id: String, createdAt: Double) {
        if self.current == nil || createdAt >= self.foundAt {
            self.current = id
            self.foundAt = createdAt
        }
    }

    private var foundAt: Double = -.infinity

    /// A server notification.
    mutating func notified(_ method: String, _ params: JSONValue) {
        switch method {
        case "thread/started":
            guard let id = params["thread"]?["id"]?.stringValue, params["thread"]?["ephemeral"] != .bool(true) else { return }
            self.current = id
            self.foundAt = .infinity
        case "thread/closed":
            if params["threadId"]?.stringValue == self.current {
                self.current = nil
                self.foundAt = -.infinity
            }
        default: break
        }
    }
}

/// What a push through the app-server did: started a turn in the idle thread, or steered the running one.
enum CodexPushReceipt: Equatable, Sendable {
    case started(thread: String, turn: String)
    case steered(thread: String, turn: String)

    var turn: String {
        switch self {
        case .started(_, let turn), .steered(_, let turn): turn
        }
    }
}

/// Turns a thread read (`thread/read`, with or without `includeTurns`) into what the push does next.
enum CodexPushDecision: Equatable, Sendable {
    /// Idle: `turn/start`.
    case start
    /// A turn runs: `turn/steer` with this `expectedTurnId` (nil: the read did not list turns; look it up).
    case steer(turn: String?)
    /// Nothing can take input now (not loaded, a system error): try later.
    case wait(String)

    init(thread: JSONValue) {
        switch thread["status"]?["type"]?.stringValue {
        case "idle"?: self = .start
        case "active"?:
            if case .array(let turns)? = thread["turns"],
                let running = turns.last(where: { $0["status"]?.stringValue == "inProgress" })
            {
                self = .steer(turn: running["id"]?.stringValue)
            } else {
                self = .steer(turn: nil)
            }
        case let other: self = .wait("the thread is \(other ?? "in an unknown state")")
        }
    }

    /// The running turn named by 0.147's refusal of a `turn/steer` with the wrong `expectedTurnId` ("expected active
    /// turn id `A` but found `B`"): B. `thread/read` with `includeTurns` is refused ("list_turns is not supported yet")
    /// for a thread whose history is paginated, which is every new thread of 0.147.
    static func activeTurn(inRefusal message: String) -> String? {
        guard let found = message.range(of: "but found `") else { return nil }
        let rest = message[found.upperBound...]
        guard let end = rest.firstIndex(of: "`"), end > rest.startIndex else { return nil }
        return String(rest[..<end])
    }
}
