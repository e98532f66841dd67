"""Packing the downloads (slices of the site, slices.py) into zips, incrementally.

- Links of a page to a file the slice does not hold are rewritten in the zipped copy (never
  in the output): to the published page when SITEURL is an http(s) address, else to
  not-in-download.html?page=<its path>, a page of the zip saying so. Only href, src, action
  and data attributes written with double quotes (what the templates and the Markdown
  renderer write) are links here, not text inside another attribute's value.
- A member is copied from the previous zip, compressed as it is, when its file is last
  build's file as it was (the engine's `unchanged`: same inode, so the same bytes), the
  previous zip was made by this code with these settings (its comment), and, for a page, the
  rewrite cannot differ: no file joined or left the slice, or the page names none of those
  that did.
- Anything else is read, rewritten and compressed before any zip is written, on every core
  (forked processes, each into a spool file of its own: the rewrite is Python, and threads
  would wait for each other), then copied into each zip in order. The same bytes are
  compressed once per process, and a later zip copies them from the first that took them.
"""

from __future__ import annotations

import functools
import hashlib
import html
import os
import posixpath
import re
import shutil
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from ..build import archive
from ..build.archive import Compressed, OldArchive, Spool, Spooled, Stored, ZipWriter
from ..build.output import Stamp, stamp_of
from ..build.parallel import map_chunks
from ..model.urls import to_root

MISSING_PAGE = "not-in-download.html"
ATTRIBUTES = (b"href", b"src", b"action", b"data")  # a link: white space, then one of
# these, then ="value" (templates and the Markdown renderer write links so); each link is
# found wherever it starts, even inside another's value (as a browser cannot read it)
PATHS = [re.compile(rb'%s="(?=([^"#<>]*)[#"])' % name) for name in ATTRIBUTES]  # a link's
# path, not consumed (the next link may start in it), found by a fast literal search
SPACE = frozenset(b" \t\n\r\f\v")  # what \s matches in a bytes pattern
FEW_CHANGES = 8  # paths to change in a page, past which one pass over its links is quicker
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
PLAIN_PATH = re.compile(rb"[A-Za-z0-9._/-]+")  # no entity, escape, query, scheme or space
SEEN_LIMIT = 50_000  # links `rewrite_links` remembers (~10 MB): the menus' stay found
Rewrite = tuple[bytes, bool] | None  # a link's new path?query; whether its #fragment follows
UNKNOWN: Rewrite = (b"", False)  # not yet in the memo (compared by identity)


@functools.cache
def packing_version() -> str:
    """What a member's bytes depend on besides its file and the slice: this module (the
    rewrite), the zip writer and zlib. A previous zip made otherwise is not reused (a digest
    of these, not of all the code, so that the zips change only when packing does)."""
    here = Path(__file__).read_bytes() + Path(archive.__file__).read_bytes()
    return hashlib.sha256(here + zlib.ZLIB_RUNTIME_VERSION.encode()).hexdigest()


@dataclass(frozen=True)
class Packed:
    """A download: its size and how many pages (HTML files) it holds."""

    size: int
    pages: int


def site_files(output: Path) -> dict[str, int]:
    """Every file of a built site (posix path → inode), sorted by path; links not followed."""
    found: dict[str, int] = {}

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file(follow_symlinks=False):
                    found[f"{prefix}{entry.name}"] = entry.inode()

    walk(str(output), "")
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class Download:
    """One zip to make: `files` (name → inode, all of its slice), `replacements` (name → the
    bytes it has in the zip), `previous` (the last zip of this slice, when there is one: read
    by offset, never whole) and the `comment` naming what it was made with."""

    files: Mapping[str, int]
    replacements: Mapping[str, bytes]
    previous: Path
    comment: bytes
    written: Stamp | None = None  # the previous zip's stamp as the last build left it


@dataclass
class _Plan:
    """A zip's members in order: those copied from its previous zip (`reused`), and the
    others, made in this build (read, their links rewritten, compressed)."""

    download: Download
    names: list[str]
    members: set[str]
    reused: dict[str, Stored]


def pack(
    output: Path,
    downloads: Sequence[Download],
    site_address: str,
    unchanged: Callable[[str, int], bool],
    into: Callable[[int], AbstractContextManager[int]],
    workers: int = 0,
) -> list[Packed]:
    """Every zip of `downloads`, the i-th written to `into(i)` (a descriptor of an empty
    file open for reading and writing, while the context lasts). What a previous zip holds
    as it is, is copied from it; every other member is made first, on every core (`workers`:
    a setting, 0 for one per core when it pays), into spool files in a folder of `output`
    removed before this returns."""
    with ExitStack() as stack, Compressed() as compressed:
        plans = [_plan(output, download, unchanged, stack) for download in downloads]
        spool = Path(tempfile.mkdtemp(prefix=".spool-", dir=output))
        stack.callback(shutil.rmtree, spool, ignore_errors=True)
        made = _made(output, plans, site_address, spool, workers)
        packed = []
        for index, plan in enumerate(plans):
            with into(index) as descriptor:
                writer = ZipWriter(compressed.own(descriptor))
                for name in plan.names:
                    stored = plan.reused.get(name)
                    if stored is not None:
                        writer.add(name, stored)
                    else:
                        member = made[index, name]
                        here = writer.add(name, compressed.spooled(member))
                        compressed.members.setdefault(member.key, here)
                size = writer.finish(plan.download.comment)
            packed.append(Packed(size, sum(name.endswith(".html") for name in plan.names)))
        return packed


def _plan(
    output: Path,
    download: Download,
    unchanged: Callable[[str, int], bool],
    stack: ExitStack,
) -> _Plan:
    """Which members of `download` its previous zip (left open on `stack`) gives as they are."""
    names = sorted({*download.files, *download.replacements})
    members = set(names)
    descriptor = stack.enter_context(_opened(download.previous))
    old = (
        OldArchive.read(descriptor, download.comment, download.written == stamp_of(descriptor))
        if descriptor >= 0
        else None
    )
    moved = Moved(members.symmetric_difference(old.members) if old is not None else ())
    reused = {}
    for name in download.files:
        if name not in download.replacements:
            stored = _reusable(name, download.files[name], old, moved, output, unchanged)
            if stored is not None:
                reused[name] = stored
    return _Plan(download, names, members, reused)


def _made(
    output: Path, plans: Sequence[_Plan], site_address: str, spool: Path, workers: int
) -> dict[tuple[int, str], Spooled]:
    """Every member no previous zip gives, made on every core (forked processes, each
    appending to a spool file of its own in `spool`), by (zip, name)."""
    jobs = [(i, name) for i, plan in enumerate(plans) for name in plan.names]
    jobs = [(i, name) for i, name in jobs if name not in plans[i].reused]
    seen: dict[int, dict[tuple[str, bytes], Rewrite]] = {}  # this process's, of one zip
    spools: dict[int, Spool] = {}  # by process id: a forked worker makes its own

    def make(chunk: Sequence[tuple[int, str]]) -> list[tuple[tuple[int, str], Spooled]]:
        into = spools.get(os.getpid())
        if into is None:
            into = spools[os.getpid()] = Spool(spool)
        made = []
        for index, name in chunk:
            download = plans[index].download
            data = download.replacements.get(name)
            if data is None:
                data = (output / name).read_bytes()
            if name.endswith(".html"):
                members = plans[index].members
                memo = seen.get(index)
                if memo is None:  # the jobs go zip by zip: the last zip's links not needed
                    for done in seen.values():
                        done.clear()
                    seen.clear()
                    memo = seen[index] = {}
                data = rewrite_links(name, data, members, site_address, memo)
            made.append(((index, name), into.add(data)))
        into.flush()  # on disk before a worker says where (a worker's file closes as it ends)
        return made

    try:
        return dict(map_chunks(make, jobs, workers, stage="pack", chunks_per_worker=32))
    finally:
        for into in spools.values():  # this process's own
            into.close()


@contextmanager
def _opened(path: Path) -> Iterator[int]:
    """A descriptor of the file at `path` for reading, or -1 when there is none."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        descriptor = -1  # not yielded here: a later error would carry this one
    if descriptor < 0:
        yield -1
        return
    try:
        yield descriptor
    finally:
        os.close(descriptor)


def _reusable(
    name: str,
    inode: int,
    old: OldArchive | None,
    moved: Moved,
    output: Path,
    unchanged: Callable[[str, int], bool],
) -> Stored | None:
    if old is None or not unchanged(name, inode):
        return None
    stored = old.members.get(name)
    if stored is None or not moved.names or not name.endswith(".html"):
        return stored
    return None if moved.named_by(name, (output / name).read_bytes()) else stored


class Moved:
    """The files that joined or left a slice since its previous zip. A page links one by a
    relative path that ends with its folder and file name ("bakhmut/index.html"), or with its
    file name alone from the same folder: a page naming neither is rewritten as before."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = sorted(names)
        self.far: list[bytes] = []
        self.near: dict[str, list[bytes]] = {}
        for name in self.names:
            folder, file = posixpath.split(name)
            tail = posixpath.join(posixpath.basename(folder), file)
            self.far += _spellings(tail)
            self.near.setdefault(folder, []).extend(_spellings(file))

    def named_by(self, page: str, data: bytes) -> bool:
        near = self.near.get(posixpath.dirname(page), [])
        return any(needle in data for needle in (*near, *self.far))


def _spellings(path: str) -> list[bytes]:
    return sorted({path.encode("utf-8"), quote(path).encode("ascii")})


def rewrite_links(
    name: str,
    page: bytes,
    members: set[str],
    site_address: str,
    seen: dict[tuple[str, bytes], Rewrite] | None = None,
) -> bytes:
    """`page` (the file `name`) with its links to files not in `members` pointed at the
    published site (`site_address`) or, without one, at the zip's not-in-download page.
    `seen`: what each link's path became, by folder, for the pages of one zip (a folder's
    pages share most paths: the menu, the footer, the regions; the #fragments differ, so
    they are not part of what is remembered).

    The distinct paths the page links are found first and each is looked at once; most
    pages change in a few links only (the menus' feeds and data files), which are then
    searched for one by one. (A Python call for every link, as re.sub with a function
    makes, was most of the packing's time: 1.9 s at 5,000 articles, now 1.2.)"""
    folder = posixpath.dirname(name)
    known = {} if seen is None else seen
    if len(known) > SEEN_LIMIT:  # links of pages packed long ago: forgotten, not held for
        known.clear()  # the whole zip (millions at tens of thousands of articles)
    changes: dict[bytes, tuple[bytes, bool]] = {}
    for pattern in PATHS:
        for path in set(pattern.findall(page)):
            new = known.get((folder, path), UNKNOWN)
            if new is UNKNOWN:
                new = known[(folder, path)] = _rewritten(name, path, members, site_address)
            if new is not None:
                changes[path] = new
    return _edited(page, changes) if changes else page


def _edited(page: bytes, changes: Mapping[bytes, tuple[bytes, bool]]) -> bytes:
    """`page` with the path of each link whose path is a key of `changes` replaced by its
    new value, the #fragment after it kept or dropped as the value says."""
    edits: list[tuple[int, int, bytes]] = []

    def edit(at: int, path: bytes) -> None:  # `at`: where the link's `="` is
        value, keeps_fragment = changes[path]
        end = at + 2 + len(path)
        after = page[end : end + 1]
        close = end if after == b'"' else page.find(b'"', end) if after == b"#" else -1
        if close > end and (page.find(b"<", end, close) >= 0 or page.find(b">", end, close) >= 0):
            close = -1  # a fragment running out of its tag: no closing quote there
        if close >= 0 and _link_attribute_ends(page, at):  # the whole path of a link
            edits.append((at + 2, end if keeps_fragment else close, value))

    if len(changes) <= FEW_CHANGES:
        for path in changes:
            needle = b'="' + path
            at = page.find(needle)
            while at >= 0:
                edit(at, path)
                at = page.find(needle, at + 1)
    else:
        for pattern in PATHS:
            for match in pattern.finditer(page):
                if match[1] in changes:
                    edit(match.end() - 2, match[1])
    edits.sort()
    pieces: list[bytes] = []
    copied = 0
    for start, end, value in edits:  # never overlapping: each ends before a quote
        pieces += (page[copied:start], value)
        copied = end
    pieces.append(page[copied:])
    return b"".join(pieces)


def _link_attribute_ends(page: bytes, at: int) -> bool:
    """Does a link attribute's name, after white space, end at `at`, outside the quoted
    values of its tag? (Quotes since the tag's `<` come in pairs there: a value holds no
    `"`, `<` or `>`, all escaped by the templates and the Markdown renderer.) A title or a
    summary that ends in " src=" is then a value, not a link swallowing what follows it."""
    for attribute in ATTRIBUTES:
        start = at - len(attribute)
        if start >= 1 and page[start - 1] in SPACE and page.startswith(attribute, start):
            tag = page.rfind(b"<", 0, start)
            return page.count(b'"', max(tag, 0), start) % 2 == 0
    return False


def _rewritten(name: str, raw: bytes, members: set[str], site_address: str) -> Rewrite:
    """A link's new value (escaped) for its path and ?query, and whether its #fragment
    follows it; None when the link stays as it is."""
    if PLAIN_PATH.fullmatch(raw) and raw[:1] != b"/":  # most links: nothing to decode
        target, query = _inside(name, raw.decode("ascii")), ""
    else:
        target, query = _target(name, html.unescape(raw.decode("utf-8")))
    if target is None or target in members:
        return None
    if site_address:
        return html.escape(f"{site_address}/{quote(target)}{query}").encode("utf-8"), True
    new = f"{to_root(name)}{MISSING_PAGE}?page={quote(target)}"
    return html.escape(new).encode("utf-8"), False


def _target(name: str, value: str) -> tuple[str | None, str]:
    """The site file a link of page `name` opens (None: not a file of the site), and its
    ?query (`value` holds no #fragment)."""
    if not value or value.startswith(("/", "?")) or SCHEME.match(value):
        return None, ""
    parts = urlsplit(value)
    target = _inside(name, unquote(parts.path))
    if target is None:
        return None, ""
    return target, (f"?{parts.query}" if parts.query else "") + (
        f"#{parts.fragment}" if parts.fragment else ""  # an escaped "#" in the path
    )


def _inside(name: str, path: str) -> str | None:
    """The file of the site `path` names from page `name`; None when it leaves the site."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
    return None if target == ".." or target.startswith("../") else target
