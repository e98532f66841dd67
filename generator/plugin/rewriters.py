"""Plugins that rewrite the whole output in place at `finalized`, made incremental.

pelican-minify walks OUTPUT_PATH at `finalized` and minifies every .html, .css and .js file
there. In an incremental build that is wrong twice over: a page kept from the last build is
minified already (minifying it again changes, and can break, it), and a kept file is a hard
link into the previous output, which an in-place rewrite would change too. So while
`finalized` is sent its receiver is held back, and it is run here on the files this build
wrote, each first given an inode of its own. A cold build minifies every file, once; a warm
build, what changed: the same bytes.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from pelican import signals

MINIFY = "pelican.plugins.minify"


@contextmanager
def rewriters_held_back(pelican: Any, fresh: Callable[[], Iterable[Path]]) -> Iterator[None]:
    """Around `signals.finalized.send(pelican)`: pelican-minify runs on `fresh()` only."""
    held = [
        r
        for r in signals.finalized.receivers_for(pelican)
        if getattr(r, "__module__", "").startswith(MINIFY)
    ]
    for receiver in held:
        signals.finalized.disconnect(receiver)
    try:
        yield
    finally:
        for receiver in held:
            signals.finalized.connect(receiver)
    for receiver in held:
        minify_files(receiver, pelican.settings, fresh())


def minify_files(minify: Any, settings: Any, files: Iterable[Path]) -> None:
    """What pelican-minify's `Minify(pelican)` does to each file, for `files` only."""
    html, css, js = (settings.get(key, True) for key in ("HTML_MIN", "CSS_MIN", "JS_MIN"))
    inline = (settings.get("INLINE_CSS_MIN", True), settings.get("INLINE_JS_MIN", True))
    for file in files:
        name = file.name
        if fnmatch(name, "*.html") and html:
            options = inline
        elif fnmatch(name, "*.css") and css:
            options = (True, False)
        elif fnmatch(name, "*.js") and js:
            options = (False, True)
        else:
            continue
        own_inode(file)
        minify.write_to_file(str(file), lambda text, o=options: minify.minify(None, text, *o))


def own_inode(file: Path) -> None:
    """Copy a hard-linked file to a new inode, so rewriting it leaves the other link alone."""
    if os.stat(file).st_nlink > 1:
        copy = file.with_name(f".{file.name}.own")
        shutil.copyfile(file, copy)
        os.replace(copy, file)
