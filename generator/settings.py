"""Our settings, declared with defaults and validated with messages that name the key."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .diagnostics import did_you_mean

# the parts a timeline's archive is kept in ("digest": a top-level region's days are the digests)
ARCHIVE_UNITS = ("month", "ten-days", "day", "digest")
SPEAKER_UNITS = ("year", "month")  # a speaker's archive: quotes come a few a month


class SettingsError(Exception):
    """A setting has a value the build cannot use; the message names the key."""


@dataclass(frozen=True)
class TimelineSettings:
    """Every TIMELINE_* setting, typed. Read once per build from Pelican's settings dict."""

    timezone: str = "Europe/Kyiv"
    timezone_label: str = ""  # how pages name the zone ("Kyiv time"); "": from the zone's name
    events_per_page: int = 30
    max_errors: int = 200
    max_article_bytes: int = 1_048_576
    max_front_matter_bytes: int = 65_536
    max_article_lines: int = 10_000  # Markdown parsing costs per line: bound one file's time
    max_registry_bytes: int = 4_194_304
    cache_dir: str = ".timeline-cache"  # relative to the project; "" turns caching off
    repo_url: str = ""  # https://github.com/owner/repo: article history and "Edit this page"
    repo_branch: str = "main"  # the branch "Edit this page" proposes changes to
    workers: int = 0  # processes for reading and rendering; 0: one per core when it pays
    download_zip: bool = True  # the offline zip and download.html
    # region id → "month", "ten-days" or "day": the fixed calendar parts its archive is kept in
    # (others: by depth in the region tree). Changing it moves that region's permalinks.
    archive_parts: tuple[tuple[str, str], ...] = ()
    # "year" or "month": the parts every speaker's archive is kept in (moves their permalinks)
    speaker_archive_part: str = "year"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @classmethod
    def from_pelican(cls, settings: Mapping[str, Any]) -> TimelineSettings:
        values: dict[str, Any] = {}
        for name, default in cls.__dataclass_fields__.items():
            key = f"TIMELINE_{name.upper()}"
            if key == "TIMELINE_ARCHIVE_PARTS" and key in settings:
                values[name] = _archive_parts(settings[key])
            elif key in settings:
                values[name] = _checked(key, settings[key], type(default.default))
        made = cls(**values)
        _check_zone(made.timezone)
        if made.speaker_archive_part not in SPEAKER_UNITS:
            hint = did_you_mean(made.speaker_archive_part, SPEAKER_UNITS)
            raise SettingsError(
                "TIMELINE_SPEAKER_ARCHIVE_PART must be 'year' or 'month', "
                f"not {made.speaker_archive_part!r}{hint}"
            )
        if made.repo_url and not made.repo_url.startswith("https://"):
            raise SettingsError(
                f"TIMELINE_REPO_URL must be an https:// address, not {made.repo_url!r}"
            )
        return made


def _checked(key: str, value: Any, expected: type) -> Any:
    if expected is bool and not isinstance(value, bool):
        raise SettingsError(f"{key} must be True or False, not {value!r}")
    if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
        raise SettingsError(f"{key} must be {expected.__name__}, not {value!r}")
    if expected is int and value < (0 if key == "TIMELINE_WORKERS" else 1):  # type: ignore[operator]
        raise SettingsError(f"{key} must be a positive number, not {value!r}")
    return value


def _archive_parts(value: Any) -> tuple[tuple[str, str], ...]:
    key = "TIMELINE_ARCHIVE_PARTS"
    if not isinstance(value, Mapping):
        raise SettingsError(f"{key} must be a dict of region id → part, not {value!r}")
    for region, unit in value.items():
        if not isinstance(region, str) or unit not in ARCHIVE_UNITS:
            hint = did_you_mean(str(unit), ARCHIVE_UNITS)
            raise SettingsError(
                f"{key}[{region!r}] must be one of {', '.join(ARCHIVE_UNITS)}, not {unit!r}{hint}"
            )
    return tuple(sorted(value.items()))


def _check_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        hint = did_you_mean(name, available_timezones())
        raise SettingsError(f"TIMELINE_TIMEZONE '{name}' is not a time zone{hint}") from None
