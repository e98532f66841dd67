"""Jinja's compiled templates kept between build processes (`templates.bin`): used only when
this machine signed them, for the same settings, theme and code, and for the template's own
source; a build that used them equals a cold one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from generator.build.resident import TEMPLATES, StoredTemplates
from generator.cli import main

from ..support import SPEC_SITE, differences, project_settings


@pytest.fixture
def theme(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.html").write_text("<p>{{ title | upper }}</p>\n")
    return folder


def _render(theme: Path, templates: StoredTemplates, **values: str) -> str:
    env = Environment(loader=FileSystemLoader(str(theme)), bytecode_cache=templates)
    return env.get_template("page.html").render(**values)


def test_a_template_compiled_once_is_not_compiled_again(theme: Path, tmp_path: Path) -> None:
    first = StoredTemplates(tmp_path / "cache", "shell-1")
    assert _render(theme, first, title="ice") == "<p>ICE</p>"
    assert first.compiled
    first.save()
    second = StoredTemplates(tmp_path / "cache", "shell-1")
    assert _render(theme, second, title="ice") == "<p>ICE</p>"
    assert not second.compiled  # its code came from the file


def test_another_shell_or_an_edited_template_is_compiled_again(theme: Path, tmp_path: Path) -> None:
    first = StoredTemplates(tmp_path / "cache", "shell-1")
    _render(theme, first, title="ice")
    first.save()
    other = StoredTemplates(tmp_path / "cache", "shell-2")  # Jinja's options may differ
    assert other.code == {}
    (theme / "page.html").write_text("<h1>{{ title }}</h1>\n")
    edited = StoredTemplates(tmp_path / "cache", "shell-1")
    assert _render(theme, edited, title="ice") == "<h1>ice</h1>"
    assert edited.compiled


def test_code_not_signed_here_is_never_loaded(theme: Path, tmp_path: Path) -> None:
    first = StoredTemplates(tmp_path / "cache", "shell-1")
    _render(theme, first, title="ice")
    first.save()
    stored = tmp_path / "cache" / TEMPLATES
    signature, _, body = stored.read_bytes().partition(b"\n")
    stored.write_bytes(signature + b"\n" + body + b"\0")
    assert StoredTemplates(tmp_path / "cache", "shell-1").code == {}
    stored.write_bytes(b"0" * 64 + b"\n" + body)  # another machine's signature
    assert StoredTemplates(tmp_path / "cache", "shell-1").code == {}


def test_a_signed_file_cut_short_or_garbled_means_compiling_again(
    theme: Path, tmp_path: Path
) -> None:
    from generator.build.cache import machine_key, write_signed

    stored = tmp_path / "cache" / TEMPLATES
    stored.parent.mkdir()
    for body in (b"shell-1\nkey 99\nabc", b"shell-1\nkey\nabc", b"shell-1\nkey x\n"):
        write_signed(stored, body, machine_key())
        templates = StoredTemplates(tmp_path / "cache", "shell-1")
        assert templates.code == {}
        assert _render(theme, templates, title="ice") == "<p>ICE</p>"


def test_a_change_of_jinjas_options_gives_the_pages_of_a_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """keep_trailing_newline changes what the same template source compiles to: a build after the
    change must not run the code compiled before it."""
    shutil.copytree(SPEC_SITE / "content", tmp_path / "content")
    plain = project_settings(tmp_path)
    trimmed = tmp_path / "trimmed.py"
    trimmed.write_text(
        plain.read_text()
        + 'JINJA_ENVIRONMENT = {**JINJA_ENVIRONMENT, "keep_trailing_newline": True}\n'
    )

    def build(settings: Path, output: str, cache: str) -> Path:
        monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / cache))
        arguments = ["--content", str(tmp_path / "content"), "--output", str(tmp_path / output)]
        assert main(["build", "--settings", str(settings), *arguments]) == 0
        return tmp_path / output

    build(plain, "output", "cache")
    assert list((tmp_path / "cache").rglob(TEMPLATES))  # kept for the next build
    warm = build(trimmed, "output", "cache")
    cold = build(trimmed, "cold", "cache-cold")
    assert differences(warm, cold) == []
    assert differences(warm, build(plain, "plain", "cache-plain"))  # the option shows
