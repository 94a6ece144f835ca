"""`whatsagent backup` while agents are sending (SPEC §15, issue 7): the archive is consistent and restores to a
working home that still holds every send acknowledged before the backup started.

Five agents send as fast as they can while the backup is taken. The archive is restored into a new home (plain
`tar`), every database passes `PRAGMA integrity_check`, a daemon starts on it, and the sink agent — with the token
it had — drains its inbox there: every send acknowledged before the backup began is in it, once, in per-sender
order, and nothing sent after the backup finished is. The restored daemon then takes new sends and board writes.
"""

from __future__ import annotations

import os
import sqlite3
import tarfile
import threading

from conftest import agent_call as call
from conftest import agent_drain

SENDERS = 5
LIMIT = 2000  # per sender: the burst ends when the backup is done, long before this


def sent_line(line: str) -> bool:
    return line.startswith("s") and "#" in line






def test_a_backup_taken_under_load_restores_to_a_working_home(make_daemon, make_dir):
    daemon = make_daemon()
    daemon.cli("workspace", "add", "busy", "--topology", "p2p", "--rate-limit", "off", "--loop-guard", "off")
    daemon.cli("repo", "add", make_dir(), "--name", "api")
    tokens = {}
    for name in ["sink"] + [f"s{index}" for index in range(SENDERS)]:
        daemon.cli("agent", "add", f"api:{name}")
        tokens[name] = daemon.cli("agent", "connect", f"api:{name}", json=True)["token"]
    daemon.cli("task", "create", "Before the backup", "--assignee", "api:sink")

    acknowledged: dict[str, list[int]] = {f"s{index}": [] for index in range(SENDERS)}
    warm = threading.Barrier(SENDERS + 1)
    done = threading.Event()

    def burst(sender: str) -> None:
        for number in range(LIMIT):
            if number == 20:
                warm.wait(timeout=60)
            if done.is_set():
                return
            result = call(daemon, tokens[sender], "send_message", {"to": "api:sink", "body": f"{sender}#{number}"})
            assert not result["isError"], result
            acknowledged[sender].append(number)

    threads = [threading.Thread(target=burst, args=(f"s{index}",)) for index in range(SENDERS)]
    for thread in threads:
        thread.start()
    warm.wait(timeout=60)
    before = {sender: len(numbers) for sender, numbers in acknowledged.items()}
    archive = os.path.join(make_dir(), "home.tar")
    daemon.cli("backup", archive)
    after = {sender: len(numbers) for sender, numbers in acknowledged.items()}
    done.set()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(after.values()) > sum(before.values()), "sends kept going while the backup ran"

    restored_home = make_dir()
    with tarfile.open(archive) as tar:
        tar.extractall(restored_home, filter="data")
    os.chmod(restored_home, 0o700)
    databases = [os.path.join(restored_home, "daemon.sqlite")]
    for name in os.listdir(os.path.join(restored_home, "workspaces")):
        databases.append(os.path.join(restored_home, "workspaces", name, "whatsagent.sqlite"))
    for database in databases:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok", database
        connection.close()

    restored = make_daemon(start=False, home=restored_home)
    restored.start()
    received = agent_drain(restored, tokens["sink"], sent_line)
    assert len(received) == len(set(received)), "nothing twice"
    for sender in acknowledged:
        numbers = [int(body.split("#")[1]) for body in received if body.startswith(f"{sender}#")]
        assert numbers == list(range(len(numbers))), f"{sender}: a prefix of its sends, in order"
        # A send in flight when the backup returned may be in the copy and answered a moment later: at most one more.
        assert before[sender] <= len(numbers) <= after[sender] + 1, (sender, before[sender], len(numbers), after[sender])

    # The restored home works.
    assert not call(restored, tokens["s0"], "send_message", {"to": "api:sink", "body": "s0#restored"})["isError"]
    assert agent_drain(restored, tokens["sink"], sent_line) == ["s0#restored"]
    restored.cli("task", "create", "After the restore", "--assignee", "api:sink")
    titles = [task["title"] for task in restored.cli("task", "list", json=True)["tasks"]]
    assert sorted(titles) == ["After the restore", "Before the backup"]
