"""Onboarding on the agents page (issue 18): the "set a main agent" warning carries the action that resolves it."""

from __future__ import annotations

from playwright.sync_api import expect

from web.conftest import add_agent_in_ui


def test_the_main_agent_warning_sets_the_main_agent(browser_page):
    web, page = browser_page, browser_page.page
    web.goto("agents")
    add_agent_in_ui(page, "app", "lead", runtime="custom", command="bash")
    add_agent_in_ui(page, "app", "helper", runtime="custom", command="bash")
    warning = page.locator(".notice", has_text="Star topology without a main agent")
    expect(warning).to_be_visible()
    warning.get_by_label("Main agent").select_option("app:lead")
    warning.get_by_test_id("set-main-agent").click()
    expect(warning).to_have_count(0)
    expect(page.locator('.agent-row[data-agent="app:lead"]')).to_contain_text("main")
    status, answer = web.api("GET", "/api/v1/workspaces/web/agents/app:lead")
    assert status == 200 and answer["isMain"] is True, answer


def step(page, name: str):
    return page.get_by_test_id("onboarding").locator(f'[data-step="{name}"]')


def test_the_getting_started_checklist_leads_to_the_first_message(web_daemon, setup_done, make_dir):
    import sys

    from web.test_web_ui import FAKE_AGENT

    page, daemon = setup_done.page, web_daemon
    daemon.cli("workspace", "add", "fresh")
    daemon.cli("workspace", "use", "fresh")
    page.goto(f"{daemon.url}/#/agents")
    page.reload()
    checklist = page.get_by_test_id("onboarding")
    expect(checklist).to_be_visible()
    expect(step(page, "workspace")).to_have_attribute("data-done", "true")
    expect(step(page, "repo")).to_have_attribute("aria-current", "step")
    # Each open step carries its action.
    step(page, "repo").get_by_role("button", name="Add repo").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Absolute path").fill(make_dir())
    dialog.get_by_label("Name (optional)").fill("app")
    dialog.get_by_role("button", name="Add").click()
    expect(step(page, "repo")).to_have_attribute("data-done", "true")
    step(page, "agent").get_by_role("button", name="Add agent").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Name", exact=True).fill("bot")
    dialog.get_by_label("Runtime").select_option("custom")
    dialog.get_by_label("Command (optional)").fill(sys.executable)
    dialog.get_by_label("Arguments (one per line)").fill(FAKE_AGENT)
    dialog.get_by_label("Make it the main agent").check()
    dialog.get_by_role("button", name="Add agent").click()
    expect(step(page, "agent")).to_have_attribute("data-done", "true")
    step(page, "session").get_by_role("button", name="Launch app:bot").click()
    expect(step(page, "session")).to_have_attribute("data-done", "true")
    step(page, "message").get_by_role("link", name="Write a message").click()
    expect(page).to_have_url(f"{daemon.url}/#/messages/app%3Abot")
    page.get_by_test_id("compose").fill("ping-3 hello")
    page.get_by_test_id("send").click()
    expect(page.locator(".bubble.in", has_text="pong: ping-3")).to_be_visible()
    # Done: the checklist is gone.
    page.goto(f"{daemon.url}/#/agents")
    expect(page.locator('.agent-row[data-agent="app:bot"]')).to_be_visible()
    expect(checklist).to_have_count(0)
    daemon.cli("stop", "--all", check=False)


def test_a_live_redraw_keeps_the_unchanged_checklist_under_the_pointer(browser_page):
    """A live update redraws the agents page; the checklist it did not change stays the same node with the focus
    on it, so a click whose press and release straddle the redraw still lands (CI saw the "Write a message" link
    swallowed that way)."""
    web, page = browser_page, browser_page.page
    web.goto("agents")
    add_agent_in_ui(page, "app", "bot", runtime="custom", command="bash")
    checklist = page.get_by_test_id("onboarding")
    launch = checklist.get_by_role("button", name="Launch app:bot")
    expect(launch).to_be_visible()
    launch.focus()
    page.evaluate("window.__checklist = document.querySelector('[data-testid=onboarding]')")
    row = page.locator('.agent-row[data-agent="app:bot"]')
    assert web.api("PATCH", "/api/v1/workspaces/web/agents/app:bot", {"muted": True})[0] == 200
    expect(row).to_contain_text("muted")  # the live update redrew the row
    assert page.evaluate("window.__checklist.isConnected && window.__checklist === document.querySelector('[data-testid=onboarding]')")
    expect(launch).to_be_focused()
    # A change the checklist shows does replace it.
    assert web.api("PATCH", "/api/v1/workspaces/web/agents/app:bot", {"muted": False})[0] == 200
    expect(row).not_to_contain_text("muted")
    assert web.api("DELETE", "/api/v1/workspaces/web/agents/app:bot")[0] in (200, 204)
    expect(checklist.locator('[data-step="agent"]')).to_have_attribute("data-done", "false")
    assert page.evaluate("!window.__checklist.isConnected")
