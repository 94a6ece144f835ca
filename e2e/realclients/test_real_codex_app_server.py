"""A managed Codex 0.147.0 behind its app-server (issue 16, "Codex: turns, not keystrokes"): the runner's PTY runs
`whatsagent codex-attach`, which starts `codex app-server --listen unix://<run>/<stem>.codex.sock` and attaches the TUI
with `codex --remote`; the daemon, a second client of that app-server, starts a turn with the hint when the thread is
idle and steers the running turn when it is busy. Nothing is typed into the terminal, and the daemon answers no
approval. With a Codex whose app-server does not start, or stops during the session, the session falls back to the
typed nudge."""

from __future__ import annotations

import glob
import json
import os
import secrets
import signal
import stat
import threading
import time

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
        sessions.wait_until("the app-server push path", lambda: team.cli("agent", "show", "api:main", json=True)
                            .get("pushPath") == "app-server")
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
        # The app-server got developer_instructions: the colleague protocol's delivery note for Codex is in the request.
        assert "A user message starting `[WhatsAgent]`" in json.dumps(first, ensure_ascii=False)
        inbox = sessions.result_of(model, 0)
        assert scenario.fenced(inbox, body), f"check_messages showed the model no fenced body:\n{inbox}"
        sessions.wait_until("the reply to human-web", lambda: ("api:main", "human-web", reply) in team.thread("api:main"))
        # The agent's push path and its confirmation (the app-server reported the turn).
        shown = team.cli("agent", "show", "api:main", json=True)
        assert shown["pushPath"] == "app-server" and shown.get("lastPushConfirmedAt"), shown
        assert not shown.get("pushWarning"), shown
        [sent] = [m for m in team.cli("msg", "thread", "api:main", json=True)["messages"] if m["body"] == body]
        assert sent.get("pushPath") == "app-server", sent
        # No keystroke: the hint is not in the composer, and the human's draft is still there, whole.
        screen = terminal.wait_for("done [step 2]")
        composer = [line for line in screen.splitlines() if line.startswith("› ")]
        assert composer and composer[-1] == f"› {draft}", screen
        # The runner saw no input but the human's draft.
        assert HINT not in composer[-1]
    finally:
        terminal.close()


def daemon_log_holds(team, fragment: str) -> bool:
    try:
        with open(os.path.join(team.daemon.home, "logs", "daemon.log"), encoding="utf-8") as handle:
            return fragment in handle.read()
    except OSError:
        return False


def observe(team) -> AppServerObserver:
    """A third client of the session's app-server, watching the broadcast thread status."""
    [sock] = sessions.wait_until("the app-server socket", lambda: run_files(team, ".codex.sock"))
    return AppServerObserver(sock)


def test_mail_during_a_turn_is_steered_into_it(team):
    tag = secrets.token_hex(4)
    body, reply, prompt = f"human-dm-{tag}: also check the docs", f"reply-{tag}", f"refactor the parser {tag}"
    release = threading.Event()
    team.openai.holds[0] = release  # the human's turn stays running until the hint is in
    terminal = start(team, [
        "working on it",
        [(PREFIX + "check_messages", {})],
        [(PREFIX + "send_message", {"to": "human-web", "body": reply})],
        "done",
    ])
    observer = observe(team)
    try:
        assert attach_status(team)["path"] == "app-server"
        model = team.openai
        terminal.write(prompt.encode())
        terminal.wait_for(prompt)
        terminal.press("enter")
        model.wait_for("the human's turn", lambda _: [t for t in model.user_texts() if prompt in t], 30)
        observer.wait_for_status("active")
        team.cli("msg", "send", "api:main", body)
        try:
            sessions.wait_until("the daemon's steer", lambda: daemon_log_holds(team, '"push":"steered"'))
        except AssertionError as failure:
            raise AssertionError(f"{failure}\n{diagnostics(team)}") from None
        release.set()
        [hinted, *_] = model.wait_for("a model request with the hint", lambda _: hint_requests(model), 30)
        hinted_at = next(r["at"] for r in model.requests if r["body"] is hinted)
        # The same turn: the thread went active for the human's prompt and was never idle until the hint reached
        # the model (a new turn would have needed the first one to end).
        statuses = observer.statuses()
        active_at = next(at for at, kind, _ in statuses if kind == "active")
        assert not [s for s in statuses if active_at < s[0] < hinted_at and s[1] == "idle"], statuses
        conversation = json.dumps(hinted["input"], ensure_ascii=False)
        assert prompt in conversation and "working on it [step 0]" in conversation
        inbox = sessions.result_of(model, 1)
        assert scenario.fenced(inbox, body), f"check_messages showed the model no fenced body:\n{inbox}"
        sessions.wait_until("the reply to human-web", lambda: ("api:main", "human-web", reply) in team.thread("api:main"))
    finally:
        release.set()
        observer.close()
        terminal.close()


def test_a_command_approval_in_a_daemon_started_turn_waits_for_the_human(team):
    tag = secrets.token_hex(4)
    marker = os.path.join(team.repo, f"approved-{tag}")
    # Codex asks before running any command that is not known to be safe (a top-level key: before the tables).
    path = os.path.join(team.codex_home, "config.toml")
    with open(path, encoding="utf-8") as handle:
        config = handle.read()
    with open(path, "w", encoding="utf-8") as handle:
        handle.write('approval_policy = "untrusted"\n' + config)
    terminal = start(team, [[("exec_command", {"cmd": f"touch {marker}"})], "done"])
    observer = observe(team)
    try:
        team.cli("msg", "send", "api:main", f"human-dm-{tag}: please run the check")
        model = team.openai
        try:
            [first, *_] = model.wait_for("the daemon's turn", lambda _: hint_requests(model), 30)
        except AssertionError as failure:
            raise AssertionError(f"{failure}\n{diagnostics(team)}") from None
        assert first is model.main_requests()[0], "the turn was the daemon's: its first request carries the hint"
        terminal.wait_for("Would you like to run the following command?")
        observer.wait_for_status("active", "waitingOnApproval")
        # The question stays with the human: nothing answers it while they look away.
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:
            assert not os.path.exists(marker), "the command ran without the human's approval"
            assert "Would you like to run the following command?" in terminal.text()
            time.sleep(0.1)  # a bounded watch that nothing happens, not a wait for an event
        terminal.write(b"y")  # the human: "Yes, proceed (y)"
        sessions.wait_until("the approved command", lambda: os.path.exists(marker))
        model.wait_for("the command's result", lambda _: model.tool_results().get("call_s0_0"), 30)
    finally:
        observer.close()
        terminal.close()


def test_a_codex_whose_app_server_does_not_start_gets_the_typed_nudge(team):
    # A Codex without a working app-server: the same binary, but `app-server` refuses to start.
    wrapper = os.path.join(team.home, "codex-without-app-server")
    with open(wrapper, "w", encoding="utf-8") as handle:
        handle.write('#!/bin/sh\nif [ "$1" = app-server ]; then echo "error: unrecognized subcommand app-server" >&2; '
                     f'exit 2; fi\nexec {CODEX} "$@"\n')
    os.chmod(wrapper, 0o755)
    team.cli("agent", "add", "api:main", "--runtime", "codex", "--main", "--command", wrapper)
    team.cli("agent", "add", "api:dev", "--runtime", "custom", "--command", "/bin/true", "--role", "reviewer")
    tag = secrets.token_hex(4)
    body, reply = f"human-dm-{tag}: is the build green?", f"reply-{tag}"
    team.openai.script = [
        [(PREFIX + "check_messages", {})],
        [(PREFIX + "send_message", {"to": "human-web", "body": reply})],
        "done",
    ]
    sessions.launch(team, "api:main")
    terminal = sessions.attach(team, "api:main")
    try:
        terminal.wait_for("OpenAI Codex (v0.147.0)", timeout=60)
        terminal.wait_for("› ")
        sessions.online(team, "api:main")
        status = attach_status(team)
        assert status["path"] == "typed" and "exited" in status["reason"], status
        assert not run_files(team, ".codex.sock")
        [plain] = outermost(processes_with("-c"))  # the only Codex (no app-server; not a child mid-fork)
        assert signal_mask(plain) == 0, "plain codex blocks no signal (an agent stop's SIGTERM reaches it)"
        # Said on the terminal before Codex drew its screen (in the output, not on the final screen).
        assert "Codex runs without its app-server" in bytes(terminal.raw).decode("utf-8", "replace")
        shown = sessions.wait_until("the typed push path", lambda: (lambda a: a if a.get("pushPath") == "typed" else None)(
            team.cli("agent", "show", "api:main", json=True)))
        assert "app-server did not start" in shown["pushPathReason"] and "exited" in shown["pushPathReason"], shown
        assert "app-server did not start" in team.cli("agent", "show", "api:main").stdout
        team.cli("msg", "send", "api:main", body)
        model = team.openai
        try:
            model.wait_for("the typed nudge", lambda _: hint_requests(model), 30)
        except AssertionError as failure:
            raise AssertionError(f"{failure}\n{diagnostics(team)}") from None
        inbox = sessions.result_of(model, 0)
        assert scenario.fenced(inbox, body), f"check_messages showed the model no fenced body:\n{inbox}"
        sessions.wait_until("the reply to human-web", lambda: ("api:main", "human-web", reply) in team.thread("api:main"))
    finally:
        terminal.close()


def test_after_a_daemon_restart_mail_still_starts_a_turn(team):
    # The app-server is the runner's child, not the daemon's: a restarted daemon re-adopts the runner, finds the plan
    # in the run folder and connects to the same app-server.
    tag = secrets.token_hex(4)
    body, reply = f"human-dm-{tag}: still there?", f"reply-{tag}"
    terminal = start(team, [
        [(PREFIX + "check_messages", {})],
        [(PREFIX + "send_message", {"to": "human-web", "body": reply})],
        "done",
    ])
    terminal.close()
    pid = attach_status(team)["appServerPID"]
    team.daemon.stop()
    os.kill(pid, 0)  # the app-server outlived the daemon
    team.daemon.start(env=team.env)
    terminal = sessions.attach(team, "api:main")
    try:
        sessions.online(team, "api:main")
        team.cli("msg", "send", "api:main", body)
        model = team.openai
        try:
            model.wait_for("a model request with the hint", lambda _: hint_requests(model), 30)
        except AssertionError as failure:
            raise AssertionError(f"{failure}\n{diagnostics(team)}") from None
        sessions.wait_until("the reply to human-web", lambda: ("api:main", "human-web", reply) in team.thread("api:main"))
        assert daemon_log_holds(team, '"push":"started"')
    finally:
        terminal.close()


def test_after_new_the_hint_goes_to_the_new_thread(team):
    tag = secrets.token_hex(4)
    terminal = start(team, [f"noted {tag}"])
    observer = observe(team)
    try:
        model = team.openai
        # A first mail: the daemon connects and starts a turn in the TUI's first thread.
        team.cli("msg", "send", "api:main", f"human-dm-{tag}: first")
        try:
            terminal.wait_for(f"noted {tag} [step 0]")
        except AssertionError as failure:
            raise AssertionError(f"{failure}\n{diagnostics(team)}") from None
        started = len([n for n in observer.notifications if n[1] == "thread/started"])
        # The human starts a new conversation: the TUI starts a new thread on the app-server.
        terminal.write(b"/new")
        terminal.wait_for("/new")
        terminal.press("enter")
        sessions.wait_until("the new thread", lambda: len([n for n in observer.notifications
                                                          if n[1] == "thread/started"]) > started)
        seen = len(hint_requests(model))
        team.cli("msg", "send", "api:main", f"human-dm-{tag}: a new topic")
        later = model.wait_for("the second hint", lambda _: hint_requests(model)[seen:], 30)
        assert f"noted {tag}" not in json.dumps(later[0]["input"], ensure_ascii=False), "the hint went to the old thread"
    finally:
        observer.close()
        terminal.close()


def processes_with(word: str) -> list[int]:
    """Codex processes whose command line holds ``word`` as an argument (Linux /proc)."""
    found = []
    for entry in glob.glob("/proc/[0-9]*/cmdline"):
        try:
            with open(entry, "rb") as handle:
                argv = handle.read().split(b"\0")
        except OSError:
            continue
        if argv and argv[0] == CODEX.encode() and word.encode() in argv:
            found.append(int(entry.split("/")[2]))
    return found


def outermost(pids: list[int]) -> list[int]:
    """The processes of ``pids`` whose parent is not one of them."""
    def parent(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
                return int(handle.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            return 0
    return [pid for pid in pids if parent(pid) not in pids]


def signal_mask(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
        return next(int(line.split()[1], 16) for line in handle if line.startswith("SigBlk:"))


def test_an_app_server_lost_mid_session_falls_back_to_the_typed_nudge(team):
    tag = secrets.token_hex(4)
    prompt, body, reply = f"remember {tag}", f"human-dm-{tag}: are you still there?", f"reply-{tag}"
    terminal = start(team, [
        f"noted {tag}",
        [(PREFIX + "check_messages", {})],
        [(PREFIX + "send_message", {"to": "human-web", "body": reply})],
        "done",
    ])
    try:
        # A first exchange through the app-server: a conversation to go on with.
        terminal.write(prompt.encode())
        terminal.wait_for(prompt)
        terminal.press("enter")
        terminal.wait_for(f"noted {tag} [step 0]")
        session = team.cli("agent", "show", "api:main", json=True)["session"]["id"]
        sessions.wait_until("the app-server push path", lambda: team.cli("agent", "show", "api:main", json=True)
                            .get("pushPath") == "app-server")
        os.kill(attach_status(team)["appServerPID"], signal.SIGKILL)
        # codex-attach saw its TUI end with the app-server: plain codex resumes the conversation in the same session.
        status = sessions.wait_until("the typed status", lambda: (lambda s: s if s["path"] == "typed" else None)(
            attach_status(team)))
        assert status.get("duringSession") is True and "killed by signal 9" in status["reason"], status
        shown = sessions.wait_until("the typed push path", lambda: (lambda a: a if a.get("pushPath") == "typed" else None)(
            team.cli("agent", "show", "api:main", json=True)))
        reason = shown["pushPathReason"]
        assert "app-server stopped during the session" in reason and "killed by signal 9" in reason, shown
        assert "app-server stopped during the session" in team.cli("agent", "show", "api:main").stdout
        assert shown["session"]["id"] == session and not shown["session"].get("endedAt"), shown
        sessions.wait_until("the fallback's line", lambda: "Codex's app-server stopped" in
                            bytes(terminal.raw).decode("utf-8", "replace"))
        terminal.wait_for(f"noted {tag} [step 0]")  # the resumed conversation, redrawn
        # The resuming codex, not a child it is forking at that moment (before its exec a child shows the same argv).
        [resumed] = sessions.wait_until("plain codex resuming", lambda: outermost(processes_with("resume")))
        assert signal_mask(resumed) == 0, "plain codex blocks no signal (an agent stop's SIGTERM reaches it)"
        sessions.online(team, "api:main")
        team.cli("msg", "send", "api:main", body)
        model = team.openai
        try:
            [hinted, *_] = model.wait_for("the typed nudge", lambda _: hint_requests(model), 30)
        except AssertionError as failure:
            raise AssertionError(f"{failure}\n{diagnostics(team)}") from None
        assert prompt in json.dumps(hinted["input"], ensure_ascii=False), "the nudge went into the resumed conversation"
        inbox = sessions.result_of(model, 1)
        assert scenario.fenced(inbox, body), f"check_messages showed the model no fenced body:\n{inbox}"
        sessions.wait_until("the reply to human-web", lambda: ("api:main", "human-web", reply) in team.thread("api:main"))
        [sent] = [m for m in team.cli("msg", "thread", "api:main", json=True)["messages"] if m["body"] == body]
        assert sent.get("pushPath") == "typed", sent
        assert not daemon_log_holds(team, '"push":"started"'), "no turn went through the lost app-server"
    finally:
        terminal.close()


def test_agent_stop_ends_the_tui_codex_attach_and_the_app_server_with_no_fallback(team):
    # The TUI runs as codex-attach's child: the stop's SIGTERM reaches both, the session ends as stopped, the
    # app-server ends with it, and nothing takes the stop for a lost app-server (no plain codex started).
    terminal = start(team, ["done"])
    try:
        pid = attach_status(team)["appServerPID"]
        stopped = team.cli("agent", "stop", "api:main", json=True)
        assert stopped["session"]["endReason"].startswith("stopped by the human"), stopped
        assert not daemon_log_holds(team, "codex lost its app-server"), "a stop is not a lost app-server"
        assert "Codex's app-server stopped" not in bytes(terminal.raw).decode("utf-8", "replace")
        sessions.wait_until("the app-server ended with the session", lambda: not os.path.exists(f"/proc/{pid}"))
    finally:
        terminal.close()
