"""Issue 18, "Keyboard and details": toasts never cover Send, avatars differ for agents with the same initials, the
"finish setup" page shows the real address, password setup shows progress, the login warns before the lockout, and
the reconnecting indicator is visible (on a phone too)."""

from __future__ import annotations

from playwright.sync_api import expect

from web.conftest import PASSWORD, add_agent_in_ui, do_setup
from web.test_web_ui import sign_out


def overlaps(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def test_toasts_never_cover_send_and_avatars_differ(browser_page):
    web, page = browser_page, browser_page.page
    web.goto("agents")
    add_agent_in_ui(page, "app", "dev", runtime="custom", command="bash")
    add_agent_in_ui(page, "app", "devops", runtime="custom", command="bash")
    avatars = [page.locator(f'.agent-row[data-agent="app:{name}"]').get_by_test_id("agent-avatar") for name in ("dev", "devops")]
    assert [a.inner_text().strip() for a in avatars] == ["DE", "DE"]
    colours = [a.evaluate("e => getComputedStyle(e).backgroundColor + ' ' + getComputedStyle(e).color") for a in avatars]
    assert colours[0] != colours[1], colours

    for width, height in ((1280, 900), (360, 780)):
        page.set_viewport_size({"width": width, "height": height})
        web.goto("messages/app%3Adev")
        page.get_by_test_id("compose").fill(f"hello at {width}")
        page.get_by_test_id("send").click()
        toast = page.locator(".toast", has_text="is offline")
        expect(toast).to_be_visible()
        assert not overlaps(toast.bounding_box(), page.get_by_test_id("send").bounding_box()), width
        assert not overlaps(toast.bounding_box(), page.get_by_test_id("compose").bounding_box()), width
        page.evaluate("document.querySelectorAll('#toasts > *').forEach(t => t.remove())")


def test_setup_shows_the_real_address_and_its_progress(web_daemon, context):
    page = context.new_page()
    page.goto(f"{web_daemon.url}/setup")
    expect(page.get_by_test_id("setup-link-shape")).to_have_text(f"{web_daemon.url}/setup?token=…")

    held = []
    page.route("**/api/v1/auth/setup", lambda route: held.append(route))
    page.goto(web_daemon.info["setupURL"])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_test_id("setup-submit").click()
    expect(page.get_by_test_id("setup-progress")).to_be_visible()
    expect(page.get_by_test_id("setup-submit")).to_be_disabled()
    expect(page.get_by_test_id("setup-submit")).to_have_text("Setting the password…")
    assert len(held) == 1  # the request is held (the expects above ran the route handler)
    held[0].continue_()
    expect(page.get_by_test_id("recovery-code")).to_be_visible()


def test_the_login_warns_before_the_lockout(setup_done):
    page = setup_done.page
    sign_out(page)
    for attempt in (1, 2):
        page.get_by_label("Password").fill(f"wrong {attempt}")
        page.get_by_test_id("login-submit").click()
        expect(page.locator(".form-error")).to_contain_text(f"{attempt} of 5 failed attempts within a minute")
    expect(page.locator(".form-error")).to_contain_text("3 more and the sign-in locks for 15 minutes")


def test_the_reconnecting_indicator_shows_in_the_top_bar_on_a_phone(make_daemon, context):
    from conftest import free_ports

    port = str(free_ports(1)[0])
    daemon = make_daemon(start=False)
    daemon.start(port=port)
    page = do_setup(context.new_page(), daemon.info["setupURL"]).page
    page.set_viewport_size({"width": 360, "height": 780})
    indicator = page.locator("#conn-status")
    expect(indicator).to_be_hidden()
    daemon.cli("stop")
    expect(indicator).to_be_visible()
    expect(indicator).to_be_in_viewport()
    expect(indicator).to_have_text("Reconnecting…")
    daemon.start(port=port)
    expect(indicator).to_be_hidden(timeout=30_000)


def test_a_missing_runtime_is_marked_and_its_launch_error_points_to_settings(browser_page):
    web, page = browser_page, browser_page.page
    web.daemon.cli("runtime", "set", "pi", "--command", "/nonexistent/pi-agent")
    web.daemon.cli("agent", "add", "app:pie", "--runtime", "pi", "--workspace", "web")
    web.goto("settings/runtimes")
    page.get_by_test_id("detect-runtimes").click()
    expect(page.locator(".detect-list")).to_contain_text("not found")
    web.goto("agents")
    row = page.locator('.agent-row[data-agent="app:pie"]')
    expect(row.get_by_test_id("runtime-missing")).to_have_text("pi not installed")
    expect(row.get_by_test_id("launch")).not_to_have_class("button small primary")
    row.get_by_test_id("launch").click()
    toast = page.locator(".toast-error", has_text="Could not launch app:pie")
    expect(toast).to_contain_text("Settings → Runtimes")
    text = toast.inner_text()
    assert text.lower().count("launch app:pie") == 1 and "cannot launch" not in text.lower(), text
    toast.get_by_role("button", name="Settings → Runtimes").click()
    expect(page).to_have_url(f"{web.base}/#/settings/runtimes")
