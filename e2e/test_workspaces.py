"""Workspaces through the CLI: add, list, use, set, the current workspace, trash / restore / purge (SPEC §3, §4)."""

import os
import re

from conftest import assert_error, sans_times

RFC3339_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def by_name(listing, name, status="active"):
    rows = [w for w in listing["workspaces"] if w["name"] == name and w["status"] == status]
    assert len(rows) == 1, f"expected one {status} workspace {name!r}: {listing}"
    return rows[0]


def by_id(listing, wid):
    rows = [w for w in listing["workspaces"] if w["id"] == wid]
    assert len(rows) == 1, f"expected one workspace {wid!r}: {listing}"
    return rows[0]


def current_ids(listing):
    return [w["id"] for w in listing["workspaces"] if w["isCurrent"]]


def test_first_workspace_becomes_current(daemon):
    proc = daemon.cli("workspace", "add", "alpha")
    assert "alpha" in proc.stdout and "current" in proc.stdout, proc.stdout
    listing = daemon.cli("workspace", "list", json=True)
    alpha = by_name(listing, "alpha")
    assert listing["currentWorkspaceId"] == alpha["id"]
    assert alpha["isCurrent"] is True

    beta = daemon.cli("workspace", "add", "beta", json=True)
    assert beta["isCurrent"] is False
    listing = daemon.cli("workspace", "list", json=True)
    assert current_ids(listing) == [alpha["id"]]
    assert listing["currentWorkspaceId"] == alpha["id"]
    assert {w["name"] for w in listing["workspaces"]} == {"alpha", "beta"}


def test_workspace_add_defaults(daemon):
    w = daemon.cli("workspace", "add", "alpha", json=True)
    assert re.fullmatch(r"[0-9a-f]{8,}", w["id"]), w["id"]
    assert w["name"] == "alpha"
    assert w["status"] == "active"
    assert w["topology"] == "star"
    assert w["rbacMode"] == "enforce"
    assert w["kanbanPrefix"] == "WA"
    assert w["epicPrefix"] == "EP"
    assert (w["repoCount"], w["agentCount"], w["liveSessionCount"]) == (0, 0, 0)
    assert RFC3339_MS.match(w["createdAt"]) and RFC3339_MS.match(w["updatedAt"])
    assert w.get("trashedAt") is None and w.get("purgeAfter") is None
    assert os.path.isfile(os.path.join(daemon.home, "workspaces", w["id"], "whatsagent.sqlite"))


def test_workspace_add_with_options(daemon):
    w = daemon.cli(
        "workspace", "add", "beta", "--topology", "channel", "--rbac-mode", "off", "--kanban-prefix", "TASK",
        "--epic-prefix", "EPIC", "--rate-limit", "60", "--loop-guard", "off", json=True,
    )
    assert w["topology"] == "channel"
    assert w["rbacMode"] == "off"
    assert w["kanbanPrefix"] == "TASK"
    assert w["epicPrefix"] == "EPIC"
    assert w["rateLimit"] == 60
    assert w["loopGuard"] == "off"
    listed = by_name(daemon.cli("workspace", "list", json=True), "beta")
    assert sans_times(listed) == sans_times(w)


def test_workspace_list_text(daemon):
    proc = daemon.cli("workspace", "list")
    assert "no workspaces" in proc.stdout.lower()
    a = daemon.cli("workspace", "add", "alpha", json=True)
    b = daemon.cli("workspace", "add", "beta", json=True)
    lines = daemon.cli("workspace", "list").stdout.splitlines()
    alpha_line = next(line for line in lines if a["id"] in line)
    beta_line = next(line for line in lines if b["id"] in line)
    assert "alpha" in alpha_line and alpha_line.lstrip().startswith("*")
    assert "beta" in beta_line and not beta_line.lstrip().startswith("*")


def test_workspace_use_by_name_and_id(daemon):
    a = daemon.cli("workspace", "add", "alpha", json=True)
    b = daemon.cli("workspace", "add", "beta", json=True)
    used = daemon.cli("workspace", "use", "beta", json=True)
    assert used["id"] == b["id"]
    listing = daemon.cli("workspace", "list", json=True)
    assert listing["currentWorkspaceId"] == b["id"]
    assert current_ids(listing) == [b["id"]]
    assert daemon.cli("status", json=True)["currentWorkspaceId"] == b["id"]
    proc = daemon.cli("workspace", "use", a["id"])
    assert "alpha" in proc.stdout
    assert daemon.cli("workspace", "list", json=True)["currentWorkspaceId"] == a["id"]
    # Case-insensitive names resolve too.
    daemon.cli("workspace", "use", "BETA")
    assert daemon.cli("workspace", "list", json=True)["currentWorkspaceId"] == b["id"]


def test_workspace_set_every_option(daemon):
    before = daemon.cli("workspace", "add", "alpha", json=True)
    after = daemon.cli(
        "workspace", "set", "alpha", "--name", "alpha2", "--topology", "p2p", "--rbac-mode", "soft",
        "--kanban-prefix", "KB", "--epic-prefix", "EPX", "--max-body", "500", "--chat-retention", "forever",
        "--rate-limit", "off", "--loop-guard", "10", json=True,
    )
    assert after["id"] == before["id"]
    assert after["name"] == "alpha2"
    assert after["topology"] == "p2p"
    assert after["rbacMode"] == "soft"
    assert after["kanbanPrefix"] == "KB"
    assert after["epicPrefix"] == "EPX"
    assert after["maxBodyChars"] == 500
    assert after["chatRetention"] == "forever"
    assert after["rateLimit"] == "off"
    assert after["loopGuard"] == 10
    assert after["createdAt"] == before["createdAt"]
    assert after["updatedAt"] >= before["updatedAt"]
    assert after["isCurrent"] is True
    assert sans_times(by_id(daemon.cli("workspace", "list", json=True), before["id"])) == sans_times(after)
    # The old name no longer resolves; the new one does.
    assert_error(daemon.cli("repo", "list", "--workspace", "alpha", check=False), 1, "alpha")
    daemon.cli("repo", "list", "--workspace", "alpha2")
    # Numbers back from off / forever.
    again = daemon.cli(
        "workspace", "set", before["id"], "--chat-retention", "7", "--rate-limit", "30", "--loop-guard", "off", json=True
    )
    assert (again["chatRetention"], again["rateLimit"], again["loopGuard"]) == (7, 30, "off")
    assert again["topology"] == "p2p" and again["name"] == "alpha2"  # untouched fields stay
    text = daemon.cli("workspace", "set", "alpha2", "--topology", "star")
    assert "alpha2" in text.stdout


def test_workspace_scoped_commands_default_to_current(daemon, make_dir):
    root = make_dir("one", "two")
    daemon.cli("workspace", "add", "alpha")
    daemon.cli("workspace", "add", "beta")
    daemon.cli("repo", "add", os.path.join(root, "one"))  # current: alpha
    daemon.cli("repo", "add", os.path.join(root, "two"), "--workspace", "beta")
    assert [r["name"] for r in daemon.cli("repo", "list", json=True)["repos"]] == ["one"]
    assert [r["name"] for r in daemon.cli("repo", "list", "--workspace", "alpha", json=True)["repos"]] == ["one"]
    assert [r["name"] for r in daemon.cli("repo", "list", "--workspace", "beta", json=True)["repos"]] == ["two"]
    daemon.cli("workspace", "use", "beta")
    assert [r["name"] for r in daemon.cli("repo", "list", json=True)["repos"]] == ["two"]
    listing = daemon.cli("workspace", "list", json=True)
    assert by_name(listing, "alpha")["repoCount"] == 1
    assert by_name(listing, "beta")["repoCount"] == 1


def test_no_current_workspace_among_several_is_a_clear_error(daemon):
    daemon.cli("workspace", "add", "alpha")  # current
    daemon.cli("workspace", "add", "beta")
    daemon.cli("workspace", "add", "gamma")
    daemon.cli("workspace", "trash", "alpha")
    listing = daemon.cli("workspace", "list", json=True)
    assert listing.get("currentWorkspaceId") is None
    assert current_ids(listing) == []
    proc = daemon.cli("repo", "list", check=False)
    assert_error(proc, 1, "--workspace", "beta", "gamma")
    proc = daemon.cli("agent", "list", json=True, check=False)
    assert_error(proc, 1, json_mode=True, code="no_current_workspace")
    # Naming one explicitly works.
    assert daemon.cli("repo", "list", "--workspace", "gamma", json=True) == {"repos": []}


def test_only_live_workspace_is_current(daemon):
    daemon.cli("workspace", "add", "alpha")
    beta = daemon.cli("workspace", "add", "beta", json=True)
    daemon.cli("workspace", "trash", "alpha")
    listing = daemon.cli("workspace", "list", json=True)
    assert current_ids(listing) == [beta["id"]]
    assert daemon.cli("repo", "list", json=True) == {"repos": []}


def test_adding_a_workspace_does_not_steal_current(daemon):
    """The workspace shown as current (the only live one) stays current when another is added."""
    daemon.cli("workspace", "add", "alpha")
    beta = daemon.cli("workspace", "add", "beta", json=True)
    daemon.cli("workspace", "trash", "alpha")
    assert current_ids(daemon.cli("workspace", "list", json=True)) == [beta["id"]]
    gamma = daemon.cli("workspace", "add", "gamma", json=True)
    listing = daemon.cli("workspace", "list", json=True)
    assert current_ids(listing) == [beta["id"]], (
        f"current moved from beta to {[w['name'] for w in listing['workspaces'] if w['isCurrent']]} "
        f"after `workspace add gamma` (gamma isCurrent={gamma['isCurrent']})"
    )


def test_trash_moves_folder_and_lists_as_trashed(daemon, make_dir):
    root = make_dir("api")
    alpha = daemon.cli("workspace", "add", "alpha", json=True)
    daemon.cli("workspace", "add", "beta")
    daemon.cli("repo", "add", os.path.join(root, "api"))
    live_dir = os.path.join(daemon.home, "workspaces", alpha["id"])
    trash_dir = os.path.join(daemon.home, "trash", alpha["id"])
    assert os.path.isdir(live_dir) and not os.path.exists(trash_dir)

    proc = daemon.cli("workspace", "trash", "alpha")
    assert alpha["id"] in proc.stdout, "the text output should say how to restore (by id)"
    assert not os.path.exists(live_dir)
    assert os.path.isfile(os.path.join(trash_dir, "whatsagent.sqlite"))

    row = by_id(daemon.cli("workspace", "list", json=True), alpha["id"])
    assert row["status"] == "trashed"
    assert row["isCurrent"] is False
    assert RFC3339_MS.match(row["trashedAt"]) and RFC3339_MS.match(row["purgeAfter"]), row
    assert row["purgeAfter"] > row["trashedAt"]
    text = daemon.cli("workspace", "list").stdout
    line = next(line for line in text.splitlines() if alpha["id"] in line)
    assert "trashed" in line


def test_trash_json_output(daemon):
    alpha = daemon.cli("workspace", "add", "alpha", json=True)
    trashed = daemon.cli("workspace", "trash", alpha["id"], json=True)
    assert trashed["id"] == alpha["id"]
    assert trashed["status"] == "trashed"
    assert trashed["purgeAfter"] and trashed["trashedAt"]


def test_trashed_workspace_is_not_addressable(daemon):
    alpha = daemon.cli("workspace", "add", "alpha", json=True)
    daemon.cli("workspace", "add", "beta")
    daemon.cli("workspace", "trash", "alpha")
    before = daemon.snapshot()
    for reference in ("alpha", alpha["id"]):
        for args in (
            ("repo", "list", "--workspace", reference),
            ("agent", "list", "--workspace", reference),
            ("repo", "add", "/tmp", "--workspace", reference),
            ("workspace", "use", reference),
            ("workspace", "set", reference, "--topology", "p2p"),
            ("workspace", "trash", reference),
        ):
            proc = daemon.cli(*args, check=False)
            message = assert_error(proc, 1)
            assert re.search(r"not found|no workspace|trash", message, re.I), f"{args}: {message}"
    assert daemon.snapshot() == before


def test_trashed_name_can_be_reused_and_restore_needs_a_free_name(daemon, make_dir):
    root = make_dir("api", "web")
    alpha = daemon.cli("workspace", "add", "alpha", json=True)
    daemon.cli("repo", "add", os.path.join(root, "api"), "--workspace", "alpha")
    daemon.cli("agent", "add", "api:dev", "--workspace", "alpha", "--role", "reviewer")
    daemon.cli("agent", "add", "api:main", "--workspace", "alpha", "--main")
    repos_before = daemon.cli("repo", "list", "--workspace", "alpha", json=True)
    agents_before = daemon.cli("agent", "list", "--workspace", "alpha", json=True)

    daemon.cli("workspace", "trash", "alpha")
    reused = daemon.cli("workspace", "add", "alpha", json=True)
    assert reused["id"] != alpha["id"]
    daemon.cli("repo", "add", os.path.join(root, "web"), "--workspace", "alpha")
    listing = daemon.cli("workspace", "list", json=True)
    assert by_name(listing, "alpha", "trashed")["id"] == alpha["id"]
    assert by_name(listing, "alpha", "active")["id"] == reused["id"]

    # Restore while a live workspace holds the name: refused, nothing moved.
    before = daemon.snapshot()
    proc = daemon.cli("workspace", "restore", alpha["id"], check=False)
    assert_error(proc, 1, "alpha")
    assert os.path.isdir(os.path.join(daemon.home, "trash", alpha["id"]))
    assert not os.path.exists(os.path.join(daemon.home, "workspaces", alpha["id"]))
    assert daemon.snapshot() == before
    proc = daemon.cli("workspace", "restore", alpha["id"], json=True, check=False)
    assert_error(proc, 1, json_mode=True, code="name_taken")

    # Rename the live one, then restore: the data is back.
    daemon.cli("workspace", "set", "alpha", "--name", "alpha-new")
    restored = daemon.cli("workspace", "restore", alpha["id"], json=True)
    assert restored["id"] == alpha["id"] and restored["name"] == "alpha" and restored["status"] == "active"
    assert restored.get("trashedAt") is None and restored.get("purgeAfter") is None
    assert os.path.isfile(os.path.join(daemon.home, "workspaces", alpha["id"], "whatsagent.sqlite"))
    assert not os.path.exists(os.path.join(daemon.home, "trash", alpha["id"]))
    assert daemon.cli("repo", "list", "--workspace", "alpha", json=True) == repos_before
    assert daemon.cli("agent", "list", "--workspace", "alpha", json=True) == agents_before
    row = by_id(daemon.cli("workspace", "list", json=True), alpha["id"])
    assert (row["repoCount"], row["agentCount"]) == (1, 2)
    assert [r["name"] for r in daemon.cli("repo", "list", "--workspace", "alpha-new", json=True)["repos"]] == ["web"]


def test_restore_of_a_live_workspace_is_refused(daemon):
    alpha = daemon.cli("workspace", "add", "alpha", json=True)
    before = daemon.snapshot()
    assert_error(daemon.cli("workspace", "restore", alpha["id"], check=False), 1, "alpha")
    assert_error(daemon.cli("workspace", "restore", "nope", check=False), 1, "nope")
    assert daemon.snapshot() == before


def test_purge_refuses_live_and_removes_trashed(daemon):
    alpha = daemon.cli("workspace", "add", "alpha", json=True)
    beta = daemon.cli("workspace", "add", "beta", json=True)
    live_dir = os.path.join(daemon.home, "workspaces", alpha["id"])

    before = daemon.snapshot()
    proc = daemon.cli("workspace", "purge", alpha["id"], check=False)
    message = assert_error(proc, 1, "alpha")
    assert "trash" in message.lower()
    assert os.path.isdir(live_dir)
    assert daemon.snapshot() == before

    daemon.cli("workspace", "trash", "alpha")
    trash_dir = os.path.join(daemon.home, "trash", alpha["id"])
    assert os.path.isdir(trash_dir)
    purged = daemon.cli("workspace", "purge", alpha["id"], json=True)
    assert purged["id"] == alpha["id"]
    assert not os.path.exists(trash_dir)
    assert not os.path.exists(live_dir)
    listing = daemon.cli("workspace", "list", json=True)
    assert [w["id"] for w in listing["workspaces"]] == [beta["id"]]
    # Gone for good: neither restore nor purge finds it.
    assert_error(daemon.cli("workspace", "purge", alpha["id"], check=False), 1)
    assert_error(daemon.cli("workspace", "restore", alpha["id"], check=False), 1)
    assert daemon.cli("status", json=True)["workspaces"] == 1


def test_roles_and_audit_from_the_cli(daemon, make_dir):
    """Custom roles, grants, assignment to an agent, and the audit log of its calls (SPEC §10)."""
    daemon.cli("workspace", "add", "rbac")
    daemon.cli("repo", "add", make_dir(), "--name", "api")
    daemon.cli("role", "add", "announcer", "--description", "may broadcast")
    role = daemon.cli("role", "grant", "announcer", "channel_action", "broadcast_message", json=True)
    assert role["grants"] == [{"kind": "channel_action", "value": "broadcast_message"}]
    names = {r["name"] for r in daemon.cli("role", "list", json=True)["roles"]}
    assert {"pm", "engineer", "reviewer", "researcher", "restricted", "operator", "announcer"} <= names

    agent = daemon.cli("agent", "add", "api:dev", "--role", "engineer", "--role", "announcer", json=True)
    assert agent["roles"] == ["engineer", "announcer"]
    refused = daemon.cli("role", "remove", "announcer", check=False)
    assert refused.returncode == 1 and "api:dev" in refused.stderr
    bad = daemon.cli("role", "grant", "announcer", "tool_family", "teleport", check=False)
    assert bad.returncode == 1 and "teleport" in bad.stderr

    assert daemon.cli("audit", "list", json=True)["entries"] == []
    csv = daemon.cli("audit", "export").stdout
    assert csv.startswith("id,at,kind,actor,tool,expected_grant,outcome")
