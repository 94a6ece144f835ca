"""Folder trust in an agent's fresh git worktree (issue 23), with the real Claude Code and Codex.

The worktree folder is new (`<home>/workspaces/<id>/worktrees/<repo>/<agent>`), outside the user's repo. Would the
clients ask to trust it, the launch would have to pre-trust it. They do not:

- Claude resolves a linked worktree to its main repository when it looks up folder trust. The user trusted the repo
  → no trust prompt in the worktree (Claude goes on to its next start-up prompt, which it only shows once trust is
  settled) and nothing is written for the worktree. The user did not → the trust prompt appears in the worktree and
  the agent is flagged as waiting for the human, exactly as for a launch in the repo itself: the decision stays the
  user's, and the daemon writes no client setting.
- Codex's managed launch runs its app-server and attaches the TUI remotely, which asks no folder-trust question:
  it reaches its input line in the worktree whether or not the user trusted the repo.

These tests fail if a client version starts asking for worktrees of trusted repos."""

from __future__ import annotations

import json
import os
import subprocess

from realclients import sessions

CLAUDE_TRUST = "Quick safety check"
CODEX_TRUST = "Do you trust the contents of this directory"


def git(repo: str, *args: str) -> None:
    subprocess.run(
        ["git", "-C", repo, "-c", "user.name=human", "-c", "user.email=human@example.com", *args],
        check=True, capture_output=True, timeout=30, stdin=subprocess.DEVNULL,
    )


def worktree_agent(team, runtime: str) -> str:
    """Makes the team's repo a git repository and adds api:main (``runtime``) with its own worktree; returns the
    worktree folder after the launch."""
    git(team.repo, "init", "-q", "-b", "main")
    with open(os.path.join(team.repo, "README"), "w", encoding="utf-8") as handle:
        handle.write("base\n")
    git(team.repo, "add", "README")
    git(team.repo, "commit", "-q", "-m", "base")
    team.cli("agent", "add", "api:main", "--runtime", runtime, "--main", "--worktree")
    sessions.launch(team, "api:main")
    folder = team.cli("agent", "show", "api:main", json=True)["worktree"]["path"]
    assert os.path.realpath(folder) != os.path.realpath(team.repo) and os.path.isdir(folder), folder
    return folder


def attention(team) -> str:
    return (team.cli("agent", "show", "api:main", json=True).get("session") or {}).get("attention") or ""


def flagged(team, phrase: str) -> str:
    return sessions.wait_until("the attention flag", lambda: attention(team) if phrase in attention(team).lower() else None, timeout=15)


def test_claude_trusts_a_worktree_of_a_trusted_repo_and_asks_in_one_of_an_untrusted_repo(team):
    team.seed_claude(trust=True)  # the user trusted the repo folder only
    worktree_agent(team, "claude")
    terminal = sessions.attach(team, "api:main")
    try:
        # The development-channel warning comes after folder trust; reaching it unanswered means no trust prompt.
        screen = terminal.wait_for("I am using this for local development")
        assert CLAUDE_TRUST not in screen, screen
        assert "quick safety check" not in attention(team).lower()
        with open(os.path.join(team.home, ".claude.json"), encoding="utf-8") as handle:
            projects = json.load(handle).get("projects", {})
        assert all(os.path.realpath(path) == os.path.realpath(team.repo) for path in projects), f"nothing written for the worktree: {projects}"
    finally:
        terminal.close()


def test_claude_in_a_worktree_of_an_untrusted_repo_shows_the_trust_prompt_flagged_as_waiting(team):
    team.seed_claude(trust=False)
    worktree_agent(team, "claude")
    terminal = sessions.attach(team, "api:main")
    try:
        terminal.wait_for(CLAUDE_TRUST)
        assert "quick safety check" in flagged(team, "quick safety check").lower()
        shown = team.cli("agent", "show", "api:main").stdout
        assert "attention:" in shown and "whatsagent agent attach" in shown, shown
    finally:
        terminal.close()


def test_codex_reaches_its_input_line_in_a_worktree_without_a_trust_prompt(team):
    folder = worktree_agent(team, "codex")  # write_codex_config trusted the repo folder only
    for trusted in (True, False):
        terminal = sessions.attach(team, "api:main")
        try:
            terminal.wait_for("directory:")
            terminal.wait_for("›")
            screen = terminal.text()
            assert CODEX_TRUST not in screen and "api/main" in screen, screen
            assert "trust" not in attention(team).lower(), (trusted, attention(team))
        finally:
            terminal.close()
        team.cli("agent", "stop", "api:main")
        if trusted:
            path = os.path.join(team.codex_home, "config.toml")
            with open(path, encoding="utf-8") as handle:
                config = handle.read()
            assert f'[projects."{folder}"]' not in config, "nothing written for the worktree"
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(config.split("[projects.")[0])  # now the user never trusted the repo
            sessions.launch(team, "api:main")
