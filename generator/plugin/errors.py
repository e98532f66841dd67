"""Our errors through Pelican's own command: the same lines as `make check`, no traceback.

`pelican` logs any exception of a build as CRITICAL with its traceback (and, with -r, as a
warning before it watches again). A content or settings error is the contributor's to fix,
and a fault of the machine (a full disk) is said in one line: neither is a crash. This filter
prints their lines to stderr instead and drops Pelican's record; the exit code stays
Pelican's (1).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..build.faults import BuildFault
from ..diagnostics import ContentError
from ..settings import SettingsError


class PlainErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = _our_error(record)
        if error is None:
            return True
        print("\n".join(report_lines(error)), file=sys.stderr, flush=True)
        return False


Ours = ContentError | SettingsError | BuildFault


def report_lines(error: Ours) -> list[str]:
    if isinstance(error, ContentError):
        return error.report_lines()
    if isinstance(error, BuildFault):
        return [str(error)]
    return [f"error: {error}"]


def _our_error(record: logging.LogRecord) -> Ours | None:
    candidates: list[Any] = []
    if record.exc_info and record.exc_info[1] is not None:
        candidates.append(record.exc_info[1])
    if isinstance(record.args, tuple):
        candidates.extend(record.args)
    for candidate in candidates:
        if isinstance(candidate, ContentError | SettingsError | BuildFault):
            return candidate
    return None


def report_plainly(logger: logging.Logger) -> None:
    """Install the filter on `logger` (Pelican's), once."""
    if not any(isinstance(f, PlainErrors) for f in logger.filters):
        logger.addFilter(PlainErrors())


@contextmanager
def logged_errors() -> Iterator[list[str]]:
    """The ERROR lines Pelican and its plugins log meanwhile (Pelican only logs a plugin that
    fails to load, or a template that fails, and builds on): the caller fails on them."""
    handler = _Collected()
    logging.getLogger().addHandler(handler)
    try:
        yield handler.messages
    finally:
        logging.getLogger().removeHandler(handler)


class _Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if _our_error(record) is None:  # ours are raised, and said once
            self.messages.append(record.getMessage())
