"""HTTP(S) front end of the Central emulator: routing, auth, wire format, faults.

Python API::

    from emulator.server import EmulatorServer
    with EmulatorServer(tls=False) as srv:
        requests.get(srv.url + "/v1/imageintegrations",
                     headers={"Authorization": "Bearer " + srv.tokens[0]})
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
import os
import re
import socket
import ssl
import struct
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from . import messages
from .faults import FaultError, Faults
from .store import (INTERNAL, INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, RESOURCE_EXHAUSTED,
                    UNAUTHENTICATED, UNAVAILABLE, UNIMPLEMENTED, ApiError, Store)

DEFAULT_TOKEN = "emulator-admin-token"
DEFAULT_ADMIN_PASSWORD = "emulator-admin-password"
GZIP_MIN_SIZE = 1400  # Central's gzip handler leaves smaller responses uncompressed

BASE = "/v1/imageintegrations"
# (method, route template, regex, handler name, needs Integration modify)
ROUTES = [
    ("GET", BASE, re.compile(r"^/v1/imageintegrations$"), "list", False),
    ("POST", BASE, re.compile(r"^/v1/imageintegrations$"), "create", True),
    ("POST", BASE + "/test", re.compile(r"^/v1/imageintegrations/test$"), "test", True),
    ("POST", BASE + "/test/updated", re.compile(r"^/v1/imageintegrations/test/updated$"), "test_updated", True),
    ("GET", BASE + "/{id}", re.compile(r"^/v1/imageintegrations/([^/]+)$"), "get", False),
    ("PUT", BASE + "/{id}", re.compile(r"^/v1/imageintegrations/([^/]+)$"), "put", True),
    ("DELETE", BASE + "/{id}", re.compile(r"^/v1/imageintegrations/([^/]+)$"), "delete", True),
    ("PATCH", BASE + "/{config.id}", re.compile(r"^/v1/imageintegrations/([^/]+)$"), "update", True),
]

FAULT_STATUS = {
    "status500": (500, INTERNAL, "emulated fault: internal server error"),
    "status502": (502, UNAVAILABLE, "emulated fault: bad gateway"),
    "status503": (503, UNAVAILABLE, "emulated fault: service unavailable"),
    "status429": (429, RESOURCE_EXHAUSTED, "emulated fault: too many requests"),
}


def match_route(method: str, path: str):
    """Return (template, handler, needs_modify, path_param) or None; also whether the path exists."""
    path_known = False
    for route_method, template, regex, handler, modify in ROUTES:
        found = regex.match(path)
        if not found:
            continue
        path_known = True
        if route_method == method:
            param = unquote(found.group(1)) if found.groups() else None
            return (template, handler, modify, param), True
    return None, path_known


class RequestLog:
    """Counts and a log of /v1/ requests, for the inspection route."""

    def __init__(self):
        self._lock = threading.Lock()
        self.counts: dict[str, int] = {}
        self.log: list[dict] = []

    def record(self, entry: dict) -> None:
        with self._lock:
            key = f"{entry['method']} {entry['route']}"
            self.counts[key] = self.counts.get(key, 0) + 1
            self.log.append(entry)

    def snapshot(self) -> dict:
        with self._lock:
            return {"counts": dict(self.counts), "log": [dict(e) for e in self.log]}

    def clear(self) -> None:
        with self._lock:
            self.counts = {}
            self.log = []


class _CountingWriter:
    """Wraps the handler's wfile to count bytes sent."""

    def __init__(self, raw):
        self._raw = raw
        self.count = 0

    def write(self, data):
        written = self._raw.write(data)
        self.count += len(data)
        return written

    def flush(self):
        return self._raw.flush()

    def close(self):
        return self._raw.close()

    @property
    def closed(self):
        return self._raw.closed


class _Reset(Exception):
    """Close the connection without answering."""


def error_body(code: int, message: str) -> dict:
    return {"error": message, "code": code, "message": message, "details": []}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "central-emulator"

    def version_string(self):
        return self.server_version
    timeout = 120

    # -- plumbing
    def setup(self):
        super().setup()
        try:  # headers and body go out in separate writes; avoid Nagle/delayed-ACK stalls
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        self.wfile = _CountingWriter(self.wfile)

    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        return  # one line per request is written by _finish_log; never log headers or bodies

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_PUT(self):
        self._dispatch()

    def do_PATCH(self):
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    def do_HEAD(self):
        self._dispatch()

    def do_OPTIONS(self):
        self._dispatch()

    @property
    def emu(self) -> "EmulatorServer":
        return self.server.emulator

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size_line = self.rfile.readline(65537)
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, status: int, body_obj, extra_headers=None, compressible=True) -> None:
        body = json.dumps(body_obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if compressible:
            headers["Vary"] = "Accept-Encoding"
            if self._accepts_gzip() and len(body) >= GZIP_MIN_SIZE:
                body = gzip.compress(body)
                headers["Content-Encoding"] = "gzip"
        headers.update(extra_headers or {})
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()
        self._status = status

    def _accepts_gzip(self) -> bool:
        for part in self.headers.get("Accept-Encoding", "").split(","):
            token, _, params = part.strip().partition(";")
            if token.strip().lower() in ("gzip", "*"):
                q = re.search(r"q\s*=\s*([0-9.]+)", params)
                if not q or float(q.group(1) or 0) > 0:
                    return True
        return False

    def _reset(self) -> None:
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self._status = 0

    # -- dispatch
    def _dispatch(self) -> None:
        started = time.monotonic()
        self._status = 0
        split = urlsplit(self.path)
        path = split.path
        if path == "/_emulator" or path.startswith("/_emulator/"):
            try:
                self._inspection(path)
            finally:
                self.emu._log_line(self.command, path, self._status, started)
            return

        matched, path_known = match_route(self.command, path)
        route = matched[0] if matched else path
        fault = self.emu.faults.take(self.command, route, path)
        try:
            if fault and fault["kind"] == "slow":
                time.sleep(fault["delay"])
            if fault and fault["kind"] == "reset_before":
                self._reset()
                return
            if fault and fault["kind"] in FAULT_STATUS:
                self._read_body()
                status, code, message = FAULT_STATUS[fault["kind"]]
                headers = {}
                if fault["kind"] in ("status429", "status503"):
                    headers["Retry-After"] = _retry_after(fault["retryAfter"])
                self._send(status, error_body(code, message), headers)
                return
            try:
                status, body = self._api(matched, path_known, split.query)
            except Exception as exc:  # an emulator bug must still answer like a server
                status, body = 500, error_body(INTERNAL, f"emulator internal error: {type(exc).__name__}")
                self.emu._log_raw(f"internal error: {type(exc).__name__}: {exc}")
            if fault and fault["kind"] == "reset_after":
                self._reset()
                return
            self._send(status, body)
        finally:
            self.emu.requests.record({
                "method": self.command, "route": route, "path": path, "status": self._status,
                "bytesOut": self.wfile.count, "fault": fault["kind"] if fault else None,
            })
            self.emu._log_line(self.command, path, self._status, started)
            self.wfile.count = 0

    def _api(self, matched, path_known: bool, query: str):
        if matched is None:
            if path_known:
                return 501, error_body(UNIMPLEMENTED, "Method Not Allowed")
            self._read_body()
            return 404, error_body(NOT_FOUND, "Not Found")
        _template, handler, needs_modify, param = matched
        raw_body = self._read_body()
        try:
            role = self._authenticate()
            if needs_modify and role != "admin":
                raise ApiError(PERMISSION_DENIED, 'not authorized: "READ_WRITE_ACCESS" for "Integration"')
            store = self.emu.store
            if handler == "list":
                params = parse_qs(query, keep_blank_values=True)
                return 200, store.list(name=(params.get("name") or [""])[0],
                                       cluster=(params.get("cluster") or [""])[0])
            if handler == "get":
                return 200, store.get(param)
            if handler == "delete":
                return 200, store.delete(param)
            if handler in ("create", "test", "put"):
                config = _decode_body("ImageIntegration", raw_body)
                if handler == "put":
                    config["id"] = param
                    return 200, store.put(config)
                if handler == "create":
                    return 200, store.create(config)
                return 200, store.test(config)
            request = _decode_body("UpdateImageIntegrationRequest", raw_body)
            if handler == "update":
                if request["config"] is None:
                    request["config"] = messages.empty("ImageIntegration")
                request["config"]["id"] = param
                return 200, store.update(request)
            return 200, store.test_updated(request)
        except ApiError as exc:
            return exc.http_status, error_body(exc.code, exc.message)

    def _authenticate(self) -> str:
        header = self.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        value = value.strip()
        if scheme.lower() == "bearer" and value:
            if value in self.emu.tokens:
                return "admin"
            if value in self.emu.read_only_tokens:
                return "read-only"
        elif scheme.lower() == "basic" and value:
            try:
                user, _, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError, ValueError):
                user, password = "", None
            if user == "admin" and password == self.emu.admin_password:
                return "admin"
        raise ApiError(UNAUTHENTICATED, "credentials not found: no valid credentials in the request")

    # -- inspection and test support (no auth)
    def _inspection(self, path: str) -> None:
        emu = self.emu
        method = self.command
        raw_body = self._read_body()
        try:
            if path == "/_emulator/health" and method == "GET":
                return self._send(200, {"status": "ok"}, compressible=False)
            if path == "/_emulator/integrations" and method == "GET":
                return self._send(200, {"integrations": emu.store.raw()}, compressible=False)
            if path == "/_emulator/requests" and method == "GET":
                return self._send(200, emu.requests.snapshot(), compressible=False)
            if path == "/_emulator/reset" and method == "POST":
                emu.reset()
                return self._send(200, {}, compressible=False)
            if path == "/_emulator/seed" and method == "POST":
                body = _json_body(raw_body)
                items = body.get("integrations") if isinstance(body, dict) else None
                if not isinstance(items, list):
                    raise ValueError('body must be {"integrations": [...]}')
                return self._send(200, {"integrations": emu.store.seed(items)}, compressible=False)
            if path == "/_emulator/faults":
                if method == "GET":
                    return self._send(200, {"faults": emu.faults.list()}, compressible=False)
                if method == "DELETE":
                    emu.faults.clear()
                    return self._send(200, {"faults": []}, compressible=False)
                if method == "POST":
                    body = _json_body(raw_body)
                    if not isinstance(body, dict):
                        raise ValueError('body must be {"faults": [...]}')
                    return self._send(200, {"faults": emu.faults.add(body.get("faults"))},
                                      compressible=False)
            return self._send(404, {"error": f"no inspection route {method} {path}"}, compressible=False)
        except (ValueError, FaultError, messages.DecodeError) as exc:
            return self._send(400, {"error": str(exc)}, compressible=False)


def _retry_after(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _json_body(raw: bytes):
    if not raw.strip():
        return {}
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"malformed JSON: {exc}") from None


def _decode_body(message_name: str, raw: bytes) -> dict:
    """Decode a /v1/ request body like grpc-gateway: an empty body is an empty message."""
    if not raw.strip():
        return messages.empty(message_name)
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ApiError(INVALID_ARGUMENT, "proto: syntax error: invalid UTF-8 in request body") from None
    except ValueError as exc:
        raise ApiError(INVALID_ARGUMENT, f"proto: syntax error: {exc}") from None
    try:
        return messages.decode(message_name, data)
    except messages.DecodeError as exc:
        raise ApiError(INVALID_ARGUMENT, str(exc)) from None


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    ssl_context: ssl.SSLContext | None = None
    emulator: "EmulatorServer"

    def finish_request(self, request, client_address):
        if self.ssl_context is None:
            return super().finish_request(request, client_address)
        request.settimeout(30)
        try:
            tls_sock = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return  # failed handshake: nothing to answer
        try:
            self.RequestHandlerClass(tls_sock, client_address, self)
        finally:
            try:
                tls_sock.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, ssl.SSLError, TimeoutError, socket.timeout)):
            return
        self.emulator._log_raw(f"error while handling a request: {type(exc).__name__}: {exc}")


class EmulatorServer:
    """A Central emulator serving in a background thread.

    Args:
        host: address to listen on (default 127.0.0.1).
        port: TCP port; 0 picks a free one (see ``port`` after ``start()``).
        tls: serve HTTPS with a generated self-signed CA (default True).
        cert_dir: where ``ca.pem``, ``server.pem`` and ``server-key.pem`` live or are
            generated; a temporary directory when None.
        tokens: API tokens with Integration view+modify (default ``emulator-admin-token``).
        read_only_tokens: API tokens with Integration view only.
        admin_password: password for HTTP basic auth as ``admin``.
        log_file: path for the one-line-per-request log; stderr when None.
        log_stream: a file object for the log instead (e.g. ``io.StringIO()``).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, tls: bool = True,
                 cert_dir: str | os.PathLike | None = None, tokens=None, read_only_tokens=None,
                 admin_password: str | None = None, log_file: str | os.PathLike | None = None,
                 log_stream=None):
        self.host = host
        self.requested_port = port
        self.tls = tls
        self.cert_dir = str(cert_dir) if cert_dir else None
        self.tokens = list(tokens) if tokens else [DEFAULT_TOKEN]
        self.read_only_tokens = list(read_only_tokens or [])
        self.admin_password = admin_password or DEFAULT_ADMIN_PASSWORD
        self.store = Store()
        self.faults = Faults()
        self.requests = RequestLog()
        self.ca_path: str | None = None
        self.cert_path: str | None = None
        self.port: int | None = None
        self._log_path = log_file
        self._log_stream = log_stream
        self._log_lock = threading.Lock()
        self._log_handle = None
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle
    def bind(self) -> None:
        """Create the listening socket (and certificates) without serving yet."""
        if self._log_path and self._log_stream is None:
            self._log_handle = open(self._log_path, "a", encoding="utf-8", buffering=1)
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        server_class = type("_BoundHTTPServer", (_HTTPServer,), {"address_family": family})
        httpd = server_class((self.host, self.requested_port), _Handler)
        httpd.emulator = self
        if self.tls:
            from .certs import ensure_certificates
            cert_dir = self.cert_dir or tempfile.mkdtemp(prefix="central-emulator-certs-")
            self.cert_dir = cert_dir
            ca_path, cert_path, key_path = ensure_certificates(cert_dir)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            context.load_cert_chain(str(cert_path), str(key_path))
            httpd.ssl_context = context
            self.ca_path, self.cert_path = str(ca_path), str(cert_path)
        self._httpd = httpd
        self.port = httpd.server_address[1]

    def start(self) -> "EmulatorServer":
        if self._httpd is None:
            self.bind()
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="central-emulator",
                                        daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread (used by the CLI)."""
        if self._httpd is None:
            self.bind()
        self._httpd.serve_forever()

    def stop(self) -> None:
        if self._httpd is not None:
            if self._thread is not None:
                self._httpd.shutdown()
                self._thread.join(timeout=5)
            self._httpd.server_close()
            self._httpd = None
        if self._log_handle is not None:
            self._log_handle.close()
            self._log_handle = None

    def shutdown(self) -> None:
        """Stop serve_forever() from another thread or a signal handler."""
        if self._httpd is not None:
            threading.Thread(target=self._httpd.shutdown, daemon=True).start()

    def __enter__(self) -> "EmulatorServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # -- state
    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.tls and host in ("0.0.0.0", "[::]"):
            host = "localhost"
        return f"{scheme}://{host}:{self.port}"

    def reset(self) -> None:
        """Fresh-Central state: default integrations, no counters, no faults."""
        self.store.reset()
        self.requests.clear()
        self.faults.clear()

    # -- logging (never bodies, headers or secrets)
    def _log_line(self, method: str, path: str, status: int, started: float) -> None:
        duration_ms = (time.monotonic() - started) * 1000
        self._log_raw(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {method} {path} {status} {duration_ms:.1f}ms")

    def _log_raw(self, line: str) -> None:
        stream = self._log_stream or self._log_handle or sys.stderr
        with self._log_lock:
            try:
                stream.write(line + "\n")
                stream.flush()
            except (OSError, ValueError):
                pass
