"""State survives a daemon restart: workspaces, repos, agents (ids too) and the current workspace (SPEC §3)."""

import os

from conftest import wait_for_exit


def populate(daemon, root):
    """Two live workspaces with repos and agents, one trashed workspace, beta current. Returns agent addresses."""
    persona = os.path.join(root, "p.md")
    with open(persona, "w", encoding="utf-8") as handle:
        handle.write("remember me\n")
    daemon.cli("workspace", "add", "alpha", "--topology", "p2p", "--rbac-mode", "soft")
    daemon.cli("workspace", "add", "beta", "--kanban-prefix", "BE", "--rate-limit", "off")
    daemon.cli("workspace", "add", "old")
    daemon.cli("workspace", "set", "beta", "--max-body", "1234", "--chat-retention", "forever", "--loop-guard", "7")
    daemon.cli("repo", "add", os.path.join(root, "api"), "--workspace", "alpha")
    daemon.cli("repo", "add", os.path.join(root, "web"), "--workspace", "alpha", "--name", "front")
    daemon.cli("repo", "add", os.path.join(root, "api"), "--workspace", "beta")
    daemon.cli("repo", "add", os.path.join(root, "api"), "--workspace", "old")
    daemon.cli(
        "agent", "add", "api:main", "--workspace", "alpha", "--main", "--runtime", "custom", "--command", "/bin/cat",
        "--arg", "--flag",
    )
    daemon.cli("agent", "add", "front:ui", "--workspace", "alpha", "--persona-file", persona, "--role", "reviewer")
    daemon.cli("agent", "set", "front:ui", "--workspace", "alpha", "--push", "off")
    daemon.cli("agent", "add", "api:dev", "--workspace", "beta", "--runtime", "codex")
    daemon.cli("agent", "add", "api:x", "--workspace", "old")
    daemon.cli("workspace", "trash", "old")
    daemon.cli("workspace", "use", "beta")


def full_state(daemon):
    state = daemon.snapshot()
    state["shown"] = {
        (wid, agent["address"]): daemon.cli("agent", "show", agent["address"], "--workspace", wid, json=True)
        for wid, agents in state["agents"].items()
        for agent in agents["agents"]
    }
    status = daemon.cli("status", json=True)
    state["status"] = {key: status.get(key) for key in ("workspaces", "sessions", "currentWorkspaceId", "home")}
    return state


def test_restart_keeps_workspaces_repos_agents_and_current(daemon, make_dir):
    root = make_dir("api", "web")
    populate(daemon, root)
    before = full_state(daemon)
    assert len(before["workspaces"]["workspaces"]) == 3
    assert sum(len(a["agents"]) for a in before["agents"].values()) == 3
    beta_id = next(w["id"] for w in before["workspaces"]["workspaces"] if w["name"] == "beta")
    assert before["status"]["currentWorkspaceId"] == beta_id

    old_pid = daemon.pid
    daemon.cli("stop")
    assert wait_for_exit(old_pid)
    daemon.start()
    assert daemon.pid != old_pid

    after = full_state(daemon)
    assert after == before
    # The default workspace is still beta.
    assert [a["address"] for a in daemon.cli("agent", "list", json=True)["agents"]] == ["api:dev"]


def test_restart_after_sigkill_keeps_committed_state(daemon, make_dir):
    """A crash (SIGKILL) loses nothing that a command reported as done; the next start takes over the home."""
    root = make_dir("api", "web")
    populate(daemon, root)
    before = full_state(daemon)
    os.kill(daemon.pid, 9)
    assert wait_for_exit(daemon.pid)
    daemon.start()
    assert full_state(daemon) == before
