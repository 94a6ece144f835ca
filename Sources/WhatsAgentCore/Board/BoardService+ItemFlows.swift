import Foundation

extension BoardService {
    // MARK: - One path for tasks and epics

    /// Creates an item (`create_kanban_task`, `create_kanban_epic`) as `actor`; its kind decides what the row holds and
    /// who is notified.
    package func create<Item: BoardItem>(
        _: Item.Type,
        _ draft: Item.Draft,
        by actor: BoardActor,
        workspace: String? = nil
    ) async throws
        -> BoardChange<Item>
    {
        let fields = try BoardItemFields(draft)
        try Item.check(draft)
        return try await self.change(actor, workspace, writesText: true, target: nil) { tx, _ in
            try Item.insert(draft, fields, tx)
        }
    }

    /// An item with what its detail view adds (`read_kanban_task`, `read_kanban_epic`).
    package func detail<Item: BoardItem>(
        _: Item.Type,
        _ reference: String,
        by actor: BoardActor,
        workspace: String? = nil
    ) async throws
        -> Item.Detail
    {
        try await self.read(actor, workspace) { tx in
            try Item.detail(try Item.Record.require(reference, tx), tx)
        }
    }

    /// Items matching `filter`, in sequence order (`list_kanban_tasks`, `list_kanban_epics`).
    package func list<Item: BoardItem>(
        _: Item.Type,
        _ filter: BoardFilter = BoardFilter(),
        by actor: BoardActor,
        workspace: String? = nil
    ) async throws
        -> [Item]
    {
        try Self.checkListLimit(filter.limit)
        return try await self.read(actor, workspace) { tx in
            try Item.list(filter, tx)
        }
    }

    /// Applies a field-level patch (`update_kanban_task`, `update_kanban_epic`); fields the patch leaves nil are not
    /// touched.
    package func update<Item: BoardItem>(
        _: Item.Type,
        _ reference: String,
        _ patch: Item.Patch,
        by actor: BoardActor,
        workspace: String? = nil
    ) async throws -> BoardChange<Item> {
        try Item.check(patch)
        return try await self.change(
            actor,
            workspace,
            writesText: Item.writesText(patch),
            target: Self.itemTarget(Item.Record.self, reference, actor)
        ) { tx, _ in
            var record = try Item.Record.require(reference, tx)
            try Item.checkChangeable(record, "edit it")
            return try Item.apply(patch, to: &record, tx)
        }
    }

    /// Moves an item to `status` (`update_kanban_task_status`, `update_kanban_epic_status`). Under an own-assignment
    /// grant in `enforce` mode only the moves of reference §13.2 are allowed.
    package func move<Item: BoardItem>(
        _: Item.Type,
        _ reference: String,
        to status: BoardStatus,
        by actor: BoardActor,
        workspace: String? = nil
    ) async throws -> BoardChange<Item> {
        let tool = Item.tool(.move)
        return try await self.change(actor, workspace, target: Self.itemTarget(Item.Record.self, reference, actor)) { tx, auth in
            var record = try Item.Record.require(reference, tx)
            try Item.checkChangeable(record, "move it")
            let current = try Self.checkMove(record, to: status, auth, tx, tool: tool)
            return try Item.move(&record, from: current, to: status, tx)
        }
    }
}
