/// The whole board of a workspace, for export and for import into an empty board (exact round trip: row ids,
/// display ids, sequences, timestamps, comments, dependencies, activity, close-approval state).
public struct BoardSnapshot: Sendable, Equatable, Codable {
    /// Format version of the export; import refuses other versions.
    public static let currentVersion = 1

    public var version: Int
    /// The workspace's task and epic prefixes at export time; import sets them on the target workspace.
    public var taskPrefix: String
    public var epicPrefix: String
    /// The last sequence handed out for tasks and epics (the next item gets one more).
    public var taskSequence: Int
    public var epicSequence: Int
    /// In row-id order.
    public var tasks: [BoardTask]
    public var epics: [BoardEpic]
    /// Comments of tasks and epics, in row-id order.
    public var comments: [BoardComment]
    public var dependencies: [BoardDependency]
    public var activity: [BoardActivity]

    public init(
        version: Int = BoardSnapshot.currentVersion,
        taskPrefix: String,
        epicPrefix: String,
        taskSequence: Int,
        epicSequence: Int,
        tasks: [BoardTask],
        epics: [BoardEpic],
        comments: [BoardComment],
        dependencies: [BoardDependency],
        activity: [BoardActivity]
    ) {
        self.version = version
        self.taskPrefix = taskPrefix
        self.epicPrefix = epicPrefix
        self.taskSequence = taskSequence
        self.epicSequence = epicSequence
        self.tasks = tasks
        self.epics = epics
        self.comments = comments
        self.dependencies = dependencies
        self.activity = activity
    }

    /// Whether the board holds nothing.
    public var isEmpty: Bool { self.tasks.isEmpty && self.epics.isEmpty && self.comments.isEmpty && self.activity.isEmpty }
}
