"""`whatsagent runtime list | set | detect` against a real daemon (SPEC §4, §6.3)."""

import os
import stat

from conftest import Daemon, assert_error


def fake_runtime(directory: str, name: str, body: str) -> str:
    """Writes an executable shell script and returns its path."""
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f"#!/bin/sh\n{body}\n")
    os.chmod(path, stat.S_IRWXU)
    return path


def test_defaults_then_set_then_detect(daemon: Daemon, make_dir):
    listed = daemon.cli("runtime", "list", json=True)
    assert [entry["runtime"] for entry in listed["runtimes"]] == ["claude", "codex", "opencode", "pi", "custom"]
    assert all(entry["isDefault"] for entry in listed["runtimes"])
    assert "command" not in listed["runtimes"][4], "custom has no default command"

    bin_dir = make_dir()
    claude = fake_runtime(bin_dir, "claude", "echo '2.1.80 (Claude Code)'")
    broken = fake_runtime(bin_dir, "codex", "echo 'missing library' >&2; exit 3")
    out = daemon.cli("runtime", "set", "claude", "--command", claude, "--arg", "--verbose", "--arg", "-x").stdout
    assert out.strip() == f"claude runs {claude} --verbose -x; check it with `whatsagent runtime detect`"
    daemon.cli("runtime", "set", "codex", "--command", broken)

    table = daemon.cli("runtime", "list").stdout.splitlines()
    assert table[0].split() == ["RUNTIME", "COMMAND", "ARGS", "SOURCE"]
    assert table[1].split() == ["claude", claude, "--verbose", "-x", "set"]
    assert table[5].split() == ["custom", "(none)", "default"]

    detected = {entry["runtime"]: entry for entry in daemon.cli("runtime", "detect", json=True)["runtimes"]}
    assert detected["claude"]["status"] == "found"
    assert detected["claude"]["path"] == claude
    assert detected["claude"]["version"] == "2.1.80 (Claude Code)"
    assert detected["codex"]["status"] == "failed"
    assert detected["codex"]["exitCode"] == 3
    assert "missing library" in detected["codex"]["message"]
    assert detected["custom"]["status"] == "not_found"

    text = daemon.cli("runtime", "detect").stdout
    assert "2.1.80 (Claude Code)" in text and "exit code 3" in text


def test_settings_survive_a_restart(daemon: Daemon, make_dir):
    script = fake_runtime(make_dir(), "my-pi", "echo pi 1.0")
    daemon.cli("runtime", "set", "pi", "--command", script)
    daemon.stop()
    daemon.start()
    pi = daemon.cli("runtime", "list", json=True)["runtimes"][3]
    assert pi == {**pi, "runtime": "pi", "command": script, "args": [], "isDefault": False}


def test_bad_input_is_refused_with_the_fix(daemon: Daemon):
    assert_error(daemon.cli("runtime", "set", "gemini", "--command", "x", check=False), 2)
    assert_error(daemon.cli("runtime", "set", "pi", "--command", " ", check=False), 1, "command is empty", "runtime set pi --command")
    assert_error(
        daemon.cli("runtime", "set", "pi", "--command", "pi", "--arg", "a\nb", "--json", check=False),
        1,
        "control character",
        json_mode=True,
        code="invalid_argument",
    )
    assert all(entry["isDefault"] for entry in daemon.cli("runtime", "list", json=True)["runtimes"])
