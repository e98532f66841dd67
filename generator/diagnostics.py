"""Content problems as `path:line:col: message`, collected across a whole build.

Contributors fix every problem of a pull request in one go, so nothing here raises on the
first problem: readers *add* diagnostics and the build fails once, at the end, with all of them.
A warning (`path:line:col: warning: message`) is printed by `check` and `build` but fails
nothing: it is for what still works but should be fixed (an unencrypted http:// link).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place of one file (line and column are 1-based)."""

    path: str
    line: int
    col: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        level = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}:{self.col}: {level}{self.message}"


class ContentError(Exception):
    """Raised once per build when content has problems; carries all of them (and the
    warnings, which are shown with them)."""

    def __init__(
        self, diagnostics: Iterable[Diagnostic], limit: int = 0, warnings: Iterable[Diagnostic] = ()
    ) -> None:
        self.diagnostics = tuple(sorted(set(diagnostics)))
        self.warnings = tuple(sorted(set(warnings)))
        self.limit = limit
        super().__init__(f"{len(self.diagnostics)} content error(s)")

    def report_lines(self) -> list[str]:
        """The lines a person reads: every problem (up to the limit), the warnings, a count."""
        lines = limited_lines(self.diagnostics, self.limit, "")
        lines += limited_lines(self.warnings, self.limit, " warnings")
        count = len(self.diagnostics)
        lines.append(f"{count} content error{'s' if count != 1 else ''}; nothing was published")
        return lines


def limited_lines(diagnostics: tuple[Diagnostic, ...], limit: int, what: str) -> list[str]:
    """Each diagnostic's line, up to `limit` (0: all), then "…and N more"."""
    shown = diagnostics if limit <= 0 else diagnostics[:limit]
    lines = [str(d) for d in shown]
    hidden = len(diagnostics) - len(shown)
    if hidden:
        lines.append(f"…and {hidden} more{what}")
    return lines


# Messages quote what contributors wrote: control characters (terminal escapes, a newline that
# would forge a `path:line:col:` line), other line breaks and bidi overrides are shown as
# escapes. Tabs stay.
_UNPRINTABLE = {
    code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if code != 0x09
}
_UNPRINTABLE.update(
    {
        code: f"\\u{code:04x}"
        for code in (
            0x2028,
            0x2029,
            *range(0x202A, 0x202F),
            *range(0x2066, 0x206A),
            *range(0x200B, 0x2010),
            0x2060,
            0xFEFF,
            0x061C,
        )
    }
)  # and what hides: zero-width, marks


def printable(text: str) -> str:
    return text.translate(_UNPRINTABLE)


@dataclass
class Diagnostics:
    """A collector shared by every reader of one build. Its truth and length count the
    errors only: warnings never make a document or a build fail."""

    items: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)

    def add(self, path: str, line: int, col: int, message: str) -> None:
        self.items.append(
            Diagnostic(printable(path), max(line, 1), max(col, 1), printable(message))
        )

    def warn(self, path: str, line: int, col: int, message: str) -> None:
        self.warnings.append(
            Diagnostic(printable(path), max(line, 1), max(col, 1), printable(message), warning=True)
        )

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            (self.warnings if diagnostic.warning else self.items).append(diagnostic)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


# A suggestion compares the word with every choice (difflib): thousands of unknown ids against
# a large registry would take minutes, so each file (and each registry) gets this many.
HINTS_PER_FILE = 10


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A suffix such as " — did you mean 'kreminna'?", or "" when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" — did you mean '{close[0]}'?" if close else ""
