"""The content cache's codec: every record of the spec site survives a round trip exactly,
and a line that does not fit the model is refused (a cache miss), never half-read."""

from __future__ import annotations

from generator.build.cache import dump_document, load_document
from generator.model.records import Article

from ..support import SPEC_SITE, read_site


def test_every_document_of_the_spec_site_survives_the_cache() -> None:
    site = read_site(SPEC_SITE / "content")
    documents = [*site.articles, *site.pages]
    assert any(a.events and a.quotes for a in site.articles)
    for document in documents:
        again = load_document(dump_document(document))
        assert again == document
        assert type(again) is type(document)
        if isinstance(document, Article):  # same types inside: tuples and aware datetimes
            assert isinstance(again, Article)
            assert again.events == document.events and type(again.events) is tuple
            assert [e.time.utcoffset() for e in again.events] == [
                e.time.utcoffset() for e in document.events
            ]


def test_a_line_that_does_not_fit_is_a_miss() -> None:
    site = read_site(SPEC_SITE / "content")
    line = dump_document(site.articles[0])
    for broken in (
        line.replace(b'"title":', b'"titel":', 1),
        b'"a",{}',
        b'"x",{"slug":"a"}',
        line[:-5],
        b'"a",[1,2]',
    ):
        assert load_document(broken) is None
