"""Scripted fake model servers for the real-client tests (issue 15): Anthropic Messages and OpenAI Responses, both
streaming server-sent events, on 127.0.0.1 port 0, one thread per connection.

A test gives a script: a list of steps, each a list of tool calls ``(name, input)`` or a text (a final answer). The
step a request gets is read from the request itself — one past the highest step whose ids (``toolu_s3_0``,
``call_s3_0``) or text marker (``[step 3]``) the conversation already holds — so retries and side requests never put
the script out of step. Past the end of the script the model answers ``done``. Every request body is logged, so a test
asserts what the model was shown (``tool_results()``, ``prompts()``)."""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Step = list[tuple[str, dict]] | str

STEP_ID = re.compile(r"(?:toolu|call)_s(\d+)_\d+")
STEP_TEXT = re.compile(r"\[step (\d+)\]")


def _step_of(conversation: str) -> int:
    seen = [int(n) for n in STEP_ID.findall(conversation)] + [int(n) for n in STEP_TEXT.findall(conversation)]
    return max(seen) + 1 if seen else 0


class FakeModel:
    """The shared part: the HTTP server, the request log and the script."""

    def __init__(self, script: list[Step]):
        self.script = script
        self.requests: list[dict] = []  # {"path": …, "body": parsed JSON, "at": monotonic time}
        # Steps whose answer waits until the test sets the event (a turn kept running); 60 s at most.
        self.holds: dict[int, threading.Event] = {}
        self.condition = threading.Condition()
        model = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                self._send_json(200, {"data": [], "object": "list"})

            def do_HEAD(self):
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"raw": raw.decode("utf-8", "replace")}
                with model.condition:
                    model.requests.append({"path": self.path, "body": body, "at": time.monotonic()})
                    model.condition.notify_all()
                model.answer(self, body)

            def _send_json(self, status: int, payload: Any):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.handler = Handler
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def step_reply(self, conversation: str) -> tuple[int, Step]:
        index = _step_of(conversation)
        return index, (self.script[index] if index < len(self.script) else "done")

    # -- what the model was shown ------------------------------------------------------------------------------

    def wait_for(self, what: str, predicate, timeout: float) -> Any:
        """Waits (on the request log's condition, no timer) until ``predicate(requests)`` is truthy."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                value = predicate(list(self.requests))
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out waiting for {what}; the model saw {len(self.requests)} requests:\n"
                                         + self.transcript())
                self.condition.wait(remaining)

    def transcript(self, limit: int = 6000) -> str:
        text = "\n".join(json.dumps(r["body"])[:1500] for r in self.requests)
        return text[-limit:]

    @staticmethod
    def _sse(handler: BaseHTTPRequestHandler, events: list[tuple[str, dict]]) -> None:
        payload = "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Cache-Control", "no-cache")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)


class FakeAnthropic(FakeModel):
    """POST /v1/messages (stream or not). Side requests — the auto-mode classifier ("You are a security monitor…"),
    title generation and the like, all without tools — get a short answer and do not advance the script."""

    def answer(self, handler, body: dict) -> None:
        if not handler.path.startswith("/v1/messages"):
            return handler._send_json(404, {"type": "error", "error": {"type": "not_found_error", "message": "no"}})
        if "count_tokens" in handler.path:
            return handler._send_json(200, {"input_tokens": 10})
        system = json.dumps(body.get("system", ""))
        if not body.get("tools"):
            text = "<block>no</block>" if "security monitor" in system else "Test session"
            return self._reply(handler, body, [("text", text)], "end_turn")
        index, step = self.step_reply(json.dumps(body.get("messages", [])))
        if isinstance(step, str):
            return self._reply(handler, body, [("text", f"{step} [step {index}]")], "end_turn")
        blocks = [("tool_use", (f"toolu_s{index}_{k}", name, arguments)) for k, (name, arguments) in enumerate(step)]
        self._reply(handler, body, blocks, "tool_use")

    def _reply(self, handler, body: dict, blocks: list, stop_reason: str) -> None:
        content = []
        for kind, value in blocks:
            if kind == "text":
                content.append({"type": "text", "text": value})
            else:
                tool_id, name, arguments = value
                content.append({"type": "tool_use", "id": tool_id, "name": name, "input": arguments})
        usage = {"input_tokens": 10, "output_tokens": 5, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
        message = {"id": f"msg_{len(self.requests)}", "type": "message", "role": "assistant",
                   "model": body.get("model", "fake"), "content": content, "stop_reason": stop_reason,
                   "stop_sequence": None, "usage": usage}
        if not body.get("stream"):
            return handler._send_json(200, message)
        events = [("message_start", {"type": "message_start", "message": {**message, "content": [],
                                                                            "stop_reason": None}})]
        for index, block in enumerate(content):
            if block["type"] == "text":
                events += [
                    ("content_block_start", {"type": "content_block_start", "index": index,
                                             "content_block": {"type": "text", "text": ""}}),
                    ("content_block_delta", {"type": "content_block_delta", "index": index,
                                             "delta": {"type": "text_delta", "text": block["text"]}}),
                ]
            else:
                events += [
                    ("content_block_start", {"type": "content_block_start", "index": index,
                                             "content_block": {**block, "input": {}}}),
                    ("content_block_delta", {"type": "content_block_delta", "index": index,
                                             "delta": {"type": "input_json_delta",
                                                       "partial_json": json.dumps(block["input"])}}),
                ]
            events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
        events += [
            ("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                               "usage": {"output_tokens": 5}}),
            ("message_stop", {"type": "message_stop"}),
        ]
        self._sse(handler, events)

    # -- what the model was shown ------------------------------------------------------------------------------

    def main_requests(self) -> list[dict]:
        return [r["body"] for r in self.requests if r["body"].get("tools")]

    def classifier_requests(self) -> list[dict]:
        """The auto-mode safety classifier's requests (a model request of their own per tool call)."""
        return [r["body"] for r in self.requests if "security monitor" in json.dumps(r["body"].get("system", ""))]

    def tool_names(self) -> set[str]:
        """Every tool name the model was offered, in `tools` or in the deferred-tool list of the prompt."""
        names = set()
        for body in self.main_requests():
            names |= {tool.get("name", "") for tool in body["tools"]}
            names |= set(re.findall(r"mcp__whatsagent__\w+", json.dumps(body.get("messages", []))))
        return names

    def tool_results(self) -> dict[str, str]:
        """tool_use id → the text of the tool_result the CLI sent back (blocks joined; `[is_error] ` first for an
        error result)."""
        results = {}
        for body in self.main_requests():
            for message in body.get("messages", []):
                if not isinstance(message.get("content"), list):
                    continue
                for block in message["content"]:
                    if block.get("type") != "tool_result":
                        continue
                    content = block.get("content")
                    if isinstance(content, list):
                        content = "\n".join(part.get("text", json.dumps(part)) for part in content)
                    text = content if isinstance(content, str) else json.dumps(content)
                    results[block["tool_use_id"]] = ("[is_error] " if block.get("is_error") else "") + text
        return results

    def user_texts(self) -> list[str]:
        """Every user-turn text the model was shown (prompts, channel blocks), in order of first appearance."""
        seen: list[str] = []
        for body in self.main_requests():
            for message in body.get("messages", []):
                if message.get("role") != "user":
                    continue
                content = message["content"]
                parts = [content] if isinstance(content, str) else [
                    b.get("text", "") for b in content if b.get("type") == "text"]
                for part in parts:
                    if part and part not in seen:
                        seen.append(part)
        return seen


class FakeOpenAI(FakeModel):
    """POST /v1/responses (SSE). Requests without tools (titles, summaries) get a short answer and do not advance the
    script."""

    def answer(self, handler, body: dict) -> None:
        if not handler.path.startswith("/v1/responses"):
            return handler._send_json(404, {"error": {"message": "not found"}})
        if not body.get("tools"):
            return self._reply(handler, [self._message("Test session")])
        index, step = self.step_reply(json.dumps(body.get("input", [])))
        if index in self.holds:
            self.holds[index].wait(60)
        if isinstance(step, str):
            return self._reply(handler, [self._message(f"{step} [step {index}]")])
        items = []
        for k, (name, arguments) in enumerate(step):
            namespace, _, tool = name.rpartition("__") if name.startswith("mcp__") else ("", "", name)
            item = {"type": "function_call", "id": f"fc_s{index}_{k}", "call_id": f"call_s{index}_{k}", "name": tool,
                    "arguments": json.dumps(arguments), "status": "completed"}
            if namespace:
                item["namespace"] = namespace
            items.append(item)
        self._reply(handler, items)

    @staticmethod
    def _message(text: str) -> dict:
        return {"type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
                "content": [{"type": "output_text", "text": text, "annotations": []}]}

    def _reply(self, handler, items: list[dict]) -> None:
        response_id = f"resp_{len(self.requests)}"
        base = {"id": response_id, "object": "response", "created_at": int(time.time()), "model": "fake"}
        events = [("response.created", {"type": "response.created", "response": {**base, "status": "in_progress",
                                                                                 "output": []}})]
        for index, item in enumerate(items):
            events.append(("response.output_item.added", {"type": "response.output_item.added",
                                                          "output_index": index, "item": item}))
            if item["type"] == "message":
                events.append(("response.output_text.delta", {"type": "response.output_text.delta",
                                                              "output_index": index, "content_index": 0,
                                                              "item_id": item["id"],
                                                              "delta": item["content"][0]["text"]}))
            events.append(("response.output_item.done", {"type": "response.output_item.done",
                                                         "output_index": index, "item": item}))
        usage = {"input_tokens": 10, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 5,
                 "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 15}
        events.append(("response.completed", {"type": "response.completed",
                                              "response": {**base, "status": "completed", "output": items,
                                                           "usage": usage}}))
        self._sse(handler, events)

    # -- what the model was shown ------------------------------------------------------------------------------

    def main_requests(self) -> list[dict]:
        return [r["body"] for r in self.requests if r["body"].get("tools")]

    def tool_names(self) -> set[str]:
        names = set()
        for body in self.main_requests():
            for tool in body["tools"]:
                names.add(tool.get("name", ""))
                for inner in tool.get("tools", []) or []:
                    names.add(f"{tool.get('name', '')}__{inner.get('name', '')}")
        return names

    def tool_results(self) -> dict[str, str]:
        """call_id → the output the CLI sent back for that function call."""
        results = {}
        for body in self.main_requests():
            for item in body.get("input", []):
                if item.get("type") != "function_call_output":
                    continue
                output = item.get("output")
                if isinstance(output, list):
                    output = "\n".join(part.get("text", json.dumps(part)) for part in output)
                results[item["call_id"]] = output if isinstance(output, str) else json.dumps(output)
        return results

    def user_texts(self) -> list[str]:
        seen: list[str] = []
        for body in self.main_requests():
            for item in body.get("input", []):
                if item.get("role") != "user":
                    continue
                content = item.get("content")
                parts = [content] if isinstance(content, str) else [c.get("text", "") for c in content or []]
                for part in parts:
                    if part and part not in seen:
                        seen.append(part)
        return seen
