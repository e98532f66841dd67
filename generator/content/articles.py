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
from ..model.records import Article, Event, Page, Quote, RecordWarning, Source
from .body import ItemTokens, QuoteTokens, find_developments, find_quotes, plain_text, without_stamp
from .fields import Fields, id_problem, is_id
from .frontmatter import Split
from .markup import ENV_KEY, LinkContext, check_body
from .registries import Registries
from .strictyaml import Position, YamlMap
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
        body_html=body_html,
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
    if not check_body(path, split.body, split.body_line, context.diagnostics):
        return None

    links = _link_context(path, split, context)
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
        body_html=body_html,
        events=tuple(e for e in events if e is not None),
        quotes=tuple(q for q in quote_records if q is not None),
        mentioned_regions=_unique((*regions, *links.regions)),
        mentioned_speakers=_unique((*speakers, *links.speakers)),
        day=published.moment.astimezone(context.zone).date(),
        warnings=_warnings(context, warned),
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
    moment = published.moment
    if item.stamp is not None:
        try:
            moment = resolve_stamp(item.stamp, published, context.zone)
        except TimeProblem as problem:
            col = links.lines[item.line].find(item.stamp) + 1
            context.diagnostics.add(links.path, line, col, str(problem))
            return None
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
    inner = without_stamp(item.tokens) if item.stamp is not None else item.tokens[1:-1]
    html = context.markdown.renderer.render(inner, context.markdown.options, env)
    timed = ":" in item.stamp if item.stamp is not None else not published.date_only
    return Event(
        id=event_id,
        article=slug,
        position=n,
        time=moment,
        timed=timed,
        day=moment.astimezone(context.zone).date(),
        regions=regions,
        speakers=_unique(_refs(item.tokens, "speaker")),
        text=plain_text(inner),
        html=html.strip(),
        line=line,
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
    for item, position in zip(value, value.item_pos, strict=True):  # type: ignore[attr-defined]
        source = _source(fields, item, position)
        if source is not None:
            sources.append(source)
    return tuple(sources)


def _source(fields: Fields, item: object, position: Position) -> Source | None:
    if isinstance(item, str):
        item_fields = None
        url, title = item.strip(), None
    elif isinstance(item, YamlMap):
        item_fields = Fields(fields.path, item, fields.diagnostics, "a source")
        item_fields.check_keys(("title", "url"), {})
        url, title = item_fields.text("url") or "", item_fields.name("title")
        if url:
            position = item.value_pos["url"]
    else:
        fields.error_at(position, "each source must be {title, url}")
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
    return Source(url=url, title=title)
