"""Faults (issue #12, "Trustworthy builds"): builds run as real processes and are killed
(kill -9) at named moments, run two at a time, fed another site's output, a tampered or
redirected cache, a full disk, a theme that links out of the project. Whatever happened, the
next normal build equals a cold build of the same content (filecmp of whole trees), no
staging/old folder and no process of a killed build is left, nothing is written outside the
project, and every fault is told in one line (never a traceback).

The moments come from the engine's one test hook, TIMELINE_TEST_PAUSE=<stage>[:<seconds>]
(generator/faults.py): the build prints `paused at <stage> (pid N)` and sleeps there.
"""

from __future__ import annotations

import filecmp
import functools
import hashlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from .conftest import BASE_CONTENT, REPO, SPEC_CONTENT, snapshot

ARTICLE = "articles/2024/01/harbor-ice.md"
PAGE = "articles/harbor-ice.html"
OLD_TEXT = "The fish market at"
NEW_TEXT = "The shuttered fish market at"
PAUSE = "TIMELINE_TEST_PAUSE"
WAIT = 60.0  # seconds: how long a test waits for a build to reach a stage (not a timing test)
NOT_ROOT_PREFIX = ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--")

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/environ").exists(),
    reason="finds a build's processes through /proc (Linux)",
)


def _differences(comparison: filecmp.dircmp[str]) -> list[str]:
    found = [*comparison.left_only, *comparison.right_only, *comparison.diff_files]
    _, mismatch, errors = filecmp.cmpfiles(
        comparison.left, comparison.right, comparison.common_files, shallow=False
    )
    found += mismatch + errors
    for sub in comparison.subdirs.values():
        found += _differences(sub)
    return found


class Project:
    """A project folder (content/, settings with two workers, output/, its own cache) whose
    builds run as subprocesses; each process carries a marker, so the processes a build left
    behind can be found."""

    def __init__(self, root: Path, config: Path, content: Path = SPEC_CONTENT) -> None:
        self.root = root
        self.content = root / "content"
        self.output = root / "output"
        shutil.copytree(content, self.content)
        self.settings = root / "settings.py"
        self.settings.write_text(
            "import runpy\n"
            f"globals().update({{k: v for k, v in runpy.run_path({str(REPO / 'pelicanconf.py')!r})"
            ".items() if k.isupper()})\n"
            f"PLUGIN_PATHS = [{str(REPO)!r}]\nTHEME = {str(REPO / 'theme')!r}\n"
            "TIMELINE_WORKERS = 2\n",
            encoding="utf-8",
        )
        self.marker = uuid.uuid4().hex
        self.env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "XDG_CONFIG_HOME": str(config),
            "TIMELINE_TEST_MARK": self.marker,
        }
        self.env.pop("TIMELINE_CACHE_DIR", None)  # the default: .timeline-cache in the project
        self.env.pop(PAUSE, None)

    def command(self, content: Path | None = None, output: Path | None = None) -> list[str]:
        return [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--settings",
            str(self.settings),
            "--content",
            str(content or self.content),
            "--output",
            str(output or self.output),
        ]

    def build(
        self,
        *,
        prefix: tuple[str, ...] = (),
        content: Path | None = None,
        output: Path | None = None,
        **env: str,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*prefix, *self.command(content, output)],
            cwd=self.root,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def ok(self, **options: Any) -> str:
        """A build that must succeed: its stderr."""
        done = self.build(**options)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        return done.stderr

    def start(self, stage: str, **env: str) -> tuple[subprocess.Popen[str], Path]:
        """A build paused at `stage`: (the process, its stderr file)."""
        log = self.root.parent / f"{self.root.name}-{uuid.uuid4().hex[:8]}.log"
        with log.open("w") as stderr:
            process = subprocess.Popen(
                self.command(),
                cwd=self.root,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                text=True,
                env={**self.env, PAUSE: stage, **env},
            )
        return process, log

    def edit(self, old: str, new: str) -> None:
        file = self.content / ARTICLE
        text = file.read_text(encoding="utf-8")
        assert old in text
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    def leftovers(self) -> list[str]:
        """Staging, old and lock folders/files of the output, beside it."""
        return sorted(p.name for p in self.root.iterdir() if p.name.startswith(".output."))

    def processes(self) -> list[int]:
        """Live processes started by this project's builds (zombies have no environment)."""
        found = []
        needle = f"TIMELINE_TEST_MARK={self.marker}".encode()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if needle in (entry / "environ").read_bytes().split(b"\0"):
                        found.append(int(entry.name))
                except OSError:
                    continue
        return found


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One signing key for the module's builds (XDG_CONFIG_HOME), outside every project."""
    return tmp_path_factory.mktemp("config")


@pytest.fixture
def project(tmp_path: Path, config: Path) -> Project:
    return Project(tmp_path / "project", config)


@pytest.fixture(scope="module")
def cold_builds() -> dict[str, Path]:
    """Cold outputs by the digest of their content."""
    return {}


@pytest.fixture
def cold(
    cold_builds: dict[str, Path], tmp_path_factory: pytest.TempPathFactory, config: Path
) -> functools.partial[Path]:
    return functools.partial(_cold, cold_builds, tmp_path_factory, config)


def _cold(
    done: dict[str, Path], factory: pytest.TempPathFactory, config: Path, content: Path
) -> Path:
    """The output of a cold build (fresh cache, no previous output) of `content` as it is now;
    one per distinct content (the output does not depend on where the content is)."""
    digest = hashlib.sha256()
    for name, kind in sorted(snapshot(content).items()):
        digest.update(f"{name}\0{kind}\0".encode())
    key = digest.hexdigest()
    if key not in done:
        where = factory.mktemp("cold")
        shutil.copytree(content, where / "content")
        cache = where / "cache"
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "XDG_CONFIG_HOME": str(config),
            "TIMELINE_CACHE_DIR": str(cache),
        }
        env.pop(PAUSE, None)
        built = subprocess.run(
            [
                sys.executable,
                "-m",
                "generator",
                "build",
                "--settings",
                str(REPO / "pelicanconf.py"),
                "--content",
                str(where / "content"),
                "--output",
                str(where / "output"),
            ],
            cwd=where,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert built.returncode == 0, built.stderr
        done[key] = where / "output"
    return done[key]


def _equal_trees(output: Path, cold: Path) -> None:
    assert output.is_dir()
    assert _differences(filecmp.dircmp(output, cold)) == []


def _wait_for(log: Path, text: str, process: subprocess.Popen[str], count: int = 1) -> str:
    """Wait until the build's stderr holds `text` (`count` times); the whole stderr."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        seen = log.read_text()
        if seen.count(text) >= count:
            return seen
        if process.poll() is not None:
            pytest.fail(f"the build ended ({process.returncode}) before {text!r}:\n{seen}")
        time.sleep(0.02)
    pytest.fail(f"no {text!r} after {WAIT} s:\n{log.read_text()}")


def _kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()


def _no_processes_left(project: Project) -> None:
    """Every process of a killed build ends (workers die with it); waited for, not timed."""
    deadline = time.monotonic() + WAIT
    while project.processes() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert project.processes() == []


def _unprivileged() -> tuple[str, ...]:
    """A prefix that makes permission bits count: root ignores them unless its capabilities
    to bypass them are dropped (setpriv)."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return NOT_ROOT_PREFIX


def _lines(stderr: str, start: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(start)]


# --- another site's pages ----------------------------------------------------------------------


def test_another_sites_output_is_never_kept(
    project: Project, cold: functools.partial[Path], tmp_path: Path
) -> None:
    """A, then B, then A into one output: the third build is A's cold build, not A's pages
    kept over B's files."""
    other = tmp_path / "other"
    shutil.copytree(BASE_CONTENT, other)
    project.ok()
    project.ok(content=other)
    err = project.ok()
    assert _lines(err, "output/ was not made by the last build of this content") == [
        "output/ was not made by the last build of this content: building cold"
    ]
    _equal_trees(project.output, cold(project.content))
    err = project.ok()  # and the next build trusts it again
    assert "was not made" not in err
    _equal_trees(project.output, cold(project.content))


# --- killed builds -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stage", ["link", "sweep", "read", "render", "pack", "before-swap", "mid-swap", "after-swap"]
)
def test_a_build_killed_at_any_moment(
    project: Project, cold: functools.partial[Path], stage: str
) -> None:
    """v1 built; v2 killed at `stage`; back to v1: the next build is v1's cold build (a
    manifest saved for v2's tree must not keep v2's pages), nothing is left behind."""
    project.ok()
    if stage == "sweep":  # a second build parks the first one's tree for the next to remove
        project.ok()
    project.edit(OLD_TEXT, NEW_TEXT)
    for file in sorted((project.content / "articles").rglob("*.md")):  # every file is read
        file.write_bytes(file.read_bytes() + b"\n")
    process, log = project.start(stage)
    _wait_for(log, f"paused at {stage} (pid", process)
    if stage in ("read", "render"):  # a worker pauses too: it must die with its parent
        _wait_for(log, f"paused at {stage} (pid", process, count=2)
        assert len(project.processes()) >= 2
    if stage in ("link", "sweep"):  # a forked process linking last build's files, or
        assert len(project.processes()) >= 2  # removing an old tree: it dies with it
    if stage == "mid-swap":
        assert not project.output.exists()  # the moment this hook exists to show
    _kill(process)
    _no_processes_left(project)
    project.edit(NEW_TEXT, OLD_TEXT)
    err = project.ok()
    assert "Traceback" not in err
    if stage == "mid-swap":
        assert "output/ was missing (a build was stopped while swapping it in)" in err
    assert project.leftovers() == []
    _equal_trees(project.output, cold(project.content))


HOLD_STAGING = """
import fcntl, os, sys, time
folder = os.path.join(sys.argv[1], f".output.staging-{os.getpid()}")
os.mkdir(folder)
descriptor = os.open(folder, os.O_RDONLY)
fcntl.flock(descriptor, fcntl.LOCK_EX)
print(folder, flush=True)
time.sleep(300)
"""


def test_stale_folders_of_dead_builds_go_and_a_live_builds_stay(project: Project) -> None:
    """What a stopped build left is removed; a live build's staging folder (its process holds
    its lock) is not, whatever happens to its pid."""
    project.ok()
    helper = subprocess.Popen(
        [sys.executable, "-c", HOLD_STAGING, str(project.root)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert helper.stdout is not None
        live = Path(helper.stdout.readline().strip())
        dead = subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        (project.root / f".output.staging-{dead}" / "x").mkdir(parents=True)
        (project.root / f".output.old-{dead}-1" / "y").mkdir(parents=True)
        err = project.ok()
        assert _lines(err, "output: removed ") == [
            f"output: removed .output.old-{dead}-1, .output.staging-{dead} (left by a stopped "
            "build)"
        ]
        assert live.is_dir()
    finally:
        helper.kill()
        helper.wait()
    project.ok()  # its lock went with its process
    assert project.leftovers() == []


# --- two builds at once ------------------------------------------------------------------------


def test_two_builds_of_one_output_wait_for_each_other(
    project: Project, cold: functools.partial[Path]
) -> None:
    project.ok()
    project.edit(OLD_TEXT, NEW_TEXT)
    first, log = project.start("before-swap:2")
    _wait_for(log, "paused at before-swap", first)
    second = project.build()
    assert first.wait(timeout=300) == 0, log.read_text()
    assert second.returncode == 0, second.stderr
    assert f"waiting for another build of output/ (pid {first.pid}) ..." in second.stderr
    assert "Traceback" not in log.read_text() + second.stderr
    assert project.leftovers() == []
    _equal_trees(project.output, cold(project.content))


def test_the_dev_server_never_answers_404_while_builds_swap(project: Project) -> None:
    """Pages requested again and again while builds swap trees: with an atomic exchange the
    old tree goes right after; with two renames output/ is missing for a moment."""
    from generator.cli.serve import SiteHandler

    project.ok()
    names = ["index.html", PAGE, "regions/index.html", "sw.js", "theme/css/site.css"]
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(SiteHandler, directory=str(project.output))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    statuses: list[tuple[str, int]] = []
    building = threading.Event()
    building.set()

    def fetch() -> None:
        while building.is_set():
            for name in names:
                connection = http.client.HTTPConnection("127.0.0.1", server.server_port)
                connection.request("GET", f"/{name}")
                response = connection.getresponse()
                response.read()
                statuses.append((name, response.status))
                connection.close()

    reader = threading.Thread(target=fetch)
    reader.start()
    try:
        texts = (OLD_TEXT, NEW_TEXT)
        for turn in range(4):
            project.edit(texts[turn % 2], texts[1 - turn % 2])
            if turn % 2:
                project.ok(**{PAUSE: "mid-swap:0.2"})  # two renames: no output/ for 0.2 s
            else:
                project.ok()  # an atomic exchange
    finally:
        building.clear()
        reader.join()
        server.shutdown()
    assert statuses
    assert [s for s in statuses if s[1] != 200] == []


def test_the_dev_server_answers_400_to_malformed_paths(project: Project) -> None:
    from generator.cli.serve import SiteHandler

    project.ok()
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(SiteHandler, directory=str(project.output))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for path, expected in [
            ("/%00", 400),
            ("/a%00b.html", 400),
            ("/..%2f", 400),
            ("/..%2f..%2fetc%2fpasswd", 400),
            ("/%2e%2e/etc/passwd", 400),
            ("/articles/../index.html", 400),
            ("/%ff", 400),
            ("/index.html", 200),
            ("/no-such-page.html", 404),
        ]:
            connection = http.client.HTTPConnection("127.0.0.1", server.server_port)
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            assert response.status == expected, path
            connection.close()
    finally:
        server.shutdown()


# --- the cache and symbolic links --------------------------------------------------------------


def _cache_folders(project: Project) -> tuple[Path, Path, Path]:
    """(.timeline-cache, content-<hash>, scope-<hash>) of the project."""
    base = project.root / ".timeline-cache"
    (content,) = base.glob("content-*")
    (scope,) = content.glob("scope-*")
    return base, content, scope


@pytest.mark.parametrize("which", [0, 1, 2])
def test_the_cache_never_follows_a_link_out_of_the_project(
    project: Project, cold: functools.partial[Path], tmp_path: Path, which: int
) -> None:
    """The cache folder, the content's folder or the scope's folder replaced by a link to a
    folder outside the project: the build goes on without the cache, says so in one line,
    and writes nothing there."""
    project.ok()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not the cache's")
    folder = _cache_folders(project)[which]
    shutil.rmtree(folder)
    folder.symlink_to(outside)
    project.edit(OLD_TEXT, NEW_TEXT)
    err = project.ok()
    lines = _lines(err, "cache: ")
    assert len(lines) == 1 and "symbolic link" in lines[0] and "building without" in lines[0]
    assert sorted(snapshot(outside)) == ["keep.txt"]
    assert (outside / "keep.txt").read_text() == "not the cache's"
    _equal_trees(project.output, cold(project.content))


def test_old_scope_folders_are_removed_without_following_links(
    project: Project, tmp_path: Path
) -> None:
    project.ok()
    outside = tmp_path / "outside"
    (outside / "scope-data").mkdir(parents=True)
    (outside / "scope-data" / "precious.txt").write_text("keep me")
    _, content, _ = _cache_folders(project)
    (content / "scope-0123").symlink_to(outside / "scope-data")
    (content / "scope-4567").mkdir()
    (content / "scope-4567" / "link").symlink_to(outside / "scope-data")
    project.edit(OLD_TEXT, NEW_TEXT)
    project.ok()
    assert (outside / "scope-data" / "precious.txt").read_text() == "keep me"
    assert sorted(p.name for p in content.glob("scope-*")) == [_cache_folders(project)[2].name]


def test_a_theme_link_out_of_the_project_is_never_copied(project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "private").mkdir(parents=True)
    (outside / "private" / "secret.txt").write_text("SECRET-OUTSIDE")
    (outside / "passwd").write_text("SECRET-FILE")
    theme = project.root / "theme"
    shutil.copytree(REPO / "theme", theme)
    (theme / "static" / "private").symlink_to(outside / "private")
    (theme / "static" / "passwd").symlink_to(outside / "passwd")
    (theme / "static" / "site-link.css").symlink_to(theme / "static" / "css" / "site.css")
    with project.settings.open("a") as settings:
        settings.write(f"THEME = {str(theme)!r}\n")
    err = project.ok()
    refused = _lines(err, "theme: ")
    assert len(refused) == 2 and all(
        "outside the theme and the project: not copied" in line for line in refused
    )
    assert (project.output / "theme" / "site-link.css").read_bytes() == (
        theme / "static" / "css" / "site.css"
    ).read_bytes()
    for file in project.output.rglob("*"):
        if file.is_file():
            assert b"SECRET-" not in file.read_bytes(), file
    with zipfile.ZipFile(project.output / "download" / "timeline-site.zip") as archive:
        names = archive.namelist()
        assert not [n for n in names if "private" in n or n.endswith("passwd")]
        assert "theme/site-link.css" in names


# --- cache faults ------------------------------------------------------------------------------


def _pack(project: Project, holding: bytes = b"Harbor") -> Path:
    """The segment of the content cache's pack that holds `holding`."""
    return next(
        segment
        for segment in sorted(_cache_folders(project)[2].glob("documents-*.jsonl"))
        if holding in segment.read_bytes()
    )


@pytest.mark.parametrize(
    "fault", ["pack-is-a-folder", "read-only-cache", "unreadable-key", "manifest-is-a-folder"]
)
def test_a_cache_fault_is_one_line_and_the_build_goes_on(
    project: Project, cold: functools.partial[Path], config: Path, fault: str
) -> None:
    project.ok()
    project.edit(OLD_TEXT, NEW_TEXT)
    prefix: tuple[str, ...] = ()
    restore: list[tuple[Path, int]] = []
    if fault == "pack-is-a-folder":
        pack = _pack(project)
        pack.unlink()
        pack.mkdir()
    elif fault == "manifest-is-a-folder":
        (manifest,) = _cache_folders(project)[1].glob("pages-*.json")
        manifest.unlink()
        manifest.mkdir()
    elif fault == "read-only-cache":
        prefix = _unprivileged()
        for folder in _cache_folders(project):
            restore.append((folder, folder.stat().st_mode))
            folder.chmod(0o555)
    else:
        prefix = _unprivileged()
        key = config / "timeline-digests" / "cache.key"
        restore.append((key, key.stat().st_mode))
        key.chmod(0)
    try:
        done = project.build(prefix=prefix)
    finally:
        for path, mode in restore:
            path.chmod(mode)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Error:" not in done.stderr
    lines = _lines(done.stderr, "cache: ")
    assert len(lines) == 1, done.stderr
    assert lines[0].endswith("; building without it") and "is not usable (" in lines[0]
    _equal_trees(project.output, cold(project.content))


def test_an_empty_xdg_config_home_never_puts_the_key_in_the_project(
    project: Project, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    project.ok(XDG_CONFIG_HOME="", HOME=str(home))
    assert (home / ".config" / "timeline-digests" / "cache.key").is_file()
    assert not [p for p in project.root.rglob("*") if p.name in ("cache.key", "timeline-digests")]


def test_a_cache_thrown_away_is_said_in_one_line(project: Project) -> None:
    project.ok()
    pack = _pack(project)
    signature, _, body = pack.read_bytes().partition(b"\n")
    pack.write_bytes(signature + b"\n" + body.replace(b"Harbor", b"Forged"))
    err = project.ok()
    assert _lines(err, "cache: ") == [
        f"cache: {pack.relative_to(project.root).as_posix()} was not signed on this machine "
        "(or was changed): thrown away"
    ]
    assert b"Forged" not in (project.output / PAGE).read_bytes()


def test_deep_tampering_of_the_page_manifest(
    project: Project, cold: functools.partial[Path], config: Path
) -> None:
    """Manifests signed with this machine's key (what a bug or another version could leave)
    but wrong inside, and ones not signed here: each is refused whole and the build is cold
    (a page kept from the output would show "stale")."""
    from generator.build.cache import sign

    project.ok()
    (manifest,) = _cache_folders(project)[1].glob("pages-*.json")
    key = bytes.fromhex((config / "timeline-digests" / "cache.key").read_text())

    def tampered(tree: list[int], pages: dict[str, str]) -> list[bytes]:
        signed = [
            json.dumps(pages).encode(),  # the old format: no tree
            json.dumps({"tree": [*tree[:2], tree[2] + 1], "pages": pages}).encode(),
            json.dumps({"tree": tree, "pages": [pages]}).encode(),
            json.dumps({"tree": tree, "pages": {PAGE: 5}}).encode(),
            json.dumps({"tree": str(tree), "pages": pages}).encode(),
            json.dumps([tree, pages]).encode(),
            b"[" * 100_000,
            b"\xff\xfe not json",
        ]
        good = json.dumps({"tree": tree, "pages": pages}).encode()
        return [*(sign(body, key) + b"\n" + body for body in signed), b"0" * 64 + b"\n" + good, b""]

    for case in range(10):
        current = json.loads(manifest.read_bytes().partition(b"\n")[2])
        manifest.write_bytes(tampered(current["tree"], current["pages"])[case])
        (project.output / PAGE).write_text("stale")  # changes no folder's time
        err = project.ok()
        assert "output/ was not made by the last build of this content: building cold" in err
        _equal_trees(project.output, cold(project.content))


# --- every fault in one line -------------------------------------------------------------------


def test_a_full_disk_is_one_line_and_the_previous_site_stays(project: Project) -> None:
    """`ulimit -f` (SIGXFSZ ignored: the write fails with EFBIG), past the cache's size and
    below the zip's: the build stops with one line naming the file."""
    project.ok()
    before = snapshot(project.output)
    zip_size = (project.output / "download" / "timeline-site.zip").stat().st_size
    others = [
        p.stat().st_size
        for p in [*project.output.rglob("*"), *(project.root / ".timeline-cache").rglob("*")]
        if p.is_file() and p.suffix != ".zip"
    ]
    limit = max(others) * 2 // 1024 + 1  # KiB: room for the cache and every page
    assert limit * 1024 < zip_size, "the zip is no longer the largest file: change this test"
    project.edit(OLD_TEXT, NEW_TEXT)
    done = project.build(prefix=("bash", "-c", f'ulimit -f {limit}; exec "$@"', "bash"))
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        "output: writing output/download/timeline-site.zip failed: File too large — free disk "
        "space (or raise the file size limit: ulimit -f) and build again"
    ]
    assert snapshot(project.output) == before
    assert project.leftovers() == []


def test_an_output_folder_that_cannot_be_written_is_one_line(
    project: Project, tmp_path: Path
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        done = project.build(prefix=_unprivileged(), output=locked / "site")
    finally:
        locked.chmod(0o755)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"output: cannot create {locked}/.site.lock: Permission denied — make it writable "
        "(and its folder) or choose another folder"
    ]


def test_a_folder_where_a_page_goes_and_a_file_where_a_folder_goes(
    project: Project, cold: functools.partial[Path]
) -> None:
    project.ok()
    page = project.output / PAGE
    page.unlink()
    (page / "inside").mkdir(parents=True)
    project.edit(OLD_TEXT, NEW_TEXT)
    project.ok()
    _equal_trees(project.output, cold(project.content))
    shutil.rmtree(project.output / "regions")
    (project.output / "regions").write_text("not a folder")
    project.edit(NEW_TEXT, OLD_TEXT)
    project.ok()
    _equal_trees(project.output, cold(project.content))


def test_a_file_name_that_is_not_utf8_is_a_content_error(project: Project) -> None:
    project.ok()
    before = snapshot(project.output)
    name = os.fsencode(project.content / "articles") + b"/caf\xe9.md"
    with open(name, "wb") as file:
        file.write((project.content / ARTICLE).read_bytes())
    done = project.build()
    assert done.returncode == 1
    assert [line for line in done.stderr.splitlines() if ": warning: " not in line] == [
        "content/articles/caf\\xe9.md:1:1: file name is not UTF-8 — rename it",
        "1 content error; nothing was published",
    ]
    assert snapshot(project.output) == before


@pytest.fixture(autouse=True)
def _no_stray_processes(project: Project) -> Iterator[None]:
    yield
    _no_processes_left(project)
