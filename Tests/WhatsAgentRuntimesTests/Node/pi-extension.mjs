// Runs the generated Pi extension against a fake Pi ExtensionAPI and a fake daemon.
// Usage: node pi-extension.mjs <scenario> <extension.js>   (env: WHATSAGENT_SOCKET, WHATSAGENT_SESSION_TOKEN)
import assert from "node:assert/strict";
import { main, startFakeDaemon } from "./fake-daemon.mjs";

const socketPath = process.env.WHATSAGENT_SOCKET;
const token = process.env.WHATSAGENT_SESSION_TOKEN;

const catalogue = [
  { name: "check_messages", description: "Read your inbox.", inputSchema: { type: "object", properties: { limit: { type: "integer" } } } },
  {
    name: "send_message",
    description: "Send a message.",
    inputSchema: { type: "object", properties: { to: { type: "string" }, body: { type: "string" } }, required: ["to", "body"] },
  },
];

const results = {
  check_messages: () => ({ text: "1 message from api:main: hello", structured: { messages: [{ id: "m1" }] }, isError: false, leaseId: "L1" }),
  send_message: (args) =>
    args.body === "fail" ? { text: "refused: star topology", isError: true } : { text: "sent", structured: { id: "m2" }, isError: false },
};

/**
 * The Pi ExtensionAPI surface the extension uses, recording every call. Modelled on earendil-works/pi (read from the
 * public index, not run here): packages/coding-agent/src/core/extensions/types.ts @d8f76d7a (`registerTool({ name,
 * label, description, parameters, execute(toolCallId, params, signal, onUpdate, ctx) })`, `on(event, handler(event,
 * ctx))`, `sendUserMessage(content, { deliverAs?: "steer" | "followUp" })` "always triggers a turn"; a
 * `before_agent_start` result may carry `systemPrompt`) and core/agent-session.ts @014b48bf (`streamingBehavior`,
 * which `deliverAs` sets, is "required if streaming": without it a message sent while the agent streams is refused).
 */
function fakePi(daemon, { streaming = () => false } = {}) {
  const calls = { tools: new Map(), handlers: new Map(), messages: [] };
  const pi = {
    registerTool: (tool) => {
      assert.equal(typeof tool.execute, "function");
      for (const key of ["name", "label", "description"]) assert.equal(typeof tool[key], "string", `registerTool needs ${key}`);
      calls.tools.set(tool.name, tool);
      daemon.changed();
    },
    on: (event, handler) => calls.handlers.set(event, handler),
    sendUserMessage: (text, options) => {
      if (streaming() && !options?.deliverAs) throw new Error("Agent is streaming: specify deliverAs");
      if (options?.deliverAs !== undefined) assert.ok(["steer", "followUp"].includes(options.deliverAs));
      calls.messages.push({ text, options });
      daemon.changed();
    },
  };
  const emit = (event, payload, ctx) => calls.handlers.get(event)?.({ type: event, ...(payload ?? {}) }, ctx ?? {});
  return { pi, calls, emit };
}

const mail = (count) => ({ kind: "mail", count, messageIds: ["m1"], kinds: ["direct"] });

/** Sends `tools_changed` and waits for the catalogue refetch it causes: every earlier event has been handled. */
async function settle(daemon) {
  const before = daemon.requests("GET", "/api/v1/agent/tools").length;
  daemon.send({ kind: "tools_changed" });
  await daemon.waitFor(() => daemon.requests("GET", "/api/v1/agent/tools").length === before + 1, "the catalogue refetch");
}

const scenarios = {
  /** Tools from the catalogue, guidance appended, one coalesced push per batch, leases acknowledged. */
  async extension(module) {
    const daemon = await startFakeDaemon({ socketPath, token, tools: catalogue, results });
    let idle = true;
    const { pi, calls, emit } = fakePi(daemon, { streaming: () => !idle });
    await module.default(pi);

    assert.deepEqual([...calls.tools.keys()], ["check_messages", "send_message"]);
    const send = calls.tools.get("send_message");
    assert.deepEqual(send.parameters, catalogue[1].inputSchema);
    assert.equal(send.description, "Send a message.");
    assert.equal(daemon.state.connections, 0, "no socket is held before session_start");

    const prompt = await emit("before_agent_start", { systemPrompt: "BASE" });
    assert.match(prompt.systemPrompt, /^BASE\n\n# Working with colleagues/);

    const ctx = { isIdle: () => idle };
    await emit("session_start", {}, ctx);
    await daemon.waitFor(() => daemon.state.connections === 1, "the events stream");

    daemon.send(mail(1));
    daemon.send(mail(2));
    await settle(daemon);
    assert.equal(calls.messages.length, 1, "one message per batch");
    assert.match(calls.messages[0].text, /^1 WhatsAgent message is waiting\. Call the whatsagent check_messages tool now/);
    assert.deepEqual(calls.messages[0].options, { deliverAs: "followUp" }, "a follow-up starts a turn when Pi is idle");

    // The agent's turn: it checks its messages; the lease is acknowledged after the result is handed over.
    idle = false;
    await emit("agent_start", {}, ctx);
    const result = await calls.tools.get("check_messages").execute("call-1", { limit: 5 }, undefined, undefined, ctx);
    assert.deepEqual(result.content, [{ type: "text", text: "1 message from api:main: hello" }]);
    assert.deepEqual(result.details, { messages: [{ id: "m1" }] });
    assert.deepEqual(daemon.state.toolCalls[0], { name: "check_messages", arguments: { limit: 5 } });
    await daemon.waitFor(() => daemon.state.acks.length === 1, "the lease acknowledgement");
    assert.deepEqual(daemon.state.acks, ["L1"]);

    // Mail while busy: a follow-up, once.
    daemon.send(mail(1));
    daemon.send(mail(1));
    await settle(daemon);
    assert.equal(calls.messages.length, 2);
    assert.deepEqual(calls.messages[1].options, { deliverAs: "followUp" });

    // The turn ends without a check: the next mail may signal again.
    idle = true;
    await emit("agent_start", {}, ctx);
    await emit("agent_end", {}, ctx);
    daemon.send(mail(3));
    await settle(daemon);
    assert.equal(calls.messages.length, 3);
    assert.match(calls.messages[2].text, /^3 WhatsAgent messages are waiting/);

    // A refusal is a tool error; other results are text.
    await assert.rejects(
      calls.tools.get("send_message").execute("call-2", { to: "api:qa", body: "fail" }, undefined, undefined, ctx),
      /refused: star topology/,
    );
    const sent = await calls.tools.get("send_message").execute("call-3", { to: "api:qa", body: "hi" }, undefined, undefined, ctx);
    assert.deepEqual(sent.content, [{ type: "text", text: "sent" }]);

    // New visible tools are registered when the daemon says the tools changed.
    daemon.state.catalogue = [...catalogue, { name: "list_peers", description: "Peers.", inputSchema: { type: "object" } }];
    await settle(daemon);
    await daemon.waitFor(() => calls.tools.has("list_peers"), "the new tool");

    for (const request of daemon.state.requests) assert.equal(request.authorization, `Bearer ${token}`);
    await emit("session_shutdown", {}, ctx);
    await daemon.waitFor(() => daemon.state.closedStreams === daemon.state.connections, "the stream to close");
    await daemon.close();
  },

  /** With pushes off the tools and guidance stay, but mail sends nothing. */
  async quiet(module) {
    const daemon = await startFakeDaemon({ socketPath, token, tools: catalogue, results });
    const { pi, calls, emit } = fakePi(daemon);
    await module.default(pi);
    await emit("session_start", {}, { isIdle: () => true });
    await daemon.waitFor(() => daemon.state.connections === 1, "the events stream");
    daemon.send(mail(1));
    await settle(daemon);
    assert.equal(calls.messages.length, 0);
    assert.equal(calls.tools.size, 2);
    await emit("session_shutdown", {}, {});
    await daemon.close();
  },

  /** Tool output is cut to the configured size, with a note. */
  async capped(module) {
    const long = Array.from({ length: 3000 }, (_, i) => `line ${i}`).join("\n");
    const daemon = await startFakeDaemon({ socketPath, token, tools: catalogue, results: { check_messages: { text: long, isError: false } } });
    const { pi, calls } = fakePi(daemon);
    await module.default(pi);
    const result = await calls.tools.get("check_messages").execute("c", {}, undefined, undefined, {});
    const text = result.content[0].text;
    assert.ok(text.endsWith("\n[output cut by WhatsAgent]"));
    assert.equal(text.split("\n").length, 2001);
    await daemon.close();
  },
};

await main(scenarios);
