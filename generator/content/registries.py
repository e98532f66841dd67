"""regions.yaml and speakers.yaml: loaded and validated once per build."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..diagnostics import HINTS_PER_FILE, Diagnostics, did_you_mean
from ..model.records import Region, Speaker
from .fields import Fields, is_id
from .files import SourceFile, display_path, read_source
from .strictyaml import YamlMap, YamlProblem, load

REGION_KEYS = ("name", "parent", "kind", "aliases", "lat", "lon")
SPEAKER_KEYS = ("name", "role", "affiliation", "aliases")
Entry = TypeVar("Entry", Region, Speaker)


@dataclass(frozen=True)
class Registries:
    regions: Mapping[str, Region]
    speakers: Mapping[str, Speaker]

    def region_hint(self, unknown: str) -> str:
        return _hint(unknown, self.regions)

    def speaker_hint(self, unknown: str) -> str:
        return _hint(unknown, self.speakers)


def _hint(unknown: str, known: Mapping[str, Region] | Mapping[str, Speaker]) -> str:
    hint = did_you_mean(unknown, known)
    if hint:
        return hint
    wanted = unknown.replace("-", " ").lower()
    for entry in known.values():
        names = (entry.name, *entry.aliases)
        if any(name.lower() == wanted for name in names):
            return f" — did you mean '{entry.id}'?"
    return ""


def load_registries(content: Path, root: Path, limit: int, diagnostics: Diagnostics) -> Registries:
    """Both registries; every problem in them goes to `diagnostics`."""
    regions = _load_entries(content / "regions.yaml", root, limit, diagnostics, _region)
    speakers = _load_entries(content / "speakers.yaml", root, limit, diagnostics, _speaker)
    path = display_path(content / "regions.yaml", root)
    _check_parents(path, regions, diagnostics)
    return Registries(regions=regions, speakers=speakers)


def _load_entries(file: Path, root: Path, limit: int, diagnostics: Diagnostics,
                  make: Callable[[SourceFile, str, int, YamlMap, Diagnostics], Entry | None],
                  ) -> dict[str, Entry]:
    source = read_source(file, root, limit, diagnostics)
    if source is None:
        return {}
    try:
        data = load(source.text)
    except YamlProblem as problem:
        diagnostics.add(source.path, problem.line, problem.col, problem.message)
        return {}
    if not isinstance(data, YamlMap):
        diagnostics.add(source.path, 1, 1, "expected a mapping of id → entry")
        return {}
    entries: dict[str, Entry] = {}
    for entry_id, value in data.items():
        line, col = data.key_pos[entry_id]
        if not is_id(entry_id):
            diagnostics.add(source.path, line, col,
                            f"id '{entry_id}' must be lowercase letters, digits and single "
                            "hyphens (like 'kherson-city')")
            continue
        if not isinstance(value, YamlMap):
            diagnostics.add(source.path, line, col, f"'{entry_id}' must be a mapping of fields")
            continue
        built = make(source, entry_id, line, value, diagnostics)
        if built is not None:
            entries[entry_id] = built
    return entries


def _named(source: SourceFile, what: str, line: int, value: YamlMap, keys: tuple[str, ...],
           diagnostics: Diagnostics) -> tuple[Fields, str] | None:
    """An entry's fields (keys checked) and its required name."""
    fields = Fields(source.path, value, diagnostics, what)
    fields.check_keys(keys, {})
    name = fields.text("name")
    if name is None:
        diagnostics.add(source.path, line, 1, f"{what} needs a 'name'")
        return None
    return fields, name


def _region(source: SourceFile, region_id: str, line: int, value: YamlMap,
            diagnostics: Diagnostics) -> Region | None:
    named = _named(source, f"region '{region_id}'", line, value, REGION_KEYS, diagnostics)
    if named is None:
        return None
    fields, name = named
    return Region(
        id=region_id, name=name, parent=fields.text("parent"), kind=fields.text("kind"),
        aliases=tuple(alias for alias, _ in fields.text_list("aliases")),
        lat=_coordinate(fields, "lat", 90.0), lon=_coordinate(fields, "lon", 180.0), line=line,
    )


def _speaker(source: SourceFile, speaker_id: str, line: int, value: YamlMap,
             diagnostics: Diagnostics) -> Speaker | None:
    named = _named(source, f"speaker '{speaker_id}'", line, value, SPEAKER_KEYS, diagnostics)
    if named is None:
        return None
    fields, name = named
    return Speaker(
        id=speaker_id, name=name, role=fields.text("role"),
        affiliation=fields.text("affiliation"),
        aliases=tuple(alias for alias, _ in fields.text_list("aliases")), line=line,
    )


def _coordinate(fields: Fields, key: str, bound: float) -> float | None:
    text = fields.text(key)
    if text is None:
        return None
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or abs(number) > bound:
        fields.error(key, f"'{key}' must be a number from -{bound:g} to {bound:g}, not '{text}'")
        return None
    return number


def _check_parents(path: str, regions: dict[str, Region], diagnostics: Diagnostics) -> None:
    """Every parent exists and the parents form a tree."""
    hints = HINTS_PER_FILE
    for region in regions.values():
        if region.parent is not None and region.parent not in regions:
            hints -= 1
            hint = did_you_mean(region.parent, regions) if hints >= 0 else ""
            diagnostics.add(path, region.line, 1,
                            f"region '{region.id}' has unknown parent '{region.parent}'{hint}")
    reported: set[str] = set()
    for start in sorted(regions):
        chain: list[str] = []
        current: str | None = start
        while current is not None and current in regions and current not in chain:
            chain.append(current)
            current = regions[current].parent
        if current is not None and current in chain and current not in reported:
            cycle = chain[chain.index(current):]
            reported.update(cycle)
            loop = " → ".join([*cycle, current])
            diagnostics.add(path, regions[current].line, 1, f"regions form a parent cycle: {loop}")
