"""The command line: `python -m generator build|check|links|serve|new`.

The library does the work; this turns failures into messages and exit codes (0 ok, 1 content
errors, 2 configuration errors)."""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .diagnostics import ContentError, Diagnostic, limited_lines
from .resident import MEMORY_KEY, Memory
from .settings import STATE_KEY, SettingsError
from .site import Site
from .state import BuildState

EXIT_CONTENT, EXIT_CONFIG = 1, 2


class ErrorCounter(logging.Handler):
    """Counts Pelican's own error logs (a plugin that failed to load, a template error...)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build content/ into the output folder")
    check = commands.add_parser("check", help="validate content/ only; write nothing")
    for command in (build, check):
        command.add_argument("--settings", default="pelicanconf.py", type=Path)
        command.add_argument("--content", type=Path, help="content folder (default: PATH)")
    build.add_argument("--output", type=Path, help="output folder (default: OUTPUT_PATH)")
    build.add_argument("--no-download-zip", action="store_true",
                       help="skip the offline zip (the edit-and-look loop does not need it)")
    build.add_argument("--verbose", action="store_true")
    check.add_argument("--format", choices=("text", "github"), default="text",
                       help="github: problems as GitHub Actions annotations on stdout")
    serve = commands.add_parser("serve", help="serve output/ and rebuild on changes")
    serve.add_argument("--settings", default="pelicanconf.py", type=Path)
    serve.add_argument("--output", type=Path, default=Path("output"))
    serve.add_argument("--port", type=int, default=8000)
    links = commands.add_parser("links", help="crawl a built site for broken links")
    links.add_argument("output", type=Path, nargs="?", default=Path("output"))
    links.add_argument("--site-url", default="",
                       help="the published SITEURL: absolute links under it are checked as files")
    new = commands.add_parser("new", help="start an article dated now in the site time zone")
    new.add_argument("title")
    new.add_argument("--settings", default="pelicanconf.py", type=Path)
    new.add_argument("--content", type=Path, help="content folder (default: PATH)")
    args = parser.parse_args(argv)
    return guarded(lambda: _run(args), args.command, getattr(args, "settings", None),
                   github=getattr(args, "format", "text") == "github",
                   verbose=getattr(args, "verbose", False))


def _run(args: argparse.Namespace) -> int:
    if args.command == "check":
        return run_check(args.settings, _content_override(args.content),
                         github=args.format == "github")
    if args.command == "serve":
        from .serve import serve as run_serve

        return run_serve(args.settings, args.output, args.port,
                         [Path("content"), Path("theme"), args.settings])
    if args.command == "links":
        return run_links(args.output, args.site_url)
    if args.command == "new":
        return run_new(args.settings, args.title, _content_override(args.content))
    override = _content_override(args.content)
    if args.no_download_zip:
        override["TIMELINE_DOWNLOAD_ZIP"] = False
    return run_build(args.settings, args.output, args.verbose, override)


def guarded(run: Callable[[], int], command: str, settings: Path | None, *,
            github: bool = False, verbose: bool = False) -> int:
    """`run()`, with every failure turned into messages and an exit code."""
    try:
        return run()
    except SettingsError as error:
        if github:
            print(f"::error file={_property(str(settings))}::{_data(str(error))}")
        print(f"{settings}: {error}" if settings else str(error), file=sys.stderr)
        return EXIT_CONFIG
    except ContentError as error:
        if github:
            print("\n".join(github_annotations(error)
                            + workflow_commands(error.warnings, error.limit, "warning")))
        print("\n".join(error.report_lines()), file=sys.stderr)
        return EXIT_CONTENT
    except Exception as error:  # a theme or code problem, never content: say it in one line
        if verbose:
            raise
        hint = " (--verbose shows where)" if command == "build" else ""
        print(f"{command} failed: {type(error).__name__}: {error}{hint}", file=sys.stderr)
        return EXIT_CONFIG


def build_resident(settings_file: Path, output: Path, memory: Memory,
                   content: Path | None = None) -> int:
    """One build in this long-lived process (make serve), reusing what `memory` kept."""
    override: dict[str, Any] = {**_content_override(content), MEMORY_KEY: memory,
                                "TIMELINE_DOWNLOAD_ZIP": False}
    return guarded(lambda: run_build(settings_file, output, False, override), "build",
                   settings_file)


def github_annotations(error: ContentError) -> list[str]:
    """Each problem as a GitHub Actions workflow command, shown on the pull request's diff."""
    return workflow_commands(error.diagnostics, error.limit)


def workflow_commands(diagnostics: tuple[Diagnostic, ...], limit: int,
                level: str = "error") -> list[str]:
    shown = diagnostics if limit <= 0 else diagnostics[:limit]
    return [f"::{level} file={_property(d.path)},line={d.line},col={d.col}::{_data(d.message)}"
            for d in shown]


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def load_settings(settings_file: Path, override: dict[str, Any] | None = None) -> dict[str, Any]:
    from pelican.settings import read_settings

    if not settings_file.is_file():
        raise SettingsError("settings file not found")
    return dict(read_settings(str(settings_file), override=override or {}))


def _content_override(content: Path | None) -> dict[str, Any]:
    return {"PATH": str(content.resolve())} if content else {}


def run_check(settings_file: Path, override: dict[str, Any], github: bool = False) -> int:
    settings = load_settings(settings_file, override)
    state = BuildState.start(settings)
    site = state.finish()
    warnings = print_warnings(state, github)
    print(f"ok: {_totals(site)}{warnings}")
    return 0


def print_warnings(state: BuildState, github: bool = False) -> str:
    """Print the build's warnings (stderr; with `github`, also as annotations on stdout);
    returns a note for the summary line, such as " (2 warnings)"."""
    warnings = tuple(sorted(set(state.diagnostics.warnings)))
    if not warnings:
        return ""
    limit = state.settings.max_errors
    if github:
        print("\n".join(workflow_commands(warnings, limit, "warning")))
    for line in limited_lines(warnings, limit, " warnings"):
        print(line, file=sys.stderr)
    count = len(warnings)
    return f" ({count} warning{'s' if count != 1 else ''})"


def _totals(site: Site) -> str:
    return (f"{len(site.articles)} articles, {len(site.pages)} pages, {len(site.events)} "
            f"developments, {len(site.quotes)} quotes, {len(site.regions)} regions, "
            f"{len(site.speakers)} speakers")


def run_links(output: Path, site_url: str = "") -> int:
    from .linkcheck import check_site

    if not output.is_dir():
        raise SettingsError(f"{output} is not a built site: run `make html` first")
    problems = check_site(output, site_url.rstrip("/"))
    for problem in problems:
        print(f"{output.as_posix()}/{problem}", file=sys.stderr)
    pages = sum(1 for _ in output.rglob("*.html"))
    stream = sys.stderr if problems else sys.stdout
    print(f"{len(problems)} link problem(s) in {pages} pages", file=stream)
    return EXIT_CONTENT if problems else 0


def run_new(settings_file: Path, title: str, override: dict[str, Any]) -> int:
    from .scaffold import NEXT_STEPS, ScaffoldError, new_article
    from .settings import TimelineSettings

    settings = load_settings(settings_file, override)
    zone = TimelineSettings.from_pelican(settings).zone
    content = Path(settings["PATH"])
    try:
        created = new_article(content, title, zone)
    except ScaffoldError as error:
        print(f"new: {error}", file=sys.stderr)
        return EXIT_CONTENT
    shown = created.relative_to(Path.cwd()) if created.is_relative_to(Path.cwd()) else created
    print(f"created {shown.as_posix()}\n{NEXT_STEPS}")
    return 0


def run_build(settings_file: Path, output: Path | None, verbose: bool,
              override: dict[str, Any]) -> int:
    from .output import StagedOutput, load_manifest

    started = time.perf_counter()
    gc.set_threshold(100_000, 50, 100)  # a batch job making millions of objects: fewer passes
    settings = load_settings(settings_file, override)
    target = (output or Path(settings["OUTPUT_PATH"])).resolve()
    counter = _pelican_logging(verbose)
    try:
        with StagedOutput(target, Path(settings["PATH"]).resolve()) as staged:
            staging = {**override, "OUTPUT_PATH": str(staged.path)}
            pelican = _pelican(load_settings(settings_file, staging))
            state: BuildState = pelican.settings[STATE_KEY]
            state.start_output(pelican.settings, staged.path, staged.linked,
                               load_manifest(_manifest(state, target)))
            try:
                with _without_pelican_summary():
                    pelican.run()
            finally:
                state.stop_background()  # after a failure: before the staging folder goes
            _fail_on_logged_errors(counter)
            staged.commit(remove_old_now=state.memory is None)
            if state.memory is not None:  # the next build keeps the pieces of files still here
                state.fragments.keep_only(set(state.slug_digests.values()))
            _save_manifest(state, target)
    finally:
        logging.getLogger().removeHandler(counter)
        gc.unfreeze()  # the model was frozen for the collector (state.finish); let it go
    site = state.site
    totals = f": {_totals(site)}" if site is not None else ""
    warnings = print_warnings(state)
    print(f"built {target}{totals}{warnings} in {time.perf_counter() - started:.2f} s")
    return 0


@contextlib.contextmanager
def _without_pelican_summary() -> Iterator[None]:
    """Pelican ends with "Processed N articles": it read none (BuildState read them), so that
    line is dropped; its log messages (a shared console) still show."""
    import pelican
    from rich.console import Console

    shown = pelican.console
    pelican.console = Console(quiet=True)
    try:
        yield
    finally:
        pelican.console = shown


def _manifest(state: BuildState, target: Path) -> Path | None:
    from .output import manifest_file

    return manifest_file(state.cache.root, target) if state.cache.root else None


def _save_manifest(state: BuildState, target: Path) -> None:
    from .output import save_manifest

    file = _manifest(state, target)
    if file is not None and state.outputs is not None:
        save_manifest(file, state.outputs.current)


def _fail_on_logged_errors(counter: ErrorCounter) -> None:
    if counter.messages:
        details = "\n".join(f"error: {m}" for m in counter.messages)
        raise SettingsError(f"the build reported errors; the previous output was kept\n{details}")


def _pelican_logging(verbose: bool) -> ErrorCounter:
    from pelican.log import init

    init(level=logging.INFO if verbose else logging.WARNING)
    counter = ErrorCounter()
    logging.getLogger().addHandler(counter)
    return counter


def _pelican(settings: dict[str, Any]) -> Any:
    from pelican import Pelican

    pelican = Pelican(settings)
    if STATE_KEY not in pelican.settings:
        raise SettingsError("the 'generator' plugin did not load: check PLUGINS and PLUGIN_PATHS")
    return pelican


__all__ = ["main"]
