import Foundation
import WhatsAgentMCP

// `whatsagent mcp`'s lean companion (issue 21): the same stdio MCP server, in a binary built only from the MCP,
// client and API modules, so each agent's process maps and initialises a fraction of the full CLI.
exit(await WhatsAgentMCPMain.run(environment: ProcessInfo.processInfo.environment))
