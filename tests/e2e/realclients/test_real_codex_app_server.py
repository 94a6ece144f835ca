"""A managed Codex 0.147.0 behind its app-server (issue 16, "Codex: turns, not keystrokes"): the runner's PTY runs
`whatsagent codex-attach`, which starts `codex app-server --listen unix://<run>/<stem>.codex.sock` and attaches the TUI
with `codex --remote`; the daemon, a second client of that app-server, starts a turn with the hint when the thread is
idle and steers the running turn when it is busy. Nothing is typed into the terminal, and the daemon answers no
approval. With a Codex whose app-server does not start, the session falls back to the typed nudge."""

from __future__ import annotations

import glob
import json
import os
import secrets
import stat

from realclients import scenario, sessions
from realclients.app_server_client import AppServerObserver
from realclients.conftest import CODEX
from realclients.sessions import CLAUDE_PREFIX as PREFIX

HINT = "[WhatsAgent] new message waiting — call check_messages"


def run_files(team, suffix: str) -> list[str]:
    return glob.glob(os.path.join(team.daemon.home, "workspaces", "*", "run", "*" + suffix))


def attach_status(team) -> dict:
    [path] = sessions.wait_until("codex-attach's status file", lambda: run_files(team, ".codex.status.json"))
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def diagnostics(team) -> str:
    """The daemon's log and the app-server's, for a failure message."""
    parts = []
    for path in [os.path.join(team.daemon.home, "logs", "daemon.log")] + run_files(team, ".codex.log") + run_files(team, ".log"):
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                parts.append(f"--- {path}\n{handle.read()[-4000:]}")
        except OSError:
            pass
    return "\n".join(parts)


def hint_requests(model) -> list[dict]:
    """The model requests whose user input holds the hint."""
    return [body for body in model.main_requests()
            if any(HINT in json.dumps(item, ensure_ascii=False) for item in body.get("input", []) if item.get("role") == "user")]


def start(team, script: list) -> tuple:
    sessions.add_agents(team, "codex")
    team.openai.script = script
    sessions.launch(team, "api:main")
    terminal = sessions.attach(team, "api:main")
    terminal.wait_for("OpenAI Codex (v0.147.0)", timeout=60)
    terminal.wait_for("› ")
    sessions.online(team, "api:main")
    return terminal


def test_mail_to_an_idle_managed_codex_starts_a_turn_with_no_keystroke(team):
    tag = secrets.token_hex(4)
    body, reply, draft = f"human-dm-{tag}: is the build green?", f"reply-{tag}", f"draft {tag} half written"
    terminal = start(team, [
        [(PREFIX + "check_messages", {})],
        [(PREFIX + "send_message", {"to": "human-web", "body": reply})],
        "done",
    ])
    try:
        status = attach_status(team)
        assert status["path"] == "app-server", status
        [sock] = run_files(team, ".codex.sock")
        assert stat.S_IMODE(os.stat(sock).st_mode) & 0o077 == 0, oct(os.stat(sock).st_mode)
        # The human is halfway through a prompt: a typed nudge would land in it (or wait for the human to stop).
        terminal.write(draft.encode())
        terminal.wait_for(draft)
        team.cli("msg", "send", "api:main", body)
        model = team.openai
        try:
            [first, *_] = model.wait_for("a model request with the hint", lambda _: hint_requests(model), 30)
        except AssertionError as failure:
            raise AssertionError(f"{failure}\n{diagnostics(team)}") from None
        assert body not in json.dumps(first), "the hint carries no body"
        inbox = sessions.result_of(model, 0)
        assert scenario.fenced(inbox, body), f"check_messages showed the model no fenced body:\n{inbox}"
        sessions.wait_until("the reply to human-web", lambda: ("api:main", "human-web", reply) in team.thread("api:main"))
        # No keystroke: the hint is not in the composer, and the human's draft is still there, whole.
        screen = terminal.wait_for("done [step 2]")
        composer = [line for line in screen.splitlines() if line.startswith("› ")]
        assert composer and composer[-1] == f"› {draft}", screen
        # The runner saw no input but the human's draft.
        assert HINT not in composer[-1]
    finally:
        terminal.close()
