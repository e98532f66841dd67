"""The site's corrections and update notes: a page, newest first, and its Atom feed.

Each note links to its place on its article's page. Both outputs show the articles that have
notes (their file digests stand for them) and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..model.records import Article, Correction
from ..model.site import Site
from ..model.urls import article_url
from ..render.templating import fitted
from .base import Depends, Output, Page
from .feeds import Entry, Feeds

CORRECTIONS_PAGE = "corrections.html"
CORRECTIONS_FEED = "feeds/corrections.atom.xml"


@dataclass(frozen=True)
class Note:
    correction: Correction
    article: Article

    @property
    def url(self) -> str:
        return f"{article_url(self.article.slug)}#{self.correction.id}"


def site_notes(site: Site) -> tuple[Note, ...]:
    """Every correction of every published article, newest first (then article, position)."""
    notes = [Note(c, a) for a in site.articles for c in a.corrections]
    notes.sort(key=lambda n: (n.article.slug, n.correction.id))
    notes.sort(key=lambda n: n.correction.date, reverse=True)
    return tuple(notes)


class CorrectionsPages(Feeds):
    """corrections.html and feeds/corrections.atom.xml (a feed family: its helpers are shared)."""

    def outputs(self) -> Iterator[Output]:
        site = self.site
        notes = site_notes(site)
        corrected = [a for a in site.articles if a.corrections]
        depends = Depends(records=corrected, text=(self._empty_updated(notes),))
        yield Page(
            CORRECTIONS_PAGE,
            "corrections",
            {"notes": notes, "feed": CORRECTIONS_FEED},
            Depends(records=corrected),
        )
        yield self._feed(
            CORRECTIONS_FEED,
            f"{site.title}: corrections and updates",
            CORRECTIONS_PAGE,
            lambda: [self._note_entry(n) for n in notes[:50]],
            depends,
        )

    def _note_entry(self, note: Note) -> Entry:
        base = self.base(CORRECTIONS_FEED)
        return Entry(
            self._id(base, note.url),
            f"Correction: {note.article.title}",
            base + note.url,
            note.correction.date.isoformat(timespec="seconds"),
            f"<p>{fitted(note.correction.html, base.rstrip('/'))}</p>",
        )
