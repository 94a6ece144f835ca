"""The connect dialog answers "how do I connect Claude Code / Codex / OpenCode?" (issue 18, "Onboarding"): for each
runtime it shows what `whatsagent agent connect --print-config <runtime>` prints, rendered in the page from the one
connect response, with a copy button. The test compares each tab with the CLI's text for the same agent; the values
that belong to one session (its id, token and MCP config file) are replaced by placeholders on both sides."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from web.conftest import add_agent_in_ui

SESSION_VALUES = ("WHATSAGENT_SESSION_ID", "WHATSAGENT_SESSION_TOKEN", "WHATSAGENT_MCP_CONFIG")


def normalize_shell(text: str) -> str:
    for name in SESSION_VALUES:
        text = re.sub(rf"^export {name}='[^']*'$", f"export {name}=<{name}>", text, flags=re.M)
    return re.sub(r"--mcp-config ('[^']*'|\S+)", "--mcp-config <path>", text)


def normalize_json(text: str) -> dict:
    value = json.loads(text)
    entry = value.get("mcpServers", value.get("mcp", {}))["whatsagent"]
    env = entry.get("env", entry.get("environment"))
    for name in SESSION_VALUES:
        assert env.get(name), (name, env)
        env[name] = f"<{name}>"
    return value


def test_the_connect_dialog_shows_what_the_cli_prints_for_each_runtime(browser_page):
    web, page = browser_page, browser_page.page
    web.goto("agents")
    add_agent_in_ui(page, "app", "ext", runtime="codex")
    row = page.locator('.agent-row[data-agent="app:ext"]')
    row.get_by_role("button", name="More actions for app:ext").click()
    row.get_by_role("menuitem", name="Connect external…").click()
    dialog = page.locator("dialog[open]")
    # The agent's own runtime is the tab shown first; the others are one click away.
    expect(dialog.get_by_role("tab", name="Codex")).to_have_attribute("aria-selected", "true")
    expect(dialog.get_by_test_id("connect-config-codex")).to_be_visible()
    expect(dialog.get_by_test_id("connect-config-claude")).to_be_hidden()
    shown = {fmt: dialog.get_by_test_id(f"connect-config-{fmt}").text_content() for fmt in ("claude", "codex", "opencode", "json")}
    dialog.get_by_role("tab", name="Claude Code").click()
    expect(dialog.get_by_test_id("connect-config-claude")).to_be_visible()
    expect(dialog.get_by_role("button", name="Copy the Claude Code configuration")).to_be_visible()
    dialog.get_by_role("button", name="Close").first.click()

    assert shown["claude"].startswith("claude --mcp-config ")
    assert shown["claude"].endswith(" --dangerously-load-development-channels server:whatsagent --allowedTools mcp__whatsagent")
    assert 'mcp_servers.whatsagent.default_tools_approval_mode="approve"' in shown["codex"]
    token = json.loads(shown["json"])["mcpServers"]["whatsagent"]["env"]["WHATSAGENT_SESSION_TOKEN"]
    assert f"export WHATSAGENT_SESSION_TOKEN='{token}'" in shown["codex"]
    assert token not in shown["claude"]

    for fmt in ("claude", "codex", "opencode", "json"):
        printed = web.daemon.cli("agent", "connect", "app:ext", "--workspace", "web", "--replace", "--print-config", fmt).stdout.rstrip("\n")
        if fmt in ("claude", "codex"):
            assert normalize_shell(shown[fmt]) == normalize_shell(printed), (fmt, shown[fmt], printed)
        else:
            assert normalize_json(shown[fmt]) == normalize_json(printed), (fmt, shown[fmt], printed)
            # Same layout too (sorted keys, Foundation's indentation), not only the same values.
            assert [line.split(":")[0] for line in shown[fmt].splitlines()] == [line.split(":")[0] for line in printed.splitlines()]
