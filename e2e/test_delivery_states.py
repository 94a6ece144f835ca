"""Delivery states (SPEC §7.2, issue 16) through a real daemon: a DM goes queued → pushed (by the channel path) →
surfaced → acknowledged, with the time of each step, as `whatsagent msg thread --json` and the API show it; the agent
is the official MCP Python SDK over a real `whatsagent mcp`. A lease never acknowledged leaves the message surfaced and
it is returned again. Nothing sleeps: states are polled with a deadline."""

from __future__ import annotations

import asyncio
import json as jsonlib
import time
from datetime import datetime
from typing import Any

from conftest import Daemon, agent_call, unix_request
from test_mcp_messaging import Agent, connect, team, text_of  # noqa: F401 (team is a fixture)

DEADLINE = 15.0


def thread(daemon: Daemon, peer: str) -> list[dict[str, Any]]:
    return daemon.cli("msg", "thread", peer, json=True)["messages"]


def message(daemon: Daemon, peer: str, message_id: str) -> dict[str, Any]:
    return next(m for m in thread(daemon, peer) if m["id"] == message_id)


def wait_state(daemon: Daemon, peer: str, message_id: str, state: str) -> dict[str, Any]:
    deadline = time.monotonic() + DEADLINE
    while True:
        found = message(daemon, peer, message_id)
        if found["state"] == state or time.monotonic() > deadline:
            assert found["state"] == state, found
            return found
        time.sleep(0.02)  # polling the daemon with a deadline, not waiting for time to pass


def when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_a_dm_goes_queued_pushed_surfaced_acknowledged_with_times(team: Daemon):
    sent = team.cli("msg", "send", "api:dev", "please review the schema", json=True)
    mid = sent["message"]["id"]
    assert sent["recipientOnline"] is False and sent["message"]["state"] == "queued"
    queued = message(team, "api:dev", mid)
    assert queued["state"] == "queued" and "pushedAt" not in queued and "surfacedAt" not in queued
    text = team.cli("msg", "thread", "api:dev").stdout
    assert "state: queued — queued " in text

    dev, main = Agent(connect(team, "api:dev")), Agent(connect(team, "api:main"))

    async def scenario():
        async with dev.running():
            push = await dev.next_push()
            assert push.meta["from"] == "human-web"
            pushed = message(team, "api:dev", mid)
            assert pushed["state"] == "pushed" and pushed["pushPath"] == "channel", pushed
            assert "surfacedAt" not in pushed

            inbox = text_of(await dev.call("check_messages"))
            assert "please review the schema" in inbox

            async with main.running():
                # The sender's own tools show the state: pushed at once to the connected api:dev.
                result = await main.call("send_message", to="api:dev", body="and the migration")
                assert not result.is_error, text_of(result)
                assert result.structured_content["state"] == "pushed", result.structured_content

    asyncio.run(scenario())
    done = wait_state(team, "api:dev", mid, "acknowledged")
    assert done["pushPath"] == "channel"
    times = [when(done[key]) for key in ("sentAt", "pushedAt", "surfacedAt", "acknowledgedAt")]
    assert times == sorted(times), done
    text = team.cli("msg", "thread", "api:dev").stdout
    assert "state: acknowledged — queued " in text and "pushed " in text and "(channel), surfaced " in text
    assert ", acknowledged " in text
    # The API shows the same, and the OpenAPI document names the states.
    api = team.api_json("/api/v1/workspaces/team/messages?peer=api:dev&limit=50")["messages"]
    assert next(m for m in api if m["id"] == mid) == done
    states = team.api_json("/api/v1/openapi.json")["components"]["schemas"]["MessageResponse"]["properties"]["state"]["enum"]
    assert states == ["queued", "pushed", "surfaced", "acknowledged", "rejected", "held"]


def test_an_unacknowledged_lease_stays_surfaced_and_is_returned_again(team: Daemon):
    token = connect(team, "api:dev")["environment"]["WHATSAGENT_SESSION_TOKEN"]
    mid = team.cli("msg", "send", "api:dev", "are you there?", json=True)["message"]["id"]

    first = agent_call(team, token, "check_messages", {"limit": 10})
    assert first["leaseId"] and "are you there?" in first["text"]
    surfaced = message(team, "api:dev", mid)
    assert surfaced["state"] == "surfaced" and "surfacedAt" in surfaced and "acknowledgedAt" not in surfaced

    # The client never acknowledged (it crashed): the next check_messages returns it again, still surfaced.
    second = agent_call(team, token, "check_messages", {"limit": 10})
    assert "(redelivered)" in second["text"]
    again = message(team, "api:dev", mid)
    assert again["state"] == "surfaced" and when(again["surfacedAt"]) >= when(surfaced["surfacedAt"])

    status, _, _ = unix_request(
        team.socket,
        "POST",
        "/api/v1/agent/ack",
        body=jsonlib.dumps({"leaseId": second["leaseId"]}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert status == 204
    done = message(team, "api:dev", mid)
    assert done["state"] == "acknowledged" and when(done["acknowledgedAt"]) >= when(done["surfacedAt"])
