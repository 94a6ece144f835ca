"""The board's second pass (issue 18, "Board"): column headers readable at 1280 px, one search box (typing filters
the cards, Enter also searches comments), sticky column headers over a long column, lanes only for assignees with
tasks, and the epics page lists the tasks without an epic."""

from __future__ import annotations

from playwright.sync_api import expect

from web.test_web_board import card, open_route, page, team  # noqa: F401  (fixtures)


def test_headers_search_sticky_lanes_and_loose_tasks(page, team):  # noqa: F811
    team.cli("agent", "add", "api:idle")
    team.cli("epic", "create", "Search", "--assignee", "api:main")
    team.cli("task", "create", "Index documents", "--assignee", "api:dev", "--epic", "EP-1")
    team.cli("task", "create", "Parse the zebra format", "--assignee", "api:main")
    team.cli("task", "comment", "WA-2", "the okapi parser is done", "--type", "progress")
    for n in range(25):
        team.cli("task", "create", f"Backlog item {n}", "--assignee", "api:dev")
    open_route(page, team, "board")
    expect(card(page, "WA-027")).to_be_visible()

    # Every status name is shown whole at 1280 px (nothing cut with an ellipsis).
    titles = page.locator(".bd-column-title")
    expect(titles).to_have_count(6)
    for i in range(6):
        title = titles.nth(i)
        assert title.evaluate("e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight + 1"), title.inner_text()
    expect(page.locator(".bd-column-title", has_text="In Progress")).to_be_visible()

    # Sticky headers: scrolled down the long Backlog column, the headers stay at the top of the board.
    board = page.locator(".bd-board")
    board.evaluate("b => { b.scrollTop = b.scrollHeight; }")
    page.wait_for_function("() => document.querySelector('.bd-board').scrollTop > 200")
    head = page.locator(".bd-column-head").first
    expect(head).to_be_in_viewport()
    top = head.evaluate("h => h.getBoundingClientRect().top - h.closest('.bd-board').getBoundingClientRect().top")
    assert abs(top) <= 2, top
    board.evaluate("b => { b.scrollTop = 0; }")

    # One search box: typing filters the cards; Enter also finds the comment.
    boxes = page.locator("main input[type=search]")
    expect(boxes).to_have_count(1)
    search = page.get_by_role("searchbox", name="Search tasks")
    search.fill("zebra")
    expect(page.get_by_test_id("task-card")).to_have_count(1)
    expect(card(page, "WA-002")).to_be_visible()
    search.fill("okapi")
    expect(page.get_by_test_id("task-card")).to_have_count(0)
    search.press("Enter")
    expect(page.get_by_test_id("search-results")).to_contain_text("WA-002")
    page.get_by_role("button", name="Clear filters").click()
    expect(search).to_have_value("")
    expect(page.get_by_test_id("task-card")).to_have_count(27)

    # Lanes: only assignees with tasks (api:idle has none).
    page.get_by_role("button", name="Lanes by assignee").click()
    lanes = page.get_by_test_id("board-lane")
    expect(lanes).to_have_count(2)
    expect(lanes.filter(has_text="api:idle")).to_have_count(0)
    page.get_by_role("button", name="Lanes by assignee").click()

    # The epics page lists the tasks without an epic, and opens one.
    open_route(page, team, "epics")
    loose = page.get_by_test_id("tasks-without-epic")
    expect(loose.locator("li")).to_have_count(26)
    expect(loose).to_contain_text("Parse the zebra format")
    expect(loose).not_to_contain_text("Index documents")
    loose.get_by_role("button", name="WA-002 Parse the zebra format").click()
    expect(page.locator('[data-testid=item-drawer][data-item-id="WA-002"]')).to_be_visible()
