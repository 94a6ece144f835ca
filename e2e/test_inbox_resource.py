"""`whatsagent://inbox`, the standard push for any MCP client (SPEC §8, issue 16), through a real daemon and a real
`whatsagent mcp`, with the official MCP Python SDK as a plain client (no Claude extension bound): it subscribes, mail
from another agent arrives as `notifications/resources/updated`, the resource holds no body, `check_messages` still
returns the body. The daemon hears of the subscription (push path `resource`) and of the re-read (the push confirmed);
an unconfirmed push shows a warning past `[push] confirm_seconds`. Nothing sleeps: notifications are awaited and states
polled with a deadline."""

from __future__ import annotations

import asyncio
import contextlib
import json as jsonlib
import os
from typing import Any

from mcp import ClientSession, StdioServerParameters, stdio_client

from conftest import BIN, Daemon, agent_call, eventually
from test_mcp_messaging import connect, text_of

DEADLINE = 15.0
INBOX = "whatsagent://inbox"


class PlainClient:
    """An MCP client that knows nothing of Claude: it records every server notification by method and params."""

    def __init__(self, connection: dict[str, Any]):
        self.connection = connection
        self.notifications: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self.session: ClientSession | None = None
        self.capabilities: Any = None

    async def on_message(self, message: Any) -> None:
        root = getattr(message, "root", message)
        method = getattr(root, "method", None)
        if isinstance(method, str):
            await self.notifications.put((method, getattr(root, "params", None)))

    @contextlib.asynccontextmanager
    async def running(self):
        server = StdioServerParameters(command=BIN, args=["mcp"], env=self.connection["environment"])
        async with stdio_client(server) as (read, write):
            async with ClientSession(read, write, message_handler=self.on_message) as session:
                self.capabilities = (await session.initialize()).capabilities
                self.session = session
                yield self

    async def next_notification(self, method: str) -> Any:
        """The params of the next notification with `method` (others are skipped), with a deadline."""

        async def wait() -> Any:
            while True:
                got, params = await self.notifications.get()
                if got == method:
                    return params

        return await asyncio.wait_for(wait(), timeout=DEADLINE)


def agent(daemon: Daemon, address: str) -> dict[str, Any]:
    return daemon.cli("agent", "show", address, json=True)


def write_config(daemon: Daemon, text: str) -> None:
    with open(os.path.join(daemon.home, "daemon.toml"), "w") as file:
        file.write(text)


def custom_team(daemon: Daemon, make_dir) -> None:
    """A p2p workspace with api:main and api:tool, a custom runtime (pushed by no runtime mechanism of its own)."""
    repo = make_dir()
    daemon.cli("workspace", "add", "team", "--topology", "p2p")
    daemon.cli("repo", "add", repo, "--name", "api")
    daemon.cli("agent", "add", "api:main", "--main")
    daemon.cli("agent", "add", "api:tool", "--runtime", "custom", "--command", "/bin/sh")


def test_a_plain_mcp_client_subscribes_hears_of_mail_and_reads_a_body_free_inbox(make_daemon, make_dir):
    daemon = make_daemon(start=False)
    write_config(daemon, "[push]\nconfirm_seconds = 1\n")
    daemon.start()
    custom_team(daemon, make_dir)
    tool = PlainClient(connect(daemon, "api:tool"))
    main_token = connect(daemon, "api:main")["environment"]["WHATSAGENT_SESSION_TOKEN"]

    async def scenario() -> None:
        async with tool.running():
            assert tool.capabilities.resources.subscribe is True
            listed = await tool.session.list_resources()
            assert [str(resource.uri) for resource in listed.resources] == [INBOX]
            assert agent(daemon, "api:tool")["pushPath"] == "typed", "custom, not subscribed: its runtime's path"

            await tool.session.subscribe_resource(INBOX)
            shown = eventually("push path resource", lambda: (found := agent(daemon, "api:tool"))["pushPath"] == "resource" and found)
            assert "lastPushAt" not in shown
            # Other agents see it in list_peers (text and structure), from the same derivation.
            peers = agent_call(daemon, main_token, "list_peers", {})
            [peer] = [p for p in peers["structured"]["peers"] if p["agent"] == "api:tool"]
            assert peer["pushPath"] == "resource" and peer["pushWarning"] is None, peer
            assert "api:tool: online, custom, roles engineer, push resource" in peers["text"], peers["text"]

            sent = agent_call(daemon, main_token, "send_message", {"to": "api:tool", "body": "the secret plan"})
            assert not sent.get("isError"), sent
            updated = await tool.next_notification("notifications/resources/updated")
            assert str(updated.uri) == INBOX

            # Pushed and not yet re-read: unconfirmed, and past the configured second a warning says what it means.
            warned = eventually("the unconfirmed-push warning", lambda: agent(daemon, "api:tool").get("pushWarning"))
            assert "re-read whatsagent://inbox" in warned, warned
            pushed = agent(daemon, "api:tool")
            assert pushed["lastPushPath"] == "resource" and "lastPushConfirmedAt" not in pushed

            read = await tool.session.read_resource(INBOX)
            content = read.contents[0]
            assert content.mime_type == "application/json"
            inbox = jsonlib.loads(content.text)
            assert inbox["count"] == 1 and len(inbox["messageIds"]) == 1 and inbox["kinds"] == ["direct"]
            assert inbox["hint"] == "1 WhatsAgent message waiting — call check_messages"
            assert "secret plan" not in content.text, "the inbox resource carries no body"

            confirmed = agent(daemon, "api:tool")
            assert confirmed["lastPushConfirmedAt"] >= confirmed["lastPushAt"] and "pushWarning" not in confirmed, confirmed

            checked = await tool.session.call_tool("check_messages", {})
            assert "the secret plan" in text_of(checked), "reading the inbox leased nothing"

    asyncio.run(scenario())
    text = daemon.cli("agent", "show", "api:tool").stdout
    assert "push path: resource" in text and "last push: " in text and "confirmed: " in text


def test_unsubscribing_goes_back_to_the_runtime_path(daemon: Daemon, make_dir):
    custom_team(daemon, make_dir)
    tool = PlainClient(connect(daemon, "api:tool"))

    async def scenario() -> None:
        async with tool.running():
            await tool.session.subscribe_resource(INBOX)
            eventually("push path resource", lambda: agent(daemon, "api:tool")["pushPath"] == "resource")
            await tool.session.unsubscribe_resource(INBOX)
            eventually("push path back to typed", lambda: agent(daemon, "api:tool")["pushPath"] == "typed")

    asyncio.run(scenario())
