"""Formatting for SVG text: escaping, locale-free numbers, names of months and days."""

from __future__ import annotations

import html
from datetime import date

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = "MTWTFSS"
MAX_BUCKETS = 160  # more than this and the chart switches to a coarser bucket
LABEL_GAP = 58  # time-axis labels at least this far apart (room for "Jan 2024" at 13px)


# --- formatting ---------------------------------------------------------------------------


def esc(text: object) -> str:
    """Text for SVG/HTML content or a double-quoted attribute value."""
    return html.escape(str(text), quote=True)


def num(value: float) -> str:
    """A coordinate: rounded to one decimal, without a trailing ".0" and never "-0"."""
    rounded = round(value + 0.0, 1)
    if rounded == 0:
        return "0"
    text = f"{rounded:.1f}"
    return text[:-2] if text.endswith(".0") else text


def count(value: int) -> str:
    return f"{value:,}"


def plural(value: int, word: str) -> str:
    return f"{count(value)} {word}{'' if value == 1 else 's'}"


def short_day(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
