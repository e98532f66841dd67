"""Limits: hostile sizes and shapes end quickly, in bounded memory, with a clear message —
never a hang, a crash, a traceback or content silently dropped.

Heavy cases run `check` in a subprocess that reports its own peak memory.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import REPO, copy_base, settings_file, write

FRONT = "---\ntitle: Fog over the coast\ndate: 2024-01-16T08:00:00+02:00\nregions: [north]\n---\n\n"
MAX_SECONDS = 10
MAX_MEGABYTES = 600
PROBE = """
import json, resource, sys, time, io, contextlib
from generator.cli import main
err = io.StringIO()
started = time.perf_counter()
with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
try:  # this program's peak: ru_maxrss would count pytest's own, kept across the fork and exec
    with open("/proc/self/status") as status:
        peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"code": code, "err": err.getvalue(), "seconds": time.perf_counter() - started,
                  "megabytes": peak}))
"""


def check_measured(content: Path, settings: Path | None = None) -> dict[str, object]:
    """`check` in a fresh interpreter: code, stderr, seconds and peak memory (MB)."""
    args = [
        "check",
        "--settings",
        str(settings or REPO / "pelicanconf.py"),
        "--content",
        str(content),
    ]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(REPO),
            "TIMELINE_CACHE_DIR": "",
            "HOME": str(content.parent),
        },
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    assert "Traceback" not in str(result["err"]), result["err"]
    return result


def _lines(result: dict[str, object]) -> list[str]:
    return str(result["err"]).splitlines()


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return copy_base(tmp_path / "project")


# --- sizes ------------------------------------------------------------------------------------


def test_five_megabyte_single_line_file(content: Path) -> None:
    file = content / "articles" / "huge.md"
    file.write_bytes(b"---\ntitle: x\n" + b"x" * (5 * 1024 * 1024 - 13))
    result = check_measured(content)
    assert result["code"] == 1
    assert (
        "content/articles/huge.md:1:1: file is 5,242,880 bytes; the limit is 1,048,576"
        in _lines(result)
    )
    assert float(result["seconds"]) < MAX_SECONDS  # type: ignore[arg-type]
    assert float(result["megabytes"]) < MAX_MEGABYTES  # type: ignore[arg-type]


def test_article_just_over_the_size_limit(content: Path) -> None:
    write(content, "articles/big.md", FRONT + "word " * (1_048_576 // 5))
    result = check_measured(content)
    size = (content / "articles" / "big.md").stat().st_size
    assert f"content/articles/big.md:1:1: file is {size:,} bytes; the limit is 1,048,576" in _lines(
        result
    )


def test_front_matter_size_limit(content: Path) -> None:
    write(
        content,
        "articles/fog.md",
        FRONT.replace("regions: [north]\n", "summary: " + "s" * 70_000 + "\n"),
    )
    result = check_measured(content)
    assert result["code"] == 1
    assert _lines(result)[:1] == [
        "content/articles/fog.md:2:1: front matter is larger than 65,536 bytes"
    ]


def test_registry_size_limit(content: Path) -> None:
    regions = content / "regions.yaml"
    regions.write_text(
        regions.read_text()
        + "".join(f"r{i}:\n  name: Region {i} {'x' * 60}\n" for i in range(60_000)),
        encoding="utf-8",
    )
    size = regions.stat().st_size
    assert size > 4_194_304
    result = check_measured(content)
    assert f"content/regions.yaml:1:1: file is {size:,} bytes; the limit is 4,194,304" in _lines(
        result
    )
    assert float(result["seconds"]) < MAX_SECONDS  # type: ignore[arg-type]


# --- lines and developments ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "- d{i}\n",
            "10001:1: file has 100,008 lines; the limit is 10,000: split it into several articles",
        ),
        (
            "- **08:{m:02d}** Development {i} in [Pine Town](region:pine-town).\n",
            "1:1: file is {size:,} bytes; the limit is 1,048,576",
        ),
    ],
    ids=["short-lines", "long-lines"],
)
def test_a_file_with_100000_developments(content: Path, line: str, message: str) -> None:
    developments = "".join(line.format(i=i, m=i % 60) for i in range(100_000))
    file = write(content, "articles/many.md", FRONT + "## Developments\n\n" + developments)
    result = check_measured(content)
    assert result["code"] == 1
    size = file.stat().st_size
    assert _lines(result)[0] == "content/articles/many.md:" + message.format(size=size)
    assert float(result["seconds"]) < MAX_SECONDS  # type: ignore[arg-type]
    assert float(result["megabytes"]) < MAX_MEGABYTES  # type: ignore[arg-type]


def test_a_file_at_the_line_limit_is_read(content: Path) -> None:
    developments = "".join(f"- Development {i}.\n" for i in range(9_992))
    write(content, "articles/many.md", FRONT + "## Developments\n\n" + developments[:-1])
    assert len((content / "articles" / "many.md").read_text().split("\n")) == 10_000
    result = check_measured(content)
    assert result["code"] == 0, result["err"]
    assert float(result["megabytes"]) < MAX_MEGABYTES  # type: ignore[arg-type]


def test_the_line_limit_is_a_setting(content: Path, tmp_path: Path) -> None:
    write(content, "articles/fog.md", FRONT + "line\n" * 100)
    settings = settings_file(tmp_path / "s", "TIMELINE_MAX_ARTICLE_LINES = 50")
    result = check_measured(content, settings)
    assert (
        "content/articles/fog.md:51:1: file has 106 lines; the limit is 50: split it into "
        "several articles"
    ) in _lines(result)


# --- nesting ----------------------------------------------------------------------------------

NESTING = (
    "Markdown nested too deeply: at most 19 block quotes or 9 lists inside each other, "
    "or the text inside is lost; nest less"
)


@pytest.mark.parametrize(
    ("shape", "body", "line"),
    [
        ("10000 quotes", ">" * 10_000 + " deep\n", 9),
        ("10000 spaced quotes", "> " * 10_000 + "deep\n", 9),
        ("10000 bullet lists", "- " * 10_000 + "deep\n", 9),
        ("10000 ordered lists", "1. " * 10_000 + "deep\n", 9),
        ("quotes and lists", "> - " * 5_000 + "deep\n", 9),
        ("a megabyte of quotes", "> " * 500_000 + "deep\n", 9),
        ("20 quotes", "> " * 20 + "deep\n", 9),
        ("10 indented lists", "".join("  " * i + "- level\n" for i in range(10)), 18),
    ],
)
def test_deep_nesting_is_an_error_not_a_silent_loss(
    content: Path, shape: str, body: str, line: int
) -> None:
    write(content, "articles/deep.md", FRONT + "Before.\n\n" + body + "\nAfter.\n")
    result = check_measured(content)
    assert result["code"] == 1, shape
    assert _lines(result)[0] == f"content/articles/deep.md:{line}:1: {NESTING}", shape
    assert float(result["seconds"]) < MAX_SECONDS, shape  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "body", ["> " * 19 + "deep\n", "".join("  " * i + "- level\n" for i in range(9))]
)
def test_nesting_up_to_the_limit_is_kept(tmp_path: Path, content: Path, body: str) -> None:
    from .conftest import build

    write(content, "articles/deep.md", FRONT + body)
    code, err = build(content, tmp_path / "output")
    assert code == 0, err
    html = (tmp_path / "output" / "articles" / "deep.html").read_text(encoding="utf-8")
    assert "deep" in html or html.count("level") == 9


def test_deep_nesting_in_a_page_is_an_error(content: Path) -> None:
    write(content, "pages/deep.md", "---\ntitle: Deep\n---\n\n" + "> " * 30 + "x\n")
    result = check_measured(content)
    assert f"content/pages/deep.md:5:1: {NESTING}" in _lines(result)


@pytest.mark.parametrize(
    ("shape", "body"),
    [
        ("emphasis", "*" * 10_000 + "x" + "*" * 10_000),
        ("backticks", "`" * 100_000),
        ("entities", "&amp;" * 50_000),
        ("eight open brackets", "[" * 8 + "x" + "](https://example.org/)" * 8),
    ],
)
def test_deep_inline_nesting_is_text_in_bounded_time(content: Path, shape: str, body: str) -> None:
    write(content, "articles/inline.md", FRONT + body + "\n\nAfter.\n")
    result = check_measured(content)
    assert result["code"] == 0, (shape, result["err"])
    assert float(result["seconds"]) < MAX_SECONDS, shape  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("shape", "body", "col"),
    [
        ("brackets", "[" * 20_000, 9),
        ("image brackets", "![" * 10_000, 18),
        ("nested links", "[" * 5_000 + "x" + "](https://example.org/)" * 5_000, 9),
        ("a megabyte of brackets", "[" * 1_000_000, 9),
    ],
)
def test_bracket_floods_are_an_error_before_parsing(
    content: Path, shape: str, body: str, col: int
) -> None:
    """markdown-it rescans from every open '[': 1 MB of them took 10 s. More than 8 open at
    once in a paragraph is refused before the body is parsed."""
    write(content, "articles/inline.md", FRONT + body + "\n\nAfter.\n")
    result = check_measured(content)
    assert result["code"] == 1, shape
    assert _lines(result)[0] == (
        f"content/articles/inline.md:7:{col}: more than 8 '[' are open at once here: close "
        "each with ']', or write a bracket that is only text as '\\['"
    ), shape
    assert float(result["seconds"]) < MAX_SECONDS, shape  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "yaml",
    [
        "tags: " + "[" * 10_000 + "]" * 10_000,
        "tags: " + "{a: " * 5_000 + "b" + "}" * 5_000,
        "tags:\n" + "".join("  " * i + "- \n" for i in range(25)),
    ],
)
def test_deep_yaml_is_an_error(content: Path, yaml: str) -> None:
    write(content, "articles/fog.md", FRONT.replace("regions: [north]", yaml) + "Fog.\n")
    result = check_measured(content)
    assert result["code"] == 1
    first = _lines(result)[0]
    assert first.startswith("content/articles/fog.md:") and "nest" in first, first
    assert float(result["seconds"]) < MAX_SECONDS  # type: ignore[arg-type]


# --- how many errors are shown ----------------------------------------------------------------


def test_max_errors_setting_caps_the_list(content: Path, tmp_path: Path) -> None:
    for n in range(12):
        write(content, f"articles/broken-{n:02d}.md", "---\ntitle: T\n---\n\nNo date.\n")
    settings = settings_file(tmp_path / "s", "TIMELINE_MAX_ERRORS = 5")
    lines = _lines(check_measured(content, settings))
    assert len(lines) == 7
    for n, line in enumerate(lines[:5]):
        assert re.match(
            rf"content/articles/broken-{n:02d}\.md:\d+:1: front matter is "
            "missing 'date'",
            line,
        ), line
    assert lines[5:] == ["…and 7 more", "12 content errors; nothing was published"]


def test_default_cap_is_200(content: Path) -> None:
    refs = "\n".join(f"- [x](region:nowhere-{n})" for n in range(300))
    write(content, "articles/fog.md", FRONT + "## Developments\n\n" + refs + "\n")
    lines = _lines(check_measured(content))
    assert len(lines) == 202
    assert lines[-2:] == ["…and 100 more", "300 content errors; nothing was published"]


def test_thousands_of_unknown_ids_against_a_large_registry(content: Path) -> None:
    """Suggestions compare with every id: only the first few per file get one."""
    regions = content / "regions.yaml"
    regions.write_text(
        regions.read_text()
        + "".join(
            f"region-{n}-abcdef:\n  name: Region number {n}\n  parent: north\n"
            for n in range(2_000)
        ),
        encoding="utf-8",
    )
    refs = " ".join(f"[x](region:regoin-{n}-abcdxf)" for n in range(5_000))
    write(content, "articles/fog.md", FRONT + refs + "\n")
    started = time.perf_counter()
    result = check_measured(content)
    assert time.perf_counter() - started < 60
    assert float(result["seconds"]) < MAX_SECONDS  # type: ignore[arg-type]
    lines = _lines(result)
    assert lines[-1] == "5000 content errors; nothing was published"
    assert sum("did you mean" in line for line in lines) == 10
    assert (
        "content/articles/fog.md:7:5: unknown region 'regoin-0-abcdxf' — did you mean "
        "'region-0-abcdef'? (or add it as content/regions/regoin-0-abcdxf.yaml)" in lines
    )


def test_unknown_parents_in_a_large_registry(content: Path) -> None:
    regions = content / "regions.yaml"
    regions.write_text(
        regions.read_text()
        + "".join(f"place-{n}:\n  name: Place {n}\n  parent: nowhere-{n}\n" for n in range(5_000)),
        encoding="utf-8",
    )
    result = check_measured(content)
    assert result["code"] == 1
    assert float(result["seconds"]) < MAX_SECONDS  # type: ignore[arg-type]
    assert str(result["err"]).rstrip().endswith("5000 content errors; nothing was published")


# --- what messages can carry ------------------------------------------------------------------


def test_messages_cannot_forge_lines_or_drive_the_terminal(content: Path, tmp_path: Path) -> None:
    """Messages quote contributor text (ids, file names): a newline would forge another
    `path:line:col:` line, an ESC would drive the terminal; both are shown as escapes."""
    from .conftest import run_cli

    write(content, "articles/a\nfake.md:1:1: ok\x1b[2J.md", FRONT + "x\n")
    write(
        content,
        "articles/fog.md",
        FRONT.replace("regions: [north]", 'regions: ["\\e]0;title\\a", "x\\ny"]') + "Fog.\n",
    )
    for fmt in ("text", "github"):
        code, out, err = run_cli(
            "check",
            "--settings",
            str(REPO / "pelicanconf.py"),
            "--content",
            str(content),
            "--format",
            fmt,
        )
        assert code == 1
        text = out + err
        assert "\x1b" not in text and "\x07" not in text, fmt
        lines = text.splitlines()
        assert not [line for line in lines if line.startswith("fake.md")], fmt
        assert any("a\\x0afake.md:1:1: ok\\x1b[2J.md" in line for line in lines), (fmt, lines)
        assert any("'\\x1b]0;title\\x07'" in line for line in lines), (fmt, lines)
