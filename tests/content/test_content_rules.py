"""Rules of issue #12 that the broken-input corpus cannot hold: names no checkout may carry
(made here, never committed), invisible characters in every kind of name, warnings, bracket
floods, the file `make new` writes, and two branches that each add a region file."""

from __future__ import annotations

import contextlib
import io
import subprocess
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator.cli import main
from generator.content.fields import INVISIBLE, invisible_message, is_reserved_name
from generator.content.markup import MAX_OPEN_BRACKETS, PLACEHOLDER
from generator.content.scaffold import NEXT_STEPS, ScaffoldError, new_article
from generator.diagnostics import ContentError, printable

from ..support import REPO, base_project, build_site, read_site, write

FRONT = "---\ntitle: Fog over the coast\ndate: 2024-01-16T08:00:00+02:00\nregions: [north]\n---\n\n"
# Every character the rule names: bidi controls, then zero-width characters.
HIDDEN = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
]


def problems(content: Path) -> list[str]:
    """Every error of a check of `content` (none: [])."""
    try:
        read_site(content)
    except ContentError as error:
        return [str(d) for d in error.diagnostics]
    return []


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def check(content: Path, *extra: str) -> tuple[int, str, str]:
    return cli(
        "check", "--settings", str(REPO / "pelicanconf.py"), "--content", str(content), *extra
    )


# --- invisible characters ---------------------------------------------------------------------


def test_the_rule_covers_every_listed_character() -> None:
    assert sorted(HIDDEN) == sorted(chr(c) for c in range(0x10000) if INVISIBLE.match(chr(c)))
    for char in HIDDEN:
        message = invisible_message("'name'", f"Ky{char}iv")
        assert message is not None and f"U+{ord(char):04X}" in message
        assert "at character 3" in message
        assert char not in printable(f"Ky{char}iv")  # shown as an escape in every message


# (file, text with {c} where the character goes, line, column of the message)
KINDS = {
    "region name": ("regions.yaml", 'north:\n  name: "North{c}ern"\n', 2, 9),
    "region alias": ("regions.yaml", 'north:\n  name: North\n  aliases: ["N{c}"]\n', 3, 13),
    "region id": ("regions.yaml", 'north:\n  name: North\n"gull{c}rock":\n  name: Gull\n', 3, 1),
    "speaker name": ("speakers/mara.yaml", 'mara-olsen:\n  name: "Mara{c} Olsen"\n', 2, 9),
    "speaker id": ("speakers/mara.yaml", '"mara{c}":\n  name: Mara\n', 1, 1),
    "article title": ("articles/fog.md", FRONT.replace("the coast", "the{c} coast"), 2, 8),
    "page title": ("pages/about.md", '---\ntitle: "About{c}"\n---\n\nAbout.\n', 2, 8),
    "source title": (
        "articles/fog.md",
        FRONT.replace(
            "---\n\n", 'sources:\n  - title: "Coast{c} guard"\n    url: https://a.example/\n---\n\n'
        )
        + "Fog.\n",
        6,
        12,
    ),
}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize(
    "char", ["\u202e", "\u2066", "\u200f", "\u061c", "\u200b", "\u200d", "\u2060", "\ufeff"]
)
def test_invisible_characters_are_refused_in_every_name(
    tmp_path: Path, kind: str, char: str
) -> None:
    file, text, line, col = KINDS[kind]
    content = base_project(tmp_path)
    if file == "regions.yaml":  # the base article's regions stay known
        text += "pine-town:\n  name: Pine Town\nharbor-point:\n  name: Harbor Point\n"
    elif file.startswith("speakers/"):
        (content / "speakers.yaml").unlink()
        text += "" if "mara-olsen:" in text else "mara-olsen:\n  name: Mara Olsen\n"
    write(content, file, text.replace("{c}", char))
    found = problems(content)
    assert len(found) == 1, found
    name = unicodedata.name(char).lower()
    assert found[0].startswith(f"content/{file}:{line}:{col}: "), found
    assert f"contains the invisible character U+{ord(char):04X} ({name})" in found[0]
    assert found[0].endswith(": delete it (retype the text if unsure)")


def test_visible_names_in_any_script_pass(tmp_path: Path) -> None:
    content = base_project(tmp_path)
    write(content, "regions/more.yaml", "kyiv:\n  name: Київ\n  aliases: [Kyïv, كييف, 基辅]\n")
    write(
        content,
        "articles/fog.md",
        FRONT.replace("Fog over the coast", "Туман над Києвом") + "Fog.\n",
    )
    assert problems(content) == []


# --- names Windows reserves, and names that differ only in case -------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "con",
        "CON",
        "prn",
        "aux",
        "nul",
        "com1",
        "com9",
        "lpt1",
        "LPT9",
        "con.md",
        "nul.tar.gz",
        "aux.foo.yaml",
    ],
)
def test_reserved_names(name: str) -> None:
    assert is_reserved_name(name)


@pytest.mark.parametrize(
    "name",
    ["con-1", "console", "com10", "com0", "lpt", "nul-and-void", "icon", "a.con", "conference.md"],
)
def test_names_that_are_not_reserved(name: str) -> None:
    assert not is_reserved_name(name)


def test_files_and_folders_windows_cannot_hold_are_refused(tmp_path: Path) -> None:
    content = base_project(tmp_path)
    body = FRONT + "Fog.\n"
    write(content, "articles/con.md", body)
    write(content, "articles/aux/fog-again.md", body.replace("title:", "slug: fog-again\ntitle:"))
    write(content, "articles/nul.draft.md", body.replace("title:", "slug: nul-draft\ntitle:"))
    write(content, "pages/PRN.md", "---\ntitle: Printing\nslug: printing\n---\n\nx\n")
    write(content, "regions/lpt1.yaml", "gull-rock:\n  name: Gull Rock\n")
    write(content, "speakers/com9.yaml", "hugo:\n  name: Hugo\n")
    assert problems(content) == [
        "content/articles/aux:1:1: 'aux': 'aux' is a device name that Windows reserves, so this "
        "folder cannot be checked out there: rename it (e.g. 'aux-1')",
        "content/articles/con.md:1:1: 'con.md': 'con' is a device name that Windows reserves, so "
        "this file cannot be checked out there: rename it (e.g. 'con-1.md')",
        "content/articles/nul.draft.md:1:1: 'nul.draft.md': 'nul' is a device name that Windows "
        "reserves, so this file cannot be checked out there: rename it (e.g. 'nul-1.draft.md')",
        "content/pages/PRN.md:1:1: 'PRN.md': 'PRN' is a device name that Windows reserves, so "
        "this file cannot be checked out there: rename it (e.g. 'PRN-1.md')",
        "content/regions/lpt1.yaml:1:1: 'lpt1.yaml': 'lpt1' is a device name that Windows "
        "reserves, so this file cannot be checked out there: rename it (e.g. 'lpt1-1.yaml')",
        "content/speakers/com9.yaml:1:1: 'com9.yaml': 'com9' is a device name that Windows "
        "reserves, so this file cannot be checked out there: rename it (e.g. 'com9-1.yaml')",
    ]


def test_new_refuses_a_title_that_names_a_reserved_file(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError, match=r"'aux\.md', a name Windows reserves"):
        new_article(base_project(tmp_path), "Aux", ZoneInfo("Europe/Kyiv"))


def test_paths_that_differ_only_in_case_or_normalisation(tmp_path: Path) -> None:
    """Slugs are lowercase ASCII, so two slugs never differ only in case; the files that give
    them can, and Windows and macOS keep one of the two."""
    content = base_project(tmp_path)
    write(
        content,
        "articles/2024/01/Fog.md",
        FRONT.replace("title:", "slug: fog-a\ntitle:") + "Fog.\n",
    )
    write(content, "articles/2024/01/fog.md", FRONT + "Fog.\n")
    nfc, nfd = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
    write(content, f"articles/{nfc}.md", FRONT.replace("title:", "slug: cafe-a\ntitle:") + "x\n")
    write(content, f"articles/{nfd}.md", FRONT.replace("title:", "slug: cafe-b\ntitle:") + "x\n")
    write(content, "regions/Gull.yaml", "gull:\n  name: Gull\n")
    write(content, "regions/gull.yaml", "gull-rock:\n  name: Gull Rock\n")
    assert problems(content) == [  # each reported once, at the second of the two by name
        "content/articles/2024/01/fog.md:1:1: this path differs from "
        "content/articles/2024/01/Fog.md only in case or Unicode normalisation: Windows and "
        "macOS would see one file; rename one of them",
        f"content/articles/{nfc}.md:1:1: this path differs from content/articles/{nfd}.md "
        "only in case or Unicode normalisation: Windows and macOS would see one file; rename "
        "one of them",
        "content/regions/gull.yaml:1:1: this path differs from content/regions/Gull.yaml only "
        "in case or Unicode normalisation: Windows and macOS would see one file; rename one of "
        "them",
    ]


# --- http:// warns ----------------------------------------------------------------------------


def http_project(tmp_path: Path) -> Path:
    content = base_project(tmp_path / "project")
    write(
        content,
        "articles/fog.md",
        FRONT.replace("---\n\n", "sources:\n  - url: http://coast.example.org/fog\n---\n\n")
        + "See [the chart](http://coast.example.org/chart) and [more](https://a.example/).\n",
    )
    return content


WARNINGS = [
    "content/articles/fog.md:6:10: warning: source url 'http://coast.example.org/fog' is not "
    "encrypted: use https:// if the site offers it",
    "content/articles/fog.md:9:17: warning: link 'http://coast.example.org/chart' is not "
    "encrypted: use https:// if the site offers it",
]


def test_http_links_warn_and_check_passes(tmp_path: Path) -> None:
    code, out, err = check(http_project(tmp_path))
    assert code == 0, err
    assert err.splitlines() == WARNINGS
    assert out.startswith("ok: 2 articles") and out.rstrip().endswith("(2 warnings)")


def test_http_warnings_as_annotations(tmp_path: Path) -> None:
    code, out, _ = check(http_project(tmp_path), "--format", "github")
    assert code == 0
    assert [line for line in out.splitlines() if line.startswith("::")] == [
        "::warning file=content/articles/fog.md,line=6,col=10::source url "
        "'http://coast.example.org/fog' is not encrypted: use https:// if the site offers it",
        "::warning file=content/articles/fog.md,line=9,col=17::link "
        "'http://coast.example.org/chart' is not encrypted: use https:// if the site offers it",
    ]


def test_warnings_are_shown_with_errors(tmp_path: Path) -> None:
    content = http_project(tmp_path)
    write(content, "articles/bad.md", "---\ntitle: Bad\n---\n\nx\n")
    code, _, err = check(content)
    assert code == 1
    assert err.splitlines() == [
        "content/articles/bad.md:2:1: front matter is missing 'date': add a line 'date: …'",
        *WARNINGS,
        "1 content error; nothing was published",
    ]


def test_build_prints_warnings_every_time_and_succeeds(tmp_path: Path) -> None:
    """The second build reads the article from the content cache: its warnings come with it."""
    content = http_project(tmp_path)
    for _ in range(2):
        code, out, err = cli(
            "build",
            "--settings",
            str(REPO / "pelicanconf.py"),
            "--content",
            str(content),
            "--output",
            str(tmp_path / "output"),
            "--no-download-zip",
        )
        assert code == 0, err
        assert [line for line in err.splitlines() if "warning:" in line] == WARNINGS
        assert "(2 warnings)" in out
    html = (tmp_path / "output" / "articles" / "fog.html").read_text(encoding="utf-8")
    assert 'href="http://coast.example.org/chart"' in html


# --- brackets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "line", "col"),
    [
        ("[" * 1_000_000, 7, MAX_OPEN_BRACKETS + 1),
        ("![" * 100_000, 7, 2 * MAX_OPEN_BRACKETS + 2),
        ("a [b\n" * 20, 7 + MAX_OPEN_BRACKETS, 3),  # one paragraph, however many lines
    ],
)
def test_a_flood_of_brackets_is_an_error_not_a_slow_parse(
    tmp_path: Path, body: str, line: int, col: int
) -> None:
    content = base_project(tmp_path)
    write(content, "articles/fog.md", FRONT + body + "\n")
    assert problems(content) == [
        f"content/articles/fog.md:{line}:{col}: more than {MAX_OPEN_BRACKETS} '[' are open at "
        "once here: close each with ']', or write a bracket that is only text as '\\['"
    ]


@pytest.mark.parametrize(
    "body",
    [
        "[" * MAX_OPEN_BRACKETS + "x" + "](https://a.example/)" * MAX_OPEN_BRACKETS,
        "[a] " * 10_000,
        "\\[" * 10_000,
        ("[" * MAX_OPEN_BRACKETS + "\n\n") * 50,  # a blank line ends a paragraph and its brackets
        "[[[a]]] [[[b]]] " * 1_000,
    ],
)
def test_brackets_within_the_limit_pass(tmp_path: Path, body: str) -> None:
    content = base_project(tmp_path)
    write(content, "articles/fog.md", FRONT + body + "\n")
    assert problems(content) == []


# --- make new ---------------------------------------------------------------------------------


def test_an_unedited_new_article_fails_check_at_its_placeholder(tmp_path: Path) -> None:
    content = base_project(tmp_path)
    moment = datetime(2024, 1, 16, 6, 0, tzinfo=UTC)
    created = new_article(content, "Fog over the coast", ZoneInfo("Europe/Kyiv"), now=moment)
    lines = created.read_text(encoding="utf-8").split("\n")
    line = lines.index(PLACEHOLDER) + 1
    assert problems(content) == [
        f"content/articles/2024/01/16/fog-over-the-coast.md:{line}:1: replace the placeholder "
        "text written by `make new` with the update: what happened, where, who said what"
    ]
    created.write_text(
        "\n".join(lines).replace(PLACEHOLDER, "Fog closed the harbor."), encoding="utf-8"
    )
    assert problems(content) == []


def test_new_says_where_new_places_and_people_go() -> None:
    assert "content/regions/<id>.yaml" in NEXT_STEPS
    assert "content/regions/ and content/speakers/" in NEXT_STEPS


# --- two branches, two new regions ------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_two_branches_adding_a_region_each_merge_without_conflict(tmp_path: Path) -> None:
    """With one file per place, two pull requests that each add a place touch different files:
    git merges them on its own, and the merged content passes check."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    content = base_project(repo)
    write(content, "regions/gull-rock.yaml", "gull-rock:\n  name: Gull Rock\n  parent: north\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    additions = {"stone-isle": "Stone Isle", "fog-bay": "Fog Bay"}
    for region, name in additions.items():
        git(repo, "checkout", "-q", "-b", f"add-{region}", "main")
        write(content, f"regions/{region}.yaml", f"{region}:\n  name: {name}\n  parent: north\n")
        write(
            content,
            f"articles/2024/01/{region}.md",
            FRONT.replace("Fog over the coast", f"News from {name}")
            + f"- [{name}](region:{region})\n",
        )
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"add {region}")
    git(repo, "checkout", "-q", "main")
    for region in additions:
        git(repo, "merge", "-q", "--no-edit", f"add-{region}")
    assert git(repo, "status", "--porcelain") == ""
    assert sorted(p.name for p in (content / "regions").iterdir()) == [
        "fog-bay.yaml",
        "gull-rock.yaml",
        "stone-isle.yaml",
    ]
    code, out, err = check(content)
    assert code == 0, err
    assert "6 regions" in out
    site = read_site(content)
    assert {"stone-isle", "fog-bay", "gull-rock"} <= set(site.regions)
    output = tmp_path / "output"
    assert build_site(content, output, "--no-download-zip") == 0  # and the merge builds
    for region in (*additions, "gull-rock"):
        assert (output / "regions" / region / "index.html").is_file()
