"""Templates compiled by a forked process while the pages are declared
(pipeline.stages.precompile_templates): the code Jinja would have made here, taken only
when the environment is still the one it was compiled for; a template that does not
compile is left to this process, which says why."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest
from jinja2 import Environment, FileSystemLoader, TemplateSyntaxError
from jinja2.ext import Extension
from jinja2.filters import do_lower

from generator.build.resident import CompiledTemplates
from generator.pipeline.stages import precompile_templates

TEMPLATES = {
    "base.html": "<title>{% block title %}{% endblock %}</title>{% block body %}{% endblock %}",
    "page.html": '{% extends "base.html" %}{% block body %}{{ text | upper }}{% endblock %}',
    "part/list.html": "{% for x in items %}<li>{{ x }}</li>{% endfor %}",
}


def _generator(tmp_path: Path, templates: dict[str, str]) -> Any:
    folder = tmp_path / "theme" / "templates"
    for name, source in templates.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(source)
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=True)
    return SimpleNamespace(
        theme=str(tmp_path / "theme"), settings={"TEMPLATE_EXTENSIONS": [".html"]}, env=env
    )


def _compiles(env: Environment, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates `env` compiles from now on."""
    compiled: list[str] = []
    original = env.compile

    def counted(source: Any, name: Any = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(name)
        return original(source, name, *args, **kwargs)

    monkeypatch.setattr(env, "compile", counted)
    return compiled


def test_the_theme_compiled_beside_renders_as_compiled_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generator = _generator(tmp_path, TEMPLATES)
    precompiled = precompile_templates(generator, workers=2)
    assert precompiled is not None
    templates = CompiledTemplates()
    precompiled.into(templates)
    assert len(templates.code) == len(TEMPLATES)
    env = generator.env
    env.bytecode_cache = templates
    compiled = _compiles(env, monkeypatch)
    html = env.get_template("page.html").render(text="calm <b>")
    assert compiled == []  # every template came from the other process
    assert html == "<title></title>CALM &lt;B&gt;"
    fresh = _generator(tmp_path / "again", TEMPLATES).env
    assert fresh.get_template("page.html").render(text="calm <b>") == html


def test_an_environment_changed_since_compiles_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A filter given another function after the fork (a filter applied to a constant is
    worked out when compiling): the code compiled before is not taken."""
    generator = _generator(tmp_path, TEMPLATES)
    precompiled = precompile_templates(generator, workers=2)
    assert precompiled is not None
    generator.env.filters["upper"] = do_lower
    templates = CompiledTemplates()
    precompiled.into(templates)
    assert templates.code == {}


def test_a_template_that_does_not_compile_is_left_to_this_process(tmp_path: Path) -> None:
    generator = _generator(tmp_path, {**TEMPLATES, "broken.html": "{% for x in %}"})
    precompiled = precompile_templates(generator, workers=2)
    assert precompiled is not None
    templates = CompiledTemplates()
    precompiled.into(templates)
    assert len(templates.code) == len(TEMPLATES)
    generator.env.bytecode_cache = templates
    with pytest.raises(TemplateSyntaxError, match="Expected an expression"):
        generator.env.get_template("broken.html")


def test_one_worker_compiles_nothing_beside(tmp_path: Path) -> None:
    assert precompile_templates(_generator(tmp_path, TEMPLATES), workers=1) is None


def test_a_plugin_s_filter_or_extension_means_compiling_here(tmp_path: Path) -> None:
    """Jinja's optimizer calls a filter whose arguments are constants while compiling: a
    plugin's filter (which may register an asset, or log an error the build must fail on)
    must run in this process, and so must an extension's parser."""
    generator = _generator(tmp_path, TEMPLATES)
    generator.env.filters["asset"] = lambda path: f"{path}?v=1"  # not Jinja's, ours, Pelican's
    assert precompile_templates(generator, workers=2) is None
    generator = _generator(tmp_path / "i18n", TEMPLATES)
    generator.env.add_extension("jinja2.ext.i18n")  # Jinja's own: compiled beside
    beside = precompile_templates(generator, workers=2)
    assert beside is not None
    beside.stop()
    generator.env.add_extension(_PluginExtension)
    assert precompile_templates(generator, workers=2) is None


class _PluginExtension(Extension):
    tags: ClassVar[set[str]] = {"plugin"}
