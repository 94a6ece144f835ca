import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WhatsAgentAPI
import WhatsAgentCore

@testable import WhatsAgentServer

/// The board tools through the in-process agent protocol: schemas, compact text with structured content, RBAC with
/// row facts, notifications in the inbox, and bad arguments as tool errors.
@Suite struct BoardToolTests {
    let protocolTests = AgentProtocolTests()

    func call(_ client: any TestClientProtocol, _ token: String, _ tool: String, _ arguments: String) async throws -> AgentToolResult {
        let (status, body) = try await self.protocolTests.call(client, token, tool, arguments)
        #expect(status == .ok)
        return try decode(AgentToolResult.self, body)
    }

    func tools(_ client: any TestClientProtocol, _ token: String) async throws -> [AgentToolDescriptor] {
        try await client.execute(uri: "/api/v1/agent/tools", method: .get, headers: [.authorization: "Bearer \(token)"]) {
            try decode(AgentToolCatalogue.self, Data(String(buffer: $0.body).utf8)).tools
        }
    }

    @Test func everyBoardToolHasAFullSchemaWithTheFrozenArgumentNames() {
        let frozen: Set<String> = [
            "taskId", "epicId", "title", "details", "status", "priority", "effort", "assignedTo", "dependsOnTaskIds", "type", "body",
            "githubUrl", "githubNumber", "githubTitle", "includeArchived", "createdBy", "query", "limit", "branch",
        ]
        for name in AgentToolDispatcher.boardTools.sorted() {
            let definition = try? #require(AgentTools.definition(named: name))
            let schema = definition?.descriptor.inputSchema
            guard case .object(let properties)? = schema?["properties"] else {
                Issue.record("\(name) has no properties")
                continue
            }
            #expect(Set(properties.keys).isSubset(of: frozen), "\(name): \(properties.keys.sorted())")
            #expect(schema?["additionalProperties"] == .bool(false))
            #expect(Requirement.isKnown(name), "RBAC knows \(name)")
        }
        let update = AgentTools.definition(named: "update_kanban_task")?.descriptor.inputSchema["properties"]
        #expect(update?["status"]?["enum"] == ["Backlog", "Queued", "In Progress", "Blocked", "Review", "Completed"])
        #expect(update?["dependsOnTaskIds"]?["items"] == ["type": "string"])
        #expect(update?["epicId"]?["type"] == ["string", "null"])
        #expect(update?["githubNumber"]?["minimum"] == 1)
        let comment = AgentTools.definition(named: "comment_kanban_task")?.descriptor.inputSchema["properties"]
        #expect(comment?["type"]?["enum"]?.arrayCount == 6)
    }

    @Test func aPmPlansAnEngineerWorksAndIsRefusedOnSomeoneElsesTask() async throws {
        try await withSocketAPI { client, services in
            let (main, dev) = try await self.protocolTests.setUp(client)

            let devTools = Set(try await self.tools(client, dev).map(\.name))
            #expect(devTools.contains("update_kanban_task_status"))
            #expect(!devTools.contains("create_kanban_task"), "engineers do not see kanban-admin tools in enforce mode")

            let epic = try await self.call(client, main, "create_kanban_epic", #"{"title":"Checkout","assignedTo":"api:main"}"#)
            #expect(epic.text.hasPrefix("Created epic EP-001"))
            let created = try await self.call(
                client,
                main,
                "create_kanban_task",
                #"{"title":"Cart API","assignedTo":"api:dev","status":"Queued","priority":"P1","epicId":"ep-1","githubNumber":12}"#
            )
            #expect(!created.isError, "\(created.text)")
            let createdFence = UntrustedFence(nonce: try #require(created.structured?["nonce"]?.stringValue))
            #expect(
                created.text == "Created WA-001 for api:dev (Queued, P1, M) in EP-001, titled:\n\(createdFence.wrap("Cart API"))\nNotified: api:dev."
            )
            #expect(created.structured?["task"]?["title"] == .string(createdFence.wrap("Cart API")))
            #expect(created.structured?["task"]?["displayId"] == "WA-001")
            #expect(created.structured?["notified"] == ["api:dev"])
            _ = try await self.call(client, main, "create_kanban_task", #"{"title":"Pay API","assignedTo":"api:main","dependsOnTaskIds":["WA-1"]}"#)

            let inbox = try await self.call(client, dev, "check_messages", #"{"limit":10}"#)
            #expect(inbox.text.contains("kind: kanban"))
            #expect(inbox.text.contains("board item: WA-001"))
            #expect(inbox.text.contains("WA-001 was assigned to api:dev by api:main: Cart API"))

            let moved = try await self.call(client, dev, "update_kanban_task_status", #"{"taskId":"wa-1","status":"In Progress"}"#)
            #expect(moved.text == "WA-001: Queued → In Progress.")
            #expect(moved.structured?["task"]?["status"] == "In Progress")

            let refused = try await self.call(client, dev, "update_kanban_task_status", #"{"taskId":"WA-2","status":"Review"}"#)
            #expect(refused.isError)
            #expect(refused.structured?["error"]?["code"] == "rbac_denied")
            #expect(refused.text.contains("kanban_action:update_task_status"), "\(refused.text)")
            #expect(refused.text.contains("pm"))

            let ruled = try await self.call(client, dev, "update_kanban_task_status", #"{"taskId":"WA-1","status":"Completed"}"#)
            #expect(ruled.isError)
            #expect(ruled.text.contains("In Progress → Completed"), "\(ruled.text)")

            let comment = try await self.call(client, dev, "comment_kanban_task", #"{"taskId":"WA-1","type":"blocker","body":"need the DB schema"}"#)
            #expect(comment.text == "Posted a blocker comment on WA-001.\nNotified: api:main.")

            let started = try await self.call(client, main, "update_kanban_task_status", #"{"taskId":"WA-2","status":"In Progress"}"#)
            #expect(started.text.contains("Warning: WA-002 is In Progress but depends on unfinished WA-001 (In Progress)"), "\(started.text)")

            let close = try await self.call(client, main, "request_kanban_epic_close", #"{"epicId":"EP-1"}"#)
            #expect(close.text.hasPrefix("EP-001 close is pending the human's approval: 1 open task (WA-001)."))
            #expect(close.structured?["closeApproval"]?["status"] == "pending")
            let approved = try await services.board.approveEpicClose("EP-1", workspace: "w")
            #expect(approved.item.status == .completed)

            let search = try await self.call(client, dev, "search_kanban_tasks", #"{"query":"schema"}"#)
            let searchFence = UntrustedFence(nonce: try #require(search.structured?["nonce"]?.stringValue))
            #expect(
                search.text.hasSuffix(
                    "WA-001 [In Progress] api:dev — matched in comments, title:\n\(searchFence.wrap("Cart API"))\nmatch:\n\(searchFence.wrap("need the DB schema"))"
                ),
                "\(search.text)"
            )
            #expect(search.structured?["total"] == 1)

            let read = try await self.call(client, dev, "read_kanban_task", #"{"taskId":"1"}"#)
            let readFence = UntrustedFence(nonce: try #require(read.structured?["nonce"]?.stringValue))
            #expect(read.text.contains("Comments:\n- api:dev [blocker]:\n\(readFence.wrap("need the DB schema"))"), "\(read.text)")
            #expect(read.structured?["comments"]?[0]?["body"] == .string(readFence.wrap("need the DB schema")))
            #expect(read.structured?["dependedBy"]?[0]?["displayId"] == "WA-002")

            let list = try await self.call(client, dev, "list_kanban_tasks", #"{"assignedTo":"api:dev","includeArchived":true}"#)
            let listFence = UntrustedFence(nonce: try #require(list.structured?["nonce"]?.stringValue))
            #expect(
                list.text
                    == (["1 task [nonce \(listFence.nonce)]"] + listFence.legend
                    + ["", "WA-001 [In Progress] P1 M api:dev (epic EP-001), title:", listFence.wrap("Cart API")]).joined(separator: "\n")
            )

            let misses = try await services.rbac.auditEntries(workspace: "w").filter { $0.kind == "grant_miss_hard" }
            #expect(misses.map(\.tool) == ["update_kanban_task_status"], "the board checked the row's facts and audited the miss")
        }
    }

    @Test(arguments: [
        ("update_kanban_task_status", #"{"taskId":"WA-1","status":"Done"}"#, "unknown status 'Done'"),
        ("create_kanban_task", #"{"title":"x","assignedTo":"api:dev","dependsOnTaskIds":"WA-1"}"#, "list of task ids"),
        ("create_kanban_task", #"{"title":"x","assignedTo":"api:dev","githubNumber":0}"#, "≥ 1"),
        ("create_kanban_task", #"{"title":"x","assignedTo":"api:dev","owner":"me"}"#, "has no argument 'owner'"),
        ("create_kanban_task", #"{"assignedTo":"api:dev"}"#, "needs the argument 'title'"),
        ("create_kanban_epic", #"{"title":"x"}"#, "needs the argument 'assignedTo'"),
        ("list_kanban_tasks", #"{"includeArchived":"yes"}"#, "true or false"),
        ("read_kanban_task", #"{"taskId":"WA-77"}"#, "no task 'WA-77'"),
        ("comment_kanban_task", #"{"taskId":"WA-1","type":"praise","body":"x"}"#, "unknown comment type"),
        ("search_kanban_tasks", #"{"query":"x"}"#, "2 to 200 characters"),
        ("update_kanban_task", #"{"taskId":"WA-1","dependsOnTaskIds":["WA-1"]}"#, "cannot depend on itself"),
    ])
    func badArgumentsAreToolErrors(tool: String, arguments: String, expected: String) async throws {
        try await withSocketAPI { client, _ in
            let (main, _) = try await self.protocolTests.setUp(client)
            _ = try await self.call(client, main, "create_kanban_task", #"{"title":"t","assignedTo":"api:dev"}"#)

            let result = try await self.call(client, main, tool, arguments)

            #expect(result.isError)
            #expect(result.text.contains(expected), "\(result.text)")
        }
    }

    @Test func updateClearsWithNullAndReportsWhatChanged() async throws {
        try await withSocketAPI { client, _ in
            let (main, _) = try await self.protocolTests.setUp(client)
            _ = try await self.call(client, main, "create_kanban_epic", #"{"title":"E","assignedTo":"api:dev"}"#)
            _ = try await self.call(
                client,
                main,
                "create_kanban_task",
                #"{"title":"t","assignedTo":"api:dev","epicId":"EP-1","githubUrl":"https://github.com/o/r/issues/1"}"#
            )

            let cleared = try await self.call(client, main, "update_kanban_task", #"{"taskId":"WA-1","epicId":null,"githubUrl":null,"effort":"XL"}"#)
            let nothing = try await self.call(client, main, "update_kanban_task", #"{"taskId":"WA-1","effort":"xl"}"#)

            #expect(cleared.text.hasPrefix("Updated WA-001: effort, epic, githubUrl."), "\(cleared.text)")
            #expect(cleared.structured?["task"]?["epicId"] == nil)
            #expect(nothing.text == "WA-001: nothing changed.")
        }
    }
}

extension JSONValue {
    fileprivate var arrayCount: Int? {
        if case .array(let items) = self { return items.count }
        return nil
    }

    fileprivate subscript(index: Int) -> JSONValue? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }
}
