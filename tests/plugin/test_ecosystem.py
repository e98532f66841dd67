"""Pelican's plugins on our content: each installed as a development dependency, enabled in
PLUGINS as a maintainer would, and asserted on what it adds. Each build is a fresh process."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from generator.pages.downloads import rewrite_links

from .conftest import Project, differences, html_pages, new_project

SITE = "https://example.org"
NEW_ARTICLE = """---
title: Night shelling reported near Kreminna
date: 2023-02-14T06:30:00+02:00
regions: [kreminna]
tags: [shelling]
---

## Developments

- **06:30** Overnight shelling reported near [Kreminna](region:kreminna).
"""
EDITED = "content/articles/2023/02/13/kreminna-kherson-shelling.md"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return new_project(tmp_path)


def _add_article(project: Project) -> None:
    folder = project.content / "articles" / "2023" / "02" / "14"
    folder.mkdir(parents=True)
    (folder / "night-shelling-kreminna.md").write_text(NEW_ARTICLE, encoding="utf-8")


def _edit_title(project: Project, title: str) -> None:
    file = project.root / EDITED
    text = file.read_text(encoding="utf-8")
    file.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}", text, count=1), encoding="utf-8")


def test_sitemap_lists_every_page_also_after_an_incremental_build(project: Project) -> None:
    extra = f"PLUGINS = ['generator', 'sitemap']\nSITEURL = {SITE!r}\nSITEMAP = {{'format': 'txt'}}"
    project.build(project.settings(extra))
    listed = set((project.output / "sitemap.txt").read_text(encoding="utf-8").split())
    pages = html_pages(project.output, ("articles", "regions", "speakers", "days", "pages"))
    assert len(pages) > 50
    expected = {f"{SITE}/{p.removesuffix('index.html')}" for p in pages}
    assert expected <= listed, sorted(expected - listed)[:5]
    assert f"{SITE}/" in listed  # the home page
    # An edit renders a few pages and keeps the rest: every page is still listed, as in a
    # cold build of the edited content.
    _add_article(project)
    project.build(project.settings(extra))
    assert differences(project.output, project.cold(extra)) == []
    again = set((project.output / "sitemap.txt").read_text(encoding="utf-8").split())
    assert f"{SITE}/articles/night-shelling-kreminna.html" in again
    assert listed < again


def _neighbours(page: Path) -> dict[str, str]:
    html = page.read_text(encoding="utf-8")
    return dict(re.findall(r'rel="(prev|next)" href="([^"/]+)\.html"', html))  # same folder


def test_neighbors_link_articles_in_date_order_and_an_edit_equals_cold(project: Project) -> None:
    extra = "PLUGINS = ['generator', 'neighbors']"
    project.build(project.settings(extra))
    articles = project.output / "articles"
    newest = _neighbours(articles / "summer-time.html")
    assert newest == {"prev": "berlusconi-zelenskyy-row"}  # the newest has no newer one
    assert _neighbours(articles / "bakhmut-battle.html") == {
        "prev": "nato-ammunition-fighter-jets",
        "next": "berlusconi-zelenskyy-row",
    }
    # An article between two changes the pages of both, whose own files did not change.
    _add_article(project)
    project.build(project.settings(extra))
    assert _neighbours(articles / "berlusconi-zelenskyy-row.html") == {
        "prev": "bakhmut-battle",
        "next": "night-shelling-kreminna",
    }
    assert _neighbours(articles / "summer-time.html") == {"prev": "night-shelling-kreminna"}
    assert differences(project.output, project.cold(extra)) == []


def test_related_posts_are_the_articles_sharing_tags(project: Project) -> None:
    project.build(project.settings("PLUGINS = ['generator', 'related_posts']"))
    html = (project.output / "articles" / "bakhmut-battle.html").read_text(encoding="utf-8")
    related = html.split("<h2>Related articles</h2>", 1)[1].split("</ul>", 1)[0]
    linked = re.findall(r'href="([^"/]+)\.html"', related)  # an article beside it
    assert linked == ["kreminna-kherson-shelling"]  # tags [bakhmut, shelling]: one shares
    alone = (project.output / "articles" / "berlusconi-zelenskyy-row.html").read_text(
        encoding="utf-8"
    )
    assert "Related articles" not in alone  # [diplomacy, italy]: nothing shares a tag


def _stamps(output: Path) -> dict[str, tuple[int, int, bytes]]:
    return {
        p.relative_to(output).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in output.rglob("*.html")
    }


def test_minify_minifies_each_page_once(project: Project) -> None:
    # Its JavaScript and CSS minifiers are the HTML minifier, which breaks scripts (it turns
    # `<` into `&lt;`): a site enables the HTML part.
    extra = "PLUGINS = ['generator', 'minify']\nJS_MIN = CSS_MIN = False"
    plain = project.root / "plain"
    project.build(project.settings("", "plain.py", output=plain), cache="cache-plain")
    project.build(project.settings(extra))
    index = (project.output / "index.html").read_text(encoding="utf-8")
    assert "\n  <" not in index and len(index) < 0.9 * len((plain / "index.html").read_bytes())
    first = _stamps(project.output)
    project.build(project.settings(extra))  # nothing changed: nothing is rewritten
    assert _stamps(project.output) == first
    with zipfile.ZipFile(project.output / "download" / "timeline-site.zip") as archive:
        page = (project.output / "index.html").read_bytes()  # minified, links to feeds rewritten
        assert archive.read("index.html") == rewrite_links(
            "index.html", page, set(archive.namelist()), ""
        )
    _edit_title(project, "Kreminna troops fall back as shelling hits Kherson")
    project.build(project.settings(extra))
    assert differences(project.output, project.cold(extra)) == []


PROBE = """
import json
from pathlib import Path
from pelican import signals
from pelican.contents import Article, Page

seen = {"init": [], "articles": [], "pages": [], "context": [], "written": []}

def on_init(content):
    seen["init"].append("Article" if isinstance(content, Article) else
                        "Page" if isinstance(content, Page) else type(content).__name__)

def on_articles(generator):
    seen["articles"] = [[isinstance(a, Article), a.url, a.save_as, a.title,
                         a.settings["SITENAME"], a.metadata["slug"], bool(a.content)]
                        for a in generator.articles]

def on_pages(generator):
    seen["pages"] = [[isinstance(p, Page), p.url, p.save_as] for p in generator.pages]

def on_all(generators):
    context = generators[0].context
    seen["context"] = [isinstance(a, Article) for a in context["articles"]]

def on_written(path, context):
    seen["written"].append(path)

def on_finalized(pelican):
    out = Path(pelican.settings["OUTPUT_PATH"])
    seen["written"] = sorted(str(Path(p).relative_to(out)) for p in seen["written"])
    Path(PROBE_FILE).write_text(json.dumps(seen))

def register():
    signals.content_object_init.connect(on_init)
    signals.article_generator_finalized.connect(on_articles)
    signals.page_generator_finalized.connect(on_pages)
    signals.all_generators_finalized.connect(on_all)
    signals.content_written.connect(on_written)
    signals.finalized.connect(on_finalized)
"""


def test_pelican_signals_see_pelican_objects_for_our_content(project: Project) -> None:
    plugins = project.root / "plugins" / "probe"
    plugins.mkdir(parents=True)
    record = project.root / "probe.json"
    (plugins / "__init__.py").write_text(f"PROBE_FILE = {str(record)!r}\n{PROBE}", encoding="utf-8")
    extra = (
        f"PLUGIN_PATHS = [{str(project.root / 'plugins')!r}] + PLUGIN_PATHS\n"
        "PLUGINS = ['generator', 'probe']\nTIMELINE_WORKERS = 2"
    )
    for _ in range(2):  # cold, then warm: every page is announced either way
        project.build(project.settings(extra))
        seen = json.loads(record.read_text(encoding="utf-8"))
        drafts = 1  # the demo keeps one draft: Pelican gets it too, as a draft
        demo = len(list((project.content / "articles").rglob("*.md")))
        assert sorted(seen["init"]) == ["Article"] * demo + ["Page"] * 1
        assert len(seen["articles"]) == demo - drafts
        for is_article, url, save_as, title, sitename, slug, content in seen["articles"]:
            assert is_article and url == save_as == f"articles/{slug}.html"
            assert title and sitename == "Timeline digests" and content
        assert seen["pages"] == [[True, "pages/about.html", "pages/about.html"]]
        assert seen["context"] == [True] * (demo - drafts)
        assert seen["written"] == sorted(set(seen["written"]))  # each page once
        feeds = {
            p.relative_to(project.output).as_posix()
            for p in (project.output / "feeds").rglob("*.xml")
        }
        pages = set(html_pages(project.output)) - {"download.html"}  # written by a task
        assert set(seen["written"]) == pages | feeds


def test_static_paths_and_extra_path_metadata_copy_cname_robots_and_images(
    project: Project,
) -> None:
    extra_folder = project.content / "extra"
    extra_folder.mkdir()
    (extra_folder / "CNAME").write_text("timeline.example.org\n", encoding="utf-8")
    (extra_folder / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    images = project.content / "images"
    images.mkdir()
    (images / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(64))
    extra = (
        "STATIC_PATHS = ['images', 'extra/CNAME', 'extra/robots.txt']\n"
        "EXTRA_PATH_METADATA = {'extra/CNAME': {'path': 'CNAME'}, "
        "'extra/robots.txt': {'path': 'robots.txt'}}"
    )
    project.build(project.settings(extra))
    assert (project.output / "CNAME").read_text(encoding="utf-8") == "timeline.example.org\n"
    assert (project.output / "robots.txt").read_bytes() == (
        extra_folder / "robots.txt"
    ).read_bytes()
    assert (project.output / "images" / "map.png").read_bytes() == (images / "map.png").read_bytes()
    project.build(project.settings(extra))  # kept on a warm build too
    assert (project.output / "CNAME").is_file() and (project.output / "robots.txt").is_file()


def test_an_error_a_plugin_logs_fails_the_build_and_keeps_the_last_site(
    project: Project,
) -> None:
    """Pelican only logs what goes wrong in a plugin or a template and builds on; ours fails
    before the swap, with the plugin's words."""
    project.build(project.settings())
    before = {p: p.read_bytes() for p in project.output.rglob("*") if p.is_file()}
    plugins = project.root / "plugins" / "complains"
    plugins.mkdir(parents=True)
    (plugins / "__init__.py").write_text(
        "import logging\nfrom pelican import signals\n\n"
        "def complain(generators):\n"
        "    logging.getLogger('pelican.plugins.complains').error('the gazetteer is missing')\n\n"
        "def register():\n    signals.all_generators_finalized.connect(complain)\n",
        encoding="utf-8",
    )
    extra = (
        f"PLUGIN_PATHS = [{str(project.root / 'plugins')!r}] + PLUGIN_PATHS\n"
        "PLUGINS = ['generator', 'complains']"
    )
    done = project.run("-m", "generator", "build", "--settings", str(project.settings(extra)))
    assert done.returncode == 2
    assert "the build reported errors" in done.stderr and "the gazetteer is missing" in done.stderr
    assert {p: p.read_bytes() for p in project.output.rglob("*") if p.is_file()} == before


def test_a_static_file_that_is_a_link_out_of_the_project_is_refused(project: Project) -> None:
    """Pelican copies STATIC_PATHS following symbolic links: a link committed under content/
    could publish any file of the machine that builds the site."""
    images = project.content / "images"
    images.mkdir()
    (images / "map.png").symlink_to("/etc/hostname")
    done = project.run(
        "-m",
        "generator",
        "build",
        "--settings",
        str(project.settings("STATIC_PATHS = ['images']")),
    )
    assert done.returncode == 1
    assert "content/images/map.png:1:1: symbolic links are not allowed in content/" in done.stderr
    assert not project.output.exists()
