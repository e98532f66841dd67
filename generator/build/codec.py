"""Articles and pages as JSON and back, for the content cache.

JSON, not pickle: loading a cache must never be able to run code. msgspec reads it straight
into the frozen model records (typed, so a line that does not fit is an error, not a
half-built record), several times faster than json plus building each record by hand: a warm
build loads every cached article.
"""

from __future__ import annotations

from typing import Any

import msgspec

from ..model.records import Article, Page

ARTICLE, PAGE = b"a", b"p"
_ENCODER = msgspec.json.Encoder()
_DECODERS: dict[bytes, msgspec.json.Decoder[Any]] = {
    ARTICLE: msgspec.json.Decoder(Article),
    PAGE: msgspec.json.Decoder(Page),
}

CodecError = msgspec.MsgspecError


def encode(document: Article | Page) -> tuple[bytes, bytes]:
    """(kind, JSON object) of a document."""
    return (PAGE if isinstance(document, Page) else ARTICLE), _ENCODER.encode(document)


def decode(kind: bytes, body: bytes | memoryview) -> Article | Page:
    """The document that `encode` gave (kind, body) for; CodecError when it does not fit."""
    decoder = _DECODERS.get(kind)
    if decoder is None:
        raise msgspec.ValidationError(f"unknown kind {kind!r}")
    document: Article | Page = decoder.decode(body)
    return document
