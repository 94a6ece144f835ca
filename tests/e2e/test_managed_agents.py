"""Managed agents (SPEC §2, §6.1, §12, §15): `agent launch | stop | attach`, a fake MCP agent that answers the human,
PTY nudges, kill -9 of a runner, and re-adoption after a daemon restart."""

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import BIN, child_env, process_alive, wait_for_exit

FAKE_AGENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fakes", "mcp_fake_agent.py")
TIMEOUT = 20.0


def eventually(what, condition, timeout=TIMEOUT):
    """Polls ``condition`` until it returns something truthy; fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


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


def session_of(daemon, address):
    return daemon.cli("agent", "show", address, json=True).get("session")


def launch(daemon, address):
    result = daemon.cli("agent", "launch", address, json=True)
    daemon.runner_pids.add(result["session"]["runnerPid"])
    return result


def attach(daemon, address, data: bytes) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIN, "agent", "attach", address, "--home", daemon.home],
        input=data, capture_output=True, timeout=30, env=child_env(),
    )


def replies_from(daemon, address):
    messages = daemon.api_json(f"/api/v1/workspaces/current/messages?peer={address}&limit=50")["messages"]
    return [m["body"] for m in messages if m["from"] == address]


def add_fake_agent(daemon, address):
    daemon.cli("agent", "add", address, "--runtime", "custom", "--command", sys.executable, "--arg", FAKE_AGENT)


def test_a_launched_mcp_agent_answers_the_human(managed):
    add_fake_agent(managed, "api:bot")
    launched = launch(managed, "api:bot")
    assert launched["alreadyRunning"] is False and launched["session"]["kind"] == "managed"
    assert launched["command"] == sys.executable
    # Its MCP server holds the events stream and its runner lives: online, for the human and for its peers.
    eventually("api:bot to come online", lambda: (session_of(managed, "api:bot") or {}).get("online"))
    listed = {a["address"]: a for a in managed.cli("agent", "list", json=True)["agents"]}
    assert listed["api:bot"]["session"]["online"] is True and listed["api:bot"]["session"]["runnerAlive"] is True

    # No duplicate.
    again = managed.cli("agent", "launch", "api:bot", json=True)
    assert again["alreadyRunning"] is True and again["session"]["id"] == launched["session"]["id"]
    assert "already running" in managed.cli("agent", "launch", "api:bot").stdout

    # The human writes; the daemon nudges the agent's terminal; the agent reads its mail and answers.
    managed.cli("msg", "send", "api:bot", "ping-42 are you there?")
    replies = eventually("the reply", lambda: replies_from(managed, "api:bot"))
    assert replies == ["pong: ping-42"]

    stopped = managed.cli("agent", "stop", "api:bot", json=True)
    assert stopped["session"]["endReason"].startswith("stopped by the human")
    assert "fake agent ready" in stopped["session"]["exitTail"]
    assert "You have 1 WhatsAgent message waiting" in stopped["session"]["exitTail"]
    second = managed.cli("agent", "stop", "api:bot", check=False)
    assert second.returncode == 1 and "already stopped" in second.stderr


def test_attach_with_piped_stdin_and_the_detach_key(managed):
    managed.cli("agent", "add", "api:cat", "--runtime", "custom", "--command", "/bin/cat")
    launch(managed, "api:cat")

    echoed = attach(managed, "api:cat", b"hello\n")
    assert echoed.returncode == 0, echoed.stderr
    assert b"hello\r\nhello\r\n" in echoed.stdout  # the terminal's echo, then cat's copy

    # Ctrl-] detaches: what follows it is never typed.
    detached = attach(managed, "api:cat", b"abc\x1ddef\n")
    assert detached.returncode == 0, detached.stderr
    assert "endedAt" not in session_of(managed, "api:cat")
    later = attach(managed, "api:cat", b"ghi\n")
    assert b"hello" in later.stdout and b"abcghi" in later.stdout  # the buffered tail first, then live output
    assert b"def" not in later.stdout

    # An agent that is not running cannot be attached to.
    managed.cli("agent", "stop", "api:cat")
    refused = managed.cli("agent", "attach", "api:cat", check=False)
    assert refused.returncode == 1 and "agent launch api:cat" in refused.stderr


def test_a_killed_runner_ends_the_session_and_a_relaunch_reads_the_kept_mail(managed):
    add_fake_agent(managed, "api:bot")
    # Pushes off: the agent reads its mail only on its first turn, so mail sent while it runs stays queued.
    managed.cli("agent", "set", "api:bot", "--push", "off")
    runner = launch(managed, "api:bot")["session"]["runnerPid"]
    eventually("api:bot to come online", lambda: (session_of(managed, "api:bot") or {}).get("online"))
    sent = managed.cli("msg", "send", "api:bot", "hello-after-crash", json=True)
    assert sent["recipientOnline"] is True

    os.kill(runner, signal.SIGKILL)
    ended = eventually("the session to end", lambda: (lambda s: s if s.get("endedAt") else None)(session_of(managed, "api:bot")))
    assert "runner died" in ended["endReason"] and ended["online"] is False and ended["runnerAlive"] is False
    assert not process_alive(runner)

    # The mail is still waiting; the relaunched agent reads it on its first turn and answers.
    waiting = managed.api_json("/api/v1/workspaces/current/messages?peer=api:bot&limit=50")["messages"]
    assert [m["state"] for m in waiting if m["id"] == sent["message"]["id"]] in (["queued"], ["pushed"])
    relaunched = launch(managed, "api:bot")
    assert relaunched["alreadyRunning"] is False and relaunched["session"]["id"] != ended["id"]
    assert eventually("the reply", lambda: replies_from(managed, "api:bot")) == ["pong: hello-after-crash"]


def test_a_daemon_restart_readopts_the_runner(managed):
    managed.cli("agent", "add", "api:cat", "--runtime", "custom", "--command", "/bin/cat")
    launched = launch(managed, "api:cat")
    runner = launched["session"]["runnerPid"]

    old_pid = managed.pid
    managed.cli("stop")
    assert wait_for_exit(old_pid)
    assert process_alive(runner), "a daemon stop must not stop runners"
    managed.start()

    session = session_of(managed, "api:cat")
    assert session["id"] == launched["session"]["id"] and "endedAt" not in session and session["runnerAlive"] is True
    output = attach(managed, "api:cat", b"after-restart\n")
    assert b"after-restart\r\nafter-restart" in output.stdout

    # `stop --all` stops the runners with the daemon.
    managed.cli("stop", "--all")
    assert wait_for_exit(runner)
