"""Removing an old output tree (many folders at once) removes all of it and nothing else."""

from __future__ import annotations

import os
from pathlib import Path

from generator.build.staging import _remove_tree


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
