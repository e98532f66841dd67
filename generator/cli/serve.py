"""`make serve`: build, serve output/ on localhost, rebuild when content/ or theme/ change.

Every rebuild runs in this process, which keeps what the last build read (generator.build.resident:
the content cache with its decoded records, each file's hash): a rebuild after an edit reads
and parses only the edited file, and renders only the pages whose inputs changed. A failed
build leaves the last good site being served while its messages are printed.

A build swaps its new tree in while pages are being served (and `make html` may build the same
output/ meanwhile: builds of one output wait for each other): a file that is not found is
looked for once more, after the swap (where a swap is two renames, once output/ is back),
before the answer is 404. A path that is not a file's
(a NUL byte, a `..` segment, bytes that are not UTF-8) is answered 400.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from watchfiles import watch as watch_changes

from ..build.resident import Memory
from .build import build_resident

SWAP_WAIT = 0.01  # seconds before looking again for a file that was not found
SWAP_LIMIT = 2.0  # seconds to wait for an output folder that is being swapped in


class _Vanished(Exception):
    """A 404 about to be sent: the file may have gone with the tree being swapped out."""


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves the output folder; see the module docstring."""

    retried = False

    def do_GET(self) -> None:
        if self._valid_path():
            self.retried = False
            super().do_GET()

    def do_HEAD(self) -> None:
        if self._valid_path():
            self.retried = False
            super().do_HEAD()

    def _valid_path(self) -> bool:
        path = urlsplit(self.path).path
        try:
            text = unquote(path, errors="strict")
        except UnicodeDecodeError:
            text = "\0"
        if "\0" in text or ".." in text.replace("\\", "/").split("/"):
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad request path")
            return False
        return True

    def send_head(self) -> Any:
        try:
            return super().send_head()
        except _Vanished:
            deadline = time.monotonic() + SWAP_LIMIT
            time.sleep(SWAP_WAIT)
            while not os.path.isdir(self.directory) and time.monotonic() < deadline:
                time.sleep(SWAP_WAIT)
            return super().send_head()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code == HTTPStatus.NOT_FOUND and not self.retried:
            self.retried = True
            raise _Vanished
        super().send_error(code, message, explain)


def _build(settings: Path, output: Path, memory: Memory) -> int:
    started = time.perf_counter()
    code = build_resident(settings, output, memory)
    took = f"{time.perf_counter() - started:.2f} s"
    print(
        f"serve: build ok ({took})"
        if code == 0
        else f"serve: build failed ({took}; see above); still serving the last good site",
        flush=True,
    )
    return code


def serve(settings: Path, output: Path, port: int, watch: list[Path]) -> int:
    memory = Memory()
    _build(settings, output, memory)
    handler = functools.partial(SiteHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serve: http://127.0.0.1:{server.server_port}/index.html (Ctrl-C to stop)", flush=True)
    try:
        for _ in watch_changes(*[p for p in watch if p.exists()]):
            _build(settings, output, memory)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0
