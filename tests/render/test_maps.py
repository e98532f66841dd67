"""The map (generator/render/charts/maps.py, topo.py): outlines decoded, clipped, labels apart."""

from __future__ import annotations

import re
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from generator.render import charts
from generator.render.charts import MapPoint, map_svg, maps, topo

from ..support import REPO, read_site
from .test_charts import SVG_NS, parse

# Two unit squares side by side, sharing the arc x=1 (arc 1), quantized on a 0.5-degree grid
# and delta-encoded: arc 0 is the left square's outer edge, arc 2 the right one's.
TINY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [10, 40]},
    "arcs": [
        [[2, 0], [-2, 0], [0, 2], [2, 0]],  # (11,40) (10,40) (10,41) (11,41)
        [[2, 2], [0, -2]],  # (11,41) (11,40): the shared border
        [[2, 0], [2, 0], [0, 2], [-2, 0]],  # (11,40) (12,40) (12,41) (11,41)
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]]},
                {"type": "Polygon", "arcs": [[2, 1]]},
            ],
        },
        "land": {"type": "MultiPolygon", "arcs": [[[0, ~2]]]},
    },
}


def test_a_tiny_topology_decodes_to_land() -> None:
    world = topo.decode(TINY)
    # the land ring walks arc 0, then arc 2 backwards (~2), each shared end once
    assert [line.points for line in world.land] == [
        (
            (11.0, 40.0),
            (10.0, 40.0),
            (10.0, 41.0),
            (11.0, 41.0),
            (12.0, 41.0),
            (12.0, 40.0),
            (11.0, 40.0),
        )
    ]
    # arcs: delta-decoded, then scaled and translated
    arcs = topo.decode_arcs(TINY["arcs"], TINY["transform"])  # type: ignore[arg-type]
    assert arcs[1] == [(11.0, 41.0), (11.0, 40.0)]
    assert topo.stitch(arcs, [2, 1]) == [
        (11.0, 40.0),
        (12.0, 40.0),
        (12.0, 41.0),
        (11.0, 41.0),
        (11.0, 40.0),
    ]
    assert world.land[0].box == (10.0, 40.0, 12.0, 41.0)


def test_positions_without_a_transform_are_read_as_they_are() -> None:
    assert topo.decode_arcs([[[1, 2], [3, 4]]], None) == [[(1.0, 2.0), (3.0, 4.0)]]


def test_a_ring_is_clipped_to_the_box() -> None:
    square = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)]
    clipped = topo.clip_ring(square, (2.0, -1.0, 6.0, 3.0))
    assert {(round(x, 6), round(y, 6)) for x, y in clipped} == {
        (2.0, 0.0),
        (4.0, 0.0),
        (4.0, 3.0),
        (2.0, 3.0),
    }
    assert topo.clip_ring(square, (5.0, 5.0, 6.0, 6.0)) == []
    assert set(topo.clip_ring(square, (-1.0, -1.0, 9.0, 9.0))) == set(square)


def test_a_line_leaving_and_coming_back_is_cut_into_pieces() -> None:
    zigzag = [(0.0, 0.0), (2.0, 0.0), (2.0, 4.0), (3.0, 4.0), (3.0, 0.0), (5.0, 0.0)]
    pieces = topo.clip_line(zigzag, (-1.0, -1.0, 6.0, 2.0))
    assert pieces == [
        [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0)],
        [(3.0, 2.0), (3.0, 0.0), (5.0, 0.0)],
    ]
    assert topo.clip_line(zigzag, (10.0, 10.0, 11.0, 11.0)) == []


def test_simplify_keeps_corners_and_drops_what_is_below_the_tolerance() -> None:
    wobbly = [(0.0, 0.0), (1.0, 0.1), (2.0, -0.1), (3.0, 0.0), (3.0, 3.0)]
    assert topo.simplify(wobbly, 0.5) == [(0.0, 0.0), (3.0, 0.0), (3.0, 3.0)]
    assert topo.simplify(wobbly, 0.01) == wobbly


def test_path_data_is_relative_in_tenths_and_skips_empty_pieces() -> None:
    assert topo.path_data([[(1.04, 2.0), (3.0, 2.0), (3.0, 0.5)]], closed=True) == (
        "M1 2l2 0 0-1.5z"
    )
    assert topo.path_data([[(1.0, 1.0), (1.01, 1.0)]], closed=False) == ""


def test_the_vendored_outlines_are_natural_earth_countries() -> None:
    world = topo.world()
    assert world is topo.world()  # decoded once per process
    assert len(world.land) > 1000
    kyiv = (30.52, 50.45)
    assert any(topo.meets(line.box, (*kyiv, *kyiv)) for line in world.land)


# --- labels ---------------------------------------------------------------------------------

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFG -", min_size=1, max_size=24)
spots = st.tuples(st.floats(0, 300), st.floats(0, 200))


@given(st.lists(st.tuples(names, spots, st.floats(2, 12), st.booleans()), max_size=40))
def test_placed_labels_never_overlap_and_stay_in_the_frame(
    items: list[tuple[str, tuple[float, float], float, bool]],
) -> None:
    dots = {f"p{i}": maps._square(x, y, r) for i, (_, (x, y), r, _) in enumerate(items)}
    wanted = [
        (f"p{i}", name, point, dots[f"p{i}"], bold)
        for i, (name, point, _, bold) in enumerate(items)
    ]
    labels = maps.place_labels(wanted, dots, (300.0, 200.0), force="p0")
    boxes = [label[5] for label in labels]
    for i, a in enumerate(boxes):
        assert a[0] >= 2 and a[0] + a[2] <= 298 and a[1] >= 2 and a[1] + a[3] <= 198
        for b in boxes[i + 1 :]:
            assert not maps._overlap(a, b), (a, b)
    for rid, *_, box, _bold in labels:
        if rid != "p0":  # the forced label may cover dots, never labels
            assert not any(maps._overlap(box, dot) for other, dot in dots.items() if other != rid)
    assert [label[0] for label in labels] == sorted(
        (label[0] for label in labels), key=lambda rid: int(rid[1:])
    )  # placed in the order asked


def test_labels_keep_clear_of_other_dots_and_the_busiest_come_first() -> None:
    dots = {"a": maps._square(100, 100, 5), "b": maps._square(150, 100, 5)}
    wanted = [
        ("a", "Alpha", (100.0, 100.0), dots["a"], True),
        ("b", "Beta", (150.0, 100.0), dots["b"], False),
    ]
    labels = maps.place_labels(wanted, dots, (300.0, 200.0))
    assert [label[1] for label in labels] == ["Alpha", "Beta"]
    for rid, *_, box, _bold in labels:
        assert not any(maps._overlap(box, dot) for other, dot in dots.items() if other != rid)
    crowded = {
        **dots,
        **{
            f"x{i}": maps._square(100 + dx, 100 + dy, 6)
            for i, (dx, dy) in enumerate(
                [(20, 0), (-20, 0), (14, -14), (-14, -14), (14, 14), (-14, 14), (0, -20), (0, 20)]
            )
        },
    }
    assert maps.place_labels(wanted[:1], crowded, (300.0, 200.0)) == []  # nowhere to go: dropped
    forced = maps.place_labels(wanted[:1], crowded, (300.0, 200.0), force="a")
    assert [label[1] for label in forced] == ["Alpha"]  # the current place is always named


# --- the whole map ----------------------------------------------------------------------------

UKRAINE = [
    MapPoint("kyiv", "Kyiv", 50.45, 30.52, 9, "kyiv.html"),
    MapPoint("lviv", "Lviv", 49.84, 24.03, 3, "lviv.html"),
    MapPoint("odesa", "Odesa", 46.48, 30.72, 2, "odesa.html"),
    MapPoint("kharkiv", "Kharkiv", 49.99, 36.23, 5, "kharkiv.html"),
    MapPoint("bakhmut", "Bakhmut", 48.60, 38.00, 7, "bakhmut.html"),
    MapPoint("soledar", "Soledar", 48.68, 38.09, 0, "soledar.html"),
]


def draw(points: list[MapPoint], **kwargs: object) -> str | None:
    options: dict[str, object] = {"ident": "m", "title": "A map", "desc": "Places", "noun": "x"}
    options.update(kwargs)
    return map_svg(points, current=None, **options)  # type: ignore[arg-type]


def test_a_map_that_would_not_help_is_left_off() -> None:
    assert draw([]) is None
    assert draw(UKRAINE[:1]) is None  # one place
    same = [MapPoint("a", "A", 50.85, 4.35, 3, "a.html"), MapPoint("b", "B", 50.85, 4.35, 1, "b")]
    assert draw(same) is None  # everything in one spot
    near = [same[0], MapPoint("b", "B", 50.8505, 4.3505, 1, "b.html")]
    assert draw(near) is None  # a few metres apart: the map is never that close
    assert draw(UKRAINE[:2]) is not None


def absolute(d: str) -> list[tuple[float, float]]:
    """The points of path data made of "Mx y" moves, "l" relative lines and "z"."""
    found: list[tuple[float, float]] = []
    for move in re.findall(r"M[^Mz]*", d):
        numbers = [float(v) for v in re.findall(r"-?[\d.]+", move)]
        x, y = numbers[0], numbers[1]
        found.append((x, y))
        for dx, dy in zip(numbers[2::2], numbers[3::2], strict=True):
            x, y = x + dx, y + dy
            found.append((x, y))
    return found


def test_the_map_draws_land_inside_its_frame_and_no_borders() -> None:
    svg = draw(UKRAINE)
    assert svg is not None
    root = parse(svg)
    width, height = (float(v) for v in root.attrib["viewBox"].split()[2:])
    land = root.find(f"{SVG_NS}path[@class='map-land']")
    assert land is not None
    # Natural Earth's borders are the lines on the ground (Crimea in Russia): none is drawn
    assert root.find(f"{SVG_NS}path[@class='map-border']") is None
    for x, y in absolute(land.attrib["d"]):
        assert -4 <= x <= width + 4 and -4 <= y <= height + 4
    assert len(svg) < 20_000


def test_the_map_is_named_by_its_title_and_description_and_its_links_stay_reachable() -> None:
    svg = draw(UKRAINE)
    assert svg is not None
    root = parse(svg)
    assert "role" not in root.attrib  # "img" would hide the links; never "group" (invalid)
    assert root.attrib["aria-labelledby"] == "m-t m-d"
    assert root.find(f"{SVG_NS}title[@id='m-t']") is not None
    assert root.find(f"{SVG_NS}desc[@id='m-d']") is not None
    links = root.findall(f".//{SVG_NS}a")
    assert len(links) == len(UKRAINE)
    assert all(link.find(f"{SVG_NS}title") is not None for link in links)


def test_the_regions_own_places_are_emphasised_and_others_muted() -> None:
    svg = map_svg(
        UKRAINE,
        current="bakhmut",
        own=["bakhmut", "soledar"],
        ident="m",
        title="t",
        desc="d",
        noun="x",
    )
    assert svg is not None
    root = parse(svg)
    groups = {g.attrib["class"]: g for g in root.iter(f"{SVG_NS}g")}
    bold = groups["chart-label chart-halo"]
    muted = groups["chart-label chart-halo chart-muted"]
    assert bold.attrib["font-weight"] == "bold"
    assert [t.text for t in bold] == ["Bakhmut"]
    assert "Kyiv" in [t.text for t in muted]
    classes = {
        link.find(f"{SVG_NS}title").text.split(":")[0]: link.attrib["class"]  # type: ignore[union-attr]
        for link in root.iter(f"{SVG_NS}a")
    }
    assert classes["Bakhmut"] == "chart-point chart-current"
    assert classes["Soledar"] == "chart-point"
    assert classes["Kyiv"] == "chart-point chart-muted"
    kyiv_map = map_svg(
        UKRAINE, current=None, own=["kyiv"], ident="m", title="t", desc="d", noun="x"
    )
    assert kyiv_map is not None

    def radius(svg: str, name: str) -> float:
        found = re.search(rf"<title>{name}: [^<]*</title><circle [^>]* r=\"([\d.]+)\"", svg)
        assert found is not None
        return float(found.group(1))

    assert radius(svg, "Soledar") > radius(kyiv_map, "Soledar")  # own places: bigger dots
    assert radius(svg, "Bakhmut") > radius(kyiv_map, "Bakhmut")
    assert radius(svg, "Kharkiv") == radius(kyiv_map, "Kharkiv")  # muted in both


def test_the_same_places_give_the_same_bytes_in_a_fresh_process() -> None:
    script = (
        "from tests.render.test_maps import UKRAINE, draw\n"
        "import sys; sys.stdout.write(draw(UKRAINE) or '')\n"
    )
    fresh = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, check=True, capture_output=True, text=True
    ).stdout
    assert fresh == draw(list(reversed(UKRAINE)))
    assert fresh == draw(UKRAINE)  # the second call draws the cached background


def test_every_label_is_readable_text_and_the_svg_is_valid_xml() -> None:
    svg = draw(UKRAINE, width=300.0)
    assert svg is not None
    texts = [t.text for t in parse(svg).iter(f"{SVG_NS}text")]
    assert "Kyiv" in texts and "Soledar" not in texts  # a place with nothing gets no label


# --- on the demo site ----------------------------------------------------------------------


def test_region_pages_map_their_country_and_fall_back_to_every_place() -> None:
    site = read_site(REPO / "content")
    donetsk = charts.region_map(site, "../..", "donetsk")
    assert donetsk is not None
    assert "Map of places around Donetsk Oblast" in donetsk.svg
    assert "Italy" not in donetsk.svg  # the country's places only
    bold = re.search(
        r'<g class="chart-label chart-halo" font-weight="bold"[^>]*>(.*?)</g>', donetsk.svg
    )
    assert bold is not None and "Donetsk Oblast" in bold.group(1)
    # Belgium and Brussels share one spot: their own map would not help; every place's does
    belgium = charts.region_map(site, "../..", "belgium")
    assert belgium is not None and "Italy" in belgium.svg and "Kyiv" in belgium.svg
    assert 'class="chart-point chart-current"' in belgium.svg
    index = charts.region_map(site, "..")
    assert index is not None and "chart-muted" not in index.svg  # nothing muted on the index


def test_a_country_of_thousands_draws_its_busiest_places_and_shares_one_view() -> None:
    many = [
        MapPoint(f"p{i}", f"P{i}", 45 + (i % 70) / 10, 24 + (i // 70) / 3, i % 13, f"{i}.html")
        for i in range(3000)
    ]
    one = map_svg(many, current="p5", own=["p5"], ident="m", title="t", desc="d", noun="x")
    two = map_svg(many, current="p9", own=["p9"], ident="m", title="t", desc="d", noun="x")
    assert one is not None and two is not None
    assert one.count("<a ") == maps.MAX_POINTS and ">P5: " in one  # the current one among them
    assert ">P12: 12 xs" in one  # the busiest next
    background = re.compile(r'<rect class="map-sea".*?class="chart-frame"')
    first, second = background.search(one), background.search(two)
    assert first is not None and second is not None and first.group() == second.group()
