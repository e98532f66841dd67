"""Benchmark settings: the project's pelicanconf.py, pointed at a synthetic content folder.

    BENCH_CONTENT=/tmp/c1000 BENCH_OUTPUT=/tmp/out1000 \\
        .venv/bin/python -m generator build --settings bench/benchconf.py

Pelican loads settings files by path (not as modules), so `from pelicanconf import *` cannot
work; the repository's file is run with runpy and its UPPER_CASE names are copied. Paths in
it that are relative to the repository (THEME, PLUGIN_PATHS, CACHE_PATH) are made absolute,
because Pelican would otherwise resolve them against bench/.

BENCH_CONTENT: the content folder (made by bench/synth.py); default bench/.work/content.
BENCH_OUTPUT: the output folder; default bench/.work/output.
"""

import os
import runpy

_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.dirname(_HERE)

globals().update(
    {k: v for k, v in runpy.run_path(os.path.join(_ROOT, "pelicanconf.py")).items() if k.isupper()}
)


def _from_root(path: str) -> str:
    return path if os.path.isabs(path) else os.path.normpath(os.path.join(_ROOT, path))


PATH = os.path.abspath(os.environ.get("BENCH_CONTENT") or os.path.join(_HERE, ".work", "content"))
OUTPUT_PATH = os.path.abspath(
    os.environ.get("BENCH_OUTPUT") or os.path.join(_HERE, ".work", "output")
)
PLUGIN_PATHS = [_ROOT]
if isinstance(globals().get("THEME"), str) and os.path.isdir(_from_root(THEME)):  # noqa: F821
    THEME = _from_root(THEME)  # noqa: F821
if isinstance(globals().get("CACHE_PATH"), str):
    CACHE_PATH = _from_root(CACHE_PATH)  # noqa: F821

# The offline downloads are a publishing artefact (`make dist`, `make publish`); the edit-and-look
# loop (`make serve`) builds without them, and so does the benchmark unless BENCH_DOWNLOAD_ZIP=1.
# At N=5,000 (measured on a busy machine): ~7 s of CPU when made from nothing, ~0.2 s after one
# edit (members of unchanged files copied from the previous zips).
TIMELINE_DOWNLOAD_ZIP = os.environ.get("BENCH_DOWNLOAD_ZIP", "") == "1"
