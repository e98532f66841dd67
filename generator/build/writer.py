"""Pelican's writer, made incremental: a rendered page is written only when its bytes changed,
never through a hard link into the previous output.

Pages rendered by forked workers are announced (Pelican's `content_written`) by the parent
process once the workers are done, so every plugin's handler sees every page in one process.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from .output import write_if_changed

Templates = Callable[[str], Any]  # a template's name → the Jinja template


class _ChangedOnlyFile(io.StringIO):
    def __init__(self, path: Path, encoding: str) -> None:
        super().__init__()
        self.path = path
        self.encoding_name = encoding

    def close(self) -> None:
        if not self.closed:
            write_if_changed(self.path, self.getvalue().encode(self.encoding_name))
        super().close()


class PageWriter(Writer):  # type: ignore[misc]
    def __init__(self, output_path: str, settings: dict[str, Any]) -> None:
        super().__init__(output_path, settings=settings)
        self.parent = os.getpid()
        self.unannounced: list[str] = []  # written by a worker: announced by the parent

    def write_page(self, name: str, template: Any, context: Mapping[str, Any],
                   relative_urls: bool | None, values: Mapping[str, Any]) -> None:
        """Render one page as Pelican's `write_file` does (same local context), then write
        it if its bytes changed and announce it."""
        local = dict(context)
        local["localsiteurl"] = local.get("localsiteurl")
        if self.settings["RELATIVE_URLS"] if relative_urls is None else relative_urls:
            local["SITEURL"] = local["localsiteurl"] = path_to_url(get_relative_path(name))
        local["output_file"] = name
        local.update(values)
        path = sanitised_join(self.output_path, name)
        with self._open_w(path, "utf-8") as file:
            file.write(template.render(local))
        if os.getpid() == self.parent:
            signals.content_written.send(path, context=local)
        else:
            self.unannounced.append(path)

    def announce_sent_back(self, context: Mapping[str, Any]) -> None:
        """`content_written` for the pages workers wrote (with the site's context: theirs
        stayed in the worker)."""
        paths, self.unannounced = self.unannounced, []
        for path in paths:
            signals.content_written.send(path, context=dict(context, output_file=path))

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> _ChangedOnlyFile:
        if filename in self._written_files:
            raise FileOverwriteFailedError(f'Failed to overwrite "{filename}": written twice')
        self._written_files.add(filename)
        return _ChangedOnlyFile(Path(filename), encoding)  # already sanitised by the caller
