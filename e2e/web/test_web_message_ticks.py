"""The messages page's delivery ticks (SPEC §7.2, issue 16): the human's message shows queued, pushed, surfaced and
acknowledged as ticks, live (each `message_state` event), with the time of each step on hover. The agent is driven
through the agent protocol on the daemon's socket: it holds its events stream (the push), calls check_messages (the
lease) and acknowledges it."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from conftest import UnixHTTPConnection, agent_call, unix_request


def test_the_four_states_show_as_ticks_with_their_times_on_hover(browser_page):
    web, page = browser_page, browser_page.page
    web.daemon.cli("agent", "add", "app:dev", "--runtime", "claude", "--workspace", "web")
    web.daemon.cli("agent", "set-main", "app:dev", "--workspace", "web")
    token = web.daemon.cli("agent", "connect", "app:dev", "--workspace", "web", json=True)["environment"]["WHATSAGENT_SESSION_TOKEN"]
    bearer = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    web.goto("messages/app%3Adev")
    page.get_by_test_id("compose").fill("tick tock")
    page.get_by_test_id("send").click()
    mine = page.locator(".bubble.out", has_text="tick tock")
    tick = mine.get_by_test_id("tick")
    # Not connected: stored, nothing told the agent yet. One faint tick.
    expect(mine).to_have_attribute("data-state", "queued")
    expect(tick).to_have_text("✓")
    expect(tick).to_have_class("tick tick-queued")
    queued = tick.get_attribute("title").split("\n")
    assert queued[0] == "Queued: stored for the agent" and len(queued) == 2 and queued[1].startswith("queued "), queued

    # The agent holds its events stream: the waiting message is pushed through its channel.
    stream = UnixHTTPConnection(web.daemon.socket)
    try:
        stream.request("GET", "/api/v1/agent/events", headers=bearer)
        assert stream.getresponse().status == 200
        expect(mine).to_have_attribute("data-state", "pushed")
        expect(tick).to_have_text("✓")
        expect(tick).to_have_class("tick tick-pushed")
        title = tick.get_attribute("title")
        assert title.startswith("Pushed: a hint went out to the agent\nqueued ") and " (channel)" in title, title

        # check_messages returns it to the agent's client: surfaced, two grey ticks.
        result = agent_call(web.daemon, token, "check_messages", {"limit": 10})
        assert "tick tock" in result["text"]
        expect(mine).to_have_attribute("data-state", "surfaced")
        expect(tick).to_have_text("✓✓")
        expect(tick).to_have_class("tick tick-surfaced")
        assert "\nsurfaced " in tick.get_attribute("title")

        # The lease is acknowledged: two blue ticks, every step's time on hover.
        status, _, _ = unix_request(
            web.daemon.socket, "POST", "/api/v1/agent/ack", body=json.dumps({"leaseId": result["leaseId"]}).encode(), headers=bearer
        )
        assert status == 204
        expect(mine).to_have_attribute("data-state", "acknowledged")
        expect(tick).to_have_text("✓✓")
        expect(tick).to_have_class("tick tick-acknowledged")
        lines = tick.get_attribute("title").split("\n")
        assert lines[0] == "Acknowledged: the agent\u2019s client has it", lines
        assert [line.split(" ")[0] for line in lines[1:]] == ["queued", "pushed", "surfaced", "acknowledged"], lines
        assert lines[2].endswith("(channel)")
        color = tick.evaluate("el => getComputedStyle(el).color")
        queued_color = page.evaluate(
            "() => { const s = document.createElement('span'); s.className = 'tick'; document.body.append(s);"
            " const c = getComputedStyle(s).color; s.remove(); return c; }"
        )
        assert color != queued_color, "acknowledged ticks are coloured"
    finally:
        stream.close()
