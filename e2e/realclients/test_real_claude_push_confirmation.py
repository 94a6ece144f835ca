"""A managed real Claude Code 2.1.337's channel pushes, confirmed (issue 16, "Claude: confirmed, with a fallback"),
with the scripted fake Anthropic model and `[push] confirm_seconds = 2`:

- channels available: the channel block wakes the model, its check_messages confirms the push, nothing is typed;
- channels off (`DISABLE_TELEMETRY=1` in Claude's environment, which makes it skip channel notifications): the push
  goes unconfirmed while the terminal is idle with no prompt, so the daemon falls back to the typed nudge, the model
  is woken by the typed line, and `agent show` says `typed` with the reason and the warning."""

import os

from realclients import sessions
from realclients.sessions import CLAUDE_PREFIX

NUDGE = "[WhatsAgent] new message waiting — call check_messages"
CONFIRM_SECONDS = 2


def restart_with(team, extra_env: dict[str, str]) -> None:
    """The daemon again with `[push] confirm_seconds` small and ``extra_env`` in its (and so its agents') environment."""
    team.daemon.stop()
    with open(os.path.join(team.daemon.home, "daemon.toml"), "w", encoding="utf-8") as handle:
        handle.write(f"[push]\nconfirm_seconds = {CONFIRM_SECONDS}\n")
    team.env.update(extra_env)
    team.daemon.start(env=team.env)


def start_managed_claude(team, extra_env: dict[str, str], reply: str):
    team.seed_claude()
    sessions.add_agents(team, "claude")
    debug = os.path.join(team.home, "claude-debug.log")
    team.cli("agent", "set", "api:main", "--arg", "--debug-file", "--arg", debug)
    restart_with(team, extra_env)
    team.anthropic.script = sessions.managed_claude_script(reply)
    sessions.launch(team, "api:main")
    terminal = sessions.attach(team, "api:main")
    if "DISABLE_TELEMETRY" in extra_env:
        terminal.wait_for("auto mode on")  # channels off: Claude shows no development-channel warning
    else:
        terminal.wait_for("I am using this for local development")
        terminal.confirm("I am using this for local development")
    sessions.online(team, "api:main")
    return terminal, debug


def agent(team) -> dict:
    return team.cli("agent", "show", "api:main", json=True)


def typed_nudges(model) -> list[str]:
    return [text for text in model.user_texts() if NUDGE in text]


def test_claude_with_channels_is_confirmed_by_its_check_messages_and_nothing_is_typed(team):
    terminal, debug = start_managed_claude(team, {}, reply="reply-on-channel")
    model = team.anthropic
    try:
        sessions.wait_for_line(debug, 'MCP server "whatsagent": Channel notifications registered')
        team.cli("msg", "send", "api:main", "is the schema done?")
        model.wait_for("the channel block", lambda _: sessions.channel_requests(model), 20)
        sessions.wait_until("the reply", lambda: ("api:main", "human-web", "reply-on-channel") in team.thread("api:main"))
        shown = sessions.wait_until("the confirmation", lambda: (a := agent(team)).get("lastPushConfirmedAt") and a)
        assert shown["pushPath"] == "channel" and shown["lastPushPath"] == "channel", shown
        assert shown["lastPushConfirmedAt"] >= shown["lastPushAt"] and "pushWarning" not in shown, shown
        # Confirmed before the confirmation time: the fallback never typed into the terminal.
        assert typed_nudges(model) == [], model.user_texts()
        assert NUDGE not in terminal.text()
    finally:
        terminal.close()


def test_claude_without_channels_falls_back_to_the_typed_nudge_and_warns(team):
    terminal, debug = start_managed_claude(team, {"DISABLE_TELEMETRY": "1"}, reply="reply-after-nudge")
    model = team.anthropic
    try:
        team.cli("msg", "send", "api:main", "is the schema done?")
        # The channel push is skipped by Claude; past the confirmation time, with the terminal idle, the nudge is
        # typed and reaches the model as the user's turn.
        [nudged] = model.wait_for("the typed nudge", lambda _: typed_nudges(model), 30)
        assert sessions.channel_requests(model) == [], "channels are off: no channel block reached the model"
        sessions.wait_until("the reply", lambda: ("api:main", "human-web", "reply-after-nudge") in team.thread("api:main"))
        shown = agent(team)
        assert shown["pushPath"] == "typed", shown
        assert "channel push" in shown["pushPathReason"] and f"within {CONFIRM_SECONDS} s" in shown["pushPathReason"], shown
        assert "types nudges instead" in shown["pushWarning"], shown
        assert shown["lastPushPath"] == "typed" and shown["lastPushConfirmedAt"] >= shown["lastPushAt"], shown
        text = team.cli("agent", "show", "api:main").stdout
        assert "push path: typed (the channel push" in text and "warning:  channel pushes are not reaching the model" in text
        with open(debug, encoding="utf-8", errors="replace") as handle:
            assert "Channel notifications skipped" in handle.read()
        assert CLAUDE_PREFIX + "check_messages" in model.tool_names()
    finally:
        terminal.close()
