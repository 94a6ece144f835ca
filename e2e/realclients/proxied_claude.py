"""A stand-in `claude` for a managed agent (issue 15): ``proxied_claude.py LOG CLAUDE ARGS…`` copies the MCP config
the daemon generated (``--mcp-config FILE``) with each server's command wrapped in ``stdio_proxy.py LOG``, then
execs the real CLAUDE with that copy, so every JSON-RPC line between Claude and `whatsagent mcp` is timestamped.
Use it as the agent's command: `agent add … --runtime claude --command "proxied_claude.py LOG CLAUDE"`."""

from __future__ import annotations

import json
import os
import sys

PROXY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stdio_proxy.py")


def proxied(path: str, log: str) -> str:
    with open(path, encoding="utf-8") as handle:
        config = json.load(handle)
    for server in config.get("mcpServers", {}).values():
        server["args"] = [PROXY, log, server["command"], *server.get("args", [])]
        server["command"] = sys.executable
    copy = path + ".proxied.json"
    with open(os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as handle:
        json.dump(config, handle)
    return copy


def main() -> None:
    log, claude, arguments = sys.argv[1], sys.argv[2], sys.argv[3:]
    for index, argument in enumerate(arguments[:-1]):
        if argument == "--mcp-config":
            arguments[index + 1] = proxied(arguments[index + 1], log)
    os.execv(claude, [claude, *arguments])


if __name__ == "__main__":
    main()
