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
from pelican.contents import Content
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from ..model.urls import shorten_links
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


def _announce(path: str, local: Mapping[str, Any]) -> None:
    """Pelican's `content_written`. Plugins take `article` and `page` for Pelican's content
    objects (pelican-sitemap reads their `url`): our timeline pages' `page` (a page of a
    timeline) is left out of what they see."""
    if not signals.content_written.receivers:
        return
    hidden = [
        key for key in ("article", "page") if key in local and not isinstance(local[key], Content)
    ]
    shown = {k: v for k, v in local.items() if k not in hidden} if hidden else local
    signals.content_written.send(path, context=shown)


class PageWriter(Writer):  # type: ignore[misc]
    def __init__(self, output_path: str, settings: dict[str, Any]) -> None:
        super().__init__(output_path, settings=settings)
        self.parent = os.getpid()
        self.unannounced: list[str] = []  # names written by a worker: the parent announces

    def write_page(
        self,
        name: str,
        template: Any,
        context: Mapping[str, Any],
        relative_urls: bool | None,
        values: Mapping[str, Any],
    ) -> None:
        """Render one page as Pelican's `write_file` does (same local context), then write
        it if its bytes changed and announce it."""
        local = dict(context)
        local["localsiteurl"] = local.get("localsiteurl")
        relative = self.settings["RELATIVE_URLS"] if relative_urls is None else relative_urls
        if relative:
            local["SITEURL"] = local["localsiteurl"] = path_to_url(get_relative_path(name))
        local["output_file"] = name
        local.update(values)
        path = sanitised_join(self.output_path, name)
        html = template.render(local)
        with self._open_w(path, "utf-8") as file:
            file.write(shorten_links(html, name) if relative else html)
        if os.getpid() == self.parent:
            _announce(path, local)
        elif signals.content_written.receivers:
            self.unannounced.append(name)

    @property
    def announcing(self) -> bool:
        """Does a plugin listen for `content_written`? It hears of kept pages too, with their
        values, so their pages must be declared."""
        return bool(signals.content_written.receivers)

    def announce(self, name: str, context: Mapping[str, Any], values: Mapping[str, Any]) -> None:
        """`content_written` for a page written by another process or kept from the last
        build, with the site's context and the page's own values when they are at hand."""
        if signals.content_written.receivers:
            local = {**context, "output_file": name, **values}
            _announce(sanitised_join(self.output_path, name), local)

    def announce_sent_back(self, context: Mapping[str, Any]) -> None:
        names, self.unannounced = self.unannounced, []
        for name in names:
            self.announce(name, context, {})

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> _ChangedOnlyFile:
        if filename in self._written_files:
            raise FileOverwriteFailedError(f'Failed to overwrite "{filename}": written twice')
        self._written_files.add(filename)
        return _ChangedOnlyFile(Path(filename), encoding)  # already sanitised by the caller
