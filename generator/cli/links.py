"""`python -m generator links`: crawl a built site. Every local link must open a file (and its
#anchor), nothing may load from the network. Folder links and root-absolute links count as
broken: they fail offline."""

from __future__ import annotations

import posixpath
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..settings import SettingsError
from .common import EXIT_CONTENT

RESOURCE_ATTRS = {
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("object", "data"),
    ("embed", "src"),
    ("img", "srcset"),
    ("source", "srcset"),
}
LINK_ATTRS = {("a", "href"), ("area", "href"), ("form", "action")}


@dataclass(frozen=True)
class Reference:
    tag: str
    attr: str
    value: str
    rel: str


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.references: list[Reference] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for attr, value in values.items():
            if (tag, attr) in RESOURCE_ATTRS or (tag, attr) in LINK_ATTRS:
                self.references.append(Reference(tag, attr, value, values.get("rel", "")))


@dataclass
class Page:
    ids: set[str]
    references: list[Reference]


def _parse(file: Path) -> Page:
    parser = _PageParser()
    parser.feed(file.read_text(encoding="utf-8"))
    return Page(parser.ids, parser.references)


def check_site(output: Path, site_url: str = "") -> list[str]:
    """Every problem found, as 'page: message' lines (empty: the site is sound).

    `site_url` (the published SITEURL, e.g. https://user.github.io/repo): links under it are
    the site's own files (404.html links that way) and are checked like relative ones."""
    pages = {f.relative_to(output).as_posix(): _parse(f) for f in sorted(output.rglob("*.html"))}
    problems: list[str] = []
    for name, page in pages.items():
        for ref in page.references:
            problems.extend(
                f"{name}: {message}" for message in _check(output, pages, name, ref, site_url)
            )
    return problems


def _own(value: str, name: str, site_url: str) -> str:
    """An absolute link into the site itself, made relative to page `name`; else unchanged."""
    base = site_url.rstrip("/") + "/"
    if not site_url or not value.startswith(base):
        return value
    inside = value[len(base) :]
    path, hash_, fragment = inside.partition("#")
    relative = posixpath.relpath(path or ".", posixpath.dirname(name) or ".")
    return relative + hash_ + fragment


def _check(
    output: Path, pages: dict[str, Page], name: str, ref: Reference, site_url: str = ""
) -> Iterator[str]:
    value = _own(ref.value.strip(), name, site_url)
    is_resource = (ref.tag, ref.attr) in RESOURCE_ATTRS and "alternate" not in ref.rel.split()
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") or value.startswith("//"):
        if is_resource:
            yield f"loads a network resource: {value}"
        return
    if parts.scheme in ("mailto", "data") and not (is_resource and parts.scheme == "mailto"):
        return
    if parts.scheme:
        yield f"link with scheme '{parts.scheme}:': {value}"
        return
    if value.startswith("/"):
        yield f"root-absolute link (breaks offline and on a sub-path): {value}"
        return
    target = (
        posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(parts.path)))
        if parts.path
        else name
    )
    if target.startswith("../") or target == "..":
        yield f"link leaves the site: {value}"
        return
    path = output / target
    if parts.path and (value.endswith("/") or path.is_dir()):
        yield f"folder link (shows a listing offline): {value}"
    elif not path.is_file():
        yield f"broken link: {value}"
    elif parts.fragment and target in pages and unquote(parts.fragment) not in pages[target].ids:
        yield f"missing anchor: {value}"


def run_links(output: Path, site_url: str = "") -> int:
    if not output.is_dir():
        raise SettingsError(f"{output} is not a built site: run `make html` first")
    problems = check_site(output, site_url.rstrip("/"))
    for problem in problems:
        print(f"{output.as_posix()}/{problem}", file=sys.stderr)
    pages = sum(1 for _ in output.rglob("*.html"))
    stream = sys.stderr if problems else sys.stdout
    print(f"{len(problems)} link problem(s) in {pages} pages", file=stream)
    return EXIT_CONTENT if problems else 0
