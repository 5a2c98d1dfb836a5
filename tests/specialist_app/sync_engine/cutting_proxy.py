"""A loopback proxy for attachment tests: records requests, cuts an upload chunk or a download answer mid-way."""

from __future__ import annotations

import http.client
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.loopback_proxy import LoopbackProxy


class CuttingProxy(LoopbackProxy):
    """Forwards to the server and records requests; can cut an upload chunk or a download answer mid-way."""

    def __init__(self, upstream: str) -> None:
        self.cut_patch_from: int | None = None  # PATCHes at this offset or beyond lose their connection mid-body
        self.cut_download_after: int | None = None  # a GET /blobs answer stops after this many body bytes (once)
        self.retype_download: str | None = None  # GET /blobs answers carry this Content-Type instead
        self.seen: list[tuple[str, str, dict[str, str], int]] = []  # method, path, headers, body bytes
        super().__init__(upstream)

    def patch_offsets(self) -> list[int]:
        return [int(parse_qs(urlsplit(p).query)["offset"][0]) for m, p, _h, _n in self.seen if m == "PATCH"]

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in ("host", "content-length")}
        if handler.command == "PATCH" and self.cut_patch_from is not None:
            offset = int(parse_qs(urlsplit(handler.path).query)["offset"][0])
            if offset >= self.cut_patch_from:
                handler.rfile.read(length // 2)  # half the chunk arrived, then the line went down
                handler.close_connection = True
                return
        body = handler.rfile.read(length) if length else b""
        self.seen.append((handler.command, handler.path, headers, len(body)))
        conn = http.client.HTTPConnection(*self.upstream, timeout=30)
        try:
            conn.request(handler.command, handler.path, body=body or None, headers=headers)
            answer = conn.getresponse()
            data = answer.read()
            kept = [(k, v) for k, v in answer.getheaders() if k.lower() not in ("content-length", "connection",
                                                                                "transfer-encoding")]
        finally:
            conn.close()
        declared = len(data)
        if handler.command == "HEAD":
            declared = int(answer.getheader("Content-Length") or 0)
        cut = self.cut_download_after
        if handler.command == "GET" and handler.path.startswith("/blobs/") and cut is not None and len(data) > cut:
            self.cut_download_after = None
            data = data[:cut]
            handler.close_connection = True
        if handler.command == "GET" and handler.path.startswith("/blobs/") and self.retype_download is not None:
            kept = [(k, self.retype_download if k.lower() == "content-type" else v) for k, v in kept]
        handler.send_response(answer.status)
        for key, value in kept:
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(declared))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(data)
        handler.wfile.flush()
