"""The agents page shows each agent's push path as the daemon decided it (issue 16), live: a connected client that
subscribes to `whatsagent://inbox` turns a custom agent's `push: typed` into `push: resource`; hovering shows the last
push and whether it was confirmed."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from conftest import UnixHTTPConnection, agent_call, unix_request


def test_the_agent_card_shows_the_push_path_and_its_confirmation(browser_page):
    web, page = browser_page, browser_page.page
    web.daemon.cli("agent", "add", "app:main", "--main", "--workspace", "web")
    web.daemon.cli("agent", "add", "app:tool", "--runtime", "custom", "--command", "/bin/sh", "--workspace", "web")
    token = web.daemon.cli("agent", "connect", "app:tool", "--workspace", "web", json=True)["environment"]["WHATSAGENT_SESSION_TOKEN"]
    main = web.daemon.cli("agent", "connect", "app:main", "--workspace", "web", json=True)["environment"]["WHATSAGENT_SESSION_TOKEN"]
    bearer = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    web.goto("agents")
    card = page.locator('.agent-row[data-agent="app:tool"]')
    path = card.get_by_test_id("push-path")
    expect(path).to_have_text("push: typed")
    assert "no push yet" in path.get_attribute("title")

    stream = UnixHTTPConnection(web.daemon.socket)
    try:
        stream.request("GET", "/api/v1/agent/events", headers=bearer)
        assert stream.getresponse().status == 200
        status, _, _ = unix_request(
            web.daemon.socket, "PUT", "/api/v1/agent/inbox/subscription", body=json.dumps({"subscribed": True}).encode(), headers=bearer
        )
        assert status == 204
        expect(path).to_have_text("push: resource")

        sent = agent_call(web.daemon, main, "send_message", {"to": "app:tool", "body": "hello"})
        assert not sent.get("isError"), sent
        status, _, body = unix_request(web.daemon.socket, "GET", "/api/v1/agent/inbox", headers=bearer)
        assert status == 200 and json.loads(body)["count"] == 1 and b"hello" not in body
        page.reload()
        expect(path).to_have_text("push: resource")
        title = path.get_attribute("title")
        assert "last push " in title and "(resource)" in title and "last confirmed " in title, title
        expect(card.get_by_test_id("push-warning")).to_have_count(0)
    finally:
        stream.close()
