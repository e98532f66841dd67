"""Compiled templates kept between build processes: a template is compiled again when its
source, or the build's shell (settings, theme, code), changed, and a stored file is used only
when this machine signed it."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment

from generator.build import resident
from generator.build.resident import TEMPLATES, StoredTemplates

SOURCE = {"page.html": "<p>{{ name }}</p>"}


def _render(templates: StoredTemplates, source: dict[str, str] = SOURCE) -> str:
    env = Environment(loader=DictLoader(source), bytecode_cache=templates, autoescape=True)
    return env.get_template("page.html").render(name="<Kyiv>")


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    compiled: list[str] = []
    original = Environment._compile

    def counting(self: Environment, source: str, filename: str) -> object:
        compiled.append(filename)
        return original(self, source, filename)

    monkeypatch.setattr(Environment, "_compile", counting)
    return compiled


def test_a_template_compiled_once_is_not_compiled_by_the_next_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = _compiles(monkeypatch)
    first = StoredTemplates(tmp_path / "cache", "shell-1")
    assert _render(first) == "<p>&lt;Kyiv&gt;</p>"
    first.save()
    assert len(compiled) == 1 and (tmp_path / "cache" / TEMPLATES).is_file()
    assert _render(StoredTemplates(tmp_path / "cache", "shell-1")) == "<p>&lt;Kyiv&gt;</p>"
    assert len(compiled) == 1  # the second process ran the stored code


def test_an_edited_template_or_another_shell_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = _compiles(monkeypatch)
    first = StoredTemplates(tmp_path / "cache", "shell-1")
    _render(first)
    first.save()
    edited = {"page.html": "<b>{{ name }}</b>"}
    assert _render(StoredTemplates(tmp_path / "cache", "shell-1"), edited) == "<b>&lt;Kyiv&gt;</b>"
    assert len(compiled) == 2
    _render(StoredTemplates(tmp_path / "cache", "shell-2"))  # settings or theme changed
    assert len(compiled) == 3


def test_a_file_not_signed_here_is_not_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = StoredTemplates(tmp_path / "cache", "shell-1")
    _render(first)
    first.save()
    file = tmp_path / "cache" / TEMPLATES
    data = file.read_bytes()
    file.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # one bit of the code changed
    compiled = _compiles(monkeypatch)
    assert _render(StoredTemplates(tmp_path / "cache", "shell-1")) == "<p>&lt;Kyiv&gt;</p>"
    assert len(compiled) == 1  # compiled from the source, the planted code ignored
    file.write_bytes(data)
    monkeypatch.setattr(resident, "machine_key", lambda: b"another machine's key")
    _render(StoredTemplates(tmp_path / "cache", "shell-1"))
    assert len(compiled) == 2


def test_a_cache_that_cannot_be_written_only_means_compiling_again(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the folder should be")
    templates = StoredTemplates(tmp_path / "cache", "shell-1")
    assert _render(templates) == "<p>&lt;Kyiv&gt;</p>"
    templates.save()  # says nothing, fails nothing
    assert StoredTemplates(None, "shell-1").file is None
