"""Removing an old output tree (many folders at once) removes all of it and nothing else, now
or, parked in the cache, beside the next build."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from generator.build.staging import _remove_tree, sweeping_parked


def test_a_tree_goes_whole_and_links_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "inner").mkdir(parents=True)
    (outside / "keep.html").write_text("keep")
    (outside / "inner" / "keep.html").write_text("keep")
    tree = tmp_path / "tree"
    for top in range(3):
        for sub in range(20):
            folder = tree / f"t{top}" / f"s{sub}" / "deeper"
            folder.mkdir(parents=True)
            (folder / "page.html").write_text("x")
            (folder.parent / "index.html").write_text("x")
        for number in range(1200):  # more than one batch of files
            (tree / f"t{top}" / f"{number}.html").write_text("x")
    (tree / "index.html").write_text("x")
    os.symlink(outside, tree / "t0" / "link")  # a link among the files of a top folder
    os.symlink(outside, tree / "t1" / "s0" / "link")  # and deeper, inside a subfolder
    os.symlink(outside, tree / "top-link")
    _remove_tree(tree)
    assert not tree.exists()
    assert sorted(p.relative_to(outside).as_posix() for p in outside.rglob("*")) == [
        "inner",
        "inner/keep.html",
        "keep.html",
    ]


def test_a_link_in_the_tree_s_place_is_removed_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.html").write_text("keep")
    os.symlink(outside, tmp_path / "tree")
    _remove_tree(tmp_path / "tree")
    assert not os.path.lexists(tmp_path / "tree")
    assert (outside / "keep.html").read_text() == "keep"


def _parked_trees(folder: Path, count: int) -> None:
    for number in range(count):
        tree = folder / f"old-output-{number}"
        for sub in range(30):
            (tree / f"s{sub}").mkdir(parents=True)
            for page in range(20):
                (tree / f"s{sub}" / f"{page}.html").write_text("x")


@pytest.mark.parametrize("workers", [1, 2])
def test_parked_trees_are_swept_beside_the_build_and_nothing_else(
    tmp_path: Path, workers: int
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.html").write_text("keep")
    cache = tmp_path / "cache"
    _parked_trees(cache, 2)
    os.symlink(outside, cache / "old-output-link")  # removed itself, never followed
    (cache / "scope-1").mkdir()  # the cache's own folders stay
    (cache / "pages-1.json").write_text("{}")
    with sweeping_parked(cache, workers):
        pass
    assert sorted(p.name for p in cache.iterdir()) == ["pages-1.json", "scope-1"]
    assert (outside / "keep.html").read_text() == "keep"
    assert multiprocessing.active_children() == []


def test_a_failed_build_stops_the_sweep_and_the_next_finishes_it(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _parked_trees(cache, 3)
    with pytest.raises(RuntimeError), sweeping_parked(cache, workers=2):
        raise RuntimeError("the build failed")
    assert multiprocessing.active_children() == []  # stopped, not left running
    with sweeping_parked(cache, workers=2):
        pass
    assert list(cache.iterdir()) == []
