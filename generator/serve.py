"""`make serve`: build, serve output/ on localhost, rebuild when content/ or theme/ change.

Each rebuild is a fresh `python -m generator build` process: the fast path (content cache,
kept pages, changed-only writes) makes it quick, and a failed build leaves the last good site
being served while its messages are printed.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def _build(settings: Path, output: Path) -> None:
    command = [sys.executable, "-m", "generator", "build", "--settings", str(settings),
               "--output", str(output), "--no-download-zip"]
    result = subprocess.run(command, check=False)
    print("serve: build ok" if result.returncode == 0 else "serve: build failed (see above); "
          "still serving the last good site", flush=True)


def serve(settings: Path, output: Path, port: int, watch: list[Path]) -> int:
    from watchfiles import watch as watch_changes

    _build(settings, output)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serve: http://127.0.0.1:{server.server_port}/index.html (Ctrl-C to stop)", flush=True)
    try:
        for _ in watch_changes(*[p for p in watch if p.exists()]):
            _build(settings, output)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0
