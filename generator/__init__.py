"""timeline digests: per-region timelines, speaker indexes and daily digests, on Pelican.

The rooms, in pipeline order: content/ (files → records), model/ (the Site), render/ (model →
strings), pages/ (one page family a module), build/ (the incremental, parallel engine),
plugin/ (Pelican's side: its objects, generators and messages), pipeline/ (the build, top to
bottom), cli/ (one module a command). See docs/architecture.md.

`register()` only wires: Pelican's command reports our errors as `path:line:col` lines.
`TimelinePelican` is the PELICAN_CLASS that runs the pipeline.
"""

from __future__ import annotations

import logging

from .pipeline import TimelinePelican
from .plugin.errors import report_plainly


def register() -> None:
    report_plainly(logging.getLogger("pelican"))


__all__ = ["TimelinePelican", "register"]
