"""One article or page file → one model record, every problem reported with its position."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..diagnostics import HINTS_PER_FILE, Diagnostics
from ..model.records import (
    Article,
    Correction,
    Event,
    Page,
    Quote,
    RecordWarning,
    Source,
    pack_html,
)
from .body import (
    ItemTokens,
    QuoteTokens,
    find_developments,
    find_quotes,
    inline_text,
    misplaced_keys,
    plain_text,
    without_stamp,
)
from .fields import Fields, id_problem, is_id
from .frontmatter import Split
from .markup import ENV_KEY, LinkContext, check_body
from .registries import Registries
from .strictyaml import Position, YamlList, YamlMap
from .times import Published, TimeProblem, parse_published, resolve_stamp

ARTICLE_KEYS = (
    "title",
    "date",
    "updated",
    "summary",
    "regions",
    "speakers",
    "tags",
    "sources",
    "corrections",
    "slug",
    "authors",
    "status",
)
PAGE_KEYS = ("title", "slug", "summary", "status")
OWNED_BY_SITE = "output paths, templates and files are set by the site, not by content"
REFUSED_KEYS = {
    key: OWNED_BY_SITE
    for key in (
        "save_as",
        "url",
        "template",
        "lang",
        "translation",
        "category",
        "author",
        "modified",
        "page_order",
        "attach",
        "static",
        "filename",
    )
}
STATUSES = ("published", "draft")


@dataclass(frozen=True)
class ReadContext:
    """What reading one file needs from the build."""

    registries: Registries
    zone: ZoneInfo
    markdown: MarkdownIt
    diagnostics: Diagnostics


def slug_from_path(path: str) -> str:
    return PurePosixPath(path).stem


def read_page(path: str, split: Split, context: ReadContext) -> Page | None:
    warned = len(context.diagnostics.warnings)
    fields = Fields(path, split.meta, context.diagnostics, "page front matter")
    fields.check_keys(PAGE_KEYS, REFUSED_KEYS)
    title = fields.name("title", required=True)
    slug = _slug(fields, path)
    draft = _draft(fields)
    if not check_body(path, split.body, split.body_line, context.diagnostics):
        return None
    links = _link_context(path, split, context)
    body_html = context.markdown.render(split.body, {ENV_KEY: links})
    if title is None or slug is None:
        return None
    return Page(
        slug=slug,
        title=title,
        summary=fields.text("summary") or "",
        draft=draft,
        path=path,
        body=pack_html(body_html),
        warnings=_warnings(context, warned),
    )


def _warnings(context: ReadContext, since: int) -> tuple[RecordWarning, ...]:
    """The warnings about the file being read, kept in its record (and so in the cache)."""
    return tuple((w.line, w.col, w.message) for w in context.diagnostics.warnings[since:])


def read_article(path: str, split: Split, context: ReadContext) -> Article | None:
    """The article, or None when it has problems (they are in context.diagnostics)."""
    before, warned = len(context.diagnostics), len(context.diagnostics.warnings)
    fields = Fields(path, split.meta, context.diagnostics, "front matter")
    fields.check_keys(ARTICLE_KEYS, REFUSED_KEYS)
    title = fields.name("title", required=True)
    published = _published(fields, "date", context.zone, required=True)
    updated = _published(fields, "updated", context.zone)
    registries = context.registries
    regions = _references(fields, "region", registries.regions, registries)
    speakers = _references(fields, "speaker", registries.speakers, registries)
    slug = _slug(fields, path)
    draft = _draft(fields)
    sources = _sources(fields)
    by_id = {source.id: source for source in sources if source.id is not None}
    corrections = _corrections(fields, published, slug, by_id, context)
    if not check_body(path, split.body, split.body_line, context.diagnostics):
        return None

    links = _link_context(path, split, context)
    links.sources = by_id
    env = {ENV_KEY: links}
    tokens = context.markdown.parse(split.body, env)
    items = find_developments(tokens)
    quotes = find_quotes(tokens, lambda link: link.meta.get("speaker"))
    if published is None or slug is None or title is None:
        return None
    events = [
        _event(slug, n, item, published, regions, links, context, env)
        for n, item in enumerate(items, 1)
    ]
    quote_records = [
        _quote(slug, n, quote, published, links, context, env) for n, quote in enumerate(quotes, 1)
    ]
    body_html = context.markdown.renderer.render(tokens, context.markdown.options, env)
    if len(context.diagnostics) > before:
        return None
    if not draft:  # a draft warns once it is set to be published
        _warn_unsourced(path, events, quote_records, bool(sources), context.diagnostics)
    return Article(
        slug=slug,
        title=title,
        date=published.moment,
        date_only=published.date_only,
        updated=updated.moment if updated else None,
        summary=fields.text("summary") or "",
        regions=regions,
        speakers=speakers,
        tags=tuple(tag for tag, _ in fields.text_list("tags")),
        sources=sources,
        authors=tuple(author for author, _ in fields.text_list("authors")),
        draft=draft,
        path=path,
        body=pack_html(body_html),
        events=tuple(e for e in events if e is not None),
        quotes=tuple(q for q in quote_records if q is not None),
        mentioned_regions=_unique((*regions, *links.regions)),
        mentioned_speakers=_unique((*speakers, *links.speakers)),
        day=published.moment.astimezone(context.zone).date(),
        warnings=_warnings(context, warned),
        corrections=corrections,
    )


def _warn_unsourced(
    path: str,
    events: list[Event | None],
    quotes: list[Quote | None],
    article_has_sources: bool,
    diagnostics: Diagnostics,
) -> None:
    """A development or quote with no source at all (the article has none either)."""
    if article_has_sources:
        return
    for record in (*events, *quotes):
        if record is not None and not record.sources:
            what = "development" if isinstance(record, Event) else "quote"
            diagnostics.warn(
                path,
                record.line,
                1,
                f"{what} has no source: cite one with [BBC](source:bbc) or add 'sources:' "
                "to the front matter",
            )


def _link_context(path: str, split: Split, context: ReadContext) -> LinkContext:
    return LinkContext(
        path=path,
        body_line=split.body_line,
        lines=split.body.split("\n"),
        registries=context.registries,
        diagnostics=context.diagnostics,
    )


def _event(
    slug: str,
    n: int,
    item: ItemTokens,
    published: Published,
    defaults: tuple[str, ...],
    links: LinkContext,
    context: ReadContext,
    env: dict[str, LinkContext],
) -> Event | None:
    line = links.body_line + item.line + 1
    event_id = f"ev-{slug}-{n}"
    item.tokens[0].attrSet("id", event_id)
    stamp = None
    if item.stamp is not None:
        try:
            stamp = resolve_stamp(item.stamp, published, context.zone)
        except TimeProblem as problem:
            col = links.lines[item.line].find(item.stamp) + 1
            context.diagnostics.add(links.path, line, col, str(problem))
            return None
        if stamp.note:
            col = links.lines[item.line].find(item.stamp) + 1
            context.diagnostics.warn(links.path, line, col, stamp.note)
    for inline in misplaced_keys(item):
        _misplaced_key(inline, item, links, context)
    named = _unique(_refs(item.tokens, "region"))
    regions = named or defaults
    if not regions:
        context.diagnostics.add(
            links.path,
            line,
            1,
            "development names no region: add a link such as "
            "[Bakhmut](region:bakhmut), or 'regions:' in the front matter",
        )
        return None
    marked = item.stamp is not None or item.key
    inner = without_stamp(item.tokens) if marked else item.tokens[1:-1]
    html = context.markdown.renderer.render(inner, context.markdown.options, env)
    moment = stamp.moment if stamp else published.moment  # untimed: ordered at the article's
    return Event(
        id=event_id,
        article=slug,
        position=n,
        time=moment,
        timed=stamp is not None,
        precision=stamp.precision if stamp else None,
        day=stamp.day if stamp else moment.astimezone(context.zone).date(),
        regions=regions,
        speakers=_unique(_refs(item.tokens, "speaker")),
        text=plain_text(inner),
        html=html.strip(),
        line=line,
        key=item.key,
        sources=_cited(item.tokens, links),
    )


def _cited(tokens: list[Token], links: LinkContext) -> tuple[Source, ...]:
    """The sources a development or quote cites, in order, once each (none: it has the
    article's, which the model gives: see Site.sources_of; kept once, not in every record)."""
    known = links.sources or {}
    return tuple(known[ref] for ref in _unique(_refs(tokens, "source")) if ref in known)


def _misplaced_key(
    inline: Token, item: ItemTokens, links: LinkContext, context: ReadContext
) -> None:
    """`**Key**` anywhere but first (after the stamp): reported where it is written."""
    start, end = inline.map if inline.map else (item.line, item.line + 1)
    skip = 1 if item.key and start == item.line else 0  # the marker itself, on the first line
    line, col = links.body_line + start + 1, 1
    for offset in range(start, min(end, len(links.lines))):
        text = links.lines[offset]
        at = text.find("**Key**")
        if at >= 0 and skip:
            skip, at = 0, text.find("**Key**", at + 1)
        if at >= 0:
            line, col = links.body_line + offset + 1, at + 1
            break
    context.diagnostics.add(
        links.path,
        line,
        col,
        "'**Key**' marks a key development only at the start of the item, right after its "
        "stamp: move it there ('- **08:15** **Key** …') or remove it",
    )


def _quote(
    slug: str,
    n: int,
    quote: QuoteTokens,
    published: Published,
    links: LinkContext,
    context: ReadContext,
    env: dict[str, LinkContext],
) -> Quote | None:
    quote_id = f"qu-{slug}-{n}"
    quote.open_token.attrSet("id", quote_id)
    quote.open_token.attrSet("class", "quote")
    if quote.speaker not in context.registries.speakers:
        return None  # reported by the link rule
    renderer, options = context.markdown.renderer, context.markdown.options
    context_inline = Token("inline", "", 0)
    context_inline.children = quote.context_tokens
    return Quote(
        id=quote_id,
        article=slug,
        position=n,
        time=published.moment,
        day=published.moment.astimezone(context.zone).date(),
        speaker=quote.speaker,
        text=_paragraphs_text(quote.text_tokens),
        html=renderer.render(quote.text_tokens, options, env).strip(),
        context=plain_text([context_inline]),
        context_html=renderer.render([context_inline], options, env).strip(),
        line=links.body_line + quote.line + 1,
        sources=_cited([*quote.text_tokens, context_inline], links),
    )


def _paragraphs_text(tokens: list[Token]) -> str:
    return "\n\n".join(plain_text([t]) for t in tokens if t.type == "inline")


def _refs(tokens: list[Token], kind: str) -> list[str]:
    found: list[str] = []
    for token in tokens:
        for child in token.children or []:
            if child.type == "link_open" and kind in child.meta:
                found.append(child.meta[kind])
    return found


def _unique(values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _published(
    fields: Fields, key: str, zone: ZoneInfo, required: bool = False
) -> Published | None:
    text = fields.text(key, required=required)
    if text is None:
        return None
    try:
        return parse_published(text, zone, subject=f"'{key}'")
    except TimeProblem as problem:
        fields.error(key, str(problem))
        return None


def _references(
    fields: Fields, kind: str, known: Mapping[str, object], registries: Registries
) -> tuple[str, ...]:
    """The ids of the front matter's `regions` or `speakers` list that exist."""
    found: list[str] = []
    hints = HINTS_PER_FILE
    for ref, position in fields.text_list(f"{kind}s"):
        if ref in known:
            found.append(ref)
        else:
            hints -= 1
            fields.error_at(position, registries.unknown(kind, ref, suggest=hints >= 0))
    return _unique(found)


def _slug(fields: Fields, path: str) -> str | None:
    slug = fields.text("slug")
    if slug is None:
        slug = slug_from_path(path)
        if is_id(slug):  # a file name Windows reserves is refused by discovery
            return slug
        fields.error_at(
            (1, 1),
            f"file name '{PurePosixPath(path).name}' does not give a slug: "
            "rename it (lowercase letters, digits, hyphens) or set 'slug:'",
        )
        return None
    problem = id_problem(
        "slug",
        slug,
        "must be lowercase letters, digits and single hyphens, like 'nato-says-offensive-began'",
    )
    if problem is not None:
        fields.error("slug", problem)
        return None
    return slug


def _draft(fields: Fields) -> bool:
    status = fields.text("status") or "published"
    if status not in STATUSES:
        fields.error("status", f"status '{status}' must be 'published' or 'draft'")
    return status == "draft"


def _sources(fields: Fields) -> tuple[Source, ...]:
    value = fields.mapping.get("sources")
    if value is None:
        return ()
    if not isinstance(value, list):
        fields.error("sources", "'sources' must be a list of {title, url}")
        return ()
    sources: list[Source] = []
    ids: dict[str, Position] = {}
    for item, position in zip(value, value.item_pos, strict=True):  # type: ignore[attr-defined]
        source = _source(fields, item, position)
        if source is None:
            continue
        if source.id is not None:
            at = item.value_pos["id"]
            first = ids.setdefault(source.id, at)
            if first != at:
                fields.error_at(
                    at,
                    f"source id '{source.id}' is used twice in this article — also at line "
                    f"{first[0]}: give each source its own id",
                )
                continue
        sources.append(source)
    return tuple(sources)


def _source(fields: Fields, item: object, position: Position) -> Source | None:
    source_id = None
    if isinstance(item, str):
        item_fields = None
        url, title = item.strip(), None
    elif isinstance(item, YamlMap):
        item_fields = Fields(fields.path, item, fields.diagnostics, "a source")
        item_fields.check_keys(("id", "title", "url"), {})
        url, title = item_fields.text("url") or "", item_fields.name("title")
        source_id = item_fields.text("id")
        if source_id is not None:
            problem = id_problem(
                "source id",
                source_id,
                "must be lowercase letters, digits and single hyphens, like 'bbc'",
            )
            if problem is not None:
                item_fields.error("id", problem)
                return None
        if url:
            position = item.value_pos["url"]
    else:
        fields.error_at(position, "each source must be {id, title, url}")
        return None
    if not url:
        fields.error_at(position, "a source needs a 'url'")
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a bracketed host that is not an IP address
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        fields.error_at(position, f"source url '{url}' is not a web address: write https://…")
        return None
    if parts.scheme == "http":
        fields.diagnostics.warn(
            fields.path,
            *position,
            f"source url '{url}' is not encrypted: use https:// if the site offers it",
        )
    return Source(url=url, title=title, id=source_id)


def _corrections(
    fields: Fields,
    published: Published | None,
    slug: str | None,
    sources: dict[str, Source],
    context: ReadContext,
) -> tuple[Correction, ...]:
    """`corrections: [{date, text}]`, newest first; `text` is one paragraph of inline Markdown."""
    value = fields.mapping.get("corrections")
    if value is None:
        return ()
    if not isinstance(value, YamlList):
        fields.error("corrections", "'corrections' must be a list of {date, text}")
        return ()
    found: list[Correction] = []
    for n, (item, position) in enumerate(zip(value, value.item_pos, strict=True), 1):
        if not isinstance(item, YamlMap):
            fields.error_at(position, "each correction must be {date, text}")
            continue
        item_fields = Fields(fields.path, item, fields.diagnostics, "a correction")
        item_fields.check_keys(("date", "text"), {})
        moment = _published(item_fields, "date", context.zone, required=True)
        text = item_fields.text("text", required=True)
        if text is None or moment is None:
            continue
        line, col = item.value_pos["text"]
        if "\n\n" in text.replace("\r\n", "\n"):
            item_fields.error("text", "a correction's 'text' is one paragraph: join its lines")
            continue
        if published is not None and moment.moment < published.moment:
            fields.diagnostics.warn(
                fields.path,
                *item.value_pos["date"],
                "correction dated before the article's 'date': check both dates",
            )
        links = LinkContext(
            path=fields.path,
            body_line=line - 1,
            lines=[" " * (col - 1) + text],
            registries=context.registries,
            diagnostics=context.diagnostics,
            sources=sources,
        )
        tokens = context.markdown.parseInline(text, {ENV_KEY: links})
        env = {ENV_KEY: links}
        html = context.markdown.renderer.render(tokens, context.markdown.options, env)
        children = tokens[0].children or [] if tokens else []
        found.append(
            Correction(
                id=f"co-{slug}-{n}",
                date=moment.moment,
                text=inline_text(children),
                html=html.strip(),
                line=position[0],
            )
        )
    return tuple(sorted(found, key=lambda c: c.date, reverse=True))
