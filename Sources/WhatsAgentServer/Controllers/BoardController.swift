import Foundation
import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore

/// What the board routes share: the route prefix, reading ids and query parameters, and the response conformances.
///
/// The routes themselves are in ``BoardItemController`` (tasks and epics), ``BoardEpicCloseController`` and
/// ``BoardTransferController``; they act as the human (`BoardActor.human`), who is never RBAC-checked.
enum BoardController {
    /// A task or epic reference from the path (`WA-3`, `wa-003`, `#12`, `12`), percent-decoded.
    static func item(_ name: String, _ context: APIRequestContext) throws -> String {
        try AgentController.parameter(name, context)
    }

    /// The list filters: `status`, `assignedTo`, `createdBy`, `priority`, `epicId` (tasks), `includeArchived`, `limit`.
    static func listQuery(_ request: Request) throws -> BoardListQuery {
        let query = request.uri.queryParameters
        return BoardListQuery(
            status: try query["status"].map { try BoardStatus(parsing: String($0)) },
            assignedTo: query["assignedTo"].map(String.init),
            createdBy: query["createdBy"].map(String.init),
            priority: try query["priority"].map { try BoardPriority(parsing: String($0)) },
            epicId: query["epicId"].map(String.init),
            includeArchived: try self.flag("includeArchived", request),
            limit: try self.integer("limit", request)
        )
    }

    /// The search parameters: `query` (required), `status`, `assignedTo`, `includeArchived`, `limit`.
    static func searchParameters(_ request: Request) throws -> BoardSearchQueryParameters {
        let query = request.uri.queryParameters
        guard let text = query["query"] else {
            throw DomainError.invalidArgument("the query parameter query is missing; pass the words to search for, e.g. ?query=login")
        }
        return BoardSearchQueryParameters(
            query: String(text),
            status: try query["status"].map { try BoardStatus(parsing: String($0)) },
            assignedTo: query["assignedTo"].map(String.init),
            includeArchived: try self.flag("includeArchived", request),
            limit: try self.integer("limit", request)
        )
    }

    static func flag(_ name: String, _ request: Request) throws -> Bool? {
        guard let raw = request.uri.queryParameters[Substring(name)] else { return nil }
        switch String(raw).lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw DomainError.invalidArgument("query parameter \(name) must be true or false (got '\(raw)')")
        }
    }

    static func integer(_ name: String, _ request: Request) throws -> Int? {
        try request.uri.queryParameters[Substring(name)].map { raw -> Int in
            guard let value = Int(raw) else { throw DomainError.invalidArgument("\(name) must be a whole number (got '\(raw)')") }
            return value
        }
    }
}

extension BoardTaskList: ResponseEncodable {}
extension BoardEpicList: ResponseEncodable {}
extension BoardTaskDetail: ResponseEncodable {}
extension BoardEpicDetail: ResponseEncodable {}
extension BoardTaskChange: ResponseEncodable {}
extension BoardEpicChange: ResponseEncodable {}
extension BoardCommentChange: ResponseEncodable {}
extension BoardSearchResponse: ResponseEncodable {}
extension BoardImportResult: ResponseEncodable {}
