"""The conversation every real-client test plays (issue 15): what waits for the agent, the model's script, and what
the test reads back.

Before the session: the human writes to the agent, `api:dev` (another agent) writes to it, the human posts in
#shared, and the board holds a task assigned to the agent with a comment by `api:dev`. The model then calls, step by
step: whoami and list_peers, check_messages, send_message to `api:dev` and to human-web, read_channel_messages, and
read_kanban_task and comment_kanban_task. Each agent-written text carries a unique marker so a test finds it in what
the model was shown."""

from __future__ import annotations

import re
import secrets

from conftest import agent_call, agent_drain

TOOLS = ["whoami", "list_peers", "check_messages", "send_message", "read_channel_messages", "read_kanban_task",
         "comment_kanban_task"]


class Mail:
    """The texts that wait for the agent, each with its own marker."""

    def __init__(self) -> None:
        tag = secrets.token_hex(4)
        self.human_dm = f"human-dm-{tag}: please look at the orders endpoint"
        self.agent_dm = f"agent-dm-{tag}: the schema is ready"
        self.channel_post = f"channel-post-{tag}: standup at ten"
        self.task_comment = f"task-comment-{tag}: blocked on review"
        self.reply_to_agent = f"reply-agent-{tag}"
        self.reply_to_human = f"reply-human-{tag}"
        self.comment = f"comment-{tag}: started"
        self.task_id = ""


def prepare(team, agent: str) -> Mail:
    """Registers the agents, writes the mail, the channel post and the task (with its comment by api:dev)."""
    mail = Mail()
    dev = team.connect("api:dev")
    dev_token = dev["token"]
    team.cli("msg", "send", agent, mail.human_dm)
    sent = agent_call(team.daemon, dev_token, "send_message", {"to": agent, "body": mail.agent_dm})
    assert not sent.get("isError"), sent
    # Posts need the channel topology; the human switches to it for the post and back to star.
    team.cli("workspace", "set", "team", "--topology", "channel")
    team.cli("channel", "post", "shared", mail.channel_post)
    team.cli("workspace", "set", "team", "--topology", "star")
    task = team.cli("task", "create", "Orders endpoint", "--assignee", agent, json=True)
    mail.task_id = task["task"]["displayId"]
    commented = agent_call(team.daemon, dev_token, "comment_kanban_task",
                           {"taskId": mail.task_id, "type": "note", "body": mail.task_comment})
    assert not commented.get("isError"), commented
    team.dev_token = dev_token
    return mail


def steps(mail: Mail, prefix: str) -> list:
    """The model's script; ``prefix`` names our tools as the runtime does (`mcp__whatsagent__` for Claude)."""
    return [
        [(prefix + "whoami", {}), (prefix + "list_peers", {})],
        [(prefix + "check_messages", {})],
        [(prefix + "send_message", {"to": "api:dev", "body": mail.reply_to_agent}),
         (prefix + "send_message", {"to": "human-web", "body": mail.reply_to_human})],
        [(prefix + "read_channel_messages", {"channel": "shared"})],
        [(prefix + "read_kanban_task", {"taskId": mail.task_id}),
         (prefix + "comment_kanban_task", {"taskId": mail.task_id, "type": "progress", "body": mail.comment})],
        "done",
    ]


def fenced(text: str, body: str) -> bool:
    """True if ``body`` appears in ``text`` between a matching pair of untrusted-body fence markers."""
    for match in re.finditer(r"<<<UNTRUSTED-BODY-(\w+)(.*?)>>>END-UNTRUSTED-\1", text, re.S):
        if body in match.group(2):
            return True
    return False


def step_results(model, step: int) -> list[str]:
    """The tool results the CLI sent back for the calls of ``step``, in call order."""
    results = model.tool_results()
    found = []
    k = 0
    while True:
        key = next((i for i in results if i.endswith(f"_s{step}_{k}")), None)
        if key is None:
            return found
        found.append(results[key])
        k += 1


def assert_effects(team, mail: Mail, agent: str) -> None:
    """What the agent's calls did in the daemon: both replies delivered, the comment on the task."""
    to_human = [body for sender, to, body in team.thread(agent) if sender == agent and to == "human-web"]
    assert mail.reply_to_human in to_human, f"the reply to human-web never arrived: {team.thread(agent)}"
    inbox = agent_drain(team.daemon, team.dev_token, lambda line: mail.reply_to_agent in line)
    assert inbox, "api:dev never received the agent's reply"
    task = team.cli("task", "show", mail.task_id, json=True)
    assert mail.comment in str(task), f"the comment is not on {mail.task_id}: {task}"
