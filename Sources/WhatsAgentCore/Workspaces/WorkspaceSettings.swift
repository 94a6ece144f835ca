import WhatsAgentAPI

// Topology and RBAC mode are declared once, in WhatsAgentAPI; the core names them.

/// How agents in a workspace may talk (SPEC §7.1).
public typealias Topology = TopologyValue

/// How RBAC decisions are applied in a workspace (SPEC §10).
public typealias RBACMode = RBACModeValue

extension RBACMode {
    /// The mode in effect: the workspace's mode, loosened to the daemon ceiling when the ceiling is looser.
    public func capped(by ceiling: RBACMode) -> RBACMode { min(self, ceiling) }
}

/// A numeric limit that can be switched off (rate limit, loop guard).
public enum Limit: Equatable, Sendable {
    case off
    case value(Int)

    /// Parses `N` or `off`.
    public init(parsing text: String, name: String, range: ClosedRange<Int>) throws {
        if text.lowercased() == "off" {
            self = .off
        } else if let number = Int(text), range.contains(number) {
            self = .value(number)
        } else {
            throw DomainError.invalidArgument(
                "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), or 'off' (got '\(text)')"
            )
        }
    }

    public var number: Int? {
        if case .value(let number) = self { return number }
        return nil
    }
}

/// How long chat history is kept.
public enum Retention: Equatable, Sendable {
    case forever
    case days(Int)

    public static let allowedDays = 1...3650

    /// Parses `DAYS` or `forever`.
    public init(parsing text: String, name: String) throws {
        if text.lowercased() == "forever" {
            self = .forever
        } else if let days = Int(text), Self.allowedDays.contains(days) {
            self = .days(days)
        } else {
            throw DomainError.invalidArgument(
                "\(name) must be a number of days from 1 to 3650, or 'forever' (got '\(text)')"
            )
        }
    }

    public var days: Int? {
        if case .days(let days) = self { return days }
        return nil
    }
}

/// Kanban display-id prefixes: an upper-case letter then up to 11 upper-case letters or digits.
public enum KanbanPrefix {
    public static func validate(_ raw: String, name: String) throws -> String {
        let prefix = raw.uppercased()
        let scalars = Array(prefix.unicodeScalars)
        guard let first = scalars.first, ("A"..."Z").contains(first), scalars.count <= 12,
            scalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) })
        else {
            throw DomainError.invalidArgument(
                "\(name) '\(raw)' must be a letter followed by up to 11 letters or digits (for example WA or TASK)"
            )
        }
        return prefix
    }
}
