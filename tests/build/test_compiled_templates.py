"""Compiled templates kept beside their files (build.compiled): a fresh process loads them
instead of compiling, and never one compiled from another source, by another environment, or
whose code ran a filter while compiling."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import jinja2
import pytest

from generator.build.compiled import SUFFIX, CompiledTemplates, runs_calls
from generator.build.fingerprint import tree_digest
from generator.cli import main

from ..support import REPO, SPEC_SITE, differences, project_settings

BASE = "<title>{% block title %}{% endblock %}</title>{% block body %}{% endblock %}\n"
CHILD = (
    '{% extends "base.html" %}{% block title %}{{ title|upper }}{% endblock %}'
    "{% block body %}{% for item in items %}<p>{{ item|shout }}</p>{% endfor %}"
    "{% filter upper %}end{% endfilter %}{% endblock %}\n"
)


def shout(value: str) -> str:
    return f"{value}!"


class Subclassed(jinja2.Environment):
    """Not plain Jinja: a subclass may compile otherwise (the cache never keeps its code)."""


def environment(folder: Path, **options: object) -> tuple[jinja2.Environment, list[str]]:
    """A plain Jinja environment over `folder` with a fresh cache, and the names it compiles
    (each compiled template is handed to the cache: compiles to find what ran are not)."""
    cache = CompiledTemplates(beside=True)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        bytecode_cache=cache,
        trim_blocks=True,
        **options,  # type: ignore[arg-type]
    )
    env.filters["shout"] = shout
    compiled: list[str] = []
    dump = cache.dump_bytecode

    def counted(bucket: Any) -> None:
        compiled.append(bucket.name)
        dump(bucket)

    cache.dump_bytecode = counted  # type: ignore[method-assign]
    return env, compiled


def render(env: jinja2.Environment) -> str:
    return env.get_template("child.html").render(title="t", items=["a", "b"])


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    (tmp_path / "base.html").write_text(BASE)
    (tmp_path / "child.html").write_text(CHILD)
    return tmp_path


def kept(folder: Path) -> list[str]:
    return sorted(p.name for p in (folder / "__pycache__").glob(f"*{SUFFIX}"))


def test_a_fresh_process_loads_what_another_compiled(folder: Path) -> None:
    first, compiled = environment(folder)
    expected = render(first)
    assert expected == "<title>T</title><p>a!</p><p>b!</p>END"
    assert sorted(compiled) == ["base.html", "child.html"]
    assert kept(folder) == [f"base.html{SUFFIX}", f"child.html{SUFFIX}"]

    second, compiled_again = environment(folder)
    assert render(second) == expected
    assert compiled_again == []


def test_an_edited_template_is_compiled_again(folder: Path) -> None:
    render(environment(folder)[0])
    (folder / "child.html").write_text(CHILD.replace("<p>", "<li>"))
    env, compiled = environment(folder)
    assert render(env) == "<title>T</title><li>a!</p><li>b!</p>END"
    assert compiled == ["child.html"]


@pytest.mark.parametrize(
    "change",
    [
        "an option",
        "a filter more",
        "a filter passed the context",
        "an extension",
        "autoescape",
    ],
)
def test_another_environment_compiles_for_itself(folder: Path, change: str) -> None:
    render(environment(folder)[0])
    options: dict[str, object] = {}
    if change == "an option":
        options["lstrip_blocks"] = True
    elif change == "an extension":
        options["extensions"] = ["jinja2.ext.loopcontrols"]
    elif change == "autoescape":  # (no <, > or & in the items: the same text either way)
        options["autoescape"] = True
    env, compiled = environment(folder, **options)
    if change == "a filter more":
        env.filters["whisper"] = str.lower
    elif change == "a filter passed the context":
        env.filters["shout"] = jinja2.pass_context(lambda context, value: f"{value}!")
    assert render(env) == "<title>T</title><p>a!</p><p>b!</p>END"
    assert sorted(compiled) == ["base.html", "child.html"]


def test_a_filter_added_after_a_first_template_counts_for_the_next(folder: Path) -> None:
    render(environment(folder)[0])
    env, compiled = environment(folder)
    env.get_template("base.html")  # as the first one compiled: its key worked out
    env.filters["whisper"] = str.lower  # a plugin's, later
    assert render(env) == "<title>T</title><p>a!</p><p>b!</p>END"
    assert compiled == ["child.html"]


@pytest.mark.parametrize("kind", ["i18n", "finalize", "a subclass"])
def test_an_environment_compiling_from_more_than_the_source_keeps_nothing(
    folder: Path, kind: str
) -> None:
    """i18n's compiling reads `newstyle_gettext` and policies; `finalize` runs on constants
    while compiling; a subclass may compile otherwise: none of it is in the key."""
    options: dict[str, object] = {
        "i18n": {"extensions": ["jinja2.ext.i18n"]},
        "finalize": {"finalize": str},
        "a subclass": {},
    }[kind]
    for _ in range(2):
        env, compiled = environment(folder, **options)
        if kind == "a subclass":
            env.__class__ = Subclassed
        assert render(env) == "<title>T</title><p>a!</p><p>b!</p>END"
        assert sorted(compiled) == ["base.html", "child.html"]
    assert not (folder / "__pycache__").exists()


def test_a_template_that_runs_a_filter_while_compiling_is_never_kept(folder: Path) -> None:
    child = '{% extends "base.html" %}{% block body %}{{ "a"|shout }}{% endblock %}'
    (folder / "child.html").write_text(child)
    env, _ = environment(folder)
    assert render(env) == "<title></title>a!"
    assert kept(folder) == [f"base.html{SUFFIX}"]  # "a"|shout became "a!" in its code
    again, compiled = environment(folder)  # the filter's code changed, not its name
    again.filters["shout"] = lambda value: f"{value}?"
    assert render(again) == "<title></title>a?"
    assert compiled == ["child.html"]


@pytest.mark.parametrize(
    ("source", "runs"),
    [
        ('{{ "a"|upper }}', True),
        ("{{ [1, 2]|join(',') }}", True),
        ('{% if "a" is string %}x{% endif %}', True),
        ('{{ name|default("a"|upper) }}', True),  # the inner one
        ("{{ (true or x)|upper }}", True),  # worked out without x
        ('{{ ("a" if true else x)|upper }}', True),
        ("{{ (false and x)|upper }}", True),
        ("{{ (1 > 2 > x)|string }}", True),
        ("{{ 'a'|replace(*['a', 'b']) }}", True),
        ("{{ name|upper }}", False),
        ("{{ 'a'|replace(name, 'b') }}", False),
        ("{% for i in items %}{{ loop.index|string }}{% endfor %}", False),
        ("{% filter upper %}a{% endfilter %}", False),
        ("{{ x|join(*args) }}", False),
        ("{% if", True),  # not even a template: never kept
    ],
)
def test_runs_calls(source: str, runs: bool) -> None:
    env = jinja2.Environment()
    filters, tests = dict(env.filters), dict(env.tests)
    assert runs_calls(env, source, "t.html") is runs
    assert (env.filters, env.tests) == (filters, tests)  # its own, untouched


def test_nothing_is_written_when_python_writes_no_bytecode(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    render(environment(folder)[0])
    assert not (folder / "__pycache__").exists()


@pytest.mark.parametrize("damage", ["cut short", "another header", "not code"])
def test_a_damaged_file_is_compiled_again_and_replaced(folder: Path, damage: str) -> None:
    render(environment(folder)[0])
    file = folder / "__pycache__" / f"child.html{SUFFIX}"
    data = file.read_bytes()
    header = 0
    for _ in range(5):  # the format's line, then the key, checksum, name and autoescape
        header = data.index(b"\n", header) + 1
    file.write_bytes(
        {
            "cut short": data[: len(data) // 2],
            "another header": data.replace(b"child.html", b"other.html", 1),
            "not code": data[:header] + b"\x00\x01garbage",
        }[damage]
    )
    env, compiled = environment(folder)
    assert render(env) == "<title>T</title><p>a!</p><p>b!</p>END"
    assert compiled == ["child.html"]
    assert file.read_bytes() == data


def test_a_folder_it_cannot_write_in_costs_a_compile_each_time(folder: Path) -> None:
    (folder / "__pycache__").write_text("a file where the folder would be")
    for _ in range(2):
        env, compiled = environment(folder)
        assert render(env) == "<title>T</title><p>a!</p><p>b!</p>END"
        assert sorted(compiled) == ["base.html", "child.html"]


def test_a_build_loads_the_templates_the_last_one_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The theme's templates compiled by one build are loaded by the next (a fresh process's
    cold build here, in one process: workers 1), which makes the same site; and they are not
    part of the theme's fingerprint (pages would be made again after them)."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme, ignore=shutil.ignore_patterns("__pycache__"))
    settings = project_settings(tmp_path, workers=1, theme=theme)
    shutil.copytree(SPEC_SITE / "content", tmp_path / "content")

    def build(output: str, cache: str) -> Path:
        monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / cache))
        arguments = ["--content", str(tmp_path / "content"), "--output", str(tmp_path / output)]
        assert main(["build", "--settings", str(settings), *arguments]) == 0
        return tmp_path / output

    theme_before = tree_digest(theme)
    first = build("first", "cache-first")
    kept = sorted(p.name for p in (theme / "templates" / "__pycache__").iterdir())
    assert f"base.html{SUFFIX}" in kept and f"region.html{SUFFIX}" in kept

    compiled: list[str] = []
    compile_as_jinja = jinja2.Environment.compile

    def counted(env: jinja2.Environment, source: str, name: str | None = None, *a: Any) -> Any:
        compiled.append(name or "")
        return compile_as_jinja(env, source, name, *a)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    second = build("second", "cache-second")
    assert compiled == []
    assert differences(first, second) == []
    assert tree_digest(theme) == theme_before  # what every page's fingerprint holds
