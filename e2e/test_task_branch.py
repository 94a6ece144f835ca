"""A board task's branch (issue 23): `task show` prints it, and the daemon serves the branch's diff for the task
drawer — read from the worktree of the agent on that branch (the assignee's first), against the repo's branch, with
the full text on demand and a size cap; refused when the task names no branch or no agent worktree is on it (git
never runs in a folder a request names).

The agents are the `custom` shell-script agents of test_worktrees.py."""

import json

from test_worktrees import add_agent, git, run_agent, setup  # noqa: F401  (setup is a fixture)

DIFF = "/api/v1/workspaces/team/board/tasks/{}/branch/diff"


def branch_diff(daemon, task, full=False):
    status, _, body = daemon.request("GET", DIFF.format(task) + ("?full=true" if full else ""))
    return status, json.loads(body)


def test_task_show_prints_the_branch_and_the_drawer_endpoint_diffs_it(setup):  # noqa: F811
    marker = add_agent(setup, "dev1", "one", "commit", "--worktree")
    run_agent(setup, "dev1", marker)
    git(setup.repo, "commit", "-q", "--allow-empty", "-m", "moved on")  # the repo's branch is one ahead
    setup.cli("task", "create", "Say one", "--assignee", "api:dev1")
    setup.cli("task", "edit", "WA-001", "--branch", "wa/dev1")
    setup.cli("task", "move", "WA-001", "review")

    shown = setup.cli("task", "show", "WA-001").stdout
    assert "Branch: wa/dev1" in shown.splitlines(), shown

    status, summary = branch_diff(setup, "wa-1")
    assert status == 200, summary
    assert (summary["task"], summary["branch"], summary["agent"], summary["baseBranch"]) == ("WA-001", "wa/dev1", "api:dev1", "main")
    assert (summary["ahead"], summary["behind"], summary["uncommitted"]) == (1, 1, 0)
    assert summary["files"] == [{"path": "shared.txt", "added": 1, "removed": 1}]
    assert (summary["filesChanged"], summary["added"], summary["removed"], summary["truncated"]) == (1, 1, 1, False)
    assert "diff" not in summary and summary["limitBytes"] == 256 * 1024

    status, full = branch_diff(setup, "WA-001", full=True)
    assert status == 200, full
    assert "-base\n+one\n" in full["diff"], full["diff"]


def test_the_branch_diff_is_refused_without_a_branch_or_a_worktree_on_it(setup):  # noqa: F811
    marker = add_agent(setup, "dev1", "one", "commit", "--worktree")
    run_agent(setup, "dev1", marker)
    setup.cli("task", "create", "No branch yet")

    status, body = branch_diff(setup, "WA-001")
    assert status == 409 and body["error"]["code"] == "invalid_state", body
    assert "task edit WA-001 --branch" in body["error"]["message"]

    # A branch that exists in the repo but in no agent's worktree: the daemon does not go looking elsewhere.
    git(setup.repo, "branch", "feature/elsewhere")
    setup.cli("task", "edit", "WA-001", "--branch", "feature/elsewhere")
    status, body = branch_diff(setup, "WA-001")
    assert status == 404 and body["error"]["code"] == "not_found", body
    assert "no agent worktree of this workspace is on branch feature/elsewhere" in body["error"]["message"]

    status, body = branch_diff(setup, "WA-404")
    assert status == 404 and body["error"]["code"] == "not_found", body
