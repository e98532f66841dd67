"""Time the project's build against stock Pelican on synthetic content, in one run.

    .venv/bin/python bench/run.py [--articles 1000] [--rounds 3] [--seed 1] [--json FILE]
                                  [--no-baseline] [--kinds cold,full,...] [--query WORD]

Five kinds of build, alternated round by round so that a slow spell on the machine hits all
of them rather than one (`--kinds` picks some; `--no-baseline` leaves stock Pelican out,
which at N=50,000 saves minutes):

  cold      our build with no output and an empty cache (what CI and `make clean` see),
            without the offline downloads (as `make serve` builds)
  full      the same with the offline downloads (BENCH_DOWNLOAD_ZIP=1): `make html` from nothing
  baseline  stock Pelican 4.12 with bench/baseline/pelicanconf.py, into a fresh folder
  warm      our build after `synth.py --edit` changed one article, keeping the previous
            output and cache (a fresh process), without the downloads (as `make serve`)
  warm-full the same with the offline downloads, on its own site built with them: `make
            html` again after one edit (#15's 1.5 s)
  serve     the same, as `make serve` rebuilds: in its long-lived process, timed there
            (bench/resident.py), on the warm site (what an author sees while writing)

After the table, the size of the full output (of the cold one when `full` was not run, which
then leaves the downloads out; bench/sizes.py): bytes by folder and per development, and what
the search page loads before its first results.

Each run records wall time, CPU time and peak RSS of the child (the largest single process)
and of its whole process tree (summed, sampled twice a second), the number of .html pages it
left, and for warm runs how many files it rewrote (new inode or mtime) and how many actually
changed bytes: the gap between the two is work a changed-only writer can skip.

Content is generated once into bench/.work/content-N and reused while N, seed and synth.py
are the same. Warm runs edit a copy, so the pristine content is never touched.
Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

import sizes

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
PYTHON = ROOT / ".venv" / "bin" / "python"
PELICAN = ROOT / ".venv" / "bin" / "pelican"
SYNTH = ROOT / "bench" / "synth.py"
PROJECT_CACHE = ROOT / ".timeline-cache"
CACHE_ENV = "TIMELINE_CACHE_DIR"
GNU_TIME = Path("/usr/bin/time")
KINDS = ("cold", "full", "baseline", "warm", "warm-full", "serve")
DOWNLOADS_ENV = "BENCH_DOWNLOAD_ZIP"  # bench/benchconf.py: "1" builds the offline downloads
SAMPLE_SECONDS = 0.5
RESIDENT = ROOT / "bench" / "resident.py"


@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user + system: less sensitive than wall time to a busy machine
    rss_mib: float  # peak of the largest single process (workers are not summed)
    html: int
    files: int
    tree_mib: float | None = None  # peak of the process tree's summed RSS, sampled
    rewritten: int | None = None  # warm: files new or with a new inode/mtime
    changed: int | None = None  # warm: files added, removed or with different bytes


# --- content -----------------------------------------------------------------------------------


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ensure_content(articles: int, seed: int) -> Path:
    """Generate the content once; the stamp says which N, seed and synth.py made it."""
    content = WORK / f"content-{articles}"
    stamp = WORK / f"content-{articles}.json"
    wanted = {"articles": articles, "seed": seed, "synth": file_digest(SYNTH)}
    if content.is_dir() and stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        return content
    stamp.unlink(missing_ok=True)  # a half-written folder must not look reusable
    check(
        [
            PYTHON,
            SYNTH,
            "--articles",
            str(articles),
            "--out",
            content,
            "--seed",
            str(seed),
            "--force",
        ]
    )
    stamp.write_text(json.dumps(wanted) + "\n")
    return content


def check(cmd: list[str | Path]) -> str:
    """Run a helper command (not timed); stop the benchmark if it fails."""
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"failed ({done.returncode}): {' '.join(map(str, cmd))}\n{done.stderr}")
    return done.stdout.strip()


# --- measuring one command ---------------------------------------------------------------------


def measure(
    cmd: list[str | Path], env: dict[str, str], cwd: Path = ROOT
) -> tuple[float, float, float, float]:
    """Wall seconds, CPU seconds, peak RSS (MiB) of the largest process and of the summed
    process tree (MiB) of one command run in `cwd`; exit if it fails.

    getrusage(RUSAGE_CHILDREN) keeps the maximum over every child ever waited for, so it
    cannot give one run's peak; GNU time (or wait4) reports the rusage of this child alone.
    Neither adds up parallel workers, hence the sampled tree.

    Run as a user's Python runs it: writing bytecode (modules' `.pyc`, the theme's compiled
    templates) even where the machine's environment says PYTHONDONTWRITEBYTECODE (this one
    does): else every build compiles again what a user's compiles once.
    """
    env = {name: value for name, value in env.items() if name != "PYTHONDONTWRITEBYTECODE"}
    log = WORK / "last-run.log"
    WORK.mkdir(parents=True, exist_ok=True)  # (a fresh clone has none)
    with log.open("w") as out:
        if GNU_TIME.exists():
            wall, code, cpu, rss_kib, tree = _with_gnu_time(cmd, env, out, cwd)
        else:
            wall, code, cpu, rss_kib, tree = _with_wait4(cmd, env, out, cwd)
    if code:
        sys.exit(f"failed ({code}): {' '.join(map(str, cmd))}\n{log.read_text()[-3000:]}")
    return wall, cpu, rss_kib / 1024, tree / 2**20


def tree_rss(root: int, proc: Path = Path("/proc")) -> int:
    """Summed resident bytes of process `root` and all its descendants (0 without /proc)."""
    children: dict[int, list[int]] = {}
    resident: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in proc.glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        resident[pid] = int(fields[21]) * page
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += resident.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


class TreeSampler:
    """Samples `tree_rss` of a running process in a thread; `peak` is the highest seen."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(SAMPLE_SECONDS)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _with_gnu_time(
    cmd: list[str | Path], env: dict[str, str], out: IO[str], cwd: Path
) -> tuple[float, int, float, int, int]:
    report = WORK / "last-run.time"
    start = time.perf_counter()
    child = subprocess.Popen(
        [GNU_TIME, "-v", "-o", report, *cmd], cwd=cwd, env=env, stdout=out, stderr=out
    )
    sampler = TreeSampler(child.pid)
    child.wait()
    wall = time.perf_counter() - start
    tree = sampler.stop()
    fields = dict(
        line.strip().rsplit(": ", 1) for line in report.read_text().splitlines() if ": " in line
    )
    cpu = float(fields["User time (seconds)"]) + float(fields["System time (seconds)"])
    rss = int(fields["Maximum resident set size (kbytes)"])
    return wall, child.returncode, cpu, rss, tree


def _with_wait4(
    cmd: list[str | Path], env: dict[str, str], out: IO[str], cwd: Path
) -> tuple[float, int, float, int, int]:
    start = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=out)
    sampler = TreeSampler(child.pid)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    tree = sampler.stop()
    child.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait again
    return wall, child.returncode, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, tree


# --- output folders ----------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every file's (inode, mtime_ns, sha256), to tell rewritten files from changed ones."""
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, file_digest(p))
        for p in folder.rglob("*")
        if p.is_file()
    }


def compare(
    before: dict[str, tuple[int, int, str]], after: dict[str, tuple[int, int, str]]
) -> tuple[int, int]:
    """(files rewritten, files whose bytes changed, counting added and removed ones)."""
    rewritten = sum(
        1
        for name, (ino, mtime, _) in after.items()
        if before.get(name, (None, None, None))[:2] != (ino, mtime)
    )
    changed = sum(
        1
        for name in before.keys() | after.keys()
        if (before.get(name) or (0, 0, ""))[2] != (after.get(name) or (0, 0, ""))[2]
    )
    return rewritten, changed


def count_files(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(1 for p in files if p.suffix == ".html"), len(files)


# --- the three builds --------------------------------------------------------------------------


def code_fingerprint() -> str:
    """A short hash of what our build runs, to notice code edited while the benchmark runs."""
    files = sorted(
        p
        for top in ("generator", "theme")
        for p in (ROOT / top).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    digest = hashlib.sha256()
    for path in [*files, ROOT / "pelicanconf.py", ROOT / "bench" / "benchconf.py"]:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def build_reads_cache_env() -> bool:
    """Whether the build honours TIMELINE_CACHE_DIR (else the cache is .timeline-cache)."""
    return any(
        CACHE_ENV in p.read_text(encoding="utf-8") for p in (ROOT / "generator").rglob("*.py")
    )


@contextmanager
def cache_in_place(cache: Path) -> Iterator[None]:
    """Without TIMELINE_CACHE_DIR, move `cache` to .timeline-cache for one build and back."""
    if build_reads_cache_env():
        yield
        return
    shutil.rmtree(PROJECT_CACHE, ignore_errors=True)
    if cache.exists():
        os.replace(cache, PROJECT_CACHE)
    try:
        yield
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if PROJECT_CACHE.exists():
            os.replace(PROJECT_CACHE, cache)


def ours(content: Path, output: Path, cache: Path, downloads: bool = False) -> Run:
    """Our build; keeps whatever `output` and `cache` hold (the caller empties them for cold).
    `downloads`: build the offline downloads too, as `make html` does."""
    env = {
        **os.environ,
        "BENCH_CONTENT": str(content),
        "BENCH_OUTPUT": str(output),
        CACHE_ENV: str(cache),
        DOWNLOADS_ENV: "1" if downloads else "",
    }
    with cache_in_place(cache):
        wall, cpu, rss, tree = measure(
            [PYTHON, "-m", "generator", "build", "--settings", "bench/benchconf.py"], env
        )
    return Run(wall, cpu, rss, *count_files(output), tree_mib=tree)


def cold(content: Path, where: Path, downloads: bool = False) -> Run:
    for folder in (where / "output", where / "cache"):
        shutil.rmtree(folder, ignore_errors=True)
    return ours(content, where / "output", where / "cache", downloads)


def baseline(content: Path, where: Path) -> Run:
    output = where / "output"
    shutil.rmtree(output, ignore_errors=True)
    wall, cpu, rss, tree = measure(
        [PELICAN, content, "-s", "bench/baseline/pelicanconf.py", "-o", output], dict(os.environ)
    )
    return Run(wall, cpu, rss, *count_files(output), tree_mib=tree)


def warm(content: Path, where: Path, seed: int, downloads: bool = False) -> Run:
    """Edit one article of the warm copy, then rebuild over the previous output and cache."""
    check([PYTHON, SYNTH, "--edit", content, "--seed", str(seed)])
    before = snapshot(where / "output")
    run = ours(content, where / "output", where / "cache", downloads)
    run.rewritten, run.changed = compare(before, snapshot(where / "output"))
    return run


def serve(content: Path, where: Path, seed: int) -> Run:
    """`make serve`'s rebuild after one more edit, timed inside its long-lived process
    (bench/resident.py: one untimed build to start, as the server does, then edit and
    rebuild) on the warm site's output and cache."""
    env = {
        **os.environ,
        "BENCH_CONTENT": str(content),
        "BENCH_OUTPUT": str(where / "output"),
        CACHE_ENV: str(where / "cache"),
        DOWNLOADS_ENV: "",  # as `make serve`, and as the warm site was built
    }
    with cache_in_place(where / "cache"):
        done = subprocess.run(
            [PYTHON, RESIDENT, "--seed", str(seed + 1)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
    if done.returncode:
        sys.exit(f"failed ({done.returncode}): {RESIDENT}\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return Run(
        figures["seconds"],
        figures["cpu_seconds"],
        figures["rss_mib"],
        *count_files(where / "output"),
        rewritten=figures["rewritten"],
        changed=figures["changed"],
    )


# --- the benchmark -----------------------------------------------------------------------------


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def describe(run: Run) -> str:
    tree = f" (tree {run.tree_mib:.0f})" if run.tree_mib is not None else ""
    text = (
        f"{run.seconds:7.2f} s  cpu {run.cpu_seconds:6.2f} s  {run.rss_mib:6.0f} MiB{tree}  "
        f"{run.html} html"
    )
    if run.rewritten is not None:
        text += f"  rewrote {run.rewritten}/{run.files}  changed {run.changed}"
    return text


def bench(
    articles: int, rounds: int, seed: int, kinds: tuple[str, ...] = KINDS
) -> dict[str, list[Run]]:
    content = ensure_content(articles, seed)
    where = {
        kind: WORK / f"n{articles}" / kind
        for kind in ("cold", "full", "baseline", "warm", "warm-full")
    }
    sites = {  # the kinds that edit a copy of the content: the site each keeps between rounds
        "warm": ("warm" in kinds or "serve" in kinds, False),
        "warm-full": ("warm-full" in kinds, True),
    }
    copies = {site: where[site] / "content" for site, (used, _) in sites.items() if used}
    for copy in copies.values():
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(content, copy)
    try:
        for site, copy in copies.items():
            primed = cold(copy, where[site], downloads=sites[site][1])
            progress(f"prime {site}: {describe(primed)}")
        steps = {
            "cold": lambda: cold(content, where["cold"]),
            "full": lambda: cold(content, where["full"], downloads=True),
            "baseline": lambda: baseline(content, where["baseline"]),
            "warm": lambda: warm(copies["warm"], where["warm"], seed),
            "warm-full": lambda: warm(copies["warm-full"], where["warm-full"], seed, True),
            "serve": lambda: serve(copies["warm"], where["warm"], seed),
        }
        runs: dict[str, list[Run]] = {kind: [] for kind in kinds}
        for index in range(rounds):
            for kind in kinds:
                runs[kind].append(steps[kind]())
                progress(f"round {index + 1}/{rounds} {kind:9} {describe(runs[kind][-1])}")
    finally:
        for copy in copies.values():  # the edits go; content-N was not touched
            shutil.rmtree(copy, ignore_errors=True)
    return runs


def summary(runs: dict[str, list[Run]], articles: int) -> dict[str, dict[str, Any]]:
    """Per kind: median and spread of wall time, the counts (one value unless a build is
    non-deterministic) and the worst peak RSS. Without a baseline, "vs_baseline" is None."""
    base = statistics.median(r.seconds for r in runs["baseline"]) if "baseline" in runs else None
    out: dict[str, dict[str, Any]] = {}
    for kind, kind_runs in runs.items():
        seconds = [r.seconds for r in kind_runs]
        trees = [r.tree_mib for r in kind_runs if r.tree_mib is not None]
        out[kind] = {
            "median_s": statistics.median(seconds),
            "min_s": min(seconds),
            "max_s": max(seconds),
            "vs_baseline": statistics.median(seconds) / base if base else None,
            "cpu_median_s": statistics.median(r.cpu_seconds for r in kind_runs),
            "html": sorted({r.html for r in kind_runs}),
            "files": sorted({r.files for r in kind_runs}),
            "rewritten": sorted({r.rewritten for r in kind_runs if r.rewritten is not None}),
            "changed": sorted({r.changed for r in kind_runs if r.changed is not None}),
            "peak_rss_mib": max(r.rss_mib for r in kind_runs),
            "peak_tree_mib": max(trees) if trees else None,
        }
        if kind in ("cold", "full"):
            out[kind]["ms_per_article"] = out[kind]["median_s"] * 1000 / articles
    return out


def joined(values: list[int]) -> str:
    """A count that should be the same every round; several values show non-determinism."""
    return "/".join(map(str, values)) if values else "-"


def table(
    figures: dict[str, dict[str, Any]], articles: int, rounds: int, seed: int, code: str
) -> str:
    cache = CACHE_ENV if build_reads_cache_env() else ".timeline-cache (swapped per build)"
    lines = [
        f"N={articles} articles, seed {seed}, {rounds} rounds, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, code {code}, cache: {cache}",
        "",
        f"{'build':9} {'median s':>9} {'min–max s':>13} {'× base':>7} {'cpu s':>7} "
        f"{'html':>6} {'files':>6} {'rewritten':>9} {'changed':>8} {'RSS MiB':>8} "
        f"{'tree MiB':>8}",
    ]
    for kind in KINDS:
        if kind not in figures:
            continue
        f = figures[kind]
        spread = f"{f['min_s']:.2f}–{f['max_s']:.2f}"
        base = f"{f['vs_baseline']:7.2f}" if f["vs_baseline"] is not None else f"{'-':>7}"
        tree = f"{f['peak_tree_mib']:8.0f}" if f.get("peak_tree_mib") is not None else f"{'-':>8}"
        lines.append(
            f"{kind:9} {f['median_s']:9.2f} {spread:>13} {base} "
            f"{f['cpu_median_s']:7.2f} {joined(f['html']):>6} {joined(f['files']):>6} "
            f"{joined(f['rewritten']):>9} {joined(f['changed']):>8} {f['peak_rss_mib']:8.0f} "
            f"{tree}"
        )
    lines.append("")
    for kind in ("cold", "full"):
        if kind in figures:
            lines.append(f"{kind}: {figures[kind]['ms_per_article']:.1f} ms per article (median)")
    return "\n".join(lines)


def parse_kinds(text: str) -> tuple[str, ...]:
    """`--kinds cold,full`: those kinds in the table's order; unknown names are an error."""
    wanted = {name.strip() for name in text.split(",") if name.strip()}
    unknown = wanted - set(KINDS)
    if unknown or not wanted:
        raise argparse.ArgumentTypeError(
            f"unknown kind {', '.join(sorted(unknown)) or '(none)'}; choose from {','.join(KINDS)}"
        )
    return tuple(kind for kind in KINDS if kind in wanted)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, metavar="N")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save the figures here")
    parser.add_argument(
        "--kinds",
        type=parse_kinds,
        default=KINDS,
        metavar="LIST",
        help=f"comma-separated kinds to run (default {','.join(KINDS)})",
    )
    parser.add_argument(
        "--no-baseline", action="store_true", help="leave stock Pelican out (slow at large N)"
    )
    parser.add_argument(
        "--query", default=sizes.QUERY, help="the search page's typical one-word query"
    )
    args = parser.parse_args(argv)
    if args.articles < 1 or args.rounds < 1:
        parser.error("--articles and --rounds must be 1 or more")
    kinds = tuple(k for k in args.kinds if not (args.no_baseline and k == "baseline"))
    if not kinds:
        parser.error("no kind of build left to run")
    WORK.mkdir(parents=True, exist_ok=True)
    load, code = os.getloadavg(), code_fingerprint()
    runs = bench(args.articles, args.rounds, args.seed, kinds)
    figures = summary(runs, args.articles)
    print(table(figures, args.articles, args.rounds, args.seed, code))
    size: dict[str, object] | None = None
    measured = next((k for k in ("full", "warm-full", "cold", "warm") if k in runs), None)
    if measured:  # the last output of that kind; `full` and `warm-full` hold the downloads
        output = WORK / f"n{args.articles}" / measured
        size = sizes.report(
            output / "output", args.query, downloads=measured in ("full", "warm-full")
        )
        print(f"\nsize of the {measured} output:\n" + "\n".join(sizes.lines(size)))
    progress(f"load average (1 min) before {load[0]:.2f}, after {os.getloadavg()[0]:.2f}")
    if code_fingerprint() != code:
        progress(
            f"warning: generator/theme/settings changed during the run (was {code}, now "
            f"{code_fingerprint()}): the figures mix versions of the build"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "articles": args.articles,
                    "rounds": args.rounds,
                    "seed": args.seed,
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "code": code,
                    "cache_env": build_reads_cache_env(),
                    "kinds": list(kinds),
                    "summary": figures,
                    "size": size,
                    "runs": {
                        kind: [asdict(r) for r in kind_runs] for kind, kind_runs in runs.items()
                    },
                },
                indent=2,
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
