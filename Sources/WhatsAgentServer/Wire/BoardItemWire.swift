import Foundation
import Hummingbird
import WhatsAgentAPI
import WhatsAgentCore

/// A board item kind with the wire types its routes and agent tools speak (its draft and patch are their request
/// types): the listing, detail and change responses (``BoardTaskList``, ``BoardTaskDetail``, ``BoardTaskChange``
/// for tasks).
protocol BoardItemWire: BoardItem where Draft: Decodable, Patch: Decodable {
    associatedtype ListResponse: ResponseEncodable
    associatedtype DetailResponse: BoardDetailResponse where DetailResponse.Detail == Detail
    associatedtype ChangeResponse: BoardChangeResponse where ChangeResponse.Item == Self

    /// The listing of `items`.
    static func listResponse(_ items: [Self]) -> ListResponse
}

/// An item's detail as the wire shows it.
protocol BoardDetailResponse: ResponseEncodable {
    associatedtype Detail
    init(_ detail: Detail)
}

/// A change of an item as the wire shows it.
protocol BoardChangeResponse: ResponseEncodable {
    associatedtype Item: Sendable & Equatable
    init(_ change: BoardChange<Item>)
}

extension BoardTask: BoardItemWire {
    typealias DetailResponse = BoardTaskDetail
    typealias ChangeResponse = BoardTaskChange

    static func listResponse(_ tasks: [BoardTask]) -> BoardTaskList { BoardTaskList(tasks: tasks.map(BoardTaskResponse.init)) }
}

extension BoardEpic: BoardItemWire {
    typealias DetailResponse = BoardEpicDetail
    typealias ChangeResponse = BoardEpicChange

    static func listResponse(_ epics: [BoardEpic]) -> BoardEpicList { BoardEpicList(epics: epics.map(BoardEpicResponse.init)) }
}

extension BoardTaskDetail: BoardDetailResponse {}
extension BoardEpicDetail: BoardDetailResponse {}
extension BoardTaskChange: BoardChangeResponse {}
extension BoardEpicChange: BoardChangeResponse {}
