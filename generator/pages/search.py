"""Search without a server: output/search/ (classic scripts: a manifest and its shards) and
search.html.

The index is made by generator.render.search in a task beside the pages, each record's row
and words kept between builds as pieces; docs/search-index.md describes its format. The task
keeps what the index was (`Kept`: its vocabulary, postings, row sizes and shards) for the next
build, which patches it when only some articles' files changed (`patched_index`): their
documents leave and join the postings of the words they lost and gained, and the shards
nothing changed in are kept as they are, without being made. Otherwise the index is made
anew. Either way each shard is written only when its bytes change; shards a smaller index no
longer has are not written, so the engine removes them as stale.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import msgspec

from ..render.search import (
    INDEX_FILE,
    PAGE_FILE,
    Kept,
    Shard,
    build_index,
    documents_digest,
    index_shards,
    manifest_script,
    patched_index,
)
from .base import Depends, Files, Output, Page, PageFamily, Task

KEPT = "search-index"  # what the task keeps for the next build (Files.keep)


class SearchPage(PageFamily):
    def outputs(self) -> Iterator[Output]:
        site = self.site
        yield Task(self._write_index, size=len(site.events) + len(site.quotes) + len(site.articles))
        values = {"section": "search"}
        yield Page(PAGE_FILE, "search", values, Depends(values=values))

    def _write_index(self) -> None:
        site, files = self.site, self.inputs.files
        documents = documents_digest(site)
        digests = [self.inputs.file_digests.get(a.path, "") for a in site.articles]
        kept = _kept(files.recall(KEPT))
        patched = (
            patched_index(site, kept, documents, digests, files.piece, files.kept_piece)
            if kept is not None
            else None
        )
        index, changes = patched if patched is not None else (build_index(site, files.piece), None)
        shards: dict[str, tuple[int, str]] = {}
        tables: dict[str, list[list[Any]]] = {"terms": [], "docs": []}
        for shard in index_shards(index, kept.shards if kept is not None else None, changes):
            known = shard.known
            if known is None or files.claim(shard.name, "search", _shows(known)) is not None:
                known = _write_shard(files, shard)  # changed, or last build's file is gone
            shards[shard.span] = known
            tables[shard.kind].append([shard.first, known[0]])
        files.write_text(INDEX_FILE, manifest_script(index.head, tables))
        remembered = Kept(
            documents, digests, index.terms, index.postings, index.row_sizes.tobytes(), shards
        )
        files.keep(KEPT, msgspec.json.encode(remembered))


def _shows(known: tuple[int, str]) -> Depends:
    """What a shard of this size and digest shows: its bytes."""
    return Depends(text=(known[1],))


def _write_shard(files: Files, shard: Shard) -> tuple[int, str]:
    """Make the shard, and write it unless last build's file has these bytes: its size and
    digest."""
    text = shard.make()
    data = text.encode()
    known = len(data), hashlib.sha256(data).hexdigest()
    claim = files.claim(shard.name, "search", _shows(known))
    if claim is not None:
        files.write_text(shard.name, text, claim)
    return known


def _kept(body: memoryview | None) -> Kept | None:
    """Last build's index as it kept it, if it did (a file this machine signed: see
    Files.recall; one that does not decode is as good as none)."""
    if body is None:
        return None
    try:
        return msgspec.json.decode(body, type=Kept)
    except msgspec.DecodeError:
        return None
