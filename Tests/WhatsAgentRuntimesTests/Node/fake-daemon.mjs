// A fake WhatsAgent daemon for the generated plugin tests: the agent protocol (SPEC §2) on a Unix socket, recording
// every request, with helpers to push events and to wait (event-driven, with a deadline) for conditions.
import { EventEmitter } from "node:events";
import http from "node:http";
import fs from "node:fs";

export async function startFakeDaemon({ socketPath, token, tools = [], results = {} }) {
  const changes = new EventEmitter();
  const state = { requests: [], acks: [], toolCalls: [], connections: 0, closedStreams: 0, catalogue: tools };
  const streams = new Set();
  const changed = () => changes.emit("change");

  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const body = text ? JSON.parse(text) : undefined;
      state.requests.push({ method: request.method, url: request.url, authorization: request.headers.authorization, body });
      const json = (status, value) => {
        response.writeHead(status, { "Content-Type": "application/json" });
        response.end(JSON.stringify(value));
      };
      if (request.headers.authorization !== `Bearer ${token}`) {
        json(401, { error: { code: "invalid_session_token", message: "the session token is not valid" } });
        changed();
        return;
      }
      const url = request.url;
      if (request.method === "GET" && url === "/api/v1/agent/events") {
        response.writeHead(200, { "Content-Type": "application/x-ndjson" });
        response.write(JSON.stringify({ kind: "hello", agent: "api:dev", sessionId: "S" }) + "\n");
        streams.add(response);
        state.connections += 1;
        response.on("close", () => {
          streams.delete(response);
          state.closedStreams += 1;
          changed();
        });
      } else if (request.method === "GET" && url === "/api/v1/agent/tools") {
        json(200, { agent: "api:dev", tools: state.catalogue });
      } else if (request.method === "POST" && url.startsWith("/api/v1/agent/tools/")) {
        const name = decodeURIComponent(url.slice("/api/v1/agent/tools/".length));
        state.toolCalls.push({ name, arguments: body });
        const result = typeof results[name] === "function" ? results[name](body) : results[name];
        json(200, result ?? { text: `${name} ok`, isError: false });
      } else if (request.method === "POST" && url === "/api/v1/agent/ack") {
        state.acks.push(body.leaseId);
        response.writeHead(204);
        response.end();
      } else {
        json(404, { error: { code: "not_found", message: `no route ${request.method} ${url}` } });
      }
      changed();
    });
  });
  try {
    fs.unlinkSync(socketPath);
  } catch {}
  await new Promise((resolve) => server.listen(socketPath, resolve));

  return {
    state,
    changed,
    /** Writes one event line to every open events stream. */
    send(event) {
      const line = JSON.stringify({ agent: "api:dev", sessionId: "S", ...event }) + "\n";
      for (const stream of streams) stream.write(line);
    },
    /** Ends every open events stream (a daemon going away); clients reconnect. */
    dropStreams() {
      for (const stream of streams) stream.destroy();
    },
    requests(method, url) {
      return state.requests.filter((request) => request.method === method && request.url === url);
    },
    /** Resolves once `predicate()` holds, re-checked on every change; rejects after `ms`. */
    waitFor(predicate, what, ms = 20000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          let ok = false;
          try {
            ok = predicate();
          } catch {}
          if (!ok) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${what}; state: ${JSON.stringify(state)}`));
        }, ms);
        const cleanup = () => {
          clearTimeout(timer);
          changes.off("change", check);
        };
        changes.on("change", check);
        check();
      });
    },
    async close() {
      for (const stream of streams) stream.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Runs the scenario named by argv[2] from `scenarios` with the module at argv[3]; exits non-zero on failure. */
export async function main(scenarios) {
  const [name, modulePath] = process.argv.slice(2);
  const scenario = scenarios[name];
  if (!scenario) {
    console.error(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(", ")}`);
    process.exit(2);
  }
  try {
    const module = await import(modulePath);
    await scenario(module);
    console.log(`ok ${name}`);
    process.exit(0);
  } catch (error) {
    console.error(error?.stack ?? String(error));
    process.exit(1);
  }
}
