"""Developments and quotes, found in one pass over an article's markdown-it tokens.

A development is a top-level list item directly under a heading "Developments" (any level,
any case); a quote is a top-level blockquote whose last paragraph starts with an em dash
(or `--`) and a speaker reference. Each gets an `id` attribute, so the article page carries
the anchors that every other page links to.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it.token import Token

from .times import is_stamp_like

DASHES = ("—", "--", "–")


@dataclass(frozen=True)
class ItemTokens:
    """One development: its tokens (item open..close), source line and optional stamp."""

    tokens: list[Token]
    line: int  # 0-based line in the body
    stamp: str | None
    key: bool = False  # `**Key**` right after the stamp (or first)


@dataclass(frozen=True)
class QuoteTokens:
    text_tokens: list[Token]  # the quoted paragraphs
    speaker: str  # id as written (resolved by the link rule)
    context_tokens: list[Token]  # inline children after the reference and its comma
    line: int
    open_token: Token


def heading_text(tokens: list[Token], index: int) -> str:
    inline = tokens[index + 1]
    return inline.content.strip().rstrip(":").strip().lower()


def find_developments(tokens: list[Token]) -> list[ItemTokens]:
    """Top-level list items of every list directly under a "Developments" heading."""
    items: list[ItemTokens] = []
    in_section = False
    start = 0
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0:
            in_section = heading_text(tokens, index) == "developments"
        elif not in_section or token.level != 1:
            continue  # a top-level list's items are at level 1; nested ones are deeper
        elif token.type == "list_item_open":
            start = index
        elif token.type == "list_item_close":
            item = tokens[start : index + 1]
            line = item[0].map[0] if item[0].map else 0
            stamp, key = _markers_of(item)
            items.append(ItemTokens(item, line, stamp, key))
    return items


def _first_inline(item: list[Token]) -> Token | None:
    return next((t for t in item if t.type == "inline"), None)


def _meaningful(children: list[Token]) -> list[Token]:
    return [c for c in children if not (c.type == "text" and not c.content)]


KEY = "Key"


def _bold(children: list[Token], at: int, word: Callable[[str], bool]) -> bool:
    """Whether children[at:at + 3] is `**word**`."""
    return (
        at + 2 < len(children)
        and children[at].type == "strong_open"
        and children[at + 1].type == "text"
        and children[at + 2].type == "strong_close"
        and word(children[at + 1].content)
    )


def _is_key(text: str) -> bool:
    return text.strip() == KEY


def _skip_blank(children: list[Token], at: int) -> int:
    while at < len(children) and children[at].type == "text" and not children[at].content.strip():
        at += 1
    return at


def lead_markers(children: list[Token]) -> tuple[str | None, bool, int]:
    """(stamp, key, where the text starts) of an item's first inline children: an optional
    bold stamp, then an optional `**Key**`."""
    at = _skip_blank(children, 0)
    stamp = None
    if _bold(children, at, is_stamp_like):
        stamp = children[at + 1].content.strip()
        at = _skip_blank(children, at + 3)
    key = _bold(children, at, _is_key)
    if key:
        children[at].attrSet("class", "key")  # shown as a label in the article's body
        return stamp, True, at + 3
    return stamp, False, at if stamp is not None else 0


def _markers_of(item: list[Token]) -> tuple[str | None, bool]:
    inline = _first_inline(item)
    if inline is None or not inline.children:
        return None, False
    stamp, key, _ = lead_markers(inline.children)
    return stamp, key


def misplaced_keys(item: ItemTokens) -> list[Token]:
    """The inline tokens holding a `**Key**` that is not the item's marker (one per such bold)."""
    found: list[Token] = []
    first = _first_inline(item.tokens)
    for token in item.tokens:
        if token.type != "inline" or not token.children:
            continue
        children = token.children
        skip = -1
        if token is first and item.key:
            skip = lead_markers(children)[2] - 3
        found.extend(
            token for at in range(len(children)) if at != skip and _bold(children, at, _is_key)
        )
    return found


def without_stamp(item: list[Token]) -> list[Token]:
    """The item's inner tokens with its leading bold stamp and key marker removed."""
    inner = item[1:-1]
    inline = _first_inline(inner)
    if inline is None or not inline.children:
        return inner
    children = list(inline.children)
    rest = children[lead_markers(children)[2] :]
    if rest and rest[0].type == "text":
        first = copy.copy(rest[0])
        first.content = first.content.lstrip()
        rest[0] = first
    trimmed = copy.copy(inline)
    trimmed.children = rest
    return [trimmed if token is inline else token for token in inner]


def find_quotes(
    tokens: list[Token], speaker_of: Callable[[Token], str | None]
) -> list[QuoteTokens]:
    """Top-level blockquotes ending in an attribution paragraph `— [Name](speaker:id), context`."""
    quotes: list[QuoteTokens] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "blockquote_open" and token.level == 0:
            end = _matching_close(tokens, index)
            quote = _read_quote(tokens, index, end, speaker_of)
            if quote is not None:
                quotes.append(quote)
            index = end
        index += 1
    return quotes


def _matching_close(tokens: list[Token], index: int) -> int:
    level = tokens[index].level
    for end in range(index + 1, len(tokens)):
        if tokens[end].type == "blockquote_close" and tokens[end].level == level:
            return end
    return len(tokens) - 1


def _read_quote(
    tokens: list[Token], start: int, end: int, speaker_of: Callable[[Token], str | None]
) -> QuoteTokens | None:
    last_open = max(
        (
            i
            for i in range(start, end)
            if tokens[i].type == "paragraph_open" and tokens[i].level == 1
        ),
        default=None,
    )
    if last_open is None:
        return None
    inline = tokens[last_open + 1]
    children = _meaningful(inline.children or [])
    if len(children) < 2 or children[0].type != "text":
        return None
    lead = children[0].content.strip()
    if lead not in DASHES or children[1].type != "link_open":
        return None
    speaker = speaker_of(children[1])
    if speaker is None:
        return None
    close = next(i for i, c in enumerate(children) if c.type == "link_close")
    context = _after_comma(children[close + 1 :])
    _mark_attribution(
        tokens[last_open], tokens[last_open + 2], inline, children[1], children[close]
    )
    source_map = tokens[start].map
    line = source_map[0] if source_map else 0
    return QuoteTokens(tokens[start + 1 : last_open], speaker, context, line, tokens[start])


def _mark_attribution(
    paragraph_open: Token,
    paragraph_close: Token,
    inline: Token,
    link_open: Token,
    link_close: Token,
) -> None:
    """A quote's last paragraph is its attribution: a <footer> with the speaker in <cite>.
    The tokens are changed, not the renderer, so every other paragraph and link renders
    through markdown-it's own (fast) code."""
    for token in (paragraph_open, paragraph_close):
        token.tag = "footer"
    paragraph_open.attrs = {"class": "attribution"}
    children = inline.children or []
    at = next(i for i, child in enumerate(children) if child is link_open)
    end = next(i for i, child in enumerate(children) if child is link_close)
    inline.children = [
        *children[:at],
        _html("<cite>"),
        *children[at : end + 1],
        _html("</cite>"),
        *children[end + 1 :],
    ]


def _html(markup: str) -> Token:
    """Markup of ours, rendered as it is (html_inline tokens from content cannot exist: the
    parser's html option is off)."""
    token = Token("html_inline", "", 0)
    token.content = markup
    return token


def _after_comma(children: list[Token]) -> list[Token]:
    if not children or children[0].type != "text":
        return children
    first = copy.copy(children[0])
    first.content = first.content.lstrip().removeprefix(",").lstrip()
    return [first, *children[1:]] if first.content else children[1:]


def plain_text(tokens: list[Token]) -> str:
    """What a person reads, without markup: inline text joined, blocks separated by spaces."""
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            parts.append(inline_text(token.children or []))
    return " ".join(part for part in parts if part)


def inline_text(children: list[Token]) -> str:
    words: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            words.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            words.append(" ")
    return " ".join("".join(words).split())
