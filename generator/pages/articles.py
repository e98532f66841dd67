"""Each article's and each page's own page, written from the model.

Pelican reads no file of ours (its readers are switched off in `register`): BuildState reads
every file once, from the content cache when unchanged, and this generator writes the pages.
Pelican's article pipeline (a Content object and URL settings per article, ~0.3 ms each) would
cost more than the rest of a warm build together, for pages that show only the model.
"""

from __future__ import annotations

from typing import Any

from ..build.state import build_state
from ..model.urls import article_url, page_url
from ..render.templating import SiteGenerator


class DocumentPagesGenerator(SiteGenerator):
    """An article or page shows its own file and what every page shows (names of regions and
    speakers, the site's totals): its fingerprint is its file's digest."""

    def generate_output(self, writer: Any) -> None:
        state = build_state(self.settings)
        for article in self.site.articles:
            self.write_fingerprinted(writer, article_url(article.slug), "article",
                              state.digests.get(article.path, ""), article=article)
        for page in self.site.pages:
            self.write_fingerprinted(writer, page_url(page.slug), "page",
                              state.digests.get(page.path, ""), page=page)
