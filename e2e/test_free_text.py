"""Free text and board traffic through a real daemon (issue 14).

A NUL in a message body used to be accepted and echoed while only the text before it was stored; now it is refused
at the door, naming the field, over MCP (`whatsagent mcp`, driven by the official MCP Python SDK) and over REST.
Board comments that notify used to bypass the rate limit and the mute; now they count against the same limit as
direct messages and a muted agent may still move its tasks but not comment.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from conftest import Daemon, agent_call
from test_mcp_messaging import Agent, connect, text_of

RATE_LIMIT = 3


@pytest.fixture
def team(daemon: Daemon, make_dir) -> Daemon:
    """A star workspace with a small rate limit: api:main (main, pm) and api:dev (engineer)."""
    repo = make_dir()
    daemon.cli("workspace", "add", "team", "--rate-limit", str(RATE_LIMIT))
    daemon.cli("repo", "add", repo, "--name", "api")
    daemon.cli("agent", "add", "api:main", "--main")
    daemon.cli("agent", "add", "api:dev")
    return daemon


def error_of(result) -> str:
    assert result.is_error, text_of(result)
    return result.structured_content["error"]["code"]


def test_a_nul_in_a_body_is_refused_naming_the_field_over_mcp_and_rest(team: Daemon):
    main = connect(team, "api:main")
    dev = Agent(connect(team, "api:dev"))

    async def scenario():
        async with dev.running():
            refused = await dev.call("send_message", to="api:main", body="kept\x00lost")
            assert error_of(refused) == "invalid_argument"
            assert "`body`" in text_of(refused) and "U+0000" in text_of(refused)
            summary = await dev.call("set_summary", summary="busy\x00hidden")
            assert error_of(summary) == "invalid_argument" and "`summary`" in text_of(summary)

    asyncio.run(scenario())

    status, _, body = team.request(
        "POST",
        "/api/v1/workspaces/team/messages",
        body=json.dumps({"to": "api:main", "body": "kept\u0000lost"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert status == 400, body
    error = json.loads(body)["error"]
    assert error["code"] == "invalid_argument" and "`body`" in error["message"]
    # Nothing was stored, not even the text before the NUL.
    assert agent_call(team, main["token"], "check_messages", {"limit": 100}).get("leaseId") is None


def test_board_comments_count_against_the_rate_limit_and_the_mute(team: Daemon):
    main, dev = Agent(connect(team, "api:main")), Agent(connect(team, "api:dev"))

    async def scenario():
        async with main.running(), dev.running():
            created = await main.call("create_kanban_task", title="Ship it", assignedTo="api:dev", status="Queued")
            assert not created.is_error, text_of(created)
            task = created.structured_content["task"]["displayId"]

            # Each blocker comment notifies the creator: the limit's worth goes through, the next is refused whole.
            for index in range(RATE_LIMIT):
                comment = await dev.call("comment_kanban_task", taskId=task, type="blocker", body=f"blocked {index}")
                assert not comment.is_error, text_of(comment)
            refused = await dev.call("comment_kanban_task", taskId=task, type="blocker", body="one more")
            assert error_of(refused) == "rate_limited"
            comments = team.cli("task", "show", task, json=True)["comments"]
            assert [comment["body"] for comment in comments] == [f"blocked {index}" for index in range(RATE_LIMIT)]

            # Muted: comments are refused, status moves are not (In Progress notifies nobody, so it is not limited).
            team.cli("agent", "set", "api:dev", "--mute", "on")
            muted = await dev.call("comment_kanban_task", taskId=task, type="note", body="quietly")
            assert error_of(muted) == "agent_muted"
            moved = await dev.call("update_kanban_task_status", taskId=task, status="In Progress")
            assert not moved.is_error, text_of(moved)

    asyncio.run(scenario())
