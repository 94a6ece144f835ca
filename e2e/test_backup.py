"""`whatsagent backup FILE`: a consistent tar of the home, written while the daemon runs (SPEC §4, §15)."""

import os
import tarfile

from conftest import assert_error


def populate(daemon, root):
    daemon.cli("workspace", "add", "alpha", "--topology", "p2p")
    daemon.cli("workspace", "add", "beta", "--rbac-mode", "soft")
    daemon.cli("workspace", "add", "old")
    daemon.cli("repo", "add", os.path.join(root, "api"), "--workspace", "alpha")
    daemon.cli("repo", "add", os.path.join(root, "web"), "--workspace", "alpha", "--name", "front")
    daemon.cli("repo", "add", os.path.join(root, "api"), "--workspace", "beta")
    daemon.cli("repo", "add", os.path.join(root, "web"), "--workspace", "old")
    daemon.cli("agent", "add", "api:main", "--workspace", "alpha", "--main")
    daemon.cli("agent", "add", "front:ui", "--workspace", "alpha", "--runtime", "custom", "--command", "/bin/true",
               "--arg", "--x")
    daemon.cli("agent", "add", "api:dev", "--workspace", "beta", "--role", "reviewer")
    daemon.cli("agent", "add", "web:gone", "--workspace", "old")
    daemon.cli("workspace", "trash", "old")
    daemon.cli("workspace", "use", "beta")


def extract(archive, destination):
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        for member in tar.getmembers():
            assert not os.path.isabs(member.name), member.name
            assert ".." not in member.name.split("/"), member.name
            assert member.isfile() or member.isdir(), f"unexpected member type: {member.name}"
        if hasattr(tarfile, "data_filter"):
            tar.extractall(destination, filter="data")
        else:
            tar.extractall(destination)
    return names


def test_backup_restores_into_a_new_home(make_daemon, make_dir):
    root = make_dir("api", "web")
    cwd = make_dir()
    original = make_daemon()
    populate(original, root)
    before = original.snapshot()
    status_before = original.cli("status", json=True)

    result = original.cli("backup", "out.tar", json=True, cwd=cwd)
    archive = os.path.join(cwd, "out.tar")
    assert result["path"] == archive, "a relative FILE is resolved against the working directory"
    assert os.path.isfile(archive)
    assert result["bytes"] == os.path.getsize(archive)
    ids = {w["name"] + ("-trashed" if w["status"] == "trashed" else ""): w["id"] for w in before["workspaces"]["workspaces"]}
    assert set(result["databases"]) == {
        "daemon.sqlite",
        f"workspaces/{ids['alpha']}/whatsagent.sqlite",
        f"workspaces/{ids['beta']}/whatsagent.sqlite",
        f"trash/{ids['old-trashed']}/whatsagent.sqlite",
    }
    # The daemon keeps running and serving after the backup.
    assert original.cli("status", json=True)["pid"] == original.pid

    restored = make_daemon(start=False)
    names = extract(archive, restored.home)
    for database in result["databases"]:
        assert database in names, f"{database} missing from the archive"
    assert not any(os.path.basename(name) in ("daemon.sock", "daemon.pid") for name in names), names
    assert not any(name.endswith(("-wal", "-shm")) for name in names), "the archive should hold complete databases"

    restored.start()
    assert restored.snapshot() == before
    status = restored.cli("status", json=True)
    assert status["currentWorkspaceId"] == status_before["currentWorkspaceId"]
    assert status["workspaces"] == status_before["workspaces"]
    assert status["home"] == restored.home
    # The trashed workspace can be restored from the copy, with its data.
    restored.cli("workspace", "restore", ids["old-trashed"])
    agents = restored.cli("agent", "list", "--workspace", "old", json=True)["agents"]
    assert [a["address"] for a in agents] == ["web:gone"]
    # The original is independent of the copy.
    assert original.snapshot() == before


def test_backup_text_output(daemon, make_dir):
    cwd = make_dir()
    daemon.cli("workspace", "add", "alpha")
    proc = daemon.cli("backup", os.path.join(cwd, "b.tar"))
    assert os.path.join(cwd, "b.tar") in proc.stdout
    assert "daemon.sqlite" in proc.stdout
    assert os.path.isfile(os.path.join(cwd, "b.tar"))


def test_backup_into_missing_directory_fails_cleanly(daemon, make_dir):
    parent = make_dir()
    daemon.cli("workspace", "add", "alpha")
    target = os.path.join(parent, "missing", "dir", "x.tar")
    proc = daemon.cli("backup", target, check=False)
    assert_error(proc, 1, os.path.join(parent, "missing"))
    assert not os.path.exists(target)
    assert not os.path.exists(os.path.join(parent, "missing")), "backup created the missing directories"
    assert daemon.cli("status", json=True)["pid"] == daemon.pid


def test_backup_onto_an_existing_directory_is_refused_and_keeps_it(daemon, make_dir):
    """FILE naming an existing directory is refused; the directory and its contents are left alone."""
    parent = make_dir("adir/sub")
    target = os.path.join(parent, "adir")
    precious = os.path.join(target, "sub", "keep.txt")
    with open(precious, "w", encoding="utf-8") as handle:
        handle.write("precious\n")
    daemon.cli("workspace", "add", "alpha")
    proc = daemon.cli("backup", target, json=True, check=False)
    assert_error(proc, 1, json_mode=True)
    assert os.path.isdir(target), "backup replaced the directory"
    with open(precious, encoding="utf-8") as handle:
        assert handle.read() == "precious\n"
