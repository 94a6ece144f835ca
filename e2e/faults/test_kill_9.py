"""kill -9 under load (SPEC §15, issue 7).

- The daemon, during a burst of 5,000 sends from 10 agents: after a restart every send that returned success is
  delivered exactly once and in per-sender order; a launched agent's runner is re-adopted and its terminal reconnects
  with the output from before the crash still there.
- An agent's `whatsagent mcp` in the middle of a conversation: the agent keeps running without it (as a real runtime
  does) and shows offline, the mail sent to it meanwhile is kept, and after a stop the relaunch reads it and
  answers.
"""

from __future__ import annotations

import os
import signal
import threading

from conftest import agent_call as call
from conftest import agent_drain, eventually, process_alive, wait_for_exit
from test_managed_agents import (  # the `managed` fixture comes from conftest
    add_fake_agent,
    attach,
    launch,
    online_session,
    replies_from,
    session_of,
)

SENDERS = 10
PER_SENDER = 500






def test_kill_9_of_the_daemon_during_a_burst_of_5000_sends_from_10_agents(managed):
    daemon = managed
    daemon.cli("workspace", "set", "team", "--topology", "p2p", "--rate-limit", "off", "--loop-guard", "off")
    tokens = {}
    for name in ["sink"] + [f"s{index}" for index in range(SENDERS)]:
        daemon.cli("agent", "add", f"api:{name}")
        tokens[name] = daemon.cli("agent", "connect", f"api:{name}", json=True)["token"]
    daemon.cli("agent", "add", "api:cat", "--runtime", "custom", "--command", "/bin/cat")
    terminal = launch(daemon, "api:cat")["session"]
    assert b"before-the-crash" in attach(daemon, "api:cat", b"before-the-crash\n").stdout

    acknowledged: dict[str, list[int]] = {f"s{index}": [] for index in range(SENDERS)}
    third = threading.Barrier(SENDERS + 1)

    def burst(sender: str) -> None:
        for number in range(PER_SENDER):
            if number == PER_SENDER // 3:
                third.wait(timeout=120)
            try:
                result = call(
                    daemon,
                    tokens[sender],
                    "send_message",
                    {"to": "api:sink", "body": f"{sender}#{number}", "clientMessageId": f"{sender}-{number}"},
                )
            except (OSError, AssertionError):
                return  # the daemon is gone: this send did not return success
            if result["isError"]:
                return
            acknowledged[sender].append(number)

    threads = [threading.Thread(target=burst, args=(f"s{index}",)) for index in range(SENDERS)]
    for thread in threads:
        thread.start()
    third.wait(timeout=120)
    os.kill(daemon.pid, signal.SIGKILL)
    assert wait_for_exit(daemon.pid)
    for thread in threads:
        thread.join(timeout=120)
    assert process_alive(terminal["runnerPid"]), "the runner outlives the daemon"

    daemon.start()
    # Every sender finishes its 500 after the restart; retried ids never duplicate.
    for sender, numbers in acknowledged.items():
        for number in range(len(numbers), PER_SENDER):
            body = {"to": "api:sink", "body": f"{sender}#{number}", "clientMessageId": f"{sender}-{number}"}
            result = call(daemon, tokens[sender], "send_message", body)
            assert not result["isError"], result
    received = agent_drain(daemon, tokens["sink"], lambda line: line.startswith("s") and "#" in line)

    assert len(received) == len(set(received)) == SENDERS * PER_SENDER, "5,000 sends, each delivered exactly once"
    for sender in acknowledged:
        delivered = [int(body.split("#")[1]) for body in received if body.startswith(f"{sender}#")]
        assert delivered == list(range(PER_SENDER)), f"{sender}: per-sender order"

    # The runner was re-adopted: same session, and the terminal reconnects with the old output in its buffer.
    session = session_of(daemon, "api:cat")
    assert session["id"] == terminal["id"] and "endedAt" not in session and session["runnerAlive"] is True
    output = attach(daemon, "api:cat", b"after-the-crash\n").stdout
    assert b"before-the-crash" in output and b"after-the-crash\r\nafter-the-crash" in output


def mcp_server_of(agent_pid: int) -> int:
    """The `whatsagent mcp` process the fake agent started (its child)."""
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="utf-8") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{name}/cmdline", "rb") as handle:
                argv = handle.read().split(b"\0")
        except (OSError, ValueError, IndexError):
            continue
        if ppid == agent_pid and b"mcp" in argv:
            return int(name)
    raise AssertionError(f"no whatsagent mcp under pid {agent_pid}")


def test_kill_9_of_an_mcp_server_mid_conversation_keeps_the_mail_for_the_relaunch(managed):
    daemon = managed
    add_fake_agent(daemon, "api:bot")
    launch(daemon, "api:bot")
    session = online_session(daemon, "api:bot")
    daemon.cli("msg", "send", "api:bot", "first question")
    assert eventually("the first reply", lambda: replies_from(daemon, "api:bot")) == ["pong: first"]

    server = mcp_server_of(session["childPid"])
    os.kill(server, signal.SIGKILL)
    # Like a real runtime, the agent keeps running without its MCP server: it is offline, its runner alive.
    offline = eventually("api:bot to go offline", lambda: (lambda s: s if s and not s.get("online") else None)(session_of(daemon, "api:bot")))
    assert offline["id"] == session["id"] and offline["runnerAlive"] is True and "endedAt" not in offline

    sent = daemon.cli("msg", "send", "api:bot", "second question", json=True)
    assert sent["recipientOnline"] is False, "queued until an MCP server holds the stream again"
    daemon.cli("agent", "stop", "api:bot")
    ended = session_of(daemon, "api:bot")
    assert ended["id"] == session["id"] and ended.get("endedAt") and "stopped" in ended["endReason"], ended
    relaunched = launch(daemon, "api:bot")
    assert relaunched["alreadyRunning"] is False and relaunched["session"]["id"] != session["id"]
    replies = eventually("the second reply", lambda: (lambda r: r if len(r) == 2 else None)(replies_from(daemon, "api:bot")))
    assert sorted(replies) == ["pong: first", "pong: second"]
