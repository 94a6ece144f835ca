"""Agents talking through real `whatsagent mcp` processes, driven by the official MCP Python SDK as the agent.

Each agent joins with `whatsagent agent connect` and runs `whatsagent mcp` with the session environment, exactly as
Claude Code would. Pushes are awaited as `notifications/claude/channel` notifications, with a deadline; nothing sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import json as jsonlib
import os
import shutil
from typing import Any

import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.client import NotificationBinding
from pydantic import BaseModel

from conftest import BIN, Daemon, run, wait_for_exit

PUSH_TIMEOUT = 15.0


class ChannelParams(BaseModel):
    content: str
    meta: dict[str, str]


class Agent:
    """One agent: an MCP client session over `whatsagent mcp`, collecting channel pushes."""

    def __init__(self, connection: dict[str, Any], binary: str = BIN):
        self.connection = connection
        self.binary = binary
        self.address = connection["environment"]["WHATSAGENT_AGENT"]
        self.pushes: asyncio.Queue[ChannelParams] = asyncio.Queue()
        self.server_notifications: asyncio.Queue[str] = asyncio.Queue()
        self.session: ClientSession | None = None
        self.capabilities: Any = None

    async def on_channel(self, params: ChannelParams) -> None:
        await self.pushes.put(params)

    async def on_message(self, message: Any) -> None:
        method = getattr(getattr(message, "root", message), "method", None) or getattr(message, "method", None)
        if isinstance(method, str):
            await self.server_notifications.put(method)

    @contextlib.asynccontextmanager
    async def running(self):
        server = StdioServerParameters(command=self.binary, args=["mcp"], env=self.connection["environment"])
        async with stdio_client(server) as (read, write):
            binding = NotificationBinding(method="notifications/claude/channel", params_type=ChannelParams, handler=self.on_channel)
            async with ClientSession(read, write, message_handler=self.on_message, notification_bindings=[binding]) as session:
                result = await session.initialize()
                self.capabilities = result.capabilities
                self.session = session
                yield self

    async def call(self, tool: str, **arguments: Any) -> Any:
        assert self.session is not None
        return await self.session.call_tool(tool, arguments)

    async def next_push(self) -> ChannelParams:
        return await asyncio.wait_for(self.pushes.get(), timeout=PUSH_TIMEOUT)


def text_of(result: Any) -> str:
    return "".join(getattr(block, "text", "") for block in result.content)


@pytest.fixture
def team(daemon: Daemon, make_dir) -> Daemon:
    """A star workspace with api:main (main), api:dev and api:qa."""
    repo = make_dir()
    daemon.cli("workspace", "add", "team")
    daemon.cli("repo", "add", repo, "--name", "api")
    daemon.cli("agent", "add", "api:main", "--main")
    daemon.cli("agent", "add", "api:dev")
    daemon.cli("agent", "add", "api:qa")
    return daemon


def connect(daemon: Daemon, address: str) -> dict[str, Any]:
    return daemon.cli("agent", "connect", address, json=True)


def test_push_reaches_a_connected_agent_without_it_calling_anything(team: Daemon):
    main, dev = Agent(connect(team, "api:main")), Agent(connect(team, "api:dev"))

    async def scenario():
        async with main.running(), dev.running():
            assert "claude/channel" in (dev.capabilities.experimental or {})
            tools = {tool.name for tool in (await dev.session.list_tools()).tools}
            assert {"whoami", "send_message", "check_messages", "list_peers"} <= tools

            sent = await main.call("send_message", to="api:dev", body="Please expose GET /orders")
            assert not sent.is_error, text_of(sent)

            push = await dev.next_push()
            assert push.content == "1 WhatsAgent message waiting — call check_messages"
            assert push.meta["count"] == "1" and push.meta["from"] == "api:main" and push.meta["kind"] == "direct"
            assert all(key.replace("_", "").isalnum() for key in push.meta)

            inbox = text_of(await dev.call("check_messages"))
            assert "Please expose GET /orders" in inbox
            assert "<<<UNTRUSTED-BODY-" in inbox and "from: api:main" in inbox
            # The MCP server acknowledged the lease after writing the result: nothing is left.
            again = text_of(await dev.call("check_messages"))
            assert "0 messages" in again

    asyncio.run(scenario())


def test_mail_to_an_offline_agent_waits_and_arrives_when_it_connects(team: Daemon):
    main = Agent(connect(team, "api:main"))

    async def send():
        async with main.running():
            result = await main.call("send_message", to="api:qa", body="run the suite")
            assert not result.is_error
            assert result.structured_content["recipientOnline"] is False

    asyncio.run(send())
    qa = Agent(connect(team, "api:qa"))

    async def receive():
        async with qa.running():
            push = await qa.next_push()
            assert push.meta["count"] == "1"
            assert "run the suite" in text_of(await qa.call("check_messages"))

    asyncio.run(receive())


def test_nothing_is_lost_when_the_daemon_restarts_between_send_and_receive(team: Daemon):
    main, dev = Agent(connect(team, "api:main")), Agent(connect(team, "api:dev"))

    async def send():
        async with main.running():
            for index in range(3):
                result = await main.call("send_message", to="api:dev", body=f"step {index}")
                assert not result.is_error

    asyncio.run(send())
    team.stop()
    team.start()

    async def receive():
        async with dev.running():
            await dev.next_push()
            inbox = text_of(await dev.call("check_messages"))
            positions = [inbox.index(f"step {index}") for index in range(3)]
            assert positions == sorted(positions), "per-sender order"

    asyncio.run(receive())


def test_star_topology_refuses_agent_to_agent_and_names_the_main_agent(team: Daemon):
    dev = Agent(connect(team, "api:dev"))

    async def scenario():
        async with dev.running():
            refused = await dev.call("send_message", to="api:qa", body="psst")
            assert refused.is_error
            assert "star topology" in text_of(refused) and "api:main" in text_of(refused)
            # Any agent answers the human in star (SPEC §7.1, issue 15 finding 7).
            to_human = await dev.call("send_message", to="human-web", body="done")
            assert not to_human.is_error, text_of(to_human)
            assert not (await dev.call("send_message", to="api:main", body="done")).is_error

    asyncio.run(scenario())


def test_the_human_can_message_an_agent_from_the_cli(team: Daemon):
    dev = Agent(connect(team, "api:dev"))

    async def scenario():
        async with dev.running():
            proc = run(["msg", "send", "api:dev", "hello from the human", "--home", team.home, "--json"])
            assert proc.returncode == 0, proc.stderr
            assert jsonlib.loads(proc.stdout)["recipientOnline"] is True
            push = await dev.next_push()
            assert push.meta["from"] == "human-web"
            assert "hello from the human" in text_of(await dev.call("check_messages"))

    asyncio.run(scenario())


def test_whatsagent_mcp_refuses_without_or_with_a_dead_token(team: Daemon):
    missing = run(["mcp"])
    assert missing.returncode != 0
    assert "WHATSAGENT_SESSION_TOKEN" in missing.stderr

    connection = connect(team, "api:dev")
    team.cli("agent", "disconnect", "api:dev")
    dead = run(["mcp"], env=connection["environment"])
    assert dead.returncode != 0
    assert "token" in dead.stderr.lower()


def test_connect_refuses_a_second_session_unless_replaced(team: Daemon):
    connect(team, "api:dev")
    again = team.cli("agent", "connect", "api:dev", check=False)
    assert again.returncode == 1
    assert "--replace" in again.stderr
    replaced = team.cli("agent", "connect", "api:dev", "--replace", json=True)
    assert replaced["session"]["agent"] == "api:dev"


def test_print_config_formats(team: Daemon):
    claude = team.cli("agent", "connect", "api:dev", "--print-config", "claude").stdout.strip()
    # One command: the session's 0600 MCP config file, the channel, our tools allowed; no token on it (issue 15).
    assert claude.startswith("claude --mcp-config "), claude
    assert claude.endswith(" --dangerously-load-development-channels server:whatsagent --allowedTools mcp__whatsagent")
    assert "wa1_" not in claude and "TOKEN" not in claude, "the token never appears on the claude command line"
    config_path = claude.split()[2].strip("'")
    assert os.stat(config_path).st_mode & 0o777 == 0o600
    with open(config_path, encoding="utf-8") as handle:
        assert jsonlib.load(handle)["mcpServers"]["whatsagent"]["env"]["WHATSAGENT_SESSION_TOKEN"].startswith("wa1_")

    codex = team.cli("agent", "connect", "api:qa", "--print-config", "codex").stdout
    codex_line = [line for line in codex.splitlines() if line.startswith("codex ")][0]
    assert "mcp_servers.whatsagent.env_vars=" in codex_line
    assert 'mcp_servers.whatsagent.default_tools_approval_mode="approve"' in codex_line
    assert "wa1_" not in codex_line, "the token never appears on the codex command line"
    assert "export WHATSAGENT_SESSION_TOKEN=" in codex

    config = jsonlib.loads(team.cli("agent", "connect", "api:main").stdout)
    server = config["mcpServers"]["whatsagent"]
    assert server["args"] == ["mcp"] and server["command"].endswith("whatsagent")
    path = server["env"]["WHATSAGENT_MCP_CONFIG"]
    with open(path, encoding="utf-8") as handle:
        assert jsonlib.load(handle) == config


def test_the_cli_refuses_human_actions_inside_an_agent_session(team: Daemon):
    connection = connect(team, "api:dev")
    proc = run(["workspace", "list", "--home", team.home], env=connection["environment"])
    assert proc.returncode == 1
    assert "acts as the human" in proc.stderr


def test_channel_topology_with_two_channels_and_a_thread(daemon: Daemon, make_dir):
    repo = make_dir()
    daemon.cli("workspace", "add", "crew", "--topology", "channel")
    daemon.cli("repo", "add", repo, "--name", "api")
    daemon.cli("agent", "add", "api:lead", "--role", "pm")  # creating channels needs the create_channel grant
    for name in ("dev", "qa"):
        daemon.cli("agent", "add", f"api:{name}")
    lead, dev, qa = (Agent(connect(daemon, f"api:{name}")) for name in ("lead", "dev", "qa"))

    async def scenario():
        async with lead.running(), dev.running(), qa.running():
            refused = await dev.call("send_message", to="api:qa", body="psst")
            assert refused.is_error and "channel topology" in text_of(refused)

            created = await lead.call("create_channel", channel="#backend")
            assert not created.is_error, text_of(created)
            assert not (await dev.call("join_channel", channel="backend")).is_error

            root = await lead.call("post_channel_message", channel="backend", body="who owns the migration?")
            root_id = root.structured_content["messageId"]
            push = await dev.next_push()
            assert push.meta["kind"] == "channel" and push.meta["from"] == "api:lead"
            assert qa.pushes.empty(), "qa is not in #backend"

            reply = await dev.call("reply_channel_thread", messageId=root_id, body="I do")
            assert reply.structured_content["threadId"] == root.structured_content["threadId"]
            await lead.next_push()

            await lead.call("post_channel_message", body="release at 5")  # default: #shared
            qa_push = await qa.next_push()
            assert qa_push.meta["kind"] == "channel"
            inbox = text_of(await qa.call("check_messages"))
            assert "release at 5" in inbox and "to: #shared" in inbox
            assert "who owns the migration" not in inbox

            thread = text_of(await lead.call("read_channel_messages", channel="backend"))
            assert "who owns the migration?" in thread and "I do" in thread

    asyncio.run(scenario())
    posts = daemon.cli("channel", "read", "backend", json=True)["posts"]
    assert [post["body"] for post in posts] == ["who owns the migration?", "I do"]
    assert posts[1]["rootId"] == posts[0]["id"]


def test_an_engineers_broadcast_is_refused_in_enforce_and_allowed_in_soft(team: Daemon):
    main, dev, qa = (Agent(connect(team, f"api:{name}")) for name in ("main", "dev", "qa"))

    async def enforce():
        async with dev.running(), qa.running():
            tools = {tool.name for tool in (await dev.session.list_tools()).tools}
            assert "broadcast_message" not in tools, "hidden from an engineer in enforce mode"
            refused = await dev.call("broadcast_message", body="lunch?")
            assert refused.is_error
            assert "broadcast_message" in text_of(refused) and "pm" in text_of(refused)
            assert qa.pushes.empty()

    asyncio.run(enforce())
    team.cli("workspace", "set", "team", "--rbac-mode", "soft")

    async def soft():
        async with main.running(), dev.running():
            allowed = await dev.call("broadcast_message", body="lunch?")
            assert not allowed.is_error, text_of(allowed)
            assert set(allowed.structured_content["recipients"]) == {"api:main", "api:qa"}
            push = await main.next_push()
            assert push.meta["kind"] == "broadcast"

    asyncio.run(soft())


def test_a_role_change_reaches_a_connected_agent_as_list_changed(team: Daemon):
    dev = Agent(connect(team, "api:dev"))

    async def scenario():
        async with dev.running():
            before = {tool.name for tool in (await dev.session.list_tools()).tools}
            assert "broadcast_message" not in before
            proc = run(["agent", "set", "api:dev", "--role", "engineer", "--role", "pm", "--home", team.home])
            assert proc.returncode == 0, proc.stderr
            method = await asyncio.wait_for(dev.server_notifications.get(), timeout=PUSH_TIMEOUT)
            assert method == "notifications/tools/list_changed"
            after = {tool.name for tool in (await dev.session.list_tools()).tools}
            assert "broadcast_message" in after

    asyncio.run(scenario())


def mcp_server_pid(session_id: str) -> int:
    """The pid of the `whatsagent mcp` process serving `session_id` (found through /proc)."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                argv = handle.read().split(b"\0")
            with open(f"/proc/{entry}/environ", "rb") as handle:
                environ = handle.read().split(b"\0")
        except OSError:
            continue
        if argv[:1] and argv[0].endswith(b"whatsagent") and b"mcp" in argv[1:2]:
            if f"WHATSAGENT_SESSION_ID={session_id}".encode() in environ:
                return int(entry)
    raise AssertionError(f"no whatsagent mcp process for session {session_id}")


def test_removing_a_connected_agent_with_force_ends_its_mcp_server(team: Daemon):
    connection = connect(team, "api:dev")
    dev = Agent(connection)
    seen: dict[str, Any] = {}

    async def scenario():
        async with dev.running():
            pid = mcp_server_pid(connection["session"]["id"])
            seen["refused"] = run(["agent", "remove", "api:dev", "--home", team.home])
            seen["removed"] = run(["agent", "remove", "api:dev", "--force", "--home", team.home, "--json"])
            # The daemon ends the session's events stream with session_ended: the MCP server stops by itself.
            seen["exited"] = await asyncio.to_thread(wait_for_exit, pid, 15.0)

    # The client's own teardown may fail once its server went away; every check is made below, outside this.
    with contextlib.suppress(Exception):
        asyncio.run(scenario())

    assert seen["refused"].returncode == 1 and "--force" in seen["refused"].stderr
    assert seen["removed"].returncode == 0, seen["removed"].stderr
    assert [s["agent"] for s in jsonlib.loads(seen["removed"].stdout)["stoppedSessions"]] == ["api:dev"]
    assert seen["exited"] is True, "the removed agent's MCP server kept running"
    assert not os.path.exists(connection["environment"]["WHATSAGENT_MCP_CONFIG"])


def test_the_human_reads_what_the_main_agent_wrote(team: Daemon):
    main = Agent(connect(team, "api:main"))

    async def scenario():
        async with main.running():
            sent = await main.call("send_message", to="human-web", body="API is done")
            assert not sent.is_error, text_of(sent)

    asyncio.run(scenario())
    team.cli("msg", "send", "api:main", "thanks!")
    thread = team.cli("msg", "thread", "api:main", json=True)["messages"]
    assert [(m["from"], m["body"]) for m in thread] == [("api:main", "API is done"), ("human-web", "thanks!")]
    assert thread[0]["state"] == "acknowledged", "reading it marked it acknowledged"
    inbox = team.cli("msg", "inbox").stdout
    assert "api:main → human-web" in inbox and "API is done" in inbox


def test_whatsagent_mcp_runs_as_the_lean_companion_beside_the_binary(team: Daemon, tmp_path):
    """`whatsagent mcp` execs `whatsagent-mcp` found beside the binary (never on PATH): the agent's process maps the
    small binary while `ps` still shows `whatsagent mcp`. A binary with no companion beside it serves in-process."""
    companion = os.path.join(os.path.dirname(os.path.realpath(BIN)), "whatsagent-mcp")
    assert os.access(companion, os.X_OK), "the build puts whatsagent-mcp beside whatsagent"
    alone = str(tmp_path / "whatsagent")
    shutil.copy(os.path.realpath(BIN), alone)
    seen: dict[str, Any] = {}

    async def scenario():
        for address, binary in (("api:dev", BIN), ("api:qa", alone)):
            connection = connect(team, address)
            agent = Agent(connection, binary=binary)
            async with agent.running():
                pid = mcp_server_pid(connection["session"]["id"])
                seen[address] = os.path.realpath(f"/proc/{pid}/exe")
                tools = {tool.name for tool in (await agent.session.list_tools()).tools}
                assert {"send_message", "check_messages"} <= tools
                sent = await agent.call("send_message", to="api:main", body=f"from {address}")
                assert not sent.is_error, text_of(sent)

    asyncio.run(scenario())

    assert seen["api:dev"] == companion
    assert seen["api:qa"] == alone, "without a companion beside it, whatsagent mcp serves in-process"
