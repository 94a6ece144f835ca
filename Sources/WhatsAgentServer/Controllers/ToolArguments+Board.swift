import Foundation
import WhatsAgentAPI
import WhatsAgentCore

/// The board tools' arguments: GitHub fields, statuses, list filters, search queries, and explicit nulls that clear.
extension ToolArguments {
    func boardGitHubLink() throws -> GitHubLink {
        GitHubLink(
            url: try self.optionalString("githubUrl"),
            number: try self.boardPositiveInt("githubNumber"),
            title: try self.optionalString("githubTitle")
        )
    }

    func boardStatus() throws -> BoardStatus {
        try BoardStatus(parsing: try self.requiredString("status"))
    }

    /// A listing's filter; `epicId` only for tasks.
    func boardFilter(epic: Bool) throws -> BoardFilter {
        BoardFilter(
            status: try self.optionalString("status").map(BoardStatus.init(parsing:)),
            assignedTo: try self.optionalString("assignedTo"),
            createdBy: try self.optionalString("createdBy"),
            priority: try self.optionalString("priority").map(BoardPriority.init(parsing:)),
            epic: epic ? try self.optionalString("epicId") : nil,
            includeArchived: try self.boardBool("includeArchived") ?? false,
            limit: try self.optionalInt("limit") ?? BoardLimits.defaultListLimit
        )
    }

    func boardSearchQuery() throws -> BoardSearchQuery {
        BoardSearchQuery(
            try self.requiredString("query"),
            status: try self.optionalString("status").map(BoardStatus.init(parsing:)),
            assignee: try self.optionalString("assignedTo"),
            includeArchived: try self.boardBool("includeArchived") ?? false,
            limit: try self.optionalInt("limit") ?? BoardLimits.defaultSearchLimit
        )
    }

    func boardBool(_ name: String) throws -> Bool? {
        switch self.values[name] {
        case nil, .null: return nil
        case .bool(let value): return value
        default: throw DomainError.invalidArgument("argument '\(name)' of \(self.tool) must be true or false")
        }
    }

    func boardPositiveInt(_ name: String) throws -> Int? {
        guard let value = try self.optionalInt(name) else { return nil }
        guard value >= 1 else { throw DomainError.invalidArgument("argument '\(name)' of \(self.tool) must be a whole number ≥ 1 (got \(value))") }
        return value
    }

    /// nil when absent, `.some(nil)` for an explicit null.
    func boardNullableString(_ name: String) throws -> String?? {
        guard let value = self.values[name] else { return nil }
        if value == .null { return .some(nil) }
        return .some(try self.optionalString(name))
    }

    func boardNullablePositiveInt(_ name: String) throws -> Int?? {
        guard let value = self.values[name] else { return nil }
        if value == .null { return .some(nil) }
        return .some(try self.boardPositiveInt(name))
    }

    func boardStringList(_ name: String) throws -> [String]? {
        switch self.values[name] {
        case nil, .null: return nil
        case .array(let items):
            return try items.map { item in
                guard case .string(let text) = item else {
                    throw DomainError.invalidArgument("argument '\(name)' of \(self.tool) must be a list of task ids (strings such as \"WA-3\")")
                }
                return text
            }
        default:
            throw DomainError.invalidArgument("argument '\(name)' of \(self.tool) must be a list of task ids (strings such as \"WA-3\")")
        }
    }
}
