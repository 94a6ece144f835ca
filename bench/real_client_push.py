"""The real-client push rows of `make bench` (issue 15): a human `whatsagent msg send` → the model request that
carries the push, per real CLI against its scripted fake model, split into our part (send → the push written to
the CLI: the `notifications/claude/channel` line on Claude's MCP stdin, the typed nudge on Codex's PTY; for a managed
Codex behind its app-server (issue 16), send → the app-server's answer to the daemon's `turn/start`, from the daemon's
log) and the CLI's part (that → the model request).

Run as root (a loopback-only network namespace, as the real-client tests): `WHATSAGENT_BIN=… python
bench/real_client_push.py [--sends 20]`. The CLIs come from `make real-clients` (.build/real-clients). The write is
timed by the test harness's proxies (e2e/realclients/stdio_proxy.py, pty_proxy.py), so the product is not
changed; send and request times are CLOCK_MONOTONIC like the proxies'."""

from __future__ import annotations

import argparse
import calendar
import json
import os
import secrets
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [os.path.join(ROOT, "tests", "e2e")]

from realclients import netns, sessions  # noqa: E402
from realclients.conftest import CLAUDE, CODEX, Team  # noqa: E402
from realclients.fake_models import FakeAnthropic, FakeOpenAI  # noqa: E402

HERE = os.path.join(ROOT, "tests", "e2e", "realclients")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def log_lines(path: str) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except FileNotFoundError:
        return []


def marks(body: dict, marker: str) -> int:
    return json.dumps(body.get("messages") or body.get("input") or []).count(marker)


def measure(team: Team, model, sends: int, marker: str, written) -> list[tuple[float, float]]:
    """Sends ``sends`` messages one at a time to the idle agent; per send (ours, the CLI's) in milliseconds.
    ``written(after)`` is the monotonic time of the first push written after ``after``, or None yet."""
    split = []
    for index in range(sends):
        seen = max([marks(r["body"], marker) for r in model.requests] or [0])
        started = time.monotonic()
        team.cli("msg", "send", "api:main", f"bench-{index}-{secrets.token_hex(3)}")

        def carried(_requests):
            return next((r["at"] for r in model.requests
                         if r["at"] > started and r["body"].get("tools") and marks(r["body"], marker) > seen), None)

        requested = model.wait_for(f"the request of send {index}", carried, 30)
        wrote = sessions.wait_until("the push write", lambda: written(started), 10)
        split.append(((wrote - started) * 1000, (requested - wrote) * 1000))
        # Let the turn end (the fake answers at once) so the next push finds the CLI idle.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and len(model.requests) and time.monotonic() - model.requests[-1]["at"] < 0.5:
            time.sleep(0.05)
    return split


def claude(sends: int) -> list[tuple[float, float]]:
    team = Team(FakeAnthropic([]), FakeOpenAI([]))
    try:
        team.seed_claude()
        work = tempfile.mkdtemp(prefix="wb-")
        log, debug = os.path.join(work, "mcp.jsonl"), os.path.join(work, "debug.log")
        team.cli("agent", "add", "api:main", "--runtime", "claude", "--main", "--command", sys.executable,
                 "--arg", os.path.join(HERE, "proxied_claude.py"), "--arg", log, "--arg", CLAUDE,
                 "--arg", "--debug-file", "--arg", debug)
        team.cli("agent", "add", "api:dev", "--runtime", "custom", "--command", "/bin/true", "--role", "reviewer")
        sessions.launch(team, "api:main")
        terminal = sessions.attach(team, "api:main")
        try:
            terminal.wait_for("I am using this for local development")
            terminal.confirm("I am using this for local development")
            sessions.wait_for_line(debug, "Channel notifications registered", 30)

            def written(after: float):
                return next((e["mono"] for e in log_lines(log) if e["dir"] == "out" and e["mono"] > after
                             and '"notifications/claude/channel"' in e["line"]), None)

            return measure(team, team.anthropic, sends, '<channel source=\\"whatsagent\\"', written)
        finally:
            terminal.close()
    finally:
        team.anthropic.close()
        team.openai.close()
        team.close()


def codex(sends: int) -> list[tuple[float, float]]:
    team = Team(FakeAnthropic([]), FakeOpenAI([]))
    try:
        log = os.path.join(tempfile.mkdtemp(prefix="wb-"), "pty.jsonl")
        team.cli("agent", "add", "api:main", "--runtime", "codex", "--main", "--command", sys.executable,
                 "--arg", os.path.join(HERE, "pty_proxy.py"), "--arg", log, "--arg", CODEX)
        team.cli("agent", "add", "api:dev", "--runtime", "custom", "--command", "/bin/true", "--role", "reviewer")
        sessions.launch(team, "api:main")
        terminal = sessions.attach(team, "api:main")
        try:
            terminal.wait_for("OpenAI Codex (v0.147.0)")
            terminal.wait_for("› ")
            sessions.online(team, "api:main")

            def written(after: float):
                return next((e["mono"] for e in log_lines(log) if e["mono"] > after and "check_messages" in e["data"]),
                            None)

            return measure(team, team.openai, sends, "check_messages", written)
        finally:
            terminal.close()
    finally:
        team.anthropic.close()
        team.openai.close()
        team.close()


def claude_fallback(sends: int) -> list[tuple[float, float]]:
    """A managed Claude with channels off (`DISABLE_TELEMETRY=1`), so its channel pushes go unconfirmed and the daemon
    falls back to the typed nudge (issue 16). A first send, not measured, brings the fallback about (it waits
    `[push] confirm_seconds`, 1 s here); each measured send is then nudged as soon as the terminal is quiet. Our part
    ends when the nudge's text is written to Claude's PTY (timed by the PTY proxy); the CLI's part includes the 150 ms
    the daemon leaves between the text and its Enter."""
    team = Team(FakeAnthropic([]), FakeOpenAI([]))
    try:
        team.seed_claude()
        log = os.path.join(tempfile.mkdtemp(prefix="wb-"), "pty.jsonl")
        team.cli("agent", "add", "api:main", "--runtime", "claude", "--main", "--command", sys.executable,
                 "--arg", os.path.join(HERE, "pty_proxy.py"), "--arg", log, "--arg", CLAUDE)
        team.cli("agent", "add", "api:dev", "--runtime", "custom", "--command", "/bin/true", "--role", "reviewer")
        team.daemon.stop()
        with open(os.path.join(team.daemon.home, "daemon.toml"), "w", encoding="utf-8") as handle:
            handle.write("[push]\nconfirm_seconds = 1\n")
        team.env["DISABLE_TELEMETRY"] = "1"
        team.daemon.start(env=team.env)
        sessions.launch(team, "api:main")
        terminal = sessions.attach(team, "api:main")
        try:
            terminal.wait_for("auto mode on")
            sessions.online(team, "api:main")
            marker = "[WhatsAgent] new message"

            def written(after: float):
                return next((e["mono"] for e in log_lines(log) if e["mono"] > after and "check_messages" in e["data"]),
                            None)

            measure(team, team.anthropic, 1, marker, written)  # brings the fallback about
            assert team.cli("agent", "show", "api:main", json=True)["pushPath"] == "typed"
            return measure(team, team.anthropic, sends, marker, written)
        finally:
            terminal.close()
    finally:
        team.anthropic.close()
        team.openai.close()
        team.close()


def log_time(stamp: str) -> float:
    """A daemon log `ts` (UTC, milliseconds) as seconds since the epoch."""
    return calendar.timegm(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S")) + float("0" + stamp[19:-1])


def codex_app_server(sends: int) -> list[tuple[float, float]]:
    """A managed Codex with its default command: `codex-attach` puts it behind its app-server; the daemon starts a
    turn per send. Our part ends when the daemon logs the app-server's answer to its `turn/start` (wall clock, ms
    resolution, mapped onto the monotonic clock), so it includes that round trip."""
    team = Team(FakeAnthropic([]), FakeOpenAI([]))
    try:
        sessions.add_agents(team, "codex")
        sessions.launch(team, "api:main")
        terminal = sessions.attach(team, "api:main")
        try:
            terminal.wait_for("OpenAI Codex (v0.147.0)")
            terminal.wait_for("› ")
            sessions.online(team, "api:main")
            offset = time.monotonic() - time.time()
            daemon_log = os.path.join(team.daemon.home, "logs", "daemon.log")

            def written(after: float):
                return next((log_time(e["ts"]) + offset for e in log_lines(daemon_log)
                             if e.get("message") == "app-server push confirmed"
                             and log_time(e["ts"]) + offset > after - 0.001), None)

            return measure(team, team.openai, sends, "check_messages", written)
        finally:
            terminal.close()
    finally:
        team.anthropic.close()
        team.openai.close()
        team.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sends", type=int, default=20)
    parser.add_argument("--only", choices=["claude", "claude-fallback", "codex", "codex-app-server"])
    options = parser.parse_args()
    namespace = netns.LoopbackOnly()
    namespace.enter()
    rows = []
    try:
        for name, run, how in (("claude", claude, "channel"), ("claude-fallback", claude_fallback, "typed fallback"),
                               ("codex-app-server", codex_app_server, "app-server turn"), ("codex", codex, "typed nudge")):
            if options.only and options.only != name:
                continue
            split = run(options.sends)
            total = [ours + cli for ours, cli in split]
            for part, values in (("total", total), ("ours", [s[0] for s in split]), ("CLI", [s[1] for s in split])):
                rows.append((f"real {name} ({how}): msg send → model request, {part}", values))
    finally:
        namespace.leave()
    width = max([64] + [len(label) for label, _ in rows])
    print(f"{'Real-client push (ms)':<{width}} {'p50':>8} {'p95':>8} {'n':>4}")
    for label, values in rows:
        print(f"{label:<{width}} {percentile(values, 50):8.1f} {percentile(values, 95):8.1f} {len(values):4d}")


if __name__ == "__main__":
    main()
