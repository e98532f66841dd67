"""Splitting a file into YAML front matter and a Markdown body, keeping file line numbers."""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostics
from .files import SourceFile
from .strictyaml import YamlMap, YamlProblem, load

FENCE = "---"
EXAMPLE = "start the file with a line '---', then YAML such as 'title: …', then a line '---'"


@dataclass(frozen=True)
class Split:
    meta: YamlMap
    body: str
    body_line: int  # file line number of the body's first line, minus one


def split_front_matter(
    source: SourceFile, limit: int, diagnostics: Diagnostics, max_lines: int | None = None
) -> Split | None:
    """The parsed front matter and the body, or None after adding a diagnostic."""
    lines = source.text.split("\n")
    count = len(lines) - (lines[-1] == "")  # a final newline ends the last line
    if max_lines is not None and count > max_lines:
        diagnostics.add(
            source.path,
            max_lines + 1,
            1,
            f"file has {count:,} lines; the limit is {max_lines:,}: split it into several articles",
        )
        return None
    if lines[0].rstrip() != FENCE:
        diagnostics.add(source.path, 1, 1, f"missing front matter: {EXAMPLE}")
        return None
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in (FENCE, "...")), None)
    if end is None:
        diagnostics.add(
            source.path, 1, 1, "unterminated front matter: no closing '---' line after the YAML"
        )
        return None
    yaml_text = "\n".join(lines[1:end])
    if len(yaml_text.encode()) > limit:
        diagnostics.add(source.path, 2, 1, f"front matter is larger than {limit:,} bytes")
        return None
    try:
        meta = load(yaml_text, line_offset=1)
    except YamlProblem as problem:
        diagnostics.add(source.path, problem.line, problem.col, problem.message)
        return None
    if meta is None:
        diagnostics.add(source.path, 2, 1, "front matter is empty: 'title' and 'date' are required")
        return None
    if not isinstance(meta, YamlMap):
        diagnostics.add(source.path, 2, 1, "front matter must be a mapping of 'key: value' lines")
        return None
    return Split(meta=meta, body="\n".join(lines[end + 1 :]), body_line=end + 1)
