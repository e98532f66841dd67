"""A small JSON Schema validator: the keywords schemas/*.json use, and nothing more.

type, enum, const, pattern, minLength, minimum, maximum, items, required, properties,
additionalProperties, propertyNames, anyOf, oneOf and local $ref ("#/$defs/..."). An unknown
keyword is an error here, so a schema cannot silently use more than this checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs", "$comment", "examples"}
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def errors(
    schema: dict[str, Any], value: Any, root: dict[str, Any] | None = None, path: str = "$"
) -> Iterator[str]:
    """Every way `value` breaks `schema`, as 'path: message' (nothing: it is valid)."""
    root = root or schema
    for key, rule in schema.items():
        if key in ANNOTATIONS:
            continue
        check = _CHECKS.get(key)
        if check is None:
            raise ValueError(f"schema keyword {key!r} is not supported by schema_lite")
        yield from check(rule, value, schema, root, path)


def _is_type(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, TYPES[name]) and not (name != "boolean" and isinstance(value, bool))


def _type(rule: Any, value: Any, schema: Any, root: Any, path: str) -> Iterator[str]:
    names = rule if isinstance(rule, list) else [rule]
    if not any(_is_type(value, n) for n in names):
        yield f"{path}: expected {' or '.join(names)}, got {type(value).__name__}"


def _enum(rule: Any, value: Any, schema: Any, root: Any, path: str) -> Iterator[str]:
    if value not in rule:
        yield f"{path}: {value!r} is not one of {rule}"


def _const(rule: Any, value: Any, schema: Any, root: Any, path: str) -> Iterator[str]:
    if value != rule:
        yield f"{path}: must be {rule!r}"


def _pattern(rule: Any, value: Any, schema: Any, root: Any, path: str) -> Iterator[str]:
    if isinstance(value, str) and not re.search(rule, value):
        yield f"{path}: {value!r} does not match {rule}"


def _min_length(rule: Any, value: Any, schema: Any, root: Any, path: str) -> Iterator[str]:
    if isinstance(value, str) and len(value) < rule:
        yield f"{path}: shorter than {rule}"


def _minimum(rule: Any, value: Any, schema: Any, root: Any, path: str) -> Iterator[str]:
    if _is_type(value, "number") and value < rule:
        yield f"{path}: {value} < {rule}"


def _maximum(rule: Any, value: Any, schema: Any, root: Any, path: str) -> Iterator[str]:
    if _is_type(value, "number") and value > rule:
        yield f"{path}: {value} > {rule}"


def _items(rule: Any, value: Any, schema: Any, root: Any, path: str) -> Iterator[str]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from errors(rule, item, root, f"{path}[{i}]")


def _required(rule: Any, value: Any, schema: Any, root: Any, path: str) -> Iterator[str]:
    if isinstance(value, dict):
        for key in rule:
            if key not in value:
                yield f"{path}: missing {key!r}"


def _properties(rule: Any, value: Any, schema: Any, root: Any, path: str) -> Iterator[str]:
    if isinstance(value, dict):
        for key, sub in rule.items():
            if key in value:
                yield from errors(sub, value[key], root, f"{path}.{key}")


def _additional(rule: Any, value: Any, schema: Any, root: Any, path: str) -> Iterator[str]:
    if not isinstance(value, dict):
        return
    for key in value:
        if key in schema.get("properties", {}):
            continue
        if rule is False:
            yield f"{path}: unknown key {key!r}"
        elif isinstance(rule, dict):
            yield from errors(rule, value[key], root, f"{path}.{key}")


def _property_names(rule: Any, value: Any, schema: Any, root: Any, path: str) -> Iterator[str]:
    if isinstance(value, dict):
        for key in value:
            yield from errors(rule, key, root, f"{path} key {key!r}")


def _any_of(rule: Any, value: Any, schema: Any, root: Any, path: str) -> Iterator[str]:
    found = [list(errors(sub, value, root, path)) for sub in rule]
    if all(found):
        yield f"{path}: matches none of the choices ({'; '.join(f[0] for f in found)})"


def _one_of(rule: Any, value: Any, schema: Any, root: Any, path: str) -> Iterator[str]:
    passing = sum(1 for sub in rule if not list(errors(sub, value, root, path)))
    if passing != 1:
        yield f"{path}: matches {passing} of the choices, not exactly one"


def _ref(rule: Any, value: Any, schema: Any, root: Any, path: str) -> Iterator[str]:
    if not rule.startswith("#/"):
        raise ValueError(f"only local $ref is supported, not {rule!r}")
    target = root
    for part in rule[2:].split("/"):
        target = target[part]
    yield from errors(target, value, root, path)


_CHECKS = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "minLength": _min_length,
    "minimum": _minimum,
    "maximum": _maximum,
    "items": _items,
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional,
    "propertyNames": _property_names,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "$ref": _ref,
}
