"""A schematic map: places as circles at their coordinates, sized by activity."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .bars import svg_open
from .text import esc, num, plural


@dataclass(frozen=True)
class MapPoint:
    id: str
    name: str
    lat: float
    lon: float
    value: int
    url: str


def map_svg(
    points: Sequence[MapPoint],
    *,
    current: str | None,
    ident: str,
    title: str,
    desc: str,
    noun: str,
    labels: int = 8,
    width: float = 480.0,
    first: Sequence[str] = (),
) -> str:
    """An equirectangular scatter fitted to the points' box; area grows with the value.

    Every point is a link named by its place and number; the current place gets a ring and
    always a label; then the places in `first` (a region's children), then the biggest, up to
    `labels` labels, each placed right, left, above or below its circle where it overlaps no
    other label or circle. Bigger circles are drawn first so a small place on top of a big
    one stays clickable.
    """
    pad = 26.0 * width / 480
    lats = [p.lat for p in points]
    lons = [p.lon for p in points]
    mid = math.radians((max(lats) + min(lats)) / 2)
    span_x = max((max(lons) - min(lons)) * math.cos(mid), 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    if len(points) == 1 or (span_x < 1e-3 and span_y < 1e-3):
        span_x = span_y = 1.0
    scale = (width - 2 * pad) / span_x
    height = min(span_y * scale + 2 * pad, width * 0.75)
    scale = min(scale, (height - 2 * pad) / span_y)
    off_y = (height - span_y * scale) / 2
    lon0, lat1 = (min(lons) + max(lons)) / 2, max(lats)

    def project(p: MapPoint) -> tuple[float, float]:
        x = width / 2 + (p.lon - lon0) * math.cos(mid) * scale
        y = off_y + (lat1 - p.lat) * scale
        if len(points) == 1:
            return width / 2, height / 2
        return x, y

    peak = max((p.value for p in points), default=0) or 1
    r_max, r_min = 16.0 * width / 480, 2.5

    def radius(value: int) -> float:
        return r_min + (r_max - r_min) * math.sqrt(value / peak)

    order = sorted(points, key=lambda p: (-p.value, p.name, p.id))
    rank = {rid: i for i, rid in enumerate(first)}
    wanted = sorted(
        order, key=lambda p: (p.id != current, rank.get(p.id, len(rank)), -p.value, p.name, p.id)
    )
    parts = [svg_open(ident, "chart-map", width, height, title, desc, role=None)]
    parts.append(
        f'<rect class="chart-frame" x=".5" y=".5" width="{num(width - 1)}" '
        f'height="{num(height - 1)}" fill="none" stroke="currentColor" '
        f'stroke-opacity=".25"/>'
    )
    where = {p.id: project(p) for p in points}
    circles = {
        p.id: (
            where[p.id][0] - radius(p.value),
            where[p.id][1] - radius(p.value),
            2 * radius(p.value),
            2 * radius(p.value),
        )
        for p in points
    }
    marks: list[str] = []
    for p in order:
        x, y = where[p.id]
        r = radius(p.value)
        css = "chart-point chart-current" if p.id == current else "chart-point"
        ring = (
            f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r + 3)}" fill="none" '
            f'stroke="currentColor" stroke-width="2"/>'
            if p.id == current
            else ""
        )
        marks.append(
            f'<a href="{esc(p.url)}" class="{css}"><title>{esc(p.name)}: '
            f"{esc(plural(p.value, noun))}</title>"
            f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r)}" fill-opacity=".45" '
            f'stroke="currentColor"/>{ring}</a>'
        )
    placed: list[tuple[float, float, float, float]] = []
    texts: list[str] = []
    for p in wanted:
        if len(texts) >= labels and p.id != current:
            break
        if p.value == 0 and p.id != current:
            continue
        x, y = where[p.id]
        r = radius(p.value) + (3 if p.id == current else 0)
        text_w = 7.0 * len(p.name) + 4  # 13px text on phones: about 7 units a character
        # labels avoid each other and the bigger circles; the halo keeps them readable over
        # the small dots they may cross
        others = [box for rid, box in circles.items() if rid != p.id and box[2] >= 10]
        spots = (
            (x + r + 3, y + 3.5, "start", (x + r + 3, y - 8)),
            (x - r - 3, y + 3.5, "end", (x - r - 3 - text_w, y - 8)),
            (x, y - r - 4, "middle", (x - text_w / 2, y - r - 16)),
            (x, y + r + 12, "middle", (x - text_w / 2, y + r + 2)),
        )
        # the current place is labelled even when every spot overlaps something (the halo
        # keeps it readable): its second round accepts any spot inside the frame
        for strict in (True, False) if p.id == current else (True,):
            spot = next(
                (
                    (tx, ty, anchor, (bx, by, text_w, 12.0))
                    for tx, ty, anchor, (bx, by) in spots
                    if bx >= 2
                    and bx + text_w <= width - 2
                    and by >= 2
                    and by + 12 <= height - 2
                    and not (
                        strict
                        and any(_overlap((bx, by, text_w, 12.0), o) for o in [*placed, *others])
                    )
                ),
                None,
            )
            if spot is not None:
                tx, ty, anchor, box = spot
                placed.append(box)
                weight = ' font-weight="bold"' if p.id == current else ""
                texts.append(
                    f'<text x="{num(tx)}" y="{num(ty)}" text-anchor="{anchor}"'
                    f"{weight}>{esc(p.name)}</text>"
                )
                break
    parts.append(f'<g class="chart-points">{"".join(marks)}</g>')
    parts.append(f'<g class="chart-label chart-halo" aria-hidden="true">{"".join(texts)}</g>')
    parts.append("</svg>")
    return "".join(parts)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]
