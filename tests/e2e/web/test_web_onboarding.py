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
