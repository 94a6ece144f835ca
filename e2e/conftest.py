"""Shared helpers for the WhatsAgent end-to-end tests.

Every test gets its own short temporary home (``tempfile.mkdtemp(prefix="wa-")``) and its own daemon on
port 0. Fixtures stop every daemon they started and delete every temporary directory, even when the test
fails. Nothing here sleeps to wait: readiness is what ``whatsagent start`` returns on (it returns once the daemon
listens), ``whatsagent stop`` returns once the daemon released its lock, and process exit is awaited on a pidfd
with a deadline.
"""

from __future__ import annotations

import http.client
import json as jsonlib
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from typing import Any, Iterable

import pytest

BIN = os.environ.get("WHATSAGENT_BIN", "/work/main/.build/debug/whatsagent")
CLI_TIMEOUT = 60

# Tests that assert behaviour whose fix has not landed yet (realclients/test_real_*_pending.py, issue 15): kept in the
# tree, not collected; they are renamed when their fix lands.
collect_ignore_glob = ["*_pending.py"]


# --------------------------------------------------------------------------------------------------------------
# Process helpers
# --------------------------------------------------------------------------------------------------------------


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a CLI child: ours without any WHATSAGENT_* variable, so --home is what counts."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("WHATSAGENT_")}
    if extra:
        env.update(extra)
    return env


def run(args: Iterable[str], env: dict[str, str] | None = None, cwd: str | None = None) -> subprocess.CompletedProcess:
    """Runs the whatsagent binary with ``args``; never inherits stdin."""
    return subprocess.run(
        [BIN, *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=CLI_TIMEOUT,
        env=child_env(env),
        cwd=cwd,
    )


def process_alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie counts as gone: it has exited and only waits to be reaped)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            stat = handle.read()
    except (FileNotFoundError, ProcessLookupError):
        return False
    state = stat.rsplit(")", 1)[1].split()[0]
    return state not in ("Z", "X")


def wait_for_exit(pid: int, timeout: float = 15.0) -> bool:
    """Waits for process ``pid`` to exit, on an event (pidfd readable) rather than a timer. True if it exited."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return not process_alive(pid)
            if poller.poll(int(remaining * 1000) + 1):
                return True
    finally:
        os.close(fd)


def free_ports(count: int) -> list[int]:
    """``count`` distinct TCP ports on 127.0.0.1 that were free a moment ago."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def port_of(url: str) -> int:
    match = re.fullmatch(r"http://127\.0\.0\.1:(\d+)", url)
    assert match, f"not a loopback URL with a port: {url!r}"
    return int(match.group(1))


# --------------------------------------------------------------------------------------------------------------
# Error assertions
# --------------------------------------------------------------------------------------------------------------


def assert_error(
    proc: subprocess.CompletedProcess,
    exit_code: int,
    *fragments: str,
    json_mode: bool = False,
    code: str | None = None,
) -> str:
    """Asserts a failed CLI call: the exit code, exactly one line on stderr (``error: …`` or the JSON envelope),
    nothing on stdout, and the message naming every fragment (case-insensitive). Returns the message."""
    detail = f"exit={proc.returncode}\nstdout={proc.stdout!r}\nstderr={proc.stderr!r}"
    assert proc.returncode == exit_code, f"expected exit {exit_code}\n{detail}"
    assert proc.stdout == "", f"a failed command printed on stdout\n{detail}"
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and proc.stderr.endswith("\n"), f"stderr must be exactly one line\n{detail}"
    line = lines[0]
    if json_mode:
        try:
            envelope = jsonlib.loads(line)
        except ValueError:
            pytest.fail(f"--json error output is not JSON\n{detail}")
        assert isinstance(envelope, dict) and set(envelope) == {"error"}, detail
        assert set(envelope["error"]) == {"code", "message"}, detail
        assert isinstance(envelope["error"]["code"], str) and envelope["error"]["code"], detail
        message = envelope["error"]["message"]
        assert isinstance(message, str) and message and "\n" not in message, detail
        if code is not None:
            assert envelope["error"]["code"] == code, f"expected code {code!r}\n{detail}"
    else:
        assert line.startswith("error: "), f"stderr must start with 'error: '\n{detail}"
        message = line[len("error: "):]
        assert message.strip(), detail
    for fragment in fragments:
        assert fragment.lower() in message.lower(), f"message should mention {fragment!r}\n{detail}"
    return message


# --------------------------------------------------------------------------------------------------------------
# Unix-socket HTTP
# --------------------------------------------------------------------------------------------------------------


class UnixHTTPConnection(http.client.HTTPConnection):
    """``http.client`` over a Unix domain socket."""

    def __init__(self, path: str, timeout: float = 30.0):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.unix_path)
        self.sock = sock


def unix_request(path: str, method: str, target: str, body: bytes | None = None, headers: dict | None = None):
    """One request on the Unix socket; returns (status, headers, body bytes)."""
    connection = UnixHTTPConnection(path)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def agent_call(daemon: "Daemon", token: str, tool: str, arguments: dict) -> dict:
    """One agent-protocol tool call with ``token``; must answer 200 (a refusal is a tool result with isError)."""
    status, _, body = unix_request(
        daemon.socket,
        "POST",
        f"/api/v1/agent/tools/{tool}",
        body=jsonlib.dumps(arguments).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert status == 200, body
    return jsonlib.loads(body)


def agent_drain(daemon: "Daemon", token: str, keep) -> list[str]:
    """Reads and acknowledges the agent's whole inbox (check_messages + ack until empty); returns the lines of the
    envelopes for which ``keep(line)`` is true, in order."""
    lines: list[str] = []
    while True:
        result = agent_call(daemon, token, "check_messages", {"limit": 100})
        if not result.get("leaseId"):
            return lines
        lines += [line for line in result["text"].splitlines() if keep(line)]
        status, _, _ = unix_request(
            daemon.socket,
            "POST",
            "/api/v1/agent/ack",
            body=jsonlib.dumps({"leaseId": result["leaseId"]}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        assert status == 204


# --------------------------------------------------------------------------------------------------------------
# The daemon helper
# --------------------------------------------------------------------------------------------------------------


class Daemon:
    """A WhatsAgent home, and the daemon that may run on it."""

    def __init__(self, home: str | None = None):
        self.home = home or tempfile.mkdtemp(prefix="wa-")
        self.info: dict | None = None
        self.pids: set[int] = set()  # every daemon pid seen on this home, for the teardown safety net

    # -- lifecycle -------------------------------------------------------------------------------------------

    def start(self, *args: str, env: dict[str, str] | None = None, port: str | None = "0") -> dict:
        """``whatsagent start --json`` (port 0 unless told otherwise); returns the DaemonInfo."""
        argv = ["start", "--home", self.home, "--json", *args]
        if port is not None:
            argv += ["--port", port]
        proc = run(argv, env=env)
        assert proc.returncode == 0, f"start failed: exit {proc.returncode}\n{proc.stderr}"
        info = jsonlib.loads(proc.stdout)
        self.remember(info)
        return info

    def remember(self, info: dict) -> None:
        self.info = info
        self.pids.add(int(info["pid"]))

    def stop(self) -> subprocess.CompletedProcess:
        """``whatsagent stop``; a daemon that is not running (exit 3) is fine."""
        proc = run(["stop", "--home", self.home])
        assert proc.returncode in (0, 3), f"stop failed: exit {proc.returncode}\n{proc.stderr}"
        return proc

    def teardown(self) -> None:
        """Stops the daemon, makes sure no daemon of this home survives, and deletes the home."""
        stopped = False
        try:
            stopped = self.stop().returncode == 0
        finally:
            # Safety net: a daemon that `stop` could not reach (its socket gone, say) is ended by pid.
            for pid in self.pids:
                if wait_for_exit(pid, timeout=10 if stopped else 0) or not self.owns(pid):
                    continue
                os.kill(pid, signal.SIGTERM)
                if not wait_for_exit(pid, timeout=10):
                    os.kill(pid, signal.SIGKILL)
                    wait_for_exit(pid, timeout=10)
            shutil.rmtree(self.home, ignore_errors=True)

    def owns(self, pid: int) -> bool:
        """True if ``pid`` is a whatsagent daemon of this home (so killing it is safe)."""
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                argv = handle.read().split(b"\0")
        except OSError:
            return False
        return self.home.encode() in argv and any(part.endswith(b"whatsagent") for part in argv)

    # -- properties ------------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self.info, "daemon not started"
        return self.info["url"]

    @property
    def port(self) -> int:
        return port_of(self.url)

    @property
    def pid(self) -> int:
        assert self.info, "daemon not started"
        return int(self.info["pid"])

    @property
    def socket(self) -> str:
        return os.path.join(self.home, "daemon.sock")

    @property
    def pid_file(self) -> str:
        return os.path.join(self.home, "daemon.pid")

    # -- the CLI ---------------------------------------------------------------------------------------------

    def cli(
        self,
        *args: str,
        json: bool = False,
        check: bool = True,
        env: dict[str, str] | None = None,
        cwd: str | None = None,
    ):
        """Runs ``whatsagent ARGS --home HOME [--json]``.

        With ``check`` the command must exit 0; with ``json`` and ``check`` the parsed stdout is returned,
        otherwise the CompletedProcess."""
        argv = [*args, "--home", self.home]
        if json:
            argv.append("--json")
        proc = run(argv, env=env, cwd=cwd)
        if check:
            assert proc.returncode == 0, (
                f"`whatsagent {' '.join(argv)}` exited {proc.returncode}\nstdout={proc.stdout!r}\nstderr={proc.stderr!r}"
            )
            if json:
                try:
                    return jsonlib.loads(proc.stdout)
                except ValueError:
                    pytest.fail(f"`whatsagent {' '.join(argv)}` did not print JSON: {proc.stdout!r}")
        return proc

    # -- the socket API --------------------------------------------------------------------------------------

    def request(self, method: str, target: str, body: bytes | None = None, headers: dict | None = None):
        return unix_request(self.socket, method, target, body=body, headers=headers)

    def api_json(self, target: str) -> Any:
        """GET ``target`` on the Unix socket; must answer 200 with JSON."""
        status, _, body = self.request("GET", target)
        assert status == 200, f"GET {target}: {status} {body[:300]!r}"
        return jsonlib.loads(body)

    # -- snapshots -------------------------------------------------------------------------------------------

    def api_snapshot(self) -> dict:
        """The same content as ``snapshot()``, read straight from the socket API (much faster than the CLI)."""
        workspaces = self.api_json("/api/v1/workspaces")
        state: dict[str, Any] = {"workspaces": workspaces, "repos": {}, "agents": {}}
        for workspace in workspaces["workspaces"]:
            if workspace["status"] != "active":
                continue
            wid = workspace["id"]
            state["repos"][wid] = self.api_json(f"/api/v1/workspaces/{wid}/repos")
            state["agents"][wid] = self.api_json(f"/api/v1/workspaces/{wid}/agents")
        return state

    def snapshot(self) -> dict:
        """Everything the CLI can list: workspaces, and the repos and agents of each live workspace (by id)."""
        workspaces = self.cli("workspace", "list", json=True)
        state: dict[str, Any] = {"workspaces": workspaces, "repos": {}, "agents": {}}
        for workspace in workspaces["workspaces"]:
            if workspace["status"] != "active":
                continue
            wid = workspace["id"]
            state["repos"][wid] = self.cli("repo", "list", "--workspace", wid, json=True)
            state["agents"][wid] = self.cli("agent", "list", "--workspace", wid, json=True)
        return state


# --------------------------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------------------------


def eventually(what, condition, timeout: float = 20.0):
    """Polls ``condition`` until it returns something truthy and returns it; fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def make_daemon():
    """A factory of Daemon helpers (``make_daemon(start=True)``); all are stopped and removed in teardown."""
    created: list[Daemon] = []

    def make(start: bool = True, home: str | None = None) -> Daemon:
        daemon = Daemon(home)
        created.append(daemon)
        if start:
            daemon.start()
        return daemon

    yield make
    errors = []
    for daemon in reversed(created):
        try:
            daemon.teardown()
        except Exception as error:  # keep tearing the others down
            errors.append(error)
    if errors:
        raise errors[0]


@pytest.fixture
def daemon(make_daemon) -> Daemon:
    """A running daemon on its own fresh home and port 0."""
    return make_daemon()


@pytest.fixture
def managed(daemon, make_dir):
    """A workspace with repo `api`; every runner is stopped afterwards (`stop --all`), whatever the test did."""
    repo = make_dir()
    daemon.cli("workspace", "add", "team")
    daemon.cli("repo", "add", repo, "--name", "api")
    daemon.repo = repo
    daemon.runner_pids = set()
    yield daemon
    daemon.cli("stop", "--all", check=False)
    for pid in daemon.runner_pids:
        if process_alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def make_dir():
    """A factory of short temporary directories (``make_dir(*subdirs)``), removed in teardown."""
    made: list[str] = []

    def make(*subdirs: str, prefix: str = "wr-") -> str:
        path = tempfile.mkdtemp(prefix=prefix)
        made.append(path)
        for sub in subdirs:
            os.makedirs(os.path.join(path, sub))
        return path

    yield make
    for path in made:
        shutil.rmtree(path, ignore_errors=True)


def sans_times(value: Any) -> Any:
    """``value`` without ``createdAt``/``updatedAt`` keys (at any depth).

    Used where a create/update response is compared with what is read back later; whether those timestamps agree
    is checked once, on its own, in test_repos_agents.py::test_create_responses_match_what_is_read_back."""
    if isinstance(value, dict):
        return {key: sans_times(item) for key, item in value.items() if key not in ("createdAt", "updatedAt")}
    if isinstance(value, list):
        return [sans_times(item) for item in value]
    return value
