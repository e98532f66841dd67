"""Places and people: content/regions.yaml and content/speakers.yaml, and the .yaml files of
content/regions/ and content/speakers/ (each a mapping of id → entry, like the single file),
merged and validated once per build.

The merge order is fixed: the single file first, then the folder's files by name. An id is
defined once across all of them, and two entries' names must not read the same.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from ..diagnostics import HINTS_PER_FILE, Diagnostics, did_you_mean
from ..model.records import Region, Speaker
from .discovery import registry_folder
from .fields import Fields, id_problem, is_id, is_reserved_name, name_key
from .files import SourceFile, display_path, read_source
from .strictyaml import Position, YamlMap, YamlProblem, load

REGION_KEYS = ("name", "parent", "kind", "aliases", "lat", "lon")
SPEAKER_KEYS = ("name", "role", "affiliation", "aliases")
ID_RULE = "must be lowercase letters, digits and single hyphens (like 'kherson-city')"
MAX_DEPTH = 32  # levels of `parent`: a region deeper than this is an error
SPECIFIC = {
    "region": "for instance with its oblast in brackets",
    "speaker": "for instance with a middle initial",
}
Entry = TypeVar("Entry", Region, Speaker)
Origin = tuple[str, int, int]  # file (as messages show it), line and column
Maker = Callable[[SourceFile, str, int, YamlMap, Diagnostics], Entry | None]


@dataclass(frozen=True)
class Registries:
    regions: Mapping[str, Region]
    speakers: Mapping[str, Speaker]
    folders: Mapping[str, str] = field(default_factory=dict)  # "region" → "content/regions"

    def region_hint(self, unknown: str) -> str:
        return _hint(unknown, self.regions)

    def speaker_hint(self, unknown: str) -> str:
        return _hint(unknown, self.speakers)

    def unknown(self, kind: str, ref: str, suggest: bool = True) -> str:
        """The message for an unknown "region" or "speaker" id: a close id (when `suggest`:
        they are costly) and the file that would add it."""
        hint = ""
        if suggest:
            hint = self.region_hint(ref) if kind == "region" else self.speaker_hint(ref)
        folder = self.folders.get(kind)
        if folder and is_id(ref) and not is_reserved_name(ref):
            hint += f" ({'or ' if hint else ''}add it as {folder}/{ref}.yaml)"
        return f"unknown {kind} '{ref}'{hint}"


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
    regions = _Loader("region", _region, diagnostics)
    speakers = _Loader("speaker", _speaker, diagnostics)
    for loader in (regions, speakers):
        loader.read_all(content, root, limit)
    _check_parents(regions.entries, regions.origins, diagnostics)
    folders = {kind: display_path(content / f"{kind}s", root) for kind in ("region", "speaker")}
    return Registries(regions=regions.entries, speakers=speakers.entries, folders=folders)


class _Loader(Generic[Entry]):
    """One kind of entry: its files read in order and merged, each id and each name once."""

    def __init__(self, kind: str, make: Maker[Entry], diagnostics: Diagnostics) -> None:
        self.kind = kind
        self.make: Maker[Entry] = make
        self.diagnostics = diagnostics
        self.entries: dict[str, Entry] = {}
        self.origins: dict[str, Origin] = {}  # every id met, usable or not
        self.names: dict[str, tuple[str, str, Origin]] = {}  # name key → id, name, where

    def read_all(self, content: Path, root: Path, limit: int) -> None:
        """content/<kind>s.yaml, then content/<kind>s/*.yaml by name; one of them must exist."""
        single = content / f"{self.kind}s.yaml"
        files = registry_folder(content / f"{self.kind}s", root, self.diagnostics)
        if single.exists() or single.is_symlink() or not files:
            files.insert(0, single)
        for file in files:  # a folder's files must really be in content/
            self.read(file, root, limit, None if file == single else content)

    def read(self, file: Path, root: Path, limit: int, inside: Path | None) -> None:
        if not file.exists() and not file.is_symlink():
            folder = display_path(file.with_suffix(""), root)
            self.diagnostics.add(
                display_path(file, root),
                1,
                1,
                f"file is missing: add it, or one file per {self.kind} in {folder}/",
            )
            return
        source = read_source(file, root, limit, self.diagnostics, inside=inside)
        if source is None:
            return
        try:
            data = load(source.text)
        except YamlProblem as problem:
            self.diagnostics.add(source.path, problem.line, problem.col, problem.message)
            return
        if not isinstance(data, YamlMap):
            self.diagnostics.add(source.path, 1, 1, "expected a mapping of id → entry")
            return
        for entry_id, value in data.items():
            self._entry(source, entry_id, data.key_pos[entry_id], value)

    def _entry(self, source: SourceFile, entry_id: str, position: Position, value: object) -> None:
        line, col = position
        problem = id_problem("id", entry_id, ID_RULE)
        if problem is not None:
            self.diagnostics.add(source.path, line, col, problem)
            return
        first = self.origins.setdefault(entry_id, (source.path, line, col))
        if first != (source.path, line, col):
            self.diagnostics.add(
                source.path,
                line,
                col,
                f"{self.kind} '{entry_id}' is defined "
                f"twice — also at {first[0]}:{first[1]}:{first[2]}",
            )
            return
        if not isinstance(value, YamlMap):
            self.diagnostics.add(
                source.path, line, col, f"'{entry_id}' must be a mapping of fields"
            )
            return
        built = self.make(source, entry_id, line, value, self.diagnostics)
        if built is not None:
            self.entries[entry_id] = built
            name_line, name_col = value.value_pos.get("name", position)
            self._check_name(built, (source.path, name_line, name_col))

    def _check_name(self, entry: Entry, where: Origin) -> None:
        """Two entries whose names read the same ("Kyiv", "KYIV", "Kyïv") cannot be told apart
        in lists, search and feeds."""
        first = self.names.setdefault(name_key(entry.name), (entry.id, entry.name, where))
        if first[0] != entry.id:
            other, name, (path, line, col) = first
            self.diagnostics.add(
                *where,
                f"{self.kind} name '{entry.name}' reads the same as "
                f"'{name}' ({self.kind} '{other}', at {path}:{line}:{col}) "
                "when case and accents are set aside: make one of them more "
                f"specific, {SPECIFIC[self.kind]}",
            )


def _named(
    source: SourceFile,
    what: str,
    line: int,
    value: YamlMap,
    keys: tuple[str, ...],
    diagnostics: Diagnostics,
) -> tuple[Fields, str] | None:
    """An entry's fields (keys checked) and its required name."""
    fields = Fields(source.path, value, diagnostics, what)
    fields.check_keys(keys, {})
    name = fields.text("name")
    if name is None:
        diagnostics.add(source.path, line, 1, f"{what} needs a 'name'")
        return None
    fields.visible("name", name, value.value_pos.get("name"))  # kept: its children still resolve
    return fields, name


def _region(
    source: SourceFile, region_id: str, line: int, value: YamlMap, diagnostics: Diagnostics
) -> Region | None:
    named = _named(source, f"region '{region_id}'", line, value, REGION_KEYS, diagnostics)
    if named is None:
        return None
    fields, name = named
    return Region(
        id=region_id,
        name=name,
        parent=fields.text("parent"),
        kind=fields.text("kind"),
        aliases=tuple(alias for alias, _ in fields.name_list("aliases")),
        lat=_coordinate(fields, "lat", 90.0),
        lon=_coordinate(fields, "lon", 180.0),
        line=line,
    )


def _speaker(
    source: SourceFile, speaker_id: str, line: int, value: YamlMap, diagnostics: Diagnostics
) -> Speaker | None:
    named = _named(source, f"speaker '{speaker_id}'", line, value, SPEAKER_KEYS, diagnostics)
    if named is None:
        return None
    fields, name = named
    return Speaker(
        id=speaker_id,
        name=name,
        role=fields.text("role"),
        affiliation=fields.text("affiliation"),
        aliases=tuple(alias for alias, _ in fields.name_list("aliases")),
        line=line,
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


def _check_parents(
    regions: dict[str, Region], origins: Mapping[str, Origin], diagnostics: Diagnostics
) -> None:
    """Every parent exists, the parents form a tree, and no region is deeper than MAX_DEPTH.

    Each region is walked once (its depth is kept), so a chain of 10,000 costs 10,000 steps.
    """
    hints = HINTS_PER_FILE
    for region in regions.values():
        if region.parent is not None and region.parent not in regions:
            hints -= 1
            hint = did_you_mean(region.parent, regions) if hints >= 0 else ""
            diagnostics.add(
                *origins[region.id],
                f"region '{region.id}' has unknown parent '{region.parent}'{hint}",
            )
    depth: dict[str, tuple[int, str] | None] = {}  # id → levels and root; None: in a cycle
    for start in sorted(regions):  # by id: a cycle is told from the same region every time
        walked: dict[str, int] = {}  # this walk's regions, in order
        current: str | None = start
        while current in regions and current not in depth and current not in walked:
            walked[current] = len(walked)
            current = regions[current].parent
        below: tuple[int, str] | None = (0, "")
        if current in walked:
            cycle = list(walked)[walked[current] :]
            loop = " → ".join([*cycle, current])
            diagnostics.add(*origins[current], f"regions form a parent cycle: {loop}")
            below = None
        elif current in depth:
            below = depth[current]
        for region_id in reversed(walked):
            if below is not None:
                below = (below[0] + 1, below[1] or region_id)
                if below[0] == MAX_DEPTH + 1:
                    diagnostics.add(*origins[region_id], _too_deep(region_id, below[1]))
            depth[region_id] = below


def _too_deep(region_id: str, root: str) -> str:
    return (
        f"region '{region_id}' is {MAX_DEPTH + 1} levels deep, counting from '{root}': at "
        f"most {MAX_DEPTH} levels of 'parent' are allowed; give it a parent nearer the top"
    )
