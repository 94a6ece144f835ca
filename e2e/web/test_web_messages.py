"""The messages page (issue 18, "Messages"): it follows the workspace (switching clears the open thread) and its
topology (channel topology: the channels, not a composer); nobody writes to human-web; search opens the thread at
the hit; "jump to latest" and the unread marker; a refused reply raises no "New message" toast."""

from __future__ import annotations

import sys
import time

from playwright.sync_api import expect

from web.conftest import create_workspace_in_ui
from web.test_web_ui import FAKE_AGENT

WS = "/api/v1/workspaces/web"


def send(web, to: str, body: str) -> dict:
    status, answer = web.api("POST", f"{WS}/messages", {"to": to, "body": body})
    assert status == 201, answer
    return answer["message"]


def test_search_opens_the_thread_at_the_hit_and_jump_to_latest(browser_page):
    web, page = browser_page, browser_page.page
    web.daemon.cli("agent", "add", "app:dev", "--runtime", "custom", "--command", "bash", "--workspace", "web")
    web.daemon.cli("agent", "set-main", "app:dev", "--workspace", "web")
    send(web, "app:dev", "The zebra crossing is on **Main Street**, see the notes.")
    for n in range(40):
        send(web, "app:dev", f"filler line number {n} to make the thread scroll")
    web.goto("messages")
    page.get_by_test_id("message-search").fill("zebra")
    hits = page.get_by_test_id("search-results").locator("a")
    expect(hits).to_have_count(1)
    expect(page.get_by_test_id("search-summary")).to_have_text("1 message")
    expect(hits.first).to_contain_text("zebra crossing")
    hits.first.click()
    target = page.locator(".bubble.hit")
    expect(target).to_contain_text("The zebra crossing")
    expect(target).to_be_in_viewport()
    # Scrolled up to the hit: "Jump to latest" takes you to the newest message.
    jump = page.get_by_test_id("jump-latest")
    expect(jump).to_be_visible()
    last = page.locator(".bubble", has_text="filler line number 39")
    expect(last).not_to_be_in_viewport()
    jump.click()
    expect(last).to_be_in_viewport()
    expect(jump).to_be_hidden()
    # A search with no match says so.
    page.get_by_test_id("message-search").fill("no such words here")
    expect(page.get_by_test_id("search-summary")).to_contain_text("No message matches")


def test_the_page_follows_the_workspace_its_topology_and_never_writes_to_human_web(browser_page):
    web, page = browser_page, browser_page.page
    web.daemon.cli("agent", "add", "app:dev", "--runtime", "custom", "--command", "bash", "--workspace", "web")
    web.goto("messages/app%3Adev")
    expect(page.get_by_test_id("compose")).to_be_visible()
    # human-web is the human: no thread with yourself, no composer.
    web.goto("messages/human-web")
    expect(page.get_by_text("This is you")).to_be_visible()
    expect(page.get_by_test_id("compose")).to_have_count(0)
    expect(page.locator('.thread-link[data-peer="human-web"]')).to_have_count(0)
    # The channel topology: the channels are offered, no composer.
    assert web.api("PATCH", WS, {"topology": "channel"})[0] == 200
    web.goto("messages/app%3Adev")  # the page was open: it follows the change without a reload
    note = page.get_by_test_id("channel-topology-note")
    expect(note).to_contain_text("direct messages are refused")
    expect(note.get_by_role("link", name="#shared")).to_have_attribute("href", "#/channels/shared")
    expect(page.get_by_test_id("compose")).to_have_count(0)
    expect(page.get_by_test_id("broadcast")).to_be_disabled()
    assert web.api("PATCH", WS, {"topology": "star"})[0] == 200
    web.goto("messages/app%3Adev")
    expect(page.get_by_test_id("compose")).to_be_visible()
    # Switching the workspace drops the open thread (it belongs to the other workspace).
    create_workspace_in_ui(page, "other")
    page.locator("#workspace-select").select_option(label="web")
    web.goto("agents")
    expect(page.locator('.agent-row[data-agent="app:dev"]')).to_be_visible()  # the switch to web is done
    web.goto("messages/app%3Adev")
    expect(page.locator(".thread-head h2")).to_have_text("app:dev")
    page.locator("#workspace-select").select_option(label="other")
    expect(page).to_have_url(f"{web.base}/#/messages")
    expect(page.locator(".thread-head")).to_have_count(0)
    expect(page.get_by_text("Pick a conversation")).to_be_visible()


def test_unread_marker_and_a_refused_reply_raises_no_toast(browser_page):
    web, page = browser_page, browser_page.page
    web.daemon.cli("agent", "add", "app:bot", "--runtime", "custom", "--command", sys.executable, "--arg", FAKE_AGENT, "--workspace", "web")
    web.daemon.cli("agent", "set-main", "app:bot", "--workspace", "web")
    # Read the thread once (the page remembers where you stopped), then leave.
    send(web, "app:bot", "first hello")
    web.goto("messages/app%3Abot")
    expect(page.locator(".bubble", has_text="first hello")).to_be_visible()
    web.goto("agents")

    # A reply the workspace refuses: the bot reads its mail after the topology became channel; its answer to the human
    # is stored as rejected, and the page raises no "New message" toast for it.
    send(web, "app:bot", "ping-1 are you there?")
    assert web.api("PATCH", WS, {"topology": "channel"})[0] == 200
    web.daemon.cli("agent", "launch", "app:bot", "--workspace", "web")
    deadline = time.monotonic() + 30
    while True:
        status, data = web.api("GET", f"{WS}/messages?peer=app:bot&limit=50")
        replies = [m for m in data["messages"] if m["from"] == "app:bot"]
        if replies:
            break
        assert time.monotonic() < deadline, data
        page.wait_for_timeout(200)
    assert replies[0]["state"] == "rejected", replies
    # An accepted reply next: its toast shows, and it is the only "New message" toast (events are announced in order).
    assert web.api("PATCH", WS, {"topology": "star"})[0] == 200
    send(web, "app:bot", "ping-2 now?")
    toasts = page.locator(".toast", has_text="New message from app:bot")
    expect(toasts).to_have_count(1)
    expect(page.locator('[data-nav="messages"] .nav-badge')).to_have_text("1")

    # Back in the thread: the unread marker sits before the first message that arrived while you were away (the bot
    # answered both mails it found at start, both refused).
    web.goto("agents")
    web.goto("messages")
    expect(page.locator('.thread-link[data-peer="app:bot"]').get_by_test_id("thread-unread")).to_be_visible()
    page.locator('.thread-link[data-peer="app:bot"]').click()
    marker = page.get_by_test_id("unread-marker")
    expect(marker).to_be_visible()
    following = page.locator(".unread-marker + .bubble")
    expect(following).to_contain_text("pong: first")
    expect(page.locator(".bubble", has_text="first hello").locator("xpath=following-sibling::li[@data-testid='unread-marker']")).to_have_count(1)
