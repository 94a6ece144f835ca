"""A private network namespace with only loopback, for the real-client tests (issue 15).

The real CLIs try update, feature-flag and telemetry hosts. The test process moves itself into a new network
namespace (``unshare(CLONE_NEWNET)``, root only) and brings its loopback up; every process it starts afterwards —
the daemon, its runners, the CLIs, their MCP servers — and the fake model servers' threads inherit it, so nothing they
send can leave the machine. ``leave()`` moves the test process back for the tests that follow."""

from __future__ import annotations

import ctypes
import os
import subprocess

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)} (the real-client tests need root for a network namespace)")


def interfaces() -> list[str]:
    return sorted(os.listdir("/sys/class/net"))


class LoopbackOnly:
    def __init__(self) -> None:
        self.original = os.open("/proc/self/ns/net", os.O_RDONLY | os.O_CLOEXEC)

    def enter(self) -> None:
        _check(_libc.unshare(CLONE_NEWNET), "unshare(CLONE_NEWNET)")
        # /sys/class/net shows the namespace of whoever mounted /sys; `ip` asks the kernel, in ours.
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True, timeout=10)

    def leave(self) -> None:
        _check(_libc.setns(self.original, CLONE_NEWNET), "setns(original network namespace)")
        os.close(self.original)


def links() -> list[str]:
    """The interface names of the current network namespace, as `ip` sees them."""
    out = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True, check=True, timeout=10).stdout
    return sorted(line.split(":")[1].strip().split("@")[0] for line in out.splitlines() if line.strip())
