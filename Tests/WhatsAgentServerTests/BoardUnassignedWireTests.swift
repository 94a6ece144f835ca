import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WhatsAgentAPI
import WhatsAgentCore

@testable import WhatsAgentServer

/// Unassigned tasks (issue 18) through the REST API and the agent tools: created without an assignee, listed with
/// `assignedTo=none`, unassigned with `none`, and shown without an `assignee` key (as the document says).
@Suite struct BoardUnassignedWireTests {
    @Test func theAPICreatesListsAndUnassignsTasksWithoutAnAssignee() async throws {
        try await withSocketAPI { client, _ in
            let api = try await BoardAPITests.setUp(client)
            let tasks = "/api/v1/workspaces/w/board/tasks"
            let template = BoardAPITests.board + "/tasks"
            let created = try await api.call(.post, tasks, template, json: #"{"title":"Triage"}"#, expect: .created, as: BoardTaskChange.self)
            #expect(created.task.assignee == nil)
            #expect(created.notified.isEmpty)
            _ = try await api.call(
                .post,
                tasks,
                template,
                body: CreateBoardTaskRequest(title: "Owned", assignedTo: "api:dev"),
                expect: .created,
                as: BoardTaskChange.self
            )

            let (_, raw) = try await client.send(.get, tasks + "/WA-1")
            let shown = try #require(try JSONSerialization.jsonObject(with: raw) as? [String: Any])
            #expect((shown["task"] as? [String: Any])?.keys.contains("assignee") == false, "no assignee key: \(String(decoding: raw, as: UTF8.self))")

            let unassigned = try await api.call(.get, tasks + "?assignedTo=none", template, as: BoardTaskList.self)
            #expect(unassigned.tasks.map(\.displayId) == ["WA-001"])

            let patched = try await api.call(
                .patch,
                tasks + "/WA-2",
                template + "/{task}",
                json: #"{"assignedTo":"none"}"#,
                as: BoardTaskChange.self
            )
            #expect(patched.task.assignee == nil)
            #expect(patched.changedFields == ["assignee"])
            #expect(patched.notified == ["api:dev"], "the agent taken off the task hears it")
            let none = try await api.call(.get, tasks + "?assignedTo=NONE", template, as: BoardTaskList.self)
            #expect(none.tasks.map(\.displayId) == ["WA-001", "WA-002"])

            let epics = "/api/v1/workspaces/w/board/epics"
            #expect(try await client.send(.post, epics, json: #"{"title":"E","assignedTo":"api:dev"}"#).0 == .created)
            try await api.refused(.patch, epics + "/EP-1", json: #"{"assignedTo":"none"}"#, .badRequest, "invalid_argument")
        }
    }

    @Test func anAgentsCreateKanbanTaskWithoutAssignedToLeavesItUnassigned() async throws {
        let tools = BoardToolTests()
        try await withSocketAPI { client, _ in
            let (main, _) = try await tools.protocolTests.setUp(client)

            let created = try await tools.call(client, main, "create_kanban_task", #"{"title":"Look into flaky CI"}"#)
            let before = try await tools.call(client, main, "list_kanban_tasks", #"{"assignedTo":"none"}"#)
            let reassigned = try await tools.call(client, main, "update_kanban_task", #"{"taskId":"WA-1","assignedTo":"api:dev"}"#)
            let after = try await tools.call(client, main, "list_kanban_tasks", #"{"assignedTo":"none"}"#)

            #expect(!created.isError, "\(created.text)")
            #expect(created.text.hasPrefix("Created WA-001 unassigned (Backlog, P2, M)"), "\(created.text)")
            guard case .object(let change)? = created.structured, case .object(let task)? = change["task"] else {
                Issue.record("no structured task: \(String(describing: created.structured))")
                return
            }
            #expect(task["assignee"] == nil, "not defaulted to the creator")
            #expect(task["creator"] == .string("api:main"))
            #expect(!reassigned.isError && reassigned.text.contains("assignee"), "\(reassigned.text)")
            #expect(before.text.contains("WA-001 [Backlog] P2 M unassigned"), "\(before.text)")
            #expect(after.text == "No tasks match.", "WA-001 has an assignee now: \(after.text)")
        }
    }
}
