"""Revisions of content files, as the repository records them (generator.content.history
reads them): shown on article pages with a link to propose a change."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Revision:
    date: str  # ISO 8601 with offset: the commit's date
    commit: str  # the full id
    subject: str  # the first line of its message

    @property
    def short(self) -> str:
        return self.commit[:7]


@dataclass(frozen=True)
class History:
    """Revisions by content path (relative to the project, as records name them), newest
    first, and each path's place in the repository (for "Edit this page")."""

    revisions: Mapping[str, tuple[Revision, ...]]
    in_repository: Mapping[str, str]


NONE = History({}, {})
