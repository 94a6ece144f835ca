"""The OpenAPI document on the Unix socket, and the CLI's --json output checked against it (SPEC §2, §4, §11, §15)."""

import json
import os
import re
from urllib.parse import quote

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from conftest import unix_request

BASE = "urn:openapi"


def fetch_openapi(daemon):
    status, headers, body = daemon.request("GET", "/api/v1/openapi.json")
    assert status == 200, body[:300]
    content_type = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
    assert content_type.startswith("application/json"), content_type
    return json.loads(body)


def pointer_token(text):
    return quote(text.replace("~", "~0").replace("/", "~1"), safe="~")


class Schemas:
    """Validators for the response schemas of one OpenAPI document; ``#/components/...`` refs resolve."""

    def __init__(self, doc):
        self.doc = doc
        self.registry = Registry().with_resource(BASE, Resource.from_contents(doc, default_specification=DRAFT202012))

    def response_schema(self, path, method, code):
        operation = self.doc["paths"][path][method]
        response = operation["responses"][str(code)]
        assert "application/json" in response["content"], f"{method.upper()} {path} {code} has no JSON body"
        pointer = "/".join(
            ["paths", pointer_token(path), method, "responses", str(code), "content", pointer_token("application/json"), "schema"]
        )
        return {"$ref": f"{BASE}#/{pointer}"}

    def component(self, name):
        assert name in self.doc["components"]["schemas"], name
        return {"$ref": f"{BASE}#/components/schemas/{name}"}

    def errors(self, instance, schema):
        validator = Draft202012Validator(schema, registry=self.registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
        return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(instance)]

    def check_response(self, instance, path, method, code):
        return self.errors(instance, self.response_schema(path, method, code))


RFC3339_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def bad_dates(value, where=""):
    """Wire dates are RFC 3339 with milliseconds (SPEC §2): every *At / purgeAfter field, at any depth."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if (key.endswith("At") or key == "purgeAfter") and not (isinstance(item, str) and RFC3339_MS.match(item)):
                found.append(f"{where}/{key}: {item!r} is not an RFC 3339 date with milliseconds")
            found += bad_dates(item, f"{where}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += bad_dates(item, f"{where}/{index}")
    return found


def check_all(schemas, cases):
    """cases: (label, instance, path, method, code). Fails with every mismatch listed."""
    failures = []
    for label, instance, path, method, code in cases:
        errors = schemas.check_response(instance, path, method, code) + bad_dates(instance)
        if errors:
            failures.append(f"[{label}] vs {method.upper()} {path} {code}:\n    " + "\n    ".join(errors))
    if failures:
        pytest.fail(f"{len(failures)} of {len(cases)} outputs do not match the OpenAPI document:\n" + "\n".join(failures),
                    pytrace=False)


@pytest.fixture
def schemas(daemon):
    return Schemas(fetch_openapi(daemon))


def test_openapi_document(daemon, schemas):
    doc = schemas.doc
    assert isinstance(doc["openapi"], str) and doc["openapi"].startswith("3.1"), doc["openapi"]
    assert doc["info"]["version"] == daemon.info["version"]
    expected = {
        ("/api/v1/status", "get"), ("/api/v1/workspaces", "get"), ("/api/v1/workspaces", "post"),
        ("/api/v1/workspaces/{workspace}", "patch"), ("/api/v1/current-workspace", "put"),
        ("/api/v1/workspaces/{workspace}/trash", "post"), ("/api/v1/workspaces/{workspace}/restore", "post"),
        ("/api/v1/workspaces/{workspace}/purge", "post"),
        ("/api/v1/workspaces/{workspace}/repos", "get"), ("/api/v1/workspaces/{workspace}/repos", "post"),
        ("/api/v1/workspaces/{workspace}/repos/{repo}", "delete"),
        ("/api/v1/workspaces/{workspace}/agents", "get"), ("/api/v1/workspaces/{workspace}/agents", "post"),
        ("/api/v1/workspaces/{workspace}/agents/{agent}", "get"),
        ("/api/v1/workspaces/{workspace}/agents/{agent}", "patch"),
        ("/api/v1/workspaces/{workspace}/agents/{agent}", "delete"),
        ("/api/v1/workspaces/{workspace}/main-agent", "put"), ("/api/v1/workspaces/{workspace}/main-agent", "delete"),
        ("/api/v1/backup", "post"), ("/api/v1/daemon/stop", "post"), ("/health", "get"),
    }
    present = {(path, method) for path, operations in doc["paths"].items() for method in operations}
    assert expected <= present, f"missing operations: {sorted(expected - present)}"
    for name, schema in doc["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)  # each component is a valid 2020-12 schema
    # The validators really validate (refs resolve, required fields are enforced).
    assert schemas.check_response({}, "/api/v1/status", "get", 200)
    assert schemas.check_response({"workspaces": [{"id": 1}]}, "/api/v1/workspaces", "get", 200)
    assert schemas.errors({"error": {"code": "x"}}, schemas.component("APIErrorBody"))


def test_openapi_over_tcp_needs_the_login(daemon):
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(daemon.url + "/api/v1/openapi.json", timeout=10)
    assert error.value.code == 401  # served behind the web login (test_web_auth.py)


def test_health_on_the_socket_matches_schema(daemon, schemas):
    status, _, body = daemon.request("GET", "/health")
    assert status == 200
    health = json.loads(body)
    assert health["ok"] is True
    assert not schemas.check_response(health, "/health", "get", 200)


def test_cli_read_outputs_match_schemas(daemon, schemas, make_dir):
    root = make_dir("api", "web")
    persona = os.path.join(root, "p.toml")
    with open(persona, "w", encoding="utf-8") as handle:
        handle.write('description = "d"\nskills = "s"\n')
    daemon.cli("workspace", "add", "alpha", "--rate-limit", "off", "--loop-guard", "5")
    daemon.cli("workspace", "add", "beta")
    daemon.cli("workspace", "set", "beta", "--chat-retention", "forever")
    daemon.cli("workspace", "add", "old")
    daemon.cli("workspace", "trash", "old")
    daemon.cli("repo", "add", os.path.join(root, "api"))
    daemon.cli("repo", "add", os.path.join(root, "web"))
    os.rmdir(os.path.join(root, "web"))  # a repo whose folder is gone
    daemon.cli("agent", "add", "api:main", "--main", "--persona-file", persona)
    daemon.cli("agent", "add", "api:dev", "--runtime", "custom", "--command", "/bin/true", "--arg", "--x")
    ws = "/api/v1/workspaces/{workspace}"
    check_all(schemas, [
        ("status", daemon.cli("status", json=True), "/api/v1/status", "get", 200),
        ("workspace list", daemon.cli("workspace", "list", json=True), "/api/v1/workspaces", "get", 200),
        ("repo list", daemon.cli("repo", "list", json=True), ws + "/repos", "get", 200),
        ("agent list", daemon.cli("agent", "list", json=True), ws + "/agents", "get", 200),
        ("agent show (main, persona)", daemon.cli("agent", "show", "api:main", json=True), ws + "/agents/{agent}", "get", 200),
        ("agent show (custom)", daemon.cli("agent", "show", "api:dev", json=True), ws + "/agents/{agent}", "get", 200),
    ])


def test_cli_write_outputs_match_schemas(daemon, schemas, make_dir):
    root = make_dir("api", "web")
    backup_dir = make_dir()
    ws = "/api/v1/workspaces/{workspace}"
    cases = [
        ("workspace add", daemon.cli("workspace", "add", "alpha", json=True), "/api/v1/workspaces", "post", 201),
        ("workspace add (options)", daemon.cli("workspace", "add", "beta", "--topology", "channel", "--rate-limit", "off",
                                               json=True), "/api/v1/workspaces", "post", 201),
        ("workspace set", daemon.cli("workspace", "set", "beta", "--max-body", "100", "--chat-retention", "forever",
                                     json=True), ws, "patch", 200),
        ("workspace use", daemon.cli("workspace", "use", "alpha", json=True), "/api/v1/current-workspace", "put", 200),
        ("repo add", daemon.cli("repo", "add", os.path.join(root, "api"), json=True), ws + "/repos", "post", 201),
        ("repo add (named)", daemon.cli("repo", "add", os.path.join(root, "web"), "--name", "front", json=True),
         ws + "/repos", "post", 201),
        ("agent add", daemon.cli("agent", "add", "api:dev", "--runtime", "custom", "--command", "/bin/true", "--arg", "-v",
                                 "--role", "reviewer", json=True), ws + "/agents", "post", 201),
        ("agent add (main)", daemon.cli("agent", "add", "front:main", "--main", json=True), ws + "/agents", "post", 201),
        ("agent set", daemon.cli("agent", "set", "api:dev", "--push", "off", json=True), ws + "/agents/{agent}", "patch", 200),
        ("agent set-main", daemon.cli("agent", "set-main", "api:dev", json=True), ws + "/main-agent", "put", 200),
        ("agent unset-main", daemon.cli("agent", "unset-main", json=True), ws + "/main-agent", "delete", 200),
        ("agent unset-main (none)", daemon.cli("agent", "unset-main", json=True), ws + "/main-agent", "delete", 200),
        ("agent remove", daemon.cli("agent", "remove", "front:main", json=True), ws + "/agents/{agent}", "delete", 200),
        ("repo remove", daemon.cli("repo", "remove", "api", json=True), ws + "/repos/{repo}", "delete", 200),
        ("backup", daemon.cli("backup", os.path.join(backup_dir, "b.tar"), json=True), "/api/v1/backup", "post", 200),
        ("workspace trash", daemon.cli("workspace", "trash", "beta", json=True), ws + "/trash", "post", 200),
    ]
    beta_id = cases[-1][1]["id"]
    cases += [
        ("workspace restore", daemon.cli("workspace", "restore", beta_id, json=True), ws + "/restore", "post", 200),
    ]
    daemon.cli("workspace", "trash", beta_id)
    cases += [
        ("workspace purge", daemon.cli("workspace", "purge", beta_id, json=True), ws + "/purge", "post", 200),
        ("stop", daemon.cli("stop", json=True), "/api/v1/daemon/stop", "post", 202),
    ]
    check_all(schemas, cases)


def test_cli_json_errors_match_the_error_schema(daemon, schemas):
    daemon.cli("workspace", "add", "alpha")
    failures = []
    for args in (
        ["repo", "list", "--workspace", "nope"],
        ["workspace", "add", "alpha"],
        ["agent", "add", "nope:x"],
        ["agent", "show", "a:b:c"],
        ["repo", "add", "relative"],
        ["workspace", "restore", "alpha"],
    ):
        proc = daemon.cli(*args, json=True, check=False)
        assert proc.returncode == 1, proc
        errors = schemas.errors(json.loads(proc.stderr), schemas.component("APIErrorBody"))
        if errors:
            failures.append(f"{args}: {errors}")
    assert not failures, failures


def test_cli_json_output_equals_the_api_response(daemon, make_dir):
    """`--json` prints the API's object unchanged (same fields, same values, timestamps included).

    Many rows (created straight on the socket, to stay fast), because a timestamp that drifts by a millisecond
    in the CLI's decode/encode round trip only shows on some of them."""
    root = make_dir(*[f"r{i}" for i in range(30)])
    wid = daemon.cli("workspace", "add", "w0", json=True)["id"]
    headers = {"Content-Type": "application/json"}
    for i in range(1, 40):
        assert daemon.request("POST", "/api/v1/workspaces", json.dumps({"name": f"w{i}"}).encode(), headers)[0] == 201
    for i in range(30):
        body = json.dumps({"path": os.path.join(root, f"r{i}")}).encode()
        assert daemon.request("POST", f"/api/v1/workspaces/{wid}/repos", body, headers)[0] == 201
        body = json.dumps({"address": f"r{i}:dev"}).encode()
        assert daemon.request("POST", f"/api/v1/workspaces/{wid}/agents", body, headers)[0] == 201
    mismatches = []
    for args, target in (
        (["workspace", "list"], "/api/v1/workspaces"),
        (["repo", "list", "--workspace", wid], f"/api/v1/workspaces/{wid}/repos"),
        (["agent", "list", "--workspace", wid], f"/api/v1/workspaces/{wid}/agents"),
        (["status"], "/api/v1/status"),
    ):
        cli = daemon.cli(*args, json=True)
        api = daemon.api_json(target)
        if cli != api:
            key = next(iter(k for k in api if isinstance(api[k], list)), None)
            rows = zip(api[key], cli[key]) if key else [(api, cli)]
            pairs = [
                (row.get("address") or row.get("name"), field, a_row.get(field), row.get(field))
                for a_row, row in rows
                for field in sorted(set(row) | set(a_row))
                if row.get(field) != a_row.get(field)
            ]
            mismatches.append(
                f"`whatsagent {' '.join(args)} --json` differs from GET {target} in {len(pairs)} field(s); "
                f"(row, field, api, cli): {pairs[:5]}"
            )
    assert not mismatches, "\n".join(mismatches)


def test_unknown_route_on_the_socket_is_404_with_envelope(daemon, schemas):
    for method, target in (("GET", "/api/v1/nope"), ("POST", "/api/v1/nope"), ("GET", "/nope"), ("DELETE", "/api/v1/workspaces")):
        status, headers, body = daemon.request(method, target, body=b"{}" if method == "POST" else None,
                                               headers={"Content-Type": "application/json"} if method == "POST" else None)
        assert status in (404, 405), f"{method} {target}: {status}"
        envelope = json.loads(body)
        assert set(envelope) == {"error"} and set(envelope["error"]) == {"code", "message"}, envelope
        if method == "GET":
            assert status == 404
            assert envelope["error"]["code"] == "not_found", envelope
        assert not schemas.errors(envelope, schemas.component("APIErrorBody"))


def test_malformed_json_body_is_400_with_envelope(daemon, schemas):
    status, _, body = daemon.request("POST", "/api/v1/workspaces", body=b"{", headers={"Content-Type": "application/json"})
    assert status == 400, body
    envelope = json.loads(body)
    assert set(envelope) == {"error"} and set(envelope["error"]) == {"code", "message"}, envelope
    assert envelope["error"]["code"] and "json" in envelope["error"]["message"].lower(), envelope
    assert not schemas.errors(envelope, schemas.component("APIErrorBody"))
    assert daemon.cli("workspace", "list", json=True)["workspaces"] == []


@pytest.mark.parametrize(
    "method,target,body,expected",
    [
        ("POST", "/api/v1/workspaces", b'{"name": 5}', 400),
        ("POST", "/api/v1/workspaces", b"[]", 400),
        ("POST", "/api/v1/workspaces", b"{}", 400),
        ("POST", "/api/v1/workspaces", b'{"name": "x", "topology": "mesh"}', 400),
        ("POST", "/api/v1/workspaces", b'{"name": "x", "rateLimit": "lots"}', 400),
        ("POST", "/api/v1/workspaces", b'{"name": "a:b"}', 400),
        ("POST", "/api/v1/workspaces", b'{"name": "\xff\xfe"}', 400),
        ("POST", "/api/v1/workspaces", b'{"name": "bad\\u0007bell"}', 400),
        ("GET", "/api/v1/workspaces/nope", None, 404),
        # An encoded '/' or '..' in a segment is refused before routing (issue 14: one spelling per route).
        ("GET", "/api/v1/workspaces/..%2F..%2Fetc/repos", None, 400),
        ("POST", "/api/v1/backup", b'{"path": "relative.tar"}', 400),
    ],
    ids=["name-wrong-type", "array-body", "missing-name", "bad-enum", "bad-limit", "invalid-name", "bad-utf8",
         "control-char", "unknown-workspace", "path-traversal", "backup-relative-path"],
)
def test_api_bad_requests_are_4xx_with_envelope(daemon, schemas, method, target, body, expected):
    headers = {"Content-Type": "application/json"} if body is not None else None
    status, _, raw = daemon.request(method, target, body=body, headers=headers)
    assert status == expected, f"{method} {target} {body!r}: {status} {raw[:300]!r}"
    envelope = json.loads(raw)
    assert not schemas.errors(envelope, schemas.component("APIErrorBody")), envelope
    assert daemon.api_json("/api/v1/workspaces")["workspaces"] == []
    assert not os.path.exists(os.path.join(daemon.home, "relative.tar"))


def test_unix_request_helper_talks_to_the_socket(daemon):
    status, _, body = unix_request(daemon.socket, "GET", "/api/v1/status")
    assert status == 200
    assert json.loads(body)["pid"] == daemon.pid
