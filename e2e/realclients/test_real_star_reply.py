"""Star topology (SPEC §7.1, issue 15 finding 7): an agent the human wrote to answers the human, though it is not the
main agent — with the real Claude Code, as an external session started from the printed commands."""

import secrets
import shlex

from realclients import scenario, sessions
from realclients.conftest import run_printed


def test_a_non_main_claude_agent_answers_the_human_in_star_topology(team):
    team.seed_claude()
    sessions.add_agents(team, "claude")
    team.cli("agent", "set", "api:dev", "--runtime", "claude", "--command", "")
    tag = secrets.token_hex(4)
    body, reply = f"human-dm-{tag}: how is the review going?", f"reply-{tag}"
    team.cli("msg", "send", "api:dev", body)
    model = team.anthropic
    model.script = sessions.managed_claude_script(reply)
    printed = team.printed_config("api:dev", "claude")
    proc, leaks = run_printed(printed, "-p " + shlex.quote("Work through your WhatsAgent mail."), team.env,
                              team.repo, timeout=sessions.SESSION_TIMEOUT, secrets=team.session_tokens())
    assert proc.returncode == 0, f"claude exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    [inbox] = scenario.step_results(model, 1)
    assert scenario.fenced(inbox, body), inbox
    [sent] = scenario.step_results(model, 2)
    assert not sent.startswith("[is_error]"), f"the reply to human-web was refused: {sent}"
    assert ("api:dev", "human-web", reply) in team.thread("api:dev")
    assert leaks == []
