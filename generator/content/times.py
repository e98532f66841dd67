"""Dates and time stamps, read in the article's offset and bucketed in the site time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo

DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
STAMP_LIKE = re.compile(r"[0-9][0-9:\- T]*")
STAMP = re.compile(
    r"(?:(?P<date>\d{4}-\d{2}-\d{2})(?:[ T](?P<t1>\d{1,2}:\d{2}))?|(?P<t2>\d{1,2}:\d{2}))"
)
EXAMPLES = "such as 2023-02-13 or 2023-02-13T19:30:00+02:00"
STAMP_FORMS = "**HH:MM**, **YYYY-MM-DD** or **YYYY-MM-DD HH:MM**"


class TimeProblem(ValueError):
    """A date or stamp that cannot be read; the message says what to write instead."""


@dataclass(frozen=True)
class Published:
    """An article's `date`: an aware moment, and whether only a day was given."""

    moment: datetime
    date_only: bool

    def zone(self, site_zone: ZoneInfo) -> tzinfo:
        """The zone a stamp is read in: the site's for a day, else the offset the date shows."""
        return site_zone if self.date_only else self.moment.tzinfo or site_zone


def parse_published(text: str, site_zone: ZoneInfo, subject: str = "'date'") -> Published:
    """An ISO 8601 date or datetime; a day means midnight, a time without offset the site zone."""
    text = text.strip()
    if DATE_ONLY.fullmatch(text):
        day = _day(text, subject)
        midnight = datetime.combine(day, time(0, 0), site_zone)
        return Published(_in_range(midnight, text, site_zone, subject), date_only=True)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise TimeProblem(f"{subject} must be an ISO 8601 date {EXAMPLES}, not '{text}'") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=site_zone)
    return Published(_in_range(moment, text, site_zone, subject), date_only=False)


def is_stamp_like(text: str) -> bool:
    return STAMP_LIKE.fullmatch(text.strip()) is not None


def resolve_stamp(text: str, published: Published, site_zone: ZoneInfo) -> datetime:
    """The moment a development's bold stamp (`**HH:MM**`, `**YYYY-MM-DD[ HH:MM]**`) names."""
    match = STAMP.fullmatch(text.strip())
    if match is None:
        raise TimeProblem(f"time stamp '{text}' must be {STAMP_FORMS}")
    zone = published.zone(site_zone)
    subject = "time stamp"
    day = _day(match["date"], subject) if match["date"] else published.moment.date()
    clock = match["t1"] or match["t2"]
    at = _clock(clock, subject) if clock else time(0, 0)
    return _in_range(datetime.combine(day, at, zone), text, site_zone, subject)


def _in_range(moment: datetime, text: str, site_zone: ZoneInfo, subject: str) -> datetime:
    """A moment that every zone can show (year 1 or 9999 near an offset cannot)."""
    try:
        moment.astimezone(UTC)
        moment.astimezone(site_zone)
    except (OverflowError, ValueError):
        raise TimeProblem(f"{subject} '{text}' is too far in the past or future") from None
    return moment


def _day(text: str, subject: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise TimeProblem(f"{subject} '{text}' is not a real day") from None


def _clock(text: str, subject: str) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    if hours > 23 or minutes > 59:
        raise TimeProblem(f"{subject} '{text}' is impossible: hours go 00–23, minutes 00–59")
    return time(hours, minutes)
