"""Running the real CLIs for a test: external (the commands `agent connect --print-config` prints) and managed
(`agent launch`), with the scripted model of ``scenario``."""

from __future__ import annotations

import os
import shlex
import time

from realclients import scenario
from realclients.conftest import run_printed
from realclients.screen import Terminal
from conftest import BIN, child_env

CLAUDE_PREFIX = "mcp__whatsagent__"
SESSION_TIMEOUT = 60.0


def claude_script(mail: scenario.Mail) -> list:
    select = ",".join(CLAUDE_PREFIX + tool for tool in scenario.TOOLS)
    return [[("ToolSearch", {"query": f"select:{select}"})]] + scenario.steps(mail, CLAUDE_PREFIX)


def add_agents(team, runtime: str, main: str = "api:main") -> None:
    """`main` runs ``runtime`` with its default command (found on PATH, as a user has it); api:dev is a reviewer."""
    team.cli("agent", "add", main, "--runtime", runtime, "--main")
    team.cli("agent", "add", "api:dev", "--runtime", "custom", "--command", "/bin/true", "--role", "reviewer")


def claude_print_mode(team, address: str = "api:main"):
    """The printed Claude commands, run as printed with `-p` (print mode) added; the whole scenario. Returns
    (printed text, the mail, the finished process, the argv lines that held a session token)."""
    team.seed_claude()
    add_agents(team, "claude")
    mail = scenario.prepare(team, address)
    team.anthropic.script = claude_script(mail)
    printed = team.printed_config(address, "claude")
    team.connect_token = next(iter(team.session_tokens() - {team.dev_token}))
    started = time.monotonic()
    proc, leaks = run_printed(printed, "-p " + shlex.quote("Work through your WhatsAgent mail."), team.env,
                              team.repo, timeout=SESSION_TIMEOUT, secrets=team.session_tokens())
    proc.elapsed = time.monotonic() - started
    return printed, mail, proc, leaks


def codex_exec(team):
    """The printed Codex lines (exports and `codex -c …`), run as printed with `exec` and a prompt added."""
    add_agents(team, "codex")
    mail = scenario.prepare(team, "api:main")
    team.openai.script = scenario.steps(mail, CLAUDE_PREFIX)
    printed = team.printed_config("api:main", "codex")
    team.connect_token = next(iter(team.session_tokens() - {team.dev_token}))
    started = time.monotonic()
    proc, leaks = run_printed(printed, "exec --skip-git-repo-check " + shlex.quote("Work through your WhatsAgent mail."),
                              team.env, team.repo, timeout=SESSION_TIMEOUT, secrets=team.session_tokens())
    proc.elapsed = time.monotonic() - started
    return printed, mail, proc, leaks


def attach(team, address: str) -> Terminal:
    """The managed agent's terminal, rendered from `whatsagent agent attach` (the runner's buffer, then live)."""
    return Terminal.attach([BIN, "agent", "attach", address, "--home", team.daemon.home], child_env())


def launch(team, address: str) -> dict:
    launched = team.cli("agent", "launch", address, json=True)
    return launched["session"]


def online(team, address: str, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        session = team.cli("agent", "show", address, json=True).get("session") or {}
        if session.get("online"):
            return session
        if time.monotonic() > deadline:
            raise AssertionError(f"{address} never came online: {session}")
        time.sleep(0.1)


def wait_for_line(path: str, fragment: str, timeout: float = 30.0) -> None:
    """Polls the file at ``path`` (a CLI's debug log) until a line holds ``fragment``; fails after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                if fragment in handle.read():
                    return
        except FileNotFoundError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{fragment!r} never appeared in {path}")
        time.sleep(0.05)


def channel_requests(model) -> list[str]:
    """The `<channel source="whatsagent" …>…</channel>` blocks the model was shown in user turns."""
    return [text for text in model.user_texts() if '<channel source="whatsagent"' in text]


def result_of(model, step: int, timeout: float = 30.0) -> str:
    """Waits until the CLI sent the model the result of the first call of ``step``; returns it."""
    def found(_requests):
        results = scenario.step_results(model, step)
        return results[0] if results else None

    return model.wait_for(f"the result of step {step}", found, timeout)


def managed_claude_script(reply: str) -> list:
    select = ",".join(CLAUDE_PREFIX + tool for tool in ("check_messages", "send_message"))
    return [
        [("ToolSearch", {"query": f"select:{select}"})],
        [(CLAUDE_PREFIX + "check_messages", {})],
        [(CLAUDE_PREFIX + "send_message", {"to": "human-web", "body": reply})],
        "done",
    ]


def wait_until(what: str, condition, timeout: float = 30.0):
    """Polls ``condition`` until it returns something truthy; fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def spawn_printed(team, printed: str, extra: str) -> Terminal:
    """Starts the printed commands in a terminal of our own, as a user pastes them into an interactive shell:
    the lines before the last run first, then the last (the CLI) with ``extra`` appended. A 0600 script file, so no
    shell's argv holds what was printed."""
    commands = [line for line in printed.strip().splitlines() if line.strip()]
    commands[-1] = f"exec {commands[-1]} {extra}"
    script = os.path.join(team.home, "printed.sh")
    with open(os.open(script, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as handle:
        handle.write("\n".join(commands) + "\n")
    return Terminal.spawn(["sh", "-e", script], team.env, team.repo)
