"""Each article's and each page's own page.

Templates get Pelican's own objects (`article`, `page`: generator.plugin.objects), whose
`record` is ours; what Pelican's plugins add to them (neighbours, related posts) is shown
too, so it is part of what the page depends on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from ..model.urls import article_url, page_url
from .base import Depends, Output, Page, PageFamily

HISTORY_SHOWN = 20  # revisions listed on an article page; the repository has them all


class DocumentPages(PageFamily):
    """An article or page shows its own file and what every page shows (names of regions and
    speakers, the site's totals): its fingerprint is its file's digest, and what plugins
    added to its Pelican object."""

    def outputs(self) -> Iterator[Output]:
        digests = self.inputs.file_digests
        for article in self.inputs.articles:
            record = article.record
            history = self._history(record.path)
            added = article.plugin_values()
            yield Page(
                article_url(record.slug),
                "article",
                {"article": article, **history},
                Depends(
                    # (none of either, as usually: no values to walk)
                    values=(added, history) if added or history else None,
                    text=(digests.get(record.path, ""),),
                ),
            )
        for page in self.inputs.pages:  # (pages: no history, their own words)
            record = page.record
            yield Page(
                page_url(record.slug),
                "page",
                {"page": page},
                Depends(values=page.plugin_values(), text=(digests.get(record.path, ""),)),
            )

    def _history(self, path: str) -> dict[str, Any]:
        """What the article page shows of its file's history (TIMELINE_REPO_URL): its latest
        revisions, linked to their commits, and where to propose a change."""
        settings, history = self.inputs.settings, self.inputs.history
        if not settings.repo_url:
            return {}
        revisions = history.revisions.get(path, ())
        place = history.in_repository.get(path)
        branch = quote(settings.repo_branch)
        return {
            "repo_url": settings.repo_url,
            "history": revisions[:HISTORY_SHOWN],
            "history_count": len(revisions),
            "history_url": f"{settings.repo_url}/commits/{branch}/{quote(place)}"
            if place
            else None,
            "edit_url": f"{settings.repo_url}/edit/{branch}/{quote(place)}" if place else None,
        }
