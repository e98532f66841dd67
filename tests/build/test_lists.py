"""build/lists.py: a JSON list written from last build's file, copying the items it holds."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

from generator.build.lists import Layout, load_layout, save_layout, write_list
from generator.build.output import stamp_of


def _text(key: str) -> str:
    return json.dumps({"id": key, "text": f"words of {key} " * (len(key) % 5)})


def _written(
    path: Path, keys: list[str], previous: Path | None = None, layout: Layout | None = None
) -> tuple[bytes, dict[str, tuple[int, int]], list[str]]:
    made: list[str] = []

    def make(key: str) -> str:
        made.append(key)
        return _text(key)

    old = os.open(previous, os.O_RDONLY) if previous is not None else None
    into = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC)
    try:
        items = write_list(into, ((key, key) for key in keys), make, old, layout)
    finally:
        os.close(into)
        if old is not None:
            os.close(old)
    return path.read_bytes(), items, made


def _expected(keys: list[str]) -> bytes:
    return ("[" + ",".join(_text(key) for key in keys) + "]\n").encode()


def test_a_list_without_a_previous_file_is_made_whole_and_its_items_placed(
    tmp_path: Path,
) -> None:
    keys = ["a", "bb", "ccc"]
    data, items, made = _written(tmp_path / "list.json", keys)
    assert data == _expected(keys) and json.loads(data)
    assert made == keys
    for key, (offset, length) in items.items():
        assert data[offset : offset + length] == _text(key).encode()


@pytest.mark.parametrize("seed", range(40))
def test_any_edit_of_the_list_copies_what_the_previous_file_holds_and_equals_a_fresh_one(
    tmp_path: Path, seed: int
) -> None:
    """Items removed, added, changed (a new key) and moved, at the ends and inside."""
    chance = random.Random(seed)
    before = [f"item-{n}" for n in range(chance.randint(0, 30))]
    first = tmp_path / "first.json"
    _, items, _ = _written(first, before)
    after = [key for key in before if chance.random() > 0.2]
    for _ in range(chance.randint(0, 5)):
        after.insert(chance.randint(0, len(after)), f"new-{chance.randint(0, 10**6)}")
    if len(after) > 2 and chance.random() < 0.3:
        after.append(after.pop(0))  # an item moved to the end
    data, new_items, made = _written(
        tmp_path / "second.json", after, first, Layout(stamp_of(first), items)
    )
    assert data == _expected(after)
    assert made == [key for key in after if key not in before]
    for key, (offset, length) in new_items.items():
        assert data[offset : offset + length] == _text(key).encode()


def test_a_layout_without_the_previous_file_makes_every_item(tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    _, items, _ = _written(first, ["a", "b"])
    data, _, made = _written(tmp_path / "second.json", ["a", "b"], None, Layout((0, 0, 0), items))
    assert data == _expected(["a", "b"]) and made == ["a", "b"]


def test_a_layout_is_kept_signed_and_one_changed_by_hand_is_not_read(tmp_path: Path) -> None:
    layout = Layout((1, 2, 3), {"a\0digest": (1, 10)})
    save_layout(tmp_path, "data/events.json", layout)
    assert load_layout(tmp_path, "data/events.json") == layout
    (saved,) = tmp_path.glob("layout-*")
    assert saved.name == "layout-data-events.json"
    saved.write_bytes(saved.read_bytes().replace(b"10", b"11"))
    assert load_layout(tmp_path, "data/events.json") is None
    assert load_layout(None, "data/events.json") is None
