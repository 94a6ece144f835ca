"""The board pages in a real browser (SPEC §9, §11): headless Chromium through Playwright against a daemon that serves
the web files from the source tree, the human logged in through the first-run setup link.

Create a task in the UI, drag it to another column and read the server state back through the CLI, move one with the
keyboard, open the drawer and comment, see a refused move snap back, see changes made elsewhere appear live, approve
an epic close from the banner, unarchive from the archive, export, and write screenshots of every board page at 1280
and 390 px (`kanban-*.png`, the screenshot fixture of conftest.py). Nothing sleeps: Playwright's expect/wait_for poll
with deadlines. Fixtures from conftest.py: `web_daemon`, `context` (fails on page errors), `do_setup`, `screenshot`.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from web.conftest import do_setup, wait_idle


@pytest.fixture
def team(web_daemon, make_dir):
    """The daemon of ``web_daemon`` with a workspace `team` (current) and agents api:main (main) and api:dev."""
    web_daemon.cli("workspace", "add", "team")
    web_daemon.cli("workspace", "use", "team")
    web_daemon.cli("repo", "add", make_dir(), "--name", "api")
    web_daemon.cli("agent", "add", "api:main", "--main")
    web_daemon.cli("agent", "add", "api:dev")
    return web_daemon


@pytest.fixture
def page(team, context) -> Page:
    """A page logged in through the first-run setup link, on workspace `team` (made before the page loaded)."""
    return do_setup(context.new_page(), team.info["setupURL"]).page


def open_route(page: Page, team, route: str) -> None:
    page.goto(f"{team.url}/#/{route}")
    wait_idle(page)


def column(page: Page, status: str):
    return page.locator(f'[data-testid=board-column][data-drop-status="{status}"]')


def card(page: Page, task: str):
    return page.locator(f'[data-testid=task-card][data-task-id="{task}"]')


def drawer_of(page: Page, item: str):
    return page.locator(f'[data-testid=item-drawer][data-item-id="{item}"]')


def task_state(team, task: str) -> dict:
    return team.cli("task", "show", task, json=True)


def wait_for_status(page: Page, task: str, status: str) -> None:
    """The card sits in `status` and its move finished (no longer pending)."""
    expect(column(page, status).locator(f'[data-testid=task-card][data-task-id="{task}"]:not([aria-busy=true])')).to_be_visible()


def test_create_drag_keyboard_and_comment(page, team):
    open_route(page, team, "board")
    expect(page.get_by_test_id("board-summary")).to_contain_text("No tasks yet")

    # Create in the UI.
    page.click("[data-action=new-task]")
    dialog = page.get_by_test_id("create-dialog")
    dialog.locator("input[name=title]").fill("Write the parser")
    dialog.locator("textarea[name=details]").fill("Parse **everything**.")
    dialog.locator("select[name=assignee]").select_option("api:dev")
    dialog.locator("select[name=priority]").select_option("P1")
    dialog.locator("select[name=effort]").select_option("L")
    dialog.locator("button[type=submit]").click()
    expect(dialog).to_have_count(0)
    wait_for_status(page, "WA-001", "Backlog")
    created = task_state(team, "WA-001")["task"]
    assert (created["title"], created["assignee"], created["creator"]) == ("Write the parser", "api:dev", "human-web")
    assert (created["priority"], created["effort"], created["details"]) == ("P1", "L", "Parse **everything**.")

    # Drag it to Review; the server has it there.
    card(page, "WA-001").drag_to(column(page, "Review"))
    wait_for_status(page, "WA-001", "Review")
    assert task_state(team, "WA-001")["task"]["status"] == "Review"

    # The keyboard: Alt+← moves one column left and keeps the focus on the card.
    card(page, "WA-001").focus()
    page.keyboard.press("Alt+ArrowLeft")
    wait_for_status(page, "WA-001", "Blocked")
    expect(card(page, "WA-001")).to_be_focused()
    assert task_state(team, "WA-001")["task"]["status"] == "Blocked"

    # The ⋯ move menu, by keyboard only.
    card(page, "WA-001").locator("[data-action=move]").focus()
    page.keyboard.press("Enter")
    menu = page.get_by_role("menu", name="Move WA-001")
    expect(menu).to_be_visible()
    menu.get_by_role("menuitem", name="Move to Queued").focus()
    page.keyboard.press("Enter")
    wait_for_status(page, "WA-001", "Queued")
    assert task_state(team, "WA-001")["task"]["status"] == "Queued"

    # A change made elsewhere (the CLI) shows up live, without a reload.
    team.cli("task", "create", "Review the parser", "--assignee", "api:main", "--depends-on", "WA-001")
    wait_for_status(page, "WA-002", "Backlog")
    expect(card(page, "WA-002")).to_contain_text("deps")

    # The drawer: Enter opens it; a typed comment lands on the server; the activity shows before → after.
    card(page, "WA-001").focus()
    page.keyboard.press("Enter")
    drawer = drawer_of(page, "WA-001")
    expect(drawer).to_be_visible()
    expect(drawer.locator("strong", has_text="everything")).to_be_visible()  # the details as Markdown
    expect(drawer).to_contain_text("WA-002")  # needed by
    drawer.locator("textarea[name=comment]").fill("Blocked on the **grammar**.")
    drawer.locator("select[name=commentType]").select_option("blocker")
    drawer.get_by_role("button", name="Comment", exact=True).click()
    expect(drawer.locator("[data-testid=comment][data-type=blocker]")).to_contain_text("Blocked on the grammar.")
    comments = task_state(team, "WA-001")["comments"]
    assert [(c["type"], c["body"], c["author"]) for c in comments] == [("blocker", "Blocked on the **grammar**.", "human-web")]
    drawer.locator("summary", has_text="Activity").click()
    expect(drawer.get_by_test_id("activity")).to_contain_text("status: Blocked → Queued")

    # Edit a field in the drawer; the warning for unfinished dependencies shows on the dependent task.
    drawer.get_by_role("button", name="Edit").click()
    drawer.locator("input[name=title]").fill("Write the parser (v2)")
    drawer.get_by_role("button", name="Save").click()
    expect(drawer.get_by_role("heading", name="WA-001 Write the parser (v2)")).to_be_visible()
    assert task_state(team, "WA-001")["task"]["title"] == "Write the parser (v2)"
    drawer.get_by_role("link", name="WA-002", exact=True).click()
    expect(drawer_of(page, "WA-002").get_by_role("note")).to_contain_text("1 unfinished: WA-001 (Queued)")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("item-drawer")).to_have_count(0)

    # Search: the REST search shows where it matched and the comment snippet.
    page.fill("input[name=q]", "grammar")
    page.keyboard.press("Enter")
    hits = page.get_by_test_id("search-results")
    expect(hits).to_contain_text("1 match.")
    expect(hits).to_contain_text("matched in comments")
    expect(hits.locator("mark").first).to_have_text("grammar")


def test_a_refused_move_snaps_back_with_the_servers_message(page, team):
    team.cli("task", "create", "Stay put", "--assignee", "api:dev")
    open_route(page, team, "board")
    wait_for_status(page, "WA-001", "Backlog")
    message = "refused for this test: move it from the CLI instead"

    def refuse(route):
        route.fulfill(status=409, content_type="application/json", body=json.dumps({"error": {"code": "invalid_state", "message": message}}))

    page.route(re.compile(r".*/board/tasks/WA-001/status$"), refuse)
    card(page, "WA-001").drag_to(column(page, "In Progress"))
    expect(page.get_by_role("alert").filter(has_text=message)).to_be_visible()
    wait_for_status(page, "WA-001", "Backlog")
    expect(column(page, "In Progress").get_by_test_id("task-card")).to_have_count(0)
    assert task_state(team, "WA-001")["task"]["status"] == "Backlog"

    # The same refusal from the drawer's status menu: said inside the drawer (toasts sit under its backdrop), and
    # the menu shows the server's status again.
    card(page, "WA-001").click()
    drawer = drawer_of(page, "WA-001")
    drawer.get_by_label("Move to status").select_option("Review")
    expect(drawer.get_by_test_id("drawer-notice")).to_contain_text(message)
    expect(drawer.get_by_label("Move to status")).to_have_value("Backlog")
    assert task_state(team, "WA-001")["task"]["status"] == "Backlog"


def test_epic_close_approval_from_the_banner(page, team):
    open_route(page, team, "epics")
    # An epic and its first task, created in the UI.
    page.get_by_role("button", name="+ New epic").click()
    dialog = page.get_by_test_id("create-dialog")
    dialog.get_by_label("Title", exact=True).fill("Release 1")
    dialog.get_by_label("Assignee").select_option("api:main")
    dialog.get_by_role("button", name="Create epic").click()
    epic = page.locator('[data-testid=epic][data-epic-id="EP-001"]')
    expect(epic).to_contain_text("no tasks")
    assert team.cli("epic", "show", "EP-001", json=True)["epic"]["creator"] == "human-web"
    epic.get_by_role("button", name="+ Task").click()
    dialog = page.get_by_test_id("create-dialog")
    expect(dialog.get_by_label("Epic")).to_have_value("EP-001")
    dialog.get_by_label("Title", exact=True).fill("Ship it")
    dialog.get_by_label("Assignee").select_option("api:dev")
    dialog.get_by_role("button", name="Create task").click()
    expect(epic).to_contain_text("0/1 done")
    assert task_state(team, "WA-001")["task"]["epicId"] == "EP-001"
    team.cli("task", "create", "Tell people", "--assignee", "api:dev", "--epic", "EP-001", "--depends-on", "WA-001")
    expect(epic).to_contain_text("0/2 done")
    expect(epic.locator("svg g[data-task-id]")).to_have_count(2)  # the graph's nodes
    expect(epic.locator('svg path[data-from="WA-001"][data-to="WA-002"]')).to_have_count(1)  # and its one edge
    expect(page.get_by_test_id("close-banner")).to_have_count(0)

    # The close is asked elsewhere while tasks are open: it waits for approval, and the banner appears live.
    pending = team.cli("epic", "move", "EP-001", "completed", json=True)
    assert pending["closeApproval"]["status"] == "pending"
    banner = page.locator('[data-testid=close-banner][data-epic-id="EP-001"]')
    expect(banner).to_contain_text("2 task(s) still open")
    # The epic's drawer shows its tasks and the same banner.
    epic.get_by_role("button", name="Details").click()
    drawer = drawer_of(page, "EP-001")
    expect(drawer.get_by_test_id("close-banner")).to_be_visible()
    expect(drawer).to_contain_text("Tasks (2, 2 open)")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("item-drawer")).to_have_count(0)
    banner.locator("[data-action=approve-close]").click()
    expect(page.get_by_test_id("close-banner")).to_have_count(0)
    expect(epic.get_by_test_id("epic-status")).to_have_text("Completed")
    shown = team.cli("epic", "show", "EP-001", json=True)["epic"]
    assert shown["status"] == "Completed"
    assert shown["closeApproval"]["status"] == "approved"
    assert shown["closeApproval"]["approvedBy"] == "human-web"

    # Another pending close, cancelled from its banner: the epic stays open.
    team.cli("epic", "create", "Later", "--assignee", "api:main")
    team.cli("task", "create", "Not yet", "--assignee", "api:dev", "--epic", "EP-002")
    assert team.cli("epic", "move", "EP-002", "completed", json=True)["closeApproval"]["status"] == "pending"
    banner = page.locator('[data-testid=close-banner][data-epic-id="EP-002"]')
    banner.locator("[data-action=cancel-close]").click()
    expect(page.get_by_test_id("close-banner")).to_have_count(0)
    cancelled = team.cli("epic", "show", "EP-002", json=True)["epic"]
    assert cancelled["closeApproval"]["status"] == "none" and cancelled["status"] != "Completed"

    # Request close from the UI on an epic without open tasks: it completes at once.
    team.cli("epic", "create", "Nothing left", "--assignee", "api:main")
    second = page.locator('[data-testid=epic][data-epic-id="EP-003"]')
    second.locator("[data-action=request-close]").click()
    expect(second.get_by_test_id("epic-status")).to_have_text("Completed")
    assert team.cli("epic", "show", "EP-003", json=True)["epic"]["status"] == "Completed"


def test_archive_unarchive_export_and_screenshots(page, team, screenshot):
    team.cli("epic", "create", "Search", "--assignee", "api:main")
    team.cli("task", "create", "Index documents", "--assignee", "api:dev", "--epic", "EP-1", "--priority", "p1")
    team.cli("task", "create", "Query API", "--assignee", "api:main", "--depends-on", "WA-1", "--epic", "EP-1")
    team.cli("task", "create", "Rank with bm25, a long title that has to wrap on a phone", "--assignee", "api:dev", "--depends-on", "WA-1", "--depends-on", "WA-2", "--epic", "EP-1", "--priority", "p0")
    team.cli("task", "create", "Old idea", "--assignee", "api:dev")
    team.cli("task", "move", "WA-1", "in-progress")
    team.cli("task", "comment", "WA-1", "indexer started", "--type", "progress")
    team.cli("task", "archive", "WA-4")
    open_route(page, team, "board")
    wait_for_status(page, "WA-001", "In Progress")
    screenshot(page, "kanban-board")
    page.get_by_role("button", name="Lanes by assignee").click()
    expect(page.get_by_test_id("board-lane")).to_have_count(2)
    screenshot(page, "kanban-lanes")
    # In lanes, Alt+↓ hands the focused task to the lane below (api:dev → api:main).
    card(page, "WA-003").focus()
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator('[data-testid=board-column][data-drop-lane="api:main"] [data-task-id="WA-003"]:not([aria-busy=true])')).to_be_visible()
    expect(card(page, "WA-003")).to_be_focused()
    assert task_state(team, "WA-003")["task"]["assignee"] == "api:main"
    page.get_by_role("button", name="Lanes by assignee").click()
    expect(page.get_by_test_id("board-lane")).to_have_count(0)
    card(page, "WA-003").click()
    expect(drawer_of(page, "WA-003").get_by_role("note")).to_contain_text("2 unfinished")
    screenshot(page, "kanban-drawer")
    page.keyboard.press("Escape")
    open_route(page, team, "epics")
    expect(page.locator("[data-testid=epic] svg path[data-from]")).to_have_count(3)
    screenshot(page, "kanban-epics")
    open_route(page, team, "archive")
    expect(page.locator('[data-testid=archive-row][data-item-id="WA-004"]')).to_contain_text("human-web")
    screenshot(page, "kanban-archive")

    # Export: the server's files, downloaded.
    open_route(page, team, "board")
    wait_for_status(page, "WA-001", "In Progress")
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    with open(download.value.path(), encoding="utf-8", newline="") as handle:
        csv = handle.read()
    assert csv.startswith("kind,displayId,title,status,") and "\r\nepic,EP-001,Search," in csv, csv[:200]
    with page.expect_download() as download:
        page.get_by_role("button", name="JSON").click()
    with open(download.value.path(), encoding="utf-8") as handle:
        exported = json.load(handle)
    assert [task["displayId"] for task in exported["tasks"]] == ["WA-001", "WA-002", "WA-003", "WA-004"]
    with page.expect_download() as download:
        page.get_by_role("button", name="Markdown").click()
    assert download.value.suggested_filename.endswith(".md")

    open_route(page, team, "archive")
    page.locator('[data-testid=archive-row][data-item-id="WA-004"]').get_by_role("button", name="Unarchive WA-004").click()
    expect(page.get_by_test_id("archive-row")).to_have_count(0)
    assert "archivedAt" not in task_state(team, "WA-004")["task"]
    open_route(page, team, "board")
    wait_for_status(page, "WA-004", "Backlog")


def test_on_a_phone_the_tools_fold_and_the_move_menu_moves(page, team):
    team.cli("task", "create", "Tap me", "--assignee", "api:dev")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function("w => window.innerWidth === w", arg=390)
    open_route(page, team, "board")
    wait_for_status(page, "WA-001", "Backlog")
    expect(page.get_by_role("searchbox", name="Search tasks")).to_be_hidden()
    page.get_by_text("Search and filters").click()
    expect(page.get_by_role("searchbox", name="Search tasks")).to_be_visible()

    # Touch has no drag and drop here: the ⋯ menu moves the card.
    card(page, "WA-001").get_by_role("button", name="Move WA-001").click()
    page.get_by_role("menuitem", name="Move to Review").click()
    wait_for_status(page, "WA-001", "Review")
    assert task_state(team, "WA-001")["task"]["status"] == "Review"

    # The drawer takes the whole width.
    card(page, "WA-001").click()
    expect(drawer_of(page, "WA-001")).to_be_visible()
    page.wait_for_function(
        """() => { const box = document.querySelector('[data-testid=item-drawer]').getBoundingClientRect();
                   return Math.abs(box.left) < 1 && Math.abs(box.width - window.innerWidth) < 1; }"""
    )


def test_a_finger_drags_a_card_with_a_long_press(page, team):
    """Real touch events (Chromium's DevTools protocol, touch emulation on): press, hold, carry, lift."""
    team.cli("task", "create", "Carry me", "--assignee", "api:dev")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function("w => window.innerWidth === w", arg=390)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
    open_route(page, team, "board")
    wait_for_status(page, "WA-001", "Backlog")
    start = card(page, "WA-001").bounding_box()
    x, y = start["x"] + start["width"] / 2, start["y"] + 12
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    expect(page.get_by_test_id("drag-ghost")).to_be_visible()  # the long press picked it up
    # Carry it right onto the next column (Queued), which peeks in at the right edge on a phone.
    target = column(page, "Queued").bounding_box()
    to_x, to_y = min(target["x"] + 20, 385), target["y"] + 40
    for step in range(1, 6):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x + (to_x - x) * step / 5, "y": y + (to_y - y) * step / 5}]})
    expect(column(page, "Queued")).to_have_class(re.compile(r"\bbd-drop-over\b"))
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    wait_for_status(page, "WA-001", "Queued")
    expect(page.get_by_test_id("drag-ghost")).to_have_count(0)
    expect(page.get_by_test_id("item-drawer")).to_have_count(0)  # lifting is not a tap
    assert task_state(team, "WA-001")["task"]["status"] == "Queued"
