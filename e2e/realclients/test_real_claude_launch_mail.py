"""Mail waiting when a managed real Claude Code 2.1.337 starts reaches its model unprompted (issue 15)."""

import secrets

from realclients import scenario, sessions


def test_mail_waiting_when_a_managed_claude_starts_reaches_the_model_unprompted(team):
    # The human writes before the agent runs. `whatsagent mcp` pushes what is waiting as soon as Claude has
    # initialised the connection, but Claude registers its channel handler only after our answer to its first
    # `tools/list` (debug log: "Channel notifications registered"), so that first push is dropped; the hint is
    # pushed once more a second after that answer (LaunchMailReminder), and that one reaches the model.
    team.seed_claude()
    sessions.add_agents(team, "claude")
    tag = secrets.token_hex(4)
    body, reply = f"human-dm-{tag}: waiting since before you started", f"reply-{tag}"
    team.cli("msg", "send", "api:main", body)
    model = team.anthropic
    model.script = sessions.managed_claude_script(reply)
    sessions.launch(team, "api:main")
    terminal = sessions.attach(team, "api:main")
    try:
        terminal.wait_for("I am using this for local development")
        terminal.confirm("I am using this for local development")
        model.wait_for("the channel block", lambda _: sessions.channel_requests(model), 20)
        inbox = sessions.result_of(model, 1)
        assert scenario.fenced(inbox, body), inbox
    finally:
        terminal.close()
