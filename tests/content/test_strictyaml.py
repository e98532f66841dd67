"""generator.content.strictyaml: plain data only, every scalar text, positions in file lines."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.content.files import SourceFile
from generator.content.frontmatter import split_front_matter
from generator.content.strictyaml import YamlList, YamlMap, YamlProblem, load
from generator.diagnostics import Diagnostics


def problem(text: str, line_offset: int = 0) -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        load(text, line_offset)
    return caught.value


# --- every scalar stays text --------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "1234",
        "-7",
        "+1",
        "1.5",
        "1e3",
        "0x1F",
        "0o17",
        "017",
        "1_000",
        ".inf",
        "-.inf",
        ".nan",
        "yes",
        "no",
        "on",
        "off",
        "true",
        "False",
        "y",
        "n",
        "null",
        "Null",
        "~",
        "2024-01-15",
        "2024-01-15T10:00:00+02:00",
        "12:30",
        "190:20:30",
        "=",
        "<<",
    ],
)
def test_plain_scalars_stay_as_written(written: str) -> None:
    data = load(f"value: {written}\nlist: [{written}]\n{written}: key\n")
    assert data == {"value": written, "list": [written], written: "key"}
    assert all(type(v) is str for v in (data["value"], data["list"][0], data[written]))


def test_quoted_block_and_empty_scalars() -> None:
    text = (
        "single: 'it''s'\ndouble: \"tab\\there\"\nempty:\nfolded: >\n  one\n  two\n"
        'literal: |\n  one\n  two\nquoted_number: "5"\n'
    )
    assert load(text) == {
        "single": "it's",
        "double": "tab\there",
        "empty": "",
        "folded": "one two\n",
        "literal": "one\ntwo\n",
        "quoted_number": "5",
    }


def test_structures_are_plain_maps_and_lists() -> None:
    data = load("a:\n  - 1\n  -\n  - [2, {b: 3}]\n")
    assert isinstance(data, YamlMap) and isinstance(data["a"], YamlList)
    assert data == {"a": ["1", "", ["2", {"b": "3"}]]}


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "  \n# a\n\n"])
def test_empty_documents_are_none(text: str) -> None:
    assert load(text) is None


def test_a_byte_order_mark_is_ignored() -> None:
    assert load("\ufeffa: 1\n") == {"a": "1"}


# --- tags ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !!python/object/apply:os.system ['touch pwned']", "python/object/apply:os.system"),
        ("a: !!python/name:os.system ''", "python/name:os.system"),
        ("a: !!python/object:builtins.dict {}", "python/object:builtins.dict"),
        ("a: !!int 3", "!!int"),
        ("a: !!float 1", "!!float"),
        ("a: !!bool yes", "!!bool"),
        ("a: !!null ''", "!!null"),
        ("a: !!timestamp 2024-01-15", "!!timestamp"),
        ("a: !!binary aGk=", "!!binary"),
        ("a: !!set {x}", "!!set"),
        ("a: !!omap [x: 1]", "!!omap"),
        ("a: !local x", "!local"),
        ("a: !<tag:example.com,2000:thing> x", "tag:example.com,2000:thing"),
    ],
)
def test_tags_are_refused_with_their_position(
    text: str, tag: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    error = problem("title: ok\n" + text + "\n", line_offset=1)
    assert (error.line, error.col) == (3, 4)
    assert tag in error.message and "is not allowed" in error.message
    assert not (tmp_path / "pwned").exists()


def test_tag_deep_inside_is_found() -> None:
    error = problem("a:\n  - b:\n      - !!python/object/new:os.system [x]\n")
    assert (error.line, error.col) == (3, 9)


# --- anchors and aliases ------------------------------------------------------------------------


def test_alias_is_refused_at_its_anchor() -> None:
    error = problem("title: T\na: &x 1\nb: *x\n", line_offset=1)
    assert (error.line, error.col, error.message) == (
        3,
        4,
        "anchors and aliases (& and *) are not allowed",
    )


def test_merge_key_is_refused() -> None:
    error = problem("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert "anchors and aliases" in error.message


def test_billion_laughs_fails_fast() -> None:
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, 12):
        previous, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    started = time.perf_counter()
    error = problem("\n".join(levels) + "\n")
    assert time.perf_counter() - started < 1.0
    assert "anchors and aliases" in error.message


# --- duplicate keys -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", (3, 1), "duplicate key 'a' (first on line 1)"),
        ('a: 1\n"a": 2\n', (2, 1), "duplicate key 'a' (first on line 1)"),
        ("{x: 1, x: 2}\n", (1, 8), "duplicate key 'x' (first on line 1)"),
        (
            "s:\n  - url: a\n    title: t\n    url: b\n",
            (4, 5),
            "duplicate key 'url' (first on line 2)",
        ),
        ("1: a\n'1': b\n", (2, 1), "duplicate key '1' (first on line 1)"),
    ],
)
def test_duplicate_keys(text: str, where: tuple[int, int], message: str) -> None:
    error = problem(text)
    assert ((error.line, error.col), error.message) == (where, message)


def test_duplicate_key_lines_follow_the_offset() -> None:
    error = problem("a: 1\na: 2\n", line_offset=10)
    assert (error.line, error.message) == (12, "duplicate key 'a' (first on line 11)")


# --- positions ----------------------------------------------------------------------------------


def test_positions_of_keys_values_and_items() -> None:
    data = load("title: T\ntags:\n  - one\n  - two\nsources: [a, b]\n", line_offset=1)
    assert isinstance(data, YamlMap)
    assert data.key_pos == {"title": (2, 1), "tags": (3, 1), "sources": (6, 1)}
    assert data.value_pos == {"title": (2, 8), "tags": (4, 3), "sources": (6, 10)}
    assert data["tags"].item_pos == [(4, 5), (5, 5)]
    assert data["sources"].item_pos == [(6, 11), (6, 14)]


def test_front_matter_positions_are_file_lines() -> None:
    source = SourceFile(
        "content/articles/a.md",
        "---\ntitle: T\ndate: 2024-01-15\nregions:\n  - north\n---\n\nBody\n",
    )
    split = split_front_matter(source, 65536, Diagnostics())
    assert split is not None
    assert split.meta.key_pos["regions"] == (4, 1)
    assert split.meta["regions"].item_pos == [(5, 5)]
    assert split.body_line == 6 and split.body == "\nBody\n"


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ("a: b: c\n", 1, 5, "YAML syntax error: mapping values are not allowed in this context"),
        ("a: 1\n---\nb: 2\n", 2, 1, "YAML syntax error: but found another document"),
        ("a:\n\t- b\n", 2, 1, "YAML syntax error: found character that cannot start any token"),
        ('a: "\\ud83d"\n', 1, 7, "YAML syntax error: found invalid Unicode character escape code"),
    ],
)
def test_syntax_errors_have_positions(text: str, line: int, col: int, message: str) -> None:
    error = problem(text, line_offset=2)
    assert (error.line, error.col, error.message) == (line + 2, col, message)


def test_keys_must_be_text() -> None:
    error = problem("title: T\n? [a, b]\n: c\n")
    assert (error.line, error.col, error.message) == (2, 3, "a key must be plain text")


def test_depth_is_bounded() -> None:
    assert load("a: " + "[" * 15 + "]" * 15 + "\n") is not None
    error = problem("a: " + "[" * 30 + "]" * 30 + "\n")
    assert "nested deeper than 20 levels" in error.message
    assert problem("a: " + "[" * 5000 + "]" * 5000 + "\n").line == 1


def test_control_character_is_reported_where_it_is() -> None:
    error = problem("a: b\nc: \x07\n", line_offset=2)
    assert "control characters are not allowed" in error.message
    assert (error.line, error.col) == (4, 4)


def test_unicode_line_separators_do_not_shift_positions() -> None:
    data = load('title: "Fog\u2028over the coast"\ntags: [fog]\n', line_offset=1)
    assert isinstance(data, YamlMap)
    assert data.key_pos["tags"] == (3, 1)
