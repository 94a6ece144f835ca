"""A fake coding agent for managed-session tests: launched by the daemon as a custom agent (inside a runner's PTY).

It talks to WhatsAgent the way a real runtime does: it starts ``whatsagent mcp`` from the generated MCP config
(``$WHATSAGENT_MCP_CONFIG``) with the official MCP SDK, reads its mail once at start, and then every time a line
mentioning check_messages arrives on its terminal (the daemon's PTY nudge). It answers each message with
``pong: <the body's first word>`` and prints what it does, so the terminal shows it.
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


async def answer(session: ClientSession) -> None:
    result = await session.call_tool("check_messages", {})
    text = "".join(getattr(block, "text", "") for block in result.content)
    messages = (result.structured_content or {}).get("messages", [])
    bodies = re.findall(r"<<<UNTRUSTED-BODY-(\w+)\n(.*?)\n>>>END-UNTRUSTED-\1", text, re.S)
    for index, message in enumerate(messages):
        body = bodies[index][1] if index < len(bodies) else ""
        first = body.split()[0] if body.split() else "?"
        reply = await session.call_tool("send_message", {"to": message["from"], "body": f"pong: {first}"})
        print(f"answered {message['from']}: {'error' if reply.is_error else 'ok'}", flush=True)


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
