/// The part of the generated OpenCode plugin and Pi extension that speaks the agent protocol (SPEC §2) over the
/// daemon's Unix socket with Node's `http` (`socketPath`), authenticated by the session token of the environment.
/// Plain ES module code, no package imports (`node:http` is built into Node and Bun).
enum AgentSocketSource {
    static let code = #"""
        import http from "node:http";

        const SOCKET = process.env.WHATSAGENT_SOCKET;
        const TOKEN = process.env.WHATSAGENT_SESSION_TOKEN;
        const DEBUG = Boolean(process.env.WHATSAGENT_PLUGIN_DEBUG);

        function debug(...parts) {
          if (DEBUG) console.error("[whatsagent]", ...parts);
        }

        function authorization() {
          return { Authorization: `Bearer ${TOKEN}` };
        }

        /** One request to the agent API; resolves `{ status, body }` with the body parsed as JSON when it is JSON. */
        function agentRequest(method, path, payload) {
          return new Promise((resolve, reject) => {
            const data = payload === undefined ? undefined : Buffer.from(JSON.stringify(payload));
            const headers = authorization();
            if (data) {
              headers["Content-Type"] = "application/json";
              headers["Content-Length"] = data.length;
            }
            const request = http.request({ socketPath: SOCKET, method, path, headers }, (response) => {
              const chunks = [];
              response.on("data", (chunk) => chunks.push(chunk));
              response.on("error", reject);
              response.on("end", () => {
                const text = Buffer.concat(chunks).toString("utf8");
                let body = text;
                try {
                  body = text ? JSON.parse(text) : null;
                } catch {}
                resolve({ status: response.statusCode, body });
              });
            });
            request.on("error", reject);
            if (data) request.write(data);
            request.end();
          });
        }

        function errorMessage(body) {
          return (body && body.error && body.error.message) || String(body);
        }

        /** Acknowledges a lease once its tool result was handed over (as `whatsagent mcp` does after writing it). */
        async function acknowledge(leaseId) {
          try {
            const { status, body } = await agentRequest("POST", "/api/v1/agent/ack", { leaseId });
            if (status !== 204) debug("lease acknowledgement refused", status, errorMessage(body));
          } catch (error) {
            debug("lease acknowledgement failed; the messages will be redelivered", String(error));
          }
        }

        /**
         * Holds `GET /api/v1/agent/events` (holding it is what makes the agent online) and calls `onEvent` with each
         * newline-delimited event. When the daemon goes away it reconnects after a short capped backoff; it stops for
         * good on `session_ended` or a 4xx refusal (a dead token), calling `onStop(reason)`.
         */
        function holdEvents({ onEvent, onStop }) {
          let stopped = false;
          let request = null;
          let timer = null;
          let delay = 50;

          const stop = (reason) => {
            if (stopped) return;
            stopped = true;
            if (timer) clearTimeout(timer);
            if (request) request.destroy();
            if (onStop) onStop(reason);
          };

          const connect = () => {
            timer = null;
            if (stopped) return;
            let settled = false;
            const retry = () => {
              if (settled || stopped) return;
              settled = true;
              timer = setTimeout(connect, delay);
              delay = Math.min(delay * 2, 2000);
            };
            request = http.request(
              {
                socketPath: SOCKET,
                method: "GET",
                path: "/api/v1/agent/events",
                headers: { ...authorization(), Accept: "application/x-ndjson" },
              },
              (response) => {
                if (response.statusCode >= 400 && response.statusCode < 500) {
                  settled = true;
                  const chunks = [];
                  response.on("data", (chunk) => chunks.push(chunk));
                  response.on("end", () => {
                    let body = null;
                    try {
                      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
                    } catch {}
                    stop(`refused (${response.statusCode}): ${errorMessage(body)}`);
                  });
                  return;
                }
                if (response.statusCode !== 200) {
                  response.resume();
                  retry();
                  return;
                }
                let buffer = "";
                response.setEncoding("utf8");
                response.on("data", (chunk) => {
                  buffer += chunk;
                  let newline;
                  while ((newline = buffer.indexOf("\n")) >= 0) {
                    const line = buffer.slice(0, newline).trim();
                    buffer = buffer.slice(newline + 1);
                    if (!line || stopped) continue;
                    let event;
                    try {
                      event = JSON.parse(line);
                    } catch {
                      continue;
                    }
                    if (event.kind === "hello") delay = 50;
                    try {
                      onEvent(event);
                    } catch (error) {
                      debug("event handler failed", String(error));
                    }
                    if (event.kind === "session_ended") stop(`session ended: ${event.reason || "no reason given"}`);
                  }
                });
                response.on("end", retry);
                response.on("error", retry);
                response.on("aborted", retry);
              },
            );
            request.on("error", retry);
            request.end();
          };

          connect();
          return { close: () => stop("closed") };
        }

        /** The text of a push prompt for `count` waiting messages. */
        function pushText(count) {
          const waiting = count === 1 ? "1 WhatsAgent message is" : `${count} WhatsAgent messages are`;
          return `${waiting} waiting. Call the whatsagent check_messages tool now, handle what it returns, then resume your task.`;
        }
        """#
}
