"""Messaging controls through real `whatsagent mcp` processes: the loop guard, peer rules and mute.

Each agent joins with `whatsagent agent connect` and runs `whatsagent mcp`, driven by the official MCP Python SDK as the
agent; the human uses the CLI. Pushes are awaited as `notifications/claude/channel` notifications with a deadline;
nothing sleeps.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from conftest import Daemon
from test_mcp_messaging import Agent, connect, text_of

LOOP_GUARD = 4


@pytest.fixture
def p2p(daemon: Daemon, make_dir) -> Daemon:
    """A p2p workspace with a small loop guard: api:main (main), api:dev and api:qa."""
    repo = make_dir()
    daemon.cli("workspace", "add", "team", "--topology", "p2p", "--loop-guard", str(LOOP_GUARD), "--rate-limit", "off")
    daemon.cli("repo", "add", repo, "--name", "api")
    daemon.cli("agent", "add", "api:main", "--main")
    daemon.cli("agent", "add", "api:dev")
    daemon.cli("agent", "add", "api:qa")
    return daemon


def test_a_ping_pong_past_the_loop_guard_is_held_until_the_human_releases_it(p2p: Daemon):
    dev, qa = Agent(connect(p2p, "api:dev")), Agent(connect(p2p, "api:qa"))

    async def scenario():
        async with dev.running(), qa.running():
            # Up to the limit every message goes through: the connected recipient is pushed (SPEC §7.2) and reads it.
            for index in range(LOOP_GUARD):
                sender, recipient = (dev, qa) if index % 2 == 0 else (qa, dev)
                sent = await sender.call("send_message", to=recipient.address, body=f"ping {index}")
                assert not sent.is_error, text_of(sent)
                assert sent.structured_content["state"] == "pushed"
                await recipient.next_push()
                assert f"ping {index}" in text_of(await recipient.call("check_messages"))

            held = await dev.call("send_message", to="api:qa", body="one too many")
            assert not held.is_error, "a held message is stored, not failed"
            assert held.structured_content["state"] == "held"
            assert held.structured_content["held"] is True
            assert "HELD by the loop guard" in text_of(held) and "Do not resend" in text_of(held)
            held_id = held.structured_content["messageId"]
            assert "0 messages" in text_of(await qa.call("check_messages")), "a held message is not in the inbox"

            inbox = p2p.cli("msg", "inbox", json=True)["messages"]
            alerts = [message for message in inbox if message["from"] == "whatsagent"]
            assert len(alerts) == 1
            assert "api:dev" in alerts[0]["body"] and "api:qa" in alerts[0]["body"]
            assert "whatsagent msg release api:dev api:qa" in alerts[0]["body"]
            holds = p2p.cli("msg", "holds", json=True)["holds"]
            assert [hold["agents"] for hold in holds] == [["api:dev", "api:qa"]]
            assert [(message["id"], message["state"]) for message in holds[0]["messages"]] == [(held_id, "held")]

            released = p2p.cli("msg", "release", "api:qa", "api:dev", json=True)
            assert released["released"] == 1

            push = await qa.next_push()
            assert push.meta["message_ids"] == held_id and push.meta["from"] == "api:dev"
            assert "one too many" in text_of(await qa.call("check_messages"))
            assert p2p.cli("msg", "holds", json=True)["holds"] == []
            # The window restarted at the release: the pair may talk again.
            again = await qa.call("send_message", to="api:dev", body="thanks, stopping now")
            assert not again.is_error and again.structured_content["state"] == "pushed"

    asyncio.run(scenario())


def test_releasing_a_pair_that_is_not_held_is_refused(p2p: Daemon):
    proc = p2p.cli("msg", "release", "api:dev", "api:qa", check=False)
    assert proc.returncode == 1
    assert "not held" in proc.stderr and "msg holds" in proc.stderr


def test_a_deny_rule_refuses_the_pair_and_names_the_alternative(p2p: Daemon):
    p2p.cli("peer-rule", "add", "api:qa", "api:dev")
    rules: Any = p2p.cli("peer-rule", "list", json=True)
    assert rules["mode"] == "deny-list" and rules["active"] is True
    assert [rule["agents"] for rule in rules["rules"]] == [["api:dev", "api:qa"]]
    dev = Agent(connect(p2p, "api:dev"))

    async def scenario():
        async with dev.running():
            refused = await dev.call("send_message", to="api:qa", body="psst")
            assert refused.is_error
            assert "peer rule" in text_of(refused) and "api:main" in text_of(refused)
            assert "whatsagent peer-rule remove api:dev api:qa" in text_of(refused)
            assert not (await dev.call("send_message", to="api:main", body="please relay to qa")).is_error

    asyncio.run(scenario())
    # The mode and the rules are managed from the CLI.
    p2p.cli("peer-rule", "mode", "allow-list")
    assert p2p.cli("peer-rule", "list", json=True)["mode"] == "allow-list"
    p2p.cli("peer-rule", "remove", "api:dev", "api:qa")
    assert p2p.cli("peer-rule", "list", json=True)["rules"] == []


def test_a_muted_agent_is_refused_until_unmuted(p2p: Daemon):
    p2p.cli("agent", "set", "api:dev", "--mute", "on")
    assert p2p.cli("agent", "show", "api:dev", json=True)["muted"] is True
    dev, qa = Agent(connect(p2p, "api:dev")), Agent(connect(p2p, "api:qa"))

    async def scenario():
        async with dev.running(), qa.running():
            refused = await dev.call("send_message", to="api:qa", body="let me talk")
            assert refused.is_error
            assert refused.structured_content["error"]["code"] == "agent_muted"
            assert "the human muted you" in text_of(refused) and "wait for the human" in text_of(refused)

            p2p.cli("agent", "set", "api:dev", "--mute", "off")
            sent = await dev.call("send_message", to="api:qa", body="back again")
            assert not sent.is_error, text_of(sent)
            await qa.next_push()
            inbox = text_of(await qa.call("check_messages"))
            assert "back again" in inbox and "let me talk" not in inbox

    asyncio.run(scenario())
