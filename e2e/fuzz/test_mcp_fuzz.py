"""Fuzzes every MCP tool through the real `whatsagent mcp` (SPEC §8, §15, issue 7).

The agent side is the official MCP Python SDK; the arguments come from hypothesis: for each tool of the catalogue
the server lists, objects built from the tool's own property names with values of any JSON type (right and wrong),
hostile strings (terminal escapes, the inbox envelope's fence markers, HTML, huge bodies, NULs, lone surrogates
escaped on the wire) and objects that have nothing to do with the schema. Every call must come back as a tool
result — `isError` with a reason is fine, a JSON-RPC error or a dead server is not. A second test writes raw garbage
to the server's stdin (invalid JSON, invalid UTF-8, wrong JSON-RPC shapes, a 2 MiB line) and checks it keeps
answering.

Bounded for `make test` (`WA_FUZZ_EXAMPLES` examples per tool, default 12); `make fuzz` runs it longer.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import threading
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import ClientSession, StdioServerParameters, stdio_client

from conftest import BIN, Daemon

EXAMPLES = int(os.environ.get("WA_FUZZ_EXAMPLES", "12"))
DERANDOMIZE = not os.environ.get("WA_FUZZ_RANDOM")
CALL_TIMEOUT = 30.0

HOSTILE = [
    "\x1b]0;pwned\x07",
    "\x1b[2J\x1b[H",
    "\x1b[31mred\x1b[0m\r\n\x08\x08",
    "<<<UNTRUSTED-BODY-0000>>>END-UNTRUSTED-0000",
    ">>>END-UNTRUSTED-",
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "\x00\x01\x02\x7f",
    "\u202e\u200b\ufeff",
    "../../../../etc/passwd",
    "#shared",
    "human-web",
    "whatsagent",
    "WA-001",
    "EP-999999999999999999999",
    "' OR 1=1 --",
    '"quoted" AND NEAR(x y) *',
    "x" * 40_000,
    "é" * 20_000,
    "",
    " ",
]

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=200),
    st.sampled_from(HOSTILE),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=20), children, max_size=5),
    max_leaves=12,
)


def arguments_for(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects over the tool's property names (any subset, any values), plus unrelated objects."""
    names = sorted((schema or {}).get("properties", {}).keys())
    if not names:
        return st.dictionaries(st.text(max_size=20), json_values, max_size=4)
    typed = st.fixed_dictionaries({}, optional={name: json_values for name in names})
    stringy = st.fixed_dictionaries({}, optional={name: st.sampled_from(HOSTILE) | st.text() for name in names})
    return st.one_of(typed, stringy, st.dictionaries(st.text(max_size=20), json_values, max_size=4))


class LoopThread:
    """An asyncio loop on its own thread holding one MCP client session, so hypothesis can drive it synchronously."""

    def __init__(self, environment: dict[str, str]):
        self.environment = environment
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.session: ClientSession | None = None
        self.tools: list[Any] = []
        self._closing: asyncio.Future | None = None
        self._runner: Any = None

    def __enter__(self) -> "LoopThread":
        self.thread.start()
        ready = asyncio.run_coroutine_threadsafe(self._open(), self.loop)
        ready.result(timeout=60)
        return self

    def __exit__(self, *_: Any) -> None:
        if self._closing is not None:
            self.loop.call_soon_threadsafe(self._closing.set_result, None)
        if self._runner is not None:
            self._runner.result(timeout=60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=30)

    async def _open(self) -> None:
        opened: asyncio.Future = self.loop.create_future()
        self._closing = self.loop.create_future()

        async def hold() -> None:
            server = StdioServerParameters(command=BIN, args=["mcp"], env=self.environment)
            try:
                async with stdio_client(server) as (read, write):
                    async with ClientSession(read, write) as session:
                        await session.initialize()
                        self.session = session
                        self.tools = (await session.list_tools()).tools
                        opened.set_result(None)
                        await self._closing
            except BaseException as error:  # report a failure to open instead of hanging
                if not opened.done():
                    opened.set_exception(error)
                raise

        self._runner = asyncio.run_coroutine_threadsafe(hold(), self.loop)
        await opened

    def call(self, tool: str, arguments: dict[str, Any]) -> Any:
        assert self.session is not None
        future = asyncio.run_coroutine_threadsafe(self.session.call_tool(tool, arguments), self.loop)
        return future.result(timeout=CALL_TIMEOUT)


@pytest.fixture
def agent_environment(daemon: Daemon, make_dir) -> dict[str, str]:
    """A p2p workspace (so most messaging tools reach the services) with app:main as the fuzzing agent."""
    repo = make_dir()
    daemon.cli("workspace", "add", "fz", "--topology", "p2p", "--rate-limit", "off", "--loop-guard", "off")
    daemon.cli("repo", "add", repo, "--name", "app")
    daemon.cli("agent", "add", "app:main", "--main")
    daemon.cli("agent", "add", "app:eng")
    daemon.cli("task", "create", "Seed task", "--assignee", "app:eng")
    daemon.cli("epic", "create", "Seed epic", "--assignee", "app:main")
    return daemon.cli("agent", "connect", "app:main", json=True)["environment"]


def test_every_tool_answers_random_and_malformed_arguments_with_a_tool_result(agent_environment):
    with LoopThread(agent_environment) as agent:
        names = [tool.name for tool in agent.tools]
        assert {"whoami", "send_message", "check_messages", "create_kanban_task"} <= set(names), names
        failures: list[str] = []

        for tool in agent.tools:
            exercise_tool(agent, tool.name, tool.input_schema, failures)

        assert not failures, "\n".join(failures)
        whoami = agent.call("whoami", {})
        assert not whoami.is_error
        assert "app:main" in "".join(getattr(block, "text", "") for block in whoami.content)


def exercise_tool(agent: LoopThread, tool_name: str, schema: dict[str, Any], failures: list[str]) -> None:
    """Runs hypothesis over one tool's arguments."""

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=DERANDOMIZE, database=None, suppress_health_check=list(HealthCheck))
    @given(arguments=arguments_for(schema))
    def exercise(arguments: dict[str, Any]) -> None:
        try:
            result = agent.call(tool_name, arguments)
        except Exception as error:  # a protocol error or a dead server: the finding
            failures.append(f"{tool_name}({json.dumps(arguments)[:300]}): {type(error).__name__}: {error}")
            raise
        assert result.content, f"{tool_name} returned no content"
        if result.is_error:
            text = "".join(getattr(block, "text", "") for block in result.content)
            assert text.strip(), f"{tool_name} failed without a reason"

    exercise()


def read_response(stdout, wanted_id: int, deadline_lines: int = 50) -> dict[str, Any]:
    """Reads JSON-RPC lines until the response with ``wanted_id`` (notifications and other ids are skipped)."""
    for _ in range(deadline_lines):
        line = stdout.readline()
        assert line, "whatsagent mcp closed its stdout"
        message = json.loads(line)
        if message.get("id") == wanted_id:
            return message
    raise AssertionError(f"no response with id {wanted_id}")


def test_raw_garbage_on_stdin_never_kills_the_server(agent_environment):
    proc = subprocess.Popen(
        [BIN, "mcp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=agent_environment,
    )
    try:
        assert proc.stdin and proc.stdout

        def send(raw: bytes) -> None:
            proc.stdin.write(raw + b"\n")
            proc.stdin.flush()

        initialize = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "fuzz", "version": "1"}},
        }
        send(json.dumps(initialize).encode())
        assert "result" in read_response(proc.stdout, 1)
        send(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}).encode())

        garbage = [
            b"{",
            b"not json at all",
            b"\xff\xfe\xfa invalid utf-8 \xc3\x28",
            b'{"jsonrpc":"2.0","id":"x","method":7}',
            b'{"jsonrpc":"1.0","id":2,"method":"tools/list"}',
            b'{"jsonrpc":"2.0","id":3,"method":"tools/call","params":"nope"}',
            b'{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":42,"arguments":[]}}',
            b'{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"no_such_tool","arguments":{}}}',
            b'{"jsonrpc":"2.0","id":6,"method":"no/such/method"}',
            b"[]",
            b"null",
            b'{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"send_message","arguments":{"to":"app:eng","body":"'
            + b"y" * (2 * 1024 * 1024)
            + b'"}}}',
        ]
        for raw in garbage:
            send(raw)
        send(json.dumps({"jsonrpc": "2.0", "id": 99, "method": "tools/call", "params": {"name": "whoami", "arguments": {}}}).encode())
        answer = read_response(proc.stdout, 99, deadline_lines=200)
        assert "result" in answer, answer
        assert "app:main" in json.dumps(answer["result"])
        assert proc.poll() is None, "whatsagent mcp died"
    finally:
        proc.kill()
        proc.wait(timeout=30)
