"""The real-client tests run in a network namespace with only loopback (issue 15): nothing the real CLIs try —
updates, feature flags, telemetry — can leave the machine."""

import socket
import time

from realclients import netns


def test_only_loopback_and_a_public_address_fails_at_once():
    assert netns.links() == ["lo"]
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.settimeout(5)
    started = time.monotonic()
    try:
        probe.connect(("1.1.1.1", 443))
        raise AssertionError("a connection to 1.1.1.1:443 succeeded inside the namespace")
    except OSError as error:
        assert error.errno is not None and "unreachable" in str(error).lower(), error
    finally:
        probe.close()
    assert time.monotonic() - started < 1.0, "the connection attempt should fail at once, not time out"
    # Loopback works: the fake models and the daemon listen there.
    server = socket.create_server(("127.0.0.1", 0))
    try:
        socket.create_connection(server.getsockname(), timeout=5).close()
    finally:
        server.close()
