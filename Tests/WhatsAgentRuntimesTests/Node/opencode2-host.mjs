// A fake OpenCode 2.x host: its plugin loader, the Promise plugin context `setup` receives, and its HTTP server's
// session routes. Modelled on anomalyco/opencode (read from the public index, not run here):
// - packages/core/src/plugin/module.ts @07db2b92: `load` imports the module and decodes `mod.default` as
//   `{ id: string, effect: function }` or `{ id: string, setup: function }` (other keys ignored), else LoadError.
// - packages/core/src/plugin/promise.ts @0a80062d: `fromPromise` builds the context (`app`, `options`, `event`,
//   `tool`, `session`, …; no SDK `client`), awaits `setup(context)`; a returned function is the cleanup, run when
//   the plugin unloads. `tool.hook(name, cb)` resolves to `{ dispose }`; the host disposes hooks with the plugin scope.
// - packages/plugin/src/promise/plugin.ts @0ef9ef4b (`Plugin = { id, tui?, setup }`, `define` returns it as is),
//   packages/plugin/src/app.ts @7527ad80 (`app.server?: { url, password }`),
//   packages/plugin/src/promise/tool.ts @196e4612 (`execute.before`: `{ tool, sessionID, agent, messageID, id, input }`).
// - packages/protocol/src/groups/session.ts @01fd0c85: `GET /api/session` (query `parentID` "null" = root sessions,
//   `order` desc = newest first, `limit`) answers `{ data: [Session.Info], cursor }`; `POST /api/session/:sessionID/prompt`
//   takes `{ id?, text, files?, agents?, metadata?, delivery?: "steer" | "queue", resume? }` and answers `{ data }`.
//   Basic auth with user `opencode` and the server password (OPENCODE_SERVER_USERNAME defaults to "opencode").
import assert from "node:assert/strict";
import http from "node:http";

/** `PluginModule.load`'s decoding of the imported module: the definition 2.x accepts, or the error it raises. */
export function decodeDefinition(mod) {
  const value = mod?.default;
  const ok =
    value !== null &&
    typeof value === "object" &&
    typeof value.id === "string" &&
    (typeof value.effect === "function" || typeof value.setup === "function");
  if (!ok) throw new Error("Plugin must export a default definition with an id and an effect or setup function.");
  return { id: value.id, setup: value.setup };
}

/** The server's session routes, recording every request. */
export async function startFakeServer({ password, sessions, onRequest }) {
  const requests = [];
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const url = new URL(request.url, "http://localhost");
      const text = Buffer.concat(chunks).toString("utf8");
      const record = { method: request.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: request.headers };
      record.body = text ? JSON.parse(text) : undefined;
      requests.push(record);
      onRequest?.();
      const expected = `Basic ${Buffer.from(`opencode:${password}`).toString("base64")}`;
      const reply = (status, body) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
      };
      if (request.headers.authorization !== expected) return reply(401, { error: "unauthorized" });
      if (request.method === "GET" && url.pathname === "/api/session") {
        let list = sessions.filter((session) => url.searchParams.get("parentID") !== "null" || !session.parentID);
        list = list.toSorted((a, b) => (url.searchParams.get("order") === "desc" ? b.time.updated - a.time.updated : a.time.updated - b.time.updated));
        const limit = Number(url.searchParams.get("limit") ?? 50);
        return reply(200, { data: list.slice(0, limit), cursor: {} });
      }
      const prompt = url.pathname.match(/^\/api\/session\/([^/]+)\/prompt$/);
      if (request.method === "POST" && prompt) {
        if (!sessions.some((session) => session.id === decodeURIComponent(prompt[1]))) return reply(404, { error: "session not found" });
        if (typeof record.body?.text !== "string") return reply(400, { error: "text is required" });
        if (record.body.delivery !== undefined && !["steer", "queue"].includes(record.body.delivery)) return reply(400, { error: "bad delivery" });
        return reply(200, { data: { type: "user", id: `msg_${requests.length}`, sessionID: prompt[1] } });
      }
      reply(404, { error: "no route" });
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

/**
 * Loads the plugin module the way 2.x does and runs `setup` with a Promise context. `server` is `app.server` (or
 * undefined when OpenCode runs without one); `onPrompt` records `session.prompt` calls.
 */
export async function loadPlugin(mod, { server, onPrompt }) {
  const definition = decodeDefinition(mod);
  const hooks = new Map();
  let disposed = 0;
  const context = {
    app: { name: "opencode", version: "2.0.0", channel: "latest", ...(server ? { server } : {}) },
    options: {},
    event: {
      subscribe: () => ({
        async *[Symbol.asyncIterator]() {},
      }),
    },
    tool: {
      hook: async (name, callback) => {
        assert.ok(["execute.before", "execute.after"].includes(name), `unknown tool hook ${name}`);
        hooks.set(name, callback);
        return { dispose: async () => void disposed++ };
      },
      transform: async () => ({ dispose: async () => {} }),
    },
    session: {
      prompt: async (input) => {
        assert.equal(typeof input.sessionID, "string");
        assert.equal(typeof input.text, "string");
        onPrompt?.(input);
        return { data: { type: "user", id: "msg_in_process", sessionID: input.sessionID } };
      },
    },
  };
  const cleanup = await Promise.resolve(definition.setup(context));
  assert.ok(cleanup === undefined || typeof cleanup === "function", "setup returns nothing or a cleanup function");
  /** Runs a tool hook as OpenCode does before a tool executes. */
  const beforeTool = (event) => hooks.get("execute.before")?.({ agent: "build", messageID: "msg_x", id: "call_x", input: {}, ...event });
  return { id: definition.id, cleanup, hooks, beforeTool, disposed: () => disposed };
}
