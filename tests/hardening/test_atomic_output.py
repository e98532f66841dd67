"""Atomic output: whatever makes a build fail (content, a template, a crash part-way), the
previous output/ stays byte-for-byte as it was and no staging folder is left behind.

The output is staged beside the target (generator/output.py) and starts as hard links of the
previous output, so these tests also catch a writer that writes *through* a link into the
previous build's files: each failing build first changes content that every page family shows.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .conftest import REPO, build, copy_base, settings_file, snapshot, write

NEW_TITLE = "A changed title that must not reach the old output"


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, dict[str, str]]:
    """A project built once: (content, output, snapshot of output with inode numbers)."""
    monkeypatch.setenv("TIMELINE_CACHE_DIR", "")
    content = copy_base(tmp_path / "project")
    output = tmp_path / "project" / "output"
    code, err = build(content, output)
    assert code == 0, err
    return content, output, _state(output)


def _state(output: Path) -> dict[str, str]:
    """Content hashes, plus each file's inode and mtime: untouched means untouched."""
    state = snapshot(output)
    for name in list(state):
        stat = (output / name).lstat()
        state[name] += f" ino={stat.st_ino} mtime={stat.st_mtime_ns}"
    return state


def _leftovers(output: Path) -> list[str]:
    return sorted(
        p.name
        for p in output.parent.iterdir()
        if p.name.startswith(f".{output.name}.") or "staging" in p.name
    )


def _change_everything(content: Path) -> None:
    """A new title and summary for the one article (shown on article, region, speaker, day,
    home pages, feeds, data and search), a new region name, and a new article."""
    article = content / "articles" / "2024" / "01" / "harbor-ice.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(
        text.replace("title: Ice closes the harbor", f"title: {NEW_TITLE}"), encoding="utf-8"
    )
    regions = content / "regions.yaml"
    regions.write_text(
        regions.read_text(encoding="utf-8").replace("Pine Town", "Pine Ville"), encoding="utf-8"
    )
    write(
        content,
        "articles/extra.md",
        "---\ntitle: Extra\ndate: 2024-01-17T08:00:00+02:00\nregions: [north]\n---\n\nExtra.\n",
    )


def _broken_theme(tmp_path: Path, template: str, old: str, new: str) -> Path:
    theme = tmp_path / "theme-broken"
    shutil.copytree(REPO / "theme", theme)
    file = theme / "templates" / template
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{template} no longer contains {old!r}: update this test"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return settings_file(tmp_path / "settings", f"THEME = {str(theme)!r}")


def test_content_error_keeps_the_previous_output(built: tuple[Path, Path, dict[str, str]]) -> None:
    content, output, before = built
    _change_everything(content)
    write(content, "articles/broken.md", "---\ntitle: Broken\n---\n\nNo date.\n")
    code, err = build(content, output)
    assert code == 1
    assert "content/articles/broken.md:" in err and "front matter is missing 'date'" in err
    assert err.rstrip().endswith("nothing was published")
    assert _state(output) == before
    assert _leftovers(output) == []


@pytest.mark.parametrize(
    ("template", "old", "new"),
    [
        ("article.html", "{% block content %}", "{% block content %}{% if %}"),  # syntax error
        ("region.html", "{% block content %}", "{% block content %}{{ 1 // 0 }}"),  # runtime error
        ("atom.xml", "<title>{{ feed_title }}</title>", "<title>{{ feed_title.nope() }}</title>"),
        ("index.html", "{% block content %}", "{% block content %}{% include 'missing.html' %}"),
        ("search.html", "{% block content %}", "{% block content %}{{ none_such.attr }}"),
    ],
)
def test_template_error_keeps_the_previous_output(
    built: tuple[Path, Path, dict[str, str]], tmp_path: Path, template: str, old: str, new: str
) -> None:
    content, output, before = built
    _change_everything(content)
    settings = _broken_theme(tmp_path, template, old, new)
    code, err = build(content, output, settings)
    assert code == 2, err
    assert err.startswith(("build failed:", str(settings))), err
    assert _state(output) == before
    assert _leftovers(output) == []


def test_crash_part_way_keeps_the_previous_output(
    built: tuple[Path, Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash after every page, feed and data file was written (in the last generator)."""
    from generator.pages import offline

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated crash after the pages were written")

    content, output, before = built
    _change_everything(content)
    monkeypatch.setattr(offline.OfflineFiles, "_write_downloads", crash)
    code, err = build(content, output)
    assert code == 2
    assert "simulated crash" in err
    assert _state(output) == before
    assert _leftovers(output) == []


def test_interrupt_keeps_the_previous_output(
    built: tuple[Path, Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.pages import data

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    content, output, before = built
    _change_everything(content)
    monkeypatch.setattr(data.DataFiles, "outputs", interrupt)
    with pytest.raises(KeyboardInterrupt):
        build(content, output)
    assert _state(output) == before
    assert _leftovers(output) == []


def test_a_good_build_after_failures_replaces_the_output(
    built: tuple[Path, Path, dict[str, str]],
) -> None:
    content, output, before = built
    _change_everything(content)
    code, err = build(content, output)
    assert code == 0, err
    assert NEW_TITLE in (output / "articles" / "harbor-ice.html").read_text(encoding="utf-8")
    assert _state(output) != before
    assert _leftovers(output) == []


def test_first_build_that_fails_creates_no_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", "")
    content = copy_base(tmp_path / "project")
    write(content, "articles/broken.md", "---\ntitle: Broken\n---\n\nNo date.\n")
    output = tmp_path / "project" / "output"
    code, _ = build(content, output)
    assert code == 1
    assert not output.exists()
    assert _leftovers(output) == []


def test_a_stale_staging_folder_of_a_killed_build_does_not_break_the_next(
    built: tuple[Path, Path, dict[str, str]],
) -> None:
    content, output, _ = built
    stale = output.parent / f".{output.name}.staging-{os.getpid() + 1}"
    write(stale, "index.html", "half-written")
    code, err = build(content, output)
    assert code == 0, err
    assert (output / "index.html").read_text(encoding="utf-8") != "half-written"
