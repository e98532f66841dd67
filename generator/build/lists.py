"""Large JSON lists (data/events.json, data/quotes.json) written from last build's file.

Such a file is `[item,item,...]`, each item the JSON text of one record. After one edit nearly
every item is last build's, in the same order: instead of making (or looking up) 32,000 items
at 5,000 articles, each run of items that last build's file holds in the same order is copied
from it, kernel to kernel (os.copy_file_range), and only the others are made: the data files'
task took 0.33 s of a warm build, now 0.12.

What last build's file holds is its `Layout`: each item's key (its record and its article
file's digest) and where its bytes lie, saved signed in the cache's scope folder (the same
code, settings and registries: an item's text follows from its key there) next to the
pieces. It is used only when the file it describes is the one in the staging folder now:
linked from the last output (the same inode), with the size and time it had when written. A
build that fails after saving a layout leaves a layout of a file that never reached the
output, which the next build does not use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import msgspec

from .cache import read_kept, write_kept
from .output import Stamp, copy_range, write_all

WRITE_BUFFER = 1 << 20


class Layout(msgspec.Struct, frozen=True, array_like=True):
    """A list file's items by key: (offset, length) of each item's bytes, and the file's
    stamp when it was written."""

    stamp: Stamp
    items: dict[str, tuple[int, int]]


def layout_name(name: str) -> str:
    return f"layout-{name.replace('/', '-')}"  # layout-data-events.json


def load_layout(folder: Path | None, name: str) -> Layout | None:
    """The layout saved for `name`, if any (one nobody here signed is never read)."""
    body = read_kept(folder, layout_name(name))
    try:
        return None if body is None else msgspec.json.decode(body, type=Layout)
    except msgspec.DecodeError:
        return None


def save_layout(folder: Path | None, name: str, layout: Layout) -> None:
    """Kept for the next build; like the pieces, never needed (a failure is left alone)."""
    write_kept(folder, layout_name(name), msgspec.json.encode(layout))


V = TypeVar("V")


def write_list(
    into: int,
    items: Iterable[tuple[str, V]],
    make: Callable[[V], str],
    previous: int | None,
    layout: Layout | None,
) -> dict[str, tuple[int, int]]:
    """Write `[item,...]\\n` into the descriptor `into` (at its start) from `items` (each an
    item's key and what `make` makes its text of): each item whose key `layout` has is copied
    from `previous` (a descriptor of the file it describes), the others made. Returns the
    new file's items by key."""
    old = layout.items if layout is not None and previous is not None else {}
    written: dict[str, tuple[int, int]] = {}
    pending = bytearray(b"[")  # bytes to write before the run below
    run_start = run_end = -1  # bytes of `previous` to copy after them
    at = 1  # where the next item starts in the new file

    def flush() -> None:
        nonlocal run_start, run_end
        if run_end > run_start >= 0:
            assert previous is not None
            write_all(into, pending)
            pending.clear()
            copy_range(previous, into, run_start, run_end - run_start)
        run_start = run_end = -1

    for number, (key, value) in enumerate(items):
        if number:
            at += 1  # the comma before it
        place = old.get(key)
        if place is not None:
            offset, length = place
            if number and run_end >= 0 and offset == run_end + 1:
                run_end = offset + length  # it followed the run there: its comma comes along
            else:
                flush()
                if number:
                    pending += b","
                run_start, run_end = offset, offset + length
        else:
            flush()
            if number:
                pending += b","
            data = make(value).encode()
            pending += data
            length = len(data)
            if len(pending) >= WRITE_BUFFER:
                write_all(into, pending)
                pending.clear()
        written[key] = (at, length)
        at += length
    flush()
    pending += b"]\n"
    write_all(into, pending)
    return written
