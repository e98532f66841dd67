"""Our markdown-it-py set-up: CommonMark, raw HTML off, and region:/speaker: references.

The `timeline_links` core rule checks every link of a document once: references resolve to
pages of the site (through ROOT), web links pass (http:// with a warning), anything else
(javascript:, data:, files, images) is reported with its position and never rendered as a link.
`check_body` looks at the raw text first, for what must not reach the parser.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

import mdurl
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..diagnostics import HINTS_PER_FILE, Diagnostics, did_you_mean
from ..model.records import ROOT, Source
from ..model.urls import region_url, speaker_url
from .registries import Registries

ENV_KEY = "timeline"
WEB_SCHEMES = ("http://", "https://", "mailto:")
REFERENCE_SCHEMES = ("region:", "speaker:", "source:")
# What `make new` writes where the update goes: `check` refuses it until it is replaced.
PLACEHOLDER = "Write the update here: what happened, where, and who said what."
# markdown-it looks for the end of a link's text from every '[' still open, again and again:
# a paragraph of 1 MB of '[' took 10 s (and '![' 18 s). Real text opens two or three at most.
MAX_OPEN_BRACKETS = 8
_BRACKET = re.compile(r"\\.|[\[\]]")


@dataclass
class LinkContext:
    """What the link rule needs from the document being read, and what it found."""

    path: str
    body_line: int
    lines: list[str]
    registries: Registries
    diagnostics: Diagnostics
    regions: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    sources: dict[str, Source] | None = None  # the article's sources by id; None in a page
    hints: int = HINTS_PER_FILE  # "did you mean" suggestions left for this document

    def take_hint(self) -> bool:
        self.hints -= 1
        return self.hints >= 0


def link_context(env: MutableMapping[str, Any]) -> LinkContext:
    context = env[ENV_KEY]
    assert isinstance(context, LinkContext)
    return context


def make_markdown() -> MarkdownIt:
    """One parser per process: markdown-it instances are reusable across documents."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = _accept_every_link  # type: ignore[method-assign]
    md.core.ruler.push("timeline_links", _check_links)
    md.core.ruler.push("timeline_depth", _check_depth)
    plain_normalize = md.normalizeLink

    def normalize_link(url: str) -> str:
        """References are resolved by timeline_links: no URL parsing and encoding for them."""
        return url if url.startswith(REFERENCE_SCHEMES) else plain_normalize(url)

    md.normalizeLink = normalize_link  # type: ignore[method-assign]
    return md


CONTAINERS = ("blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open")


def _check_depth(state: StateCore) -> None:
    """markdown-it silently drops what block quotes and lists nest deeper than `maxNesting`
    (a container opened at level maxNesting - 1 gets no content): report it instead."""
    if ENV_KEY not in state.env:
        return
    limit = int(state.md.options["maxNesting"]) - 1
    top: Token | None = None  # the top-level block being looked at; reported once
    reported: Token | None = None
    for token in state.tokens:
        if token.level == 0:
            top = token
        if token.type in CONTAINERS and token.level >= limit and reported is not top:
            reported = top
            context = link_context(state.env)
            line = context.body_line + (token.map[0] if token.map else 0) + 1
            context.diagnostics.add(
                context.path,
                line,
                1,
                f"Markdown nested too deeply: at most {limit} block quotes or {limit // 2} lists "
                "inside each other, or the text inside is lost; nest less",
            )


def check_body(path: str, body: str, body_line: int, diagnostics: Diagnostics) -> bool:
    """Problems of the raw body: the placeholder of `make new`, and more '[' open at once than
    parsing can afford (then the body is not parsed: False)."""
    placeholder = body.find(PLACEHOLDER)
    if placeholder >= 0:
        line = body.count("\n", 0, placeholder) + 1
        col = placeholder - body.rfind("\n", 0, placeholder)
        diagnostics.add(
            path,
            body_line + line,
            col,
            "replace the placeholder text written by "
            "`make new` with the update: what happened, where, who said what",
        )
    open_brackets = 0
    for number, text in enumerate(body.split("\n"), body_line + 1):
        if not text.strip():  # a paragraph, the most a link can span, ends at a blank line
            open_brackets = 0
            continue
        for found in _BRACKET.finditer(text):
            bracket = found.group()
            if bracket == "]":
                open_brackets = max(open_brackets - 1, 0)
            elif bracket == "[":
                open_brackets += 1
                if open_brackets > MAX_OPEN_BRACKETS:
                    diagnostics.add(
                        path,
                        number,
                        found.start() + 1,
                        f"more than {MAX_OPEN_BRACKETS} '[' are open at once here: "
                        "close each with ']', or write a bracket that is only text "
                        "as '\\['",
                    )
                    return False
    return True


def _accept_every_link(url: str) -> bool:
    """Every link is checked, and reported with its position, by timeline_links instead."""
    return True


def _check_links(state: StateCore) -> None:
    if ENV_KEY not in state.env:
        return
    context = link_context(state.env)
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = _resolve_children(block.children, block.map, context)


def _resolve_children(
    children: list[Token], line_map: list[int] | None, context: LinkContext
) -> list[Token]:
    result: list[Token] = []
    for index, token in enumerate(children):
        if token.type == "image":
            _report(
                context,
                line_map,
                "![",
                "images are not supported: link to the picture with [text](https://…) instead",
            )
            result.append(_text(token.content))
            continue
        result.append(token)
        if token.type != "link_open":
            continue
        href = str(token.attrGet("href") or "")
        empty = index + 1 < len(children) and children[index + 1].type == "link_close"
        name = _resolve_href(token, href, line_map, context)
        if empty and name:
            result.append(_text(name))
    return result


def _resolve_href(
    token: Token, href: str, line_map: list[int] | None, context: LinkContext
) -> str | None:
    """Rewrite one link's href; returns the display name of a reference."""
    scheme, _, ref = href.partition(":")
    if scheme in ("region", "speaker"):
        return _resolve_reference(token, scheme, ref, line_map, context)
    if scheme == "source":
        return _resolve_source(token, ref, line_map, context)
    if href.lower().startswith("http://"):
        written = mdurl.decode(href)
        _report(
            context,
            line_map,
            written,
            f"link '{written}' is not encrypted: use https:// if the site offers it",
            warning=True,
        )
    if href.lower().startswith(WEB_SCHEMES) or href.startswith("#"):
        return None
    written = mdurl.decode(href)  # as the contributor wrote it, not percent-encoded
    _report(
        context,
        line_map,
        written,
        f"link target '{written}' is not allowed: use https://…, region:<id> or speaker:<id>",
    )
    token.attrs = {}
    return None


def _resolve_reference(
    token: Token, kind: str, ref: str, line_map: list[int] | None, context: LinkContext
) -> str:
    """A `region:` or `speaker:` link: checked against its registry, pointed at its page."""
    registries = context.registries
    is_region = kind == "region"
    entry = registries.regions.get(ref) if is_region else registries.speakers.get(ref)
    if entry is None:
        _report(
            context,
            line_map,
            f"{kind}:{ref}",
            registries.unknown(kind, ref, suggest=context.take_hint()),
        )
    else:
        (context.regions if is_region else context.speakers).append(ref)
    url = region_url(ref) if is_region else speaker_url(ref)
    token.attrs = {"href": ROOT + url, "class": f"{kind}-ref"}
    token.meta = {kind: ref}
    return entry.name if entry else ref


def _resolve_source(
    token: Token, ref: str, line_map: list[int] | None, context: LinkContext
) -> str | None:
    """A `source:` link: one of the article's `sources` by its id, a link to its URL."""
    sources = context.sources
    source = sources.get(ref) if sources is not None else None
    if source is None:
        if sources is None:
            message = (
                f"unknown source '{ref}': only an article's developments and quotes cite "
                "sources; link to the page with [text](https://…) instead"
            )
        else:
            hint = did_you_mean(ref, sources) if context.take_hint() else ""
            message = (
                f"unknown source '{ref}'{hint}"
                f" ({'or ' if hint else ''}add it to the front matter's 'sources' with 'id: {ref}')"
            )
        _report(context, line_map, f"source:{ref}", message)
        token.attrs = {}
        return None
    token.attrs = {
        "href": source.url,
        "class": "source-ref",
        "rel": "noopener noreferrer external",
    }
    token.meta = {"source": ref}
    return source.title or source.domain


def _report(
    context: LinkContext,
    line_map: list[int] | None,
    needle: str,
    message: str,
    warning: bool = False,
) -> None:
    """Report at the first source line of the block that holds `needle`."""
    add = context.diagnostics.warn if warning else context.diagnostics.add
    start, end = line_map if line_map else (0, 1)
    for offset in range(start, min(end, len(context.lines))):
        col = context.lines[offset].find(needle)
        if col >= 0:
            add(context.path, context.body_line + offset + 1, col + 1, message)
            return
    add(context.path, context.body_line + start + 1, 1, message)


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token
