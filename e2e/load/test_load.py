"""Load (SPEC §14, §15, issue 7): 100 connected agents for 60 s at a steady send rate, with board edits.

100 external sessions each hold their events stream (so every send is pushed), send one DM per second to a random
peer under the workspace's default rate limit and loop guard, and read their mail when a push hint arrives; the
human creates, moves and comments tasks at the same time. At the end every agent drains its inbox.

Checked: no call failed; every acknowledged send was delivered exactly once; the daemon's RSS after the run is flat
against its RSS after a warm-up (a bound, not a timing); disk use is flat where it must be. For the last point the
daemon runs at `debug` level (a log line per request) with small limits in `daemon.toml` — `daemon.log` rotated at
64 KiB with 3 files kept, at most 1,000 audit entries, a maintenance pass every 2 s — so that one minute of load
goes through many rotations and many times the audit cap: the log folder must stay within its rotation limit, and
the audit table (every send is an audited RBAC check) must end at the cap and take no more pages than it did when the
cap was first reached. The numbers (sends, board edits, RSS at start, after warm-up and at the end, log bytes,
audit entries written and kept, audit bytes) are printed and written to `.build/e2e-artifacts/load.json`.
`WA_LOAD_SECONDS` and `WA_LOAD_AGENTS` change the size (defaults 60 and 100).
"""

from __future__ import annotations

import glob
import http.client
import json
import os
import random
import sqlite3
import threading
import time

from conftest import Daemon, UnixHTTPConnection, unix_request

SECONDS = float(os.environ.get("WA_LOAD_SECONDS", "60"))
AGENTS = int(os.environ.get("WA_LOAD_AGENTS", "100"))
WARM_UP = min(10.0, SECONDS / 4)
ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "..", ".build", "e2e-artifacts")
LOG_MAX_BYTES, LOG_KEEP = 64 * 1024, 3
AUDIT_CAP, PRUNE_SECONDS = 1000, 2
DAEMON_TOML = f"""
[logs]
max_file_bytes = {LOG_MAX_BYTES}
keep_files = {LOG_KEEP}
[retention]
audit_max_entries = {AUDIT_CAP}
prune_every_seconds = {PRUNE_SECONDS}
"""


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def folder_bytes(path: str) -> int:
    return sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(path) for name in names)


class AuditProbe:
    """Reads the workspace database's audit table read-only: entries kept, the highest id ever given (entries
    written), and the bytes of its b-tree and indexes (`dbstat`)."""

    def __init__(self, home: str):
        (path,) = glob.glob(os.path.join(home, "workspaces", "*", "whatsagent.sqlite"))
        self.connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)

    def sample(self) -> dict:
        count, highest = self.connection.execute("SELECT count(*), coalesce(max(id), 0) FROM audit").fetchone()
        (size,) = self.connection.execute(
            "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN ('audit', 'audit_at', 'audit_kind')"
        ).fetchone()
        return {"kept": count, "written": highest, "bytes": size}

    def close(self) -> None:
        self.connection.close()


class Agent:
    """One external session: its events stream on a thread, its sends and inbox reads on another."""

    def __init__(self, daemon: Daemon, address: str, token: str):
        self.daemon, self.address, self.token = daemon, address, token
        self.sent: list[str] = []
        self.received: list[str] = []
        self.errors: list[str] = []
        self.mail = threading.Event()
        self.hello = threading.Event()
        self.stream: UnixHTTPConnection | None = None

    def call(self, tool: str, arguments: dict) -> dict:
        status, _, body = unix_request(
            self.daemon.socket,
            "POST",
            f"/api/v1/agent/tools/{tool}",
            body=json.dumps(arguments).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        if status != 200:
            raise AssertionError(f"{tool}: HTTP {status} {body[:200]!r}")
        return json.loads(body)

    def listen(self) -> None:
        """Holds the events stream; sets `mail` on every push hint."""
        self.stream = UnixHTTPConnection(self.daemon.socket, timeout=SECONDS + 120)
        self.stream.request("GET", "/api/v1/agent/events", headers={"Authorization": f"Bearer {self.token}"})
        response = self.stream.getresponse()
        if response.status != 200:
            self.errors.append(f"events: HTTP {response.status}")
            self.hello.set()
            return
        try:
            while True:
                line = response.readline()
                if not line:
                    return
                event = json.loads(line)
                if event["kind"] == "hello":
                    self.hello.set()
                elif event["kind"] == "mail":
                    self.mail.set()
        except (OSError, ValueError, http.client.HTTPException):
            return  # the stream closes at teardown

    def read_mail(self) -> None:
        result = self.call("check_messages", {"limit": 100})
        if result["isError"]:
            self.errors.append(f"check_messages: {result['text'][:200]}")
            return
        self.received += [line.split(" ", 1)[0] for line in result["text"].splitlines() if line.startswith("load#")]
        if result.get("leaseId"):
            status, _, body = unix_request(
                self.daemon.socket,
                "POST",
                "/api/v1/agent/ack",
                body=json.dumps({"leaseId": result["leaseId"]}).encode(),
                headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
            )
            if status != 204:
                self.errors.append(f"ack: HTTP {status} {body[:200]!r}")

    def work(self, peers: list[str], until: float, rng: random.Random) -> None:
        """One DM a second to a random peer; mail is read whenever a hint came in."""
        next_send = time.monotonic() + rng.random()
        number = 0
        while True:
            now = time.monotonic()
            if now >= until:
                return
            if self.mail.is_set():
                self.mail.clear()
                self.read_mail()
                continue
            if now >= next_send:
                body = f"load#{self.address}#{number} " + "m" * rng.randint(20, 400)
                result = self.call("send_message", {"to": rng.choice(peers), "body": body, "clientMessageId": f"c{number}"})
                if result["isError"]:
                    self.errors.append(f"send_message: {result['text'][:200]}")
                else:
                    self.sent.append(body.split(" ", 1)[0])
                number += 1
                next_send += 1.0
                continue
            # Pacing the load, not waiting for a condition: wake for the next send or the next hint.
            self.mail.wait(timeout=max(0.0, min(next_send, until) - time.monotonic()))


def board_editor(daemon: Daemon, workspace: str, until: float, errors: list[str], counts: dict) -> None:
    """The human edits the board a few times a second: create, move, comment."""
    rng = random.Random(7)
    statuses = ["Queued", "In Progress", "Blocked", "Review", "Completed"]
    tasks: list[str] = []
    next_edit = time.monotonic()
    while time.monotonic() < until:
        if not tasks or rng.random() < 0.3:
            body = {"title": f"Load task {len(tasks)}", "assignedTo": f"load:a{rng.randrange(AGENTS)}", "details": "x" * 200}
            status, _, raw = daemon.request(
                "POST", f"/api/v1/workspaces/{workspace}/board/tasks", json.dumps(body).encode(), {"Content-Type": "application/json"}
            )
            if status == 201:
                tasks.append(json.loads(raw)["task"]["displayId"])
        elif rng.random() < 0.5:
            task = rng.choice(tasks)
            body = {"status": rng.choice(statuses)}
            status, _, raw = daemon.request(
                "PUT", f"/api/v1/workspaces/{workspace}/board/tasks/{task}/status", json.dumps(body).encode(), {"Content-Type": "application/json"}
            )
        else:
            task = rng.choice(tasks)
            body = {"type": "note", "body": "load comment"}
            status, _, raw = daemon.request(
                "POST", f"/api/v1/workspaces/{workspace}/board/tasks/{task}/comments", json.dumps(body).encode(), {"Content-Type": "application/json"}
            )
        if status not in (200, 201):
            errors.append(f"board: HTTP {status} {raw[:200]!r}")
        counts["board"] += 1
        next_edit += 0.2
        time.sleep(max(0.0, next_edit - time.monotonic()))  # pacing the load


def test_100_agents_for_60_seconds_lose_nothing_and_memory_and_disk_stay_flat(make_daemon, make_dir):
    daemon = make_daemon(start=False)
    with open(os.path.join(daemon.home, "daemon.toml"), "w", encoding="utf-8") as handle:
        handle.write(DAEMON_TOML)
    daemon.start(env={"WHATSAGENT_LOG_LEVEL": "debug"})
    workspace = "load"
    daemon.cli("workspace", "add", workspace, "--topology", "p2p")
    daemon.cli("repo", "add", make_dir(), "--name", "load")
    agents: list[Agent] = []
    for index in range(AGENTS):
        address = f"load:a{index}"
        body = json.dumps({"address": address}).encode()
        status, _, raw = daemon.request("POST", f"/api/v1/workspaces/{workspace}/agents", body, {"Content-Type": "application/json"})
        assert status == 201, raw
        status, _, raw = daemon.request(
            "POST", f"/api/v1/workspaces/{workspace}/agents/{address}/connect", b"{\"replace\": false}", {"Content-Type": "application/json"}
        )
        assert status in (200, 201), raw
        agents.append(Agent(daemon, address, json.loads(raw)["token"]))
    listeners = [threading.Thread(target=agent.listen, daemon=True) for agent in agents]
    for thread in listeners:
        thread.start()
    for agent in agents:
        assert agent.hello.wait(timeout=60), f"{agent.address} got no events stream"
    assert not [error for agent in agents for error in agent.errors]

    rss_start = rss_kib(daemon.pid)
    started = time.monotonic()
    until = started + SECONDS
    addresses = [agent.address for agent in agents]
    board_errors: list[str] = []
    counts = {"board": 0}
    workers = [
        threading.Thread(target=agent.work, args=([a for a in addresses if a != agent.address], until, random.Random(index)))
        for index, agent in enumerate(agents)
    ]
    workers.append(threading.Thread(target=board_editor, args=(daemon, workspace, until, board_errors, counts)))
    for thread in workers:
        thread.start()
    time.sleep(WARM_UP)  # pacing: the warm-up is part of the load, not a wait for a condition
    rss_warm = rss_kib(daemon.pid)
    # The audit table's size when it first held the cap's worth of entries: the bound for the rest of the run.
    audit = AuditProbe(daemon.home)
    audit_at_cap = None
    while any(thread.is_alive() for thread in workers):
        sample = audit.sample()
        if audit_at_cap is None and sample["written"] >= AUDIT_CAP:
            audit_at_cap = sample
        time.sleep(0.5)  # sampling period while the load runs
    for thread in workers:
        thread.join(timeout=SECONDS + 120)
    rss_end = rss_kib(daemon.pid)

    # Drain: every agent reads until its inbox is empty.
    for agent in agents:
        while True:
            before = len(agent.received)
            agent.read_mail()
            if len(agent.received) == before:
                break

    errors = [error for agent in agents for error in agent.errors] + board_errors
    sent = [message for agent in agents for message in agent.sent]
    received = [message for agent in agents for message in agent.received]
    logs = folder_bytes(os.path.join(daemon.home, "logs"))
    log_files = sorted(os.listdir(os.path.join(daemon.home, "logs")))
    # The load is over; the next maintenance pass brings the audit table back to the cap.
    deadline = time.monotonic() + 30
    while (audit_end := audit.sample())["kept"] > AUDIT_CAP and time.monotonic() < deadline:
        time.sleep(0.2)  # polling a condition with a deadline
    audit.close()
    report = {
        "agents": AGENTS,
        "seconds": SECONDS,
        "sent": len(sent),
        "sendsPerSecond": round(len(sent) / SECONDS, 1),
        "received": len(received),
        "boardEdits": counts["board"],
        "rssKiB": {"start": rss_start, "afterWarmUp": rss_warm, "end": rss_end},
        "logBytes": logs,
        "logFiles": log_files,
        "audit": {"cap": AUDIT_CAP, "atCap": audit_at_cap, "end": audit_end},
        "errors": errors[:20],
    }
    os.makedirs(ARTIFACTS, exist_ok=True)
    with open(os.path.join(ARTIFACTS, "load.json"), "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2)
    print(json.dumps(report))

    assert not errors, errors[:20]
    # The planned rate is one send per agent per second; a loaded machine's Python client reaches less of it, so this
    # only checks the load ran (the achieved rate is in the report), never a speed.
    assert len(sent) >= AGENTS * 5 and counts["board"] >= 10, f"the load ran: {len(sent)} sends, {counts['board']} board edits"
    assert len(received) == len(set(received)), "nothing delivered twice"
    assert sorted(received) == sorted(sent), "every acknowledged send delivered"
    # Flat: after the warm-up the daemon grows by at most a quarter (caches fill as the databases grow) plus 16 MiB.
    assert rss_end <= rss_warm * 1.25 + 16 * 1024, report["rssKiB"]
    # Rotation really ran (every rotated file exists, none beyond the kept count) and holds the folder at daemon.log
    # plus the rotated files (the detached daemon's stderr log is tiny).
    assert [f"daemon.log.{index}" for index in range(1, LOG_KEEP + 1)] == [
        name for name in log_files if name.startswith("daemon.log.")
    ], log_files
    assert logs <= (LOG_KEEP + 1) * LOG_MAX_BYTES + 64 * 1024, (logs, log_files)
    # Audit retention: the load wrote several times the cap, the table ends at the cap, and its pages do not grow past
    # what the cap's worth took (freed pages are reused; a quarter plus 64 KiB of slack for b-tree splits).
    assert audit_at_cap is not None and audit_end["written"] >= 3 * AUDIT_CAP, report["audit"]
    assert audit_end["kept"] <= AUDIT_CAP, report["audit"]
    assert audit_end["bytes"] <= audit_at_cap["bytes"] * 1.25 + 64 * 1024, report["audit"]
