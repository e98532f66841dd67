"""Page families: one module each, declaring the files it writes (see base.py).

In the order they are declared: the families whose tasks run beside the pages (data files,
the search index) first, so those tasks can start while the pages are declared.
"""

from __future__ import annotations

from .articles import DocumentPages
from .base import Inputs, PageFamily
from .corrections import CorrectionsPages
from .data import DataFiles
from .days import DayPages, HomePage
from .feeds import Feeds
from .offline import OfflineFiles
from .regions import RegionPages
from .search import SearchPage
from .speakers import SpeakerPages

WITH_TASKS: tuple[type[PageFamily], ...] = (DataFiles, SearchPage)
PAGES: tuple[type[PageFamily], ...] = (
    DocumentPages,
    RegionPages,
    SpeakerPages,
    DayPages,
    HomePage,
    Feeds,
    CorrectionsPages,
    OfflineFiles,
)

__all__ = ["PAGES", "WITH_TASKS", "Inputs", "PageFamily"]
