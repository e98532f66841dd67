"""Typed access to one YAML mapping, reporting every bad field at its own position."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..diagnostics import Diagnostics, did_you_mean
from .files import CONTROL
from .strictyaml import Position, YamlList, YamlMap

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def is_id(value: str) -> bool:
    return ID_PATTERN.fullmatch(value) is not None


class Fields:
    """Reads the fields of one mapping; problems go to the shared diagnostics."""

    def __init__(self, path: str, mapping: YamlMap, diagnostics: Diagnostics, what: str) -> None:
        self.path = path
        self.mapping = mapping
        self.diagnostics = diagnostics
        self.what = what  # e.g. "front matter", "region 'bakhmut'"

    def error_at(self, position: Position, message: str) -> None:
        self.diagnostics.add(self.path, position[0], position[1], message)

    def error(self, key: str, message: str) -> None:
        self.error_at(self.mapping.value_pos.get(key, self.mapping.key_pos.get(key, (1, 1))),
                      message)

    def key_error(self, key: str, message: str) -> None:
        self.error_at(self.mapping.key_pos[key], message)

    def check_keys(self, allowed: tuple[str, ...], refused: Mapping[str, str]) -> None:
        """Every key must be known; `refused` explains keys that are known but not ours to set."""
        for key in self.mapping:
            if key in allowed:
                continue
            if key in refused:
                self.key_error(key, f"'{key}' cannot be set in {self.what}: {refused[key]}")
            else:
                hint = did_you_mean(key, allowed)
                allowed_list = ", ".join(allowed)
                self.key_error(key, f"unknown key '{key}' in {self.what}{hint}"
                               + ("" if hint else f" (allowed: {allowed_list})"))

    def text(self, key: str, required: bool = False) -> str | None:
        """A text value, stripped; None (and an error if required) when missing or empty."""
        if key not in self.mapping:
            if required:
                line = min(self.mapping.key_pos.values(), default=(1, 1))[0]
                self.error_at((line, 1), f"{self.what} is missing '{key}': add a line "
                              f"'{key}: …'")
            return None
        value = self.mapping[key]
        if not isinstance(value, str):
            self.error(key, f"'{key}' must be text, not a {_kind(value)}")
            return None
        value = value.strip()
        if CONTROL.search(value):
            self.error(key, f"'{key}' contains a control character (written as an escape "
                       "such as \\e or \\0): remove it")
            return None
        if not value and required:
            self.error(key, f"'{key}' is empty")
            return None
        return value or None

    def text_list(self, key: str) -> list[tuple[str, Position]]:
        """A list of texts (a single text counts as a list of one), each with its position."""
        if key not in self.mapping:
            return []
        value = self.mapping[key]
        if isinstance(value, str):
            return [(value.strip(), self.mapping.value_pos[key])] if value.strip() else []
        if not isinstance(value, YamlList):
            self.error(key, f"'{key}' must be a list, not a {_kind(value)}")
            return []
        items: list[tuple[str, Position]] = []
        for item, position in zip(value, value.item_pos, strict=True):
            if isinstance(item, str) and item.strip():
                items.append((item.strip(), position))
            else:
                self.error_at(position, f"each item of '{key}' must be non-empty text")
        return items


def _kind(value: object) -> str:
    if isinstance(value, YamlMap):
        return "mapping"
    if isinstance(value, YamlList):
        return "list"
    return "text"
