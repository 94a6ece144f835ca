"""Managed agents (SPEC §2, §6.1, §12, §15): `agent launch | stop | attach`, a fake MCP agent that answers the human
and other agents, PTY nudges, kill -9 of a runner or of the daemon, re-adoption after a daemon restart, and attaching
to a bash agent."""

import asyncio
import os
import signal
import subprocess
import sys
import time

from mcp import ClientSession, StdioServerParameters, stdio_client

from conftest import BIN, child_env, eventually, process_alive, wait_for_exit

FAKE_AGENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fakes", "mcp_fake_agent.py")
TIMEOUT = 20.0


def session_of(daemon, address):
    return daemon.cli("agent", "show", address, json=True).get("session")


def launch(daemon, address):
    result = daemon.cli("agent", "launch", address, json=True)
    if "runnerPid" in result["session"]:  # absent when the agent already exited (an ended session has no runner)
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
    assert "[WhatsAgent] new message waiting" in stopped["session"]["exitTail"]
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


def online_session(daemon, address):
    """The live session of ``address`` once it is online (its MCP server holds the stream, its runner lives)."""
    def online():
        session = session_of(daemon, address)
        return session if session and session.get("online") else None

    return eventually(f"{address} to come online", online)


def thread_with(daemon, address):
    """The bodies of the human's conversation with ``address`` as `msg thread --json` shows it, oldest first."""
    messages = daemon.cli("msg", "thread", address, json=True)["messages"]
    return [(m["from"], m["to"], m["body"]) for m in sorted(messages, key=lambda m: m["sentAt"])]


def test_a_kill_9_of_the_daemon_leaves_the_agent_running_and_a_restart_readopts_it(managed):
    add_fake_agent(managed, "api:bot")
    launched = launch(managed, "api:bot")["session"]
    before = online_session(managed, "api:bot")
    agent_pid = before["childPid"]
    assert agent_pid and process_alive(agent_pid)

    daemon_pid = managed.pid
    os.kill(daemon_pid, signal.SIGKILL)
    assert wait_for_exit(daemon_pid)
    assert process_alive(launched["runnerPid"]) and process_alive(agent_pid), "a daemon crash must not take the agent down"

    managed.start()
    assert managed.pid != daemon_pid
    # The same session, re-adopted: its runner reconnected and the agent's `whatsagent mcp` reopened its stream.
    after = online_session(managed, "api:bot")
    assert after["id"] == launched["id"] and "endedAt" not in after
    assert after["runnerAlive"] is True and after["runnerPid"] == launched["runnerPid"] and after["childPid"] == agent_pid
    listed = {a["address"]: a for a in managed.cli("agent", "list", json=True)["agents"]}
    assert listed["api:bot"]["session"]["online"] is True

    # Messages flow both ways: the human's DM is pushed (a PTY nudge), the agent reads it and answers human-web.
    managed.cli("msg", "send", "api:bot", "after-kill-9 still there?")
    eventually("the reply", lambda: ("api:bot", "human-web", "pong: after-kill-9") in thread_with(managed, "api:bot"))
    inbox = managed.cli("msg", "inbox", json=True)["messages"]
    assert any(m["from"] == "api:bot" and m["body"] == "pong: after-kill-9" for m in inbox)
    conversation = managed.api_json("/api/v1/workspaces/current/messages?peer=api:bot&limit=50")["messages"]
    # The human's DM was returned by check_messages and acknowledged.
    assert [m["state"] for m in conversation if m["from"] == "human-web"] == ["acknowledged"]


def test_a_dm_from_another_agent_is_pushed_to_a_launched_agent_which_answers_it(managed):
    """api:lead (main, star topology) is an external agent driven here through `whatsagent mcp` by the MCP SDK."""
    managed.cli("agent", "add", "api:lead", "--main")
    add_fake_agent(managed, "api:bot")
    launch(managed, "api:bot")
    online_session(managed, "api:bot")
    lead = managed.cli("agent", "connect", "api:lead", json=True)

    async def scenario():
        server = StdioServerParameters(command=BIN, args=["mcp"], env=lead["environment"])
        async with stdio_client(server) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                sent = await session.call_tool("send_message", {"to": "api:bot", "body": "agent-to-agent-7 status?"})
                assert not sent.is_error and sent.structured_content["recipientOnline"] is True
                deadline = time.monotonic() + TIMEOUT
                while True:  # the answer is a DM to api:lead; read it as an agent does
                    inbox = await session.call_tool("check_messages", {})
                    text = "".join(getattr(block, "text", "") for block in inbox.content)
                    if "pong: agent-to-agent-7" in text:
                        return text
                    assert time.monotonic() < deadline, "timed out waiting for api:bot's answer"
                    await asyncio.sleep(0.1)

    text = asyncio.run(scenario())
    assert "from: api:bot" in text
    # The typed nudge is the push agent show reports, confirmed by the agent's check_messages (issue 16).
    shown = managed.cli("agent", "show", "api:bot", json=True)
    assert shown["pushPath"] == "typed" and shown["lastPushPath"] == "typed", shown
    assert shown["lastPushConfirmedAt"] >= shown["lastPushAt"] and "pushWarning" not in shown, shown
    # The launched agent learnt of the DM from its terminal (the daemon's nudge), not from the human.
    tail = managed.cli("agent", "stop", "api:bot", json=True)["session"]["exitTail"]
    assert "[WhatsAgent] new message waiting" in tail and "answered api:lead: ok" in tail
    assert not any(m["from"] == "api:bot" for m in managed.cli("msg", "inbox", json=True)["messages"])


def test_attach_shows_what_a_bash_agent_printed_for_the_typed_command(managed):
    managed.cli("agent", "add", "api:sh", "--runtime", "custom", "--command", "bash", "--arg", "--noprofile", "--arg", "--norc")
    launch(managed, "api:sh")

    # The typed line holds `$((6*7))`; only bash running it prints `marker-42`.
    output = attach(managed, "api:sh", b"echo marker-$((6*7))\n")
    assert output.returncode == 0, output.stderr
    assert b"marker-$((6*7))" in output.stdout and b"marker-42" in output.stdout

    # State survives between attachments: a variable set in one is read in the next.
    attach(managed, "api:sh", b"WA_VALUE=$((40+2))x\n")
    later = attach(managed, "api:sh", b"echo got-$WA_VALUE\n")
    assert b"got-42x" in later.stdout
    exited = attach(managed, "api:sh", b"exit 3\n")
    assert exited.returncode == 0 and b"exited with code 3" in exited.stderr
    ended = eventually("the session to end", lambda: (lambda s: s if s.get("endedAt") else None)(session_of(managed, "api:sh")))
    assert ended["exitCode"] == 3


def daemon_descriptors(daemon):
    """What the daemon's open descriptors point at (``/proc/<pid>/fd``), by descriptor number."""
    targets = {}
    for name in os.listdir(f"/proc/{daemon.pid}/fd"):
        try:
            targets[int(name)] = os.readlink(f"/proc/{daemon.pid}/fd/{name}")
        except FileNotFoundError:  # closed while listing
            pass
    return targets


def test_launch_and_stop_cycles_leak_no_daemon_descriptor(managed):
    managed.cli("agent", "add", "api:cat", "--runtime", "custom", "--command", "/bin/cat")
    managed.cli("agent", "add", "api:once", "--runtime", "custom", "--command", "/bin/true")

    def cycle():
        launch(managed, "api:cat")
        assert b"cycle\r\ncycle" in attach(managed, "api:cat", b"cycle\n").stdout  # a viewer connection too
        running = len(daemon_descriptors(managed))
        managed.cli("agent", "stop", "api:cat")
        # An agent that exits by itself ends its session through the runner's exit report instead.
        launch(managed, "api:once")
        eventually("api:once to end", lambda: (session_of(managed, "api:once") or {}).get("endedAt"))
        return running

    # One warm-up cycle opens what the daemon opens once and keeps (database handles, the run directory, …).
    cycle()
    baseline = daemon_descriptors(managed)
    while_running = [cycle() for _ in range(10)]
    # The count does see a runner: while one runs the daemon holds its connection.
    assert min(while_running) > len(baseline), (while_running, len(baseline))
    # The CLI's own connections close asynchronously on the daemon's side: wait for them, with a deadline.
    deadline = time.monotonic() + 10
    while len(current := daemon_descriptors(managed)) > len(baseline) and time.monotonic() < deadline:
        time.sleep(0.05)
    leaked = sorted(set(current.values()) - set(baseline.values())) if len(current) > len(baseline) else []
    assert len(current) <= len(baseline), f"{len(current) - len(baseline)} descriptors leaked: {leaked}"
    # Runners are reparented to init and every intermediate process was reaped: no child (zombie or not) is left.
    assert children_of(managed.pid) == []


def children_of(pid):
    """The processes whose parent is ``pid`` (zombies included), as (pid, state) pairs."""
    children = []
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{name}/stat", encoding="utf-8") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[1]) == pid:
            children.append((int(name), fields[0]))
    return children


def test_nudge_off_flags_the_mail_without_typing_and_the_flag_clears_once_it_is_read(managed):
    managed.cli("agent", "add", "api:bot", "--runtime", "custom", "--command", sys.executable, "--arg", FAKE_AGENT, "--nudge", "off")
    shown = managed.cli("agent", "show", "api:bot").stdout
    assert "push:     on" in shown and "nudge:    off (mail only flags a pending nudge" in shown
    assert "push path: none — none: mail waits until the agent calls check_messages" in shown
    assert managed.cli("agent", "show", "api:bot", json=True)["nudgeEnabled"] is False
    launch(managed, "api:bot")
    online_session(managed, "api:bot")

    managed.cli("msg", "send", "api:bot", "flagged-1 read me")
    eventually("the pending-nudge flag", lambda: session_of(managed, "api:bot")["pendingNudge"])
    assert "pending:  mail is waiting" in managed.cli("agent", "show", "api:bot").stdout
    # The human inserts the nudge by hand; the agent reads its mail and answers; the flag comes down.
    attach(managed, "api:bot", b"check_messages\n")
    assert eventually("the reply", lambda: replies_from(managed, "api:bot")) == ["pong: flagged-1"]
    eventually("the flag to clear", lambda: session_of(managed, "api:bot")["pendingNudge"] is False)
    tail = managed.cli("agent", "stop", "api:bot", json=True)["session"]["exitTail"]
    assert "WhatsAgent message waiting" not in tail
