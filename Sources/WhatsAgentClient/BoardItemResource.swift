import Foundation
import WhatsAgentAPI

/// A board item kind as the daemon's HTTP API serves it: its collection under `/board/` and its wire types. The
/// client's board calls are generic over it (`client.create(BoardTasks.self, workspace: nil, request)`).
public protocol BoardItemResource: Sendable {
    associatedtype List: Codable & Sendable
    associatedtype Detail: Codable & Sendable
    associatedtype Change: Codable & Sendable
    associatedtype Create: Encodable & Sendable
    associatedtype Update: Encodable & Sendable

    /// `tasks` or `epics`.
    static var collection: String { get }
}

/// The board's tasks (`/board/tasks`).
public enum BoardTasks: BoardItemResource {
    public typealias List = BoardTaskList
    public typealias Detail = BoardTaskDetail
    public typealias Change = BoardTaskChange
    public typealias Create = CreateBoardTaskRequest
    public typealias Update = UpdateBoardTaskRequest
    public static let collection = "tasks"
}

/// The board's epics (`/board/epics`); their close approval has calls of its own (`requestEpicClose`…).
public enum BoardEpics: BoardItemResource {
    public typealias List = BoardEpicList
    public typealias Detail = BoardEpicDetail
    public typealias Change = BoardEpicChange
    public typealias Create = CreateBoardEpicRequest
    public typealias Update = UpdateBoardEpicRequest
    public static let collection = "epics"
}
