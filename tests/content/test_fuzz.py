"""Property tests: whatever a contributor writes, a build ends in a Site or in ContentError,
and every diagnostic names a file and a position (line ≥ 1, column ≥ 1) inside it.

Bounded by the Hypothesis profile loaded in tests/conftest.py ("ci": 150 derandomized
examples; HYPOTHESIS_PROFILE=fuzz for 5000 random ones).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.diagnostics import ContentError

from ..support import REPO, read_site

DEMO = REPO / "content"
DEMO_ARTICLES = sorted((DEMO / "articles").rglob("*.md"))
KNOWN_REGIONS = ["bakhmut", "donetsk", "kreminna", "kherson", "ukraine", "kyiv-city"]
KNOWN_SPEAKERS = ["jens-stoltenberg", "pavlo-kyrylenko", "volodymyr-zelenskyy"]
UNKNOWN_IDS = ["bahkmut", "atlantis", "Kyiv", "", "a--b", "donetsk region", "%41", "../x"]


SMALL_REGISTRIES = {
    "regions.yaml": "ukraine:\n  name: Ukraine\n"
    "donetsk:\n  name: Donetsk Oblast\n  parent: ukraine\n"
    "bakhmut:\n  name: Bakhmut\n  parent: donetsk\nkreminna:\n  name: Kreminna\n"
    "kherson:\n  name: Kherson Oblast\n  parent: ukraine\n"
    "kyiv-city:\n  name: Kyiv\n  parent: ukraine\n",
    "speakers.yaml": "".join(
        f"{s}:\n  name: {s.replace('-', ' ').title()}\n" for s in KNOWN_SPEAKERS
    ),
}


def _scratch(registries: dict[str, str]) -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    content = root / "content"
    (content / "articles").mkdir(parents=True)
    for name, text in registries.items():
        (content / name).parent.mkdir(exist_ok=True)
        (content / name).write_text(text, encoding="utf-8")
    yield content
    shutil.rmtree(root)


@pytest.fixture(scope="module")
def project() -> Iterator[Path]:
    """A scratch project with a small registry; each example writes one article into it."""
    yield from _scratch(SMALL_REGISTRIES)


@pytest.fixture(scope="module")
def demo_project() -> Iterator[Path]:
    """The same with the demo site's registries (files and folders), which the demo articles
    refer to."""
    files = [
        DEMO / "regions.yaml",
        DEMO / "speakers.yaml",
        *sorted(DEMO.glob("regions/*.yaml")),
        *sorted(DEMO.glob("speakers/*.yaml")),
    ]
    yield from _scratch(
        {file.relative_to(DEMO).as_posix(): file.read_text(encoding="utf-8") for file in files}
    )


def build(content: Path, text: str, name: str = "articles/fuzz.md") -> None:
    """Read `text` as the only article; any exception but ContentError fails the test."""
    for old in (content / "articles").iterdir():
        old.unlink()
    (content / name).write_text(text, encoding="utf-8")
    try:
        read_site(content)
    except ContentError as error:
        assert error.diagnostics, "ContentError without diagnostics"
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for diagnostic in error.diagnostics:
            assert isinstance(diagnostic.path, str) and diagnostic.path.startswith("content/")
            assert diagnostic.line >= 1 and diagnostic.col >= 1, diagnostic
            assert diagnostic.message.strip(), diagnostic
            if diagnostic.path == f"content/{name}":  # a position inside the file
                assert diagnostic.line <= len(lines) + 1, (diagnostic, len(lines))


# --- 1. arbitrary front matter -------------------------------------------------------------------

KEYS = [
    "title",
    "date",
    "updated",
    "summary",
    "regions",
    "speakers",
    "tags",
    "sources",
    "slug",
    "authors",
    "status",
    "regoins",
    "save_as",
    "template",
    "url",
    "x",
    "",
    "? a",
    "- a",
]
SCALARS = st.one_of(
    st.sampled_from(
        [
            "2023-02-13T19:30:00+02:00",
            "2023-02-13",
            "2023-02-30",
            "13/02/2023",
            "2023-02-13T25:00:00+02:00",
            "draft",
            "published",
            "bogus",
            "~",
            "no",
            "9999-12-31T23:59:59-05:00",
            "0001-01-01T00:00:00+05:00",
            "0001-01-01",
            "1e999",
            "'quoted'",
            '"dq\\u2028"',
            "[bakhmut, atlantis]",
            "{a: b}",
            "!!python/object/apply:os.system ['true']",
            "&a x",
            "*a",
            "|",
            ">",
            "-",
            "https://example.org/",
            "javascript:alert(1)",
            "[",
            "{",
            "'",
            '"',
            "#",
        ]
    ),
    st.text(max_size=20),
)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(st.text(max_size=200))
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        key = draw(st.sampled_from(KEYS))
        indent = " " * draw(st.sampled_from([0, 0, 0, 2, 4]))
        if draw(st.integers(0, 4)) == 0:
            items = draw(st.lists(SCALARS, max_size=3))
            lines.append(f"{indent}{key}:" + "".join(f"\n{indent}  - {item}" for item in items))
        else:
            lines.append(f"{indent}{key}: {draw(SCALARS)}")
    return "\n".join(lines)


@given(
    front=front_matter(),
    fence=st.sampled_from(["---", "...", "", "--- "]),
    body=st.sampled_from(["Body.\n", "", "## Developments\n\n- [x](region:bakhmut) y\n"]),
)
def test_arbitrary_front_matter(project: Path, front: str, fence: str, body: str) -> None:
    build(project, f"---\n{front}\n{fence}\n\n{body}")


@given(text=st.text(max_size=300))
def test_arbitrary_file(project: Path, text: str) -> None:
    build(project, text)


# --- 2. Markdown bodies from a grammar ----------------------------------------------------------

WORDS = st.sampled_from(
    [
        "Shelling",
        "near",
        "the",
        "city",
        "—",
        "--",
        "–",
        ",",
        ":",
        "said",
        "<script>x</script>",
        "<b>",
        "&amp;",
        "`code`",
        "*em*",
        "**",
        "_",
        "\\",
        "![img](https://example.org/a.png)",
        "[](https://example.org)",
        "[x](javascript:alert(1))",
        "[x]({attach}a.png)",
        "<https://e.org>",
        "\ue000",
        "|",
        "~~",
        "[x][r]",
    ]
)


@st.composite
def stamp(draw: st.DrawFn) -> str:
    hour, minute = draw(st.integers(0, 99)), draw(st.integers(0, 99))
    day = draw(
        st.one_of(
            st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
            st.sampled_from([date.min, date.max]),
        )
    )
    return draw(
        st.sampled_from(
            [
                f"**{hour:02d}:{minute:02d}**",
                f"**{hour}:{minute}**",
                f"**{day.isoformat()}**",
                f"**{day.isoformat()} {hour:02d}:{minute:02d}**",
                "**2023-02-30**",
                "**2023-13-01**",
                "**12:00:00**",
                "**1-2**",
                "** 08:15 **",
                "**08:15",
                "**Breaking**",
            ]
        )
    )


@st.composite
def reference(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["region", "speaker"]))
    known = KNOWN_REGIONS if kind == "region" else KNOWN_SPEAKERS
    ref = draw(st.sampled_from(known + UNKNOWN_IDS))
    text = draw(st.sampled_from(["", "Name", "*Name*", "[nested]"]))
    return f"[{text}]({kind}:{ref})"


INLINE_PART = st.one_of(WORDS, reference(), stamp())


@st.composite
def inline(draw: st.DrawFn) -> str:
    parts = draw(st.lists(INLINE_PART, min_size=0, max_size=6))
    if draw(st.booleans()):
        parts.insert(0, draw(stamp()))
    return " ".join(parts)


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(["heading", "list", "quote", "paragraph", "html", "code", "refdef"])
    )
    if kind == "heading":
        level = "#" * draw(st.integers(1, 7))
        title = draw(
            st.sampled_from(
                ["Developments", "developments", "DEVELOPMENTS:", "Closures", "*Developments*", ""]
            )
        )
        return f"{level} {title}"
    if kind == "list":
        marker = draw(st.sampled_from(["-", "*", "+", "1.", "2)"]))
        items = []
        for _ in range(draw(st.integers(1, 4))):
            item = f"{marker} {draw(inline())}"
            for _ in range(draw(st.integers(0, 2))):
                item += f"\n{' ' * draw(st.sampled_from([2, 3, 4, 1]))}- {draw(inline())}"
            items.append(item)
        return "\n".join(items)
    if kind == "quote":
        paragraphs = [f"> {draw(inline())}" for _ in range(draw(st.integers(0, 3)))]
        dash = draw(st.sampled_from(["—", "--", "–", "-", ""]))
        context = draw(st.sampled_from(["", ", in Brussels", " , at *home*", ",", " and more"]))
        paragraphs.append(f"> {dash} {draw(reference())}{context}")
        return "\n>\n".join(paragraphs) + draw(st.sampled_from(["", "\n>\n> - list after"]))
    if kind == "html":
        return draw(
            st.sampled_from(
                [
                    "<div>raw</div>",
                    "<!-- c -->",
                    "<script>alert(1)</script>",
                    "<img src=x onerror=alert(1)>",
                ]
            )
        )
    if kind == "code":
        return "```\n" + draw(inline()) + "\n```"
    if kind == "refdef":
        return draw(
            st.sampled_from(
                ["[r]: javascript:alert(1)", "[r]: region:bakhmut", "[r]: https://example.org"]
            )
        )
    return draw(inline())


HEADERS = st.sampled_from(
    [
        "title: T\ndate: 2023-02-13T19:30:00+02:00\nregions: [donetsk]",
        "title: T\ndate: 2023-02-13",
        "title: T\ndate: 2023-02-13T19:30:00-05:00\nregions: [bakhmut, atlantis]",
        "title: T\ndate: 2023-03-26\nregions: [kyiv-city]",
        "title: T\ndate: 0001-01-01T00:30:00+05:00\nregions: [ukraine]",
        "title: T\ndate: 9999-12-31\nregions: [ukraine]",
    ]
)


@given(
    header=HEADERS, blocks=st.lists(block(), max_size=8), separator=st.sampled_from(["\n\n", "\n"])
)
def test_markdown_bodies(project: Path, header: str, blocks: list[str], separator: str) -> None:
    build(project, f"---\n{header}\n---\n\n" + separator.join(blocks) + "\n")


# --- 3. mutations of the demo articles ----------------------------------------------------------

NOISE = st.text(
    alphabet=st.sampled_from([*"-\n*[]():>#`!&{}\"' \t\\|_~—", "\u00e9", "\ue000"]),
    min_size=1,
    max_size=6,
)


@st.composite
def mutated_article(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(DEMO_ARTICLES)).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(text)))
        operation = draw(st.sampled_from(["delete", "duplicate", "insert"]))
        length = draw(st.integers(1, 40))
        if operation == "delete":
            text = text[:at] + text[at + length :]
        elif operation == "duplicate":
            text = text[: at + length] + text[at : at + length] + text[at + length :]
        else:
            text = text[:at] + draw(NOISE) + text[at:]
    return text


@given(text=mutated_article())
def test_mutated_demo_articles(demo_project: Path, text: str) -> None:
    build(demo_project, text, name="articles/mutated.md")


def test_demo_articles_are_valid_alone(demo_project: Path) -> None:
    """The mutation seeds are valid, so the mutations (not the seeds) are what is tested."""
    assert len(DEMO_ARTICLES) >= 3
    for article in DEMO_ARTICLES:
        for old in (demo_project / "articles").iterdir():
            old.unlink()
        text = article.read_text(encoding="utf-8")
        (demo_project / "articles" / "mutated.md").write_text(text, encoding="utf-8")
        site = read_site(demo_project)
        assert site.articles or "status: draft" in text, article
