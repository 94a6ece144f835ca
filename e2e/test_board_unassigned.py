"""Unassigned tasks end to end (issue 18): the human creates a task without an assignee, lists the unassigned ones
with `--assignee none`, assigns and unassigns with `task edit --assignee A|none`; an agent's create_kanban_task
without assignedTo leaves it unassigned; an engineer's own-assignment grant does not reach it; epics still need an
assignee. Every `--json` output is checked against the OpenAPI document."""

from conftest import agent_call, assert_error
from test_openapi import Schemas, check_all, fetch_openapi

BOARD = "/api/v1/workspaces/{workspace}/board"


def test_the_human_creates_assigns_and_unassigns_a_task_on_the_cli(daemon, make_dir):
    daemon.cli("workspace", "add", "team")
    daemon.cli("repo", "add", make_dir(), "--name", "api")
    daemon.cli("agent", "add", "api:dev", "--runtime", "custom", "--command", "/bin/true")

    created = daemon.cli("task", "create", "Triage the flaky test")
    assert created.stdout == "created WA-001 unassigned\n", created.stdout
    owned = daemon.cli("task", "create", "Owned", "--assignee", "api:dev", json=True)
    shown = daemon.cli("task", "show", "WA-001", json=True)
    assert "assignee" not in shown["task"], shown
    assert "Assignee: unassigned" in daemon.cli("task", "show", "WA-001").stdout

    unassigned = daemon.cli("task", "list", "--assignee", "none", json=True)
    assert [task["displayId"] for task in unassigned["tasks"]] == ["WA-001"]
    table = daemon.cli("task", "list").stdout.splitlines()
    assert any(line.startswith("WA-001") and " unassigned " in line for line in table), table

    assigned = daemon.cli("task", "edit", "WA-001", "--assignee", "api:dev")
    assert assigned.stdout == "updated WA-001: assignee (notified api:dev)\n", assigned.stdout
    dropped = daemon.cli("task", "edit", "WA-002", "--assignee", "none", json=True)
    assert "assignee" not in dropped["task"] and dropped["notified"] == ["api:dev"], dropped
    assert [task["displayId"] for task in daemon.cli("task", "list", "--assignee", "NONE", json=True)["tasks"]] == ["WA-002"]
    found = daemon.cli("task", "search", "Owned", "--assignee", "none", json=True)
    assert [hit["displayId"] for hit in found["results"]] == ["WA-002"] and "assignee" not in found["results"][0]

    assert_error(daemon.cli("epic", "create", "Login", check=False), 2, "--assignee")
    daemon.cli("epic", "create", "Login", "--assignee", "api:dev")
    assert_error(daemon.cli("epic", "edit", "EP-001", "--assignee", "none", check=False), 1, "only tasks can be unassigned")

    schemas = Schemas(fetch_openapi(daemon))
    check_all(schemas, [
        ("task create", owned, BOARD + "/tasks", "post", "201"),
        ("task show", shown, BOARD + "/tasks/{task}", "get", "200"),
        ("task list", unassigned, BOARD + "/tasks", "get", "200"),
        ("task edit", dropped, BOARD + "/tasks/{task}", "patch", "200"),
        ("task search", found, BOARD + "/tasks/search", "get", "200"),
    ])


def test_an_agent_creates_an_unassigned_task_that_no_engineer_may_move_as_its_own(daemon, make_dir):
    daemon.cli("workspace", "add", "team")
    daemon.cli("repo", "add", make_dir(), "--name", "api")
    for name in ("main", "dev"):
        daemon.cli("agent", "add", f"api:{name}", "--runtime", "custom", "--command", "/bin/true")
    pm = daemon.cli("agent", "connect", "api:main", json=True)["token"]
    dev = daemon.cli("agent", "connect", "api:dev", json=True)["token"]

    created = agent_call(daemon, pm, "create_kanban_task", {"title": "Look into CI", "status": "Queued"})
    assert not created.get("isError"), created
    task = created["structured"]["task"]
    assert "assignee" not in task and task["creator"] == "api:main", task

    refused = agent_call(daemon, dev, "update_kanban_task_status", {"taskId": "WA-001", "status": "In Progress"})
    assert refused.get("isError"), refused
    assert "update_task_status" in refused["text"], refused

    daemon.cli("task", "edit", "WA-001", "--assignee", "api:dev")
    moved = agent_call(daemon, dev, "update_kanban_task_status", {"taskId": "WA-001", "status": "In Progress"})
    assert not moved.get("isError"), moved
