"""The real Codex CLI 0.147.0 against the daemon (issue 15), with a scripted fake OpenAI Responses model: external
(the printed lines, as printed) and managed (`agent launch`)."""

import secrets

from realclients import scenario, sessions
from realclients.conftest import argv_holding
from realclients.sessions import CLAUDE_PREFIX as PREFIX


def test_codex_exec_runs_the_scenario_and_the_model_sees_every_body_fenced(team):
    printed, mail, proc, leaks = sessions.codex_exec(team)
    assert proc.returncode == 0, f"codex exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    model = team.openai
    # The token is only in the environment: not on the codex line, not in any process's argv.
    token = team.connect_token
    assert token not in printed.splitlines()[-1], printed
    assert leaks == []
    # The model is shown our tools, in the mcp__whatsagent namespace.
    offered = model.tool_names()
    assert {PREFIX + tool for tool in scenario.TOOLS} <= offered, sorted(offered)
    # Every call ran — none cancelled for want of an approval — and the model saw each body, fenced.
    for step in range(0, 5):
        results = scenario.step_results(model, step)
        assert results and not any("cancelled" in r or r.startswith("[is_error]") for r in results), (step, results)
    whoami, peers = scenario.step_results(model, 0)
    assert "api:main" in whoami and "api:dev" in peers
    [inbox] = scenario.step_results(model, 1)
    for body in (mail.human_dm, mail.agent_dm, mail.channel_post):
        assert scenario.fenced(inbox, body), f"check_messages showed the model no fenced {body!r}:\n{inbox}"
    [channel] = scenario.step_results(model, 3)
    assert scenario.fenced(channel, mail.channel_post), f"read_channel_messages showed:\n{channel}"
    task, _ = scenario.step_results(model, 4)
    assert scenario.fenced(task, mail.task_comment), f"read_kanban_task showed:\n{task}"
    scenario.assert_effects(team, mail, "api:main")


def test_codex_managed_mail_reaches_the_model_and_the_body_through_check_messages(team):
    sessions.add_agents(team, "codex")
    tag = secrets.token_hex(4)
    body, reply = f"human-dm-{tag}: is the build green?", f"reply-{tag}"
    model = team.openai
    model.script = [
        [(PREFIX + "check_messages", {})],
        [(PREFIX + "send_message", {"to": "human-web", "body": reply})],
        "done",
    ]
    sessions.launch(team, "api:main")
    terminal = sessions.attach(team, "api:main")
    try:
        sessions.online(team, "api:main")
        terminal.wait_for("OpenAI Codex (v0.147.0)")
        terminal.wait_for("› ")  # the composer: Codex reads what is typed now
        team.cli("msg", "send", "api:main", body)
        # The daemon starts a turn through Codex's app-server with a body-free hint; it reaches the model as the
        # user's turn (test_real_codex_app_server.py covers the path itself).
        nudges = model.wait_for("the nudge", lambda _: [t for t in model.user_texts() if "check_messages" in t], 30)
        assert all(body not in text for text in nudges), nudges
        inbox = sessions.result_of(model, 0)
        assert {PREFIX + "check_messages", PREFIX + "send_message"} <= model.tool_names()
        assert "cancelled" not in inbox, f"Codex did not run our tool: {inbox}"
        assert scenario.fenced(inbox, body), f"check_messages showed the model no fenced body:\n{inbox}"
        # No approval prompt stalled it: the reply is in the human's thread.
        sessions.wait_until("the reply to human-web", lambda: ("api:main", "human-web", reply) in team.thread("api:main"))
        assert "Allow the whatsagent MCP server" not in terminal.text()
        assert argv_holding(team.session_tokens()) == []
    finally:
        terminal.close()


def test_mail_waiting_when_a_managed_codex_starts_reaches_the_model(team):
    # The human writes before the agent runs: once Codex is up, the daemon starts a turn with the hint (it retries
    # until the TUI has started its thread on the app-server).
    sessions.add_agents(team, "codex")
    tag = secrets.token_hex(4)
    body, reply = f"human-dm-{tag}: waiting since before you started", f"reply-{tag}"
    team.cli("msg", "send", "api:main", body)
    model = team.openai
    model.script = [
        [(PREFIX + "check_messages", {})],
        [(PREFIX + "send_message", {"to": "human-web", "body": reply})],
        "done",
    ]
    sessions.launch(team, "api:main")
    terminal = sessions.attach(team, "api:main")
    try:
        inbox = sessions.result_of(model, 0, timeout=30)
        assert scenario.fenced(inbox, body), f"check_messages showed the model no fenced body:\n{inbox}"
        sessions.wait_until("the reply to human-web", lambda: ("api:main", "human-web", reply) in team.thread("api:main"))
        assert argv_holding(team.session_tokens()) == []
    finally:
        terminal.close()
