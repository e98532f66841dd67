"""Article history from the repository (TIMELINE_REPO_URL): revisions linked to their commits
and "Edit this page", from commits only, so two builds give the same bytes."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from generator.cli import main

from ..support import REPO, base_project

REPO_URL = "https://github.com/example/timeline"


def git(repo: Path, *argv: str, date: str = "2024-03-01T10:00:00+02:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Desk",
        "GIT_AUTHOR_EMAIL": "desk@example.org",
        "GIT_COMMITTER_NAME": "Desk",
        "GIT_COMMITTER_EMAIL": "desk@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *argv], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def settings(folder: Path, content: Path, extra: str = "") -> str:
    file = folder / "conf.py"
    file.write_text(
        "import runpy\n"
        f"globals().update({{k: v for k, v in runpy.run_path({str(REPO / 'pelicanconf.py')!r})"
        ".items() if k.isupper()})\n"
        f"PATH = {str(content)!r}\nTHEME = {str(REPO / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(REPO)!r}]\nTIMELINE_DOWNLOAD_ZIP = False\n{extra}\n",
        encoding="utf-8",
    )
    return str(file)


def article_page(output: Path) -> str:
    pages = sorted((output / "articles").glob("*.html"))
    return pages[0].read_text(encoding="utf-8")


def test_an_article_lists_its_revisions_and_links_to_edit_it(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    content = base_project(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "First report from the harbour")
    article = sorted((content / "articles").rglob("*.md"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nMore later.\n", encoding="utf-8")
    git(repo, "commit", "-qam", "Add a line & <b>not bold</b>", date="2024-03-02T09:30:00+02:00")
    commits = git(repo, "log", "--format=%H").split()
    conf = settings(tmp_path, content, f"TIMELINE_REPO_URL = {REPO_URL!r}")
    first, second = tmp_path / "one", tmp_path / "two"
    assert main(["build", "--settings", conf, "--output", str(first)]) == 0
    html = article_page(first)
    assert f'href="{REPO_URL}/commit/{commits[0]}"' in html  # newest first
    assert f'href="{REPO_URL}/commit/{commits[1]}"' in html
    assert html.index(commits[0][:7]) < html.index(commits[1][:7])
    assert "Add a line &amp; &lt;b&gt;not bold&lt;/b&gt;" in html  # a message is text
    assert '<time datetime="2024-03-02T09:30:00+02:00">2024-03-02</time>' in html
    place = article.relative_to(repo).as_posix()
    assert f'href="{REPO_URL}/edit/main/{place}"' in html
    assert main(["build", "--settings", conf, "--output", str(second)]) == 0
    assert article_page(second) == html  # from commits, not the clock


def test_without_the_setting_or_outside_git_there_is_no_history(tmp_path: Path) -> None:
    content = base_project(tmp_path / "project")  # not a repository
    with_setting = settings(tmp_path, content, f"TIMELINE_REPO_URL = {REPO_URL!r}")
    assert main(["build", "--settings", with_setting, "--output", str(tmp_path / "a")]) == 0
    assert "History" not in article_page(tmp_path / "a")
    assert "Edit this page" not in article_page(tmp_path / "a")


def test_the_repository_address_must_be_https(tmp_path: Path) -> None:
    content = base_project(tmp_path / "project")
    conf = settings(tmp_path, content, "TIMELINE_REPO_URL = 'javascript:alert(1)'")
    assert main(["build", "--settings", conf, "--output", str(tmp_path / "out")]) == 2
