"""regions.yaml and speakers.yaml: what loads, what is refused, and how the tree is used."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.registries import Registries, load_registries
from generator.diagnostics import Diagnostics

from ..support import base_project, read_site, write

SPEAKERS = "mara-olsen:\n  name: Mara Olsen\n  aliases: [M. Olsen]\n"


def load(
    tmp_path: Path, regions: str, speakers: str = SPEAKERS, limit: int = 1_000_000
) -> tuple[Registries, list[str]]:
    content = tmp_path / "content"
    write(content, "regions.yaml", regions)
    write(content, "speakers.yaml", speakers)
    diagnostics = Diagnostics()
    registries = load_registries(content, tmp_path, limit, diagnostics)
    return registries, [str(d) for d in sorted(diagnostics.items)]


def test_full_entries(tmp_path: Path) -> None:
    regions = (
        "# comment\nstone-isle:\n  name: Stone Isle\n  parent: west-isles\n"
        "  kind: island\n  aliases: [Stone Island, The Stone]\n  lat: 59.6\n  lon: -19.95\n"
        "west-isles:\n  name: West Isles\n  lon: 20\n  aliases: Westerlies\n"
        "2024:\n  name: Year Town\n"
    )
    speakers = (
        "mara-olsen:\n  name: Mara Olsen\n  role: Harbor master\n"
        "  affiliation: Port Office\n  aliases: [M. Olsen]\n"
    )
    registries, problems = load(tmp_path, regions, speakers)
    assert problems == []
    stone = registries.regions["stone-isle"]
    assert (
        stone.name,
        stone.parent,
        stone.kind,
        stone.aliases,
        stone.lat,
        stone.lon,
        stone.line,
    ) == ("Stone Isle", "west-isles", "island", ("Stone Island", "The Stone"), 59.6, -19.95, 2)
    west = registries.regions["west-isles"]
    assert (west.lon, west.lat, west.parent, west.aliases) == (20.0, None, None, ("Westerlies",))
    assert registries.regions["2024"].name == "Year Town"
    mara = registries.speakers["mara-olsen"]
    assert (mara.role, mara.affiliation, mara.aliases, mara.line) == (
        "Harbor master",
        "Port Office",
        ("M. Olsen",),
        1,
    )


@pytest.mark.parametrize("value", ["90", "-90", "0", "89.999", "-0.5"])
def test_latitude_bounds_accepted(tmp_path: Path, value: str) -> None:
    registries, problems = load(tmp_path, f"a:\n  name: A\n  lat: {value}\n  lon: {value}\n")
    assert problems == [] and registries.regions["a"].lat == float(value)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("lat", "90.0001"),
        ("lat", "-91"),
        ("lat", "1e2"),
        ("lat", ".nan"),
        ("lat", "nan"),
        ("lon", "180.5"),
        ("lon", "-.inf"),
        ("lon", "inf"),
        ("lon", "east"),
        ("lon", "'12,5'"),
    ],
)
def test_coordinates_refused(tmp_path: Path, key: str, value: str) -> None:
    registries, problems = load(tmp_path, f"a:\n  name: A\n  {key}: {value}\n")
    bound = "90" if key == "lat" else "180"
    shown = value.strip("'")
    assert problems == [
        f"content/regions.yaml:3:8: '{key}' must be a number from -{bound} "
        f"to {bound}, not '{shown}'"
    ]
    assert getattr(registries.regions["a"], key) is None


@pytest.mark.parametrize("bad", ["Kyiv", "kherson_city", "x--y", "-a", "a-", "ké", "a b", "'a.b'"])
def test_bad_ids(tmp_path: Path, bad: str) -> None:
    registries, problems = load(tmp_path, f"ok:\n  name: OK\n{bad}:\n  name: Bad\n")
    shown = bad.strip("'")
    assert problems == [
        f"content/regions.yaml:3:1: id '{shown}' must be lowercase letters, "
        "digits and single hyphens (like 'kherson-city')"
    ]
    assert list(registries.regions) == ["ok"]


def test_entry_shapes(tmp_path: Path) -> None:
    regions = (
        "a: A\nb:\n  - name\nc:\n  kind: town\nd:\n  name: '  '\n"
        "e:\n  name: E\n  nmae: typo\n  colour: red\n  aliases: [ok, [bad], '']\n"
    )
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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- north\n- south\n", "content/regions.yaml:1:1: expected a mapping of id → entry"),
        ("just text\n", "content/regions.yaml:1:1: expected a mapping of id → entry"),
        ("\n  \n", "content/regions.yaml:1:1: file is empty"),
        (
            "a:\n  name: A\na:\n  name: B\n",
            "content/regions.yaml:3:1: duplicate key 'a' (first on line 1)",
        ),
        (
            "a:\n  name: !!python/name:os.system ''\n",
            "content/regions.yaml:2:9: YAML tag '!!python/name:os.system' is not "
            "allowed: write plain text",
        ),
    ],
)
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
        "content/speakers/",
    ]
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
    _, problems = load(
        tmp_path,
        "north:\n  name: N\npine:\n  name: P\n  parent: nort\n"
        "far:\n  name: F\n  parent: atlantis\n",
    )
    assert problems == [
        "content/regions.yaml:3:1: region 'pine' has unknown parent 'nort' — did you mean 'north'?",
        "content/regions.yaml:6:1: region 'far' has unknown parent 'atlantis'",
    ]


def test_cycles_are_reported_once_each(tmp_path: Path) -> None:
    regions = (
        "a:\n  name: A\n  parent: b\nb:\n  name: B\n  parent: a\n"
        "c:\n  name: C\n  parent: c\n"
        "d:\n  name: D\n  parent: e\ne:\n  name: E\n  parent: f\n"
        "f:\n  name: F\n  parent: d\n"
        "g:\n  name: G\n  parent: a\n"
    )  # g hangs off a cycle: not a cycle itself
    _, problems = load(tmp_path, regions)
    assert problems == [
        "content/regions.yaml:1:1: regions form a parent cycle: a → b → a",
        "content/regions.yaml:7:1: regions form a parent cycle: c → c",
        "content/regions.yaml:10:1: regions form a parent cycle: d → e → f → d",
    ]


def test_forward_parents_and_several_roots(tmp_path: Path) -> None:
    content = base_project(tmp_path, keep_article=False)
    write(
        content,
        "regions.yaml",
        "town:\n  name: Zeta Town\n  parent: county\ncounty:\n  name: County\n  parent: land\n"
        "land:\n  name: Land\nvillage:\n  name: Alpha Village\n  parent: county\n"
        "isles:\n  name: Isles\n",
    )
    write(
        content,
        "articles/a.md",
        "---\ntitle: T\ndate: 2024-01-15T10:00:00+02:00\n---\n\n## Developments\n\n"
        "- [Town](region:town) and [County](region:county).\n- [Village](region:village).\n"
        "- [Isles](region:isles).\n",
    )
    site = read_site(content)
    assert site.roots == ("isles", "land")
    assert site.children["county"] == ("village", "town")  # by name: Alpha before Zeta
    assert [r.id for r in site.ancestors("town")] == ["land", "county"]
    assert site.top_region("town") == "land" and site.top_region("isles") == "isles"
    counts = {region: len(events) for region, events in site.timeline.items()}
    assert counts == {"town": 1, "county": 2, "land": 2, "village": 1, "isles": 1}


def test_hints_use_names_and_aliases(tmp_path: Path) -> None:
    registries, _ = load(
        tmp_path,
        "north:\n  name: Northern Province\n  aliases: [The North]\n"
        "kherson-city:\n  name: Kherson\n",
    )
    assert registries.region_hint("nrth") == " — did you mean 'north'?"
    assert registries.region_hint("the-north") == " — did you mean 'north'?"
    assert registries.region_hint("northern-province") == " — did you mean 'north'?"
    assert registries.region_hint("kherson") == " — did you mean 'kherson-city'?"
    assert registries.region_hint("zzzz") == ""
    assert registries.speaker_hint("m-olsen") == " — did you mean 'mara-olsen'?"


# --- folders: content/regions/*.yaml and content/speakers/*.yaml --------------------------------


def load_folders(tmp_path: Path, files: dict[str, str]) -> tuple[Registries, list[str]]:
    """Registries of exactly `files` (paths under content/), every problem as a line."""
    content = tmp_path / "content"
    content.mkdir(parents=True, exist_ok=True)
    for relative, text in files.items():
        write(content, relative, text)
    diagnostics = Diagnostics()
    registries = load_registries(content, tmp_path, 1_000_000, diagnostics)
    return registries, [str(d) for d in sorted(diagnostics.items)]


def test_folder_files_merge_after_the_file_in_name_order(tmp_path: Path) -> None:
    registries, problems = load_folders(
        tmp_path,
        {
            "regions.yaml": "west:\n  name: West\nnorth:\n  name: North\n",
            "regions/zeta.yaml": "zeta-town:\n  name: Zeta Town\n  parent: west\n",
            "regions/alpha.yaml": "alpha-town:\n  name: Alpha Town\n  parent: north\n"
            "beta-town:\n  name: Beta Town\n  parent: alpha-town\n",
            "regions/mid.yaml": "mid-town:\n  name: Mid Town\n",
            "speakers/b.yaml": "bo:\n  name: Bo\n",
            "speakers/a.yaml": "al:\n  name: Al\n",
        },
    )
    assert problems == []
    assert list(registries.regions) == [
        "west",
        "north",
        "alpha-town",
        "beta-town",
        "mid-town",
        "zeta-town",
    ]
    assert list(registries.speakers) == ["al", "bo"]  # no speakers.yaml: the folder alone
    assert registries.regions["beta-town"].line == 4  # its line in its own file


def test_the_order_does_not_depend_on_the_listing(tmp_path: Path) -> None:
    """Files created in another order (a different directory listing) merge the same."""
    files = {
        f"regions/{name}.yaml": f"{name}:\n  name: Place {name}\n"
        for name in ("k", "b", "x", "a", "m")
    }
    first, _ = load_folders(tmp_path / "one", dict(files))
    second, _ = load_folders(tmp_path / "two", dict(reversed(files.items())))
    assert list(first.regions) == list(second.regions) == ["a", "b", "k", "m", "x"]


def test_an_id_defined_twice_names_both_places(tmp_path: Path) -> None:
    _, problems = load_folders(
        tmp_path,
        {
            "regions.yaml": "north:\n  name: North\n",
            "regions/a.yaml": "# a comment\n  \nnorth:\n  name: North again\n",
            "regions/b.yaml": "south:\n  name: South\nnorth: not even a mapping\n",
            "regions/c.yaml": "south:\n  name: Sud\n",
            "speakers.yaml": "al:\n  name: Al\n",
            "speakers/al.yaml": "al:\n  nme: typo\n",
        },
    )
    assert problems == [
        "content/regions/a.yaml:3:1: region 'north' is defined twice — also at "
        "content/regions.yaml:1:1",
        "content/regions/b.yaml:3:1: region 'north' is defined twice — also at "
        "content/regions.yaml:1:1",
        "content/regions/c.yaml:1:1: region 'south' is defined twice — also at "
        "content/regions/b.yaml:1:1",
        "content/speakers/al.yaml:1:1: speaker 'al' is defined twice — also at "
        "content/speakers.yaml:1:1",
    ]


def test_what_else_a_folder_holds_is_reported(tmp_path: Path) -> None:
    registries, problems = load_folders(
        tmp_path,
        {
            "regions.yaml": "north:\n  name: North\n",
            "regions/south.yml": "south:\n  name: South\n",
            "regions/README.md": "Places.\n",
            "regions/.gitkeep": "",
            "regions/more/east.yaml": "east:\n  name: East\n",
            "speakers.yaml": "al:\n  name: Al\n",
        },
    )
    assert problems == [
        "content/regions/README.md:1:1: 'README.md' is not read: content/regions/ holds .yaml "
        "files",
        "content/regions/more:1:1: folders inside content/regions/ are not read: move its "
        "files into content/regions/",
        "content/regions/south.yml:1:1: 'south.yml' is not read: content/regions/ holds .yaml "
        "files: rename it to end in .yaml",
    ]
    assert list(registries.regions) == ["north"]


def test_a_registry_needs_the_file_or_a_folder_file(tmp_path: Path) -> None:
    _, problems = load_folders(
        tmp_path, {"regions/notes.txt": "x\n", "speakers/al.yaml": "al:\n  name: Al\n"}
    )
    assert problems == [
        "content/regions.yaml:1:1: file is missing: add it, or one file per region in "
        "content/regions/",
        "content/regions/notes.txt:1:1: 'notes.txt' is not read: content/regions/ holds .yaml "
        "files",
    ]


def test_folder_files_are_checked_like_the_file(tmp_path: Path) -> None:
    _, problems = load_folders(
        tmp_path,
        {
            "regions.yaml": "north:\n  name: North\n",
            "regions/a.yaml": "- north\n",
            "regions/b.yaml": "  \n",
            "regions/c.yaml": "Bad:\n  name: B\nok:\n  name: OK\n  parent: nrth\n",
            "speakers.yaml": "al:\n  name: Al\n",
        },
    )
    assert problems == [
        "content/regions/a.yaml:1:1: expected a mapping of id → entry",
        "content/regions/b.yaml:1:1: file is empty",
        "content/regions/c.yaml:1:1: id 'Bad' must be lowercase letters, digits and single "
        "hyphens (like 'kherson-city')",
        "content/regions/c.yaml:3:1: region 'ok' has unknown parent 'nrth' — did you mean 'north'?",
    ]


def test_a_symlinked_folder_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere.yaml").write_text("far:\n  name: Far\n")
    content = tmp_path / "content"
    write(content, "regions.yaml", "north:\n  name: North\n")
    write(content, "speakers.yaml", SPEAKERS)
    (content / "regions").mkdir()
    (content / "regions" / "far.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    diagnostics = Diagnostics()
    registries = load_registries(content, tmp_path, 1000, diagnostics)
    assert [str(d) for d in diagnostics.items] == [
        "content/regions/far.yaml:1:1: symbolic links are not allowed in content/: commit the "
        "file itself"
    ]
    assert list(registries.regions) == ["north"]


def test_unknown_ids_say_which_file_would_add_them(tmp_path: Path) -> None:
    registries, _ = load(tmp_path, "kreminna:\n  name: Kreminna\n")
    assert registries.unknown("region", "kremina") == (
        "unknown region 'kremina' — did you mean 'kreminna'? (or add it as "
        "content/regions/kremina.yaml)"
    )
    assert registries.unknown("region", "kremina", suggest=False) == (
        "unknown region 'kremina' (add it as content/regions/kremina.yaml)"
    )
    assert registries.unknown("speaker", "zed") == (
        "unknown speaker 'zed' (add it as content/speakers/zed.yaml)"
    )
    # no file to suggest for what cannot be an id or a file name
    assert registries.unknown("region", "Kreminna") == (
        "unknown region 'Kreminna' — did you mean 'kreminna'?"
    )
    assert registries.unknown("region", "con") == "unknown region 'con'"


def test_edits_in_a_folder_reach_cached_articles(tmp_path: Path) -> None:
    """The content cache's scope covers the folders' files: a region removed from one makes a
    cached article's reference unknown instead of being served from the cache."""
    from generator.diagnostics import ContentError
    from generator.pipeline.stages import _registry_digest

    content = base_project(tmp_path, keep_article=False)
    write(content, "regions/gull-rock.yaml", "gull-rock:\n  name: Gull Rock\n  parent: north\n")
    write(
        content,
        "articles/a.md",
        "---\ntitle: T\ndate: 2024-01-15T10:00:00+02:00\n---\n\n"
        "## Developments\n\n- Fog at [Gull Rock](region:gull-rock).\n",
    )
    digests = [_registry_digest(content)]
    assert len(read_site(content).timeline["gull-rock"]) == 1
    write(content, "regions/gull-rock.yaml", "gull-rocks:\n  name: Gull Rock\n  parent: north\n")
    digests.append(_registry_digest(content))
    with pytest.raises(ContentError) as caught:
        read_site(content)
    assert [str(d) for d in caught.value.diagnostics] == [
        "content/articles/a.md:8:22: unknown region 'gull-rock' — did you mean 'gull-rocks'? "
        "(or add it as content/regions/gull-rock.yaml)"
    ]
    (content / "regions" / "gull-rock.yaml").rename(content / "regions" / "rock.yaml")
    digests.append(_registry_digest(content))
    write(content, "regions/sea.yaml", "sea:\n  name: Sea\n")
    digests.append(_registry_digest(content))
    assert len(set(digests)) == 4


# --- names that read the same -----------------------------------------------------------------


@pytest.mark.parametrize(
    "other", ["KYIV", "kyiv", "Kyïv", "Kyív", "Ｋｙｉｖ", " Kyiv ", "Ky\u0308iv"]
)
def test_names_that_read_the_same_are_refused(tmp_path: Path, other: str) -> None:
    registries, problems = load_folders(
        tmp_path,
        {
            "regions.yaml": "kyiv:\n  name: Kyiv\n",
            "regions/more.yaml": f'kyiv-2:\n  name: "{other}"\n',
            "speakers.yaml": SPEAKERS,
        },
    )
    shown = other.strip()
    assert problems == [
        f"content/regions/more.yaml:2:9: region name '{shown}' reads the same as 'Kyiv' (region "
        "'kyiv', at content/regions.yaml:2:9) when case and accents are set aside: make one of "
        "them more specific, for instance with its oblast in brackets"
    ]
    assert list(registries.regions) == ["kyiv", "kyiv-2"]


def test_different_names_pass(tmp_path: Path) -> None:
    _, problems = load_folders(
        tmp_path,
        {
            "regions.yaml": "kyiv:\n  name: Kyiv\nkyiv-oblast:\n  name: Kyiv Oblast\n"
            "kiev:\n  name: Kiev\nkyiv-ua:\n  name: Київ\n",
            "speakers.yaml": "a:\n  name: Mara Olsen\nb:\n  name: Mara Olson\n",
        },
    )
    assert problems == []


def test_speakers_names_collide_too(tmp_path: Path) -> None:
    _, problems = load(
        tmp_path,
        "north:\n  name: North\n",
        "mara:\n  name: Mara Olsen\nolsen:\n  name: MARA  OLSEN\n",
    )
    assert problems == [
        "content/speakers.yaml:4:9: speaker name 'MARA  OLSEN' reads the same as 'Mara Olsen' "
        "(speaker 'mara', at content/speakers.yaml:2:9) when case and accents are set aside: "
        "make one of them more specific, for instance with a middle initial"
    ]


# --- limits of the tree -----------------------------------------------------------------------


def chain(length: int, first: str = "level-1") -> str:
    """`level-1` the root, each next level the child of the one before."""
    return first.join(("", ":\n  name: Level 1\n")) + "".join(
        f"level-{n}:\n  name: Level {n}\n  parent: level-{n - 1}\n" for n in range(2, length + 1)
    )


def test_a_chain_of_32_levels_is_allowed(tmp_path: Path) -> None:
    registries, problems = load(tmp_path, chain(32))
    assert problems == [] and len(registries.regions) == 32


def test_a_10000_deep_chain_is_reported_once_at_the_level_that_exceeds(tmp_path: Path) -> None:
    """This took minutes (a list scan per step of every walk); now each region is walked once."""
    _, problems = load(tmp_path, chain(10_000))
    assert problems == [
        "content/regions.yaml:96:1: region 'level-33' is 33 levels deep, counting from "
        "'level-1': at most 32 levels of 'parent' are allowed; give it a parent nearer the top"
    ]


def test_a_long_chain_into_a_cycle_is_one_cycle(tmp_path: Path) -> None:
    text = chain(5_000).replace(
        "level-1:\n  name: Level 1\n", "level-1:\n  name: Level 1\n  parent: level-3\n", 1
    )
    _, problems = load(tmp_path, text)
    assert problems == [
        "content/regions.yaml:1:1: regions form a parent cycle: level-1 → level-3 → level-2 → "
        "level-1"
    ]


def test_every_branch_of_a_wide_deep_tree_is_reported(tmp_path: Path) -> None:
    """Two chains below one root: each exceeds the limit at its own 33rd level, once."""
    text = chain(40) + "".join(
        f"side-{n}:\n  name: Side {n}\n  parent: {'level-1' if n == 2 else f'side-{n - 1}'}\n"
        for n in range(2, 40)
    )
    _, problems = load(tmp_path, text)
    assert [line.split(": ", 1)[1].split(" is ")[0] for line in problems] == [
        "region 'level-33'",
        "region 'side-33'",
    ]
