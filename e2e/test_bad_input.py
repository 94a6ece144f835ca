"""Bad input through the CLI: the right exit code, one line on stderr, and nothing half-written (SPEC §4, §15).

Each test gets a fresh daemon holding: workspaces alpha (current) and beta, repo ``api`` (ROOT/api) in alpha with
agent ``api:dev``, an unregistered directory ROOT/other and a plain file ROOT/file. Each test runs a group of
refused commands; for every one it checks the exit code, the one-line error (``error: …``, or the JSON envelope
with ``--json``), that the message names the offending input, and that the whole state (workspaces, repos,
agents) is unchanged. All failing cases of a group are reported together, each with its command.
"""

import os
import shlex

import pytest

from conftest import assert_error, run

# Each case: (id, args with ROOT as a placeholder, exit code, fragments the message must name, --json error code)
UNKNOWN = [
    ("unknown-workspace-repo-list", ["repo", "list", "--workspace", "nope"], 1, ["nope"], "workspace_not_found"),
    ("unknown-workspace-set", ["workspace", "set", "nope", "--name", "zed"], 1, ["nope"], "workspace_not_found"),
    ("unknown-workspace-use", ["workspace", "use", "nope"], 1, ["nope"], "workspace_not_found"),
    ("unknown-workspace-trash", ["workspace", "trash", "nope"], 1, ["nope"], "workspace_not_found"),
    ("unknown-workspace-agent-add", ["agent", "add", "api:x", "--workspace", "nope"], 1, ["nope"], "workspace_not_found"),
    ("unknown-repo-agent-add", ["agent", "add", "nope:x"], 1, ["nope"], "repo_not_found"),
    ("unknown-repo-remove", ["repo", "remove", "nope"], 1, ["nope"], "repo_not_found"),
    ("unknown-agent-show", ["agent", "show", "api:nope"], 1, ["api:nope"], "agent_not_found"),
    ("unknown-agent-set", ["agent", "set", "api:nope", "--push", "off"], 1, ["api:nope"], "agent_not_found"),
    ("unknown-agent-remove", ["agent", "remove", "api:nope"], 1, ["api:nope"], "agent_not_found"),
    ("unknown-agent-set-main", ["agent", "set-main", "api:nope"], 1, ["api:nope"], "agent_not_found"),
    ("agent-in-other-workspace", ["agent", "show", "api:dev", "--workspace", "beta"], 1, ["api"], None),
]
DUPLICATES = [
    ("duplicate-workspace", ["workspace", "add", "alpha"], 1, ["alpha"], "name_taken"),
    ("duplicate-workspace-case", ["workspace", "add", "ALPHA"], 1, ["alpha"], "name_taken"),
    ("rename-to-taken-name", ["workspace", "set", "beta", "--name", "Alpha"], 1, ["alpha"], "name_taken"),
    ("duplicate-repo-name", ["repo", "add", "ROOT/other", "--name", "api"], 1, ["api"], "name_taken"),
    ("duplicate-repo-path", ["repo", "add", "ROOT/api", "--name", "api2"], 1, ["ROOT/api"], None),
    ("duplicate-agent", ["agent", "add", "api:dev"], 1, ["api:dev"], "name_taken"),
]
BAD_PATHS = [
    # A relative path resolves from the CLI's folder (issue 17): a missing one is named in full.
    ("relative-repo-path", ["repo", "add", "relative/dir"], 1, ["relative/dir", "not exist"], None),
    ("missing-repo-path", ["repo", "add", "ROOT/missing"], 1, ["ROOT/missing", "not exist"], None),
    ("file-as-repo-path", ["repo", "add", "ROOT/file"], 1, ["ROOT/file", "not a directory"], None),
]
INVALID_NAMES = [
    ("workspace-name-colon", ["workspace", "add", "a:b"], 1, ["a:b"], "invalid_name"),
    ("workspace-name-space", ["workspace", "add", "has space"], 1, ["has space"], "invalid_name"),
    ("workspace-name-empty", ["workspace", "add", ""], 1, ["workspace name"], "invalid_name"),
    ("workspace-rename-invalid", ["workspace", "set", "alpha", "--name", "a:b"], 1, ["a:b"], "invalid_name"),
    ("repo-name-colon", ["repo", "add", "ROOT/other", "--name", "a:b"], 1, ["a:b"], "invalid_name"),
    ("repo-name-space", ["repo", "add", "ROOT/other", "--name", "has space"], 1, ["has space"], "invalid_name"),
    ("repo-name-empty", ["repo", "add", "ROOT/other", "--name", ""], 1, ["repo name"], "invalid_name"),
    ("agent-name-colon", ["agent", "add", "api:a:b"], 1, ["api:a:b"], "invalid_name"),
    ("agent-name-space", ["agent", "add", "api:has space"], 1, ["has space"], "invalid_name"),
    ("agent-name-empty", ["agent", "add", "api:"], 1, ["agent name"], "invalid_name"),
    ("agent-repo-empty", ["agent", "add", ":dev"], 1, ["repo name"], "invalid_name"),
    ("agent-address-without-colon", ["agent", "add", "api"], 1, ["api", "repo:agent"], "invalid_name"),
]
# Refused by the command-line parser: exit 2 (and still one line: `error: …`).
USAGE_ERRORS = [
    ("unknown-topology", ["workspace", "add", "gamma", "--topology", "mesh"], 2, ["mesh"], "usage"),
    ("unknown-topology-set", ["workspace", "set", "alpha", "--topology", "mesh"], 2, ["mesh"], "usage"),
    ("unknown-rbac-mode", ["workspace", "add", "gamma", "--rbac-mode", "strict"], 2, ["strict"], "usage"),
    ("unknown-runtime", ["agent", "add", "api:x", "--runtime", "gpt"], 2, ["gpt"], "usage"),
    ("unknown-runtime-set", ["agent", "set", "api:dev", "--runtime", "gpt"], 2, ["gpt"], "usage"),
    ("unknown-push-switch", ["agent", "set", "api:dev", "--push", "maybe"], 2, ["maybe"], "usage"),
    ("rate-limit-not-a-number", ["workspace", "add", "gamma", "--rate-limit", "abc"], 2, ["--rate-limit", "abc"], "usage"),
    ("rate-limit-set-not-a-number", ["workspace", "set", "alpha", "--rate-limit", "abc"], 2, ["abc"], "usage"),
    ("loop-guard-too-small", ["workspace", "set", "alpha", "--loop-guard", "1"], 2, ["--loop-guard"], "usage"),
    ("chat-retention-bad", ["workspace", "set", "alpha", "--chat-retention", "never"], 2, ["never"], "usage"),
    ("workspace-set-no-options", ["workspace", "set", "alpha"], 2, ["nothing to change"], "usage"),
    ("agent-set-no-options", ["agent", "set", "api:dev"], 2, ["nothing to change"], "usage"),
    ("clear-args-with-arg", ["agent", "set", "api:dev", "--clear-args", "--arg", "x"], 2, ["--clear-args"], "usage"),
    ("unknown-subcommand", ["workspace", "frobnicate"], 2, ["frobnicate"], "usage"),
    ("unknown-option", ["repo", "list", "--bogus"], 2, ["--bogus"], "usage"),
    ("missing-argument", ["repo", "add"], 2, [], "usage"),
]
# Values the daemon (or the persona loader) refuses: exit 1.
BAD_VALUES = [
    ("unknown-role", ["agent", "add", "api:x", "--role", "wizard"], 1, ["wizard"], None),
    ("unknown-role-set", ["agent", "set", "api:dev", "--role", "wizard"], 1, ["wizard"], None),
    ("max-body-zero", ["workspace", "set", "alpha", "--max-body", "0"], 1, ["max body"], None),
    ("max-body-too-big", ["workspace", "set", "alpha", "--max-body", "40000"], 1, ["max body"], None),
    ("kanban-prefix-bad", ["workspace", "add", "gamma", "--kanban-prefix", "a b"], 1, ["kanban prefix"], None),
    ("custom-runtime-without-command", ["agent", "add", "api:x", "--runtime", "custom"], 1, ["--command"], None),
    ("custom-runtime-set-without-command", ["agent", "set", "api:dev", "--runtime", "custom"], 1, ["--command"], None),
    ("persona-file-missing", ["agent", "add", "api:x", "--persona-file", "ROOT/none.toml"], 1, ["ROOT/none.toml"], None),
    ("persona-file-unknown-key", ["agent", "add", "api:x", "--persona-file", "ROOT/bad.toml"], 1, ["bogus"], None),
    ("restore-live-workspace", ["workspace", "restore", "alpha"], 1, ["alpha", "trash"], None),
    ("purge-live-workspace", ["workspace", "purge", "alpha"], 1, ["alpha", "trash"], None),
]

ALL_CASES = UNKNOWN + DUPLICATES + BAD_PATHS + INVALID_NAMES + USAGE_ERRORS + BAD_VALUES
# Cases also run with --json, to check the envelope's code.
JSON_CASES = [case for case in ALL_CASES if case[4] is not None]


@pytest.fixture
def seeded(daemon, make_dir):
    root = make_dir("api", "other")
    open(os.path.join(root, "file"), "w").close()
    with open(os.path.join(root, "bad.toml"), "w", encoding="utf-8") as handle:
        handle.write('bogus = "x"\n')
    daemon.cli("workspace", "add", "alpha")
    daemon.cli("workspace", "add", "beta")
    daemon.cli("repo", "add", os.path.join(root, "api"))
    daemon.cli("agent", "add", "api:dev")
    return daemon, root


def substitute(items, root):
    return [item.replace("ROOT", root) for item in items]


def run_cases(daemon, root, cases, json_mode=False):
    """Runs every case; returns one failure description per case that did not behave."""
    failures = []
    state = daemon.api_snapshot()
    listed = daemon.snapshot()
    for name, args, exit_code, fragments, code in cases:
        argv = substitute(args, root)
        proc = daemon.cli(*argv, json=json_mode, check=False)
        try:
            assert_error(proc, exit_code, *substitute(fragments, root), json_mode=json_mode, code=code if json_mode else None)
            assert daemon.api_snapshot() == state, "the refused command changed the state"
        except AssertionError as error:
            command = "whatsagent " + shlex.join(argv) + (" --json" if json_mode else "")
            failures.append(f"[{name}] {command}\n    " + str(error).replace("\n", "\n    "))
    # The CLI's own listing (list --json) agrees that nothing changed.
    assert daemon.snapshot() == listed
    return failures


def check_group(seeded, cases, json_mode=False):
    daemon, root = seeded
    failures = run_cases(daemon, root, cases, json_mode=json_mode)
    if failures:
        pytest.fail(f"{len(failures)} of {len(cases)} cases failed:\n" + "\n".join(failures), pytrace=False)


def test_unknown_workspace_repo_or_agent(seeded):
    check_group(seeded, UNKNOWN)


def test_duplicate_names_and_paths(seeded):
    check_group(seeded, DUPLICATES)


def test_bad_repo_paths(seeded):
    check_group(seeded, BAD_PATHS)


def test_invalid_names(seeded):
    check_group(seeded, INVALID_NAMES)


def test_usage_errors_exit_2_with_one_line(seeded):
    check_group(seeded, USAGE_ERRORS)


def test_refused_values_exit_1(seeded):
    check_group(seeded, BAD_VALUES)


def test_json_error_envelope(seeded):
    check_group(seeded, JSON_CASES, json_mode=True)


def test_failed_agent_add_leaves_no_partial_agent(seeded):
    """An agent refused for its role, runtime command or persona is not created at all (one transaction)."""
    daemon, root = seeded
    for args in (
        ["agent", "add", "api:half", "--role", "engineer", "--role", "wizard"],
        ["agent", "add", "api:half", "--runtime", "custom"],
        ["agent", "add", "api:half", "--persona-file", os.path.join(root, "bad.toml")],
    ):
        assert daemon.cli(*args, check=False).returncode == 1
        assert_error(daemon.cli("agent", "show", "api:half", check=False), 1, "api:half")
    assert daemon.cli("agent", "add", "api:half", json=True)["roles"] == ["engineer"]


@pytest.mark.parametrize(
    "args",
    [
        ["workspace", "list"],
        ["workspace", "add", "alpha"],
        ["repo", "list"],
        ["agent", "list"],
        ["status"],
        ["stop"],
        ["backup", "/tmp/wa-never-written.tar"],
    ],
    ids=lambda args: "-".join(args[:2]),
)
def test_daemon_not_running(make_daemon, args):
    d = make_daemon(start=False)
    proc = d.cli(*args, check=False)
    assert_error(proc, 3, "not running")
    proc = d.cli(*args, json=True, check=False)
    assert_error(proc, 3, json_mode=True, code="daemon_not_running")
    assert not os.path.exists("/tmp/wa-never-written.tar")
    assert not os.path.exists(d.socket)


def test_daemon_home_from_environment_when_no_flag(daemon):
    """WHATSAGENT_DAEMON_HOME is used when --home is absent (and --home wins over it)."""
    proc = run(["workspace", "add", "envws", "--json"], env={"WHATSAGENT_DAEMON_HOME": daemon.home})
    assert proc.returncode == 0, proc.stderr
    assert [w["name"] for w in daemon.cli("workspace", "list", json=True)["workspaces"]] == ["envws"]
    proc = run(
        ["workspace", "list", "--home", os.path.join(daemon.home, "absent")], env={"WHATSAGENT_DAEMON_HOME": daemon.home}
    )
    assert_error(proc, 3)
