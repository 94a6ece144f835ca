"""The colleague protocol settings in a real browser (SPEC §6.4 "together with the workspace's colleague protocol
(…; editable in Settings)"): the workspace's text is edited with the server's refusals shown, reaches the next launch's
system prompt (a fake `claude` records its argv) and resets to the built-in text.

Fixtures from conftest.py: ``browser_page`` (logged in, workspace ``web`` with repo ``app``), ``screenshot``; from the
parent conftest: ``make_dir``. Nothing sleeps to wait: Playwright's expect, and a file poll with a deadline.
"""

from __future__ import annotations

import json
import stat
import sys
import time
from pathlib import Path

from playwright.sync_api import expect

EDITED = "# House rules\nAsk app:main before touching the schema. MARKER-7f3a \"quoted\" and 'ticked'."


def fake_claude(directory: str) -> tuple[str, Path]:
    """A `claude` that writes its argv as JSON to a file, then waits on its terminal (the session stays live)."""
    out = Path(directory) / "claude-argv.json"
    path = Path(directory) / "claude"
    path.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(out)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
        "sys.stdin.read()\n"
    )
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path), out


def wait_for_file(path: Path, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size > 0:
            return path.read_text()
        time.sleep(0.05)  # polling a file the agent writes, with a deadline
    raise AssertionError(f"{path} was not written within {timeout} s")


def test_the_colleague_protocol_is_edited_per_workspace_and_reaches_the_launch(browser_page, screenshot, make_dir):
    web, page = browser_page, browser_page.page
    web.goto("settings/protocol")
    editor = page.get_by_test_id("protocol-editor")
    status = page.get_by_test_id("protocol-status")
    expect(status).to_contain_text("built-in default")
    expect(page.get_by_test_id("protocol-reset")).to_be_disabled()
    assert editor.input_value().startswith("# Working with colleagues (WhatsAgent)")

    # The server's refusals show in the form; nothing is stored.
    editor.fill("   ")
    page.get_by_test_id("protocol-save").click()
    expect(page.get_by_test_id("protocol-error")).to_contain_text("the colleague protocol is empty")
    page.evaluate("document.querySelector('[data-testid=protocol-editor]').removeAttribute('maxlength')")
    editor.fill("x" * 20_001)
    page.get_by_test_id("protocol-save").click()
    expect(page.get_by_test_id("protocol-error")).to_contain_text("at most 20000 characters (got 20001)")
    assert web.api("GET", "/api/v1/workspaces/web/colleague-protocol")[1]["isDefault"] is True

    # Save a text: the page says it is edited, and a reload shows it.
    editor.fill(EDITED)
    page.get_by_test_id("protocol-save").click()
    expect(status).to_contain_text("edited for this workspace")
    expect(page.get_by_test_id("protocol-error")).to_be_hidden()
    page.reload()
    expect(page.get_by_test_id("protocol-status")).to_contain_text("edited for this workspace")
    expect(page.get_by_test_id("protocol-editor")).to_have_value(EDITED)
    stored = web.api("GET", "/api/v1/workspaces/web/colleague-protocol")[1]
    assert stored["text"] == EDITED and stored["isDefault"] is False
    screenshot(page, "settings-protocol-edited")

    # The next launch of a Claude agent gets the edited text in --append-system-prompt, before its persona.
    command, argv_file = fake_claude(make_dir())
    web.daemon.cli("agent", "add", "app:cl", "--runtime", "claude", "--command", command)
    web.daemon.cli("agent", "launch", "app:cl")
    argv = json.loads(wait_for_file(argv_file))
    prompt = argv[argv.index("--append-system-prompt") + 1]
    assert prompt.startswith(EDITED), prompt[:200]
    assert "# Working with colleagues (WhatsAgent)" not in prompt

    # Reset to the built-in text.
    page.get_by_test_id("protocol-reset").click()
    page.locator("dialog[open]").get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("protocol-status")).to_contain_text("built-in default")
    assert page.get_by_test_id("protocol-editor").input_value().startswith("# Working with colleagues (WhatsAgent)")
    assert web.api("GET", "/api/v1/workspaces/web/colleague-protocol")[1]["isDefault"] is True


def test_workspace_set_edits_the_colleague_protocol_from_the_cli(browser_page, make_dir):
    web = browser_page
    text_file = Path(make_dir()) / "protocol.md"
    text_file.write_text("# From the CLI\nReply within a minute.\n")

    out = web.daemon.cli("workspace", "set", "web", "--colleague-protocol-file", str(text_file)).stdout
    assert "uses its own colleague protocol" in out, out
    stored = web.api("GET", "/api/v1/workspaces/web/colleague-protocol")[1]
    assert stored == {**stored, "text": "# From the CLI\nReply within a minute.\n", "isDefault": False}
    web.goto("settings/protocol")
    expect(web.page.get_by_test_id("protocol-status")).to_contain_text("edited for this workspace")

    text_file.write_text("  \n")
    refused = web.daemon.cli("workspace", "set", "web", "--colleague-protocol-file", str(text_file), check=False)
    assert refused.returncode != 0 and "the colleague protocol is empty" in refused.stderr, refused
    bad = web.daemon.cli("workspace", "set", "web", "--colleague-protocol", "mine", check=False)
    assert bad.returncode != 0 and "--colleague-protocol-file FILE" in bad.stderr, bad

    out = web.daemon.cli("workspace", "set", "web", "--colleague-protocol", "default").stdout
    assert "uses the built-in colleague protocol" in out, out
    assert web.api("GET", "/api/v1/workspaces/web/colleague-protocol")[1]["isDefault"] is True
