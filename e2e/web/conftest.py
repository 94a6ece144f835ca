"""Fixtures for the browser end-to-end tests: headless Debian Chromium driven by Playwright (no `playwright install`).

Reuse from other files in this folder (pytest finds the fixtures by name):

- ``web_daemon`` — a running daemon on a fresh home and port 0 (the parent conftest's ``Daemon``), serving the web UI
  from the build tree.
- ``browser`` — one headless Chromium for the whole session.
- ``context`` — a fresh browser context (own cookies) at 1280x900; page errors are collected and fail the test.
- ``setup_done`` — first-run setup done through the browser: ``SetupResult(page, password, recovery_code)``.
- ``browser_page`` — a logged-in page with a workspace ``web`` (current) and a repo ``app``; ``WebPage`` gives
  ``.page``, ``.daemon``, ``.password``, ``.repo_path``, ``.goto(route)`` (hash route, waits for the page to load)
  and ``.api(method, path, body)`` (the daemon's API over the Unix socket, as the owner).
- ``screenshot(page, name)`` — writes ``<name>-1280.png``, ``<name>-360.png`` (light) and ``<name>-dark-1280.png``,
  ``<name>-dark-360.png`` (the system preference emulated as dark) to ``.build/e2e-artifacts/screenshots/`` (created on
  demand, git-ignored) and restores the viewport and the light preference.

Helpers (``from web.conftest import …``): ``do_setup(page, setup_url)``, ``wait_idle(page)``,
``create_workspace_in_ui(page, name, topology)``, ``add_repo_in_ui(page, path, name)``,
``add_agent_in_ui(page, repo, name, runtime, command, args, main)``, ``PASSWORD``.

No sleeps anywhere: Playwright's auto-waiting ``expect`` and ``wait_for_function`` with timeouts.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from conftest import Daemon

CHROMIUM = os.environ.get("WHATSAGENT_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ".build" / "e2e-artifacts" / "screenshots"
PASSWORD = "correct horse battery staple"
WIDTHS = {1280: 900, 360: 780}
SCHEMES = ("light", "dark")
TIMEOUT_MS = 20_000

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make setup-system` installs the Debian chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        yield browser
        browser.close()


@pytest.fixture
def web_daemon(make_daemon) -> Daemon:
    daemon = make_daemon()
    assert "setupURL" in daemon.info, daemon.info
    return daemon


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test item, so the ``context`` fixture knows in teardown whether it failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def describe_pages(context) -> str:
    """Where each page of ``context`` is and what its main area says: printed when a test failed, since a locator
    that matched nothing does not show the page in its message."""
    lines = []
    for page in context.pages:
        try:
            text = page.locator("main").inner_text(timeout=2_000)
        except Exception as error:  # a closed or crashed page still gets its line
            text = f"(main unreadable: {error})"
        lines.append(f"page {page.url}\n{text[:3000]}")
    return "\n".join(lines)


@pytest.fixture
def context(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    context.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    console: list[str] = []
    context.on("page", lambda page: page.on("pageerror", lambda error: errors.append(str(error))))
    context.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    context.errors = errors
    yield context
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        print(f"--- the browser when the test failed ---\n{describe_pages(context)}\n--- console ---")
        print("\n".join(console[-40:]))
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@dataclass
class SetupResult:
    page: Page
    password: str
    recovery_code: str


def wait_idle(page: Page) -> None:
    """Waits until the routed page finished loading (no `.loading` placeholder left)."""
    expect(page.locator("main .loading")).to_have_count(0)


def do_setup(page: Page, setup_url: str, password: str = PASSWORD) -> SetupResult:
    page.goto(setup_url)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat the password").fill(password)
    page.get_by_test_id("setup-submit").click()
    code = page.get_by_test_id("recovery-code")
    expect(code).to_be_visible()
    recovery = code.inner_text().strip()
    assert len(recovery) >= 8, recovery
    page.get_by_test_id("setup-continue").click()
    expect(page.locator("#nav .nav-link").first).to_be_visible()
    return SetupResult(page, password, recovery)


@pytest.fixture
def setup_done(web_daemon, context) -> SetupResult:
    page = context.new_page()
    return do_setup(page, web_daemon.info["setupURL"])


@dataclass
class WebPage:
    page: Page
    daemon: Daemon
    password: str
    recovery_code: str
    repo_path: str = ""
    made: list = field(default_factory=list)

    @property
    def base(self) -> str:
        return self.daemon.url

    def goto(self, route: str) -> Page:
        """Opens ``#/<route>`` and waits for it to render."""
        self.page.goto(f"{self.base}/#/{route}")
        wait_idle(self.page)
        return self.page

    def api(self, method: str, path: str, body=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else None
        status, _, raw = self.daemon.request(method, path, body=data, headers=headers)
        return status, (json.loads(raw) if raw else None)


def create_workspace_in_ui(page: Page, name: str, topology: str = "star") -> None:
    page.goto(page.url.split("#")[0] + "#/workspaces")
    page.get_by_test_id("create-workspace").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_label("Topology").select_option(topology)
    dialog.get_by_role("button", name="Create").click()
    expect(dialog).to_have_count(0)
    expect(page.locator(f'.workspace-card[data-workspace="{name}"]')).to_be_visible()
    expect(page.locator("#workspace-select")).to_have_value(
        page.locator(f'#workspace-select option:text-is("{name}")').get_attribute("value")
    )


def add_repo_in_ui(page: Page, path: str, name: str) -> None:
    page.goto(page.url.split("#")[0] + "#/agents")
    page.get_by_test_id("add-repo").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Absolute path").fill(path)
    dialog.get_by_label("Name (optional)").fill(name)
    dialog.get_by_role("button", name="Add").click()
    expect(dialog).to_have_count(0)
    expect(page.locator(f'.repo-group[data-repo="{name}"]')).to_be_visible()


def add_agent_in_ui(page: Page, repo: str, name: str, runtime: str = "custom", command: str = "", args: list[str] | None = None, main: bool = False) -> None:
    page.get_by_test_id("add-agent").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Repo", exact=True).select_option(repo)
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_label("Runtime").select_option(runtime)
    if command:
        dialog.get_by_label("Command (optional)").fill(command)
    if args:
        dialog.get_by_label("Arguments (one per line)").fill("\n".join(args))
    if main:
        dialog.get_by_label("Make it the main agent").check()
    dialog.get_by_role("button", name="Add agent").click()
    expect(dialog).to_have_count(0)
    expect(page.locator(f'.agent-row[data-agent="{repo}:{name}"]')).to_be_visible()


@pytest.fixture
def browser_page(web_daemon, setup_done) -> WebPage:
    repo = tempfile.mkdtemp(prefix="wr-web-")
    page = setup_done.page
    create_workspace_in_ui(page, "web")
    add_repo_in_ui(page, repo, "app")
    web = WebPage(page, web_daemon, setup_done.password, setup_done.recovery_code, repo)
    yield web
    # Agents launched from the page outlive a plain `stop` (runners survive daemon restarts): stop them too.
    web_daemon.cli("stop", "--all", check=False)
    shutil.rmtree(repo, ignore_errors=True)


@pytest.fixture
def screenshot():
    """``screenshot(page, name)`` → the four PNG paths (1280 px and 360 px wide, light and dark)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> list[Path]:
        original = page.viewport_size
        paths = []
        try:
            for scheme in SCHEMES:
                page.emulate_media(color_scheme=scheme)
                for width, height in WIDTHS.items():
                    page.set_viewport_size({"width": width, "height": height})
                    page.wait_for_function("w => window.innerWidth === w", arg=width)
                    wait_idle(page)
                    page.evaluate("document.fonts.ready")
                    page.evaluate("document.querySelectorAll('#toasts > *').forEach(t => t.remove())")
                    suffix = f"-{width}" if scheme == "light" else f"-{scheme}-{width}"
                    path = SCREENSHOTS / f"{name}{suffix}.png"
                    page.screenshot(path=str(path), full_page=False, animations="disabled")
                    paths.append(path)
        finally:
            page.emulate_media(color_scheme="light")
            if original:
                page.set_viewport_size(original)
        return paths

    return take
