"""kill -9 of the daemon during a burst of sends: every send that returned success is delivered exactly once, in
per-sender order, after a restart (SPEC §7.2, §15)."""

from __future__ import annotations

import json
import os
import signal
import threading

from conftest import Daemon, unix_request, wait_for_exit
from conftest import agent_call as call

SENDERS = 5
PER_SENDER = 60




def test_acknowledged_sends_survive_kill_9_exactly_once_in_order(daemon: Daemon, make_dir):
    daemon.cli("workspace", "add", "crash", "--topology", "p2p", "--rate-limit", "off")
    daemon.cli("repo", "add", make_dir(), "--name", "api")
    tokens = {}
    for name in ["sink"] + [f"s{index}" for index in range(SENDERS)]:
        daemon.cli("agent", "add", f"api:{name}")
        tokens[name] = daemon.cli("agent", "connect", f"api:{name}", json=True)["token"]

    acknowledged: dict[str, list[int]] = {f"s{index}": [] for index in range(SENDERS)}
    halfway = threading.Barrier(SENDERS + 1)

    def burst(sender: str) -> None:
        for number in range(PER_SENDER):
            if number == PER_SENDER // 3:
                halfway.wait(timeout=60)
            try:
                result = call(daemon, tokens[sender], "send_message", {
                    "to": "api:sink", "body": f"{sender}#{number}", "clientMessageId": f"{sender}-{number}",
                })
            except (OSError, AssertionError):
                break  # the daemon is gone: this send did not return success, and neither will the next
            if result["isError"]:
                break
            acknowledged[sender].append(number)

    threads = [threading.Thread(target=burst, args=(f"s{index}",)) for index in range(SENDERS)]
    for thread in threads:
        thread.start()
    halfway.wait(timeout=60)
    os.kill(daemon.pid, signal.SIGKILL)
    assert wait_for_exit(daemon.pid)
    for thread in threads:
        thread.join(timeout=60)
    assert all(len(numbers) >= PER_SENDER // 3 for numbers in acknowledged.values()), acknowledged

    daemon.start()
    received: list[str] = []
    while True:
        result = call(daemon, tokens["sink"], "check_messages", {"limit": 100})
        bodies = [line for line in result["text"].splitlines() if "#" in line and line.startswith("s")]
        if not result.get("leaseId"):
            break
        received.extend(bodies)
        status, _, _ = unix_request(
            daemon.socket, "POST", "/api/v1/agent/ack",
            body=json.dumps({"leaseId": result["leaseId"]}).encode(),
            headers={"Authorization": f"Bearer {tokens['sink']}", "Content-Type": "application/json"},
        )
        assert status == 204

    assert len(received) == len(set(received)), "nothing is delivered twice"
    for sender, numbers in acknowledged.items():
        delivered = [int(body.split("#")[1]) for body in received if body.startswith(f"{sender}#")]
        assert set(numbers) <= set(delivered), f"{sender}: acknowledged sends were lost"
        assert delivered == sorted(delivered), f"{sender}: per-sender order"
        # A send in flight at the kill may have committed without its reply: at most one beyond the acknowledged.
        assert len(delivered) - len(numbers) <= 1
