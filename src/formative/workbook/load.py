"""Load a workbook from TOML, reporting every problem with file, line, column and field."""

from __future__ import annotations

import difflib
import errno
import os
import re
import stat
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from formative.workbook.depth import MAX_DEPTH, too_deep
from formative.workbook.errors import FieldPath, Problem, WorkbookError
from formative.workbook.locate import key_positions, locate
from formative.workbook.model import PROMPT_KINDS, Workbook
from formative.workbook.refs import check_recalls, check_references
from formative.workbook.repeat import Expansion
from formative.workbook.repeat import expand as expand_repeats
from formative.workbook.suggest import unknown_key_message

MAX_WORKBOOK_BYTES = 5_000_000
"""Larger workbooks are refused: no real workbook comes near this, a wrong file might."""
MAX_ANSWER_BYTES = 2_000_000
"""Answer files, workshop.toml and rosters: a 200-answer file is about 50 kB."""
MAX_SECRET_BYTES = 64_000
"""Passcode and key files: a few lines at most."""

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC
"""O_NONBLOCK: a named pipe swapped in after the stat opens at once instead of waiting for a writer."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _not_a_file(path: Path, mode: int) -> str:
    """'this is a named pipe (FIFO), not a file', saying so when a symbolic link leads there."""
    kind = _kind(mode)
    if path.is_symlink():
        return f"this is a symbolic link to {kind} ({os.path.realpath(path)}), not a file"
    return f"this is {kind}, not a file"


def _os_error(path: Path, error: OSError) -> str:
    """Why a path cannot be opened, in words; a missing file is told apart from a broken link."""
    if error.errno == errno.ELOOP:
        return "symbolic link loop: following the links never reaches a file"
    if error.errno == errno.ENOENT and path.is_symlink():
        return f"broken symbolic link: it points to {os.readlink(path)}, which does not exist"
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return "no such file"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied: this account may not read the file"
    return f"cannot read: {error.strerror or error}"


def check_regular(path: Path, limit: int) -> os.stat_result:
    """The stat of path when it is a regular file of at most limit bytes, else a WorkbookError.

    Only stat is used: a named pipe or a device is never opened, so it cannot block.
    """
    try:
        info = os.stat(path)
    except OSError as error:
        raise WorkbookError([Problem(str(path), _os_error(path, error))]) from None
    if not stat.S_ISREG(info.st_mode):
        raise WorkbookError([Problem(str(path), _not_a_file(path, info.st_mode))])
    if info.st_size > limit:
        raise WorkbookError([Problem(str(path), _too_large(limit))])
    return info


def _too_large(limit: int) -> str:
    return f"file is too large (more than {limit:,} bytes)"


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most limit bytes, or a WorkbookError saying why not.

    Anything but a regular file (a named pipe, /dev/zero, a socket, a folder) is refused
    from its stat, before it is opened; the open descriptor is checked again (the path
    may have been swapped meanwhile), and at most limit + 1 bytes are ever read, so no
    file can hang the reader or fill its memory.
    """
    check_regular(path, limit)
    source = str(path)
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as error:
        raise WorkbookError([Problem(source, _os_error(path, error))]) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise WorkbookError([Problem(source, _not_a_file(path, mode))])
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise WorkbookError([Problem(source, _os_error(path, error))]) from None
    finally:
        os.close(fd)
    if size > limit:
        raise WorkbookError([Problem(source, _too_large(limit))])
    return b"".join(chunks)


def decode_utf8(data: bytes, source: str) -> str:
    """Text from UTF-8 bytes; a byte-order mark (Windows editors write one) is dropped."""
    if data.startswith(_UTF16_BOMS):
        raise WorkbookError([Problem(source, "this is UTF-16 text; save the file as UTF-8", 1, 1)])
    body = data.removeprefix(_UTF8_BOM)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = body.count(b"\n", 0, error.start) + 1
        column = error.start - (body.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"not valid UTF-8 text (byte 0x{body[error.start]:02x}); save the file as UTF-8"
        raise WorkbookError([Problem(source, message, line, column)]) from None


def read_text(path: Path, limit: int = MAX_WORKBOOK_BYTES) -> str:
    """Read a UTF-8 text file safely (see read_limited), every failure a located Problem."""
    return decode_utf8(read_limited(path, limit), str(path))


def deep_nesting_problem(text: str, source: str, start: int | None = None) -> Problem:
    """Text nested beyond what parsers and models take, located where the nesting starts.

    start is where too_deep found it; else the scan runs again and, when it finds
    nothing (a parser gave up earlier than our limit), the problem is put at line 1.
    """
    if start is None:
        start = too_deep(text)
    line = text.count("\n", 0, start) + 1 if start is not None else 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1 if start is not None else 1
    message = f"nested too deeply (more than {MAX_DEPTH} levels of tables, arrays and dotted keys)"
    return Problem(source, message, line, column)


def _nested_too_deeply(text: str, source: str, start: int | None) -> WorkbookError:
    return WorkbookError([deep_nesting_problem(text, source, start)])


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """Parse TOML text, or raise a WorkbookError naming the line and column."""
    if not text.strip():
        raise WorkbookError([Problem(source, "file is empty")])
    deep = too_deep(text)
    if deep is not None:
        raise _nested_too_deeply(text, source, deep)
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise _nested_too_deeply(text, source, None) from None
    except tomllib.TOMLDecodeError as error:
        message, line, column = toml_error_position(error)
        raise WorkbookError([Problem(source, f"TOML syntax: {message}", line, column)]) from None


def toml_error_position(error: tomllib.TOMLDecodeError) -> tuple[str, int | None, int | None]:
    """The standard library's TOML error as (message without its position, line, column).

    The one place that reads tomllib's "(at line L, column C)": the workbook loader and
    the answer store both locate syntax errors with it.
    """
    message = str(error)
    found = _TOML_POSITION.search(message)
    if found is None:
        return message, None, None
    return _TOML_POSITION.sub("", message), int(found.group(1)), int(found.group(2))


def _readable_path(loc: tuple[str | int, ...]) -> FieldPath:
    """Drop the prompt kind pydantic adds to a location ('prompts', 0, 'scale', 'min')."""
    return tuple(
        part for n, part in enumerate(loc) if not (part in PROMPT_KINDS and n > 0 and isinstance(loc[n - 1], int))
    )


_UNION_MEMBER = re.compile(r"constrained-\w+|str|int|list\[.+\]")
"""How pydantic names the member of a plain union in a location: ('repeat', 'list[Copy]', 0)."""
_WRONG_TYPE = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "list_type": "a list",
    "model_type": "a table",
    "dict_type": "a table",
    "bool_type": "true or false",
}


def _union_member_at(error: Any) -> int | None:
    loc = error["loc"]
    for n, part in enumerate(loc):
        if isinstance(part, str) and _UNION_MEMBER.fullmatch(part):
            if n < len(loc) - 1 or error["type"] != "extra_forbidden":
                return n
    return None


def _one_per_union(errors: list[Any]) -> list[Any]:
    """A union's errors as a person needs them: those of the member that fits the value's type.

    `repeat = 0` fails as a number (too small) and as a list (not a list): only the first
    matters. When no member fits (`repeat = "three"`), one error says what would.
    """
    kept: list[Any] = []
    unions: dict[tuple[str | int, ...], list[tuple[Any, int]]] = {}
    for error in errors:
        at = _union_member_at(error)
        if at is None:
            kept.append(error)
        else:
            unions.setdefault(tuple(error["loc"][:at]), []).append((error, at))
    for path, members in unions.items():
        fitting = [(e, at) for e, at in members if not (e["type"] in _WRONG_TYPE and len(e["loc"]) == at + 1)]
        if fitting:
            kept.extend({**e, "loc": (*path, *e["loc"][at + 1 :])} for e, at in fitting)
            continue
        expected = list(dict.fromkeys(_WRONG_TYPE[e["type"]] for e, _ in members))
        kept.append({"type": "wrong_type", "loc": path, "msg": f"expected {' or '.join(expected)}", "input": None})
    return kept


def _error_path(error: Any) -> FieldPath:
    path = _readable_path(error["loc"])
    if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        return (*path, "kind")
    return path


def _message(error: Any, model: type[BaseModel]) -> str:
    kind = error["type"]
    message = str(error["msg"])
    if kind == "extra_forbidden":
        return unknown_key_message(model, tuple(error["loc"]))
    if kind == "missing":
        return "required key is missing"
    if kind == "union_tag_invalid":
        given = str(error["input"].get("kind"))
        close = difflib.get_close_matches(given, PROMPT_KINDS, n=1, cutoff=0.6)
        if close:
            return f"unknown kind '{given}'; did you mean '{close[0]}'?"
        return f"unknown kind '{given}'; expected one of: {', '.join(PROMPT_KINDS)}"
    if kind == "union_tag_not_found":
        return f"'kind' is missing; expected one of: {', '.join(PROMPT_KINDS)}"
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    if kind == "string_pattern_mismatch" and error["loc"] and error["loc"][-1] in ("id", "suffix"):
        return "ids use lower-case letters, digits, '-' and '_' only"
    return message


def _in_file_order(problem: Problem) -> tuple[int, int]:
    return (problem.line or 0, problem.column or 0)


ModelT = TypeVar("ModelT", bound=BaseModel)


def validate_model(
    model: type[ModelT],
    data: dict[str, Any],
    text: str,
    source: str,
    extra_checks: Callable[[ModelT], list[tuple[FieldPath, str]]] | None = None,
    expansion: Expansion | None = None,
) -> ModelT:
    """Validate parsed TOML against a model, locating every problem in the source text.

    extra_checks runs after the model validates, for rules across fields (references).
    expansion says where the copies of repeated blocks in data came from: their problems
    are located at the block in the file, once, naming the copies when not all have it.
    """
    positions: dict[FieldPath, tuple[int, int]] | None = None

    def located(path: FieldPath, message: str) -> Problem:
        nonlocal positions
        if positions is None:
            positions = key_positions(text)
        line, column = locate(positions, path) or (1, 1)
        return Problem(source, message, line, column, path)

    def in_file(found: list[tuple[FieldPath, str]]) -> list[Problem]:
        if expansion is None:
            return sorted((located(path, message) for path, message in found), key=_in_file_order)
        copies: dict[tuple[FieldPath, str], tuple[FieldPath | None, list[str]]] = {}
        for path, message in expansion.problems:  # already at paths in the file
            copies[path, message] = (None, [])
        for path, message in found:
            file_path, block, name = expansion.source(path)
            _, names = copies.setdefault((file_path, message), (block, []))
            if name and name not in names:
                names.append(name)
        problems = []
        for (file_path, message), (block, names) in copies.items():
            if block is not None and names and len(names) < len(expansion.copies.get(block, ())):
                message += f" (in {'copy' if len(names) == 1 else 'copies'} {', '.join(names)})"
            problems.append(located(file_path, message))
        return sorted(problems, key=_in_file_order)

    try:
        result = model.model_validate(data)
    except RecursionError:
        raise _nested_too_deeply(text, source, None) from None
    except ValidationError as error:
        errors = _one_per_union(list(error.errors()))
        raise WorkbookError(in_file([(_error_path(e), _message(e, model)) for e in errors])) from None
    if expansion is not None and expansion.problems:
        raise WorkbookError(in_file([]))
    if extra_checks is not None:
        problems = in_file(extra_checks(result))
        if problems:
            raise WorkbookError(problems)
    return result


def validate_data(
    data: dict[str, Any],
    text: str,
    source: str,
    beside: Path | None = None,
    recalls: bool = True,
    load_linked: Callable[[Path], Workbook] | None = None,
) -> Workbook:
    """Validate parsed TOML as a workbook, references included, repeated blocks expanded.

    beside is the workbook's folder, where workbooks named by 'recall' are looked for first;
    recalls=False skips those (a linked workbook is loaded that way, so no cycle can form).
    """

    expansion = expand_repeats(data)

    def checks(workbook: Workbook) -> list[tuple[FieldPath, str]]:
        problems = check_references(workbook, expansion.repeated_ids)
        if recalls:
            problems += check_recalls(workbook, beside, load_linked or _load_linked)
        return problems

    return validate_model(Workbook, expansion.data, text, source, checks, expansion)


def _load_linked(path: Path) -> Workbook:
    return load_workbook(path, recalls=False)


def load_workbook_text(
    text: str, source: str = "<workbook>", beside: Path | None = None, recalls: bool = True
) -> Workbook:
    """Load a workbook from TOML text."""
    return validate_data(parse_toml(text, source), text, source, beside, recalls)


_LOADED: dict[tuple[str, bool], tuple[bytes, Workbook]] = {}
"""Workbooks this process has checked, by file: the text's digest and the result (models are frozen).

A participant's app opens the workshop and then its session, each loading the workbook,
and a hosted app is forked from a process that loaded it already: checked once, used by
all, and its pages stay shared between thirty apps. Only a workbook that links no other
is kept (a change to a linked file could not be seen from here)."""
MAX_LOADED = 16


def load_workbook(path: Path, recalls: bool = True) -> Workbook:
    """Load and check a workbook file; raises WorkbookError with every problem found.

    The file is read every time; an unchanged text is not parsed and checked again (_LOADED).
    """
    import hashlib

    text = read_text(path)
    key = (str(path.absolute()), recalls)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    known = _LOADED.get(key)
    if known is not None and known[0] == digest:
        return known[1]
    linked: list[Path] = []

    def load_linked(other: Path) -> Workbook:
        linked.append(other)
        return _load_linked(other)

    workbook = validate_data(parse_toml(text, str(path)), text, str(path), path.parent, recalls, load_linked)
    if not linked:
        if len(_LOADED) >= MAX_LOADED:
            _LOADED.clear()
        _LOADED[key] = (digest, workbook)
    return workbook
