"""Repos and agents through the CLI: add, list, show, set, main agent, remove, cascades (SPEC §1, §4, §6.4)."""

import json
import os
import re

from conftest import assert_error, sans_times

PERSONA_TOML = '''\
description = "Backend engineer for the payments API"
responsibilities = "Own the HTTP handlers"
boundaries = "Never touch infra/"
skills = "Swift, SQL"
working_style = "Small PRs, tests first"
extra_prompt = """Line one
Line two"""
'''

PERSONA_MD = "# Reviewer\n\nBe thorough; quote the line you comment on.\n"


def agents_by_address(daemon, *args):
    return {a["address"]: a for a in daemon.cli("agent", "list", *args, json=True)["agents"]}


def workspace_row(daemon, name):
    return next(w for w in daemon.cli("workspace", "list", json=True)["workspaces"] if w["name"] == name)


def test_repo_add_list_and_default_names(daemon, make_dir):
    root = make_dir("svc-api", "web", "my repo")
    daemon.cli("workspace", "add", "alpha")
    proc = daemon.cli("repo", "add", os.path.join(root, "svc-api"))
    assert "svc-api" in proc.stdout and os.path.join(root, "svc-api") in proc.stdout
    front = daemon.cli("repo", "add", os.path.join(root, "web"), "--name", "front", json=True)
    assert front["name"] == "front"
    assert front["path"] == os.path.join(root, "web")
    assert front["exists"] is True
    assert front["id"]
    spaced = daemon.cli("repo", "add", os.path.join(root, "my repo"), json=True)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", spaced["name"]), f"default name not sanitized: {spaced['name']!r}"
    assert spaced["path"] == os.path.join(root, "my repo")

    repos = {r["name"]: r for r in daemon.cli("repo", "list", json=True)["repos"]}
    assert set(repos) == {"svc-api", "front", spaced["name"]}
    assert sans_times(repos["front"]) == sans_times(front)
    assert repos["svc-api"]["path"] == os.path.join(root, "svc-api")
    text = daemon.cli("repo", "list").stdout
    for name, repo in repos.items():
        line = next(line for line in text.splitlines() if line.startswith(name + " "))
        assert repo["path"] in line
    assert workspace_row(daemon, "alpha")["repoCount"] == 3


def test_repo_path_is_normalized(daemon, make_dir):
    root = make_dir("api")
    daemon.cli("workspace", "add", "alpha")
    repo = daemon.cli("repo", "add", os.path.join(root, "api") + "/", json=True)
    assert repo["path"] == os.path.join(root, "api")
    assert repo["name"] == "api"
    for variant in (os.path.join(root, "api", "..", "api"), os.path.join(root, "api", ".")):
        proc = daemon.cli("repo", "add", variant, "--name", "other", check=False)
        assert_error(proc, 1, "already registered")


def test_same_path_in_two_workspaces(daemon, make_dir):
    root = make_dir("api")
    daemon.cli("workspace", "add", "alpha")
    daemon.cli("workspace", "add", "beta")
    a = daemon.cli("repo", "add", os.path.join(root, "api"), "--workspace", "alpha", json=True)
    b = daemon.cli("repo", "add", os.path.join(root, "api"), "--workspace", "beta", json=True)
    assert a["path"] == b["path"] and a["name"] == b["name"] == "api"


def test_repo_list_flags_a_deleted_directory(daemon, make_dir):
    root = make_dir("gone")
    daemon.cli("workspace", "add", "alpha")
    daemon.cli("repo", "add", os.path.join(root, "gone"))
    os.rmdir(os.path.join(root, "gone"))
    repo = daemon.cli("repo", "list", json=True)["repos"][0]
    assert repo["exists"] is False
    assert "missing" in daemon.cli("repo", "list").stdout


def test_agent_add_defaults_and_roles(daemon, make_dir):
    root = make_dir("api")
    daemon.cli("workspace", "add", "alpha")
    daemon.cli("repo", "add", os.path.join(root, "api"))
    main = daemon.cli("agent", "add", "api:main", json=True)
    assert main["address"] == "api:main" and main["repo"] == "api" and main["name"] == "main"
    assert main["roles"] == ["pm"]
    assert main["runtime"] == "claude"
    assert main["args"] == []
    assert main.get("command") is None and main.get("persona") is None
    assert main["isMain"] is True  # an agent named main becomes the main agent when there is none
    assert main["pushEnabled"] is True
    assert main["createdAt"] == main["updatedAt"]
    dev = daemon.cli("agent", "add", "api:dev", json=True)
    assert dev["roles"] == ["engineer"]
    proc = daemon.cli("agent", "add", "api:rev", "--role", "reviewer", "--role", "researcher")
    assert "api:rev" in proc.stdout
    rev = daemon.cli("agent", "show", "api:rev", json=True)
    assert rev["roles"] == ["reviewer", "researcher"]
    assert len({main["id"], dev["id"], rev["id"]}) == 3
    assert workspace_row(daemon, "alpha")["agentCount"] == 3


def test_agent_add_with_every_option(daemon, make_dir):
    root = make_dir("api")
    persona_toml = os.path.join(root, "persona.toml")
    with open(persona_toml, "w", encoding="utf-8") as handle:
        handle.write(PERSONA_TOML)
    persona_md = os.path.join(root, "reviewer.md")
    with open(persona_md, "w", encoding="utf-8") as handle:
        handle.write(PERSONA_MD)
    daemon.cli("workspace", "add", "alpha")
    daemon.cli("repo", "add", os.path.join(root, "api"), "--workspace", "alpha")

    dev = daemon.cli(
        "agent", "add", "api:dev", "--workspace", "alpha", "--runtime", "custom", "--command", "/bin/cat",
        "--arg", "--verbose", "--arg", "-x", "--arg", "plain value", "--role", "engineer", "--role", "operator",
        "--persona-file", persona_toml, json=True,
    )
    assert dev["runtime"] == "custom"
    assert dev["command"] == "/bin/cat"
    assert dev["args"] == ["--verbose", "-x", "plain value"]
    assert dev["roles"] == ["engineer", "operator"]
    assert dev["persona"] == {
        "description": "Backend engineer for the payments API",
        "responsibilities": "Own the HTTP handlers",
        "boundaries": "Never touch infra/",
        "skills": "Swift, SQL",
        "workingStyle": "Small PRs, tests first",
        "extraPrompt": "Line one\nLine two",
    }
    rev = daemon.cli("agent", "add", "api:rev", "--runtime", "codex", "--persona-file", persona_md, "--main", json=True)
    assert rev["runtime"] == "codex"
    assert rev["isMain"] is True
    assert rev["persona"] == {"extraPrompt": PERSONA_MD}
    for runtime in ("opencode", "pi"):
        agent = daemon.cli("agent", "add", f"api:{runtime}-agent", "--runtime", runtime, json=True)
        assert agent["runtime"] == runtime

    assert sans_times(daemon.cli("agent", "show", "api:dev", json=True)) == sans_times(dev)
    assert sans_times(daemon.cli("agent", "show", "api:rev", "--workspace", "alpha", json=True)) == sans_times(rev)
    listed = agents_by_address(daemon)
    assert set(listed) == {"api:dev", "api:rev", "api:opencode-agent", "api:pi-agent"}
    assert sans_times(listed["api:dev"]) == sans_times(dev) and sans_times(listed["api:rev"]) == sans_times(rev)

    show = daemon.cli("agent", "show", "api:dev").stdout
    assert "api:dev" in show and "custom" in show and "/bin/cat" in show and "--verbose" in show
    assert "Backend engineer for the payments API" in show
    text = daemon.cli("agent", "list").stdout
    rev_line = next(line for line in text.splitlines() if line.startswith("api:rev"))
    assert "main" in rev_line.split()[1:] and "codex" in rev_line


def test_agent_set(daemon, make_dir):
    root = make_dir("api")
    persona_toml = os.path.join(root, "persona.toml")
    with open(persona_toml, "w", encoding="utf-8") as handle:
        handle.write('description = "first"\n')
    persona_md = os.path.join(root, "p.md")
    with open(persona_md, "w", encoding="utf-8") as handle:
        handle.write("plain prompt\n")
    daemon.cli("workspace", "add", "alpha")
    daemon.cli("repo", "add", os.path.join(root, "api"))
    dev = daemon.cli(
        "agent", "add", "api:dev", "--runtime", "custom", "--command", "/bin/cat", "--arg", "a", "--arg", "b",
        "--persona-file", persona_toml, json=True,
    )

    stored = daemon.cli("agent", "show", "api:dev", json=True)
    pushed = daemon.cli("agent", "set", "api:dev", "--push", "off", json=True)
    assert pushed["pushEnabled"] is False
    assert pushed["args"] == ["a", "b"] and pushed["command"] == "/bin/cat"  # untouched fields stay
    assert pushed["id"] == dev["id"] and pushed["createdAt"] == stored["createdAt"]
    assert pushed["updatedAt"] >= stored["updatedAt"]

    replaced = daemon.cli("agent", "set", "api:dev", "--arg", "--only", "--role", "reviewer", "--role", "pm", json=True)
    assert replaced["args"] == ["--only"]
    assert replaced["roles"] == ["reviewer", "pm"]

    cleared = daemon.cli("agent", "set", "api:dev", "--clear-args", "--clear-persona", json=True)
    assert cleared["args"] == []
    assert cleared.get("persona") is None
    assert cleared["pushEnabled"] is False

    md = daemon.cli("agent", "set", "api:dev", "--persona-file", persona_md, "--push", "on", json=True)
    assert md["persona"] == {"extraPrompt": "plain prompt\n"}
    assert md["pushEnabled"] is True

    codex = daemon.cli("agent", "set", "api:dev", "--runtime", "codex", "--command", "", json=True)
    assert codex["runtime"] == "codex"
    assert codex.get("command") is None

    proc = daemon.cli("agent", "set", "api:dev", "--runtime", "claude", "--workspace", "alpha")
    assert "api:dev" in proc.stdout
    assert daemon.cli("agent", "show", "api:dev", json=True)["runtime"] == "claude"
    # Combining a clear with a value is a usage error and changes nothing.
    before = daemon.cli("agent", "show", "api:dev", json=True)
    # (the one-line error format of usage errors is covered in test_bad_input.py)
    assert daemon.cli("agent", "set", "api:dev", "--clear-args", "--arg", "x", check=False).returncode == 2
    assert daemon.cli("agent", "set", "api:dev", "--clear-persona", "--persona-file", persona_md, check=False).returncode == 2
    assert daemon.cli("agent", "show", "api:dev", json=True) == before


def test_main_agent_is_unique(daemon, make_dir):
    root = make_dir("api", "web")
    daemon.cli("workspace", "add", "alpha")
    daemon.cli("repo", "add", os.path.join(root, "api"))
    daemon.cli("repo", "add", os.path.join(root, "web"))
    daemon.cli("agent", "add", "api:lead", "--main")
    daemon.cli("agent", "add", "web:ui")
    daemon.cli("agent", "add", "web:other")
    assert [a for a, v in agents_by_address(daemon).items() if v["isMain"]] == ["api:lead"]

    proc = daemon.cli("agent", "set-main", "web:ui")
    assert "web:ui" in proc.stdout
    agents = agents_by_address(daemon)
    assert [a for a, v in agents.items() if v["isMain"]] == ["web:ui"]
    assert daemon.cli("agent", "show", "api:lead", json=True)["isMain"] is False

    moved = daemon.cli("agent", "set-main", "web:other", "--workspace", "alpha", json=True)
    assert moved["address"] == "web:other" and moved["isMain"] is True
    assert [a for a, v in agents_by_address(daemon).items() if v["isMain"]] == ["web:other"]

    # Adding another with --main also moves it.
    daemon.cli("agent", "add", "api:new-lead", "--main")
    assert [a for a, v in agents_by_address(daemon).items() if v["isMain"]] == ["api:new-lead"]

    result = daemon.cli("agent", "unset-main", json=True)
    assert result == {"previous": "api:new-lead"}
    assert not any(v["isMain"] for v in agents_by_address(daemon).values())
    again = daemon.cli("agent", "unset-main", json=True)
    assert again.get("previous") is None
    assert "no main agent" in daemon.cli("agent", "unset-main").stdout


def test_agent_remove(daemon, make_dir):
    root = make_dir("api")
    daemon.cli("workspace", "add", "alpha")
    daemon.cli("repo", "add", os.path.join(root, "api"))
    daemon.cli("agent", "add", "api:dev")
    daemon.cli("agent", "add", "api:main", "--main")
    result = daemon.cli("agent", "remove", "api:dev", json=True)
    assert result == {"removed": "api:dev", "stoppedSessions": []}
    assert set(agents_by_address(daemon)) == {"api:main"}
    assert_error(daemon.cli("agent", "show", "api:dev", check=False), 1, "api:dev")
    proc = daemon.cli("agent", "remove", "api:main", "--workspace", "alpha")
    assert "api:main" in proc.stdout
    assert agents_by_address(daemon) == {}
    assert daemon.cli("agent", "unset-main", json=True).get("previous") is None
    assert "no agents" in daemon.cli("agent", "list").stdout.lower()
    # The name is free again.
    assert daemon.cli("agent", "add", "api:dev", json=True)["roles"] == ["engineer"]


def test_repo_remove_cascades_to_its_agents(daemon, make_dir):
    root = make_dir("api", "web")
    daemon.cli("workspace", "add", "alpha")
    daemon.cli("repo", "add", os.path.join(root, "api"))
    daemon.cli("repo", "add", os.path.join(root, "web"))
    daemon.cli("agent", "add", "api:dev")
    daemon.cli("agent", "add", "api:main", "--main")
    ui = daemon.cli("agent", "add", "web:ui", json=True)
    assert workspace_row(daemon, "alpha")["agentCount"] == 3

    result = daemon.cli("repo", "remove", "api", json=True)
    assert result == {"removed": "api", "stoppedSessions": []}
    assert [r["name"] for r in daemon.cli("repo", "list", json=True)["repos"]] == ["web"]
    assert sans_times(agents_by_address(daemon)) == {"web:ui": sans_times(ui)}
    for address in ("api:dev", "api:main"):
        assert_error(daemon.cli("agent", "show", address, check=False), 1)
    row = workspace_row(daemon, "alpha")
    assert (row["repoCount"], row["agentCount"]) == (1, 1)
    assert daemon.cli("agent", "unset-main", json=True).get("previous") is None

    proc = daemon.cli("repo", "remove", "web", "--workspace", "alpha")
    assert "web" in proc.stdout
    assert daemon.cli("repo", "list", json=True) == {"repos": []}
    assert daemon.cli("agent", "list", json=True) == {"agents": []}
    # The path can be registered again, with its agents gone.
    daemon.cli("repo", "add", os.path.join(root, "api"))
    assert daemon.cli("agent", "list", json=True) == {"agents": []}


def test_workspaces_are_isolated(daemon, make_dir):
    root = make_dir("api")
    daemon.cli("workspace", "add", "alpha")
    daemon.cli("workspace", "add", "beta")
    daemon.cli("repo", "add", os.path.join(root, "api"), "--workspace", "alpha")
    daemon.cli("repo", "add", os.path.join(root, "api"), "--workspace", "beta")
    daemon.cli("agent", "add", "api:dev", "--workspace", "alpha", "--main")
    daemon.cli("agent", "add", "api:dev", "--workspace", "beta", "--role", "reviewer")
    a = daemon.cli("agent", "show", "api:dev", "--workspace", "alpha", json=True)
    b = daemon.cli("agent", "show", "api:dev", "--workspace", "beta", json=True)
    assert a["id"] != b["id"]
    assert (a["isMain"], a["roles"]) == (True, ["engineer"])
    assert (b["isMain"], b["roles"]) == (False, ["reviewer"])
    daemon.cli("repo", "remove", "api", "--workspace", "beta")
    assert daemon.cli("agent", "list", "--workspace", "beta", json=True) == {"agents": []}
    assert list(agents_by_address(daemon, "--workspace", "alpha")) == ["api:dev"]


def test_create_responses_match_what_is_read_back(daemon, make_dir):
    """The object a create returns is the object stored: same fields, same timestamps (to the millisecond).

    Many objects are created (straight on the socket API, to stay fast) because a timestamp that drifts by a
    millisecond only shows on some of them."""
    names = [f"r{i}" for i in range(40)]
    root = make_dir(*names)
    workspace = daemon.cli("workspace", "add", "w0", json=True)
    base = f"/api/v1/workspaces/{workspace['id']}"
    created = {"workspace": [], "repo": [], "agent": []}
    for i in range(20):
        created["workspace"].append(post_json(daemon, "/api/v1/workspaces", {"name": f"x{i}"}))
    for name in names:
        created["repo"].append(post_json(daemon, base + "/repos", {"path": os.path.join(root, name)}))
        created["agent"].append(post_json(daemon, base + "/agents", {"address": f"{name}:dev"}))
    stored = {
        "workspace": {w["id"]: w for w in daemon.api_json("/api/v1/workspaces")["workspaces"]},
        "repo": {r["id"]: r for r in daemon.api_json(base + "/repos")["repos"]},
        "agent": {a["id"]: a for a in daemon.api_json(base + "/agents")["agents"]},
    }
    mismatches = [
        (kind, item.get("address") or item.get("name"), field, item.get(field), stored[kind][item["id"]].get(field))
        for kind, items in created.items()
        for item in items
        for field in sorted(set(item) | set(stored[kind][item["id"]]))
        if item.get(field) != stored[kind][item["id"]].get(field)
    ]
    total = sum(len(items) for items in created.values())
    assert not mismatches, (
        f"{len({(m[0], m[1]) for m in mismatches})} of {total} create responses differ from what GET returns "
        f"afterwards; (kind, object, field, create response, read back): {mismatches[:8]}"
    )


def post_json(daemon, target, body):
    status, _, raw = daemon.request("POST", target, json.dumps(body).encode(), {"Content-Type": "application/json"})
    assert status == 201, f"POST {target} {body}: {status} {raw[:300]!r}"
    return json.loads(raw)
