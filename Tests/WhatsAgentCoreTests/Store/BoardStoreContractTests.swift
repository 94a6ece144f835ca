import Foundation
import Testing
import WhatsAgentAPI

@testable import WhatsAgentCore

/// The contract of ``BoardStore`` and its ``BoardRows``, written against the protocols and run against every
/// implementation (``BoardStoreUnderTest/all``): a change and its notifications commit together or not at all,
/// sequences are never shared, and the rows the board's rules read come back as they were written.
@Suite struct BoardStoreContractTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let prefixes = (task: "WA", epic: "EP")

    /// A new task row by the human, assigned to `assignee` (nil: unassigned), in `epic`.
    static func newTask(_ tx: BoardTransaction, _ title: String, assignee: Agent? = nil, epic: Int64? = nil) throws -> BoardTaskRecord {
        let sequence = try tx.nextSequence(.task)
        var record = BoardTaskRecord(
            BoardTask(
                id: 0,
                displayID: BoardDisplayID.format(prefix: tx.taskPrefix, sequence: sequence),
                sequence: sequence,
                title: title,
                details: "",
                status: .backlog,
                priority: .p2,
                effort: .m,
                assignee: assignee?.address.description,
                assigneeAgentID: assignee?.id,
                creator: tx.actor.address,
                creatorAgentID: tx.actor.agentID,
                github: GitHubLink(),
                epicID: epic,
                epicDisplayID: nil,
                dependsOn: [],
                createdAt: tx.now,
                updatedAt: tx.now,
                completedAt: nil,
                archivedAt: nil,
                archivedBy: nil
            )
        )
        try tx.insert(&record)
        return record
    }

    static func newEpic(_ tx: BoardTransaction, _ title: String, assignee: Agent) throws -> BoardEpicRecord {
        let sequence = try tx.nextSequence(.epic)
        var record = BoardEpicRecord(
            BoardEpic(
                id: 0,
                displayID: BoardDisplayID.format(prefix: tx.epicPrefix, sequence: sequence),
                sequence: sequence,
                title: title,
                details: "",
                status: .backlog,
                priority: .p2,
                effort: .m,
                assignee: assignee.address.description,
                assigneeAgentID: assignee.id,
                creator: tx.actor.address,
                creatorAgentID: tx.actor.agentID,
                github: GitHubLink(),
                closeApproval: EpicCloseApproval(),
                createdAt: tx.now,
                updatedAt: tx.now,
                completedAt: nil,
                archivedAt: nil,
                archivedBy: nil
            )
        )
        try tx.insert(&record)
        return record
    }

    struct Refused: Error {}

    @Test(arguments: BoardStoreUnderTest.all)
    func aChangeAndItsNotificationsCommitTogether(_ implementation: BoardStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let dev = try await seed.addAgent("api:dev")
        let store = seed.boardStore
        let (created, notifications) = try await store.boardWrite(now: Self.start, actor: .human, prefixes: Self.prefixes) { tx in
            let task = try Self.newTask(tx, "Add login", assignee: dev)
            tx.notify([(dev.id, dev.address.description)], event: "task_assigned", displayID: task.displayId, body: "assigned")
            return task
        }
        #expect(created.id != nil)
        #expect(created.displayId == "WA-001")
        #expect(notifications.count == 1)
        #expect(notifications.first?.messageID != nil, "a stored notification carries its message id")
        let found = try await store.boardRead(prefixes: Self.prefixes) { tx in try tx.findTask("wa-1")?.title }
        #expect(found == "Add login", "display ids resolve without case and without leading zeros")

        // The notification is a queued kanban message in the agent's inbox.
        let session = try await seed.openSession(dev)
        let lease = try await seed.store.leaseInbox(
            InboxLeaseRequest(agent: dev.id, session: session, limit: 10, leaseID: "lease-1", now: Self.start)
        )
        #expect(lease.messages.map(\.kind) == ["kanban"])
        #expect(lease.messages.first?.id == notifications.first?.messageID)
    }

    @Test(arguments: BoardStoreUnderTest.all)
    func aRefusedChangeWritesNothingNotEvenItsSequence(_ implementation: BoardStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let dev = try await seed.addAgent("api:dev")
        let store = seed.boardStore
        await #expect(throws: Refused.self) {
            _ = try await store.boardWrite(now: Self.start, actor: .human, prefixes: Self.prefixes) { tx in
                _ = try Self.newTask(tx, "never", assignee: dev)
                throw Refused()
            }
        }
        // The rate limit's admission runs last, inside the transaction: refusing it refuses the change whole.
        let refuseAdmission: @Sendable ([BoardNotification]) throws -> Void = { notifications in
            #expect(notifications.count == 1)
            throw Refused()
        }
        await #expect(throws: Refused.self) {
            _ = try await store.boardWrite(now: Self.start, actor: .human, prefixes: Self.prefixes, admitNotifications: refuseAdmission) { tx in
                let task = try Self.newTask(tx, "never either", assignee: dev)
                tx.notify([(dev.id, dev.address.description)], event: "task_assigned", displayID: task.displayId, body: "assigned")
            }
        }
        let (sequence, _) = try await store.boardWrite(now: Self.start, actor: .human, prefixes: Self.prefixes) { tx in
            try Self.newTask(tx, "first that lands").sequence
        }
        #expect(sequence == 1)
        let listed = try await store.boardRead(prefixes: Self.prefixes) { tx in try tx.rows.tasks(BoardFilter(), epic: .any).map(\.title) }
        #expect(listed == ["first that lands"])
        let session = try await seed.openSession(dev)
        let lease = try await seed.store.leaseInbox(
            InboxLeaseRequest(agent: dev.id, session: session, limit: 10, leaseID: "lease-1", now: Self.start)
        )
        #expect(lease.messages.isEmpty, "no notification of a refused change was stored")
    }

    @Test(arguments: BoardStoreUnderTest.all)
    func concurrentCreatesNeverShareASequence(_ implementation: BoardStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.boardStore
        let sequences = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<20 {
                group.addTask {
                    try await store.boardWrite(now: Self.start, actor: .human, prefixes: Self.prefixes) { tx in
                        try Self.newTask(tx, "task \(index)").sequence
                    }.0
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(sequences.sorted() == Array(1...20))
    }

    @Test(arguments: BoardStoreUnderTest.all)
    func concurrentEditsOfOneTaskNeverLoseAnUpdate(_ implementation: BoardStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.boardStore
        let id = try await store.boardWrite(now: Self.start, actor: .human, prefixes: Self.prefixes) { tx in try Self.newTask(tx, "shared").id ?? 0 }
            .0
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<10 {
                group.addTask {
                    _ = try await store.boardWrite(now: Self.start, actor: .human, prefixes: Self.prefixes) { tx in
                        // Read, change one field, write the row back: what every board change does.
                        guard var task = try tx.rows.task(id: id) else { throw Refused() }
                        task.details += "[\(index)]"
                        try tx.update(task)
                        try tx.log(.task, id, .updated, field: "details")
                    }
                }
            }
            try await group.waitForAll()
        }
        let (details, activity) = try await store.boardRead(prefixes: Self.prefixes) { tx in
            (try tx.rows.task(id: id)?.details ?? "", try tx.activity(.task, id, displayID: "WA-001").count)
        }
        #expect(Set((0..<10).map { "[\($0)]" }).allSatisfy(details.contains), "every edit landed: \(details)")
        #expect(activity == 10)
    }

    @Test(arguments: BoardStoreUnderTest.all)
    func listingsFilterByEpicAssigneeAndArchive(_ implementation: BoardStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let dev = try await seed.addAgent("api:dev")
        let store = seed.boardStore
        let epicID = try await store.boardWrite(now: Self.start, actor: .human, prefixes: Self.prefixes) { tx in
            let epic = try Self.newEpic(tx, "Auth", assignee: dev)
            _ = try Self.newTask(tx, "in epic", assignee: dev, epic: epic.id)
            _ = try Self.newTask(tx, "unassigned")
            var archived = try Self.newTask(tx, "archived", assignee: dev)
            archived.archivedAt = tx.now
            archived.archivedBy = "human-web"
            try tx.update(archived)
            return epic.id ?? 0
        }.0
        let (inEpic, noEpic, unassigned, mine, everything, limited, epics, children) = try await store.boardRead(prefixes: Self.prefixes) {
            tx in
            (
                try tx.rows.tasks(BoardFilter(), epic: .epic(epicID)).map(\.title),
                try tx.rows.tasks(BoardFilter(), epic: .none).map(\.title),
                try tx.rows.tasks(BoardFilter(assignedTo: "none"), epic: .any).map(\.title),
                try tx.rows.tasks(BoardFilter(assignedTo: "API:DEV"), epic: .any).map(\.title),
                try tx.rows.tasks(BoardFilter(includeArchived: true), epic: .any).map(\.title),
                try tx.rows.tasks(BoardFilter(includeArchived: true, limit: 2), epic: .any).map(\.title),
                try tx.rows.epics(BoardFilter()).map(\.displayId),
                try tx.children(of: epicID).map(\.title)
            )
        }
        #expect(inEpic == ["in epic"])
        #expect(noEpic == ["unassigned"], "archived rows are left out unless asked for")
        #expect(unassigned == ["unassigned"])
        #expect(mine == ["in epic"], "the assignee compares without case")
        #expect(everything == ["in epic", "unassigned", "archived"], "sequence order")
        #expect(limited == ["in epic", "unassigned"])
        #expect(epics == ["EP-001"])
        #expect(children == ["in epic"])
    }

    @Test(arguments: BoardStoreUnderTest.all)
    func dependenciesCommentsAndActivityRoundTrip(_ implementation: BoardStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let store = seed.boardStore
        let (ids, comment) = try await store.boardWrite(now: Self.start, actor: .human, prefixes: Self.prefixes) { tx in
            let a = try Self.newTask(tx, "a").id ?? 0
            let b = try Self.newTask(tx, "b").id ?? 0
            let c = try Self.newTask(tx, "c").id ?? 0
            try tx.setDependencies(of: c, to: [b, a])
            try tx.setDependencies(of: b, to: [a])
            try tx.log(.task, c, .updated, field: "title", before: BoardTransaction.json("x"), after: BoardTransaction.json("c"))
            let comment = try tx.addComment(.task, c, displayID: "WA-003", type: .note, body: "looks good")
            return ([a, b, c], comment)
        }.0
        let (a, b, c) = (ids[0], ids[1], ids[2])
        #expect(comment.id > 0)
        let read = try await store.boardRead(prefixes: Self.prefixes) { tx in
            (
                try tx.dependencyIDs(of: c),
                try tx.rows.dependencyTasks(of: c, dependents: false).map(\.title),
                try tx.rows.dependencyTasks(of: a, dependents: true).map(\.title),
                try tx.rows.dependencyDisplayIDs(of: [b, c]),
                try tx.task(try tx.requireTask("WA-3")).dependsOn,
                try tx.cyclePath(adding: [c], to: a),
                try tx.comments(.task, c, displayID: "WA-003").map(\.body),
                try tx.activity(.task, c, displayID: "WA-003").map(\.action)
            )
        }
        #expect(read.0 == [a, b].sorted())
        #expect(read.1 == ["a", "b"])
        #expect(read.2 == ["b", "c"])
        #expect(read.3[b] == ["WA-001"])
        #expect(read.3[c].map { Set($0) } == ["WA-001", "WA-002"])
        #expect(read.4 == ["WA-001", "WA-002"])
        #expect(read.5 == [a, c, a], "a → c → a would close a cycle")
        #expect(read.6 == ["looks good"])
        #expect(read.7 == [.updated, .commented])
    }

    @Test(arguments: BoardStoreUnderTest.all)
    func everyFieldOfATaskAndAnEpicComesBackAsWritten(_ implementation: BoardStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let dev = try await seed.addAgent("api:dev")
        let store = seed.boardStore
        let later = Self.start.addingTimeInterval(90.5)
        let (writtenTask, writtenEpic) = try await store.boardWrite(now: Self.start, actor: .human, prefixes: Self.prefixes) { tx in
            var epic = try Self.newEpic(tx, "Auth", assignee: dev)
            epic.details = "all of it"
            epic.status = BoardStatus.review.rawValue
            epic.closeApproval = CloseApprovalStatus.pending.rawValue
            epic.closeRequestedAt = later
            epic.closeRequestedBy = dev.address.description
            epic.closeRequestedByAgentId = dev.id.rawValue
            epic.githubUrl = "https://github.com/o/r/issues/7"
            epic.githubNumber = 7
            epic.githubTitle = "Auth epic"
            try tx.update(epic)
            var task = try Self.newTask(tx, "Login", assignee: dev, epic: epic.id)
            task.details = "with \"quotes\", 'apostrophes' and ünïcödé"
            task.status = BoardStatus.completed.rawValue
            task.priority = BoardPriority.p0.rawValue
            task.effort = BoardEffort.xl.rawValue
            task.completedAt = later
            task.archivedAt = later
            task.archivedBy = "human-web"
            task.branch = "wa-001-login"
            task.updatedAt = later
            try tx.update(task)
            return (try tx.task(task), epic.domain)
        }.0
        let (task, epic) = try await store.boardRead(prefixes: Self.prefixes) { tx in
            (try tx.task(try tx.requireTask("WA-001")), try tx.requireEpic("ep-1").domain)
        }
        #expect(task == writtenTask)
        #expect(epic == writtenEpic)
        #expect(task.epicDisplayID == "EP-001")
        #expect(epic.closeApproval.status == .pending && epic.closeApproval.requestedByAgentID == dev.id)
    }

    @Test(arguments: BoardStoreUnderTest.all)
    func anExportThatDoesNotFitTogetherIsRefusedWhole(_ implementation: BoardStoreUnderTest) async throws {
        let seed = try await implementation.open()
        _ = try await seed.boardStore.boardWrite(now: Self.start, actor: .human, prefixes: Self.prefixes) { tx in
            let task = try Self.newTask(tx, "Login")
            _ = try tx.addComment(.task, task.id ?? 0, displayID: task.displayId, type: .note, body: "noted")
        }
        let snapshot = try await seed.boardStore.boardRead(prefixes: Self.prefixes) { tx in try tx.snapshot() }
        var twice = snapshot
        twice.tasks.append(snapshot.tasks[0])
        var dangling = snapshot
        dangling.dependencies = [BoardDependency(taskID: snapshot.tasks[0].id, dependsOnTaskID: 99, createdBy: "human-web", createdAt: Self.start)]
        let other = try await implementation.open()

        for export in [twice, dangling] {
            let error = await #expect(throws: DomainError.self) {
                _ = try await other.boardStore.boardWrite(now: Self.start, actor: .human, prefixes: Self.prefixes) { tx in try tx.restore(export) }
            }
            #expect(error?.code == .invalidArgument, "\(error?.message ?? "")")
        }
        let counts = try await other.boardStore.boardRead(prefixes: Self.prefixes) { tx in try tx.rows.rowCounts() }
        #expect(counts.isEmpty, "nothing of a refused import stays")
    }

    @Test(arguments: BoardStoreUnderTest.all)
    func agentsAndMutesAreReadInsideTheChange(_ implementation: BoardStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let dev = try await seed.addAgent("api:dev")
        let qa = try await seed.addAgent("api:qa")
        try await seed.mute(qa)

        let (found, devMuted, qaMuted, unknown, names) = try await seed.boardStore.boardRead(prefixes: Self.prefixes) { tx in
            let unknown: DomainError.Code?
            do {
                _ = try tx.agent("api:nobody", field: "assignedTo")
                unknown = nil
            } catch let error as DomainError {
                unknown = error.code
            }
            return (
                try tx.agent(" API:Dev ", field: "assignedTo").id, try tx.rows.isMuted(dev.id), try tx.rows.isMuted(qa.id), unknown,
                try tx.rows.agents().map(\.address.description)
            )
        }

        #expect(found == dev.id, "an address compares without case")
        #expect(!devMuted && qaMuted)
        #expect(unknown == .agentNotFound)
        #expect(names == ["api:dev", "api:qa"])
    }

    @Test(arguments: WorkspaceStoreUnderTest.all)
    func deletingAnAgentDetachesItFromTheBoard(_ implementation: WorkspaceStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let dev = try await seed.addAgent("api:dev")
        let store = seed.boardStore
        let (taskID, epicID) = try await store.boardWrite(now: Self.start, actor: .human, prefixes: Self.prefixes) { tx in
            var epic = try Self.newEpic(tx, "Auth", assignee: dev)
            epic.creatorAgentId = dev.id.rawValue
            epic.closeRequestedByAgentId = dev.id.rawValue
            epic.closeRequestedBy = dev.address.description
            try tx.update(epic)
            var task = try Self.newTask(tx, "Login", assignee: dev)
            task.creatorAgentId = dev.id.rawValue
            try tx.update(task)
            let id = task.id ?? 0
            _ = try tx.rows.insert(
                BoardComment(
                    id: 0,
                    itemKind: .task,
                    itemID: id,
                    itemDisplayID: task.displayId,
                    author: dev.address.description,
                    authorAgentID: dev.id,
                    type: .progress,
                    body: "started",
                    createdAt: tx.now
                )
            )
            try tx.rows.insert(
                BoardActivity(
                    id: 0,
                    itemKind: .task,
                    itemID: id,
                    itemDisplayID: task.displayId,
                    actor: dev.address.description,
                    actorAgentID: dev.id,
                    action: .updated,
                    field: "status",
                    before: nil,
                    after: nil,
                    createdAt: tx.now
                )
            )
            return (id, epic.id ?? 0)
        }.0

        _ = try await seed.workspaceStore.deleteAgent(dev.address, force: true, now: Self.start)

        let (task, epic, comments, activity) = try await store.boardRead(prefixes: Self.prefixes) { tx in
            (
                try tx.rows.task(id: taskID), try tx.rows.epic(id: epicID), try tx.comments(.task, taskID, displayID: "WA-001"),
                try tx.activity(.task, taskID, displayID: "WA-001")
            )
        }
        #expect(task?.assigneeAgentId == nil && task?.creatorAgentId == nil)
        #expect(task?.assigneeAddress == "api:dev", "the address it showed stays")
        #expect(epic?.assigneeAgentId == nil && epic?.creatorAgentId == nil && epic?.closeRequestedByAgentId == nil)
        #expect(epic?.closeRequestedBy == "api:dev")
        #expect(comments.map(\.authorAgentID) == [nil] && comments.map(\.author) == ["api:dev"])
        #expect(activity.map(\.actorAgentID) == [nil])
    }

    @Test(arguments: BoardStoreUnderTest.all)
    func anExportRestoresIntoAnEmptyBoardOnly(_ implementation: BoardStoreUnderTest) async throws {
        let seed = try await implementation.open()
        let dev = try await seed.addAgent("api:dev")
        let store = seed.boardStore
        _ = try await store.boardWrite(now: Self.start, actor: .human, prefixes: Self.prefixes) { tx in
            let epic = try Self.newEpic(tx, "Auth", assignee: dev)
            let task = try Self.newTask(tx, "Login", assignee: dev, epic: epic.id)
            _ = try tx.addComment(.task, task.id ?? 0, displayID: task.displayId, type: .progress, body: "half way")
        }
        let snapshot = try await store.boardRead(prefixes: Self.prefixes) { tx in try tx.snapshot() }
        #expect(snapshot.taskPrefix == "WA" && snapshot.taskSequence == 1 && snapshot.epicSequence == 1)
        #expect(snapshot.tasks.map(\.epicDisplayID) == ["EP-001"])

        await #expect(throws: DomainError.self) {
            _ = try await store.boardWrite(now: Self.start, actor: .human, prefixes: Self.prefixes) { tx in try tx.restore(snapshot) }
        }
        let other = try await implementation.open()
        let otherDev = try await other.addAgent("api:dev")
        _ = try await other.boardStore.boardWrite(now: Self.start, actor: .human, prefixes: Self.prefixes) { tx in try tx.restore(snapshot) }
        let copy = try await other.boardStore.boardRead(prefixes: Self.prefixes) { tx in try tx.snapshot() }
        // Agents are matched by address: the copy names this workspace's agent.
        #expect(copy.tasks.map(\.assigneeAgentID) == [otherDev.id])
        let withoutAgentIDs = { (tasks: [BoardTask]) in
            tasks.map { task in
                var task = task
                task.assigneeAgentID = nil
                return task
            }
        }
        #expect(withoutAgentIDs(copy.tasks) == withoutAgentIDs(snapshot.tasks))
        #expect(copy.epics.map(\.displayID) == snapshot.epics.map(\.displayID))
        #expect(copy.comments.map(\.body) == ["half way"])
        let next = try await other.boardStore.boardWrite(now: Self.start, actor: .human, prefixes: Self.prefixes) { tx in
            try tx.nextSequence(.task)
        }.0
        #expect(next == 2, "the counters continue after the restored rows")
    }
}
