"""Dates and time stamps, read by the rules of the article's zone, bucketed in the site zone.

A stamp is a wall-clock time. When the article's `date` carries the site zone's offset for that
instant (or no offset, or no time), the stamp is read in the site zone with its daylight-saving
rules; otherwise in the article's fixed offset. On a clock-change night a wall time can name
no instant (spring: 03:30 in Kyiv) or two (autumn: 03:30 happens twice): it is read with
fold=0, Python's rule, so an ambiguous time is the earlier instant (still summer time) and a
skipped one takes the offset before the change (03:30 on the spring night is 04:30 summer time).
Every moment leaves here with a fixed offset (the zone's at that instant): moments sharing a
ZoneInfo compare by wall time, which would order the two 03:30s of an autumn night wrongly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timezone, tzinfo
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

    written: date  # the day the `date` shows, in its own offset: where `**HH:MM**` falls
    local: bool  # the date has the site zone's offset for its instant (or none, or no time)

    def zone(self, site_zone: ZoneInfo) -> tzinfo:
        """The zone a stamp is read in: the site's when the date is local, else its offset."""
        return site_zone if self.local else self.moment.tzinfo or site_zone


@dataclass(frozen=True)
class Stamp:
    """A development's stamp, read: the moment, and whether it named a clock time or a day."""

    moment: datetime  # fixed offset; for a day, its midnight in the site zone
    day: date  # the day it belongs to in the site zone (a day stamp: the day it names)
    precision: str  # "minute" or "day"
    note: str = ""  # a wall time the clocks skipped or showed twice: how it was read


def fixed(moment: datetime, zone: tzinfo) -> datetime:
    """The same instant, shown in `zone`, with that instant's offset as a fixed one."""
    local = moment.astimezone(UTC).astimezone(zone)
    offset = local.utcoffset()
    return local.replace(tzinfo=timezone(offset) if offset is not None else UTC)


def parse_published(text: str, site_zone: ZoneInfo, subject: str = "'date'") -> Published:
    """An ISO 8601 date or datetime; a day means midnight, a time without offset the site zone."""
    text = text.strip()
    if DATE_ONLY.fullmatch(text):
        day = _day(text, subject)
        midnight = _in_range(datetime.combine(day, time(0, 0), site_zone), text, site_zone, subject)
        return Published(fixed(midnight, site_zone), date_only=True, written=day, local=True)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise TimeProblem(f"{subject} must be an ISO 8601 date {EXAMPLES}, not '{text}'") from None
    written = moment.date()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=site_zone)
    moment = _in_range(moment, text, site_zone, subject)
    local = moment.utcoffset() == moment.astimezone(site_zone).utcoffset()
    shown = fixed(moment, site_zone) if local else moment
    return Published(shown, date_only=False, written=written, local=local)


def is_stamp_like(text: str) -> bool:
    return STAMP_LIKE.fullmatch(text.strip()) is not None


def resolve_stamp(text: str, published: Published, site_zone: ZoneInfo) -> Stamp:
    """What a development's bold stamp (`**HH:MM**`, `**YYYY-MM-DD[ HH:MM]**`) names.

    A day stamp (`**YYYY-MM-DD**`) names that day in the site zone whatever the article's
    offset (its midnight, for ordering): read at 00:00 of a foreign offset it would fall on
    the day before in the site zone, a day its author did not write."""
    match = STAMP.fullmatch(text.strip())
    if match is None:
        raise TimeProblem(f"time stamp '{text}' must be {STAMP_FORMS}")
    subject = "time stamp"
    day = _day(match["date"], subject) if match["date"] else published.written
    clock = match["t1"] or match["t2"]
    if not clock:
        midnight = _in_range(datetime.combine(day, time(0, 0), site_zone), text, site_zone, subject)
        return Stamp(fixed(midnight, site_zone), day, "day")
    zone = published.zone(site_zone)
    moment = _in_range(
        datetime.combine(day, _clock(clock, subject), zone), text, site_zone, subject
    )
    shown = fixed(moment, site_zone) if zone is site_zone else moment
    note = _change_night(moment, shown, site_zone) if zone is site_zone else ""
    return Stamp(shown, shown.astimezone(site_zone).date(), "minute", note)


def _change_night(wall: datetime, shown: datetime, site_zone: ZoneInfo) -> str:
    """What a writer should know about a wall time on a clock-change night, or ""."""
    if wall.utcoffset() == wall.replace(fold=1).utcoffset():
        return ""
    clock, day = wall.strftime("%H:%M"), wall.date().isoformat()
    offset = shown.strftime("%z")
    offset = f"UTC{offset[:3]}:{offset[3:]}"
    if shown.time() != wall.time():
        return (
            f"time stamp '{clock}' names a time the clocks skipped in {site_zone.key} on {day}: "
            f"read as {shown.strftime('%H:%M')} ({offset}); write the time the clocks showed"
        )
    return (
        f"time stamp '{clock}' happened twice in {site_zone.key} on {day} (the clocks went "
        f"back): read as the first, before the change ({offset})"
    )


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
