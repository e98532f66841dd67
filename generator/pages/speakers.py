"""Speaker pages: who said what, when, where; and the A–Z index of speakers."""

from __future__ import annotations

from functools import partial
from typing import Any

from ..model.urls import speaker_url
from ..render.templating import SiteGenerator

ARTICLES_SHOWN = 30


class SpeakerGenerator(SiteGenerator):
    def generate_output(self, writer: Any) -> None:
        site = self.site
        counts = {sid: len(quotes) for sid, quotes in site.quotes_by_speaker.items()}
        by_letter: dict[str, list[Any]] = {}
        for speaker in sorted(site.speakers.values(), key=lambda s: (s.name.lower(), s.id)):
            by_letter.setdefault(speaker.name[:1].upper(), []).append(speaker)
        self.write(writer, "speakers/index.html", "speakers", by_letter=by_letter,
                   counts=counts)
        for speaker in site.speakers.values():
            articles = tuple(reversed(site.articles_by_speaker[speaker.id]))
            self.write_timeline(
                writer, site.quotes_by_speaker[speaker.id], partial(speaker_url, speaker.id),
                "speaker", speaker=speaker, quote_count=counts[speaker.id],
                articles=articles[:ARTICLES_SHOWN], article_count=len(articles),
                feed=f"feeds/speakers/{speaker.id}.atom.xml",
            )
