"""Each article's and each page's own page.

Templates get Pelican's own objects (`article`, `page`: generator.plugin.objects), whose
`record` is ours; what Pelican's plugins add to them (neighbours, related posts) is shown
too, so it is part of what the page depends on.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model.urls import article_url, page_url
from .base import Depends, Page, PageFamily, Task


class DocumentPages(PageFamily):
    """An article or page shows its own file and what every page shows (names of regions and
    speakers, the site's totals): its fingerprint is its file's digest, and what plugins
    added to its Pelican object."""

    def outputs(self) -> Iterator[Page | Task]:
        digests = self.inputs.file_digests
        for article in self.inputs.articles:
            record = article.record
            yield Page(
                article_url(record.slug),
                "article",
                {"article": article},
                Depends(values=article.plugin_values(), text=(digests.get(record.path, ""),)),
            )
        for page in self.inputs.pages:
            record = page.record
            yield Page(
                page_url(record.slug),
                "page",
                {"page": page},
                Depends(values=page.plugin_values(), text=(digests.get(record.path, ""),)),
            )
