"""regions.yaml and speakers.yaml: what loads, what is refused, and how the tree is used."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import Diagnostics
from generator.registries import Registries, load_registries

from .support import base_project, read_site, write

SPEAKERS = "mara-olsen:\n  name: Mara Olsen\n  aliases: [M. Olsen]\n"


def load(tmp_path: Path, regions: str, speakers: str = SPEAKERS,
         limit: int = 1_000_000) -> tuple[Registries, list[str]]:
    content = tmp_path / "content"
    write(content, "regions.yaml", regions)
    write(content, "speakers.yaml", speakers)
    diagnostics = Diagnostics()
    registries = load_registries(content, tmp_path, limit, diagnostics)
    return registries, [str(d) for d in sorted(diagnostics.items)]


def test_full_entries(tmp_path: Path) -> None:
    regions = ("# comment\nstone-isle:\n  name: Stone Isle\n  parent: west-isles\n"
               "  kind: island\n  aliases: [Stone Island, The Stone]\n  lat: 59.6\n  lon: -19.95\n"
               "west-isles:\n  name: West Isles\n  lon: 20\n  aliases: Westerlies\n"
               "2024:\n  name: Year Town\n")
    speakers = ("mara-olsen:\n  name: Mara Olsen\n  role: Harbor master\n"
                "  affiliation: Port Office\n  aliases: [M. Olsen]\n")
    registries, problems = load(tmp_path, regions, speakers)
    assert problems == []
    stone = registries.regions["stone-isle"]
    assert (stone.name, stone.parent, stone.kind, stone.aliases, stone.lat, stone.lon, stone.line) \
        == ("Stone Isle", "west-isles", "island", ("Stone Island", "The Stone"), 59.6, -19.95, 2)
    west = registries.regions["west-isles"]
    assert (west.lon, west.lat, west.parent, west.aliases) == (20.0, None, None, ("Westerlies",))
    assert registries.regions["2024"].name == "Year Town"
    mara = registries.speakers["mara-olsen"]
    assert (mara.role, mara.affiliation, mara.aliases, mara.line) == (
        "Harbor master", "Port Office", ("M. Olsen",), 1)


@pytest.mark.parametrize("value", ["90", "-90", "0", "89.999", "-0.5"])
def test_latitude_bounds_accepted(tmp_path: Path, value: str) -> None:
    registries, problems = load(tmp_path, f"a:\n  name: A\n  lat: {value}\n  lon: {value}\n")
    assert problems == [] and registries.regions["a"].lat == float(value)


@pytest.mark.parametrize(("key", "value"), [
    ("lat", "90.0001"), ("lat", "-91"), ("lat", "1e2"), ("lat", ".nan"), ("lat", "nan"),
    ("lon", "180.5"), ("lon", "-.inf"), ("lon", "inf"), ("lon", "east"), ("lon", "'12,5'"),
])
def test_coordinates_refused(tmp_path: Path, key: str, value: str) -> None:
    registries, problems = load(tmp_path, f"a:\n  name: A\n  {key}: {value}\n")
    bound = "90" if key == "lat" else "180"
    shown = value.strip("'")
    assert problems == [f"content/regions.yaml:3:8: '{key}' must be a number from -{bound} "
                        f"to {bound}, not '{shown}'"]
    assert getattr(registries.regions["a"], key) is None


@pytest.mark.parametrize("bad", ["Kyiv", "kherson_city", "x--y", "-a", "a-", "ké", "a b", "'a.b'"])
def test_bad_ids(tmp_path: Path, bad: str) -> None:
    registries, problems = load(tmp_path, f"ok:\n  name: OK\n{bad}:\n  name: Bad\n")
    shown = bad.strip("'")
    assert problems == [f"content/regions.yaml:3:1: id '{shown}' must be lowercase letters, "
                        "digits and single hyphens (like 'kherson-city')"]
    assert list(registries.regions) == ["ok"]


def test_entry_shapes(tmp_path: Path) -> None:
    regions = ("a: A\nb:\n  - name\nc:\n  kind: town\nd:\n  name: '  '\n"
               "e:\n  name: E\n  nmae: typo\n  colour: red\n  aliases: [ok, [bad], '']\n")
    registries, problems = load(tmp_path, regions)
    assert problems == [
        "content/regions.yaml:1:1: 'a' must be a mapping of fields",
        "content/regions.yaml:2:1: 'b' must be a mapping of fields",
        "content/regions.yaml:4:1: region 'c' needs a 'name'",
        "content/regions.yaml:6:1: region 'd' needs a 'name'",
        "content/regions.yaml:10:3: unknown key 'nmae' in region 'e' — did you mean 'name'?",
        "content/regions.yaml:11:3: unknown key 'colour' in region 'e' (allowed: name, parent, "
        "kind, aliases, lat, lon)",
        "content/regions.yaml:12:17: each item of 'aliases' must be non-empty text",
        "content/regions.yaml:12:24: each item of 'aliases' must be non-empty text",
    ]
    assert list(registries.regions) == ["e"]


@pytest.mark.parametrize(("text", "message"), [
    ("- north\n- south\n", "content/regions.yaml:1:1: expected a mapping of id → entry"),
    ("just text\n", "content/regions.yaml:1:1: expected a mapping of id → entry"),
    ("\n  \n", "content/regions.yaml:1:1: file is empty"),
    ("a:\n  name: A\na:\n  name: B\n",
     "content/regions.yaml:3:1: duplicate key 'a' (first on line 1)"),
    ("a:\n  name: !!python/name:os.system ''\n",
     "content/regions.yaml:2:9: YAML tag '!!python/name:os.system' is not "
     "allowed: write plain text"),
])
def test_whole_file_problems(tmp_path: Path, text: str, message: str) -> None:
    registries, problems = load(tmp_path, text)
    assert problems == [message] and registries.regions == {}


def test_size_limit(tmp_path: Path) -> None:
    text = "a:\n  name: A\n" + "# padding\n" * 20
    _, problems = load(tmp_path, text, limit=100)
    assert problems == [f"content/regions.yaml:1:1: file is {len(text):,} bytes; the limit is 100"]


def test_missing_registry_files(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    diagnostics = Diagnostics()
    registries = load_registries(tmp_path / "content", tmp_path, 1000, diagnostics)
    assert [str(d) for d in diagnostics.items] == [
        "content/regions.yaml:1:1: file is missing: add it, or one file per region in "
        "content/regions/",
        "content/speakers.yaml:1:1: file is missing: add it, or one file per speaker in "
        "content/speakers/"]
    assert registries.regions == {} and registries.speakers == {}


def test_speaker_problems(tmp_path: Path) -> None:
    speakers = "Mara:\n  name: M\nbo:\n  name: Bo\n  rol: x\nno-name:\n  role: r\n"
    registries, problems = load(tmp_path, "a:\n  name: A\n", speakers)
    assert problems == [
        "content/speakers.yaml:1:1: id 'Mara' must be lowercase letters, digits and single "
        "hyphens (like 'kherson-city')",
        "content/speakers.yaml:5:3: unknown key 'rol' in speaker 'bo' — did you mean 'role'?",
        "content/speakers.yaml:6:1: speaker 'no-name' needs a 'name'",
    ]
    assert list(registries.speakers) == ["bo"]


# --- the tree -----------------------------------------------------------------------------------

def test_unknown_parent(tmp_path: Path) -> None:
    _, problems = load(tmp_path, "north:\n  name: N\npine:\n  name: P\n  parent: nort\n"
                                 "far:\n  name: F\n  parent: atlantis\n")
    assert problems == [
        "content/regions.yaml:3:1: region 'pine' has unknown parent 'nort' — did you mean 'north'?",
        "content/regions.yaml:6:1: region 'far' has unknown parent 'atlantis'",
    ]


def test_cycles_are_reported_once_each(tmp_path: Path) -> None:
    regions = ("a:\n  name: A\n  parent: b\nb:\n  name: B\n  parent: a\n"
               "c:\n  name: C\n  parent: c\n"
               "d:\n  name: D\n  parent: e\ne:\n  name: E\n  parent: f\n"
               "f:\n  name: F\n  parent: d\n"
               "g:\n  name: G\n  parent: a\n")  # g hangs off a cycle: not a cycle itself
    _, problems = load(tmp_path, regions)
    assert problems == [
        "content/regions.yaml:1:1: regions form a parent cycle: a → b → a",
        "content/regions.yaml:7:1: regions form a parent cycle: c → c",
        "content/regions.yaml:10:1: regions form a parent cycle: d → e → f → d",
    ]


def test_forward_parents_and_several_roots(tmp_path: Path) -> None:
    content = base_project(tmp_path, keep_article=False)
    write(content, "regions.yaml",
          "town:\n  name: Zeta Town\n  parent: county\ncounty:\n  name: County\n  parent: land\n"
          "land:\n  name: Land\nvillage:\n  name: Alpha Village\n  parent: county\n"
          "isles:\n  name: Isles\n")
    write(content, "articles/a.md",
          "---\ntitle: T\ndate: 2024-01-15T10:00:00+02:00\n---\n\n## Developments\n\n"
          "- [Town](region:town) and [County](region:county).\n- [Village](region:village).\n"
          "- [Isles](region:isles).\n")
    site = read_site(content)
    assert site.roots == ("isles", "land")
    assert site.children["county"] == ("village", "town")  # by name: Alpha before Zeta
    assert [r.id for r in site.ancestors("town")] == ["land", "county"]
    assert site.top_region("town") == "land" and site.top_region("isles") == "isles"
    counts = {region: len(events) for region, events in site.timeline.items()}
    assert counts == {"town": 1, "county": 2, "land": 2, "village": 1, "isles": 1}


def test_hints_use_names_and_aliases(tmp_path: Path) -> None:
    registries, _ = load(tmp_path, "north:\n  name: Northern Province\n  aliases: [The North]\n"
                                   "kherson-city:\n  name: Kherson\n")
    assert registries.region_hint("nrth") == " — did you mean 'north'?"
    assert registries.region_hint("the-north") == " — did you mean 'north'?"
    assert registries.region_hint("northern-province") == " — did you mean 'north'?"
    assert registries.region_hint("kherson") == " — did you mean 'kherson-city'?"
    assert registries.region_hint("zzzz") == ""
    assert registries.speaker_hint("m-olsen") == " — did you mean 'mara-olsen'?"

