"""Getting started from the command line (issue 17): the main agent by name, several repos at once, relative paths."""

import os
import select
import signal
import subprocess
import time

from conftest import BIN, run


def git_init(path: str) -> None:
    os.makedirs(path, exist_ok=True)
    subprocess.run(["git", "init", "-q", path], check=True, capture_output=True)


def mains(daemon, *args):
    return [a["address"] for a in daemon.cli("agent", "list", *args, json=True)["agents"] if a["isMain"]]


def test_an_agent_named_main_becomes_the_main_agent_only_when_there_is_none(daemon, make_dir):
    root = make_dir("api", "web")
    daemon.cli("workspace", "add", "alpha")
    daemon.cli("repo", "add", os.path.join(root, "api"))
    daemon.cli("repo", "add", os.path.join(root, "web"))
    daemon.cli("agent", "add", "api:dev")
    proc = daemon.cli("agent", "add", "api:main")
    assert "main" in proc.stdout.split(", ")[-1], proc.stdout  # "added agent api:main (claude; roles: pm), main"
    assert mains(daemon) == ["api:main"]
    # A second `main` (another repo) does not take the role from the first.
    assert daemon.cli("agent", "add", "web:main", json=True)["isMain"] is False
    assert mains(daemon) == ["api:main"]
    # With the main agent gone (unset), the next agent named main becomes it; the web UI adds through the same API.
    daemon.cli("agent", "unset-main")
    daemon.cli("agent", "remove", "web:main")
    status, _, body = daemon.request(
        "POST",
        f"/api/v1/workspaces/{daemon.cli('workspace', 'list', json=True)['workspaces'][0]['id']}/agents",
        body=b'{"address":"web:main"}',
        headers={"Content-Type": "application/json"},
    )
    assert status == 201, body
    assert mains(daemon) == ["web:main"]


def test_repo_add_takes_several_paths_and_relative_ones(daemon, make_dir):
    root = make_dir("api", "web", os.path.join("deep", "ops"))
    daemon.cli("workspace", "add", "alpha")
    # `repo add .` and a relative path resolve from the CLI's working directory.
    added = daemon.cli("repo", "add", ".", "--name", "here", json=True, cwd=os.path.join(root, "api"))
    assert added["path"] == os.path.join(root, "api")
    proc = daemon.cli("repo", "add", "web", os.path.join("deep", "ops"), "api", cwd=root)
    assert f"added repo web → {os.path.join(root, 'web')}" in proc.stdout
    assert f"added repo ops → {os.path.join(root, 'deep', 'ops')}" in proc.stdout
    assert "added 2, skipped 1 already registered, 0 failed" in proc.stdout, proc.stdout
    paths = sorted(r["path"] for r in daemon.cli("repo", "list", json=True)["repos"])
    assert paths == sorted(os.path.join(root, p) for p in ("api", "web", os.path.join("deep", "ops")))
    # A path that fails does not stop the others; the exit code says something failed.
    proc = daemon.cli("repo", "add", os.path.join(root, "missing"), os.path.join(root, "deep"), check=False)
    assert proc.returncode == 1
    assert os.path.join(root, "missing") in proc.stderr
    assert "added 1, skipped 0 already registered, 1 failed" in proc.stdout
    # --name with several paths is a usage error.
    assert daemon.cli("repo", "add", "a", "b", "--name", "x", check=False, cwd=root).returncode == 2
    assert daemon.cli("repo", "add", check=False).returncode == 2


def test_repo_add_scan_adds_every_git_repository_under_a_folder(daemon, make_dir):
    root = make_dir()
    for repo in ("shop-api", "shop-web", os.path.join("libs", "auth"), os.path.join("a", "b", "c", "too-deep")):
        git_init(os.path.join(root, repo))
    git_init(os.path.join(root, "shop-api", "vendor", "nested"))  # inside a repository: belongs to it
    os.makedirs(os.path.join(root, "not-a-repo"))
    daemon.cli("workspace", "add", "alpha")
    daemon.cli("repo", "add", os.path.join(root, "shop-web"))

    proc = daemon.cli("repo", "add", "--scan", root)
    assert "found 3 git repositories; added 2, skipped 1 already registered, 0 failed" in proc.stdout, proc.stdout
    names = {r["name"]: r["path"] for r in daemon.cli("repo", "list", json=True)["repos"]}
    assert names == {
        "shop-api": os.path.join(root, "shop-api"),
        "shop-web": os.path.join(root, "shop-web"),
        "auth": os.path.join(root, "libs", "auth"),
    }
    # Deeper with --depth; a second scan skips everything it registered.
    proc = daemon.cli("repo", "add", "--scan", ".", "--depth", "4", cwd=root)
    assert "found 4 git repositories; added 1, skipped 3 already registered, 0 failed" in proc.stdout, proc.stdout
    assert "too-deep" in {r["name"] for r in daemon.cli("repo", "list", json=True)["repos"]}
    missing = run(["repo", "add", "--scan", os.path.join(root, "nope"), "--home", daemon.home])
    assert missing.returncode == 1 and "--scan" in missing.stderr


def wait_for_file(path: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            if text.endswith("END\n"):
                return text
        select.select([], [], [], 0.05)  # a short poll interval with a deadline, not a timed wait for the outcome
    raise AssertionError(f"{path} was not written within {timeout} s")


def test_agent_stop_hangs_up_a_shell_and_stop_all_counts_what_it_stopped(daemon, make_dir):
    root = make_dir("api")
    env_file = os.path.join(root, "agent-env.txt")
    daemon.cli("workspace", "add", "alpha")
    daemon.cli("repo", "add", os.path.join(root, "api"))
    daemon.cli("agent", "add", "api:shell", "--runtime", "custom", "--command", "sh")
    daemon.cli(
        "agent", "add", "api:envdump", "--runtime", "custom", "--command", "sh",
        "--arg", "-c", "--arg", f"env > {env_file}.tmp; echo END >> {env_file}.tmp; mv {env_file}.tmp {env_file}; exec sleep 1000",
    )
    daemon.cli("agent", "launch", "api:shell")
    daemon.cli("agent", "launch", "api:envdump")
    # The daemon's readiness pipe variable does not reach the agents it launches.
    environment = wait_for_file(env_file)
    assert "WHATSAGENT_SESSION_TOKEN=" in environment
    assert "WHATSAGENT_READY_FD" not in environment

    # `agent list` shows each agent's state and push path at a glance.
    daemon.cli("agent", "add", "api:idle")
    rows = {line.split()[0]: line for line in daemon.cli("agent", "list").stdout.splitlines()[1:]}
    assert rows["api:shell"].split()[-2:] == ["running", "typed"], rows
    assert rows["api:idle"].endswith("never started  channel"), rows
    show = daemon.cli("agent", "show", "api:shell").stdout
    assert "runner alive" not in show and "MCP server is not connected" in show

    # An interactive shell ignores SIGTERM; the SIGHUP after 2 s ends it, well before the SIGKILL at 5 s.
    started = time.monotonic()
    proc = daemon.cli("agent", "stop", "api:shell")
    elapsed = time.monotonic() - started
    assert proc.stdout.startswith("stopping api:shell: SIGTERM, then SIGHUP after 2 s and SIGKILL at 5 s"), proc.stdout
    assert "waiting" in proc.stdout.splitlines()[0]
    session = daemon.cli("agent", "show", "api:shell", json=True)["session"]
    assert session["exitSignal"] == signal.SIGHUP, session
    assert 1.5 <= elapsed < 5, elapsed
    rows = {line.split()[0]: line for line in daemon.cli("agent", "list").stdout.splitlines()[1:]}
    assert "ended by signal 1" in rows["api:shell"], rows

    # `stop --all` says how many agents it stopped (envdump still runs).
    assert daemon.cli("stop", "--all").stdout.strip().endswith("and 1 managed agent")


def test_inbox_shows_broadcasts_and_leaves_out_refused_or_self_sends(daemon, make_dir):
    root = make_dir("api")
    daemon.cli("workspace", "add", "alpha", "--topology", "channel")
    daemon.cli("repo", "add", os.path.join(root, "api"))
    daemon.cli("agent", "add", "api:dev")
    # A send to human-web (the human itself) is refused and not stored.
    proc = daemon.cli("msg", "send", "human-web", "note to self", check=False)
    assert proc.returncode == 1 and "human-web is you" in proc.stderr and "whatsagent msg send REPO:NAME" in proc.stderr
    # A send the topology refuses is said at once and is not listed as a conversation.
    refused = daemon.cli("msg", "send", "api:dev", "direct in channel topology", check=False)
    assert refused.returncode == 1, refused.stdout
    assert daemon.cli("msg", "inbox").stdout.strip() == "no messages"
    assert daemon.cli("msg", "inbox", json=True)["messages"] == []

    daemon.cli("workspace", "set", "alpha", "--topology", "star")
    # Refusals to the human name CLI commands, never the agents' MCP tools.
    post = daemon.cli("channel", "post", "shared", "hello", check=False)
    assert post.returncode == 1 and "`whatsagent msg send" in post.stderr, post.stderr
    assert "send_message" not in post.stderr and "post_channel_message" not in post.stderr
    created = daemon.cli("channel", "create", "shared", check=False)
    assert created.returncode == 1 and "join_channel" not in created.stderr, created.stderr
    daemon.cli("agent", "add", "api:ops")
    daemon.cli("msg", "broadcast", "release at 5")
    inbox = daemon.cli("msg", "inbox").stdout
    assert inbox.count("release at 5") == 1, inbox
    assert "human-web → everyone (broadcast)" in inbox
    # The human's own conversation list (no broadcasts flag: the web UI's) is unchanged.
    listed = daemon.api_json(f"/api/v1/workspaces/{daemon.cli('workspace', 'list', json=True)['workspaces'][0]['id']}/messages")
    assert listed["messages"] == []


def test_board_import_warns_about_and_can_drop_unknown_assignees(daemon, make_dir):
    root = make_dir("api")
    export = os.path.join(root, "board.json")
    daemon.cli("workspace", "add", "alpha")
    daemon.cli("repo", "add", os.path.join(root, "api"))
    daemon.cli("agent", "add", "api:dev")
    daemon.cli("task", "create", "Cart API", "--assignee", "api:dev")
    daemon.cli("board", "export", "--output", export)

    daemon.cli("workspace", "add", "kept")
    proc = daemon.cli("board", "import", export, "--workspace", "kept")
    assert "warning: api:dev is not an agent of this workspace" in proc.stderr, proc.stderr
    assert "--drop-unknown-assignees" in proc.stderr
    assert daemon.cli("task", "show", "WA-1", "--workspace", "kept", json=True)["task"]["assignee"] == "api:dev"

    daemon.cli("workspace", "add", "dropped")
    proc = daemon.cli("board", "import", export, "--workspace", "dropped", "--drop-unknown-assignees")
    assert "warning: cleared the assignee api:dev" in proc.stderr, proc.stderr
    assert "assignee" not in daemon.cli("task", "show", "WA-1", "--workspace", "dropped", json=True)["task"]  # unassigned (issue 18)

    # Into a workspace that has the agent: no warning.
    daemon.cli("workspace", "add", "matched")
    daemon.cli("repo", "add", os.path.join(root, "api"), "--workspace", "matched")
    daemon.cli("agent", "add", "api:dev", "--workspace", "matched")
    assert "warning" not in daemon.cli("board", "import", export, "--workspace", "matched").stderr


def test_open_passes_only_the_plain_url_to_the_browser(daemon, make_dir):
    bindir = make_dir()
    record = os.path.join(bindir, "argv.txt")
    fake = os.path.join(bindir, "xdg-open")
    with open(fake, "w", encoding="utf-8") as handle:
        handle.write(f'#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > {record}\n')
    os.chmod(fake, 0o755)
    env = {"PATH": bindir + os.pathsep + os.environ.get("PATH", ""), "BROWSER": ""}
    proc = daemon.cli("open", env=env)
    with open(record, encoding="utf-8") as handle:
        argv = handle.read().splitlines()
    assert argv == [daemon.url + "/"], argv
    assert "token" not in " ".join(argv) and "opened" in proc.stdout
    assert daemon.cli("open", "--print").stdout.strip() == daemon.url + "/"


REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def test_make_install_puts_binary_completions_and_man_page_under_prefix_and_uninstall_removes_them(make_dir):
    prefix = make_dir()
    make = ["make", "--no-print-directory", "-C", REPO_ROOT, f"PREFIX={prefix}", f"INSTALL_BIN={os.path.abspath(BIN)}"]
    proc = subprocess.run([*make, "install"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    binary = os.path.join(prefix, "bin", "whatsagent")
    assert os.access(binary, os.X_OK)
    assert subprocess.run([binary, "--version"], capture_output=True, text=True).returncode == 0
    # The lean MCP companion lies beside the binary, where `whatsagent mcp` looks for it.
    assert os.access(os.path.join(prefix, "bin", "whatsagent-mcp"), os.X_OK)
    with open(os.path.join(prefix, "share", "bash-completion", "completions", "whatsagent"), encoding="utf-8") as handle:
        assert "_whatsagent" in handle.read()
    assert os.path.getsize(os.path.join(prefix, "share", "zsh", "site-functions", "_whatsagent")) > 0
    assert os.path.getsize(os.path.join(prefix, "share", "fish", "vendor_completions.d", "whatsagent.fish")) > 0
    with open(os.path.join(prefix, "share", "man", "man1", "whatsagent.1"), encoding="utf-8") as handle:
        page = handle.read()
    assert page.startswith(".TH WHATSAGENT 1")
    # Generated from the command definitions: every visible command is there, the hidden runner is not.
    for command in ("whatsagent repo add", "whatsagent agent stop", "whatsagent open", "whatsagent audit list"):
        assert f".SS {command}" in page, command
    assert ".SS whatsagent runner" not in page
    assert os.path.exists(os.path.join(prefix, "share", "whatsagent", "web", "index.html"))

    proc = subprocess.run([*make, "uninstall"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    leftovers = [os.path.join(d, f) for d, _, files in os.walk(prefix) for f in files]
    assert leftovers == []


def test_help_usage_errors_did_you_mean_and_hints_that_keep_home_and_workspace(daemon, make_dir):
    # `whatsagent help COMMAND` is that command's --help.
    for words in (["repo", "add"], ["agent"], []):
        helped = run(["help", *words])
        assert helped.returncode == 0, helped.stderr
        assert helped.stdout == run([*words, "--help"]).stdout
    assert "whatsagent help COMMAND" in run(["--help"]).stdout
    # Usage errors exit 2 and point at `whatsagent help …`; a misspelled command gets a suggestion.
    missing = run(["agent", "add", "--home", daemon.home])
    assert missing.returncode == 2 and "see `whatsagent help agent add`" in missing.stderr, missing.stderr
    typo = run(["agnet", "list"])
    assert typo.returncode == 2 and "did you mean 'agent'?" in typo.stderr, typo.stderr
    assert run(["help", "nosuchcommand"]).returncode == 2

    root = make_dir("api")
    daemon.cli("workspace", "add", "alpha")
    daemon.cli("repo", "add", os.path.join(root, "api"))
    daemon.cli("agent", "add", "api:backend")
    agent = daemon.cli("agent", "show", "api:backnd", check=False)
    assert agent.returncode == 1 and "did you mean 'api:backend'?" in agent.stderr, agent.stderr
    # The fix hint keeps the --home this command was given.
    assert f"`whatsagent agent list --home {daemon.home}`" in agent.stderr, agent.stderr
    # ... and the --workspace, on the commands that take one.
    named = daemon.cli("agent", "show", "api:backnd", "--workspace", "alpha", check=False)
    assert f"`whatsagent agent list --workspace alpha --home {daemon.home}`" in named.stderr, named.stderr
    repo = daemon.cli("repo", "remove", "apj", check=False)
    assert repo.returncode == 1 and "did you mean 'api'?" in repo.stderr, repo.stderr
    workspace = daemon.cli("repo", "list", "--workspace", "alpah", check=False)
    assert workspace.returncode == 1 and "did you mean 'alpha'?" in workspace.stderr, workspace.stderr
    unrelated = daemon.cli("agent", "show", "api:zzzzzz", check=False)
    assert unrelated.returncode == 1 and "did you mean" not in unrelated.stderr
