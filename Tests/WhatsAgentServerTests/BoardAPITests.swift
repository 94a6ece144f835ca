import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WhatsAgentAPI

@testable import WhatsAgentServer

/// The board's REST routes as the human, in-process: every route's success and refusals, and every response checked
/// against the OpenAPI document's schema for its operation.
@Suite struct BoardAPITests {
    static let board = "/api/v1/workspaces/{workspace}/board"

    /// Sends one request, expects `status`, checks the body against the document and decodes it.
    struct API {
        let client: any TestClientProtocol
        let schema: OpenAPISchemaCheck

        /// `path` is the real URI; `template` the documented path (with `{workspace}` etc.).
        func call<T: Decodable>(
            _ method: HTTPRequest.Method,
            _ path: String,
            _ template: String,
            json: String? = nil,
            expect status: HTTPResponse.Status = .ok,
            as type: T.Type,
            sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> T {
            let (got, body) = try await self.client.send(method, path, json: json)
            #expect(got == status, "\(method) \(path): \(String(decoding: body, as: UTF8.self))", sourceLocation: sourceLocation)
            let problems = try self.schema.problems(body, method.rawValue, template, Int(got.code))
            #expect(problems.isEmpty, "\(method) \(template) \(got.code): \(problems)", sourceLocation: sourceLocation)
            return try decode(T.self, body)
        }

        func call<T: Decodable, Body: Encodable>(
            _ method: HTTPRequest.Method,
            _ path: String,
            _ template: String,
            body: Body,
            expect status: HTTPResponse.Status = .ok,
            as type: T.Type,
            sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> T {
            let json = String(decoding: try WireJSON.encoder().encode(body), as: UTF8.self)
            return try await self.call(method, path, template, json: json, expect: status, as: type, sourceLocation: sourceLocation)
        }

        /// Expects an error envelope with `status` and `code`; returns its message.
        @discardableResult
        func refused(
            _ method: HTTPRequest.Method,
            _ path: String,
            json: String? = nil,
            _ status: HTTPResponse.Status,
            _ code: String,
            sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> String {
            let (got, body) = try await self.client.send(method, path, json: json)
            #expect(got == status, "\(method) \(path): \(String(decoding: body, as: UTF8.self))", sourceLocation: sourceLocation)
            #expect(try self.schema.problems(body, component: "APIErrorBody").isEmpty, sourceLocation: sourceLocation)
            let error = try decode(APIErrorBody.self, body).error
            #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
            return error.message
        }

        func refused<Body: Encodable>(
            _ method: HTTPRequest.Method,
            _ path: String,
            body: Body,
            _ status: HTTPResponse.Status,
            _ code: String,
            sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> String {
            let json = String(decoding: try WireJSON.encoder().encode(body), as: UTF8.self)
            return try await self.refused(method, path, json: json, status, code, sourceLocation: sourceLocation)
        }
    }

    /// A workspace `name` with repo `api` and agents `api:main` (pm), `api:dev` and `api:ops` (engineers).
    static func setUp(_ client: any TestClientProtocol, workspace name: String = "w") async throws -> API {
        let directory = FileManager.default.temporaryDirectory.path
        #expect(try await client.send(.post, "/api/v1/workspaces", body: CreateWorkspaceRequest(name: name)).0 == .created)
        _ = try await client.send(.post, "/api/v1/workspaces/\(name)/repos", body: CreateRepoRequest(path: directory, name: "api"))
        for agent in ["api:main", "api:dev", "api:ops"] {
            let (status, _) = try await client.send(.post, "/api/v1/workspaces/\(name)/agents", body: CreateAgentRequest(address: agent))
            #expect(status == .created)
        }
        return API(client: client, schema: try OpenAPISchemaCheck())
    }

    // MARK: - Tasks

    @Test func tasksAreCreatedListedShownPatchedMovedCommentedAndArchived() async throws {
        try await withSocketAPI { client, _ in
            let api = try await Self.setUp(client)
            let tasks = "/api/v1/workspaces/w/board/tasks"
            let first = try await api.call(
                .post,
                tasks,
                Self.board + "/tasks",
                body: CreateBoardTaskRequest(title: "Design the schema", assignedTo: "api:dev", details: "tables first"),
                expect: .created,
                as: BoardTaskChange.self
            )
            #expect(first.task.displayId == "WA-001" && first.task.creator == "human-web")
            #expect(first.task.status == .backlog && first.task.priority == .p2 && first.task.effort == .m)
            #expect(first.notified == ["api:dev"])
            let second = try await api.call(
                .post,
                tasks,
                Self.board + "/tasks",
                body: CreateBoardTaskRequest(
                    title: "Write the API",
                    assignedTo: "api:ops",
                    status: .queued,
                    priority: .p1,
                    effort: .l,
                    githubUrl: "https://github.com/o/r/issues/7",
                    githubNumber: 7,
                    githubTitle: "API",
                    dependsOnTaskIds: ["wa-1"]
                ),
                expect: .created,
                as: BoardTaskChange.self
            )
            #expect(second.task.displayId == "WA-002" && second.task.dependsOnTaskIds == ["WA-001"])

            // Lookups accept any case, no padding, and the row id.
            let byLoose = try await api.call(.get, tasks + "/wa-2", Self.board + "/tasks/{task}", as: BoardTaskDetail.self)
            let byRow = try await api.call(.get, tasks + "/\(second.task.id)", Self.board + "/tasks/{task}", as: BoardTaskDetail.self)
            #expect(byLoose.task == second.task && byRow.task == second.task)
            #expect(byLoose.dependencies.map(\.displayId) == ["WA-001"])
            let dependedOn = try await api.call(.get, tasks + "/WA-001", Self.board + "/tasks/{task}", as: BoardTaskDetail.self)
            #expect(dependedOn.dependedBy.map(\.displayId) == ["WA-002"])

            // Filters.
            let all = try await api.call(.get, tasks, Self.board + "/tasks", as: BoardTaskList.self)
            #expect(all.tasks.map(\.displayId) == ["WA-001", "WA-002"])
            let queued = try await api.call(.get, tasks + "?status=queued", Self.board + "/tasks", as: BoardTaskList.self)
            let ops = try await api.call(.get, tasks + "?assignedTo=API:OPS&priority=p1", Self.board + "/tasks", as: BoardTaskList.self)
            let limited = try await api.call(.get, tasks + "?limit=1", Self.board + "/tasks", as: BoardTaskList.self)
            #expect(queued.tasks.map(\.displayId) == ["WA-002"] && ops.tasks.map(\.displayId) == ["WA-002"])
            #expect(limited.tasks.map(\.displayId) == ["WA-001"])

            // Field patches: two edits of different fields both land; explicit null clears a GitHub field.
            let retitled = try await api.call(
                .patch,
                tasks + "/WA-2",
                Self.board + "/tasks/{task}",
                json: #"{"title":"Write the REST API"}"#,
                as: BoardTaskChange.self
            )
            let reprioritised = try await api.call(
                .patch,
                tasks + "/WA-2",
                Self.board + "/tasks/{task}",
                json: #"{"priority":"P0","githubNumber":null}"#,
                as: BoardTaskChange.self
            )
            #expect(retitled.changedFields == ["title"])
            #expect(Set(reprioritised.changedFields) == ["priority", "githubNumber"])
            #expect(reprioritised.task.title == "Write the REST API" && reprioritised.task.priority == .p0)
            #expect(reprioritised.task.githubNumber == nil && reprioritised.task.githubUrl == "https://github.com/o/r/issues/7")

            // Starting work with an unfinished dependency warns but moves.
            let started = try await api.call(
                .put,
                tasks + "/WA-2/status",
                Self.board + "/tasks/{task}/status",
                body: BoardStatusRequest(status: .inProgress),
                as: BoardTaskChange.self
            )
            #expect(started.task.status == .inProgress && started.changedFields == ["status"])
            #expect(started.warnings.contains { $0.contains("WA-001") })
            #expect(started.notified.isEmpty, "reference §13.4: no event for In Progress")
            let review = try await api.call(
                .put,
                tasks + "/WA-2/status",
                Self.board + "/tasks/{task}/status",
                body: BoardStatusRequest(status: .review),
                as: BoardTaskChange.self
            )
            #expect(review.notified == ["api:ops"] && review.warnings.isEmpty)

            let comment = try await api.call(
                .post,
                tasks + "/WA-2/comments",
                Self.board + "/tasks/{task}/comments",
                body: BoardCommentRequest(type: .blocker, body: "waiting for the schema"),
                expect: .created,
                as: BoardCommentChange.self
            )
            #expect(comment.comment.itemId == "WA-002" && comment.comment.author == "human-web" && comment.comment.type == .blocker)

            // Archive hides it from the list, twice is a no-op, unarchive brings it back.
            let archived = try await api.call(.post, tasks + "/WA-2/archive", Self.board + "/tasks/{task}/archive", as: BoardTaskChange.self)
            let again = try await api.call(.post, tasks + "/WA-2/archive", Self.board + "/tasks/{task}/archive", as: BoardTaskChange.self)
            #expect(archived.task.archivedBy == "human-web" && !archived.changedFields.isEmpty && again.changedFields.isEmpty)
            let visible = try await api.call(.get, tasks, Self.board + "/tasks", as: BoardTaskList.self)
            let everything = try await api.call(.get, tasks + "?includeArchived=true", Self.board + "/tasks", as: BoardTaskList.self)
            #expect(visible.tasks.map(\.displayId) == ["WA-001"] && everything.tasks.count == 2)
            let back = try await api.call(.post, tasks + "/WA-2/unarchive", Self.board + "/tasks/{task}/unarchive", as: BoardTaskChange.self)
            #expect(back.task.archivedAt == nil)

            let detail = try await api.call(.get, tasks + "/WA-2", Self.board + "/tasks/{task}", as: BoardTaskDetail.self)
            #expect(detail.comments.map(\.body) == ["waiting for the schema"])
            #expect(detail.activity.contains { $0.field == "priority" && $0.before == #""P1""# && $0.after == #""P0""# })
            #expect(detail.activity.contains { $0.action == "archived" } && detail.activity.contains { $0.action == "unarchived" })
        }
    }

    @Test func concurrentPatchesOfDifferentFieldsAllLand() async throws {
        try await withSocketAPI { client, _ in
            let api = try await Self.setUp(client)
            let tasks = "/api/v1/workspaces/w/board/tasks"
            _ = try await api.call(
                .post,
                tasks,
                Self.board + "/tasks",
                body: CreateBoardTaskRequest(title: "t", assignedTo: "api:dev"),
                expect: .created,
                as: BoardTaskChange.self
            )
            let patches = [#"{"title":"renamed"}"#, #"{"details":"more"}"#, #"{"priority":"P0"}"#, #"{"effort":"XL"}"#, #"{"status":"Review"}"#]
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for patch in patches {
                    group.addTask { try await client.send(.patch, tasks + "/WA-1", json: patch).0 }
                }
                for try await status in group { #expect(status == .ok) }
            }
            let task = try await api.call(.get, tasks + "/WA-1", Self.board + "/tasks/{task}", as: BoardTaskDetail.self).task
            #expect(task.title == "renamed" && task.details == "more" && task.priority == .p0 && task.effort == .xl && task.status == .review)
        }
    }

    @Test func taskRefusalsAreClearErrors() async throws {
        try await withSocketAPI { client, _ in
            let api = try await Self.setUp(client)
            let tasks = "/api/v1/workspaces/w/board/tasks"
            _ = try await api.call(
                .post,
                tasks,
                Self.board + "/tasks",
                body: CreateBoardTaskRequest(title: "a", assignedTo: "api:dev"),
                expect: .created,
                as: BoardTaskChange.self
            )
            _ = try await api.call(
                .post,
                tasks,
                Self.board + "/tasks",
                body: CreateBoardTaskRequest(title: "b", assignedTo: "api:dev", dependsOnTaskIds: ["WA-1"]),
                expect: .created,
                as: BoardTaskChange.self
            )

            try await api.refused(.get, tasks + "/WA-99", .notFound, "not_found")
            try await api.refused(.get, tasks + "/WA-x", .badRequest, "invalid_argument")
            try await api.refused(.get, "/api/v1/workspaces/nope/board/tasks", .notFound, "workspace_not_found")
            try await api.refused(.post, tasks, body: CreateBoardTaskRequest(title: "c", assignedTo: "api:ghost"), .notFound, "agent_not_found")
            try await api.refused(
                .post,
                tasks,
                body: CreateBoardTaskRequest(title: String(repeating: "x", count: 501), assignedTo: "api:dev"),
                .badRequest,
                "invalid_argument"
            )
            try await api.refused(.post, tasks, json: #"{"title":"c","assignedTo":"api:dev","status":"Doing"}"#, .badRequest, "invalid_request")
            try await api.refused(.post, tasks, json: #"{"title":"c""#, .badRequest, "invalid_request")
            try await api.refused(.post, tasks, json: #"{"assignedTo":"api:dev"}"#, .badRequest, "invalid_request")
            try await api.refused(.post, "/api/v1/workspaces/w/board/epics", json: #"{"title":"e"}"#, .badRequest, "invalid_request")
            try await api.refused(
                .post,
                tasks,
                body: CreateBoardTaskRequest(title: "c", assignedTo: "api:dev", epicId: "EP-9"),
                .notFound,
                "not_found"
            )
            let selfDependency = try await api.refused(
                .patch,
                tasks + "/WA-1",
                body: UpdateBoardTaskRequest(dependsOnTaskIds: ["WA-1"]),
                .badRequest,
                "invalid_argument"
            )
            let cycle = try await api.refused(
                .patch,
                tasks + "/WA-1",
                body: UpdateBoardTaskRequest(dependsOnTaskIds: ["WA-2"]),
                .badRequest,
                "invalid_argument"
            )
            #expect(selfDependency.contains("WA-001") && cycle.contains("WA-002"))
            try await api.refused(.put, tasks + "/WA-1/status", json: #"{"status":"Done"}"#, .badRequest, "invalid_request")
            try await api.refused(.put, tasks + "/WA-9/status", body: BoardStatusRequest(status: .review), .notFound, "not_found")
            try await api.refused(.post, tasks + "/WA-1/comments", json: #"{"type":"shout","body":"x"}"#, .badRequest, "invalid_request")
            try await api.refused(
                .post,
                tasks + "/WA-1/comments",
                body: BoardCommentRequest(type: .note, body: ""),
                .badRequest,
                "invalid_argument"
            )
            try await api.refused(.post, tasks + "/WA-9/archive", .notFound, "not_found")
            try await api.refused(.post, tasks + "/WA-9/unarchive", .notFound, "not_found")
            try await api.refused(.get, tasks + "?status=Doing", .badRequest, "invalid_argument")
            try await api.refused(.get, tasks + "?priority=P9", .badRequest, "invalid_argument")
            try await api.refused(.get, tasks + "?limit=0", .badRequest, "invalid_argument")
            try await api.refused(.get, tasks + "?limit=many", .badRequest, "invalid_argument")
            try await api.refused(.get, tasks + "?includeArchived=maybe", .badRequest, "invalid_argument")
            try await api.refused(.get, tasks + "?epicId=EP-4", .notFound, "not_found")
            try await api.refused(.get, tasks + "/search", .badRequest, "invalid_argument")
            try await api.refused(.get, tasks + "/search?query=a", .badRequest, "invalid_argument")

            // Nothing half-written: still two tasks, WA-1 without dependencies.
            let list = try await api.call(.get, tasks, Self.board + "/tasks", as: BoardTaskList.self)
            #expect(list.tasks.map(\.displayId) == ["WA-001", "WA-002"] && list.tasks[0].dependsOnTaskIds.isEmpty)
        }
    }

    // MARK: - Epics

    @Test func epicsCloseThroughApprovalAndArchiveAfterTheirTasks() async throws {
        try await withSocketAPI { client, _ in
            let api = try await Self.setUp(client)
            let epics = "/api/v1/workspaces/w/board/epics"
            let tasks = "/api/v1/workspaces/w/board/tasks"
            let created = try await api.call(
                .post,
                epics,
                Self.board + "/epics",
                body: CreateBoardEpicRequest(title: "Login", assignedTo: "api:main", priority: .p1),
                expect: .created,
                as: BoardEpicChange.self
            )
            #expect(created.epic.displayId == "EP-001" && created.epic.closeApproval.status == .none)
            _ = try await api.call(
                .post,
                tasks,
                Self.board + "/tasks",
                body: CreateBoardTaskRequest(title: "form", assignedTo: "api:dev", epicId: "ep-1"),
                expect: .created,
                as: BoardTaskChange.self
            )
            let listed = try await api.call(.get, epics + "?assignedTo=api:main", Self.board + "/epics", as: BoardEpicList.self)
            #expect(listed.epics.map(\.displayId) == ["EP-001"])
            let inEpic = try await api.call(.get, tasks + "?epicId=EP-001", Self.board + "/tasks", as: BoardTaskList.self)
            let loose = try await api.call(.get, tasks + "?epicId=none", Self.board + "/tasks", as: BoardTaskList.self)
            #expect(inEpic.tasks.map(\.displayId) == ["WA-001"] && loose.tasks.isEmpty)

            let edited = try await api.call(
                .patch,
                epics + "/EP-1",
                Self.board + "/epics/{epic}",
                body: UpdateBoardEpicRequest(details: "OAuth too"),
                as: BoardEpicChange.self
            )
            #expect(edited.changedFields == ["details"])
            let commented = try await api.call(
                .post,
                epics + "/EP-1/comments",
                Self.board + "/epics/{epic}/comments",
                body: BoardCommentRequest(type: .note, body: "scope ok"),
                expect: .created,
                as: BoardCommentChange.self
            )
            #expect(commented.comment.itemKind == .epic && commented.comment.itemId == "EP-001")

            // Completed with an open task: pending, edits refused, only approval completes it.
            let pending = try await api.call(
                .put,
                epics + "/EP-1/status",
                Self.board + "/epics/{epic}/status",
                body: BoardStatusRequest(status: .completed),
                as: BoardEpicChange.self
            )
            #expect(pending.closeApproval == BoardCloseOutcome(status: .pending, openChildren: 1, childDisplayIds: ["WA-001"]))
            #expect(pending.epic.closeApproval.status == .pending && pending.epic.status != .completed)
            try await api.refused(.patch, epics + "/EP-1", body: UpdateBoardEpicRequest(title: "x"), .conflict, "invalid_state")
            let approved = try await api.call(
                .post,
                epics + "/EP-1/close/approve",
                Self.board + "/epics/{epic}/close/approve",
                as: BoardEpicChange.self
            )
            #expect(approved.epic.status == .completed && approved.epic.closeApproval.status == .approved)
            #expect(approved.epic.closeApproval.approvedBy == "human-web")
            try await api.refused(.post, epics + "/EP-1/close/approve", .conflict, "invalid_state")
            try await api.refused(.post, epics + "/EP-1/close/cancel", .conflict, "invalid_state")

            // A request without open tasks completes at once; a pending one can be cancelled.
            _ = try await api.call(
                .post,
                epics,
                Self.board + "/epics",
                body: CreateBoardEpicRequest(title: "Empty", assignedTo: "api:main"),
                expect: .created,
                as: BoardEpicChange.self
            )
            let direct = try await api.call(
                .post,
                epics + "/EP-2/close/request",
                Self.board + "/epics/{epic}/close/request",
                as: BoardEpicChange.self
            )
            #expect(direct.closeApproval?.status == .approved && direct.epic.status == .completed)
            _ = try await api.call(
                .post,
                epics,
                Self.board + "/epics",
                body: CreateBoardEpicRequest(title: "Busy", assignedTo: "api:main", status: .inProgress),
                expect: .created,
                as: BoardEpicChange.self
            )
            _ = try await api.call(
                .post,
                tasks,
                Self.board + "/tasks",
                body: CreateBoardTaskRequest(title: "busy work", assignedTo: "api:ops", epicId: "EP-3"),
                expect: .created,
                as: BoardTaskChange.self
            )
            let requested = try await api.call(
                .post,
                epics + "/EP-3/close/request",
                Self.board + "/epics/{epic}/close/request",
                as: BoardEpicChange.self
            )
            #expect(requested.closeApproval?.status == .pending && requested.epic.closeApproval.requestedBy == "human-web")
            let cancelled = try await api.call(
                .post,
                epics + "/EP-3/close/cancel",
                Self.board + "/epics/{epic}/close/cancel",
                as: BoardEpicChange.self
            )
            #expect(cancelled.epic.closeApproval.status == .none && cancelled.epic.status == .inProgress)

            let detail = try await api.call(.get, epics + "/EP-3", Self.board + "/epics/{epic}", as: BoardEpicDetail.self)
            #expect(detail.children.map(\.displayId) == ["WA-002"] && detail.openChildren == 1)
            #expect(detail.activity.contains { $0.action == "close_approval_cancelled" })

            // Archive: refused while a task is not archived, then fine; unarchive.
            let refusal = try await api.refused(.post, epics + "/EP-3/archive", .conflict, "invalid_state")
            #expect(refusal.contains("WA-002"))
            _ = try await api.call(.post, tasks + "/WA-2/archive", Self.board + "/tasks/{task}/archive", as: BoardTaskChange.self)
            let archived = try await api.call(.post, epics + "/EP-3/archive", Self.board + "/epics/{epic}/archive", as: BoardEpicChange.self)
            #expect(archived.epic.archivedAt != nil)
            let hidden = try await api.call(.get, epics, Self.board + "/epics", as: BoardEpicList.self)
            #expect(hidden.epics.map(\.displayId) == ["EP-001", "EP-002"])
            let back = try await api.call(.post, epics + "/EP-3/unarchive", Self.board + "/epics/{epic}/unarchive", as: BoardEpicChange.self)
            #expect(back.epic.archivedAt == nil)
        }
    }

    @Test func epicRefusalsAreClearErrors() async throws {
        try await withSocketAPI { client, _ in
            let api = try await Self.setUp(client)
            let epics = "/api/v1/workspaces/w/board/epics"
            try await api.refused(
                .post,
                epics,
                body: CreateBoardEpicRequest(title: "x", assignedTo: "api:main", status: .completed),
                .badRequest,
                "invalid_argument"
            )
            try await api.refused(.post, epics, body: CreateBoardEpicRequest(title: "x", assignedTo: "nobody:here"), .notFound, "agent_not_found")
            _ = try await api.call(
                .post,
                epics,
                Self.board + "/epics",
                body: CreateBoardEpicRequest(title: "x", assignedTo: "api:main"),
                expect: .created,
                as: BoardEpicChange.self
            )
            try await api.refused(.patch, epics + "/EP-1", body: UpdateBoardEpicRequest(status: .completed), .badRequest, "invalid_argument")
            for path in ["", "/status", "/comments", "/archive", "/unarchive", "/close/request", "/close/approve", "/close/cancel"] {
                let method: HTTPRequest.Method = path.isEmpty ? .get : (path == "/status" ? .put : .post)
                let json = path == "/status" ? #"{"status":"Review"}"# : (path == "/comments" ? #"{"type":"note","body":"x"}"# : nil)
                try await api.refused(method, epics + "/EP-7" + path, json: json, .notFound, "not_found")
            }
            try await api.refused(.get, epics + "?status=nope", .badRequest, "invalid_argument")
            try await api.refused(.get, epics + "/search?query=x", .badRequest, "invalid_argument")
            try await api.refused(.get, epics + "/search?query=xx&limit=500", .badRequest, "invalid_argument")
        }
    }

    // MARK: - Search

    @Test func searchFindsTasksAndEpicsByTextAndComments() async throws {
        try await withSocketAPI { client, _ in
            let api = try await Self.setUp(client)
            let board = "/api/v1/workspaces/w/board"
            _ = try await api.call(
                .post,
                board + "/epics",
                Self.board + "/epics",
                body: CreateBoardEpicRequest(title: "Payments rollout", assignedTo: "api:main", details: "stripe integration"),
                expect: .created,
                as: BoardEpicChange.self
            )
            for (title, details) in [("Refund flow", "handle stripe refunds"), ("Login page", "email and password"), ("Audit log", "")] {
                _ = try await api.call(
                    .post,
                    board + "/tasks",
                    Self.board + "/tasks",
                    body: CreateBoardTaskRequest(title: title, assignedTo: "api:dev", details: details),
                    expect: .created,
                    as: BoardTaskChange.self
                )
            }
            _ = try await api.call(
                .post,
                board + "/tasks/WA-3/comments",
                Self.board + "/tasks/{task}/comments",
                body: BoardCommentRequest(type: .note, body: "stripe webhooks are logged here"),
                expect: .created,
                as: BoardCommentChange.self
            )
            let stripe = try await api.call(.get, board + "/tasks/search?query=stripe", Self.board + "/tasks/search", as: BoardSearchResponse.self)
            #expect(Set(stripe.results.map(\.displayId)) == ["WA-001", "WA-003"] && stripe.total == 2 && !stripe.truncated)
            #expect(stripe.results.first { $0.displayId == "WA-003" }?.matchingComment?.body == "stripe webhooks are logged here")
            let limited = try await api.call(
                .get,
                board + "/tasks/search?query=stripe&limit=1",
                Self.board + "/tasks/search",
                as: BoardSearchResponse.self
            )
            #expect(limited.results.count == 1 && limited.total == 2 && limited.truncated)
            let login = try await api.call(
                .get,
                board + "/tasks/search?query=Login%20pa&assignedTo=api:dev&status=Backlog",
                Self.board + "/tasks/search",
                as: BoardSearchResponse.self
            )
            #expect(login.results.map(\.displayId) == ["WA-002"])
            let epic = try await api.call(.get, board + "/epics/search?query=stripe", Self.board + "/epics/search", as: BoardSearchResponse.self)
            #expect(epic.results.map(\.displayId) == ["EP-001"] && epic.results.first?.kind == .epic)
            let none = try await api.call(.get, board + "/tasks/search?query=kubernetes", Self.board + "/tasks/search", as: BoardSearchResponse.self)
            #expect(none.results.isEmpty && none.total == 0)
        }
    }

    // MARK: - Export and import

    @Test func exportRendersEveryFormatAndTheJSONRoundTripsExactly() async throws {
        try await withSocketAPI { client, _ in
            let api = try await Self.setUp(client)
            _ = try await Self.setUp(client, workspace: "copy")
            let board = "/api/v1/workspaces/w/board"
            _ = try await client.send(.patch, "/api/v1/workspaces/w", body: UpdateWorkspaceRequest(kanbanPrefix: "API", epicPrefix: "MS"))
            _ = try await api.call(
                .post,
                board + "/epics",
                Self.board + "/epics",
                body: CreateBoardEpicRequest(title: "Ship, \"v1\"", assignedTo: "api:main"),
                expect: .created,
                as: BoardEpicChange.self
            )
            _ = try await api.call(
                .post,
                board + "/tasks",
                Self.board + "/tasks",
                body: CreateBoardTaskRequest(title: "Build", assignedTo: "api:dev", details: "line one\nline two", epicId: "MS-1"),
                expect: .created,
                as: BoardTaskChange.self
            )
            _ = try await api.call(
                .post,
                board + "/tasks",
                Self.board + "/tasks",
                body: CreateBoardTaskRequest(title: "Test", assignedTo: "api:ops", epicId: "MS-1", dependsOnTaskIds: ["API-1"]),
                expect: .created,
                as: BoardTaskChange.self
            )
            _ = try await api.call(
                .post,
                board + "/tasks/API-2/comments",
                Self.board + "/tasks/{task}/comments",
                body: BoardCommentRequest(type: .verdictGo, body: "ship it"),
                expect: .created,
                as: BoardCommentChange.self
            )
            _ = try await api.call(
                .put,
                board + "/epics/MS-1/status",
                Self.board + "/epics/{epic}/status",
                body: BoardStatusRequest(status: .completed),
                as: BoardEpicChange.self
            )

            let (status, exported) = try await client.send(.get, board + "/export")
            #expect(status == .ok)
            #expect(try api.schema.problems(exported, "GET", Self.board + "/export", 200).isEmpty)
            let export = try decode(BoardExport.self, exported)
            #expect(export.taskPrefix == "API" && export.epicPrefix == "MS" && export.taskSequence == 2 && export.epicSequence == 1)
            #expect(export.tasks.count == 2 && export.epics.count == 1 && export.comments.count == 1)
            #expect(export.dependencies.map(\.dependsOnTaskId) == ["API-001"] && !export.activity.isEmpty)

            let imported = try await api.call(
                .post,
                "/api/v1/workspaces/copy/board/import",
                Self.board + "/import",
                json: String(decoding: exported, as: UTF8.self),
                as: BoardImportResult.self
            )
            #expect(imported == BoardImportResult(tasks: 2, epics: 1, comments: 1, dependencies: 1, activity: export.activity.count))
            let (_, again) = try await client.send(.get, "/api/v1/workspaces/copy/board/export?format=json")
            #expect(again == exported)
            let copied = try await api.call(.get, "/api/v1/workspaces/copy/board/epics/ms-1", Self.board + "/epics/{epic}", as: BoardEpicDetail.self)
            #expect(copied.epic.closeApproval.status == .pending && copied.children.count == 2)
            let workspace = try decode(WorkspaceResponse.self, try await client.send(.get, "/api/v1/workspaces/copy").1)
            #expect(workspace.kanbanPrefix == "API" && workspace.epicPrefix == "MS")

            // The board must be empty; a broken export is refused and leaves it so.
            try await api.refused(
                .post,
                "/api/v1/workspaces/copy/board/import",
                json: String(decoding: exported, as: UTF8.self),
                .conflict,
                "invalid_state"
            )
            _ = try await Self.setUp(client, workspace: "third")
            try await api.refused(.post, "/api/v1/workspaces/third/board/import", json: #"{"version":1}"#, .badRequest, "invalid_request")
            var broken = export
            broken.comments[0].itemId = "API-404"
            try await api.refused(.post, "/api/v1/workspaces/third/board/import", body: broken, .badRequest, "invalid_argument")
            var newer = export
            newer.version = 99
            try await api.refused(.post, "/api/v1/workspaces/third/board/import", body: newer, .badRequest, "invalid_argument")
            let empty = try await api.call(.get, "/api/v1/workspaces/third/board/tasks", Self.board + "/tasks", as: BoardTaskList.self)
            #expect(empty.tasks.isEmpty)

            // CSV and Markdown, with their content types.
            let csv = try await client.execute(uri: board + "/export?format=csv", method: .get) { response in
                (response.headers[.contentType], String(buffer: response.body))
            }
            #expect(csv.0 == "text/csv; charset=utf-8")
            #expect(csv.1.hasPrefix("kind,displayId,title,status,") && csv.1.contains("\r\nepic,MS-001,\"Ship, \"\"v1\"\"\""))
            #expect(csv.1.contains("\"line one\nline two\"") && csv.1.hasSuffix("\r\n"))
            let markdown = try await client.execute(uri: board + "/export?format=markdown", method: .get) { response in
                (response.headers[.contentType], String(buffer: response.body))
            }
            #expect(markdown.0 == "text/markdown; charset=utf-8")
            #expect(markdown.1.hasPrefix("# Board of w\n"))
            for text in ["## MS-001", "pending approval", "### API-001: Build", "### API-002: Test", "Depends on: API-001", "(verdict_go): ship it"] {
                #expect(markdown.1.contains(text), "markdown lacks \(text)")
            }
            try await api.refused(.get, board + "/export?format=pdf", .badRequest, "invalid_argument")
            try await api.refused(.get, "/api/v1/workspaces/gone/board/export", .notFound, "workspace_not_found")
        }
    }
}
