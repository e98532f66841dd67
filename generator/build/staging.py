"""Atomic output: a build writes into a staging folder beside the output and swaps it in only
when it succeeded, so a failed build leaves the previous output untouched.

What makes that trustworthy:

- The page manifest (every file the engine wrote, with its fingerprint) is signed and names
  the tree it describes: its folder's device, inode and modification time, taken when the tree
  is complete, and saved *before* the tree is swapped in. A build links files of the previous
  output, and keeps pages, only when the output folder is that very tree; any other output
  (another content folder's site, a build killed before its swap, a folder restored by hand) is
  built cold, and the build says so in one line. Only the files the manifest lists are linked:
  what Pelican or a plugin wrote is written again, never through a link.
- One build at a time per output: `.<output>.lock` beside it (fcntl.flock) is held from
  staging to swap; a second build waits for it.
- The swap is one atomic exchange of the two folders where the system has one (Linux
  renameat2 RENAME_EXCHANGE), so output/ is never missing; elsewhere two renames, and the next
  build puts the previous site back if a build was stopped between them.
- Folders left by stopped builds (`.<output>.staging-<pid>`, `.<output>.old-<pid>-<ns>`) are
  removed by the next build once nobody uses them (a staging folder is locked by its build and
  its workers; an old tree by its process being alive).
- A failure of the machine (full disk, permissions, a folder where a file should be) stops the
  build with one line naming the path (faults.BuildFault), the previous output untouched.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import sys
import threading
import time
from collections.abc import Collection, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from ..settings import SettingsError
from .cache import CacheUnusable, machine_key, make_folder, read_file, verified, write_signed
from .faults import PAUSE_ENV, BuildFault, Notes, describe, pause, pid_alive, shown, warn
from .output import Manifest
from .parallel import Background, cores, start_background, worker_count

NOT_LINKED = ("theme/",)
RENAME_EXCHANGE = 2  # linux/fs.h
AT_FDCWD = -100
NICEST = 19  # the lowest priority a process may give itself
PARKED = "old-output-"  # an old tree parked in the cache, removed by the next build
REMOVERS = 4  # threads removing an old tree's folders: 16 measured 2x slower (they contend)
FILES_PER_BATCH = 500


def manifest_file(cache_folder: Path, target: Path) -> Path:
    name = hashlib.sha256(str(target).encode()).hexdigest()[:16]
    return cache_folder / f"pages-{name}.json"


def tree_identity(folder: Path) -> list[int]:
    """What tells one output tree from another without a file in it: its folder's device and
    inode, and its modification time (a reused inode number comes with another time)."""
    status = os.stat(folder)
    return [status.st_dev, status.st_ino, status.st_mtime_ns]


def load_manifest(
    file: Path | None,
    target: Path,
    notes: Notes,
) -> tuple[Manifest | None, bool]:
    """(last build's manifest, or None; whether a manifest was there but does not vouch for
    `target` as it is now: another tree, not signed here, not readable as ours)."""
    if file is None:
        return None, False
    try:
        data = read_file(file)
        if data is None:
            return None, False
        body = verified(data, machine_key())
    except CacheUnusable as error:
        notes.say(str(error))
        return None, False
    try:
        manifest = json.loads(body) if body is not None else None
        identity = tree_identity(target)
    except (ValueError, RecursionError, OSError):  # not JSON, or nested past any depth
        return None, True
    if not isinstance(manifest, dict) or manifest.get("tree") != identity:
        return None, True
    pages, groups = manifest.get("pages"), manifest.get("groups", {})
    if not (
        isinstance(pages, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in pages.items())
        and isinstance(groups, dict)
        and all(_is_group(group) for group in groups.values())
    ):
        return None, True
    return Manifest(
        pages, {name: (key, tuple(names)) for name, (key, names) in groups.items()}
    ), False


def _is_group(group: Any) -> bool:
    return (
        isinstance(group, list)
        and len(group) == 2
        and isinstance(group[0], str)
        and isinstance(group[1], list)
        and all(isinstance(name, str) for name in group[1])
    )


def save_manifest(file: Path, tree: Path, manifest: Manifest, notes: Notes) -> None:
    """Signed, naming the tree it describes (complete, not yet swapped in). A manifest that
    cannot be saved leaves the one before, which names another tree: the next build is cold."""
    body = json.dumps(
        {"tree": tree_identity(tree), "pages": manifest.pages, "groups": manifest.groups},
        sort_keys=True,
        separators=(",", ":"),
    ).encode()
    try:
        make_folder(file.parent, 2)
        write_signed(file, body, machine_key())
    except CacheUnusable as error:
        notes.say(str(error))
    except OSError as error:
        notes.say(str(CacheUnusable(file, error.strerror or str(error))))


class OutputLock:
    """`.<output>.lock` beside the output, locked (flock) while a build stages and swaps: a
    second build of the same output waits instead of failing. The lock goes with the process
    (and its forked workers), however it ends. The holder removes the file when done; a waiter
    that then holds the lock of a removed file opens the file again."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.file = target.parent / f".{target.name}.lock"
        self.descriptor = -1

    def acquire(self) -> None:
        said = False
        while self.descriptor < 0:
            try:
                descriptor = os.open(self.file, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
            except OSError as error:
                raise BuildFault(
                    f"output: cannot create {shown(self.file)}: {describe(error)}"
                ) from None
            try:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    if not said:
                        holder = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
                        warn(
                            f"waiting for another build of {shown(self.target)}/ "
                            f"(pid {holder or '?'}) ..."
                        )
                        said = True
                    fcntl.flock(descriptor, fcntl.LOCK_EX)
                if not _same_file(descriptor, self.file):  # removed by the last holder
                    os.close(descriptor)
                    continue
            except BaseException:
                os.close(descriptor)
                raise
            with contextlib.suppress(OSError):  # who holds it, for the message above
                os.ftruncate(descriptor, 0)
                os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
            self.descriptor = descriptor

    def release(self) -> None:
        if self.descriptor >= 0:
            with contextlib.suppress(OSError):
                os.unlink(self.file)
            os.close(self.descriptor)  # and the lock with it
            self.descriptor = -1


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        status = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    opened = os.fstat(descriptor)
    return (status.st_dev, status.st_ino) == (opened.st_dev, opened.st_ino)


class StagedOutput:
    """`with StagedOutput(target, content) as staged:` then `staged.start_previous(manifest)`
    once the manifest's place is known and `staged.previous()` before anything is written,
    the build writes into `staged.path`, and `staged.commit(pages, manifest)` saves the
    manifest and swaps the tree in."""

    def __init__(self, target: Path, content: Path, notes: Notes) -> None:
        _check_target(target, content)
        self.target, self.notes = target, notes
        self.path = target.parent / f".{target.name}.staging-{os.getpid()}"
        self.linked: dict[str, int] = {}  # name → inode shared with the previous output
        self.committed = False
        self._previous = Manifest()
        self._linking: Background[Any, dict[str, int]] | None = None
        self.lock = OutputLock(target)
        self._held = -1  # the staging folder, locked while this build (or a worker) lives

    def __enter__(self) -> StagedOutput:
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGXFSZ"):
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past `ulimit -f`: an error, not death
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise BuildFault(
                f"output: cannot create {shown(error.filename or self.target.parent)}"
                f": {describe(error)}"
            ) from None
        self.lock.acquire()
        try:
            self._repair()
            self._remove_leftovers()
            _remove_tree(self.path)
            self.path.mkdir()
            self._held = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY)
            fcntl.flock(self._held, fcntl.LOCK_EX)
        except OSError as error:
            self._close()
            raise BuildFault(
                f"output: cannot prepare {shown(error.filename or self.path)}: {describe(error)}"
            ) from None
        except BaseException:
            self._close()
            raise
        return self

    def start_previous(self, manifest: Path | None, workers: int = 0) -> None:
        """Read last build's manifest (`manifest`: where it is kept; None: no cache, no
        manifest) and, when it vouches for the output as it is now, start linking its files
        into the staging folder: in a forked process, while this one reads the content (the
        links of 9,700 files take 0.2 s). Otherwise nothing is linked: a cold build.
        `workers`: TIMELINE_WORKERS (1: link here)."""
        if not self.target.is_dir():
            return
        found, mismatch = load_manifest(manifest, self.target, self.notes)
        if found is None:
            if mismatch:
                warn(
                    f"{shown(self.target)}/ was not made by the last build of this content: "
                    "building cold"
                )
            return
        self._previous = found
        if worker_count(len(found.pages), workers) < 2:
            self._link_previous(found.pages)
            pause("link")
        else:
            self._linking = start_background(
                [found.pages], self._link_previous, lambda: self.linked, stage="link"
            )

    def previous(self) -> Manifest:
        """Last build's manifest (empty: a cold build), once its files are linked."""
        if self._linking is not None:
            linking, self._linking = self._linking, None
            self.linked.update(linking.join())
        return self._previous

    def _link_previous(self, names: Collection[str], folder: str = "") -> None:
        """Hard-link the files the last build wrote (the manifest's names) into the staging
        folder. Files others wrote (Pelican's static copies, a plugin's sitemap) are not
        linked: they are written again, never through a link into the previous output, and
        never removed as stale. (os.scandir: the inode and kind come with each entry.)"""
        made = False  # the folder in staging, made for its first linked file
        with os.scandir(os.path.join(self.target, folder)) as entries:
            for entry in entries:
                name = f"{folder}/{entry.name}" if folder else entry.name
                if entry.is_symlink() or name.startswith(NOT_LINKED):
                    continue
                if entry.is_dir():
                    self._link_previous(names, name)
                elif name in names and entry.is_file():
                    if not made:
                        os.makedirs(os.path.join(self.path, folder), exist_ok=True)
                        made = True
                    os.link(entry.path, os.path.join(self.path, name))
                    self.linked[name] = entry.inode()

    def commit(
        self,
        pages: Manifest,
        manifest: Path | None,
        remove_old_now: bool = True,
        park_in: Path | None = None,
        rewritten: Collection[str] = (),
    ) -> None:
        """Save the manifest of the staged tree (`pages`: what the engine wrote) at `manifest`
        (None: no cache to keep it), then swap the tree in. When the staged tree was linked
        from the old one, the old one is moved into `park_in` (the content's cache folder;
        `sweeping_parked` removes it at the next build, beside its work), once its files
        `rewritten` by this build are gone (no bytes but the new tree's are held: its other
        files are links to them); otherwise, or when it cannot be renamed there, it is
        removed now. A long-lived process (make serve) removes it in a thread instead of
        making the reader wait for thousands of unlinks."""
        if manifest is not None:
            save_manifest(manifest, self.path, pages, self.notes)
        pause("before-swap")
        old = self._swap()
        self.committed = True
        if old is None:
            return
        pause("after-swap")
        if park_in is not None and self.linked:
            for name in rewritten:  # (the downloads, the data lists: tens of MB each)
                with contextlib.suppress(OSError):
                    os.unlink(old / name)
            if _parked(old, park_in):
                return
        if remove_old_now:
            _remove_tree(old)
        else:
            threading.Thread(
                target=_remove_tree, args=(old,), daemon=False
            ).start()  # finished even if the server stops

    def _swap(self) -> Path | None:
        """Put the staged tree at the output's place; the old tree's new place, if any."""
        old = self.target.parent / f".{self.target.name}.old-{os.getpid()}-{time.time_ns()}"
        if not os.path.lexists(self.target):
            os.replace(self.path, self.target)
            return None
        two_renames = os.environ.get(PAUSE_ENV, "").startswith("mid-swap")  # the test hook
        if not two_renames and _exchange(self.path, self.target):
            os.replace(self.path, old)  # the old tree, now at the staging folder's place
            return old
        os.replace(self.target, old)  # no atomic exchange here: output/ is missing until...
        pause("mid-swap")
        os.replace(self.path, self.target)  # ...this (a stopped build: see _repair)
        return old

    def _leftovers(self) -> list[tuple[str, int, int, Path]]:
        """(kind, pid, time, path) of each staging and old folder of this output."""
        pattern = re.compile(re.escape(f".{self.target.name}.") + r"(staging|old)-(\d+)(?:-(\d+))?")
        found = []
        with os.scandir(self.target.parent) as entries:
            for entry in entries:
                match = pattern.fullmatch(entry.name)
                if match:
                    kind, pid, made = match.group(1), int(match.group(2)), match.group(3)
                    found.append((kind, pid, int(made or 0), Path(entry.path)))
        return found

    def _repair(self) -> None:
        """A build stopped between the two renames of a swap left no output/ but the previous
        tree beside it: put it back."""
        if os.path.lexists(self.target):
            return
        olds = sorted(
            (made, path)
            for kind, pid, made, path in self._leftovers()
            if kind == "old" and not pid_alive(pid) and path.is_dir() and not path.is_symlink()
        )
        if olds:
            os.replace(olds[-1][1], self.target)
            warn(
                f"{shown(self.target)}/ was missing (a build was stopped while swapping it "
                f"in): put the previous site back from {shown(olds[-1][1])}"
            )

    def _remove_leftovers(self) -> None:
        """Remove the staging and old folders of builds that were stopped (killed, power
        cut); never those of a live build of this output."""
        removed = []
        for kind, pid, _, path in self._leftovers():
            if pid == os.getpid():
                continue  # ours: the staging folder is made again, an old tree is being removed
            if kind == "staging" and pid_alive(pid) and not _unlocked(path):
                continue
            if kind == "old" and pid_alive(pid):
                continue
            _remove_tree(path)
            removed.append(path.name)
        if removed:
            warn(f"output: removed {', '.join(sorted(removed))} (left by a stopped build)")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._close()
        if isinstance(error, OSError):
            raise BuildFault(self.fault_line(error)) from error

    def _close(self) -> None:
        """A failed build's staging folder goes (once nothing links into it any more); the
        locks are let go."""
        try:
            if self._linking is not None:
                self._linking.stop()
                self._linking = None
            if not self.committed:
                _remove_tree(self.path)
        finally:
            if self._held >= 0:
                os.close(self._held)
                self._held = -1
            self.lock.release()

    def fault_line(self, error: OSError) -> str:
        """One line for a failure of the machine during the build: the path as the user
        knows it (the output's, not the staging folder's) and what to do."""
        name = os.fsdecode(error.filename) if error.filename is not None else ""
        if name and Path(name).is_relative_to(self.path):
            where = shown(self.target / Path(name).relative_to(self.path))
            return f"output: writing {where} failed: {describe(error)}"
        if name:
            return f"build failed: {shown(name)}: {describe(error)}"
        return f"build failed: {describe(error)}"


def _parked(old: Path, folder: Path) -> bool:
    """Move the old tree into `folder` (a cache folder of ours, on the same file system):
    False when it cannot be (another file system, no such folder)."""
    try:
        os.rename(old, folder / f"{PARKED}{os.getpid()}-{time.time_ns()}")
    except OSError:
        return False
    return True


@contextmanager
def sweeping_parked(folder: Path | None, workers: int = 0) -> Iterator[None]:
    """Remove the old trees that builds parked in `folder` (see `commit`) while the build
    goes on, in a forked process (here with one worker): joined when the build is done,
    stopped when it fails (what is left, the next build removes). An old tree holds the last
    build's links to the files both trees share: removing its 10,000 names cost a build
    after one edit ~0.11 s at 5,000 articles, at its very end."""
    parked: list[Path] = []
    if folder is not None:
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            parked = sorted(Path(e.path) for e in entries if e.name.startswith(PARKED))
    sweeping = None
    if parked and (workers or cores()) >= 2:  # a core for it, or the setting says so
        with contextlib.suppress(OSError):  # no process to be had: removed here
            sweeping = start_background(parked, _remove_meekly, lambda: None, stage="sweep")
    if sweeping is None:
        for path in parked:
            _remove_tree(path)
    try:
        yield
    except BaseException:
        if sweeping is not None:
            sweeping.stop()
        raise
    if sweeping is not None:
        with contextlib.suppress(Exception):  # never needed: the next build tries again
            sweeping.join()


def _remove_meekly(path: Path) -> None:
    """`_remove_tree` in a process that takes a core only when the build leaves one idle:
    nothing waits for it until the build's end, and it took ~0.1 s from reading the
    content when it competed for the cores as an equal."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, 0, NICEST)
    _remove_tree(path)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE); False where the system
    or the file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # a C library without it
        return False
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    if function(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _unlocked(folder: Path) -> bool:
    """True when no process holds the lock of a staging folder (its build and workers are
    gone)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return True  # not a folder we could lock: not a live build's
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)
    return True


def _remove_tree(path: Path) -> None:
    """Remove a folder of ours; a symbolic link in its place is removed itself, never
    followed. The work is spread over threads, a top folder's files in batches and its
    subfolders each whole: removing a folder (and, less, a file) may wait for the file
    system's journal, and those waits overlap. More threads than a few contend for the
    kernel's locks: an output of 9,700 files took 0.12 s with one thread, 0.08 with two,
    0.09 with four, 0.13 with eight and 0.18 with sixteen
    (bench/removal.py)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(mode):
        with contextlib.suppress(OSError):
            os.unlink(path)
        return
    with ThreadPoolExecutor(REMOVERS) as pool:
        for top in _folders(path):
            _empty_folder(top, pool)
    shutil.rmtree(path, ignore_errors=True)  # what is left: files at the top, empty folders


def _empty_folder(folder: str, pool: ThreadPoolExecutor) -> None:
    """Hand the removal of what `folder` holds to `pool`: files by name inside it (opened
    without following a link), subfolders by shutil.rmtree (which never follows one)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return
    try:
        with os.scandir(descriptor) as entries:
            found = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries]
    except OSError:
        os.close(descriptor)
        return
    files = [name for name, is_folder in found if not is_folder]
    for name, is_folder in found:
        if is_folder:
            pool.submit(shutil.rmtree, os.path.join(folder, name), ignore_errors=True)
    batches = [files[i : i + FILES_PER_BATCH] for i in range(0, len(files), FILES_PER_BATCH)]
    done = [pool.submit(_unlink_all, descriptor, batch) for batch in batches]
    pool.submit(_close_after, descriptor, done)


def _unlink_all(descriptor: int, names: list[str]) -> None:
    for name in names:
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=descriptor)


def _close_after(descriptor: int, batches: list[Future[None]]) -> None:
    wait(batches)
    os.close(descriptor)


def _folders(path: str | Path) -> list[str]:
    """The folders in `path` (not links to folders; none when it cannot be listed)."""
    try:
        with os.scandir(path) as entries:
            return [entry.path for entry in entries if entry.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def _check_target(target: Path, content: Path) -> None:
    """Refuse an output folder that is, or holds, the content or the project."""
    if target == content or content.is_relative_to(target) or target.is_relative_to(content):
        raise SettingsError(f"output folder {target} overlaps the content folder {content}")
    if target.exists() and not target.is_dir():
        raise SettingsError(f"output {target} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / "index.html").is_file():
        # A build replaces the output folder whole: never a folder that is not a built site.
        raise SettingsError(
            f"output folder {target} is not empty and has no index.html, so it "
            "is not a built site; a build would replace it: remove it or choose "
            "another folder"
        )
