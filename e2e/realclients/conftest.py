"""Fixtures of the real-client tests (issue 15): the real Claude Code 2.1.337 and Codex CLI 0.147.0 (fetched by
`make real-clients` into .build/real-clients, or WA_REAL_CLIENTS), scripted fake models, and a team to talk to.

Every test of this folder runs in a private network namespace with only loopback (``netns.LoopbackOnly``): the test
process moves there before the first test of the folder and back after the last, so the daemon, its runners, the
CLIs, their MCP servers and the fake models all live there and nothing can leave the machine."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time

import pytest

from realclients import netns
from conftest import Daemon
from realclients.fake_models import FakeAnthropic, FakeOpenAI

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLIENTS = os.environ.get("WA_REAL_CLIENTS") or os.path.join(ROOT, ".build", "real-clients")
CLAUDE = os.path.join(CLIENTS, "claude")
CODEX = os.path.join(CLIENTS, "codex")
# Short: a key Claude stores whole in customApiKeyResponses (it keeps the last 20 characters).
API_KEY = "sk-wa-test-key-0001"


@pytest.fixture(scope="package", autouse=True)
def loopback_only():
    for path in (CLAUDE, CODEX):
        assert os.access(path, os.X_OK), f"{path} is missing: run `make real-clients` (scripts/real-clients.sh)"
    namespace = netns.LoopbackOnly()
    namespace.enter()
    try:
        yield namespace
    finally:
        namespace.leave()


@pytest.fixture
def anthropic():
    fake = FakeAnthropic([])
    yield fake
    fake.close()


@pytest.fixture
def openai():
    fake = FakeOpenAI([])
    yield fake
    fake.close()


class Team:
    """A daemon whose environment is the test user's (HOME with Claude's and Codex's settings, the fake models), a
    workspace `team` (star topology) with repo `api` and agents `api:main` (the main agent) and `api:dev`."""

    def __init__(self, anthropic: FakeAnthropic, openai: FakeOpenAI):
        self.home = tempfile.mkdtemp(prefix="wu-")  # the user's HOME
        self.repo = tempfile.mkdtemp(prefix="wp-")  # the repo the agents work in
        self.codex_home = os.path.join(self.home, ".codex")
        os.makedirs(self.codex_home)
        self.anthropic, self.openai = anthropic, openai
        self.dev_token = ""  # api:dev's session token (scenario.prepare connects it)
        self.connect_token = ""  # the token of the session whose config a test printed
        self.env = {
            # `claude` and `codex` on PATH, as a user has them: the printed commands run as printed.
            "PATH": CLIENTS + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.home,
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "ANTHROPIC_BASE_URL": anthropic.url,
            "ANTHROPIC_API_KEY": API_KEY,
            "CODEX_HOME": self.codex_home,
            "FAKE_OPENAI_KEY": "fake-key",
            "DISABLE_AUTOUPDATER": "1",
            "DISABLE_ERROR_REPORTING": "1",
        }
        self.write_codex_config()
        self.daemon = Daemon()
        self.daemon.start(env=self.env)
        self.cli("workspace", "add", "team")
        self.cli("repo", "add", self.repo, "--name", "api")

    # -- the user's settings ----------------------------------------------------------------------------------

    def seed_claude(self, trust: bool = True, api_key: bool = True, channels_flag: bool = True) -> None:
        """~/.claude.json as after the user's own first run: onboarding done, and — unless a test answers the prompts
        itself — the folder trusted and the API key approved. ``channels_flag`` stands in for the online feature flag
        that enables channels (`cachedGrowthBookFeatures.tengu_harbor`)."""
        settings: dict = {"hasCompletedOnboarding": True, "hasSeenAutoDefaultNotice": True,
                          "lastReleaseNotesSeen": "2.1.337"}
        if trust:
            settings["projects"] = {self.repo: {"hasTrustDialogAccepted": True}}
        if api_key:
            settings["customApiKeyResponses"] = {"approved": [API_KEY[-20:]], "rejected": []}
        if channels_flag:
            settings["cachedGrowthBookFeatures"] = {"tengu_harbor": True}
        with open(os.path.join(self.home, ".claude.json"), "w", encoding="utf-8") as handle:
            json.dump(settings, handle)

    def write_codex_config(self) -> None:
        with open(os.path.join(self.codex_home, "config.toml"), "w", encoding="utf-8") as handle:
            handle.write(
                'model = "fake-model"\nmodel_provider = "fake"\n\n'
                f'[model_providers.fake]\nname = "fake"\nbase_url = "{self.openai.url}/v1"\n'
                'wire_api = "responses"\nenv_key = "FAKE_OPENAI_KEY"\n\n'
                f'[projects."{self.repo}"]\ntrust_level = "trusted"\n'
            )

    # -- the daemon ---------------------------------------------------------------------------------------------

    def cli(self, *args: str, json: bool = False, check: bool = True):
        return self.daemon.cli(*args, json=json, check=check)

    def connect(self, address: str) -> dict:
        """`agent connect ADDRESS --json`: the session's environment (token included)."""
        return self.cli("agent", "connect", address, json=True)

    def printed_config(self, address: str, runtime: str) -> str:
        return self.cli("agent", "connect", address, "--print-config", runtime).stdout

    def session_tokens(self) -> set[str]:
        """Every session token the daemon handed out, read from the generated 0600 MCP config files."""
        tokens = set()
        for path in glob.glob(os.path.join(self.daemon.home, "workspaces", "*", "run", "*.mcp.json")):
            with open(path, encoding="utf-8") as handle:
                for server in json.load(handle).get("mcpServers", {}).values():
                    token = server.get("env", {}).get("WHATSAGENT_SESSION_TOKEN")
                    if token:
                        tokens.add(token)
        return tokens

    def thread(self, peer: str) -> list[tuple[str, str, str]]:
        messages = self.cli("msg", "thread", peer, json=True)["messages"]
        return [(m["from"], m["to"], m["body"]) for m in sorted(messages, key=lambda m: m["sentAt"])]

    def close(self) -> None:
        try:
            self.cli("stop", "--all", check=False)
        finally:
            self.daemon.teardown()
            shutil.rmtree(self.home, ignore_errors=True)
            shutil.rmtree(self.repo, ignore_errors=True)


@pytest.fixture
def team(anthropic, openai):
    made = Team(anthropic, openai)
    try:
        yield made
    finally:
        made.close()


def argv_holding(secrets: set[str]) -> list[str]:
    """Every process of the namespace whose command line holds one of ``secrets`` (as `pid: argv`)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                argv = handle.read().decode("utf-8", "replace")
        except OSError:
            continue
        if any(secret in argv for secret in secrets):
            found.append(f"{entry}: {argv.replace(chr(0), ' ')}")
    return found


def run_printed(lines: str, extra: str, env: dict, cwd: str, timeout: float, secrets: set[str]):
    """Runs the printed commands as a user pastes them into a shell, with ``extra`` (the runtime's non-interactive
    arguments) inserted after the program name of the last line. While it runs, every process's argv is scanned for
    ``secrets``. Returns (the CompletedProcess, the argv lines that held a secret)."""
    commands = [line for line in lines.strip().splitlines() if line.strip()]
    program, _, rest = commands[-1].partition(" ")
    commands[-1] = f"{program} {extra} {rest}"
    # A script file, as a pasted line is no argv of the shell either (`sh -c TEXT` would put the exports in argv).
    script = os.path.join(tempfile.mkdtemp(prefix="ws-"), "printed.sh")
    with open(os.open(script, os.O_WRONLY | os.O_CREAT, 0o600), "w", encoding="utf-8") as handle:
        handle.write("\n".join(commands) + "\n")
    process = subprocess.Popen(["sh", "-e", script], env=env, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    leaks: list[str] = []
    out: dict[str, str] = {}

    def drain(name, stream):
        out[name] = stream.read()

    readers = [threading.Thread(target=drain, args=(name, stream), daemon=True)
               for name, stream in (("stdout", process.stdout), ("stderr", process.stderr))]
    for reader in readers:
        reader.start()
    deadline = time.monotonic() + timeout
    while process.poll() is None:
        leaks += [line for line in argv_holding(secrets) if line not in leaks]
        if time.monotonic() > deadline:
            process.kill()
            process.wait()
            raise AssertionError(f"the printed commands did not finish in {timeout} s")
        time.sleep(0.05)  # a poll of /proc with a deadline, not a wait for an event
    for reader in readers:
        reader.join(timeout=10)
    shutil.rmtree(os.path.dirname(script), ignore_errors=True)
    return subprocess.CompletedProcess(process.args, process.returncode, out.get("stdout", ""),
                                       out.get("stderr", "")), leaks
