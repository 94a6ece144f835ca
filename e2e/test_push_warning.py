"""An external Claude session whose channel pushes go unconfirmed gets the warning, never the typed fallback (issue 16):
the agent (the official MCP Python SDK over a real `whatsagent mcp`, standing in for a Claude without channels) holds
its stream, receives the push and does not call check_messages. Past `[push] confirm_seconds` `agent show` warns and
says what to do; the path stays `channel`; a check_messages then confirms the push and the warning goes."""

from __future__ import annotations

import asyncio
import os

from conftest import eventually
from test_mcp_messaging import Agent, connect, text_of


def test_an_external_claude_with_unconfirmed_pushes_is_warned_not_nudged(make_daemon, make_dir):
    daemon = make_daemon(start=False)
    with open(os.path.join(daemon.home, "daemon.toml"), "w") as file:
        file.write("[push]\nconfirm_seconds = 1\n")
    daemon.start()
    repo = make_dir()
    daemon.cli("workspace", "add", "team")
    daemon.cli("repo", "add", repo, "--name", "api")
    daemon.cli("agent", "add", "api:main", "--main")  # runtime claude (the default)
    main = Agent(connect(daemon, "api:main"))

    def shown() -> dict:
        return daemon.cli("agent", "show", "api:main", json=True)

    async def scenario() -> None:
        async with main.running():
            daemon.cli("msg", "send", "api:main", "are you there?")
            await main.next_push()
            warning = eventually("the unconfirmed-push warning", lambda: shown().get("pushWarning"))
            assert "no check_messages followed the channel push" in warning and "ask the agent to call check_messages" in warning
            still = shown()
            assert still["pushPath"] == "channel" and "pushPathReason" not in still, "an external session is not nudged"
            assert still["lastPushPath"] == "channel" and "lastPushConfirmedAt" not in still
            text = daemon.cli("agent", "show", "api:main").stdout
            assert "warning:  pushes unconfirmed for " in text
            listed = daemon.cli("agent", "list").stdout
            assert "channel (unconfirmed)" in listed

            assert "are you there?" in text_of(await main.call("check_messages"))
            confirmed = shown()
            assert confirmed["lastPushConfirmedAt"] >= confirmed["lastPushAt"] and "pushWarning" not in confirmed, confirmed

    asyncio.run(scenario())
