"""`python -m generator new "Title"`: start an article file with today's date in the site zone.

Writes content/articles/YYYY/MM/DD/<slug>.md with front matter that passes `check` and a
placeholder paragraph that does not (so an unedited file is never published), and never
overwrites a file (nor reuses a slug another article file already has).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from unidecode import unidecode

from .fields import is_reserved_name
from .markup import PLACEHOLDER

MAX_SLUG = 60

NEXT_STEPS = """\
next: replace the placeholder paragraph with the update (`make check` refuses the file
until then), then
  - developments: list items under the '## Developments' heading, one each:
      - **08:15** Shelling of [Bakhmut](region:bakhmut) intensified.
  - quotes: a blockquote whose last line is '> — [Name](speaker:id), context'
  - region and speaker ids are in content/regions.yaml and content/speakers.yaml, and in
    content/regions/ and content/speakers/
  - a new place or person gets a file of its own, such as content/regions/<id>.yaml
    (see CONTRIBUTING.md, "Add a place or a person")
  - run `make check` (and `make html` to look at it); see CONTRIBUTING.md"""


class ScaffoldError(Exception):
    """The article cannot be started (no usable title, or the file or slug exists)."""


def slugify(title: str) -> str:
    """ASCII words of the title joined by hyphens: the file name and the article's slug."""
    words = re.findall(r"[a-z0-9]+", unidecode(title).lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG:
            break
        slug = candidate
    return slug or "-".join(words)[:MAX_SLUG].strip("-")


def article_text(title: str, moment: datetime) -> str:
    # A JSON string is a valid YAML double-quoted scalar: any title is read back unchanged.
    return (
        f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
        f"date: {moment.isoformat()}\nregions: []\ntags: []\n---\n\n"
        f"{PLACEHOLDER}\n\n## Developments\n\n"
    )


def new_article(content: Path, title: str, zone: ZoneInfo, now: datetime | None = None) -> Path:
    """Create the article file and return its path."""
    title = " ".join(title.split())
    slug = slugify(title)
    if not title or not slug:
        raise ScaffoldError("the title needs at least one letter or digit (it names the file)")
    if is_reserved_name(slug):
        raise ScaffoldError(
            f"the file would be named '{slug}.md', a name Windows reserves; make the title longer"
        )
    moment = (now or datetime.now(zone)).astimezone(zone).replace(second=0, microsecond=0)
    articles = content / "articles"
    target = articles / moment.strftime("%Y/%m/%d") / f"{slug}.md"
    if target.exists():
        raise ScaffoldError(f"{target} already exists; edit it, or choose another title")
    same = sorted(articles.rglob(f"{slug}.md")) if articles.is_dir() else []
    if same:
        raise ScaffoldError(f"{same[0]} already uses the slug '{slug}'; choose another title")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as file:  # "x": never replace a file
        file.write(article_text(title, moment))
    return target
