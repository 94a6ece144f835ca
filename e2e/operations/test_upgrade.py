"""Upgrades (SPEC §3, §15, issue 7).

`fixtures/home-2e8862b.tar.gz` is a home written by the previous release (main at 2e8862b, the last landing before
the web UI): a password set through the web setup, two workspaces (p2p and channel), repos, agents of three
runtimes, a custom role with a grant, a peer rule, a runtime setting, DMs both ways (one acknowledged through a lease
and its acknowledgement), a channel post, tasks and an epic with a comment, audit entries. This binary must migrate
it forward and show all of it; and a database holding a migration this binary does not know — what an older binary
sees after an upgrade — must be refused at start with a message naming the migration, never silently downgraded.
"""

from __future__ import annotations

import http.client
import json
import os
import sqlite3
import subprocess
import tarfile

from conftest import BIN, Daemon, child_env

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "home-2e8862b.tar.gz")
# The migrations of 2e8862b: 3 in daemon.sqlite, 13 in each workspace database.
OLD_DAEMON_MIGRATIONS = {"v1-create-workspace", "v1-create-setting", "v2-create-auth"}


def unpack(make_dir) -> str:
    home = make_dir()
    with tarfile.open(FIXTURE) as archive:
        archive.extractall(home, filter="data")
    os.chmod(home, 0o700)
    return home


def migrations(database: str) -> set[str]:
    connection = sqlite3.connect(database)
    try:
        return {row[0] for row in connection.execute("SELECT identifier FROM grdb_migrations")}
    finally:
        connection.close()


def workspace_databases(home: str) -> list[str]:
    root = os.path.join(home, "workspaces")
    return [os.path.join(root, name, "whatsagent.sqlite") for name in sorted(os.listdir(root))]


def login(url: str, password: str) -> int:
    port = int(url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": f"127.0.0.1:{port}", "Origin": f"http://127.0.0.1:{port}", "Content-Type": "application/json"}
    connection.request("POST", "/api/v1/auth/login", body=json.dumps({"password": password}), headers=headers)
    return connection.getresponse().status


def test_a_home_of_the_previous_release_migrates_and_keeps_everything(make_daemon, make_dir):
    home = unpack(make_dir)
    assert migrations(os.path.join(home, "daemon.sqlite")) == OLD_DAEMON_MIGRATIONS
    old_workspace = {database: migrations(database) for database in workspace_databases(home)}
    assert all(len(applied) == 13 for applied in old_workspace.values()), old_workspace

    daemon = make_daemon(start=False, home=home)
    info = daemon.start()
    assert "setupURL" not in info, "the password set by the old release still counts"
    assert login(info["url"], "legacy password") == 200

    names = sorted(workspace["name"] for workspace in daemon.cli("workspace", "list", json=True)["workspaces"])
    assert names == ["chat", "legacy"]
    agents = {agent["address"]: agent for agent in daemon.cli("agent", "list", json=True)["agents"]}
    assert set(agents) == {"shop:main", "shop:backend", "shop:cat"}
    assert agents["shop:main"]["isMain"] is True and agents["shop:backend"]["runtime"] == "codex"

    thread = daemon.cli("msg", "thread", "shop:backend", json=True)["messages"]
    assert [(m["from"], m["body"], m["state"]) for m in thread] == [
        ("human-web", "Please expose GET /orders", "acknowledged"),
        ("shop:backend", "Done: GET /orders is live", "acknowledged"),
    ]
    first = daemon.cli("task", "show", "WA-001", json=True)
    assert first["task"]["title"] == "Add pagination to /orders" and first["task"]["priority"] == "P1"
    assert [comment["body"] for comment in first["comments"]] == ["started on it"]
    assert daemon.cli("task", "show", "WA-002", json=True)["task"]["status"] == "In Progress"
    assert "kanban-read" in json.dumps(daemon.cli("role", "show", "auditor", json=True))
    assert "shop:cat" in json.dumps(daemon.cli("peer-rule", "list", json=True))
    assert "/usr/bin/codex" in json.dumps(daemon.cli("runtime", "list", json=True))
    assert "hello channel" in json.dumps(daemon.cli("channel", "read", "shared", "--workspace", "chat", json=True))
    assert daemon.cli("audit", "list", json=True)["entries"], "audit entries survive"

    # The new release works on the old data: new ids continue, new messages flow.
    created = daemon.cli("task", "create", "After the upgrade", "--assignee", "shop:main", json=True)
    assert "WA-003" in json.dumps(created)
    daemon.cli("msg", "send", "shop:backend", "still there after the upgrade?")

    daemon.stop()
    assert migrations(os.path.join(home, "daemon.sqlite")) >= OLD_DAEMON_MIGRATIONS
    for database, applied in old_workspace.items():
        assert migrations(database) >= applied


def add_future_migration(database: str) -> set[str]:
    """Records a migration this binary does not know, as a newer release would; returns the migrations before."""
    old = migrations(database)
    connection = sqlite3.connect(database)
    with connection:
        connection.execute("INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-a-newer-release')")
    connection.close()
    return old


def test_a_daemon_database_from_a_newer_release_is_refused_at_start(make_dir):
    home = unpack(make_dir)
    database = os.path.join(home, "daemon.sqlite")
    old = add_future_migration(database)

    proc = subprocess.run(
        [BIN, "start", "--home", home, "--port", "0"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        env=child_env(),
    )
    try:
        assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
        assert "v99-from-a-newer-release" in proc.stderr and "newer WhatsAgent" in proc.stderr, proc.stderr
        assert "upgrade whatsagent" in proc.stderr
        assert migrations(database) == old | {"v99-from-a-newer-release"}, "nothing migrated or rolled back"
    finally:
        Daemon(home).teardown()


def test_a_workspace_database_from_a_newer_release_is_refused_and_the_others_keep_working(make_daemon, make_dir):
    home = unpack(make_dir)
    daemon = make_daemon(start=False, home=home)
    daemon.start()
    ids = {w["name"]: w["id"] for w in daemon.cli("workspace", "list", json=True)["workspaces"]}
    daemon.stop()
    database = os.path.join(home, "workspaces", ids["legacy"], "whatsagent.sqlite")
    old = add_future_migration(database)

    daemon.start()
    refused = daemon.cli("agent", "list", "--workspace", "legacy", json=True, check=False)
    assert refused.returncode == 1
    error = json.loads(refused.stderr)["error"]
    assert error["code"] == "database_too_new", error
    assert "v99-from-a-newer-release" in error["message"] and "upgrade whatsagent" in error["message"], error
    assert [a["address"] for a in daemon.cli("agent", "list", "--workspace", "chat", json=True)["agents"]] == ["web:main"]
    daemon.stop()
    assert migrations(database) == old | {"v99-from-a-newer-release"}, "the refused database was not touched"
