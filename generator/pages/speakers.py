"""Speaker pages: who said what, when, where; and the A–Z index of speakers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .base import Depends, Output, Page, PageFamily, Timeline, timeline_group

ARTICLES_SHOWN = 30


class SpeakerPages(PageFamily):
    def outputs(self) -> Iterator[Output]:
        site = self.site
        counts = {sid: len(quotes) for sid, quotes in site.quotes_by_speaker.items()}
        by_letter: dict[str, list[Any]] = {}
        for speaker in sorted(site.speakers.values(), key=lambda s: (s.name.lower(), s.id)):
            by_letter.setdefault(speaker.name[:1].upper(), []).append(speaker)
        values = {"by_letter": by_letter, "counts": counts}
        yield Page("speakers/index.html", "speakers", values, Depends(values=values))
        for speaker in site.speakers.values():
            articles = tuple(reversed(site.articles_by_speaker[speaker.id]))
            yield timeline_group(
                Timeline(
                    "speaker",
                    speaker.id,
                    site.unit_of("speaker", speaker.id),
                    site.quotes_by_speaker[speaker.id],
                    site.articles_by_speaker[speaker.id],
                ),
                "speaker",
                self.inputs.settings.events_per_page,
                {
                    "speaker": speaker,
                    "feed": f"feeds/speakers/{speaker.id}.atom.xml",
                },
                {
                    "quote_count": counts[speaker.id],
                    "articles": articles[:ARTICLES_SHOWN],
                    "article_count": len(articles),
                },
            )
