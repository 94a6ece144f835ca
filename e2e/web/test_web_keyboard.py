"""Keyboard shortcuts (issue 18): `?` lists them, `/` focuses the page's search, `c` creates a task on the board,
`g` then a/m/b/e/s goes to agents, messages, board, epics, settings; keys typed in a field are left alone."""

from __future__ import annotations

from playwright.sync_api import expect


def test_keyboard_shortcuts(browser_page):
    web, page = browser_page, browser_page.page
    web.goto("agents")
    page.locator("main").click(position={"x": 5, "y": 5})
    page.keyboard.press("?")
    help_dialog = page.locator("dialog[open]")
    expect(help_dialog.get_by_test_id("shortcuts")).to_contain_text("Go to Board")
    page.keyboard.press("Escape")
    expect(help_dialog).to_have_count(0)

    for key, route in (("m", "messages"), ("b", "board"), ("e", "epics"), ("s", "settings"), ("a", "agents")):
        page.keyboard.press("g")
        page.keyboard.press(key)
        expect(page).to_have_url(f"{web.base}/#/{route}")
        expect(page.locator("main .loading")).to_have_count(0)

    # `/` focuses the page's search (messages, board).
    web.goto("messages")
    page.keyboard.press("/")
    expect(page.get_by_test_id("message-search")).to_be_focused()
    # Typing in a field is typing: `g`, `b` stay in the box.
    page.keyboard.type("gb")
    expect(page.get_by_test_id("message-search")).to_have_value("gb")
    expect(page).to_have_url(f"{web.base}/#/messages")
    web.goto("board")
    page.keyboard.press("/")
    expect(page.get_by_role("searchbox", name="Search tasks")).to_be_focused()
    page.keyboard.press("Escape")
    page.locator("main h1").click()
    # `c` on the board opens the new-task dialog.
    page.keyboard.press("c")
    expect(page.get_by_test_id("create-dialog")).to_be_visible()
