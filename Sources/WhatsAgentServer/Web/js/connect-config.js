// The ready-to-paste configuration of an external session, for each runtime: the same text `whatsagent agent connect
// --print-config json|claude|codex|opencode` prints (Sources/WhatsAgentCLI/Commands/AgentConnect.swift ConnectConfig
// and Sources/WhatsAgentRuntimes/MCPServerSpec.swift), rendered here from the one connect response
// (AgentConnection {token, environment, mcpConfigPath, command}) so that no endpoint ever shows the token again.
// Keep the two in step: e2e/web/test_web_connect.py compares them.

export const SERVER_NAME = 'whatsagent';
/** SessionEnvironment.all (WhatsAgentAPI), in order. */
export const SESSION_VARIABLES = [
  'WHATSAGENT_SOCKET', 'WHATSAGENT_WORKSPACE_ID', 'WHATSAGENT_AGENT', 'WHATSAGENT_SESSION_ID',
  'WHATSAGENT_SESSION_TOKEN', 'WHATSAGENT_RUNTIME', 'WHATSAGENT_MCP_CONFIG',
];
const ARGUMENTS = ['mcp'];

/** Single quotes for POSIX shells. */
export function shellQuote(text) {
  return `'${String(text).replaceAll("'", "'\\''")}'`;
}

/** Quotes only when the shell would split or interpret the text. */
export function shellQuoteIfNeeded(text) {
  const value = String(text);
  return /^[\p{L}\p{M}\p{N}\-_./=:@,+%]+$/u.test(value) ? value : shellQuote(value);
}

/** A TOML basic string with escapes. */
export function tomlString(text) {
  let result = '"';
  for (const char of String(text)) {
    const code = char.codePointAt(0);
    if (char === '"') result += '\\"';
    else if (char === '\\') result += '\\\\';
    else if (char === '\n') result += '\\n';
    else if (char === '\r') result += '\\r';
    else if (char === '\t') result += '\\t';
    else if (code < 0x20 || code === 0x7f) result += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else result += char;
  }
  return `${result}"`;
}

const tomlArray = (values) => `[${values.map(tomlString).join(',')}]`;

/** Pretty JSON with sorted keys, in Foundation's layout (`"key" : value`, two-space indent). */
export function jsonText(value, indent = '') {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (!value.length) return '[\n\n' + indent + ']';
    return `[\n${value.map((v) => inner + jsonText(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    if (!keys.length) return '{\n\n' + indent + '}';
    return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)} : ${jsonText(value[k], inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** The variables that are set, in SessionEnvironment order. */
function variableNames(environment) {
  return SESSION_VARIABLES.filter((name) => environment[name] !== undefined && environment[name] !== null);
}

/**
 * The four renderings of a connect response: `{json, claude, codex, opencode}`; `claude` is null when the daemon
 * wrote no MCP config file for the session.
 */
export function renderConnectConfigs(connection) {
  const environment = connection.environment || {};
  const command = connection.command;
  const server = { command, args: ARGUMENTS, env: environment };
  const names = variableNames(environment);
  const claude = connection.mcpConfigPath
    ? ['claude', '--mcp-config', connection.mcpConfigPath, '--dangerously-load-development-channels', `server:${SERVER_NAME}`,
      '--allowedTools', `mcp__${SERVER_NAME}`].map(shellQuoteIfNeeded).join(' ')
    : null;
  const overrides = [
    `mcp_servers.${SERVER_NAME}.command=${tomlString(command)}`,
    `mcp_servers.${SERVER_NAME}.args=${tomlArray(ARGUMENTS)}`,
    `mcp_servers.${SERVER_NAME}.env_vars=${tomlArray(names)}`,
    `mcp_servers.${SERVER_NAME}.default_tools_approval_mode=${tomlString('approve')}`,
  ];
  const codex = [
    ...names.map((name) => `export ${name}=${shellQuote(environment[name])}`),
    `codex ${overrides.map((o) => `-c ${shellQuote(o)}`).join(' ')}`,
  ].join('\n');
  const opencode = jsonText({ mcp: { [SERVER_NAME]: { type: 'local', command: [command, ...ARGUMENTS], environment, enabled: true } } });
  return { json: jsonText({ mcpServers: { [SERVER_NAME]: server } }), claude, codex, opencode };
}
