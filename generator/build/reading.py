"""Reading every content file once: from the content cache when its bytes are unchanged, else
with the given reader, on every core when there are many files.

The engine knows nothing of what a file means: `reader` turns paths into records (see
generator.content.reader) and this module only decides which files need it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..model.records import Article, Page
from .cache import ContentCache, dump_document, load_document
from .parallel import give_back_memory, map_chunks
from .resident import FileDigests, file_digest

Document = Article | Page


class FileRead(Protocol):
    """What a reader gives for one file."""

    @property
    def path(self) -> str: ...
    @property
    def document(self) -> Document | None: ...
    @property
    def problems(self) -> Sequence[Any]: ...
    @property
    def digest(self) -> str: ...
    @property
    def failed(self) -> bool: ...  # an error among the problems: the record is not cached


Reader = Callable[[Sequence[Path]], Sequence[FileRead]]
# path, document (None when a worker sent its cache line instead), its cache line (None when
# it has problems: never cached), problems, digest of the bytes parsed
Sent = tuple[str, Document | None, bytes | None, list[Any], str]


@dataclass
class Documents:
    """Every file's record (None: it has problems), digest and problems, by display path."""

    records: dict[str, Document | None] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # path → sha256 of the file
    problems: list[Any] = field(default_factory=list)

    def of_kind(self, kind: type[Document]) -> list[Any]:
        return [d for d in self.records.values() if isinstance(d, kind)]


def read_documents(
    files: Sequence[tuple[str, Path | str]],
    cache: ContentCache,
    reader: Reader,
    workers: int = 0,
    memory: FileDigests | None = None,
) -> Documents:
    """`files` are (display path, file) pairs; unchanged files come from `cache`, the others
    from `reader`, whose results are added to the cache for the next build."""
    documents = Documents()
    pending: list[Path] = []
    for path, file in files:
        digest = documents.digests[path] = (
            memory.file_digest(path, file) if memory else file_digest(file)
        )
        cached = cache.get(path, digest)
        if cached is None:
            pending.append(Path(file))
        else:
            documents.records[path] = cached
    for path, document, body, problems, digest in map_chunks(
        _Encoding(reader), pending, workers, _sent_back
    ):
        if document is None and body is not None:
            document = load_document(body)  # read by another process
            assert document is not None, f"{path}: a record did not survive its encoding"
        documents.records[path] = document
        documents.digests[path] = digest or documents.digests[path]  # saved since hashed?
        documents.problems.extend(problems)
        if body is not None and document is not None:
            cache.put(path, documents.digests[path], body, document)
    if files:  # save the pack now (each entry stands for a file's bytes, whatever the build
        cache.save()  # makes of them) and free its lines before pages need the memory
        cache.release()
        give_back_memory()  # the lines and what workers sent: hundreds of MB at 20,000
    return documents


@dataclass(frozen=True)
class _Encoding:
    """The reader, with each good record's cache line made where it was read."""

    reader: Reader

    def __call__(self, files: Sequence[Path]) -> list[Sent]:
        return [
            (
                r.path,
                r.document,
                dump_document(r.document) if r.document is not None and not r.failed else None,
                list(r.problems),
                r.digest,
            )
            for r in self.reader(files)
        ]


def _sent_back(results: list[Sent]) -> list[Sent]:
    """What a worker sends back: each document's cache line, which the parent needs anyway
    and decodes as it decodes the cache's, not the document as well."""
    return [(path, None, body, problems, digest) for path, _, body, problems, digest in results]
