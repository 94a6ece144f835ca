"""Web UI page-load rows of `make bench` (docs/benchmarks.md): headless Debian Chromium, driven by Playwright, loads the
agents page with 50 agents and the board page with 1,000 tasks from a release daemon, each load in a fresh browser
context (empty HTTP cache, the login's cookie only).

What is timed: navigation start (the page's `performance.timeOrigin`) → the moment the last expected row is in the
DOM. An init script (`add_init_script`, run before any of the page's own scripts) installs a MutationObserver on the
document that reads `performance.now()` in the first mutation callback where the rows are all there, so the number is
the page's own clock, not Playwright's polling: Playwright only waits (on a marker attribute) for the recorded value.

The workspace: 5 repos × 10 agents; 15 agents with a live external session (a `whatsagent mcp` process holding its
events stream, so the presence dot is green) that called `set_summary`, 10 more connected whose process never started
(the "connected session, offline" state), 25 never started. Logged in through the real first-run setup page.

Usage: python bench/web_page_load.py --whatsagent .build/release/whatsagent [--runs N] [--board-runs N] [--json]
Without --json it prints the rows as a Markdown table; with --json one object (the Swift bench reads it). When
Chromium is missing it reports `{"skipped": "..."}` (or a table row saying so) and exits 0.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

CHROMIUM = os.environ.get("WHATSAGENT_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "bench page-load password"
REPOS = 5
AGENTS_PER_REPO = 10
LIVE = 15
CONNECTED_OFFLINE = 10
BOARD_TASKS = 1_000
TIMEOUT_MS = 30_000

# Records performance.now() once `selector` matches `count` elements (checked on every DOM mutation batch).
OBSERVER = """
(() => {
  const spec = %s;
  const check = () => {
    if (window.__waRendered !== undefined) return;
    if (document.querySelectorAll(spec.selector).length >= spec.count) {
      window.__waRendered = performance.now();
      observer.disconnect();
      document.documentElement.setAttribute('data-wa-rendered', String(window.__waRendered));
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
})();
"""


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str):
        super().__init__("localhost", timeout=30)
        self.unix_path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


class Daemon:
    """A release daemon in a fresh /tmp home, started and stopped with the real CLI."""

    def __init__(self, binary: str):
        self.binary = binary
        self.home = tempfile.mkdtemp(prefix="wab-", dir="/tmp")  # short: the socket path stays under 107 bytes
        self.environment = {k: v for k, v in os.environ.items() if not k.startswith("WHATSAGENT_")}
        self.info = json.loads(self.cli("start", "--port", "0", "--json"))
        self.children: list[subprocess.Popen] = []

    def cli(self, *args: str) -> str:
        proc = subprocess.run([self.binary, *args, "--home", self.home], capture_output=True, text=True, env=self.environment)
        if proc.returncode != 0:
            raise RuntimeError(f"`whatsagent {' '.join(args)}` failed ({proc.returncode}): {proc.stderr.strip()}")
        return proc.stdout

    def request(self, method: str, target: str, body=None):
        connection = UnixHTTPConnection(self.info["socket"])
        try:
            data = json.dumps(body).encode() if body is not None else None
            connection.request(method, target, body=data, headers={"Content-Type": "application/json"} if data else {})
            response = connection.getresponse()
            raw = response.read()
            if response.status >= 300:
                raise RuntimeError(f"{method} {target}: {response.status} {raw[:300]!r}")
            return json.loads(raw) if raw else None
        finally:
            connection.close()

    def stop(self) -> None:
        for child in self.children:
            if child.poll() is None:
                child.stdin.close()
                try:
                    child.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
        subprocess.run([self.binary, "stop", "--all", "--home", self.home], capture_output=True, env=self.environment)
        shutil.rmtree(self.home, ignore_errors=True)


class MCPProcess:
    """`whatsagent mcp` with an agent's session environment: newline-delimited JSON-RPC on stdin/stdout."""

    def __init__(self, daemon: Daemon, environment: dict[str, str]):
        self.proc = subprocess.Popen(
            [daemon.binary, "mcp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**daemon.environment, **environment},
            text=True,
        )
        daemon.children.append(self.proc)
        self.next_id = 0

    def call(self, method: str, params: dict) -> dict:
        self.next_id += 1
        self.proc.stdin.write(json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}) + "\n")
        self.proc.stdin.flush()
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("`whatsagent mcp` exited")
            message = json.loads(line)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def notify(self, method: str) -> None:
        self.proc.stdin.write(json.dumps({"jsonrpc": "2.0", "method": method}) + "\n")
        self.proc.stdin.flush()


def seed_agents(daemon: Daemon) -> None:
    daemon.cli("workspace", "add", "bench", "--topology", "p2p", "--rate-limit", "off")
    index = 0
    for r in range(REPOS):
        repo = f"{daemon.home}/repo-{r}"
        os.makedirs(repo)
        daemon.cli("repo", "add", repo, "--name", f"svc{r}")
        for a in range(AGENTS_PER_REPO):
            address = f"svc{r}:agent{a}"
            daemon.cli("agent", "add", address, "--runtime", ["claude", "codex", "opencode", "pi"][index % 4])
            if index < LIVE + CONNECTED_OFFLINE:
                connection = json.loads(daemon.cli("agent", "connect", address, "--json"))
                if index < LIVE:
                    mcp = MCPProcess(daemon, connection["environment"])
                    mcp.call(
                        "initialize",
                        {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}},
                    )
                    mcp.notify("notifications/initialized")
                    summary = f"Working on ticket WA-{100 + index}: refactoring the {['parser', 'cache', 'router'][index % 3]} of svc{r}"
                    result = mcp.call("tools/call", {"name": "set_summary", "arguments": {"summary": summary}})
                    if result.get("isError"):
                        raise RuntimeError(f"set_summary for {address}: {result}")
            index += 1


def seed_board(daemon: Daemon) -> None:
    """1,000 tasks over the socket's REST API, spread over the statuses and the agents."""
    statuses = ["Backlog", "Queued", "In Progress", "Blocked", "Review", "Completed"]
    for index in range(BOARD_TASKS):
        body = {
            "title": f"Task {index}: improve the {['search', 'login', 'export', 'sync'][index % 4]} path",
            "details": "Seeded by the page-load bench. " * 4,
            "assignedTo": f"svc{index % REPOS}:agent{index % AGENTS_PER_REPO}",
            "status": statuses[index % len(statuses)],
            "priority": f"P{index % 4}",
        }
        daemon.request("POST", "/api/v1/workspaces/bench/board/tasks", body)


def log_in(browser, daemon: Daemon) -> dict:
    """First-run setup through the page; returns the storage state (the session cookie) for fresh contexts."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(daemon.info["setupURL"])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_test_id("setup-submit").click()
    expect(page.get_by_test_id("recovery-code")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_test_id("setup-continue").click()
    expect(page.locator("#nav .nav-link").first).to_be_visible(timeout=TIMEOUT_MS)
    state = context.storage_state()
    context.close()
    return state


def load_times(browser, state: dict, url: str, selector: str, count: int, runs: int, check=None) -> tuple[list[float], dict]:
    """`runs` loads of `url`, each in a new context; ms from navigation start to `count` matches of `selector`."""
    samples: list[float] = []
    details: dict = {}
    for run in range(runs + 1):  # the first load warms the daemon and Chromium's process pool, not measured
        context = browser.new_context(viewport={"width": 1280, "height": 900}, storage_state=state)
        errors: list[str] = []
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.add_init_script(OBSERVER % json.dumps({"selector": selector, "count": count}))
        page.goto(url, wait_until="commit")
        # A selector wait, not wait_for_function: the page's CSP (script-src 'self') forbids the eval it needs.
        page.wait_for_selector("html[data-wa-rendered]", state="attached", timeout=TIMEOUT_MS)
        rendered = page.evaluate("window.__waRendered")
        found = page.evaluate("s => document.querySelectorAll(s).length", selector)
        if found != count:
            raise RuntimeError(f"{url}: {found} elements match {selector}, expected {count}")
        if check:
            details = check(page)
        if errors:
            raise RuntimeError(f"{url}: uncaught errors in the page: {errors}")
        if run > 0:
            samples.append(rendered)
        context.close()
    return samples, details


def percentile(values: list[float], p: float) -> float:
    """Nearest rank, as the Swift bench's Stats.percentile."""
    ordered = sorted(values)
    rank = math.ceil(p / 100 * len(ordered))
    return ordered[min(max(rank, 1), len(ordered)) - 1]


def measure(binary: str, runs: int, board_runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    daemon = Daemon(binary)
    try:
        log(f"web page load: {REPOS * AGENTS_PER_REPO} agents in {REPOS} repos ({LIVE} live with a summary), {BOARD_TASKS} tasks")
        seed_agents(daemon)
        if board_runs:
            seed_board(daemon)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
            try:
                state = log_in(browser, daemon)
                agents = REPOS * AGENTS_PER_REPO

                def agents_check(page) -> dict:
                    return {
                        "online": page.locator(".agent-row.presence-online").count(),
                        "summaries": page.locator(".agent-row .agent-summary").count(),
                    }

                log(f"web page load: #/agents × {runs}")
                agent_ms, seen = load_times(browser, state, f"{daemon.info['url']}/#/agents", ".agent-row", agents, runs, agents_check)
                if seen["online"] != LIVE or seen["summaries"] != LIVE:
                    raise RuntimeError(f"the agents page shows {seen} online/summaries, expected {LIVE} each")
                result = {"agents": agents, "live": LIVE, "agentRuns": agent_ms}
                if board_runs:
                    log(f"web page load: #/board × {board_runs}")
                    board_ms, _ = load_times(
                        browser, state, f"{daemon.info['url']}/#/board", '[data-testid="task-card"]', BOARD_TASKS, board_runs
                    )
                    result.update({"tasks": BOARD_TASKS, "boardRuns": board_ms})
                result["chromium"] = browser.version
                return result
            finally:
                browser.close()
    finally:
        daemon.stop()


def rows(result: dict) -> list[tuple[str, str]]:
    def fmt(values: list[float]) -> str:
        return f"p50 {percentile(values, 50):.0f} ms, p95 {percentile(values, 95):.0f} ms ({len(values)} loads)"

    out = [(f"web: agents page load, {result['agents']} agents ({result['live']} live), navigation → last row", fmt(result["agentRuns"]))]
    if "boardRuns" in result:
        out.append((f"web: board page load, {result['tasks']:,} tasks, navigation → last card", fmt(result["boardRuns"])))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--whatsagent", required=True)
    parser.add_argument("--runs", type=int, default=30, help="measured loads of #/agents (default 30)")
    parser.add_argument("--board-runs", type=int, default=20, help="measured loads of #/board (default 20; 0 skips)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of table rows")
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        reason = f"{CHROMIUM} is missing (`make setup-system` installs the Debian chromium package)"
        print(json.dumps({"skipped": reason}) if args.json else f"| web: page-load rows | skipped: {reason} | — | — |")
        return 0
    try:
        import playwright  # noqa: F401
    except ImportError:
        reason = "Playwright is not installed in this Python (`make setup-python` installs it into .build/venv)"
        print(json.dumps({"skipped": reason}) if args.json else f"| web: page-load rows | skipped: {reason} | — | — |")
        return 0
    started = time.monotonic()
    result = measure(os.path.abspath(args.whatsagent), args.runs, args.board_runs)
    result["seconds"] = time.monotonic() - started
    if args.json:
        print(json.dumps(result))
    else:
        for what, measured in rows(result):
            print(f"| {what} | {measured} | — | (no goal) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
