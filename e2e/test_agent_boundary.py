"""The owner-socket boundary against an agent that tries to act as the human (docs/security.md, issue 14): a
connection opened by a reaped child, a chain of processes deeper than the ancestry walk's limit, and orphans detached
by a double fork or `setsid -f` are all refused `403 human_only`; the orphans do not outlive the session; the human's
own CLI still works, and a deep chain outside any agent is refused with what to do instead."""

import json
import os
import signal
import subprocess
import sys

import pytest

from conftest import child_env, eventually as eventually_within, process_alive, wait_for_exit

ATTACKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fakes", "boundary_attacker.py")
TIMEOUT = 30.0


def eventually(what, condition, timeout=TIMEOUT):
    return eventually_within(what, condition, timeout)


def read_json(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        return None


@pytest.fixture
def attack(daemon, make_dir):
    """Launches the attacker in MODE as a managed `custom` agent; returns its output folder. Every runner and every
    orphan the attacker reported is gone afterwards, whatever the test did."""
    repo = make_dir()
    out = make_dir()
    daemon.cli("workspace", "add", "team")
    daemon.cli("repo", "add", repo, "--name", "api")
    runners = []

    def launch(mode):
        address = f"api:{mode.replace('-', '')}"
        daemon.cli("agent", "add", address, "--runtime", "custom", "--command", sys.executable,
                   "--arg", ATTACKER, "--arg", mode, "--arg", out)
        session = daemon.cli("agent", "launch", address, json=True)["session"]
        if "runnerPid" in session:
            runners.append(session["runnerPid"])
        return address, session.get("runnerPid")

    launch.out = out
    yield launch
    daemon.cli("stop", "--all", check=False)
    pids = runners + [(read_json(os.path.join(out, "orphan-running.json")) or {}).get("pid", 0)]
    for pid in pids:
        if pid and process_alive(pid):
            os.kill(pid, signal.SIGKILL)


def assert_human_only(result):
    assert result is not None
    assert result["status"] == 403, result
    assert json.loads(result["body"])["error"]["code"] == "human_only"


def session_ended(daemon, address):
    session = daemon.cli("agent", "show", address, json=True).get("session") or {}
    return session if session.get("endedAt") else None


def test_a_connection_opened_by_a_reaped_child_is_not_the_human(daemon, attack):
    attack("reaped-child")
    result = eventually("the attempt", lambda: read_json(os.path.join(attack.out, "reaped-child.json")))
    assert_human_only(result)
    assert "has exited" in json.loads(result["body"])["error"]["message"]
    assert not process_alive(result["connectedBy"])


def test_a_chain_deeper_than_the_walk_is_not_the_human(daemon, attack):
    attack("deep-chain")
    result = eventually("the attempt", lambda: read_json(os.path.join(attack.out, "deep-chain.json")))
    assert_human_only(result)


@pytest.mark.parametrize("mode", ["double-fork", "setsid-f"])
def test_a_detached_orphan_stays_the_agent_and_dies_with_the_session(daemon, attack, mode):
    address, runner = attack(mode)
    running = eventually("the orphan's attempt", lambda: read_json(os.path.join(attack.out, "orphan-running.json")))
    # Detached into a session of its own, yet reparented to the runner (a subreaper), not to init: still the agent.
    assert_human_only(running)
    assert running["parent"] == runner and running["session"] != runner
    assert "managed agent" in json.loads(running["body"])["error"]["message"]

    # The agent exits; the session ends and the runner ends the orphan (it ignores SIGTERM, so SIGKILL after the grace).
    eventually("the session to end", lambda: session_ended(daemon, address))
    assert wait_for_exit(running["pid"], timeout=TIMEOUT), "the orphan outlived its session"
    after = read_json(os.path.join(attack.out, "orphan-after.json"))
    if after is not None and "status" in after:  # it may have been ended before it could try
        assert after["status"] != 200, after


def test_the_humans_cli_is_the_human_and_a_deep_chain_outside_any_agent_is_told_what_to_do(daemon, make_dir):
    # The CLI run from this test (no runner among its ancestors) acts as the human.
    assert daemon.cli("status", json=True)["pid"] == daemon.pid

    # A chain of 70 processes started by the human: the walk cannot reach pid 1, so it is refused, with the way out.
    out = make_dir()
    env = child_env({"WHATSAGENT_SOCKET": daemon.socket})
    subprocess.run([sys.executable, ATTACKER, "deep-chain", out], env=env, check=True, timeout=60)
    result = read_json(os.path.join(out, "deep-chain.json"))
    assert_human_only(result)
    message = json.loads(result["body"])["error"]["message"]
    assert "deeper than 64" in message and "not inside an agent session" in message
