"""Bar pictures: activity over time, and one bar per named item."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from .buckets import Bucket, nice_ceiling
from .text import LABEL_GAP, MONTHS, count, esc, num, plural

# --- pictures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """An SVG and the numbers it shows, for the text equivalent next to it."""

    svg: str
    rows: tuple[tuple[str, int], ...]
    total: int
    unit: str = ""


def svg_open(
    ident: str,
    css: str,
    width: float,
    height: float,
    title: str,
    desc: str,
    role: str | None = "img",
    font: int = 11,
) -> str:
    role_attr = f' role="{role}"' if role else ""
    return (
        f'<svg class="chart {css}" viewBox="0 0 {num(width)} {num(height)}"{role_attr} '
        f'aria-labelledby="{esc(ident)}-t {esc(ident)}-d" fill="currentColor" '
        f'font-size="{font}">'
        f'<title id="{esc(ident)}-t">{esc(title)}</title>'
        f'<desc id="{esc(ident)}-d">{esc(desc)}</desc>'
    )


def activity_svg(
    buckets: Sequence[Bucket],
    *,
    unit: str,
    ident: str,
    title: str,
    desc: str,
    noun: str,
    urls: Sequence[str] = (),
) -> str:
    """Vertical bars, one per bucket, with a labelled value axis and a time axis; a bar with
    a URL in `urls` (same order as buckets, relative to the page) is a link to it."""
    width, height = 400.0, 140.0
    left, right, top, bottom = 4.0, 34.0, 8.0, 28.0
    plot_w, plot_h = width - left - right, height - top - bottom
    base = top + plot_h
    n = max(len(buckets), 1)
    step = plot_w / n
    bar = min(step * (0.8 if step >= 3 else 1.0), 40.0)
    peak = max((b.value for b in buckets), default=0)
    ceiling = nice_ceiling(peak)
    ticks = [0, ceiling // 2, ceiling] if ceiling % 2 == 0 and ceiling > 1 else [0, ceiling]
    # links inside role="img" would be hidden from assistive technology: no role then
    role = None if any(urls) else "img"
    parts = [svg_open(ident, "chart-activity", width, height, title, desc, role)]
    grid = "".join(
        f"M{num(left)} {num(base - plot_h * t / ceiling)}H{num(left + plot_w)}" for t in ticks
    )
    parts.append(
        f'<path class="chart-grid" d="{grid}" fill="none" stroke="currentColor" '
        f'stroke-opacity=".3" stroke-width=".6"/>'
    )
    parts.append('<g class="chart-label">')
    for tick in ticks:
        y = base - plot_h * tick / ceiling
        parts.append(f'<text x="{num(left + plot_w + 4)}" y="{num(y + 4)}">{count(tick)}</text>')
    centred = step >= LABEL_GAP  # one label per bucket: under its bar; else at a month's start
    for index, label in _time_labels(buckets, step, unit):
        x = left + step * (index + (0.5 if centred else 0))
        anchor = ' text-anchor="middle"' if centred else ""
        parts.append(
            f'<path d="M{num(x)} {num(base)}v4" stroke="currentColor" '
            f'stroke-opacity=".6"/>'
            f'<text x="{num(x)}" y="{num(base + 16)}"{anchor}>{esc(label)}</text>'
        )
    parts.append("</g>")
    parts.append('<g class="chart-bar">')
    for index, bucket in enumerate(buckets):
        if not bucket.value:
            continue
        x = left + step * index + (step - bar) / 2
        h = max(plot_h * bucket.value / ceiling, 1.0)
        name = f"<title>{esc(bucket.label)}: {esc(plural(bucket.value, noun))}</title>"
        shape = f"M{num(x)} {num(base)}v{num(-h)}h{num(bar)}v{num(h)}z"
        url = urls[index] if index < len(urls) else ""
        parts.append(
            f'<a href="{esc(url)}">{name}<path d="{shape}"/></a>'
            if url
            else f'<path d="{shape}">{name}</path>'
        )
    parts.append("</g></svg>")
    return "".join(parts)


def _time_labels(buckets: Sequence[Bucket], step: float, unit: str) -> list[tuple[int, str]]:
    """Where to label the time axis, at least LABEL_GAP units apart: every bucket when they are few,
    else the first bucket of every k-th month (k = 1, 2, 3, 6 or 12), the year with January."""
    if not buckets:
        return []
    if unit == "year":
        every = max(1, math.ceil(LABEL_GAP / step))
        return [(i, b.label) for i, b in enumerate(buckets) if i % every == 0]
    if step >= LABEL_GAP:
        out = []
        for index, b in enumerate(buckets):
            first = index == 0 or (b.start.month == 1 and (unit == "month" or b.start.day <= 7))
            roomy = unit == "month" or step >= 70
            year = f" {b.start.year}" if first and roomy else ""
            day = f"{b.start.day} " if unit == "week" else ""
            out.append((index, f"{day}{MONTHS[b.start.month - 1]}{year}"))
        return out
    per_month = step * (30.44 / 7 if unit == "week" else 1.0)
    every = next((k for k in (1, 2, 3, 6, 12) if per_month * k >= LABEL_GAP), 12)
    labels: list[tuple[int, str]] = []
    seen: tuple[int, int] | None = None
    for index, b in enumerate(buckets):
        middle = b.start + timedelta(days=3) if unit == "week" else b.start
        month = (middle.year, middle.month)
        if month == seen:
            continue
        seen = month
        if (month[1] - 1) % every or (index == 0 and unit == "week" and middle.day > 7):
            continue
        first = not labels or month[1] == 1
        text = f"{MONTHS[month[1] - 1]}{f' {month[0]}' if first else ''}"
        if (len(buckets) - index) * step < 7 * len(text):  # would run past the plot's end
            continue
        labels.append((index, text))
    return labels


def bars_svg(
    items: Sequence[tuple[str, int]], *, ident: str, title: str, desc: str, noun: str
) -> str:
    """Horizontal bars, one per item: its name above, the value written after the bar."""
    row, width, value_w = 30.0, 300.0, 44.0
    height = row * max(len(items), 1) + 4
    peak = max((v for _, v in items), default=0) or 1
    plot_w = width - value_w
    parts = [svg_open(ident, "chart-bars", width, height, title, desc, font=12)]
    for index, (name, value) in enumerate(items):
        y = 2 + row * index
        shown = name if len(name) <= 44 else name[:43] + "…"
        w = max(plot_w * value / peak, 1.0) if value else 0.0
        parts.append(f'<text class="chart-label" x="0" y="{num(y + 10)}">{esc(shown)}</text>')
        if w:
            parts.append(
                f'<path class="chart-bar" d="M0 {num(y + 14)}h{num(w)}v11h{num(-w)}z">'
                f"<title>{esc(name)}: {esc(plural(value, noun))}</title></path>"
            )
        parts.append(
            f'<text class="chart-value" x="{num(w + 4)}" y="{num(y + 23)}">{count(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
