"""What the build no longer holds for its whole length: Pelican's copy of every article's
content, and every brief card a process rendered. Each still gives what it gave."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest

from generator.model.records import ROOT
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
