"""`make serve`: build, serve output/ on localhost, rebuild when content/ or theme/ change.

Every rebuild runs in this process, which keeps what the last build read (generator.build.resident:
the content cache with its decoded records, each file's hash): a rebuild after an edit reads
and parses only the edited file, and renders only the pages whose inputs changed. A failed
build leaves the last good site being served while its messages are printed.
"""

from __future__ import annotations

import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watchfiles import watch as watch_changes

from ..build.resident import Memory
from .build import build_resident


def _build(settings: Path, output: Path, memory: Memory) -> int:
    started = time.perf_counter()
    code = build_resident(settings, output, memory)
    took = f"{time.perf_counter() - started:.2f} s"
    print(f"serve: build ok ({took})" if code == 0 else f"serve: build failed ({took}; see "
          "above); still serving the last good site", flush=True)
    return code


def serve(settings: Path, output: Path, port: int, watch: list[Path]) -> int:
    memory = Memory()
    _build(settings, output, memory)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(output))
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
