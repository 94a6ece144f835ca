"""A fake coding agent for managed-session tests: launched by the daemon as a custom agent (inside a runner's PTY).

It talks to WhatsAgent the way a real runtime does: it starts ``whatsagent mcp`` from the generated MCP config
(``$WHATSAGENT_MCP_CONFIG``) with the official MCP SDK, reads its mail once at start, and then every time a line
mentioning check_messages arrives on its terminal (the daemon's PTY nudge). It answers each message with
``pong: <the body's first word>`` and prints what it does, so the terminal shows it. Like Claude Code and Codex, it reads
a result's structured content when there is one (``bodies_shown``), so a body missing there goes unanswered.
"""

import asyncio
import json
import os
import re
import sys

from mcp import ClientSession, StdioServerParameters, stdio_client


def server_parameters() -> StdioServerParameters:
    with open(os.environ["WHATSAGENT_MCP_CONFIG"], encoding="utf-8") as handle:
        server = json.load(handle)["mcpServers"]["whatsagent"]
    return StdioServerParameters(command=server["command"], args=server["args"], env=server["env"])


FENCED = re.compile(r"<<<UNTRUSTED-BODY-(\w+)\n(.*)\n>>>END-UNTRUSTED-\1", re.S)


def bodies_shown(result) -> list[tuple[str, str]]:
    """(sender, body) of each message as a model sees it: Claude Code and Codex hand the model the structured content
    when a result has one, not the text block, so the bodies are read from there (fenced) and only from there."""
    if result.structured_content is None:
        text = "".join(getattr(block, "text", "") for block in result.content)
        senders = re.findall(r"^from: (.+)$", text, re.M)
        bodies = [match.group(2) for match in re.finditer(r"<<<UNTRUSTED-BODY-(\w+)\n(.*?)\n>>>END-UNTRUSTED-\1", text, re.S)]
        return list(zip(senders, bodies))
    shown = []
    for message in result.structured_content.get("messages", []):
        match = FENCED.fullmatch(message.get("body", ""))
        shown.append((message["from"], match.group(2) if match else ""))
    return shown


async def answer(session: ClientSession) -> None:
    result = await session.call_tool("check_messages", {})
    for sender, body in bodies_shown(result):
        first = body.split()[0] if body.split() else "?"
        reply = await session.call_tool("send_message", {"to": sender, "body": f"pong: {first}"})
        print(f"answered {sender}: {'error' if reply.is_error else 'ok'}", flush=True)


async def main() -> None:
    async with stdio_client(server_parameters()) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            print("fake agent ready", flush=True)
            await answer(session)
            loop = asyncio.get_running_loop()
            while True:
                line = await loop.run_in_executor(None, sys.stdin.readline)
                if not line:
                    return
                if "check_messages" in line:
                    await answer(session)


if __name__ == "__main__":
    asyncio.run(main())
