"""A map of places: dots at their coordinates over country outlines, with labels that fit.

The view is fitted to the places' box (never closer than `MIN_SPAN` degrees), projected
equirectangularly with the longitude scaled by the cosine of the middle latitude. The
outlines behind (topo.py) are clipped to the view and simplified to its pixel scale; the
same view (every page of one country shares it) is drawn once per process.
"""

from __future__ import annotations

import functools
import heapq
import math
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass

from . import topo
from .bars import svg_open
from .text import esc, num, plural

MIN_SPAN = 1.2  # degrees of latitude a map shows at least (about 130 km)
TOO_CLOSE = 8.0  # if every place is within this many units of the others, a map adds nothing
MAX_POINTS = 60  # dots on one map at most (about 200 bytes each)
FONT = 12.0  # label size in SVG units (the map is drawn near 1:1 on a phone)
Rect = tuple[float, float, float, float]  # x, y, width, height


@dataclass(frozen=True)
class MapPoint:
    id: str
    name: str
    lat: float
    lon: float
    value: int
    url: str


@dataclass(frozen=True)
class View:
    """A frame in SVG units and where it sits on the globe."""

    width: float
    height: float
    lon0: float  # the frame's centre
    lat0: float
    scale: float  # units per degree of latitude
    cos: float  # units per degree of longitude are scale * cos

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.width / 2 + (lon - self.lon0) * self.cos * self.scale
        return x, self.height / 2 - (lat - self.lat0) * self.scale

    def box(self, margin: float) -> topo.Box:
        """The frame (plus `margin` units each side) in degrees: west, south, east, north."""
        half_x = (self.width / 2 + margin) / (self.scale * self.cos)
        half_y = (self.height / 2 + margin) / self.scale
        return self.lon0 - half_x, self.lat0 - half_y, self.lon0 + half_x, self.lat0 + half_y


Land = Callable[[View], str]  # a view's land and sea (`background`), or one kept for it


def fit(points: Sequence[MapPoint], width: float, pad: float) -> View:
    """The view showing every point at least `pad` units inside the frame."""
    lats, lons = [p.lat for p in points], [p.lon for p in points]
    lat0, lon0 = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    cos = max(math.cos(math.radians(lat0)), 0.1)
    span_x = max((max(lons) - min(lons)) * cos, MIN_SPAN * 0.5)
    span_y = max(max(lats) - min(lats), MIN_SPAN * 0.5)
    scale = min((width - 2 * pad) / span_x, (width - 2 * pad) / MIN_SPAN)
    height = min(max(span_y * scale + 2 * pad, width * 0.55), width * 0.85)
    scale = min(scale, (height - 2 * pad) / span_y)
    return View(width, height, lon0, lat0, scale, cos)


def map_svg(
    points: Sequence[MapPoint],
    *,
    current: str | None,
    ident: str,
    title: str,
    desc: str,
    noun: str,
    width: float = 360.0,
    own: Collection[str] | None = None,
    land: Land | None = None,
) -> str | None:
    """The map, or None where it would not help (under two places, or all in one spot).

    The view fits every point; the dots drawn are the first `MAX_POINTS` (`shown`).
    Places in `own` (a region and the places within it; everything when None) get bigger,
    darker dots and bold labels, the rest muted ones. A dot's area grows with its value;
    every dot is a link named by its place and number. Labels go to the current place, then
    the own places, then the others, the busiest first, each at the first of eight spots
    around its dot inside the frame and clear of the labels before it and of the dots of
    places with developments; a label that finds no spot is left off (its dot's link still
    names it). Labels let pointers through to the dots under them. `land` draws the view's
    land and sea (by default `background`, ~0.09 s in a process's first map).
    """
    if len(points) < 2:
        return None
    pad = 14.0 + FONT
    view = fit(points, width, pad)
    lats, lons = [p.lat for p in points], [p.lon for p in points]
    spread_x = (max(lons) - min(lons)) * view.cos * view.scale
    if max(spread_x, (max(lats) - min(lats)) * view.scale) < TOO_CLOSE:
        return None
    mine = {p.id for p in points} if own is None else set(own)
    peak = max((p.value for p in points), default=0) or 1
    points = shown(points, current, mine)
    where = {p.id: view.project(p.lon, p.lat) for p in points}

    def radius(p: MapPoint) -> float:
        low, high = (3.0, 9.0) if p.id in mine else (2.0, 6.0)
        return low + (high - low) * math.sqrt(p.value / peak)

    # no role: an "img" would hide the links inside from assistive technology; the <figure>
    # and its caption around it (_chart_map.html) name it
    parts = [svg_open(ident, "chart-map", width, view.height, title, desc, None, int(FONT))]
    parts.append((land or background)(view))
    marks = []
    # others under own places, bigger under smaller: every dot stays clickable
    for p in sorted(points, key=lambda p: (p.id in mine, -p.value, p.name, p.id)):
        x, y = where[p.id]
        r = radius(p)
        css = "chart-point" if p.id in mine else "chart-point chart-muted"
        if p.id == current:
            css += " chart-current"
        ring = (
            f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r + 3)}" fill="none" '
            f'stroke="currentColor" stroke-width="2"/>'
            if p.id == current
            else ""
        )
        muted = "" if p.id in mine else ' fill-opacity=".35"'
        marks.append(
            f'<a href="{esc(p.url)}" class="{css}"><title>{esc(p.name)}: '
            f"{esc(plural(p.value, noun))}</title>"
            f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r)}"{muted}/>{ring}</a>'
        )
    parts.append(
        '<g class="chart-points" fill-opacity=".7" stroke="currentColor" stroke-width=".8">'
        f"{''.join(marks)}</g>"
    )
    dots = {  # labels keep clear of the places with developments; may cover an empty one's
        p.id: _square(*where[p.id], radius(p) + (3 if p.id == current else 0))
        for p in points
        if p.value > 0 or p.id == current
    }
    wanted = sorted(
        (p for p in points if p.value > 0 or p.id == current),
        key=lambda p: (p.id != current, p.id not in mine, -p.value, p.name, p.id),
    )
    labels = place_labels(
        [(p.id, p.name, where[p.id], dots[p.id], p.id in mine) for p in wanted],
        dots,
        (view.width, view.height),
        force=current,
    )
    for group, css, extra in (
        (True, "chart-label chart-halo", ' font-weight="bold"'),
        (False, "chart-label chart-halo chart-muted", ' fill-opacity=".75" font-size="11"'),
    ):
        texts = [
            f'<text x="{num(x)}" y="{num(y)}" text-anchor="{anchor}">{esc(name)}</text>'
            for (_rid, name, x, y, anchor, _box, bold) in labels
            if bold == group
        ]
        if texts:
            parts.append(
                f'<g class="{css}"{extra} aria-hidden="true" pointer-events="none">'
                f"{''.join(texts)}</g>"
            )
    parts.append("</svg>")
    return "".join(parts)


def shown(points: Sequence[MapPoint], current: str | None, mine: Collection[str]) -> list[MapPoint]:
    """The dots a map draws: the current place, then its own places, then the busiest, up to
    `MAX_POINTS` (a country of thousands of places keeps a small map; the view still fits
    them all, so every page of the country shares its background)."""
    return heapq.nsmallest(
        MAX_POINTS, points, key=lambda p: (p.id != current, p.id not in mine, -p.value, p.id)
    )


# id, name, x, y, text-anchor, box, bold
Label = tuple[str, str, float, float, str, Rect, bool]


def place_labels(
    wanted: Sequence[tuple[str, str, tuple[float, float], Rect, bool]],
    dots: dict[str, Rect],
    frame: tuple[float, float],
    *,
    force: str | None = None,
) -> list[Label]:
    """Greedy placement in the order given: (id, name, point, its dot's box, bold) each.

    A label takes the first spot, of eight around its dot, inside the frame and clear of
    labels placed before and of every dot in `dots` but its own; the `force`d one (the
    current place) may cover other dots if nothing else fits, never another label. Labels
    that fit nowhere are dropped.
    """
    placed: list[Label] = []
    labels, dot_grid = _Grid(), _Grid()
    for rid, box in dots.items():
        dot_grid.add(box, rid)
    for rid, name, (x, y), dot, bold in wanted:
        size = FONT if bold else 11.0
        w, h = text_width(name, size, bold), size * 1.2
        gap = dot[2] / 2 + 2
        spots = (  # (anchor x, baseline y, anchor, box x, box y)
            (x + gap, y + size * 0.35, "start", x + gap, y - h / 2),
            (x - gap, y + size * 0.35, "end", x - gap - w, y - h / 2),
            (x + gap * 0.7, y - gap * 0.7, "start", x + gap * 0.7, y - gap * 0.7 - h * 0.8),
            (x - gap * 0.7, y - gap * 0.7, "end", x - gap * 0.7 - w, y - gap * 0.7 - h * 0.8),
            (x + gap * 0.7, y + gap * 0.7 + h * 0.7, "start", x + gap * 0.7, y + gap * 0.7 - 1),
            (x - gap * 0.7, y + gap * 0.7 + h * 0.7, "end", x - gap * 0.7 - w, y + gap * 0.7 - 1),
            (x, y - gap - 2, "middle", x - w / 2, y - gap - 2 - h * 0.8),
            (x, y + gap + h * 0.75, "middle", x - w / 2, y + gap - 0.2 * h),
        )
        for strict in (True, False) if rid == force else (True,):
            spot = next(
                (
                    (rid, name, tx, ty, anchor, (bx, by, w, h), bold)
                    for tx, ty, anchor, bx, by in spots
                    if bx >= 2
                    and by >= 2
                    and bx + w <= frame[0] - 2
                    and by + h <= frame[1] - 2
                    and not labels.hits((bx, by, w, h))
                    and not (strict and dot_grid.hits((bx, by, w, h), rid))
                ),
                None,
            )
            if spot is not None:
                placed.append(spot)
                labels.add(spot[5], rid)
                break
    return placed


def text_width(text: str, size: float, bold: bool) -> float:
    """A generous estimate for a sans-serif face: wide capitals, narrow i, l and spaces."""
    units = sum(
        0.3 if c in " .,'il|" else 0.72 if c.isupper() or c in "mwMW" else 0.58 for c in text
    )
    return units * size * (1.08 if bold else 1.0) + 2


@functools.lru_cache(maxsize=32)
def background(view: View) -> str:
    """Land (its outline the coast) in the view, at about half a unit's detail.

    No country borders: Natural Earth draws them as they are on the ground (Crimea inside
    Russia's outline), which a timeline must not assert; the places and their names say
    where things are.

    Land is clipped a little outside the frame so the outline's edges along the cut stay
    out of sight (an inline SVG hides what overflows its box).
    """
    world = topo.world()

    def project(points: Sequence[topo.Point]) -> list[topo.Point]:
        drawn = topo.simplify([view.project(x, y) for x, y in points], 0.45)
        xs, ys = [x for x, _ in drawn], [y for _, y in drawn]
        return drawn if max(xs) - min(xs) + max(ys) - min(ys) >= 1.5 else []  # no specks

    outside = view.box(3.0)
    land = [
        project(ring)
        for line in world.land
        if topo.meets(line.box, outside)
        for ring in [topo.clip_ring(line.points, outside)]
        if len(ring) >= 3
    ]
    w, h = num(view.width), num(view.height)
    parts = [
        f'<rect class="map-sea" width="{w}" height="{h}" fill="currentColor" fill-opacity=".04"/>'
    ]
    d = topo.path_data(land, closed=True)
    if d:
        parts.append(
            f'<path class="map-land" d="{d}" fill="#fff" fill-rule="evenodd" '
            'stroke="currentColor" stroke-opacity=".35" stroke-width=".7"/>'
        )
    parts.append(
        f'<rect class="chart-frame" x=".5" y=".5" width="{num(view.width - 1)}" '
        f'height="{num(view.height - 1)}" fill="none" stroke="currentColor" '
        f'stroke-opacity=".25"/>'
    )
    return "".join(parts)


class _Grid:
    """Boxes filed by the 32-unit cells they touch: a test looks only at its neighbours."""

    CELL = 32.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[Rect, str]]] = {}

    def _keys(self, box: Rect) -> Iterator[tuple[int, int]]:
        for i in range(
            math.floor(box[0] / self.CELL), math.floor((box[0] + box[2]) / self.CELL) + 1
        ):
            for j in range(
                math.floor(box[1] / self.CELL), math.floor((box[1] + box[3]) / self.CELL) + 1
            ):
                yield i, j

    def add(self, box: Rect, owner: str) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append((box, owner))

    def hits(self, box: Rect, besides: str | None = None) -> bool:
        """Whether `box` overlaps a box filed here (other than those of `besides`)."""
        return any(
            owner != besides and _overlap(box, other)
            for key in self._keys(box)
            for other, owner in self.cells.get(key, ())
        )


def _square(x: float, y: float, r: float) -> Rect:
    return x - r, y - r, 2 * r, 2 * r


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]
