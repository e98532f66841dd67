"""The service worker's files as the build writes them (tests/offline/test_service_worker.py
drives them in a browser): sw.js filled in at the root only, and what it keeps on install all
in the output."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from ..support import REPO, project_settings
from .support import DEMO_CONTENT, build, precache_list


def test_the_worker_is_published_once_filled_in(demo_site: Path) -> None:
    """sw.js at the root, its version and PRECACHE filled in; its template is not published
    (nor zipped into every download) as a script that cannot run."""
    leftovers = [
        file.relative_to(demo_site).as_posix()
        for file in sorted(demo_site.rglob("*.js"))
        if "__TIMELINE_" in file.read_text(encoding="utf-8")
    ]
    assert leftovers == []
    assert (demo_site / "sw.js").is_file() and not (demo_site / "theme" / "js" / "sw.js").exists()


def test_every_precached_file_is_in_the_output_when_ignore_files_leaves_some_out(
    tmp_path: Path,
) -> None:
    """Pelican's IGNORE_FILES keeps matching theme files out of the output: sw.js must not
    ask for them on install."""
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    (theme / "static" / "css" / "site.scss").write_text("a { b: c }\n", encoding="utf-8")
    settings = project_settings(tmp_path, theme=theme)
    with settings.open("a", encoding="utf-8") as file:
        file.write('IGNORE_FILES = ["**/.*", "*.scss"]\n')
    output = tmp_path / "output"
    build(output, DEMO_CONTENT, str(settings))
    assert not (output / "theme" / "css" / "site.scss").exists()
    names = precache_list(output)
    assert "theme/css/site.css" in names
    assert [name for name in names if not (output / name).is_file()] == []


def test_the_headers_links_are_kept_on_install(demo_site: Path) -> None:
    """What every page's header links (the section indexes, the menu's pages) is kept on
    install, each a file of the output, so the header works offline from any page."""
    header = (demo_site / "index.html").read_text(encoding="utf-8").split("</header>")[0]
    linked = re.findall(r'<a href="\./([^"]+)"', header.split('<nav aria-label="Sections">')[1])
    assert linked[:3] == ["regions/index.html", "speakers/index.html", "days/index.html"]
    assert "pages/about.html" in linked
    names = precache_list(demo_site)
    assert [name for name in linked if name not in names] == []
    assert [name for name in names if not (demo_site / name).is_file()] == []
