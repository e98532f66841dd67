"""Template values' fingerprints: the same token whichever way a list is walked."""

from __future__ import annotations

import hashlib
from datetime import date

from markupsafe import Markup

from generator.build.fingerprint import ValueHasher


def _hashed(parts: list[str]) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def test_a_list_of_plain_values_hashes_as_its_items_walked_one_by_one() -> None:
    day = date(2024, 1, 15)
    plain = ValueHasher({}).digest([(day, 3, "regions/north/2024-01-15.html"), None, True])
    inner = _hashed(["[", repr(day), "3", repr("regions/north/2024-01-15.html")])
    assert plain == _hashed([_hashed(["[", inner, "None", "True"])])


def test_every_item_and_its_kind_count() -> None:
    digest = ValueHasher({}).digest
    assert digest((1, "a")) != digest((1, "b"))
    assert digest((1, "a")) != digest(("1", "a"))
    assert digest(("a",)) != digest((Markup("a"),))  # not plain: walked, its repr differs
    assert digest([1, [2]]) != digest([1, 2])
