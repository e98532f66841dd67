"""The command line: `python -m generator build|check|links|serve|new`, one module a command.

The library does the work; commands turn failures into messages and exit codes (0 ok,
1 content errors, 2 configuration errors: see common.py)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from .build import run_build
from .check import run_check
from .common import content_override, guarded
from .links import run_links
from .new import run_new
from .serve import serve


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build content/ into the output folder")
    check = commands.add_parser("check", help="validate content/ only; write nothing")
    for command in (build, check):
        command.add_argument("--settings", default="pelicanconf.py", type=Path)
        command.add_argument("--content", type=Path, help="content folder (default: PATH)")
    build.add_argument("--output", type=Path, help="output folder (default: OUTPUT_PATH)")
    build.add_argument(
        "--no-download-zip",
        action="store_true",
        help="skip the offline zip (the edit-and-look loop does not need it)",
    )
    build.add_argument("--verbose", action="store_true")
    check.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="github: problems as GitHub Actions annotations on stdout",
    )
    serve_command = commands.add_parser("serve", help="serve output/ and rebuild on changes")
    serve_command.add_argument("--settings", default="pelicanconf.py", type=Path)
    serve_command.add_argument("--output", type=Path, default=Path("output"))
    serve_command.add_argument("--port", type=int, default=8000)
    links = commands.add_parser("links", help="crawl a built site for broken links")
    links.add_argument("output", type=Path, nargs="?", default=Path("output"))
    links.add_argument(
        "--site-url",
        default="",
        help="the published SITEURL: absolute links under it are checked as files",
    )
    new = commands.add_parser("new", help="start an article dated now in the site time zone")
    new.add_argument("title")
    new.add_argument("--settings", default="pelicanconf.py", type=Path)
    new.add_argument("--content", type=Path, help="content folder (default: PATH)")
    args = parser.parse_args(argv)
    return guarded(
        lambda: _run(args),
        args.command,
        getattr(args, "settings", None),
        github=getattr(args, "format", "text") == "github",
        verbose=getattr(args, "verbose", False),
    )


def _run(args: argparse.Namespace) -> int:
    if args.command == "check":
        return run_check(
            args.settings, content_override(args.content), github=args.format == "github"
        )
    if args.command == "serve":
        return serve(
            args.settings, args.output, args.port, [Path("content"), Path("theme"), args.settings]
        )
    if args.command == "links":
        return run_links(args.output, args.site_url)
    if args.command == "new":
        return run_new(args.settings, args.title, content_override(args.content))
    override = content_override(args.content)
    if args.no_download_zip:
        override["TIMELINE_DOWNLOAD_ZIP"] = False
    return run_build(args.settings, args.output, args.verbose, override)


__all__ = ["main"]
