"""A YAML subset for contributor files: plain data, with the position of every key and item.

Built on PyYAML's libyaml composer (fast) and our own constructor, which never runs code:
only mappings, sequences and text scalars are allowed. Every plain scalar stays text
(`title: 1234` is "1234", `no` is "no"), so no value changes type behind a contributor's back.
Tags, anchors/aliases (the billion-laughs bomb) and duplicate keys are errors with a position.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

try:  # libyaml: ~10× faster than the pure-Python parser, same nodes and marks
    from yaml import cyaml

    _Parser: Any = cyaml.CParser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = None

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
MAX_DEPTH = 20
_NEWLINE = re.compile("\n")

Position = tuple[int, int]  # 1-based line and column within the YAML text


class YamlProblem(Exception):
    """A problem at a position of the YAML text (1-based line and column)."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


class YamlMap(dict[str, Any]):
    """A mapping that remembers where each key and value stands."""

    key_pos: dict[str, Position]
    value_pos: dict[str, Position]


class YamlList(list[Any]):
    """A sequence that remembers where each item stands."""

    item_pos: list[Position]


YamlValue = str | YamlMap | YamlList


if _Parser is not None:

    class _Composer(_Parser, BaseResolver):  # type: ignore[misc]
        """libyaml's parser+composer with a resolver that knows no implicit types."""

        def __init__(self, text: str) -> None:
            _Parser.__init__(self, text)
            BaseResolver.__init__(self)

else:  # pragma: no cover

    class _Composer(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        BaseResolver,
    ):
        def __init__(self, text: str) -> None:
            yaml.reader.Reader.__init__(self, text)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            BaseResolver.__init__(self)


def load(text: str, line_offset: int = 0) -> YamlValue | None:
    """Parse one YAML document into str / YamlMap / YamlList; None for an empty document.

    `line_offset` is the number of file lines before the YAML text, so that every position
    (in values and in errors) is a position in the file.
    """
    composer = _Composer(text)
    lines = _Lines(text, line_offset)
    try:
        node = composer.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = lines.position(mark.index) if mark else lines.position(0)
        problem = error.problem or error.context
        raise YamlProblem(f"YAML syntax error: {problem}", line, col) from None
    except yaml.YAMLError as error:
        first_line = str(error).splitlines()[0]
        line, col = lines.position(getattr(error, "position", 0) or 0)
        raise YamlProblem(f"YAML error: {first_line}", line, col) from None
    finally:
        composer.dispose()
    if node is None:
        return None
    return _Builder(lines).build(node, 0)


class _Lines:
    """File positions from character indexes: libyaml also breaks lines at U+2028, U+0085…,
    which editors and our messages do not, so its own line numbers cannot be trusted."""

    def __init__(self, text: str, line_offset: int) -> None:
        self.starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]  # 10x a char loop
        self.line_offset = line_offset

    def position(self, index: int) -> Position:
        line = bisect.bisect_right(self.starts, index) - 1
        return line + 1 + self.line_offset, index - self.starts[line] + 1


class _Builder:
    """Turns composed nodes into plain values, refusing anything but plain data."""

    def __init__(self, lines: _Lines) -> None:
        self.seen: set[int] = set()
        self.lines = lines

    def _pos(self, node: Node) -> Position:
        return self.lines.position(node.start_mark.index)

    def build(self, node: Node, depth: int) -> YamlValue:
        if id(node) in self.seen:
            raise YamlProblem("anchors and aliases (& and *) are not allowed", *self._pos(node))
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise YamlProblem(f"YAML nested deeper than {MAX_DEPTH} levels", *self._pos(node))
        if isinstance(node, ScalarNode) and node.tag == _STR:
            return str(node.value)
        if isinstance(node, SequenceNode) and node.tag == _SEQ:
            return self._sequence(node, depth)
        if isinstance(node, MappingNode) and node.tag == _MAP:
            return self._mapping(node, depth)
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        message = f"YAML tag '{tag}' is not allowed: write plain text"
        raise YamlProblem(message, *self._pos(node))

    def _sequence(self, node: SequenceNode, depth: int) -> YamlList:
        result = YamlList(self.build(child, depth + 1) for child in node.value)
        result.item_pos = [self._pos(child) for child in node.value]
        return result

    def _mapping(self, node: MappingNode, depth: int) -> YamlMap:
        result = YamlMap()
        result.key_pos, result.value_pos = {}, {}
        for key_node, value_node in node.value:
            key = self.build(key_node, depth + 1)
            if not isinstance(key, str):
                raise YamlProblem("a key must be plain text", *self._pos(key_node))
            if key in result:
                first = result.key_pos[key][0]
                message = f"duplicate key '{key}' (first on line {first})"
                raise YamlProblem(message, *self._pos(key_node))
            result[key] = self.build(value_node, depth + 1)
            result.key_pos[key] = self._pos(key_node)
            result.value_pos[key] = self._pos(value_node)
        return result
