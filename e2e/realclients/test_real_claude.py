"""The real Claude Code 2.1.337 against the daemon (issue 15), with a scripted fake Anthropic model: external (the
printed commands, as printed) and managed (`agent launch`)."""

import os
import secrets
import time

from realclients import scenario, sessions
from realclients.conftest import argv_holding
from realclients.sessions import CLAUDE_PREFIX


def test_claude_print_mode_runs_the_scenario_and_the_model_sees_every_body_fenced(team):
    printed, mail, proc, leaks = sessions.claude_print_mode(team)
    assert proc.returncode == 0, f"claude exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    model = team.anthropic
    # The printed commands hold no token (they become argv and shell history), and no process's argv held one.
    token = team.connect_token
    assert token not in printed, printed
    assert leaks == []
    # The model is shown our tools (deferred: by name first, with their schemas once ToolSearch selected them).
    offered = model.tool_names()
    assert {CLAUDE_PREFIX + tool for tool in scenario.TOOLS} <= offered, sorted(offered)
    # Every call of the script came back without error and without a classifier round trip (our tools are allowed).
    for step in range(1, 6):
        results = scenario.step_results(model, step)
        assert results and not any(r.startswith("[is_error]") for r in results), (step, results)
    assert model.classifier_requests() == []
    whoami, peers = scenario.step_results(model, 1)
    assert "api:main" in whoami and "api:dev" in peers
    # What the model was shown holds each body, inside the untrusted fence.
    [inbox] = scenario.step_results(model, 2)
    for body in (mail.human_dm, mail.agent_dm, mail.channel_post):
        assert scenario.fenced(inbox, body), f"check_messages showed the model no fenced {body!r}:\n{inbox}"
    [channel] = scenario.step_results(model, 4)
    assert scenario.fenced(channel, mail.channel_post), f"read_channel_messages showed:\n{channel}"
    task, _ = scenario.step_results(model, 5)
    assert scenario.fenced(task, mail.task_comment), f"read_kanban_task showed:\n{task}"
    scenario.assert_effects(team, mail, "api:main")


def test_claude_managed_a_human_dm_reaches_the_model_as_a_channel_block_then_the_body_through_check_messages(team):
    team.seed_claude()
    sessions.add_agents(team, "claude")
    debug = os.path.join(team.home, "claude-debug.log")  # the only way to see when Claude listens for channels
    team.cli("agent", "set", "api:main", "--arg", "--debug-file", "--arg", debug)
    tag = secrets.token_hex(4)
    body, reply = f"human-dm-{tag}: are the orders done?", f"reply-{tag}"
    model = team.anthropic
    model.script = sessions.managed_claude_script(reply)
    sessions.launch(team, "api:main")
    terminal = sessions.attach(team, "api:main")
    try:
        # The development-channel warning is the user's decision: answered as a user would, on the runner's screen.
        terminal.wait_for("I am using this for local development")
        terminal.confirm("I am using this for local development")
        sessions.wait_for_line(debug, 'MCP server "whatsagent": Channel notifications registered')
        sent_at = time.monotonic()
        team.cli("msg", "send", "api:main", body)
        # Unprompted: the push reaches the model as a channel block (body-free: bodies travel only by check_messages).
        [block] = model.wait_for("the channel block", lambda _: sessions.channel_requests(model), 20)
        pushed_in = time.monotonic() - sent_at
        assert "check_messages" in block and body not in block, block
        inbox = sessions.result_of(model, 1)
        assert scenario.fenced(inbox, body), f"check_messages showed the model no fenced body:\n{inbox}"
        assert {CLAUDE_PREFIX + "check_messages", CLAUDE_PREFIX + "send_message"} <= model.tool_names()
        # No approval prompt or notice stalled it, and no classifier request judged our tools: the reply is in the
        # human's thread.
        sessions.wait_until("the reply to human-web", lambda: ("api:main", "human-web", reply) in team.thread("api:main"))
        assert model.classifier_requests() == []
        assert argv_holding(team.session_tokens()) == []
        assert pushed_in < 10, pushed_in
    finally:
        terminal.close()


def test_claude_interactive_external_answers_the_start_up_prompts_then_a_human_dm_reaches_the_model(team):
    team.seed_claude(trust=False, api_key=False)  # the user answers the folder-trust and API-key prompts
    sessions.add_agents(team, "claude")
    printed = team.printed_config("api:main", "claude")
    assert all(token not in printed for token in team.session_tokens()), printed
    debug = os.path.join(team.home, "claude-debug.log")
    tag = secrets.token_hex(4)
    body, reply = f"human-dm-{tag}: ship it?", f"reply-{tag}"
    model = team.anthropic
    model.script = sessions.managed_claude_script(reply)
    terminal = sessions.spawn_printed(team, printed, f"--debug-file {debug}")
    try:
        # The real order: folder trust (cursor on "No, exit"), the custom API key (cursor on "No"), the channels.
        terminal.wait_for("Quick safety check")
        terminal.choose("Yes, I trust this folder", "down", default="No, exit")
        terminal.confirm("Quick safety check")
        terminal.wait_for("Detected a custom API key")
        terminal.choose("Yes", "up", default="No (recommended)")
        terminal.confirm("Detected a custom API key")
        terminal.wait_for("I am using this for local development")
        terminal.confirm("I am using this for local development")
        sessions.wait_for_line(debug, 'MCP server "whatsagent": Channel notifications registered')
        team.cli("msg", "send", "api:main", body)
        [block] = model.wait_for("the channel block", lambda _: sessions.channel_requests(model), 20)
        assert "check_messages" in block and body not in block, block
        inbox = sessions.result_of(model, 1)
        assert scenario.fenced(inbox, body), f"check_messages showed the model no fenced body:\n{inbox}"
        sessions.wait_until("the reply to human-web", lambda: ("api:main", "human-web", reply) in team.thread("api:main"))
        assert argv_holding(team.session_tokens()) == []
    finally:
        terminal.close()


def test_a_managed_claude_at_its_folder_trust_prompt_is_flagged_as_waiting_for_the_human(team):
    # Finding 6: the prompts a runtime shows for the user's own decisions stay the user's; `agent show` flags the
    # agent as waiting, with the question, while the prompt is on its screen.
    team.seed_claude(trust=False)
    sessions.add_agents(team, "claude")
    sessions.launch(team, "api:main")
    terminal = sessions.attach(team, "api:main")
    try:
        terminal.wait_for("Quick safety check")
        session = sessions.wait_until(
            "the attention flag",
            lambda: (lambda s: s if s.get("attention") else None)(
                team.cli("agent", "show", "api:main", json=True).get("session") or {}),
            timeout=10,
        )
        assert "quick safety check" in session["attention"].lower(), session
        shown = team.cli("agent", "show", "api:main").stdout
        assert "attention:" in shown and "whatsagent agent attach" in shown, shown
    finally:
        terminal.close()
