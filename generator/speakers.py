"""Speaker pages: who said what, when, where; and the A–Z index of speakers."""

from __future__ import annotations

from typing import Any

from .model import Quote
from .paging import group_by_day, paginate
from .templating import SiteGenerator
from .urls import speaker_url

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
        per_page = int(self.settings.get("TIMELINE_EVENTS_PER_PAGE", 150))
        for speaker in site.speakers.values():
            newest_first = tuple(reversed(site.quotes_by_speaker[speaker.id]))
            pages = paginate(group_by_day(newest_first, _day), per_page)
            articles = tuple(reversed(site.articles_by_speaker[speaker.id]))
            all_quotes = self.digest(site.quotes_by_speaker[speaker.id])  # charts show all
            for page in pages:
                self.write(
                    writer, speaker_url(speaker.id, page.number), "speaker",
                    depends_on=all_quotes if page.number == 1 else None,  # page 1 charts all
                    speaker=speaker, page=page, quote_count=counts[speaker.id],
                    page_urls=[speaker_url(speaker.id, n) for n in range(1, page.count + 1)],
                    articles=articles[:ARTICLES_SHOWN], article_count=len(articles),
                    feed=f"feeds/speakers/{speaker.id}.atom.xml",
                )


def _day(quote: Quote) -> Any:
    return quote.day
