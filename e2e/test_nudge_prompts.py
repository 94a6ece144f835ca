"""Typed nudges never answer a prompt (docs/security.md, "Typed nudges"; issue 14): a fake terminal UI shows a y/n
question or Codex's numbered MCP tool approval with the cursor on "1. Allow", mail arrives, and nothing is typed while
the prompt shows — over several of the nudge's quiet periods — and the nudge stays pending; once the prompt is
cleared the nudge is typed, starting with a key no prompt takes."""

import os
import sys
import time

import pytest

from conftest import eventually

PROMPT_TUI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fakes", "prompt_tui.py")
NUDGE = "[WhatsAgent] new message waiting — call check_messages".encode()
# A custom agent's nudge waits for 1 s of quiet output (not configurable) and is retried every 250 ms: five quiet
# periods, about twenty attempts.
HELD_FOR = 5.0
TIMEOUT = 20.0


def session_of(daemon, address):
    return daemon.cli("agent", "show", address, json=True).get("session") or {}


def received(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return b""


@pytest.mark.parametrize(
    ("mode", "phrase"),
    [("yn", "[y/n]"), ("menu", "mcp server to run tool")],
    ids=["y/n question", "numbered approval on 1. Allow"],
)
def test_a_typed_nudge_waits_while_a_prompt_shows(managed, mode, phrase):
    record = os.path.join(managed.repo, "received.bin")
    marker = os.path.join(managed.repo, "clear-the-prompt")
    managed.cli(
        "agent", "add", "api:tui", "--runtime", "custom", "--command", sys.executable,
        "--arg", PROMPT_TUI, "--arg", mode, "--arg", record, "--arg", marker,
    )
    launched = managed.cli("agent", "launch", "api:tui", json=True)
    managed.runner_pids.add(launched["session"]["runnerPid"])
    eventually("api:tui to come online", lambda: session_of(managed, "api:tui").get("online"))
    # The runner sees the prompt (the web UI's "needs approval").
    eventually("the attention flag", lambda: session_of(managed, "api:tui").get("attention") == phrase)

    managed.cli("msg", "send", "api:tui", "hello")
    eventually("the pending nudge", lambda: session_of(managed, "api:tui").get("pendingNudge"))
    deadline = time.monotonic() + HELD_FOR
    while time.monotonic() < deadline:
        assert received(record) == b"", "a nudge was typed into the prompt"
        time.sleep(0.05)
    assert session_of(managed, "api:tui").get("pendingNudge") is True, "the nudge must stay pending, not be dropped"

    # The prompt goes away (answered elsewhere): the nudge follows once the output has been quiet.
    open(marker, "w").close()
    typed = eventually("the nudge", lambda: (data := received(record)).endswith(b"\r") and data)
    assert typed == NUDGE + b"\r"
    assert typed[:1] == b"["
    eventually("the pending flag to clear", lambda: session_of(managed, "api:tui").get("pendingNudge") is False)
