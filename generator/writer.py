"""Pelican's writer, made incremental: a page whose fingerprint matches the last build's is
kept as it is (no rendering), and a rendered page is written only when its bytes changed."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pelican.writers import Writer

from .output import write_if_changed
from .state import build_state


class _ChangedOnlyFile(io.StringIO):
    def __init__(self, path: Path, encoding: str) -> None:
        super().__init__()
        self.path = path
        self.encoding_name = encoding

    def close(self) -> None:
        if not self.closed:
            write_if_changed(self.path, self.getvalue().encode(self.encoding_name))
        super().close()


class IncrementalWriter(Writer):  # type: ignore[misc]
    def __init__(self, output_path: str, settings: dict[str, Any]) -> None:
        super().__init__(output_path, settings=settings)
        self.state = build_state(settings)

    def write_file(self, name: str, template: Any, context: dict[str, Any],
                   relative_urls: bool = False, paginated: Any = None,
                   template_name: str | None = None, override_output: bool = False,
                   url: str | None = None, **kwargs: Any) -> None:
        fingerprint = kwargs.pop("fingerprint", None)
        key = self.state.page_key(name, template.name, fingerprint, kwargs) if name else None
        tracker = self.state.outputs
        if key is not None and tracker is not None and tracker.keep(name, key):
            return
        super().write_file(name, template, context, relative_urls, paginated, template_name,
                           override_output, url, **kwargs)
        if name and tracker is not None:
            tracker.record(name, key)

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> _ChangedOnlyFile:
        if filename in self._written_files:
            from pelican.writers import FileOverwriteFailedError

            raise FileOverwriteFailedError(f'Failed to overwrite "{filename}": written twice')
        self._written_files.add(filename)
        return _ChangedOnlyFile(Path(filename), encoding)  # already sanitised by the caller
