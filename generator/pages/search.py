"""Search without a server: output/search/index.js (a classic script) and search.html.

The index is made by generator.render.search in a task beside the pages, each record's row
and words kept by make serve between builds; docs/search-index.md describes its format.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..render.search import INDEX_FILE, PAGE_FILE, build_index, index_script
from .base import Depends, Page, PageFamily, Task


class SearchPage(PageFamily):
    def outputs(self) -> Iterator[Page | Task]:
        site = self.site
        yield Task(self._write_index, size=len(site.events) + len(site.quotes) + len(site.articles))
        values = {"section": "search"}
        yield Page(PAGE_FILE, "search", values, Depends(values=values))

    def _write_index(self) -> None:
        files = self.inputs.files
        files.write_text(INDEX_FILE, index_script(build_index(self.site, files.piece)))
