"""One test per finding of the Security section of shared/pelican-notes.md (reproduced in stock
Pelican 4.12): what the finding was, and what this project does instead.

| finding (stock Pelican)                                  | here                              |
| `save_as: ../output-evil/x.html` escapes the output      | key refused (content error)       |
| `url:` metadata not validated                            | key refused (content error)       |
| `template: ../..` aborts the build                       | key refused (content error)       |
| `{attach}../../secret` copies a file from outside        | link refused; never read/copied   |
| symlinks under content are followed                      | every symlink is a content error  |
| static copies use os.path.join                           | no static content is copied       |
| Jinja autoescape off: `<script>` title reaches the page  | autoescape on; escaped everywhere |
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .conftest import REPO, build, check, copy_base, snapshot, write

FRONT = "---\ntitle: Fog over the coast\ndate: 2024-01-16T08:00:00+02:00\nregions: [north]\n"
OWNED = "output paths, templates and files are set by the site, not by content"
SECRET = "TOP-SECRET-5b1e"
SCRIPT_TITLE = "<script>alert('xss')</script> Fog"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "project"
    copy_base(root)
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    return root / "content"


def _refused(project: Path, tmp_path: Path, key: str, value: str) -> str:
    write(project, "articles/fog.md", f"{FRONT}{key}: {value}\n---\n\nFog rolled in.\n")
    before = snapshot(tmp_path)
    code, err = build(project, tmp_path / "project" / "output")
    assert code == 1, err  # a content error with a position, not a crash (2)
    assert snapshot(tmp_path) == before  # nothing written anywhere
    return err


def test_finding_save_as_sibling_escape(project: Path, tmp_path: Path) -> None:
    """Stock: sanitised_join is a string-prefix test, so `save_as: ../output-evil/x.html`
    writes into the sibling folder output-evil/. Here: the key is refused."""
    err = _refused(project, tmp_path, "save_as", "../output-evil/x.html")
    assert f"content/articles/fog.md:5:1: 'save_as' cannot be set in front matter: {OWNED}" in err
    assert not (tmp_path / "project" / "output-evil").exists()


def test_finding_url_metadata_not_validated(project: Path, tmp_path: Path) -> None:
    """Stock: `url:` is used as the page's link as written. Here: the key is refused."""
    err = _refused(project, tmp_path, "url", "javascript:alert(1)")
    assert f"content/articles/fog.md:5:1: 'url' cannot be set in front matter: {OWNED}" in err


def test_finding_template_metadata(project: Path, tmp_path: Path) -> None:
    """Stock: `template: ../..` aborts the whole build with a traceback. Here: the key is
    refused with a position, like any content problem (exit 1)."""
    err = _refused(project, tmp_path, "template", "../..")
    assert f"content/articles/fog.md:5:1: 'template' cannot be set in front matter: {OWNED}" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "markdown",
    [
        "![x]({attach}../../../secret.txt)",
        "[x]({attach}../../../secret.txt)",
        "[x]({static}../../../secret.txt)",
    ],
)
def test_finding_attach_copies_from_outside(project: Path, tmp_path: Path, markdown: str) -> None:
    """Stock: `{attach}../../../secret.txt` copies a file from outside the project into the
    output. Here: such links (and images) are content errors, and nothing is copied."""
    write(project, "articles/fog.md", f"{FRONT}---\n\nFog rolled in, {markdown}.\n")
    code, err = build(project, tmp_path / "project" / "output")
    assert code == 1
    assert "content/articles/fog.md:7:" in err
    assert ("images are not supported" in err) or ("is not allowed: use https://" in err)
    assert not (tmp_path / "project" / "output").exists()


def test_finding_attach_smuggled_through_an_attribute(project: Path, tmp_path: Path) -> None:
    """Found in this review: markdown-it keeps ' unescaped in attributes, so a fence info string
    renders `class="language-x,src='{attach}…'"`, which Pelican's link scanner matched; with
    Pelican's static reader gone the build crashed (exit 2) while `check` passed, and with it
    the file would be read from anywhere. Here: Pelican is handed no HTML, so it is text."""
    write(
        project,
        "articles/fog.md",
        f"{FRONT}---\n\n```x,src='{{attach}}../../../secret.txt'\ncode\n```\n",
    )
    output = tmp_path / "project" / "output"
    code, err = build(project, output)
    assert code == 0, err
    assert not [p for p in output.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_finding_symlinks_are_followed(project: Path, tmp_path: Path, kind: str) -> None:
    """Stock: get_files(followlinks=True) reads symlinked files and folders. Here: every
    symbolic link in content/ is an error, and what it points to is never read."""
    outside = tmp_path / "outside"
    write(outside, "secret.md", f"{FRONT}---\n\n{SECRET}\n")
    link = project / "articles" / ("secret.md" if kind == "file" else "linked")
    os.symlink(outside / "secret.md" if kind == "file" else outside, link)
    code, lines = check(project)
    assert code == 1
    shown = "content/articles/secret.md" if kind == "file" else "content/articles/linked"
    assert (
        f"{shown}:1:1: symbolic links are not allowed in content/: commit the file itself" in lines
    )
    code, err = build(project, tmp_path / "project" / "output")
    assert code == 1 and SECRET not in err
    assert not (tmp_path / "project" / "output").exists()


def test_finding_static_copies(project: Path, tmp_path: Path) -> None:
    """Stock: static files are copied with os.path.join (no containment check). Here: no
    static paths at all; a non-Markdown file among articles is reported, never copied."""
    from generator.pipeline import load_settings

    settings = load_settings(REPO / "pelicanconf.py")
    assert settings["STATIC_PATHS"] == []
    write(project, "articles/photo.txt", SECRET)
    write(project, "static/secret.txt", SECRET)
    code, lines = check(project)
    assert code == 1
    assert any(line.startswith("content/articles/photo.txt:1:1: ") for line in lines), lines
    (project / "articles" / "photo.txt").unlink()
    output = tmp_path / "project" / "output"
    code, err = build(project, output)
    assert code == 0, err
    assert not [p for p in output.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]


def test_finding_autoescape_off(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stock: JINJA_ENVIRONMENT has autoescape off, so a `<script>` title reaches the page raw.
    Here: autoescape is on (both settings files) and the title is text everywhere: article
    page, region page, feeds (XML text) and data JSON (a JSON string; HTML-escaped where the
    format is HTML, TimelineJS)."""
    from generator.pipeline import load_settings

    monkeypatch.setenv("SITEURL", "https://example.github.io/timeline")
    for name in ("pelicanconf.py", "publishconf.py"):
        assert load_settings(REPO / name)["JINJA_ENVIRONMENT"]["autoescape"] is True, name
    write(
        project,
        "articles/fog.md",
        f'---\ntitle: "{SCRIPT_TITLE}"\ndate: 2024-01-16T08:00:00+02:00\nregions: [north]\n'
        "---\n\n## Developments\n\n- Fog over [Pine Town](region:pine-town).\n",
    )
    output = tmp_path / "project" / "output"
    monkeypatch.delenv("SITEURL")
    code, err = build(project, output)
    assert code == 0, err
    escaped = "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt; Fog"
    for page in ("articles/fog.html", "regions/north/index.html", "regions/pine-town/index.html"):
        html = (output / page).read_text(encoding="utf-8")
        assert "<script>alert(" not in html, page
        assert escaped in html, page
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(output / "feeds" / "all.atom.xml").getroot()
    assert SCRIPT_TITLE in [t.text for t in feed.iter(f"{atom}title")]
    assert "<script>alert(" not in (output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    site = json.loads((output / "data" / "site.json").read_text(encoding="utf-8"))
    assert SCRIPT_TITLE in [a["title"] for a in site["articles"]]
    timeline = json.loads((output / "data" / "timelinejs" / "pine-town.json").read_text())
    assert "<script>" not in json.dumps(timeline, ensure_ascii=False)
    slide = next(e for e in timeline["events"] if e["unique_id"].startswith("ev-fog-"))
    assert escaped in slide["text"]["text"]
