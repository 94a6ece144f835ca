"""Agents in their own git worktrees (issue 23): `agent add --worktree [--branch]`, `agent set --worktree`, the launch
in `<home>/workspaces/<id>/worktrees/<repo>/<agent>`, ahead/behind and change counts in `agent list --json`, the diff
summary and full diff, `agent worktree … remove [--force]` and `agent remove` (the branch always stays), a repo that
is not a git repository, an existing branch (reused, not reset), a worktree folder deleted by hand, a detached HEAD.

The agents are `custom` agents whose command is a small shell script: it writes a file in its working directory,
commits it or leaves it uncommitted, and records its working directory in a marker file outside the repo."""

import json
import os
import shutil
import signal
import subprocess

import pytest

from conftest import agent_call, assert_error, eventually, process_alive

TIMEOUT = 20.0

AGENT_SCRIPT = """#!/bin/sh
# $1: text for shared.txt, $2: commit | leave, $3: marker file (gets the working directory)
printf '%s\\n' "$1" > shared.txt
if [ "$2" = commit ]; then
    git add shared.txt && git -c user.name=agent -c user.email=agent@example.com commit -q -m "$1"
fi
pwd -P > "$3.tmp" && mv "$3.tmp" "$3"
"""


def git(repo, *args):
    proc = subprocess.run(
        ["git", "-C", repo, "-c", "user.name=human", "-c", "user.email=human@example.com", *args],
        capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout


def read(path):
    with open(path) as file:
        return file.read()


@pytest.fixture
def setup(daemon, make_dir):
    """A workspace with repo `api`, a git repository holding shared.txt = "base"; runners stopped afterwards."""
    repo = os.path.realpath(make_dir())
    git(repo, "init", "-q", "-b", "main")
    with open(os.path.join(repo, "shared.txt"), "w") as file:
        file.write("base\n")
    git(repo, "add", "shared.txt")
    git(repo, "commit", "-q", "-m", "base")
    scratch = make_dir()
    script = os.path.join(scratch, "agent.sh")
    with open(script, "w") as file:
        file.write(AGENT_SCRIPT)
    daemon.cli("workspace", "add", "team")
    daemon.cli("repo", "add", repo, "--name", "api")
    daemon.repo = repo
    daemon.scratch = scratch
    daemon.script = script
    daemon.runner_pids = set()
    yield daemon
    daemon.cli("stop", "--all", check=False)
    for pid in daemon.runner_pids:
        if process_alive(pid):
            os.kill(pid, signal.SIGKILL)


def add_agent(daemon, name, text, mode, *extra):
    marker = os.path.join(daemon.scratch, f"{name}.done")
    daemon.cli(
        "agent", "add", f"api:{name}", "--runtime", "custom", "--command", "/bin/sh",
        "--arg", daemon.script, "--arg", text, "--arg", mode, "--arg", marker, *extra,
    )
    return marker


def run_agent(daemon, name, marker):
    """Launches the agent, waits for its script to finish and its session to end; returns the working directory."""
    if os.path.exists(marker):
        os.remove(marker)
    launched = daemon.cli("agent", "launch", f"api:{name}", json=True)
    if "runnerPid" in launched["session"]:
        daemon.runner_pids.add(launched["session"]["runnerPid"])
    eventually(f"{name}'s script", lambda: os.path.exists(marker))
    eventually(f"{name}'s session to end", lambda: agent(daemon, name)["session"].get("endedAt"))
    return read(marker).strip()


def agent(daemon, name):
    return daemon.cli("agent", "show", f"api:{name}", json=True)


def listed(daemon):
    return {a["name"]: a for a in daemon.cli("agent", "list", json=True)["agents"]}


def test_two_agents_edit_the_same_file_in_their_own_worktrees(setup):
    one = add_agent(setup, "dev1", "one", "commit", "--worktree")
    two = add_agent(setup, "dev2", "two", "leave", "--worktree", "--branch", "feature/two")
    workspace = setup.cli("workspace", "list", json=True)["workspaces"][0]["id"]
    expected1 = os.path.join(os.path.realpath(setup.home), "workspaces", workspace, "worktrees", "api", "dev1")
    before = agent(setup, "dev1")["worktree"]
    assert before["enabled"] is True and before["branch"] == "wa/dev1" and before["exists"] is False
    assert os.path.realpath(before["path"]) == expected1

    assert run_agent(setup, "dev1", one) == expected1
    cwd2 = run_agent(setup, "dev2", two)
    assert cwd2.endswith("/worktrees/api/dev2")

    # Neither touched the other, nor the human's checkout.
    assert read(os.path.join(setup.repo, "shared.txt")) == "base\n"
    assert read(os.path.join(expected1, "shared.txt")) == "one\n"
    assert read(os.path.join(cwd2, "shared.txt")) == "two\n"
    assert git(setup.repo, "status", "--porcelain") == ""
    assert git(setup.repo, "log", "-1", "--format=%s", "wa/dev1").strip() == "one"
    assert git(setup.repo, "rev-parse", "feature/two") == git(setup.repo, "rev-parse", "main")

    agents = listed(setup)
    w1, w2 = agents["dev1"]["worktree"], agents["dev2"]["worktree"]
    assert (w1["branch"], w1["baseBranch"], w1["ahead"], w1["behind"], w1["changes"]) == ("wa/dev1", "main", 1, 0, 0)
    assert (w2["branch"], w2["ahead"], w2["behind"], w2["changes"]) == ("feature/two", 0, 0, 1)

    # The human commits on main: dev1 is now one behind as well.
    with open(os.path.join(setup.repo, "other.txt"), "w") as file:
        file.write("x\n")
    git(setup.repo, "add", "other.txt")
    git(setup.repo, "commit", "-q", "-m", "other")
    w1 = listed(setup)["dev1"]["worktree"]
    assert (w1["ahead"], w1["behind"]) == (1, 1)
    # The HTTP API shows the same.
    api = setup.api_json("/api/v1/workspaces/current/agents")
    assert {a["name"]: a["worktree"]["behind"] for a in api["agents"]} == {"dev1": 1, "dev2": 1}

    # Diff summaries: against the point the branch left main (the human's later commit is not the agent's work).
    d1 = setup.cli("agent", "worktree", "api:dev1", "diff", json=True)
    assert [(f["path"], f["added"], f["removed"]) for f in d1["files"]] == [("shared.txt", 1, 1)]
    assert (d1["filesChanged"], d1["added"], d1["removed"], d1.get("diff")) == (1, 1, 1, None)
    with open(os.path.join(cwd2, "new.txt"), "w") as file:
        file.write("fresh\n")
    d2 = setup.cli("agent", "worktree", "api:dev2", "diff", "--full", json=True)
    assert [(f["path"], f["added"], f["removed"]) for f in d2["files"]] == [("shared.txt", 1, 1)]
    assert d2["untracked"] == ["new.txt"] and d2["filesChanged"] == 2
    assert "-base\n+two\n" in d2["diff"] and d2["truncated"] is False
    text = setup.cli("agent", "worktree", "api:dev2", "diff").stdout
    assert "1\t1\tshared.txt" in text and "2 files changed, +1 −1" in text


def test_remove_refuses_uncommitted_changes_and_keeps_the_branch(setup):
    marker = add_agent(setup, "dev2", "two", "leave", "--worktree")
    folder = run_agent(setup, "dev2", marker)
    refused = setup.cli("agent", "worktree", "api:dev2", "remove", check=False)
    assert_error(refused, 1, "1 uncommitted change", "--force", "branch is kept")
    assert os.path.isdir(folder)
    refused = setup.cli("agent", "remove", "api:dev2", check=False)
    assert_error(refused, 1, "uncommitted", "whatsagent agent remove api:dev2 --force")
    assert agent(setup, "dev2")["name"] == "dev2"

    removed = setup.cli("agent", "worktree", "api:dev2", "remove", "--force", json=True)
    assert (removed["branch"], removed["discardedChanges"]) == ("wa/dev2", 1)
    assert not os.path.exists(folder)
    assert git(setup.repo, "branch", "--list", "wa/dev2").strip() == "wa/dev2"
    assert "dev2" not in git(setup.repo, "worktree", "list")

    # A clean worktree goes with its agent (the branch stays); a forced removal discards changes.
    clean = add_agent(setup, "dev1", "one", "commit", "--worktree")
    folder1 = run_agent(setup, "dev1", clean)
    setup.cli("agent", "remove", "api:dev1")
    assert not os.path.exists(folder1)
    assert git(setup.repo, "log", "-1", "--format=%s", "wa/dev1").strip() == "one"
    run_agent(setup, "dev2", marker)
    setup.cli("agent", "remove", "api:dev2", "--force")
    assert git(setup.repo, "branch", "--list", "wa/dev2").strip() == "wa/dev2"
    assert git(setup.repo, "worktree", "list").count("\n") == 1


def test_remove_refuses_while_the_agent_runs(setup, make_dir):
    setup.cli("agent", "add", "api:long", "--runtime", "custom", "--command", "/bin/sleep", "--arg", "60", "--worktree")
    launched = setup.cli("agent", "launch", "api:long", json=True)
    setup.runner_pids.add(launched["session"]["runnerPid"])
    refused = setup.cli("agent", "worktree", "api:long", "remove", "--force", check=False)
    assert_error(refused, 1, "whatsagent agent stop api:long")
    assert os.path.isdir(agent(setup, "long")["worktree"]["path"])


def test_a_repo_that_is_not_git_is_refused(daemon, make_dir):
    plain = make_dir()
    daemon.cli("workspace", "add", "team")
    daemon.cli("repo", "add", plain, "--name", "docs")
    refused = daemon.cli("agent", "add", "docs:dev", "--runtime", "custom", "--command", "/bin/true", "--worktree", check=False)
    assert_error(refused, 1, "not a git repository", "git init", "--worktree")
    assert daemon.cli("agent", "list", json=True)["agents"] == []
    daemon.cli("agent", "add", "docs:dev", "--runtime", "custom", "--command", "/bin/true")
    refused = daemon.cli("agent", "set", "docs:dev", "--worktree", "on", json=True, check=False)
    assert_error(refused, 1, "not a git repository", json_mode=True, code="invalid_state")
    assert "worktree" not in daemon.cli("agent", "show", "docs:dev", json=True)
    bad = daemon.cli("agent", "add", "docs:x", "--command", "/bin/true", "--runtime", "custom", "--worktree", "--branch", "a..b",
                     check=False)
    assert_error(bad, 1, "not a valid git branch name")


def test_an_existing_branch_is_reused_not_reset(setup):
    git(setup.repo, "branch", "wa/dev3")
    git(setup.repo, "worktree", "add", "-q", os.path.join(setup.scratch, "tmp"), "wa/dev3")
    tmp = os.path.join(setup.scratch, "tmp")
    with open(os.path.join(tmp, "earlier.txt"), "w") as file:
        file.write("earlier\n")
    git(tmp, "add", "earlier.txt")
    git(tmp, "commit", "-q", "-m", "earlier")
    git(setup.repo, "worktree", "remove", tmp)
    marker = add_agent(setup, "dev3", "three", "commit")
    setup.cli("agent", "set", "api:dev3", "--worktree", "on")
    folder = run_agent(setup, "dev3", marker)
    assert read(os.path.join(folder, "earlier.txt")) == "earlier\n"
    assert git(setup.repo, "log", "--format=%s", "wa/dev3").split() == ["three", "earlier", "base"]
    assert listed(setup)["dev3"]["worktree"]["ahead"] == 2

    # Off: the next launch runs in the repo itself again, the worktree folder stays.
    setup.cli("agent", "set", "api:dev3", "--worktree", "off")
    assert run_agent(setup, "dev3", marker) == setup.repo
    shown = agent(setup, "dev3")["worktree"]
    assert shown["enabled"] is False and shown["exists"] is True
    git(setup.repo, "checkout", "-q", "--", "shared.txt")


def test_a_deleted_worktree_folder_is_recreated_and_logged(setup):
    marker = add_agent(setup, "dev1", "one", "commit", "--worktree")
    folder = run_agent(setup, "dev1", marker)
    shutil.rmtree(folder)
    assert run_agent(setup, "dev1", marker) == folder
    # Recreated from the existing branch: its commit is there (the script's second commit had nothing to commit).
    assert read(os.path.join(folder, "shared.txt")) == "one\n"
    assert git(setup.repo, "log", "--format=%s", "wa/dev1").split() == ["one", "base"]
    lines = [json.loads(line) for line in read(os.path.join(setup.home, "logs", "daemon.log")).splitlines() if line.strip()]
    assert any("recreated" in line.get("message", "") and line.get("agent") == "api:dev1" for line in lines), lines[-20:]


def test_a_detached_head_works(setup):
    git(setup.repo, "checkout", "-q", "--detach")
    marker = add_agent(setup, "dev1", "one", "commit", "--worktree")
    folder = run_agent(setup, "dev1", marker)
    assert read(os.path.join(folder, "shared.txt")) == "one\n"
    shown = listed(setup)["dev1"]["worktree"]
    assert "baseBranch" not in shown and (shown["ahead"], shown["behind"], shown["branch"]) == (1, 0, "wa/dev1")
    text = setup.cli("agent", "show", "api:dev1").stdout
    assert "branch wa/dev1" in text and "1 ahead, 0 behind" in text and "uncommitted changes: 0" in text


def test_a_task_names_the_branch_it_is_done_on(setup):
    setup.cli("agent", "add", "api:main", "--runtime", "custom", "--command", "/bin/true")
    pm = setup.cli("agent", "connect", "api:main", json=True)["token"]
    setup.cli("task", "create", "Login", "--assignee", "api:main")
    changed = agent_call(setup, pm, "update_kanban_task", {"taskId": "WA-001", "branch": "wa/dev1"})
    assert not changed.get("isError"), changed
    assert task_branch(setup) == "wa/dev1"
    assert "wa/dev1" in json.dumps(agent_call(setup, pm, "read_kanban_task", {"taskId": "WA-001"}))
    refused = agent_call(setup, pm, "update_kanban_task", {"taskId": "WA-001", "branch": "a..b"})
    assert refused.get("isError") and "not a valid git branch name" in json.dumps(refused), refused
    assert task_branch(setup) == "wa/dev1"
    setup.cli("task", "edit", "WA-001", "--branch", "feature/login")
    assert task_branch(setup) == "feature/login"
    setup.cli("task", "edit", "WA-001", "--branch", "")
    assert task_branch(setup) is None


def task_branch(daemon):
    shown = daemon.cli("task", "show", "WA-001", json=True)
    return shown.get("task", shown).get("branch")
