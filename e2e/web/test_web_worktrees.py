"""The agents page shows an agent's git worktree (issue 23): the add dialog's switch, the branch, ahead/behind and
uncommitted changes, the diff summary, and the full diff on demand as plain text (a diff holding HTML stays text)."""

import os
import subprocess
import time

from playwright.sync_api import expect

from web.conftest import wait_idle

HOSTILE = "<img src=x onerror=\"window.__pwned=1\">"


def git(repo, *args):
    proc = subprocess.run(
        ["git", "-C", repo, "-c", "user.name=human", "-c", "user.email=human@example.com", *args],
        capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_the_agents_page_shows_the_worktree_and_its_diff(browser_page):
    web, page = browser_page, browser_page.page
    repo = web.repo_path
    git(repo, "init", "-q", "-b", "main")
    with open(os.path.join(repo, "shared.txt"), "w") as file:
        file.write("base\n")
    git(repo, "add", "shared.txt")
    git(repo, "commit", "-q", "-m", "base")
    script = os.path.join(repo, "..", os.path.basename(repo) + "-agent.sh")
    marker = script + ".done"
    with open(script, "w") as file:
        file.write(f"#!/bin/sh\nprintf '%s\\n' '{HOSTILE}' > shared.txt\ntouch '{marker}'\n")

    web.goto("agents")
    page.get_by_test_id("add-agent").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Repo", exact=True).select_option("app")
    dialog.get_by_label("Name", exact=True).fill("dev2")
    dialog.get_by_label("Runtime").select_option("custom")
    dialog.get_by_label("Command (optional)").fill("/bin/sh")
    dialog.get_by_label("Arguments (one per line)").fill(script)
    dialog.get_by_label("Own git worktree", exact=False).check()
    dialog.get_by_role("button", name="Add agent").click()
    expect(dialog).to_have_count(0)
    status, shown = web.api("GET", "/api/v1/workspaces/current/agents/app:dev2")
    assert status == 200 and shown["worktree"]["enabled"] is True and shown["worktree"]["branch"] == "wa/dev2", shown

    status, launched = web.api("POST", "/api/v1/workspaces/current/agents/app:dev2/launch")
    assert status in (200, 201), launched
    deadline = time.monotonic() + 20
    while not os.path.exists(marker):
        assert time.monotonic() < deadline, "the agent's script did not run"
        page.wait_for_timeout(50)

    web.goto("agents")
    row = page.locator('[data-agent="app:dev2"]')
    expect(row.get_by_test_id("worktree-branch")).to_have_text("⎇ wa/dev2")
    expect(row.get_by_test_id("worktree-ahead-behind")).to_contain_text("0 ahead · 0 behind main")
    expect(row.get_by_test_id("worktree-changes")).to_contain_text("1 uncommitted")
    row.get_by_test_id("worktree-diff-toggle").click()
    expect(row.get_by_test_id("worktree-diff-summary")).to_have_text("1 file changed, +1 −1")
    expect(row.locator(".worktree-files")).to_contain_text("shared.txt")
    row.get_by_test_id("worktree-full-diff").click()
    text = row.get_by_test_id("worktree-diff-text")
    expect(text).to_contain_text(f"+{HOSTILE}")
    expect(text).to_contain_text("-base")
    assert row.locator("img").count() == 0
    assert page.evaluate("window.__pwned") is None
    wait_idle(page)
    os.remove(script)
    os.remove(marker)
