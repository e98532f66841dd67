"""build/cache.py's signed files: written in chunks as their pieces come, the signature put
in front; read back only when this machine's key signed them."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest

from generator.build import cache
from generator.build.cache import read_signed, write_signed

KEY = b"k" * 32


@pytest.mark.parametrize("sizes", [[], [0], [5], [cache.CHUNK - 1, 1, 2], [3 * cache.CHUNK + 7, 9]])
def test_pieces_across_chunks_read_back_as_one_body_signed_in_front(
    tmp_path: Path, sizes: list[int]
) -> None:
    pieces = [bytes([65 + n % 26]) * size for n, size in enumerate(sizes)]
    body = b"".join(pieces)
    file = tmp_path / "file.json"
    write_signed(file, iter(pieces), KEY)  # taken once
    data = file.read_bytes()
    assert data == hmac.new(KEY, body, hashlib.sha256).hexdigest().encode() + b"\n" + body
    assert read_signed(file, KEY) == body
    assert read_signed(file, b"x" * 32) is None
    assert [p.name for p in tmp_path.iterdir()] == ["file.json"]  # no temporary left


def test_a_failed_write_leaves_the_file_before_and_no_temporary(tmp_path: Path) -> None:
    file = tmp_path / "file.json"
    write_signed(file, b"before", KEY)

    def failing() -> object:
        yield b"x" * (cache.CHUNK + 1)
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_signed(file, failing(), KEY)  # type: ignore[arg-type]
    assert read_signed(file, KEY) == b"before"
    assert [p.name for p in tmp_path.iterdir()] == ["file.json"]
