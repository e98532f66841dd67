"""What the build no longer holds for its whole length: Pelican's copy of every article's
content, every brief card a process rendered, bodies as text, a task's pieces once saved.
Each still gives what it gave."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from generator.build.pieces import StoredPieces
from generator.build.resident import Fragments
from generator.model.records import ROOT, pack_html
from generator.model.urls import rebase
from generator.plugin.objects import RecordArticle, Wrappers
from generator.render.cards import Cards

from ..support import SPEC_SITE, _project_settings, read_site


@pytest.fixture(scope="module")
def site() -> Any:
    return read_site(SPEC_SITE / "content")


def test_pelican_content_is_made_from_the_record_when_asked(site: Any) -> None:
    record = next(a for a in site.articles if ROOT in a.body_html)
    settings = {**_project_settings(), "SITEURL": ""}
    made = RecordArticle(record, "x.md", "x.md", settings, {}, Wrappers(settings))
    expected = rebase(record.body_html, "")
    assert made.content == expected
    assert expected not in vars(made).values()  # not held by the object
    made._content = "<p>set by a plugin</p>"
    assert made.content == "<p>set by a plugin</p>"


def test_bounded_cards_forget_past_the_limit_and_render_the_same(site: Any) -> None:
    zone = ZoneInfo(site.timezone)
    bounded, kept = Cards(zone, limit=2), Cards(zone)
    for _ in range(2):
        for event in site.events:
            for place in (False, True):
                assert bounded.event(site, event, True, place, brief=True) == kept.event(
                    site, event, True, place, brief=True
                )
        for quote in site.quotes:
            assert bounded.quote(site, quote, True, brief=True) == kept.quote(
                site, quote, True, brief=True
            )
    assert len(kept.brief) > 3 >= len(bounded.brief)


def test_records_keep_their_body_packed(site: Any) -> None:
    record = max(site.articles, key=lambda a: len(a.body))
    html = record.body_html
    assert ROOT in html and html.startswith("<")
    assert record.body == pack_html(html)
    assert len(record.body) * 2 < len(html.encode())  # compressed, not the text
    assert html not in [getattr(record, name) for name in type(record).__slots__]
    page = site.pages[0]
    assert page.body == pack_html(page.body_html)


def test_root_is_one_byte_a_character() -> None:
    """A fragment that links is otherwise ASCII: a wider marker widened the whole string."""
    assert ROOT.isascii() and not ROOT.isprintable()


def test_stored_pieces_are_made_once_and_let_go_once_saved(tmp_path: Path) -> None:
    made: list[str] = []

    def make(value: str) -> str:
        made.append(value)
        return value

    fragments = Fragments(stored=StoredPieces(tmp_path))
    for _ in range(2):  # a slide serves every region around its place: made once
        assert fragments.get(("slide", "e1", "d1"), lambda: make("one")) == "one"
    assert made == ["one"] and fragments.made == {}  # remembered by `stored` alone
    stored = fragments.stored
    assert stored is not None and stored.used
    fragments.save()
    assert stored.used == {} and stored.loaded == {}  # nothing held once saved
    assert fragments.get(("slide", "e1", "d1"), lambda: make("again")) == "one"  # read back
    assert made == ["one"]


def test_pieces_are_remembered_without_a_cache_folder() -> None:
    made: list[int] = []
    fragments = Fragments(stored=StoredPieces(None))
    for _ in range(3):
        fragments.get(("slide", "e1", "d1"), lambda: made.append(1) or "x")
    assert made == [1]
