"""The Kanban board end to end (SPEC §4, §8, §9): agents on real `whatsagent mcp` processes driven by the official MCP
Python SDK, the human on the CLI, and every CLI `--json` output checked against the OpenAPI document.

Pushes are awaited as `notifications/claude/channel` notifications with a deadline; nothing sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import json as jsonlib
import os
from typing import Any

import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.client import NotificationBinding
from pydantic import BaseModel

from conftest import BIN, Daemon, assert_error
from test_openapi import Schemas, check_all, fetch_openapi

PUSH_TIMEOUT = 15.0
BOARD = "/api/v1/workspaces/{workspace}/board"


class ChannelParams(BaseModel):
    content: str
    meta: dict[str, str]


class Agent:
    """One agent: an MCP client session over `whatsagent mcp`, collecting channel pushes and reading its inbox."""

    def __init__(self, connection: dict[str, Any]):
        self.connection = connection
        self.address = connection["environment"]["WHATSAGENT_AGENT"]
        self.pushes: asyncio.Queue[ChannelParams] = asyncio.Queue()
        self.session: ClientSession | None = None
        self.inbox = ""  # everything check_messages returned so far

    async def on_channel(self, params: ChannelParams) -> None:
        await self.pushes.put(params)

    @contextlib.asynccontextmanager
    async def running(self):
        server = StdioServerParameters(command=BIN, args=["mcp"], env=self.connection["environment"])
        async with stdio_client(server) as (read, write):
            binding = NotificationBinding(method="notifications/claude/channel", params_type=ChannelParams, handler=self.on_channel)
            async with ClientSession(read, write, notification_bindings=[binding]) as session:
                await session.initialize()
                self.session = session
                yield self

    async def call(self, tool: str, **arguments: Any) -> Any:
        assert self.session is not None
        return await self.session.call_tool(tool, arguments)

    async def ok(self, tool: str, **arguments: Any) -> dict:
        """Calls a tool that must succeed; returns its structured content."""
        result = await self.call(tool, **arguments)
        assert not result.is_error, f"{self.address} {tool}({arguments}): {text_of(result)}"
        return result.structured_content

    async def next_push(self) -> ChannelParams:
        return await asyncio.wait_for(self.pushes.get(), timeout=PUSH_TIMEOUT)

    async def receive(self, *fragments: str) -> ChannelParams:
        """Waits for a push, then reads the inbox (check_messages) until every fragment has appeared, awaiting
        further pushes in between. Returns the first push."""
        first = await self.next_push()
        while True:
            self.inbox += text_of(await self.call("check_messages"))
            if all(fragment in self.inbox for fragment in fragments):
                return first
            await self.next_push()


def text_of(result: Any) -> str:
    return "".join(getattr(block, "text", "") for block in result.content)


@pytest.fixture
def team(daemon: Daemon, make_dir) -> Daemon:
    """Workspace `team` (current) with api:main (pm, main), api:dev and api:ops (engineers), api:rev (reviewer)."""
    daemon.cli("workspace", "add", "team")
    daemon.cli("workspace", "use", "team")
    daemon.cli("repo", "add", make_dir(), "--name", "api")
    daemon.cli("agent", "add", "api:main", "--main")
    daemon.cli("agent", "add", "api:dev")
    daemon.cli("agent", "add", "api:ops")
    daemon.cli("agent", "add", "api:rev", "--role", "reviewer")
    return daemon


def connect(daemon: Daemon, address: str) -> Agent:
    return Agent(daemon.cli("agent", "connect", address, json=True))


def test_a_pm_plans_engineers_work_a_reviewer_approves_and_the_human_closes_the_epic(team: Daemon, make_dir):
    pm, dev, ops, rev = (connect(team, address) for address in ("api:main", "api:dev", "api:ops", "api:rev"))

    async def scenario():
        async with pm.running(), dev.running(), ops.running(), rev.running():
            # The pm plans: an epic and three dependent tasks for two engineers.
            epic = (await pm.ok("create_kanban_epic", title="Checkout", assignedTo="api:main", details="Pay for an order"))["epic"]
            assert epic["displayId"] == "EP-001"
            specs = [
                ("Cart API", "api:dev", []),
                ("Payment provider", "api:ops", ["WA-001"]),
                ("Receipt e-mail", "api:dev", ["WA-002"]),
            ]
            for title, assignee, depends in specs:
                change = await pm.ok(
                    "create_kanban_task", title=title, assignedTo=assignee, epicId="EP-001", status="Queued",
                    dependsOnTaskIds=depends, priority="P1",
                )
                assert change["notified"] == [assignee], change
            assert [task["dependsOnTaskIds"] for task in (await pm.ok("list_kanban_tasks"))["tasks"]] == [[], ["WA-001"], ["WA-002"]]

            # The engineers get pushed assignment notifications and read them.
            push = await dev.receive("WA-001 was assigned to api:dev", "WA-003 was assigned to api:dev")
            assert push.meta["kind"] == "kanban" and push.meta.get("from", "whatsagent") == "whatsagent", push.meta
            push = await ops.receive("WA-002 was assigned to api:ops")
            assert push.meta["kind"] == "kanban", push.meta

            # They move their own tasks; starting with an unfinished dependency warns.
            await dev.ok("update_kanban_task_status", taskId="WA-001", status="In Progress")
            started = await ops.ok("update_kanban_task_status", taskId="wa-2", status="In Progress")
            assert any("WA-001" in warning for warning in started["warnings"]), started
            await ops.ok("update_kanban_task_status", taskId="WA-002", status="Blocked")
            blocker = await ops.ok("comment_kanban_task", taskId="WA-002", type="blocker", body="waiting for the cart API")
            assert blocker["comment"]["type"] == "blocker" and "api:main" in blocker["notified"], blocker
            await dev.ok("update_kanban_task_status", taskId="WA-001", status="Review")

            # A reviewer posts a verdict.
            verdict = await rev.ok("comment_kanban_task", taskId="WA-001", type="verdict_go", body="LGTM, ship it")
            assert verdict["comment"]["author"] == "api:rev"

            # An engineer may not move someone else's task: refused, naming the missing grant.
            refused = await dev.call("update_kanban_task_status", taskId="WA-002", status="Review")
            assert refused.is_error
            assert "kanban_action:update_task_status" in text_of(refused), text_of(refused)
            assert "api:dev" in text_of(refused)

            # The pm asks to close the epic while WA-003 is open: pending approval.
            await pm.ok("update_kanban_task_status", taskId="WA-001", status="Completed")
            pending = await pm.ok("request_kanban_epic_close", epicId="EP-001")
            assert pending["closeApproval"]["status"] == "pending", pending
            assert "WA-003" in pending["closeApproval"]["childDisplayIds"], pending
            assert pending["epic"]["status"] != "Completed"

            # Only the human approves, on the CLI; the pm hears of it.
            approved = team.cli("epic", "approve-close", "EP-001", json=True)
            assert approved["epic"]["status"] == "Completed" and approved["epic"]["closeApproval"]["approvedBy"] == "human-web"
            await pm.receive("The human approved closing epic EP-001")
            again = team.cli("epic", "approve-close", "EP-001", check=False)
            assert_error(again, 1, "EP-001")

    asyncio.run(scenario())

    # The Markdown export lists it all.
    markdown = team.cli("board", "export", "--format", "markdown").stdout
    for fragment in (
        "# Board of team", "## EP-001: Checkout", "Status: **Completed**", "approved by human-web",
        "### WA-001: Cart API", "### WA-002: Payment provider", "### WA-003: Receipt e-mail",
        "Depends on: WA-001", "Depends on: WA-002", "Status: **Blocked**", "Assignee: api:ops",
        "api:ops (blocker): waiting for the cart API", "api:rev (verdict_go): LGTM, ship it",
    ):
        assert fragment in markdown, f"{fragment!r} missing from the Markdown export:\n{markdown}"

    # JSON export → import into a fresh workspace → export again: identical bytes.
    folder = make_dir()
    first, second = os.path.join(folder, "board.json"), os.path.join(folder, "again.json")
    proc = team.cli("board", "export", "--output", first)
    assert proc.stdout.strip() == f"wrote {first}"
    team.cli("workspace", "add", "copy")
    imported = team.cli("board", "import", first, "--workspace", "copy", json=True)
    assert imported["tasks"] == 3 and imported["epics"] == 1 and imported["comments"] == 2 and imported["dependencies"] == 2
    team.cli("board", "export", "--workspace", "copy", "--format", "json", "--output", second)
    with open(first, "rb") as a, open(second, "rb") as b:
        assert a.read() == b.read()
    assert team.cli("task", "show", "WA-2", "--workspace", "copy", json=True)["task"]["status"] == "Blocked"
    # An import needs an empty board.
    assert_error(team.cli("board", "import", first, "--workspace", "copy", check=False), 1, "not empty")


def test_the_human_drives_the_board_from_the_cli(team: Daemon, make_dir):
    created = team.cli("epic", "create", "Search", "--assignee", "api:main", json=True)
    assert created["epic"]["displayId"] == "EP-001"
    proc = team.cli("task", "create", "Index documents", "--assignee", "api:dev", "--epic", "EP-1", "--priority", "p1")
    assert proc.stdout.strip() == "created WA-001 for api:dev (notified api:dev)"
    details = os.path.join(make_dir(), "details.md")
    with open(details, "w", encoding="utf-8") as handle:
        handle.write("Rank with bm25.\nShow snippets.")
    team.cli("task", "create", "Query API", "--assignee", "api:ops", "--depends-on", "WA-1", "--details-file", details)

    listing = team.cli("task", "list").stdout
    assert listing.splitlines()[0].split() == ["ID", "STATUS", "PRI", "EFFORT", "ASSIGNEE", "EPIC", "TITLE"]
    assert "WA-001" in listing and "EP-001" in listing and "Query API" in listing

    moved = team.cli("task", "move", "WA-2", "in-progress")
    assert moved.stdout.strip() == "moved WA-002 to In Progress" and "WA-001" in moved.stderr  # warning on stderr
    assert team.cli("task", "edit", "WA-2", "--title", "Query API v2", "--epic", "EP-1").stdout.startswith("updated WA-002: ")
    assert team.cli("task", "comment", "WA-2", "started", "--type", "progress").stdout.startswith("commented on WA-002 (progress)")
    shown = team.cli("task", "show", "WA-2").stdout
    assert "WA-002: Query API v2" in shown and "Depends on: WA-001 (Backlog)" in shown and "Rank with bm25." in shown
    assert "(progress): started" in shown and "Activity:" in shown

    hits = team.cli("task", "search", "bm25", json=True)
    assert [hit["displayId"] for hit in hits["results"]] == ["WA-002"]
    assert team.cli("task", "search", "nothing-like-this").stdout.strip() == "no matches"

    assert team.cli("task", "archive", "WA-1").stdout.strip() == "archived WA-001"
    assert [task["displayId"] for task in team.cli("task", "list", json=True)["tasks"]] == ["WA-002"]
    assert len(team.cli("task", "list", "--archived", json=True)["tasks"]) == 2
    assert_error(team.cli("epic", "archive", "EP-1", check=False), 1, "WA-002")
    assert team.cli("task", "unarchive", "WA-1").stdout.strip() == "unarchived WA-001"

    pending = team.cli("epic", "move", "EP-1", "completed").stdout
    assert "pending approval" in pending and "approve-close EP-001" in pending
    assert team.cli("epic", "cancel-close", "EP-1").stdout.startswith("cancelled the close of EP-001")
    assert "Tasks: 2 (2 open)" in team.cli("epic", "show", "EP-1").stdout

    csv = team.cli("board", "export", "--format", "csv").stdout
    assert csv.startswith("kind,displayId,title,status,") and "task,WA-002,Query API v2,In Progress" in csv

    # Refusals: one line, the right exit code.
    assert_error(team.cli("task", "show", "WA-9", check=False), 1, "WA-9")
    assert_error(team.cli("task", "show", "WA-9", json=True, check=False), 1, json_mode=True, code="not_found")
    assert_error(team.cli("task", "move", "WA-1", "doing", check=False), 2, "In Progress")
    assert_error(team.cli("task", "create", "x", "--assignee", "api:ghost", check=False), 1, "api:ghost")
    assert_error(team.cli("epic", "approve-close", "EP-1", check=False), 1)
    assert_error(team.cli("board", "export", "--format", "pdf", check=False), 2, "pdf")
    not_export = os.path.join(make_dir(), "x.json")
    with open(not_export, "w", encoding="utf-8") as handle:
        handle.write('{"tasks": []}')
    assert_error(team.cli("board", "import", not_export, check=False), 1, "not a board export")


def test_board_cli_json_outputs_match_the_openapi_document(team: Daemon):
    schemas = Schemas(fetch_openapi(team))
    epic = team.cli("epic", "create", "Docs", "--assignee", "api:main", "--github-url", "https://x/1", "--github-number", "1", json=True)
    first = team.cli("task", "create", "Write guide", "--assignee", "api:dev", "--epic", "EP-1", json=True)
    second = team.cli("task", "create", "Review guide", "--assignee", "api:rev", "--depends-on", "WA-1", json=True)
    cases = [
        ("epic create", epic, BOARD + "/epics", "post", 201),
        ("task create", first, BOARD + "/tasks", "post", 201),
        ("task create (depends)", second, BOARD + "/tasks", "post", 201),
        ("task edit", team.cli("task", "edit", "WA-1", "--clear-github", "--effort", "S", json=True), BOARD + "/tasks/{task}", "patch", 200),
        ("task move", team.cli("task", "move", "WA-2", "In Progress", json=True), BOARD + "/tasks/{task}/status", "put", 200),
        ("task comment", team.cli("task", "comment", "WA-1", "go", "--type", "verdict_go", json=True),
         BOARD + "/tasks/{task}/comments", "post", 201),
        ("task list", team.cli("task", "list", json=True), BOARD + "/tasks", "get", 200),
        ("task show", team.cli("task", "show", "WA-2", json=True), BOARD + "/tasks/{task}", "get", 200),
        ("task search", team.cli("task", "search", "guide", json=True), BOARD + "/tasks/search", "get", 200),
        ("task archive", team.cli("task", "archive", "WA-2", json=True), BOARD + "/tasks/{task}/archive", "post", 200),
        ("task unarchive", team.cli("task", "unarchive", "WA-2", json=True), BOARD + "/tasks/{task}/unarchive", "post", 200),
        ("epic edit", team.cli("epic", "edit", "EP-1", "--title", "Docs site", json=True), BOARD + "/epics/{epic}", "patch", 200),
        ("epic comment", team.cli("epic", "comment", "EP-1", "nice", json=True), BOARD + "/epics/{epic}/comments", "post", 201),
        ("epic move (pending)", team.cli("epic", "move", "EP-1", "Completed", json=True), BOARD + "/epics/{epic}/status", "put", 200),
        ("epic list", team.cli("epic", "list", json=True), BOARD + "/epics", "get", 200),
        ("epic show", team.cli("epic", "show", "EP-1", json=True), BOARD + "/epics/{epic}", "get", 200),
        ("epic search", team.cli("epic", "search", "docs", json=True), BOARD + "/epics/search", "get", 200),
        ("epic approve-close", team.cli("epic", "approve-close", "EP-1", json=True), BOARD + "/epics/{epic}/close/approve", "post", 200),
    ]
    team.cli("epic", "create", "Later", "--assignee", "api:main")
    team.cli("epic", "move", "EP-2", "Completed")  # no tasks: completed at once
    cases += [
        ("board export", team.cli("board", "export", json=True), BOARD + "/export", "get", 200),
        ("epic archive", team.cli("epic", "archive", "EP-2", json=True), BOARD + "/epics/{epic}/archive", "post", 200),
        ("epic unarchive", team.cli("epic", "unarchive", "EP-2", json=True), BOARD + "/epics/{epic}/unarchive", "post", 200),
    ]
    check_all(schemas, cases)

    # --json prints the API's object unchanged.
    assert team.cli("task", "list", "--archived", json=True) == team.api_json("/api/v1/workspaces/team/board/tasks?includeArchived=true")
    assert team.cli("epic", "show", "EP-1", json=True) == team.api_json("/api/v1/workspaces/team/board/epics/EP-1")
    status, headers, body = team.request("GET", "/api/v1/workspaces/team/board/export?format=markdown")
    assert status == 200 and {k.lower(): v for k, v in headers.items()}["content-type"].startswith("text/markdown")
    assert body.decode().startswith("# Board of team")
    errors = schemas.errors(jsonlib.loads(team.request("GET", "/api/v1/workspaces/team/board/tasks/WA-77")[2]), schemas.component("APIErrorBody"))
    assert not errors, errors
