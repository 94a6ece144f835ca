/// A limit on the wire: a whole number, or the string `"off"`.
public enum LimitValue: Codable, Sendable, Equatable {
    case off
    case value(Int)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self = .value(number)
        } else if let text = try? container.decode(String.self), text == "off" {
            self = .off
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a whole number or \"off\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .off: try container.encode("off")
        case .value(let number): try container.encode(number)
        }
    }
}

/// A retention on the wire: a number of days, or the string `"forever"`.
public enum RetentionValue: Codable, Sendable, Equatable {
    case forever
    case days(Int)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self = .days(number)
        } else if let text = try? container.decode(String.self), text == "forever" {
            self = .forever
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a number of days or \"forever\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .forever: try container.encode("forever")
        case .days(let days): try container.encode(days)
        }
    }
}

/// How agents in a workspace may talk: workspace topologies (SPEC §7.1).
public enum TopologyValue: String, Codable, Sendable, CaseIterable {
    case star
    case p2p
    case channel
}

/// How RBAC decisions are applied in a workspace (SPEC §10).
public enum RBACModeValue: String, Codable, Sendable, CaseIterable, Comparable {
    case enforce
    case soft
    case off

    /// Strictness order used by the daemon ceiling: `off < soft < enforce`.
    var strictness: Int {
        switch self {
        case .off: 0
        case .soft: 1
        case .enforce: 2
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.strictness < rhs.strictness }
}

/// The agent runtimes WhatsAgent knows how to launch (SPEC §6.3).
public enum RuntimeValue: String, Codable, Sendable, CaseIterable {
    case claude
    case codex
    case opencode
    case pi
    case custom
}
