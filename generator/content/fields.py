"""Typed access to one YAML mapping, reporting every bad field at its own position."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from ..diagnostics import Diagnostics, did_you_mean
from .files import CONTROL
from .strictyaml import Position, YamlList, YamlMap

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Characters that change how a name looks, or hide in it, without being seen: bidi controls
# and zero-width characters. Two names that look alike would be two places or people.
INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b-\u200d\u2060\ufeff]")
# Device names Windows reserves, with or without an extension: a file or folder so named
# cannot be checked out or unzipped there (con.html, regions/aux/index.html).
WINDOWS_RESERVED = frozenset(
    (
        "con",
        "prn",
        "aux",
        "nul",
        *(f"com{n}" for n in range(1, 10)),
        *(f"lpt{n}" for n in range(1, 10)),
    )
)


def is_id(value: str) -> bool:
    return ID_PATTERN.fullmatch(value) is not None


def is_reserved_name(name: str) -> bool:
    """True for `con`, `CON.md`, `aux.tar.gz`...: the part before the first dot is reserved."""
    return name.split(".", 1)[0].rstrip(" ").lower() in WINDOWS_RESERVED


def reserved_message(what: str, value: str) -> str:
    return (
        f"{what} '{value}' is a device name that Windows reserves (no file or folder can "
        f"be named so there): use a longer one, such as '{value}-1'"
    )


def invisible_message(what: str, value: str) -> str | None:
    """A message when `value` holds a bidi control or a zero-width character, else None."""
    found = INVISIBLE.search(value)
    if found is None:
        return None
    char = found.group()
    name = unicodedata.name(char, "format character").lower()
    return (
        f"{what} contains the invisible character U+{ord(char):04X} ({name}) at "
        f"character {found.start() + 1}: delete it (retype the text if unsure)"
    )


def id_problem(what: str, value: str, rule: str) -> str | None:
    """What is wrong with an id or a slug, or None: a hidden character, not `rule` (the
    pattern, in words), a reserved name."""
    hidden = invisible_message(f"{what} '{value}'", value)
    if hidden is not None:
        return hidden
    if not is_id(value):
        return f"{what} '{value}' {rule}"
    if is_reserved_name(value):
        return reserved_message(what, value)
    return None


def name_key(name: str) -> str:
    """What makes two names the same to a reader: case, compatibility forms (NFKC), accents
    and spacing ignored ("Kyiv", "KYIV", "Kyïv" and "Ｋｙｉｖ" are one name)."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


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
        self.error_at(
            self.mapping.value_pos.get(key, self.mapping.key_pos.get(key, (1, 1))), message
        )

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
                self.key_error(
                    key,
                    f"unknown key '{key}' in {self.what}{hint}"
                    + ("" if hint else f" (allowed: {allowed_list})"),
                )

    def text(self, key: str, required: bool = False) -> str | None:
        """A text value, stripped; None (and an error if required) when missing or empty."""
        if key not in self.mapping:
            if required:
                line = min(self.mapping.key_pos.values(), default=(1, 1))[0]
                self.error_at((line, 1), f"{self.what} is missing '{key}': add a line '{key}: …'")
            return None
        value = self.mapping[key]
        if not isinstance(value, str):
            self.error(key, f"'{key}' must be text, not a {_kind(value)}")
            return None
        value = value.strip()
        if CONTROL.search(value):
            self.error(
                key,
                f"'{key}' contains a control character (written as an escape "
                "such as \\e or \\0): remove it",
            )
            return None
        if not value and required:
            self.error(key, f"'{key}' is empty")
            return None
        return value or None

    def name(self, key: str, required: bool = False) -> str | None:
        """A text that names something (a title, a name): no invisible characters in it."""
        value = self.text(key, required=required)
        if value is not None and not self.visible(key, value, self.mapping.value_pos.get(key)):
            return None
        return value

    def visible(self, key: str, value: str, position: Position | None) -> bool:
        message = invisible_message(f"'{key}'", value)
        if message is not None:
            self.error_at(position or (1, 1), message)
        return message is None

    def name_list(self, key: str) -> list[tuple[str, Position]]:
        """A list of names (aliases): each without invisible characters."""
        return [
            (name, position)
            for name, position in self.text_list(key)
            if self.visible(key, name, position)
        ]

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
