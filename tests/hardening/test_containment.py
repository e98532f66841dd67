"""Containment: content cannot choose where the build writes, cannot pull files from outside
content/, cannot smuggle files in through symbolic links, and a build writes nothing outside
its output folder (the content cache, outside output/ by design, is the one exception)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.build.output import write_text

from .conftest import XSS_CONTENT, build, check, copy_base, snapshot, write

FRONT = "---\ntitle: Fog over the coast\ndate: 2024-01-16T08:00:00+02:00\nregions: [north]\n"
SECRET = "TOP-SECRET-7f3a9c"
OWNED = "output paths, templates and files are set by the site, not by content"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp/project/content (the base case), a secret beside the project, and a private cwd and
    config home (a build that wrote into either would show in the snapshot)."""
    root = tmp_path / "project"
    copy_base(root)
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("TIMELINE_CACHE_DIR", "")  # no cache: nothing may change but output/
    return root / "content"


def _secret_anywhere(folder: Path) -> list[str]:
    return [
        p.as_posix() for p in folder.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()
    ]


# --- front matter cannot set output paths or templates --------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("save_as", "../output-evil/index.html"),
        ("url", "../../index.html"),
        ("template", "../../../etc/passwd"),
        ("attach", "x"),
        ("filename", "/etc/passwd"),
        ("lang", "xx"),
        ("translation", "true"),
    ],
)
def test_output_and_template_keys_are_refused(
    project: Path, tmp_path: Path, key: str, value: str
) -> None:
    write(project, "articles/fog.md", f"{FRONT}{key}: {value}\n---\n\nFog rolled in.\n")
    before = snapshot(tmp_path)
    code, err = build(project, tmp_path / "project" / "output")
    assert code == 1, err
    assert f"content/articles/fog.md:5:1: '{key}' cannot be set in front matter: {OWNED}" in err
    assert snapshot(tmp_path) == before  # no output, no staging folder, no sibling


def test_refused_keys_in_any_case_are_still_refused(project: Path, tmp_path: Path) -> None:
    write(project, "articles/fog.md", f"{FRONT}Save_As: x.html\nURL: y.html\n---\n\nFog.\n")
    code, err = build(project, tmp_path / "project" / "output")
    assert code == 1
    assert "content/articles/fog.md:5:1: unknown key 'Save_As' in front matter" in err
    assert "content/articles/fog.md:6:1: unknown key 'URL' in front matter" in err


def test_page_front_matter_refuses_them_too(project: Path, tmp_path: Path) -> None:
    write(
        project,
        "pages/about.md",
        "---\ntitle: About\nsave_as: ../../x.html\ntemplate: article\n---\n\nAbout.\n",
    )
    code, err = build(project, tmp_path / "project" / "output")
    assert code == 1
    assert (
        f"content/pages/about.md:3:1: 'save_as' cannot be set in page front matter: {OWNED}"
    ) in err
    assert (
        f"content/pages/about.md:4:1: 'template' cannot be set in page front matter: {OWNED}"
    ) in err


# --- links to files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "{attach}../../secret.txt",
        "{attach}../../../secret.txt",
        "{static}../../secret.txt",
        "{filename}../../secret.txt",
        "../../../secret.txt",
        "/etc/passwd",
        "file:///etc/passwd",
        "%7Battach%7D../../secret.txt",
        "{attach}/../../secret.txt",
    ],
)
@pytest.mark.parametrize("image", [False, True])
def test_links_to_files_are_errors_and_copy_nothing(
    project: Path, tmp_path: Path, target: str, image: bool
) -> None:
    link = f"![photo]({target})" if image else f"[photo]({target})"
    write(project, "articles/fog.md", f"{FRONT}---\n\nFog rolled in, {link}.\n")
    before = snapshot(tmp_path)
    code, err = build(project, tmp_path / "project" / "output")
    assert code == 1, err
    expected = (
        "images are not supported"
        if image
        else "is not allowed: use https://…, region:<id> or speaker:<id>"
    )
    assert expected in err and "content/articles/fog.md:7:" in err, err
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "body",
    [
        "```x,src='{attach}../../secret.txt'\ncode\n```\n",
        "```x,src='{attach}../../../secret.txt'\ncode\n```\n",
        "[a](https://example.org/ \"t' src='{static}../../secret.txt' x='\")\n",
        "[a](https://example.org/ \"t' href='{attach}../../../secret.txt' x='\")\n",
        "`<img src='{attach}../../secret.txt'>`\n",
    ],
)
def test_pelican_link_syntax_inside_attributes_reads_no_file(
    project: Path, tmp_path: Path, body: str
) -> None:
    """markdown-it leaves ' unescaped inside attributes, so a fence info string or a link title
    renders to `src='{attach}…'`, which Pelican's own link scanner would follow (and read or
    copy the file from anywhere). Pelican gets no HTML from our reader, so it is just text."""
    write(project, "articles/fog.md", f"{FRONT}---\n\nFog rolled in.\n\n{body}")
    output = tmp_path / "project" / "output"
    code, err = build(project, output)
    assert code == 0, err
    assert _secret_anywhere(output) == []
    html = (output / "articles" / "fog.html").read_text(encoding="utf-8")
    assert "{attach}" in html or "{static}" in html  # shown as text


# --- symbolic links ---------------------------------------------------------------------------

LINK_MESSAGE = "symbolic links are not allowed in content/: commit the file itself"


@pytest.mark.parametrize(
    ("link", "target", "shown"),
    [
        ("articles/secret.md", "../../secret.txt", "content/articles/secret.md"),
        ("articles/2024/01/linked.md", "harbor-ice.md", "content/articles/2024/01/linked.md"),
        ("articles/passwd.md", "/etc/passwd", "content/articles/passwd.md"),
        ("pages/secret.md", "../../../secret.txt", "content/pages/secret.md"),
        ("articles/elsewhere", "../..", "content/articles/elsewhere"),
        ("pages/sub", "../articles", "content/pages/sub"),
    ],
)
def test_symlinks_in_content_are_errors(
    project: Path, tmp_path: Path, link: str, target: str, shown: str
) -> None:
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, project / link)
    code, lines = check(project)
    assert code == 1, lines
    assert f"{shown}:1:1: {LINK_MESSAGE}" in lines
    before = snapshot(tmp_path)
    code, err = build(project, tmp_path / "project" / "output")
    assert code == 1
    assert SECRET not in err
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("name", ["regions.yaml", "speakers.yaml", "articles", "pages"])
def test_symlinked_registry_or_folder_is_an_error(project: Path, tmp_path: Path, name: str) -> None:
    real = tmp_path / "elsewhere" / name
    real.parent.mkdir()
    (project / name).rename(real)
    os.symlink(real, project / name)
    code, lines = check(project)
    assert code == 1, lines
    assert any(
        line.startswith(f"content/{name}:1:1: ") and LINK_MESSAGE in line for line in lines
    ), lines


def test_symlink_inside_a_symlinked_folder_is_not_followed(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write(outside, "deep/x.md", f"{FRONT}---\n\n{SECRET}\n")
    os.symlink(outside, project / "articles" / "outside")
    code, err = build(project, tmp_path / "project" / "output")
    assert code == 1
    assert "content/articles/outside:1:1: " + LINK_MESSAGE in err
    assert SECRET not in err


def test_build_reads_exactly_the_files_check_reads(project: Path, tmp_path: Path) -> None:
    """Pelican walks content folders itself (hidden ones too); `check` skips hidden files. A
    file that `check` never saw must not be read, reported or published by `build` either."""
    write(project, "articles/.hidden/x.md", f"{FRONT}---\n\n[x](javascript:alert(1))\n")
    write(project, "articles/.dot.md", f"{FRONT}slug: dot\n---\n\n{SECRET}\n")
    write(project, "pages/.draft/p.md", f"---\ntitle: {SECRET}\nslug: p\n---\n\nx\n")
    code, lines = check(project)
    assert code == 0, lines
    output = tmp_path / "project" / "output"
    code, err = build(project, output)
    assert code == 0, err
    assert sorted(p.name for p in (output / "articles").iterdir()) == ["harbor-ice.html"]
    assert _secret_anywhere(output) == []


# --- the output folder ------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["content", "content/articles", "content/output", ".", ".."])
def test_output_overlapping_content_is_refused(project: Path, tmp_path: Path, where: str) -> None:
    output = (tmp_path / "project" / where).resolve()
    before = snapshot(tmp_path)
    code, err = build(project, output)
    assert code == 2, err
    assert f"output folder {output} overlaps the content folder {project.resolve()}" in err
    assert snapshot(tmp_path) == before


def test_output_that_is_not_a_built_site_is_refused(project: Path, tmp_path: Path) -> None:
    """A build replaces the output folder whole: a folder of other files is never taken."""
    precious = tmp_path / "precious"
    write(precious, "notes.txt", "keep me")
    before = snapshot(tmp_path)
    code, err = build(project, precious)
    assert code == 2
    assert "is not empty and has no index.html" in err
    assert snapshot(tmp_path) == before
    (tmp_path / "afile").write_text("x")
    code, err = build(project, tmp_path / "afile")
    assert code == 2 and "is a file, not a folder" in err


def test_output_through_a_symlink_lands_in_the_real_folder(project: Path, tmp_path: Path) -> None:
    real = tmp_path / "real-output"
    os.symlink(real, tmp_path / "project" / "output")
    code, err = build(project, tmp_path / "project" / "output")
    assert code == 0, err
    assert (real / "index.html").is_file()
    assert (tmp_path / "project" / "output").is_symlink()


def test_a_build_writes_only_inside_its_output(project: Path, tmp_path: Path) -> None:
    """Snapshot of the whole tmp tree (content, secrets, cwd, config home) before and after:
    only output/ changed."""
    content = copy_base(tmp_path / "xss", XSS_CONTENT)
    before = snapshot(tmp_path, skip=("xss",))
    before_content = snapshot(content)
    code, err = build(content, tmp_path / "project" / "output")
    assert code == 0, err
    after = snapshot(tmp_path, skip=("xss",))
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed and all(
        k == "project/output" or k.startswith("project/output/") for k in changed
    ), sorted(changed)[:10]
    assert snapshot(content) == before_content
    assert not list(tmp_path.glob("project/.output.*"))  # no staging or old folder left


def test_the_content_cache_is_the_only_other_write(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIMELINE_CACHE_DIR", ".timeline-cache")
    before = snapshot(tmp_path)
    code, err = build(project, tmp_path / "project" / "output")
    assert code == 0, err
    after = snapshot(tmp_path)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    outside = [
        k
        for k in changed
        if k != "config"
        and not k.startswith(
            ("project/output", "project/.timeline-cache", "config/timeline-digests")
        )
    ]
    assert outside == []
    assert any(k.startswith("project/.timeline-cache/") for k in changed)  # the cache was written


# --- writes are checked on real paths, not string prefixes -----------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../output-evil/x.json",
        "../output/../output-evil/x.json",
        "/tmp/x.json",
        "data/../../x.json",
    ],
)
def test_data_writer_refuses_paths_outside_the_output(tmp_path: Path, name: str) -> None:
    output = tmp_path / "output"
    output.mkdir()
    with pytest.raises(ValueError, match="outside the output folder"):
        write_text(output, name, "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_data_writer_refuses_a_symlink_out_of_the_output(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", output / "data")
    with pytest.raises(ValueError, match="outside the output folder"):
        write_text(output, "data/site.json", "{}")
    assert list((tmp_path / "elsewhere").iterdir()) == []
