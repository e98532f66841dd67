"""The contributor kit: JSON Schemas that the demo content meets, `new`, and `check --format
github` (annotations on a pull request)."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from generator.cli import main
from generator.content.frontmatter import FENCE
from generator.content.markup import PLACEHOLDER
from generator.content.scaffold import ScaffoldError, new_article, slugify
from generator.content.strictyaml import load as strict_load

from .schema_lite import errors
from .support import DEMO_CONTENT, REPO

SCHEMAS = REPO / "schemas"
KYIV = ZoneInfo("Europe/Kyiv")


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8"))
    return loaded


class EditorLoader(yaml.SafeLoader):
    """YAML as an editor's schema check sees it: numbers are numbers, dates stay text."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def front_matter(file: Path) -> str:
    lines = file.read_text(encoding="utf-8").split("\n")
    assert lines[0] == FENCE
    return "\n".join(lines[1 : lines.index(FENCE, 1)])


def both_views(text: str) -> list[Any]:
    """The YAML as the build reads it (all text) and as an editor reads it (typed)."""
    return [strict_load(text), yaml.load(text, Loader=EditorLoader)]


@pytest.mark.parametrize("name", ["article", "page", "regions", "speakers"])
def test_schemas_are_well_formed(name: str) -> None:
    loaded = schema(name)
    assert loaded["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    list(errors(loaded, {}))  # every keyword is one the validator knows


def test_demo_content_meets_the_schemas() -> None:
    for file in sorted((DEMO_CONTENT / "articles").rglob("*.md")):
        for view in both_views(front_matter(file)):
            assert list(errors(schema("article"), view)) == [], file
    for file in sorted((DEMO_CONTENT / "pages").rglob("*.md")):
        for view in both_views(front_matter(file)):
            assert list(errors(schema("page"), view)) == [], file
    for name in ("regions", "speakers"):
        files = [DEMO_CONTENT / f"{name}.yaml", *sorted((DEMO_CONTENT / name).glob("*.yaml"))]
        assert len(files) > 1, f"the demo shows content/{name}/ too"
        for file in files:
            for view in both_views(file.read_text(encoding="utf-8")):
                assert list(errors(schema(name), view)) == [], file


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("article", {"title": "x"}, "missing 'date'"),
        (
            "article",
            {"title": "x", "date": "2023-02-13", "regoins": ["a"]},
            "unknown key 'regoins'",
        ),
        ("article", {"title": "x", "date": "13/02/2023"}, "does not match"),
        ("article", {"title": "x", "date": "2023-02-13", "slug": "Not_A_Slug"}, "does not match"),
        (
            "article",
            {"title": "x", "date": "2023-02-13", "sources": [{"url": "ftp://x"}]},
            "matches none",
        ),
        ("article", {"title": "x", "date": "2023-02-13", "status": "hidden"}, "is not one of"),
        ("page", {"title": "x", "date": "2023-02-13"}, "unknown key 'date'"),
        ("regions", {"Kyiv": {"name": "Kyiv"}}, "does not match"),
        ("regions", {"kyiv": {"name": "Kyiv", "lat": 95}}, "matches none"),
        ("regions", {"kyiv": {"nmae": "Kyiv"}}, "missing 'name'"),
        ("speakers", {"a-b": {"name": "A", "party": "x"}}, "unknown key 'party'"),
        ("regions", {"con": {"name": "Con"}}, "does not match"),
        ("speakers", {"lpt1": {"name": "Printer"}}, "does not match"),
        ("regions", {"kyiv": {"name": "Ky\u200biv"}}, "does not match"),
        (
            "speakers",
            {"a": {"name": "A", "aliases": ["A"]}, "b": {"name": "\u202eB"}},
            "does not match",
        ),
        ("article", {"title": "Fog\u200e", "date": "2023-02-13"}, "does not match"),
        ("article", {"title": "x", "date": "2023-02-13", "slug": "aux"}, "does not match"),
        (
            "article",
            {
                "title": "x",
                "date": "2023-02-13",
                "sources": [{"title": "\ufeffBBC", "url": "https://bbc.example/"}],
            },
            "matches none",
        ),
        ("page", {"title": "About\u2060"}, "does not match"),
    ],
)
def test_schemas_reject_mistakes(name: str, value: Any, expected: str) -> None:
    found = list(errors(schema(name), value))
    assert any(expected in line for line in found), found


def test_new_article_passes_check_once_its_placeholder_is_replaced(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(DEMO_CONTENT, content)
    moment = datetime(2024, 3, 30, 22, 30, 45, tzinfo=UTC)  # 00:30 next day in Kyiv
    title = 'Kyïv: "Shelling" near Bakhmut — 2nd update'
    created = new_article(content, title, KYIV, now=moment)
    assert (
        created
        == content / "articles" / "2024" / "03" / "31" / "kyiv-shelling-near-bakhmut-2nd-update.md"
    )
    meta = strict_load(front_matter(created))
    assert meta["title"] == title and meta["date"] == "2024-03-31T00:30:00+02:00"
    assert list(errors(schema("article"), meta)) == []
    code, lines = _check(content)
    assert code == 1 and lines == [
        "content/articles/2024/03/31/kyiv-shelling-near-bakhmut-2nd-update.md:8:1: replace the "
        "placeholder text written by `make new` with the update: what happened, where, who "
        "said what",
        "1 content error; nothing was published",
    ]
    created.write_text(created.read_text("utf-8").replace(PLACEHOLDER, "Shelling went on."))
    code, lines = _check(content)
    assert code == 0, lines
    with pytest.raises(ScaffoldError, match="already exists"):
        new_article(content, title, KYIV, now=moment)
    with pytest.raises(ScaffoldError, match="already uses the slug"):
        new_article(content, title, KYIV, now=datetime(2024, 4, 2, tzinfo=UTC))
    with pytest.raises(ScaffoldError, match="letter or digit"):
        new_article(content, " ?! ", KYIV)


def test_new_command(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(DEMO_CONTENT, content)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert (
            main(
                [
                    "new",
                    "--settings",
                    str(REPO / "pelicanconf.py"),
                    "--content",
                    str(content),
                    "Grain corridor reopens",
                ]
            )
            == 0
        )
    assert "created " in out.getvalue() and "make check" in out.getvalue()
    assert len(list(content.rglob("grain-corridor-reopens.md"))) == 1
    with contextlib.redirect_stderr(io.StringIO()):
        assert (
            main(
                [
                    "new",
                    "--settings",
                    str(REPO / "pelicanconf.py"),
                    "--content",
                    str(content),
                    "Grain corridor reopens",
                ]
            )
            == 1
        )


def test_slugs() -> None:
    assert slugify("Zelenskyy’s visit: Київ, 24/7") == "zelenskyy-s-visit-kiyiv-24-7"
    assert len(slugify("word " * 40)) <= 60


def _check(content: Path, *extra: str) -> tuple[int, list[str]]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(
            ["check", "--settings", str(REPO / "pelicanconf.py"), "--content", str(content), *extra]
        )
    return code, out.getvalue().splitlines() + err.getvalue().splitlines()


def test_check_reports_github_annotations(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(DEMO_CONTENT, content)
    article = content / "articles" / "2023" / "02" / "13" / "bakhmut-battle.md"
    article.write_text(
        article.read_text("utf-8").replace("regions: [bakhmut]", "regions: [bakhmutt]"), "utf-8"
    )
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(
            [
                "check",
                "--settings",
                str(REPO / "pelicanconf.py"),
                "--content",
                str(content),
                "--format",
                "github",
            ]
        )
    assert code == 1
    annotations = [line for line in out.getvalue().splitlines() if line.startswith("::error ")]
    assert annotations, out.getvalue()
    first = annotations[0]
    assert first.startswith("::error file=") and ",line=" in first and ",col=" in first
    path = first.removeprefix("::error file=").split(",line=")[0]
    assert path.endswith("articles/2023/02/13/bakhmut-battle.md")
    assert "unknown region 'bakhmutt'" in first.split("::", 2)[2]


def test_annotation_escaping() -> None:
    from generator.cli.common import github_annotations
    from generator.diagnostics import ContentError, Diagnostic

    error = ContentError([Diagnostic("a,b:c.md", 3, 4, "100% wrong\nsecond line")])
    assert github_annotations(error) == [
        "::error file=a%2Cb%3Ac.md,line=3,col=4::100%25 wrong%0Asecond line"
    ]


def test_contributor_documents_exist() -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for needle in ("make new", "make check", "schemas/", "## Developments", "speaker:"):
        assert needle in guide
    assert (REPO / ".github" / "pull_request_template.md").is_file()


def test_documents_describe_the_locked_dependencies() -> None:
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for needle in (
        "requirements/runtime.in",
        "requirements/dev.in",
        "make lock",
        "pelican-markdown-it-reader",
        "# vX.Y.Z",
    ):
        assert needle in guide, needle
    for needle in (
        "requirements/runtime.txt",
        "requirements/dev.txt",
        "--require-hashes",
        "| `make lock` |",
    ):
        assert needle in readme, needle
    # the single requirements.txt is gone: nothing may point at it any more
    assert not (REPO / "requirements.txt").exists()
    for path in (
        REPO / "README.md",
        REPO / "CONTRIBUTING.md",
        REPO / "Makefile",
        *sorted((REPO / ".github").rglob("*.y*ml")),
    ):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?<![/\w])requirements\.txt", text), path


def test_readme_documents_every_make_target() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z]+):[^=\n]*##", makefile, re.MULTILINE)
    assert {"html", "test", "lock", "check", "links", "serve", "fuzz", "bench"} <= set(targets)
    for target in targets:
        assert f"make {target}" in readme, target
