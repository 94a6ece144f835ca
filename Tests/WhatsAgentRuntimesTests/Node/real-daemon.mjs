// Runs the generated OpenCode plugin and Pi extension against a REAL daemon (started by the Swift test) with a fake
// host API. The agent's session variables come from `agent connect`; the human's requests go over the same socket
// without a token. Usage: node real-daemon.mjs <opencode|pi> <module>   (env: the session variables)
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import http from "node:http";
import { main } from "./fake-daemon.mjs";

const socketPath = process.env.WHATSAGENT_SOCKET;
const workspace = process.env.WHATSAGENT_WORKSPACE_ID;
const agent = process.env.WHATSAGENT_AGENT;
const changes = new EventEmitter();

/** A request as the human (socket ownership, no token). */
function human(method, path, payload) {
  return new Promise((resolve, reject) => {
    const data = payload === undefined ? undefined : Buffer.from(JSON.stringify(payload));
    const headers = data ? { "Content-Type": "application/json", "Content-Length": data.length } : {};
    const request = http.request({ socketPath, method, path, headers }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: response.statusCode, body: text ? JSON.parse(text) : null });
      });
    });
    request.on("error", reject);
    if (data) request.write(data);
    request.end();
  });
}

async function sendDM(body) {
  const { status, body: result } = await human("POST", `/api/v1/workspaces/${workspace}/messages`, { to: agent, body });
  assert.equal(status, 201, JSON.stringify(result));
  return result;
}

function waitFor(predicate, what, ms = 20000) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!predicate()) return;
      clearTimeout(timer);
      changes.off("change", check);
      resolve();
    };
    const timer = setTimeout(() => {
      changes.off("change", check);
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    changes.on("change", check);
    check();
  });
}

const scenarios = {
  /** A DM from the human makes the idle OpenCode session get exactly one prompt. */
  async opencode(module) {
    const calls = { prompts: [], toasts: [], logs: [] };
    const record = (list, value) => (list.push(value), changes.emit("change"));
    const client = {
      session: { promptAsync: async (options) => record(calls.prompts, options) },
      tui: { showToast: async (options) => record(calls.toasts, options) },
      app: { log: async (options) => record(calls.logs, options.body) },
    };
    const hooks = await module.default.server({ client });
    await hooks.event({ event: { type: "session.status", properties: { sessionID: "S1", status: { type: "idle" } } } });

    await sendDM("first");
    await waitFor(() => calls.prompts.length >= 1, "the prompt");
    await sendDM("second");
    // The human ends the session: its `session_ended` event arrives after the second message's push.
    const { status } = await human("POST", `/api/v1/workspaces/${workspace}/agents/${encodeURIComponent(agent)}/disconnect`);
    assert.equal(status, 200);
    await waitFor(() => calls.logs.some((log) => /stopped: session ended/.test(log.message)), "the end of the stream");
    assert.equal(calls.prompts.length, 1, "exactly one prompt while idle");
    assert.equal(calls.prompts[0].path.id, "S1");
    assert.match(calls.prompts[0].body.parts[0].text, /^1 WhatsAgent message is waiting/);
    assert.equal(calls.toasts.length, 0);
  },

  /** The Pi extension registers the real catalogue, pushes once, reads the DM and acknowledges the lease. */
  async pi(module) {
    const tools = new Map();
    const handlers = new Map();
    const messages = [];
    const pi = {
      registerTool: (tool) => tools.set(tool.name, tool),
      on: (event, handler) => handlers.set(event, handler),
      sendUserMessage: (text, options) => (messages.push({ text, options }), changes.emit("change")),
    };
    await module.default(pi);
    for (const name of ["whoami", "check_messages", "send_message"]) assert.ok(tools.has(name), `${name} is registered`);
    assert.equal(tools.get("send_message").parameters.type, "object");

    const ctx = { isIdle: () => true };
    await handlers.get("session_start")({}, ctx);
    const sent = await sendDM("hello from the human");
    await waitFor(() => messages.length === 1, "the push");
    assert.match(messages[0].text, /^1 WhatsAgent message is waiting/);

    const result = await tools.get("check_messages").execute("c1", {}, undefined, undefined, ctx);
    assert.match(result.content[0].text, /hello from the human/);
    // The lease is acknowledged after the result was handed over: the message becomes acknowledged.
    const id = sent.message.id;
    let state = null;
    for (let attempt = 0; attempt < 200 && state !== "acknowledged"; attempt++) {
      const { body } = await human("GET", `/api/v1/workspaces/${workspace}/messages?peer=${encodeURIComponent(agent)}`);
      state = body.messages.find((message) => message.id === id)?.state ?? null;
      if (state !== "acknowledged") await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(state, "acknowledged");

    const reply = await tools.get("send_message").execute("c2", { to: "api:main", body: "working on the human's request" }, undefined, undefined, ctx);
    assert.match(reply.content[0].text, /./);
    await handlers.get("session_shutdown")({}, ctx);
  },
};

await main(scenarios);
