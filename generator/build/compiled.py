"""Jinja's compiled templates: in memory for a build, and beside each template as Python keeps
a module's bytecode beside it, so that a fresh process does not compile them again.

Each generator has its own Jinja environment; without a shared bytecode cache each compiles
the templates it uses again (base.html ten times a build). Compiling the 18 templates a build
after one edit uses still costs a fresh process ~0.11 s at 5,000 articles (of ~1.45 s), so their
code is also written to `__pycache__/<template>.<python tag>.jinja` beside the template's file,
as Python writes `.pyc` files: in the theme (the project's code), never in the content cache
(which holds data only: a pull request's workflow may restore a cache another wrote) nor in
the output. As for `.pyc` files, nothing is written when Python is told not to write bytecode
(PYTHONDONTWRITEBYTECODE, `-B`) or when the folder is not writable, and `make clean` removes
them.

A compiled template is loaded only when it was compiled from the same source, by the same
Python, Jinja and code of ours, by an environment compiling the same way (`compiling_key`: its
syntax, options, extensions, and the names and kinds of its filters and tests). Jinja may
also run a filter or test while compiling, on what it can work out then (`{{ "x"|upper }}`
becomes "X", and so does `{{ (true or x)|upper }}`): the code of such a template depends on
the function's own code, which the key cannot see, so it is never written (`runs_calls` asks
Jinja: one more compile, with every filter and test watched, when a file is written). Nor is
any template of an environment that is not plain Jinja (a subclass, another code generator, a
`finalize` function, an extension whose compiling reads more than the source: i18n's
`newstyle_gettext` and policies, a plugin's).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import marshal
import os
import sys
import tempfile
import weakref
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.compiler import CodeGenerator
from jinja2.utils import _PassArg

from .fingerprint import code_version

FORMAT = b"timeline-digests compiled template 1\n"
PURE_EXTENSIONS = {  # Jinja's own, whose compiling reads nothing but the source
    "jinja2.ext.LoopControlExtension",
    "jinja2.ext.ExprStmtExtension",
    "jinja2.ext.DebugExtension",
}
SUFFIX = f".{sys.implementation.cache_tag}.jinja"
OPTIONS = (  # what an environment compiles with, besides its filters, tests and extensions
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "is_async",
)


Asked = tuple[str, str | None, str]  # a template's name, file and source, as Jinja asks


class _Template(Bucket):
    """Jinja's bucket, with what writing it beside its template needs."""

    def __init__(self, environment: Any, key: str, checksum: str, asked: Asked) -> None:
        super().__init__(environment, key, checksum)
        self.name, self.filename, self.source = asked


class CompiledTemplates(BytecodeCache):
    """Jinja's bytecode cache for one build (or, in `make serve`, for as long as settings,
    theme and code are the same). `beside`: also look for compiled templates beside each
    template's file, and write them there (see the module's docstring)."""

    def __init__(self, beside: bool = False) -> None:
        self.code: dict[str, CodeType] = {}
        self.beside = beside
        # by environment: its compiling key, and how many filters, tests and extensions it had
        self.keys: weakref.WeakKeyDictionary[Any, tuple[tuple[int, ...], str | None]] = (
            weakref.WeakKeyDictionary()
        )

    def get_bucket(self, environment: Any, name: str, filename: str | None, source: str) -> Bucket:
        bucket = _Template(
            environment,
            self.get_cache_key(name, filename),
            self.get_source_checksum(source),
            (name, filename, source),
        )
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(_held(bucket))
        if code is None and isinstance(bucket, _Template):
            code = self._read(bucket)
            if code is not None:  # the other generators' environments: read once
                self.code[_held(bucket)] = code
        bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is None:
            return
        self.code[_held(bucket)] = bucket.code
        if isinstance(bucket, _Template) and not sys.dont_write_bytecode:
            self._write(bucket)

    # -- beside the template ---------------------------------------------------------------

    def _place(self, bucket: _Template) -> tuple[Path, bytes] | None:
        """Where `bucket`'s template is kept compiled, and the header its file must begin with;
        None when it is not kept (not `beside`, no file, an environment not plain Jinja)."""
        if not self.beside or bucket.filename is None:
            return None
        environment = bucket.environment
        sizes = tuple(map(len, (environment.filters, environment.tests, environment.extensions)))
        known = self.keys.get(environment)
        if known is None or known[0] != sizes:  # worked out again when a plugin added one
            known = self.keys[environment] = (sizes, compiling_key(environment))
        key = known[1]
        if key is None:
            return None
        autoescape = environment.autoescape
        if callable(autoescape):
            autoescape = autoescape(bucket.name)
        header = f"{key}\n{bucket.checksum}\n{bucket.name}\n{bool(autoescape)}\n".encode()
        source = Path(bucket.filename)
        return source.parent / "__pycache__" / (source.name + SUFFIX), FORMAT + header

    def _read(self, bucket: _Template) -> CodeType | None:
        place = self._place(bucket)
        if place is None:
            return None
        file, header = place
        try:
            data = file.read_bytes()
        except OSError:
            return None
        if not data.startswith(header):
            return None
        try:
            code = marshal.loads(data[len(header) :])
        except (EOFError, ValueError, TypeError):
            return None
        return code if isinstance(code, CodeType) else None

    def _write(self, bucket: _Template) -> None:
        place = self._place(bucket)
        if place is None or bucket.code is None:
            return
        file, header = place
        with contextlib.suppress(OSError):  # a folder not ours to write: compiled each time
            file.parent.mkdir(exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
            try:
                with os.fdopen(handle, "wb") as out:
                    if runs_calls(bucket.environment, bucket.source, bucket.name):
                        return  # (the temporary file goes below)
                    out.write(header + marshal.dumps(bucket.code))
                template = file.parent.parent / file.name.removesuffix(SUFFIX)
                os.chmod(temporary, os.stat(template).st_mode & 0o666)  # its template's, as a .pyc
                os.replace(temporary, file)  # whole or not at all, for a build beside this one
                temporary = ""
            finally:
                if temporary:
                    with contextlib.suppress(OSError):
                        os.unlink(temporary)


def _held(bucket: Bucket) -> str:
    """What a template's code is held by in memory: its name and file, and its source."""
    return f"{bucket.key}:{bucket.checksum}"


def compiling_key(environment: Any) -> str | None:
    """What `environment`'s compiled code depends on besides the template's source; None when
    that cannot be known (an environment, code generator or extension not Jinja's own, a
    `finalize` function: their code would count)."""
    if (
        type(environment) is not jinja2.Environment
        or environment.code_generator_class is not CodeGenerator
        or environment.finalize is not None
        or not all(map(_pure, environment.extensions.values()))
    ):
        return None
    parts = [code_version(), importlib.util.MAGIC_NUMBER.hex()]
    parts += [f"{option}={getattr(environment, option)!r}" for option in OPTIONS]
    parts += sorted(f"extension {name}" for name in environment.extensions)
    for kind, functions in (("filter", environment.filters), ("test", environment.tests)):
        parts += sorted(f"{kind} {name} {_passes(f)}" for name, f in functions.items())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _passes(function: Any) -> Any:
    """What Jinja passes the function first (the context, the environment...): how the
    compiled code calls it."""
    return _PassArg.from_obj(function)


def _pure(extension: Any) -> bool:
    kind = type(extension)
    return f"{kind.__module__}.{kind.__qualname__}" in PURE_EXTENSIONS


def runs_calls(environment: Any, source: str, name: str) -> bool:
    """Whether compiling `source` runs a filter or test (on what Jinja can work out while
    compiling): then its code depends on that function's code, which `compiling_key` does not
    know. Asked of Jinja itself, by compiling it once more with every one of them watched."""
    ran: list[str] = []

    def watched(called: str, function: Any) -> Any:
        @functools.wraps(function)  # (keeps how Jinja passes it the context: jinja_pass_arg)
        def watching(*args: Any, **kwargs: Any) -> Any:
            ran.append(called)
            return function(*args, **kwargs)

        return watching

    probe = environment.overlay()
    probe.filters = {called: watched(called, f) for called, f in environment.filters.items()}
    probe.tests = {called: watched(called, f) for called, f in environment.tests.items()}
    try:
        probe.compile(source, name)
    except jinja2.TemplateError:
        return True
    return bool(ran)
