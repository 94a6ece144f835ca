/// Creates a task. Unset fields take the defaults (Backlog, P2, M, unassigned).
public struct CreateBoardTaskRequest: Codable, Sendable, Equatable {
    public var title: String
    /// `repo:agent` of an existing agent; nil or `none` leaves the task unassigned (issue 18).
    public var assignedTo: String?
    public var details: String?
    public var status: BoardStatusValue?
    public var priority: BoardPriorityValue?
    public var effort: BoardEffortValue?
    public var githubUrl: String?
    public var githubNumber: Int?
    public var githubTitle: String?
    /// Epic display id or row id; `none` for none.
    public var epicId: String?
    public var dependsOnTaskIds: [String]?

    public init(
        title: String,
        assignedTo: String?,
        details: String? = nil,
        status: BoardStatusValue? = nil,
        priority: BoardPriorityValue? = nil,
        effort: BoardEffortValue? = nil,
        githubUrl: String? = nil,
        githubNumber: Int? = nil,
        githubTitle: String? = nil,
        epicId: String? = nil,
        dependsOnTaskIds: [String]? = nil
    ) {
        self.title = title
        self.assignedTo = assignedTo
        self.details = details
        self.status = status
        self.priority = priority
        self.effort = effort
        self.githubUrl = githubUrl
        self.githubNumber = githubNumber
        self.githubTitle = githubTitle
        self.epicId = epicId
        self.dependsOnTaskIds = dependsOnTaskIds
    }
}

/// A field-level task patch: absent fields are untouched; for `epicId` and the GitHub fields an explicit JSON `null`
/// clears (`.some(nil)` here; `epicId: "none"` also unlinks). `dependsOnTaskIds` replaces the whole list.
public struct UpdateBoardTaskRequest: Codable, Sendable, Equatable {
    public var title: String?
    public var details: String?
    public var status: BoardStatusValue?
    public var priority: BoardPriorityValue?
    public var effort: BoardEffortValue?
    /// `repo:agent` reassigns; `none` unassigns (issue 18).
    public var assignedTo: String?
    public var epicId: String??
    public var dependsOnTaskIds: [String]?
    public var githubUrl: String??
    public var githubNumber: Int??
    public var githubTitle: String??
    /// The git branch the task is done on (issue 23); null or "" clears.
    public var branch: String??

    public init(
        title: String? = nil,
        details: String? = nil,
        status: BoardStatusValue? = nil,
        priority: BoardPriorityValue? = nil,
        effort: BoardEffortValue? = nil,
        assignedTo: String? = nil,
        epicId: String?? = nil,
        dependsOnTaskIds: [String]? = nil,
        githubUrl: String?? = nil,
        githubNumber: Int?? = nil,
        githubTitle: String?? = nil,
        branch: String?? = nil
    ) {
        self.title = title
        self.details = details
        self.status = status
        self.priority = priority
        self.effort = effort
        self.assignedTo = assignedTo
        self.epicId = epicId
        self.dependsOnTaskIds = dependsOnTaskIds
        self.githubUrl = githubUrl
        self.githubNumber = githubNumber
        self.githubTitle = githubTitle
        self.branch = branch
    }

    enum CodingKeys: String, CodingKey {
        case title, details, status, priority, effort, assignedTo, epicId, dependsOnTaskIds, githubUrl, githubNumber, githubTitle, branch
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.title = try container.decodeIfPresent(String.self, forKey: .title)
        self.details = try container.decodeIfPresent(String.self, forKey: .details)
        self.status = try container.decodeIfPresent(BoardStatusValue.self, forKey: .status)
        self.priority = try container.decodeIfPresent(BoardPriorityValue.self, forKey: .priority)
        self.effort = try container.decodeIfPresent(BoardEffortValue.self, forKey: .effort)
        self.assignedTo = try container.decodeIfPresent(String.self, forKey: .assignedTo)
        self.epicId = try container.decodeNullable(String.self, forKey: .epicId)
        self.dependsOnTaskIds = try container.decodeIfPresent([String].self, forKey: .dependsOnTaskIds)
        self.githubUrl = try container.decodeNullable(String.self, forKey: .githubUrl)
        self.githubNumber = try container.decodeNullable(Int.self, forKey: .githubNumber)
        self.githubTitle = try container.decodeNullable(String.self, forKey: .githubTitle)
        self.branch = try container.decodeNullable(String.self, forKey: .branch)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(self.title, forKey: .title)
        try container.encodeIfPresent(self.details, forKey: .details)
        try container.encodeIfPresent(self.status, forKey: .status)
        try container.encodeIfPresent(self.priority, forKey: .priority)
        try container.encodeIfPresent(self.effort, forKey: .effort)
        try container.encodeIfPresent(self.assignedTo, forKey: .assignedTo)
        try container.encodeNullable(self.epicId, forKey: .epicId)
        try container.encodeIfPresent(self.dependsOnTaskIds, forKey: .dependsOnTaskIds)
        try container.encodeNullable(self.githubUrl, forKey: .githubUrl)
        try container.encodeNullable(self.githubNumber, forKey: .githubNumber)
        try container.encodeNullable(self.githubTitle, forKey: .githubTitle)
        try container.encodeNullable(self.branch, forKey: .branch)
    }
}

/// Creates an epic (status Completed is refused).
public struct CreateBoardEpicRequest: Codable, Sendable, Equatable {
    public var title: String
    public var assignedTo: String
    public var details: String?
    public var status: BoardStatusValue?
    public var priority: BoardPriorityValue?
    public var effort: BoardEffortValue?
    public var githubUrl: String?
    public var githubNumber: Int?
    public var githubTitle: String?

    public init(
        title: String,
        assignedTo: String,
        details: String? = nil,
        status: BoardStatusValue? = nil,
        priority: BoardPriorityValue? = nil,
        effort: BoardEffortValue? = nil,
        githubUrl: String? = nil,
        githubNumber: Int? = nil,
        githubTitle: String? = nil
    ) {
        self.title = title
        self.assignedTo = assignedTo
        self.details = details
        self.status = status
        self.priority = priority
        self.effort = effort
        self.githubUrl = githubUrl
        self.githubNumber = githubNumber
        self.githubTitle = githubTitle
    }
}

/// A field-level epic patch (status Completed refused; explicit `null` clears a GitHub field).
public struct UpdateBoardEpicRequest: Codable, Sendable, Equatable {
    public var title: String?
    public var details: String?
    public var status: BoardStatusValue?
    public var priority: BoardPriorityValue?
    public var effort: BoardEffortValue?
    public var assignedTo: String?
    public var githubUrl: String??
    public var githubNumber: Int??
    public var githubTitle: String??

    public init(
        title: String? = nil,
        details: String? = nil,
        status: BoardStatusValue? = nil,
        priority: BoardPriorityValue? = nil,
        effort: BoardEffortValue? = nil,
        assignedTo: String? = nil,
        githubUrl: String?? = nil,
        githubNumber: Int?? = nil,
        githubTitle: String?? = nil
    ) {
        self.title = title
        self.details = details
        self.status = status
        self.priority = priority
        self.effort = effort
        self.assignedTo = assignedTo
        self.githubUrl = githubUrl
        self.githubNumber = githubNumber
        self.githubTitle = githubTitle
    }

    enum CodingKeys: String, CodingKey {
        case title, details, status, priority, effort, assignedTo, githubUrl, githubNumber, githubTitle
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.title = try container.decodeIfPresent(String.self, forKey: .title)
        self.details = try container.decodeIfPresent(String.self, forKey: .details)
        self.status = try container.decodeIfPresent(BoardStatusValue.self, forKey: .status)
        self.priority = try container.decodeIfPresent(BoardPriorityValue.self, forKey: .priority)
        self.effort = try container.decodeIfPresent(BoardEffortValue.self, forKey: .effort)
        self.assignedTo = try container.decodeIfPresent(String.self, forKey: .assignedTo)
        self.githubUrl = try container.decodeNullable(String.self, forKey: .githubUrl)
        self.githubNumber = try container.decodeNullable(Int.self, forKey: .githubNumber)
        self.githubTitle = try container.decodeNullable(String.self, forKey: .githubTitle)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(self.title, forKey: .title)
        try container.encodeIfPresent(self.details, forKey: .details)
        try container.encodeIfPresent(self.status, forKey: .status)
        try container.encodeIfPresent(self.priority, forKey: .priority)
        try container.encodeIfPresent(self.effort, forKey: .effort)
        try container.encodeIfPresent(self.assignedTo, forKey: .assignedTo)
        try container.encodeNullable(self.githubUrl, forKey: .githubUrl)
        try container.encodeNullable(self.githubNumber, forKey: .githubNumber)
        try container.encodeNullable(self.githubTitle, forKey: .githubTitle)
    }
}

/// A status move (`…/status`).
public struct BoardStatusRequest: Codable, Sendable, Equatable {
    public var status: BoardStatusValue

    public init(status: BoardStatusValue) {
        self.status = status
    }
}

/// A comment (`…/comments`).
public struct BoardCommentRequest: Codable, Sendable, Equatable {
    public var type: BoardCommentTypeValue
    public var body: String

    public init(type: BoardCommentTypeValue, body: String) {
        self.type = type
        self.body = body
    }
}

/// Listing filters (query parameters of the list endpoints, by the same names).
public struct BoardListQuery: Codable, Sendable, Equatable {
    public var status: BoardStatusValue?
    public var assignedTo: String?
    public var createdBy: String?
    public var priority: BoardPriorityValue?
    /// Tasks only: epic display id, or `none`.
    public var epicId: String?
    public var includeArchived: Bool?
    /// 1…1,000 (default 200).
    public var limit: Int?

    public init(
        status: BoardStatusValue? = nil,
        assignedTo: String? = nil,
        createdBy: String? = nil,
        priority: BoardPriorityValue? = nil,
        epicId: String? = nil,
        includeArchived: Bool? = nil,
        limit: Int? = nil
    ) {
        self.status = status
        self.assignedTo = assignedTo
        self.createdBy = createdBy
        self.priority = priority
        self.epicId = epicId
        self.includeArchived = includeArchived
        self.limit = limit
    }
}

/// Search parameters (query parameters of the search endpoints, by the same names).
public struct BoardSearchQueryParameters: Codable, Sendable, Equatable {
    /// 2…200 characters.
    public var query: String
    public var status: BoardStatusValue?
    public var assignedTo: String?
    public var includeArchived: Bool?
    /// 1…100 (default 20).
    public var limit: Int?

    public init(query: String, status: BoardStatusValue? = nil, assignedTo: String? = nil, includeArchived: Bool? = nil, limit: Int? = nil) {
        self.query = query
        self.status = status
        self.assignedTo = assignedTo
        self.includeArchived = includeArchived
        self.limit = limit
    }
}

extension KeyedDecodingContainer {
    /// nil when the key is absent, `.some(nil)` for an explicit JSON null.
    func decodeNullable<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T?? {
        guard self.contains(key) else { return nil }
        if try self.decodeNil(forKey: key) { return .some(nil) }
        return .some(try self.decode(type, forKey: key))
    }
}

extension KeyedEncodingContainer {
    /// Omits nil, writes JSON null for `.some(nil)`.
    mutating func encodeNullable<T: Encodable>(_ value: T??, forKey key: Key) throws {
        guard let value else { return }
        if let value { try self.encode(value, forKey: key) } else { try self.encodeNil(forKey: key) }
    }
}
