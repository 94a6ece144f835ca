// Runs the generated OpenCode plugin against fake OpenCode hosts and a fake daemon: 1.x (the SDK client and the hook
// calls of `default.server`) and 2.x (`opencode2-host.mjs`: its loader, the `setup` context and its HTTP server).
// Usage: node opencode-plugin.mjs <scenario> <plugin.js>   (env: WHATSAGENT_SOCKET, WHATSAGENT_SESSION_TOKEN)
import assert from "node:assert/strict";
import { main, startFakeDaemon } from "./fake-daemon.mjs";
import { decodeDefinition, loadPlugin, startFakeServer } from "./opencode2-host.mjs";

const socketPath = process.env.WHATSAGENT_SOCKET;
const token = process.env.WHATSAGENT_SESSION_TOKEN;

/** The OpenCode SDK client as the plugin uses it, recording every call. */
function fakeClient(daemon) {
  const calls = { prompts: [], toasts: [], logs: [] };
  const record = (list, value) => {
    list.push(value);
    daemon.changed();
  };
  const client = {
    session: {
      promptAsync: async (options) => record(calls.prompts, options),
      list: async () => ({ data: [{ id: "S-old", time: { updated: 1 } }, { id: "S-new", time: { updated: 2 } }] }),
      status: async () => ({ data: {} }),
    },
    tui: { showToast: async (options) => record(calls.toasts, options) },
    app: { log: async (options) => record(calls.logs, options.body) },
  };
  return { client, calls };
}

const mail = (count) => ({ kind: "mail", count, messageIds: Array.from({ length: count }, (_, i) => `m${i}`), kinds: ["direct"] });

/** Drops the events stream and waits for the reconnection: every event sent before has been handled by then. */
async function settle(daemon) {
  const before = daemon.state.connections;
  daemon.dropStreams();
  await daemon.waitFor(() => daemon.state.connections === before + 1, "the plugin to reconnect");
}

const scenarios = {
  /** The module's default export carries both plugin shapes and is its only export. */
  async shape(module) {
    assert.deepEqual(Object.keys(module), ["default"]);
    assert.equal(module.default.id, "whatsagent");
    assert.equal(typeof module.default.server, "function");
    assert.equal(typeof module.default.setup, "function");
    assert.equal(decodeDefinition(module).id, "whatsagent", "OpenCode 2.x's loader accepts the definition");
    assert.throws(() => decodeDefinition({ default: module.default.server }), /default definition with an id/, "a 1.x-only export fails in 2.x");
  },

  /** OpenCode 1.x: one prompt per idle turn, coalesced; a toast while busy; the prompt follows at the next idle. */
  async v1(module) {
    const daemon = await startFakeDaemon({ socketPath, token });
    const { client, calls } = fakeClient(daemon);
    const hooks = await module.default.server({ client, directory: "/repo" });
    const event = (type, properties) => hooks.event({ event: { type, properties } });
    await daemon.waitFor(() => daemon.state.connections === 1, "the events stream");

    await event("session.created", { info: { id: "S1" } });
    await event("session.status", { sessionID: "S1", status: { type: "idle" } });
    daemon.send(mail(1));
    daemon.send(mail(2));
    daemon.send(mail(3));
    await daemon.waitFor(() => calls.prompts.length >= 1, "a prompt");
    await settle(daemon);
    assert.equal(calls.prompts.length, 1, "several mails while idle make exactly one prompt");
    assert.equal(calls.prompts[0].path.id, "S1");
    assert.equal(calls.prompts[0].body.parts.length, 1);
    assert.equal(calls.prompts[0].body.parts[0].type, "text");
    assert.match(calls.prompts[0].body.parts[0].text, /WhatsAgent messages? (is|are) waiting\. Call the whatsagent check_messages tool now/);
    assert.equal(calls.toasts.length, 0);

    // The injected turn: busy, the agent checks its messages, more mail arrives while it works.
    await event("session.status", { sessionID: "S1", status: { type: "busy" } });
    await hooks["tool.execute.before"]({ tool: "whatsagent_check_messages", sessionID: "S1", callID: "c1" }, { args: {} });
    daemon.send(mail(1));
    daemon.send(mail(2));
    await daemon.waitFor(() => calls.toasts.length >= 1, "a toast");
    await settle(daemon);
    assert.equal(calls.toasts.length, 1, "one toast per busy period");
    assert.match(calls.toasts[0].body.message, /^1 WhatsAgent message is waiting.*delivered when this session is idle/);
    assert.equal(calls.toasts[0].body.variant, "info");
    assert.equal(calls.prompts.length, 1, "no prompt while busy");

    await event("session.idle", { sessionID: "S1" });
    await daemon.waitFor(() => calls.prompts.length === 2, "the prompt after the turn");
    assert.match(calls.prompts[1].body.parts[0].text, /^2 WhatsAgent messages are waiting/);

    // That turn reads everything: going idle again prompts nothing; a stale idle before busy is ignored.
    await event("session.idle", { sessionID: "S1" });
    await event("session.status", { sessionID: "S1", status: { type: "busy" } });
    await hooks["tool.execute.before"]({ tool: "whatsagent_check_messages" }, { args: {} });
    await event("session.status", { sessionID: "S1", status: { type: "idle" } });
    await event("session.idle", { sessionID: "S2-subagent" });
    await settle(daemon);
    assert.equal(calls.prompts.length, 2);

    // Every request carried the session token.
    assert.ok(daemon.state.requests.length >= 4);
    for (const request of daemon.state.requests) assert.equal(request.authorization, `Bearer ${token}`);

    daemon.send({ kind: "session_ended", reason: "disconnected by the human" });
    await daemon.waitFor(() => calls.logs.some((log) => /stopped: session ended: disconnected/.test(log.message)), "the stop log");
    await daemon.close();
  },

  /** Without session events yet, the plugin finds the newest top-level session and asks for its status. */
  async discovers(module) {
    const daemon = await startFakeDaemon({ socketPath, token });
    const { client, calls } = fakeClient(daemon);
    await module.default.server({ client });
    await daemon.waitFor(() => daemon.state.connections === 1, "the events stream");
    daemon.send(mail(1));
    await daemon.waitFor(() => calls.prompts.length === 1, "a prompt");
    assert.equal(calls.prompts[0].path.id, "S-new");
    assert.match(calls.prompts[0].body.parts[0].text, /^1 WhatsAgent message is waiting/);
    await daemon.close();
  },

  /** OpenCode 2.x: loaded from `default.{id, setup}`, prompts once over HTTP (queued), again after check_messages. */
  async v2(module) {
    const daemon = await startFakeDaemon({ socketPath, token });
    const sessions = [
      { id: "ses_old", time: { updated: 1 } },
      { id: "ses_root", time: { updated: 2 } },
      { id: "ses_child", parentID: "ses_root", time: { updated: 3 } },
    ];
    const server = await startFakeServer({ password: "pw", sessions, onRequest: daemon.changed });
    const inProcess = [];
    const host = await loadPlugin(module, { server: { url: server.url, password: "pw" }, onPrompt: (input) => inProcess.push(input) });
    assert.equal(host.id, "whatsagent");
    assert.equal(typeof host.cleanup, "function");
    assert.ok(host.hooks.has("execute.before"));
    await daemon.waitFor(() => daemon.state.connections === 1, "the events stream");
    const prompts = () => server.requests.filter((request) => request.method === "POST");

    daemon.send(mail(1));
    daemon.send(mail(2));
    await daemon.waitFor(() => prompts().length >= 1, "a prompt");
    await settle(daemon);
    assert.equal(prompts().length, 1, "one prompt covers every mail until check_messages");
    const [list] = server.requests.filter((request) => request.method === "GET");
    assert.deepEqual(list.query, { parentID: "null", order: "desc", limit: "1" });
    const [first] = prompts();
    assert.equal(first.path, "/api/session/ses_root/prompt", "the newest root session");
    assert.equal(first.headers["content-type"], "application/json");
    assert.equal(first.body.delivery, "queue", "run when the session is free, never interrupting a turn");
    assert.match(first.body.text, /^[12] WhatsAgent messages? (is|are) waiting\. Call the whatsagent check_messages tool now/);
    assert.deepEqual(Object.keys(first.body).sort(), ["delivery", "text"]);
    assert.equal(inProcess.length, 0, "with a server, the HTTP route");

    // The agent reads its mail; later mail prompts again.
    await host.beforeTool({ tool: "whatsagent_check_messages", sessionID: "ses_root" });
    daemon.send(mail(3));
    await daemon.waitFor(() => prompts().length === 2, "the next prompt");
    assert.match(prompts()[1].body.text, /^3 WhatsAgent messages are waiting/);
    for (const request of server.requests) assert.equal(request.headers.authorization, `Basic ${Buffer.from("opencode:pw").toString("base64")}`);

    await host.cleanup();
    await daemon.waitFor(() => daemon.state.closedStreams === daemon.state.connections, "the stream to close");
    await server.close();
    await daemon.close();
  },

  /** OpenCode 2.x without a server: the session comes from a tool hook and the prompt goes through session.prompt. */
  async v2InProcess(module) {
    const daemon = await startFakeDaemon({ socketPath, token });
    const prompts = [];
    const host = await loadPlugin(module, { server: undefined, onPrompt: (input) => (prompts.push(input), daemon.changed()) });
    await daemon.waitFor(() => daemon.state.connections === 1, "the events stream");
    await host.beforeTool({ tool: "read", sessionID: "ses_1" });
    daemon.send(mail(1));
    await daemon.waitFor(() => prompts.length === 1, "the prompt");
    assert.equal(prompts[0].sessionID, "ses_1");
    assert.equal(prompts[0].delivery, "queue");
    assert.match(prompts[0].text, /^1 WhatsAgent message is waiting/);
    await host.cleanup();
    await daemon.waitFor(() => daemon.state.closedStreams === daemon.state.connections, "the stream to close");
    await daemon.close();
  },

  /** A dead token: the daemon answers 401 and the plugin stops instead of retrying. */
  async refused(module) {
    const daemon = await startFakeDaemon({ socketPath, token: "another-token" });
    const { client, calls } = fakeClient(daemon);
    await module.default.server({ client });
    await daemon.waitFor(() => calls.logs.some((log) => /refused \(401\): the session token is not valid/.test(log.message)), "the refusal");
    assert.equal(daemon.requests("GET", "/api/v1/agent/events").length, 1);
    assert.equal(daemon.state.connections, 0);
    await daemon.close();
  },
};

await main(scenarios);
