"""A tiny stock markdown-it-py reader for the baseline build (not the project's reader).

`.md` files: YAML front matter between `---` lines (yaml.CSafeLoader), body rendered with
`MarkdownIt("commonmark")`. Front-matter regions and speakers become Pelican tags, next to the
article's own tags; `region:` / `speaker:` links point at `#` (stock Pelican has no such pages).
No validation, no developments or quotes: this is what a plain Pelican site would do.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml
from markdown_it import MarkdownIt
from pelican import signals
from pelican.readers import BaseReader
from pelican.utils import get_date

REFERENCE_SCHEMES = ("region:", "speaker:")
FRONT_MATTER = re.compile(r"---[ \t]*\n(.*?)\n---[ \t]*(?:\n|$)", re.DOTALL)


def _rewrite_references(state: Any) -> None:
    for block in state.tokens:
        for token in block.children or ():
            if token.type == "link_open" and str(token.attrGet("href")).startswith(
                REFERENCE_SCHEMES
            ):
                token.attrSet("href", "#")


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark")
    md.core.ruler.push("reference_links", _rewrite_references)
    return md


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    return [str(value)]


class MditReader(BaseReader):
    enabled = True
    file_extensions: ClassVar[list[str]] = ["md"]

    def __init__(self, settings: dict[str, Any]) -> None:
        super().__init__(settings)
        self._md = _markdown()

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        with open(source_path, encoding="utf-8-sig") as handle:
            text = handle.read()
        front: dict[str, Any] = {}
        body = text
        match = FRONT_MATTER.match(text)
        if match:
            front = yaml.load(match.group(1), Loader=yaml.CSafeLoader) or {}
            body = text[match.end() :]
        metadata: dict[str, Any] = {}
        for key, value in front.items():
            if key in ("date", "updated"):
                name = "date" if key == "date" else "modified"
                metadata[name] = get_date(str(value))
            elif key in ("tags", "regions", "speakers"):
                continue
            elif key == "authors":
                metadata["authors"] = self.process_metadata("authors", ", ".join(_as_list(value)))
            elif key in ("title", "summary", "slug", "status"):
                metadata[key] = self.process_metadata(key, str(value))
            else:
                metadata[key] = value
        tags = list(
            dict.fromkeys(
                _as_list(front.get("tags"))
                + _as_list(front.get("regions"))
                + _as_list(front.get("speakers"))
            )
        )
        if tags:
            metadata["tags"] = self.process_metadata("tags", ", ".join(tags))
        return self._md.render(body), metadata


def _use_reader(readers: Any) -> None:
    readers.reader_classes["md"] = MditReader


def _forget_disabled_markdown(generator: Any) -> None:
    # Pelican 4.12 keeps its own (disabled: python-markdown is not installed) Markdown reader
    # in `disabled_readers` even when a plugin reads .md, and then logs "Could not import
    # 'markdown.Markdown'" once per file (generators.py: check_file). Drop it.
    readers = getattr(generator, "readers", None)
    if readers is not None:
        readers.disabled_readers.pop("md", None)


def register() -> None:
    signals.readers_init.connect(_use_reader)
    signals.generator_init.connect(_forget_disabled_markdown)
