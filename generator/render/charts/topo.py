"""Land for the maps: TopoJSON decoded once, clipped and simplified per view.

The outlines are Natural Earth's 1:50m countries as packaged by `world-atlas` (geo/README.md),
vendored so a build needs no network. A topology keeps each shared line once (an "arc"); the
`land` object's rings, stitched from its arcs, draw the land with its coast. Borders are not
drawn (geo/README.md says why), so the `countries` object is not read. All coordinates stay in
degrees (lon, lat) until a view projects them.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WORLD = Path(__file__).parent / "geo" / "countries-50m.json"

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # west, south, east, north


@dataclass(frozen=True)
class Line:
    """A ring or a polyline in degrees, with its bounding box for a cheap first test."""

    points: tuple[Point, ...]
    box: Box


@dataclass(frozen=True)
class World:
    land: tuple[Line, ...]  # closed rings: filled even-odd they draw the land


@functools.cache
def world(path: Path = WORLD) -> World:
    """The vendored outlines, read and decoded once per process (about 0.1 s)."""
    return decode(json.loads(path.read_text(encoding="utf-8")))


def decode(topology: dict[str, Any]) -> World:
    """A TopoJSON topology's `land` object (polygons), as closed rings."""
    arcs = decode_arcs(topology["arcs"], topology.get("transform"))
    land_rings = _rings(topology["objects"].get("land", {}))
    return World(land=tuple(_line(stitch(arcs, ring)) for ring in land_rings))


def decode_arcs(raw: Sequence[Sequence[Sequence[float]]], transform: Any) -> list[list[Point]]:
    """Positions in degrees: quantized arcs are delta-encoded and scaled by the transform."""
    if not transform:
        return [[(float(p[0]), float(p[1])) for p in arc] for arc in raw]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    decoded = []
    for arc in raw:
        x = y = 0.0
        points = []
        for p in arc:
            x, y = x + p[0], y + p[1]
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def stitch(arcs: Sequence[Sequence[Point]], ring: Iterable[int]) -> list[Point]:
    """A ring's positions: its arcs in order (~i walks arc i backwards), shared ends once."""
    points: list[Point] = []
    for i in ring:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _rings(geometry: dict[str, Any]) -> Iterable[list[int]]:
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        for child in geometry.get("geometries", ()):
            yield from _rings(child)
    elif kind == "Polygon":
        yield from geometry["arcs"]
    elif kind == "MultiPolygon":
        for polygon in geometry["arcs"]:
            yield from polygon


def _line(points: Sequence[Point]) -> Line:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return Line(tuple(points), (min(xs), min(ys), max(xs), max(ys)))


# --- one view -----------------------------------------------------------------------------


def meets(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def clip_ring(points: Sequence[Point], box: Box) -> list[Point]:
    """Sutherland-Hodgman: the part of a closed ring inside the box (edges may run along it)."""
    west, south, east, north = box
    edges: tuple[tuple[Callable[[Point], bool], Callable[[Point, Point], Point]], ...] = (
        (lambda p: p[0] >= west, lambda a, b: _at_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _at_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _at_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _at_y(a, b, north)),
    )
    out = list(points)
    for inside, cross in edges:
        if not out:
            break
        source, out = out, []
        prev = source[-1]
        prev_in = inside(prev)
        for p in source:
            p_in = inside(p)
            if p_in != prev_in:
                out.append(cross(prev, p))
            if p_in:
                out.append(p)
            prev, prev_in = p, p_in
    return out


def clip_line(points: Sequence[Point], box: Box) -> list[list[Point]]:
    """The pieces of a polyline inside the box (Liang-Barsky on each segment)."""
    pieces: list[list[Point]] = []
    current: list[Point] = []
    for a, b in itertools.pairwise(points):
        seg = _clip_segment(a, b, box)
        if seg is None:
            if current:
                pieces.append(current)
                current = []
            continue
        start, end = seg
        if current and current[-1] == start:
            current.append(end)
        else:
            if current:
                pieces.append(current)
            current = [start, end]
        if end != b:  # left the box
            pieces.append(current)
            current = []
    if current:
        pieces.append(current)
    return pieces


def _clip_segment(a: Point, b: Point, box: Box) -> tuple[Point, Point] | None:
    west, south, east, north = box
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, a[0] - west), (dx, east - a[0]), (-dy, a[1] - south), (dy, north - a[1])):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    start = a if t0 == 0 else (a[0] + t0 * dx, a[1] + t0 * dy)
    end = b if t1 == 1 else (a[0] + t1 * dx, a[1] + t1 * dy)
    return start, end


def _at_x(a: Point, b: Point, x: float) -> Point:
    return x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])


def _at_y(a: Point, b: Point, y: float) -> Point:
    return a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker (iterative): drops points within `tolerance` of the kept line."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    limit = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        bx, by = points[last]
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        worst, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                d = (px - ax) ** 2 + (py - ay) ** 2
            else:
                cross = (px - ax) * dy - (py - ay) * dx
                d = cross * cross / length
            if d > worst:
                worst, index = d, i
        if worst > limit:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def path_data(pieces: Iterable[Sequence[Point]], *, closed: bool) -> str:
    """SVG path data in tenths of a unit: absolute moves, relative lines (small and exact)."""
    out: list[str] = []
    for piece in pieces:
        tenths = [(round(x * 10), round(y * 10)) for x, y in piece]
        steps = [(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(tenths) if a != b]
        if not steps or (closed and len(steps) < 2):
            continue
        x, y = tenths[0]
        out.append(f"M{_tenths(x)} {_tenths(y)}l")
        numbers = [_tenths(v) for step in steps for v in step]
        out.append(numbers[0])
        for number in numbers[1:]:  # "1-2" reads as 1 then -2: no space before a minus
            out.append(number if number[0] == "-" else f" {number}")
        if closed:
            out.append("z")
    return "".join(out)


def _tenths(value: int) -> str:
    whole, part = divmod(abs(value), 10)
    sign = "-" if value < 0 else ""
    return f"{sign}{whole}.{part}" if part else f"{sign}{whole}"
