"""Unassigned tasks and a task's branch on the board (issues 18 and 23), in headless Chromium: a new task starts
"Unassigned"; the lanes show an "Unassigned" lane (last) only while some task has no assignee; a card handed from
that lane to an agent's lane is assigned; the drawer unassigns; the assignee filter has "Unassigned". The drawer
shows a task's branch and, in Review, the branch's diff summary and full diff (as text) from the agent's worktree."""

from __future__ import annotations

import os
import subprocess
import time

from playwright.sync_api import expect

from web.test_web_board import card, drawer_of, open_route, page, task_state, team, wait_for_status  # noqa: F401

HOSTILE = '<img src=x onerror="window.__pwned=1">'


def lanes(page):
    return page.get_by_test_id("board-lane")


def test_the_unassigned_lane_appears_only_with_unassigned_tasks(page, team, screenshot):  # noqa: F811
    team.cli("task", "create", "Owned work", "--assignee", "api:dev")
    open_route(page, team, "board")
    page.get_by_role("button", name="Lanes by assignee").click()
    expect(lanes(page)).to_have_count(1)
    expect(lanes(page).filter(has_text="Unassigned")).to_have_count(0)

    # A task created in the UI starts unassigned.
    page.click("[data-action=new-task]")
    dialog = page.get_by_test_id("create-dialog")
    expect(dialog.locator("select[name=assignee] option:checked")).to_have_text("Unassigned")
    dialog.locator("input[name=title]").fill("Nobody's yet")
    dialog.locator("button[type=submit]").click()
    expect(dialog).to_have_count(0)
    expect(lanes(page)).to_have_count(2)
    expect(lanes(page).last).to_have_attribute("data-lane", "none")
    expect(lanes(page).last).to_contain_text("Unassigned")
    expect(page.locator('[data-testid=board-column][data-drop-lane="none"] [data-task-id="WA-002"]')).to_be_visible()
    assert "assignee" not in task_state(team, "WA-002")["task"]
    screenshot(page, "kanban-lanes-unassigned")

    # The assignee filter offers "Unassigned".
    page.get_by_label("Filter by assignee").select_option("none")
    expect(page.get_by_test_id("task-card")).to_have_count(1)
    expect(card(page, "WA-002")).to_be_visible()
    page.get_by_role("button", name="Clear filters").click()
    expect(page.get_by_test_id("task-card")).to_have_count(2)

    # Alt+↑ hands it to the lane above (api:dev): assigned, and the Unassigned lane goes away.
    card(page, "WA-002").focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator('[data-testid=board-column][data-drop-lane="api:dev"] [data-task-id="WA-002"]:not([aria-busy=true])')).to_be_visible()
    assert task_state(team, "WA-002")["task"]["assignee"] == "api:dev"
    expect(lanes(page)).to_have_count(1)

    # The drawer's edit form unassigns it again; the lane comes back.
    card(page, "WA-001").click()
    drawer = drawer_of(page, "WA-001")
    drawer.get_by_role("button", name="Edit").click()
    drawer.locator("select[name=assignee]").select_option("none")
    drawer.get_by_role("button", name="Save").click()
    expect(drawer.get_by_test_id("drawer-assignee")).to_have_text("assignee unassigned")
    assert "assignee" not in task_state(team, "WA-001")["task"]
    page.keyboard.press("Escape")
    expect(lanes(page)).to_have_count(2)
    expect(page.locator('[data-testid=board-column][data-drop-lane="none"] [data-task-id="WA-001"]')).to_be_visible()

    # The epics page's "tasks without an epic" and the search hits say so too.
    open_route(page, team, "epics")
    expect(page.get_by_test_id("tasks-without-epic").locator("li", has_text="Owned work")).to_contain_text("unassigned")
    open_route(page, team, "board")
    search = page.get_by_role("searchbox", name="Search tasks")
    search.fill("Owned")
    search.press("Enter")
    expect(page.get_by_test_id("search-results")).to_contain_text("unassigned")


def git(repo, *args):
    proc = subprocess.run(
        ["git", "-C", repo, "-c", "user.name=human", "-c", "user.email=human@example.com", *args],
        capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_the_drawer_shows_the_branch_and_its_diff_in_review(page, team, make_dir, screenshot):  # noqa: F811
    repo = os.path.realpath(make_dir())
    git(repo, "init", "-q", "-b", "main")
    with open(os.path.join(repo, "shared.txt"), "w") as file:
        file.write("base\n")
    git(repo, "add", "shared.txt")
    git(repo, "commit", "-q", "-m", "base")
    scratch = make_dir()
    marker = os.path.join(scratch, "done")
    script = os.path.join(scratch, "agent.sh")
    with open(script, "w") as file:
        file.write(
            f"#!/bin/sh\nprintf '%s\\n' '{HOSTILE}' > shared.txt\n"
            "git add shared.txt && git -c user.name=agent -c user.email=agent@example.com commit -q -m work\n"
            f"touch '{marker}'\n"
        )
    team.cli("repo", "add", repo, "--name", "app")
    team.cli("agent", "add", "app:dev1", "--runtime", "custom", "--command", "/bin/sh", "--arg", script, "--worktree")
    try:
        team.cli("agent", "launch", "app:dev1")
        deadline = time.monotonic() + 20
        while not os.path.exists(marker):
            assert time.monotonic() < deadline, "the agent's script did not run"
            page.wait_for_timeout(50)
        team.cli("task", "create", "Say it", "--assignee", "app:dev1")
        team.cli("task", "edit", "WA-001", "--branch", "wa/dev1")

        open_route(page, team, "board")
        card(page, "WA-001").click()
        drawer = drawer_of(page, "WA-001")
        expect(drawer.get_by_test_id("drawer-branch-name")).to_have_text("wa/dev1")
        expect(drawer.get_by_test_id("drawer-branch")).to_contain_text("once the task is in Review")
        expect(drawer.get_by_test_id("drawer-branch-diff")).to_have_count(0)

        drawer.get_by_label("Move to status").select_option("Review")
        summary = drawer.get_by_test_id("drawer-branch-diff-summary")
        expect(summary).to_contain_text("1 file changed, +1 −1")
        expect(summary).to_contain_text("1 ahead, 0 behind against main")
        expect(drawer.get_by_test_id("drawer-branch-diff")).to_contain_text("shared.txt")
        drawer.get_by_test_id("drawer-branch-full-diff").click()
        text = drawer.get_by_test_id("drawer-branch-diff-text")
        expect(text).to_contain_text("+" + HOSTILE)
        expect(text).to_contain_text("-base")
        assert page.evaluate("window.__pwned") is None, "the diff was rendered as HTML"
        screenshot(page, "kanban-drawer-branch")
    finally:
        team.cli("stop", "--all", check=False)
