"""Hardening primitives: atomic writes, bounded input, strict parsing, injection-safe cells.

Every function here either returns or raises :class:`model.parameters.ScenarioError` with a
one-line message (at most about 200 characters) that names the offending field or file, the
value (quoted and shortened to about 80 characters) and what is allowed. Nothing here lets an
``OSError``, ``UnicodeError``, ``RecursionError`` or ``ValueError`` escape from user input.

Only the standard library, pandas and (lazily) openpyxl are used. ``ScenarioError`` is imported
lazily so that :mod:`model.parameters` may import this module without an import cycle.

Public functions
----------------
atomic_write, atomic_write_many   write files completely or not at all
read_user_file                    read a bounded, regular, UTF-8 file
load_json_bounded                 JSON with limits on depth, integer size, constants, duplicates
check_name, shorten               names without control characters; values cut for messages
safe_cell, neutralise_frame       OWASP CSV-injection neutralisation
write_excel_safely                .xlsx in memory, text never a formula, no temporary files
format_number                     numbers that round to zero print as 0, never -0.000
strict_int, strict_float          ASCII-only number parsing with ranges (``arg_int``/``arg_float``
                                  wrap them as argparse ``type=`` callables)
validate_scheduler_address        'local' or [tcp|tls://]HOST:PORT
escape_markdown                   user text shown literally in (Streamlit) markdown
"""

from __future__ import annotations

import errno
import io
import ipaddress
import json
import math
import numbers
import os
import re
import secrets
import stat
import tempfile
import unicodedata
from typing import Any, Callable, Mapping

import pandas as pd

__all__ = [
    "MAX_DRAWS", "MAX_NAME_LENGTH", "MAX_FILE_BYTES",
    "atomic_write", "atomic_write_many", "read_user_file", "load_json_bounded",
    "check_name", "shorten", "safe_cell", "neutralise_frame", "write_excel_safely",
    "format_number", "strict_int", "strict_float", "arg_int", "arg_float",
    "validate_scheduler_address", "escape_markdown",
]

#: Documented limits (the CLI and the app use the same numbers).
MAX_DRAWS = 10_000_000
MAX_NAME_LENGTH = 200
MAX_FILE_BYTES = 1_000_000
#: Longest number literal accepted by strict_int / strict_float (characters, sign included).
MAX_NUMBER_CHARS = 40
#: Excel's limits.
_XL_MAX_TEXT = 32_767
_XL_MAX_ROWS = 1_048_576
_XL_MAX_COLS = 16_384


# --------------------------------------------------------------------------- errors and messages
def _error(message: str) -> Exception:
    """A ScenarioError with ``message`` forced onto one printable line (imported lazily)."""
    from .errors import ScenarioError

    return ScenarioError(_one_line(message))


def _printable(text: str) -> str:
    """Escape every non-printable character (controls, line breaks, surrogates) as \\xNN/\\uNNNN."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for c in text)


def _one_line(message: str, limit: int = 300) -> str:
    message = _printable(str(message))
    return message if len(message) <= limit else message[: limit - 3] + "..."


def shorten(value: Any, limit: int = 80) -> str:
    """``repr(value)`` on one printable line, cut to about ``limit`` characters with '...'.

    Never raises: huge integers are described by their size, a failing ``__repr__`` by the type.
    """
    limit = max(int(limit), 8)
    try:
        if isinstance(value, bool) or value is None:
            text = repr(value)
        elif isinstance(value, int):
            digits = int(abs(value).bit_length() * 0.30103) + 1
            text = repr(value) if digits < limit else f"<integer of about {digits} digits>"
        elif isinstance(value, (str, bytes, bytearray)):
            text = repr(value[: limit + 1])  # never repr a megabyte to show 80 characters
            if len(value) > limit + 1:
                text = text[:-1]  # drop the closing quote: the value goes on
        else:
            text = repr(value)
    except Exception:  # a broken __repr__ must not break the error message
        text = f"<{type(value).__name__}>"
    text = _printable(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def shorten_path(path: Any, limit: int = 80) -> str:
    """A file name for a message: quoted like :func:`shorten`, but cut at the start, so the end
    of a long path (the file's own name) stays visible: ``'.../out/report.html'``."""
    text = shorten(os.fspath(path) if isinstance(path, os.PathLike) else path, 10 * limit)
    if len(text) <= limit:
        return text
    return text[0] + "..." + text[len(text) - (limit - 4):]


def _strerror(exc: BaseException) -> str:
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    if isinstance(exc, MemoryError):
        return "out of memory"
    if isinstance(exc, OSError):
        if exc.strerror:
            return exc.strerror
        if exc.errno:
            return os.strerror(exc.errno)
    if isinstance(exc, UnicodeError):
        return "the name cannot be encoded for the file system"
    return shorten(str(exc) or type(exc).__name__, 100)


def _check_path(path: Any, what: str) -> str:
    """A path given by the user as a non-empty str without NUL bytes (bytes/PathLike accepted)."""
    if isinstance(path, (bool, int)) or path is None:
        raise _error(f"{what} path must be a file name, got {shorten(path)}")
    try:
        p = os.fspath(path)
    except TypeError:
        raise _error(f"{what} path must be a file name, got {type(path).__name__}") from None
    if isinstance(p, bytes):
        p = os.fsdecode(p)
    if p == "" or p.strip() == "":
        raise _error(f"{what} path is empty: give a file name")
    if "\x00" in p:
        raise _error(f"{what} path {shorten_path(p)} is invalid: it contains a NUL character")
    return p


# --------------------------------------------------------------------------- atomic writes
def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    old = os.umask(0o022)  # fallback: not thread-safe, only where /proc is missing
    os.umask(old)
    return old


def atomic_write(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` completely or not at all (see :func:`atomic_write_many`)."""
    atomic_write_many({path: data})


def atomic_write_many(files: Mapping[str | os.PathLike, bytes]) -> None:
    """Write several files all-or-nothing (e.g. an IAMC CSV and its ``_meta.csv`` sidecar).

    Each file is written to a temporary file in its target directory, flushed and fsynced;
    only when every temporary is complete are they renamed into place (``os.replace``). On any
    failure (``OSError`` such as ENOSPC/EFBIG, ``MemoryError``, ``KeyboardInterrupt``, ...) every
    temporary is removed, every existing target is left untouched -- if a rename fails after an
    earlier one succeeded, the earlier target is restored from a hard-link (or copy) backup taken
    before the first rename -- and a one-line ``ScenarioError`` names the failing file and the
    reason. ``SystemExit`` and ``GeneratorExit`` are cleaned up after and re-raised.

    A symlink target is followed (the file it points to is replaced, the link stays). An
    existing target keeps its permission bits; a new file gets ``0o666 & ~umask``, as with
    ``open()``. Ownership is not preserved. Targets that exist and are not regular files
    (directories, FIFOs, devices such as ``/dev/stdout``) are refused before anything is written.
    """
    if not isinstance(files, Mapping):
        raise TypeError("atomic_write_many expects a mapping of path -> bytes")
    items: list[tuple[str, str, memoryview, int]] = []  # (shown, target, data, mode)
    seen: set[str] = set()
    umask = None
    for path, data in files.items():
        shown = _check_path(path, "output")
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data for {shown!r} must be bytes, got {type(data).__name__}")
        try:
            target = os.path.realpath(shown)
            try:
                st = os.stat(target)
            except FileNotFoundError:
                st = None
        except (OSError, UnicodeError, ValueError) as exc:
            raise _error(f"cannot write {shorten_path(shown)}: {_strerror(exc)}") from None
        if st is not None:
            if stat.S_ISDIR(st.st_mode):
                raise _error(f"cannot write {shorten_path(shown)}: it is a directory")
            if not stat.S_ISREG(st.st_mode):
                raise _error(f"cannot write {shorten_path(shown)}: it exists and is not a regular file")
            mode = stat.S_IMODE(st.st_mode)
        else:
            if umask is None:
                umask = _umask()
            mode = 0o666 & ~umask
        if target in seen:
            raise _error(f"cannot write {shorten_path(shown)}: the same file is given twice")
        seen.add(target)
        items.append((shown, target, memoryview(data).cast("B"), mode))

    temps: dict[str, str] = {}      # target -> temporary (not yet renamed)
    backups: dict[str, str] = {}    # target -> backup of the old file (multi-file writes only)
    replaced: list[str] = []        # targets already renamed into place
    current = items[0][0] if items else ""
    try:
        for shown, target, data, mode in items:
            current = shown
            _write_temporary(target, data, mode, temps)
        if len(items) > 1:
            for shown, target, _, _ in items:
                current = shown
                if os.path.lexists(target):
                    backups[target] = _backup(target)
        for shown, target, _, _ in items:
            current = shown
            os.replace(temps[target], target)
            del temps[target]
            replaced.append(target)
    except BaseException as exc:
        _rollback(replaced, backups)
        for tmp in temps.values():
            _remove(tmp)
        for bak in backups.values():
            _remove(bak)
        if isinstance(exc, (OSError, MemoryError, KeyboardInterrupt, UnicodeError, ValueError)):
            raise _error(f"cannot write {shorten_path(current)}: {_strerror(exc)}") from None
        raise
    for bak in backups.values():
        _remove(bak)
    for d in {os.path.dirname(t) for _, t, _, _ in items}:
        _fsync_dir(d)


def _write_temporary(target: str, data: memoryview, mode: int, temps: dict[str, str]) -> None:
    directory, base = os.path.split(target)
    fd, tmp = tempfile.mkstemp(dir=directory or ".", prefix=f".{base[:60]}.", suffix=".tmp")
    temps[target] = tmp  # registered at once: removed on any later failure
    try:
        os.fchmod(fd, mode)
        view = data
        while len(view):
            n = os.write(fd, view[: 1 << 20])
            if n <= 0:
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            view = view[n:]
        os.fsync(fd)
    finally:
        os.close(fd)


def _backup(target: str) -> str:
    """A second name for the current file at ``target`` (hard link, else a copy)."""
    directory, base = os.path.split(target)
    for _ in range(20):
        name = os.path.join(directory, f".{base[:60]}.{secrets.token_hex(6)}.bak")
        try:
            os.link(target, name)
            return name
        except FileExistsError:
            continue
        except OSError:
            break
    import shutil

    fd, name = tempfile.mkstemp(dir=directory or ".", prefix=f".{base[:60]}.", suffix=".bak")
    os.close(fd)
    try:
        shutil.copy2(target, name)
    except BaseException:
        _remove(name)
        raise
    return name


def _rollback(replaced: list[str], backups: dict[str, str]) -> None:
    for target in reversed(replaced):
        try:
            if target in backups:
                os.replace(backups.pop(target), target)
            else:
                os.unlink(target)
        except OSError:
            pass


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _fsync_dir(directory: str) -> None:
    try:
        fd = os.open(directory or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- bounded input
def read_user_file(path: str | os.PathLike, max_bytes: int = MAX_FILE_BYTES, what: str = "scenario file") -> str:
    """The text of a user-supplied file: regular files only, at most ``max_bytes``, strict UTF-8.

    The file is checked with ``os.stat`` before opening, opened with ``O_NONBLOCK`` (a FIFO
    swapped in after the check cannot block) and checked again with ``fstat``; at most
    ``max_bytes + 1`` bytes are read. A leading UTF-8 byte-order mark is dropped. Every failure
    (missing, directory, FIFO, device, too large, not UTF-8, permission) is a ScenarioError.
    """
    p = _check_path(path, what)
    name = shorten_path(p)
    try:
        st = os.stat(p)
    except (OSError, UnicodeError, ValueError) as exc:
        raise _error(f"cannot read {what} {name}: {_strerror(exc)}") from None
    _check_regular(st, what, name, max_bytes)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    chunks: list[bytes] = []
    try:
        fd = os.open(p, flags)
        try:
            _check_regular(os.fstat(fd), what, name, max_bytes)
            remaining = max_bytes + 1
            while remaining > 0:
                chunk = os.read(fd, min(remaining, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                remaining -= len(chunk)
        finally:
            os.close(fd)
    except (OSError, UnicodeError, ValueError) as exc:
        if getattr(exc, "_safeio", False):
            raise
        raise _error(f"cannot read {what} {name}: {_strerror(exc)}") from None
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise _error(f"{what} {name} is too large: the limit is {max_bytes:,} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _error(f"{what} {name} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}): "
                     f"save it as UTF-8") from None


def _check_regular(st: os.stat_result, what: str, name: str, max_bytes: int) -> None:
    mode = st.st_mode
    if stat.S_ISREG(mode):
        if st.st_size > max_bytes:
            err = _error(f"{what} {name} is too large ({st.st_size:,} bytes): the limit is {max_bytes:,} bytes")
        else:
            return
    elif stat.S_ISDIR(mode):
        err = _error(f"cannot read {what} {name}: it is a directory, not a file")
    else:
        kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
        err = _error(f"cannot read {what} {name}: it is {kind}; only regular files are read")
    err._safeio = True  # already a one-line ScenarioError: not to be wrapped again
    raise err


class _Reject(Exception):
    """Raised inside json hooks; turned into a ScenarioError by load_json_bounded."""


_JSON_SPECIAL = re.compile(r'[\[\]{}"\\]')
_SURROGATE = re.compile("[\ud800-\udfff]")


def _json_depth_exceeds(text: str, max_depth: int) -> bool:
    """True when brackets outside strings nest deeper than ``max_depth`` (no recursion)."""
    depth = 0
    in_string = False
    skip = -1
    for m in _JSON_SPECIAL.finditer(text):
        i = m.start()
        if i <= skip:
            continue  # the character after a backslash
        c = text[i]
        if in_string:
            if c == "\\":
                skip = i + 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            if depth > max_depth:
                return True
        elif c in "]}":
            depth -= 1
    return False


def load_json_bounded(text: str | bytes, max_depth: int = 32, max_int_digits: int = 30,
                      what: str = "scenario file") -> Any:
    """Parse JSON with limits; every failure is a one-line ScenarioError.

    - nesting deeper than ``max_depth`` is refused by a linear scan *before* parsing, so no
      RecursionError can occur;
    - integers with more than ``max_int_digits`` digits are refused (``parse_int`` hook: the
      digits are never converted, so Python's 4,300-digit limit is never reached);
    - ``NaN``, ``Infinity``, ``-Infinity`` and floats that overflow to infinity (``1e999``) are refused;
    - **duplicate keys are refused** (``{"a": 1, "a": 2}`` would otherwise silently keep the last);
    - strings containing lone surrogates (``"\\ud800"``) are refused (they cannot be written out).
    ``bytes`` are decoded as strict UTF-8 first.
    """
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _error(f"{what} is not UTF-8 text (invalid byte at offset {exc.start})") from None
    if not isinstance(text, str):
        raise _error(f"{what} must be JSON text, got {type(text).__name__}")
    if _json_depth_exceeds(text, max_depth):
        raise _error(f"{what} is nested too deeply: at most {max_depth} levels of [ ] and {{ }} are allowed")

    def parse_int(s: str) -> int:
        digits = len(s) - (s[0] == "-")
        if digits > max_int_digits:
            raise _Reject(f"{what} has an integer of {digits} digits: at most {max_int_digits} are allowed")
        return int(s)

    def parse_float(s: str) -> float:
        v = float(s)
        if not math.isfinite(v):
            raise _Reject(f"{what} has a number out of range ({shorten(s, 40)}): only finite numbers are allowed")
        return v

    def parse_constant(s: str):
        raise _Reject(f"{what} has {s}: only finite numbers are allowed")

    def pairs(kv: list[tuple[str, Any]]) -> dict:
        out: dict[str, Any] = {}
        for k, v in kv:
            if k in out:
                raise _Reject(f"{what} has the key {shorten(k)} twice: each key may appear once")
            out[k] = v
        return out

    try:
        value = json.loads(text, parse_int=parse_int, parse_float=parse_float,
                           parse_constant=parse_constant, object_pairs_hook=pairs)
    except _Reject as exc:
        raise _error(str(exc)) from None
    except json.JSONDecodeError as exc:
        raise _error(f"{what} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except (RecursionError, MemoryError, ValueError, TypeError) as exc:
        raise _error(f"{what} cannot be read as JSON: {_strerror(exc)}") from None
    _reject_surrogates(value, what)
    return value


def _reject_surrogates(value: Any, what: str) -> None:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if _SURROGATE.search(v):
                raise _error(f"{what} has a string with an unpaired surrogate ({shorten(v, 40)}): not valid text")
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)


# --------------------------------------------------------------------------- names and cells
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def check_name(name: Any, field: str = "name", max_len: int = MAX_NAME_LENGTH) -> str:
    """``name`` unchanged if it is text of at most ``max_len`` printable characters.

    Refused: non-str; longer than ``max_len``; control characters (Unicode category Cc, which
    includes ``\\x00``-``\\x1f``, ``\\x7f`` and ``\\x80``-``\\x9f``), surrogates (Cs, i.e. lone
    surrogates), line/paragraph separators (Zl, Zp) and bidirectional overrides/isolates
    (U+202A-U+202E, U+2066-U+2069, which can make a name display as something else).
    Other Unicode (letters of any script, emoji, joiners) is accepted.
    """
    allowed = f"allowed: text of 1 to {max_len} characters without control characters"
    if not isinstance(name, str):
        raise _error(f"{field} must be text, got {type(name).__name__} {shorten(name, 40)}")
    if name == "":
        raise _error(f"{field} is empty: {allowed}")
    if len(name) > max_len:
        raise _error(f"{field}={shorten(name, 40)} is too long ({len(name):,} characters): {allowed}")
    for i, c in enumerate(name):
        if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") or c in _BIDI_CONTROLS:
            raise _error(f"{field}={shorten(name, 60)} has a control character ({_printable(c)!s} "
                         f"at position {i + 1}): {allowed}")
    return name


_DANGEROUS_FIRST = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def safe_cell(text: Any) -> Any:
    """OWASP CSV-injection neutralisation: prefix ``'`` to text starting with ``= + - @``, tab or CR.

    The full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20) are treated the same way, since some
    spreadsheet locales read them as operators. Other text is returned unchanged; values that are
    not ``str`` (numbers, None) are returned unchanged, so negative numbers stay numbers.
    """
    if isinstance(text, str) and text and text[0] in _DANGEROUS_FIRST:
        return "'" + text
    return text


def _neutral_index(idx: pd.Index) -> pd.Index:
    if isinstance(idx, pd.MultiIndex):
        return pd.MultiIndex.from_tuples([tuple(safe_cell(v) for v in t) for t in idx], names=idx.names)
    if idx.dtype == object or pd.api.types.is_string_dtype(idx.dtype):
        return pd.Index([safe_cell(v) for v in idx], dtype=idx.dtype, name=idx.name)
    return idx


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with :func:`safe_cell` applied to every text cell, column name and index label.

    Object, string and categorical columns are neutralised cell by cell (non-str cells in them,
    e.g. floats in an object column, are left alone); numeric columns are not touched at all.
    The input frame is not modified.
    """
    out = df.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        dtype = col.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            col = col.astype(object)
            dtype = col.dtype
        if dtype == object or pd.api.types.is_string_dtype(dtype):
            out.isetitem(i, col.map(safe_cell, na_action="ignore").astype(dtype))
    out.columns = _neutral_index(out.columns)
    out.index = _neutral_index(out.index)
    return out


# --------------------------------------------------------------------------- Excel
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BAD_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def write_excel_safely(sheets: Mapping[str, pd.DataFrame], neutralise: bool = False) -> bytes:
    """An .xlsx workbook, built in memory, with one sheet per frame (header row, no index).

    Every text cell -- including text starting with ``=`` -- is written as a string
    (``data_type`` ``"s"``, an inline string), never as a formula; ints, floats and bools stay
    numeric; NaN/None/NA become empty cells; infinities are written as the text ``inf``/``-inf``
    (Excel has no infinity). Column names are the header row (numbers, e.g. years, stay numbers).
    Call ``df.reset_index()`` first if the index matters. With ``neutralise=True`` text also
    gets :func:`safe_cell`'s ``'`` prefix (for files that may be re-saved as CSV).

    No temporary file is created (openpyxl's per-sheet temporary files are replaced by in-memory
    buffers). Text Excel cannot hold (XML control characters, lone surrogates, more than 32,767
    characters) and sheets beyond Excel's size raise a one-line ScenarioError.
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell

    if not sheets:
        raise _error("an Excel workbook needs at least one sheet")
    wb = Workbook()
    wb.remove(wb.active)
    for sheet_name, df in sheets.items():
        if (not isinstance(sheet_name, str) or not 1 <= len(sheet_name) <= 31 or _BAD_SHEET_NAME.search(sheet_name)
                or _ILLEGAL_XML.search(sheet_name) or sheet_name.startswith("'") or sheet_name.endswith("'")):
            raise _error(f"Excel sheet name {shorten(sheet_name)} is invalid: 1 to 31 characters, none of [ ] : * ? / \\")
        if neutralise:
            df = neutralise_frame(df)
        if df.shape[0] + 1 > _XL_MAX_ROWS or df.shape[1] > _XL_MAX_COLS:
            raise _error(f"sheet {sheet_name!r} is too large for Excel ({df.shape[0]:,} rows x {df.shape[1]:,} columns)")
        ws = wb.create_sheet(sheet_name)

        def cell(v: Any, where: Callable[[], str]):
            if isinstance(v, str):
                if len(v) > _XL_MAX_TEXT:
                    raise _error(f"{where()}: text of {len(v):,} characters; Excel holds at most {_XL_MAX_TEXT:,}")
                m = _ILLEGAL_XML.search(v)
                if m:
                    raise _error(f"{where()}: text {shorten(v, 50)} has a character Excel cannot hold "
                                 f"({_printable(m.group())})")
                c = Cell(ws)
                c._value = v
                c.data_type = "s"
                return c
            if v is None or v is pd.NA or v is pd.NaT:
                return None
            if isinstance(v, (bool,)) or type(v).__name__ == "bool_":
                return bool(v)
            if isinstance(v, numbers.Integral):
                return int(v)
            if isinstance(v, numbers.Real):
                f = float(v)
                if math.isnan(f):
                    return None
                if math.isinf(f):
                    return cell("inf" if f > 0 else "-inf", where)
                return f
            if isinstance(v, pd.Timestamp):
                return v.to_pydatetime()
            try:
                if pd.isna(v):
                    return None
            except (TypeError, ValueError):
                pass
            return cell(str(v), where)

        cols = list(df.columns)
        ws.append([cell(c if not isinstance(c, tuple) else " | ".join(map(str, c)),
                        lambda j=j: f"sheet {sheet_name!r} header column {j + 1}")
                   for j, c in enumerate(cols)])
        for r, row in enumerate(df.itertuples(index=False, name=None), start=2):
            ws.append([cell(v, lambda r=r, j=j: f"sheet {sheet_name!r} row {r} column {j + 1}")
                       for j, v in enumerate(row)])
    buf = io.BytesIO()
    try:
        _save_in_memory(wb, buf)
    except (OSError, MemoryError, UnicodeError, ValueError) as exc:
        raise _error(f"cannot build the Excel workbook: {_strerror(exc)}") from None
    return buf.getvalue()


def _save_in_memory(wb, buf: io.BytesIO) -> None:
    """``wb.save(buf)`` without openpyxl's temporary files (worksheets go to BytesIO buffers)."""
    import datetime
    from zipfile import ZIP_DEFLATED, ZipFile

    try:
        from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
        from openpyxl.worksheet._writer import WorksheetWriter
        from openpyxl.writer.excel import ExcelWriter
    except ImportError:  # a future openpyxl layout: the ordinary save (temporary-file errors are reported)
        wb.save(buf)
        return

    class _MemoryWriter(ExcelWriter):
        def write_worksheet(self, ws):
            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            writer = WorksheetWriter(ws, out=io.BytesIO())
            writer.write()
            ws._rels = writer._rels
            self._archive.writestr(ws.path[1:], writer.read())
            self.manifest.append(ws)

    wb.properties.modified = datetime.datetime.now(tz=datetime.timezone.utc).replace(tzinfo=None)
    with ZipFile(buf, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        _MemoryWriter(wb, archive).write_data()


# --------------------------------------------------------------------------- numbers
_NONZERO_DIGIT = re.compile(r"[1-9]")


def format_number(x: Any, fmt: str = ".6f") -> str:
    """``format(x, fmt)`` (or ``fmt % x`` when ``fmt`` starts with ``%``), but a value that
    rounds to zero prints as zero (``0.000000``), never ``-0.000000``; -0.0 prints as 0.

    NaN and infinities are formatted as usual. Usable as pandas ``float_format``:
    ``df.to_csv(float_format=lambda v: format_number(v, ".6f"))``.
    """
    def fmt_(v):
        return fmt % v if fmt.startswith("%") else format(v, fmt)

    s = fmt_(x)
    if "-" not in s or isinstance(x, (bool, numbers.Integral)):
        return s
    try:
        v = float(x)
    except (TypeError, ValueError, OverflowError):
        return s
    if not math.isfinite(v) or math.copysign(1.0, v) > 0:
        return s
    mantissa = re.split(r"[eE]", fmt_(-v), maxsplit=1)[0]
    if any(ch.isdigit() for ch in mantissa) and not _NONZERO_DIGIT.search(mantissa):
        return fmt_(0.0)
    return s


_INT_RE = re.compile(r"[+-]?[0-9]+", re.ASCII)
_FLOAT_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_NONFINITE_RE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.ASCII | re.IGNORECASE)
_ASCII_WS = " \t\n\r\f\v"


def _range_text(kind: str, minimum, maximum) -> str:
    if minimum is not None and maximum is not None:
        return f"allowed: {kind} from {minimum:g} to {maximum:g}" if kind != "an integer" else \
            f"allowed: {kind} from {minimum} to {maximum}"
    if minimum is not None:
        return f"allowed: {kind} of at least {minimum}"
    if maximum is not None:
        return f"allowed: {kind} of at most {maximum}"
    return f"allowed: {kind}"


def strict_int(text: Any, field: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """An int from ``text``: optional sign and ASCII digits 0-9 only (surrounding ASCII whitespace
    is ignored). Refused: other digits ('٣', '１２'), underscores ('1_0'), decimals, more than
    40 characters, values outside ``[minimum, maximum]``. An ``int`` (not bool) is range-checked.
    """
    allowed = _range_text("an integer", minimum, maximum)
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    elif isinstance(text, str):
        s = text.strip(_ASCII_WS)
        if len(s) > MAX_NUMBER_CHARS:
            raise _error(f"{field}={shorten(text, 40)} is too long: {allowed}")
        if not _INT_RE.fullmatch(s):
            raise _error(f"{field}={shorten(text)} is not an integer (ASCII digits 0-9 only): {allowed}")
        value = int(s)
    else:
        raise _error(f"{field}={shorten(text)} is not an integer: {allowed}")
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise _error(f"{field}={shorten(text)} is out of range: {allowed}")
    return value


def strict_float(text: Any, field: str, finite: bool = True, minimum: float | None = None,
                 maximum: float | None = None) -> float:
    """A float from ``text``: ASCII decimal notation only (``12``, ``-0.5``, ``1e3``, ``.5``),
    surrounding ASCII whitespace ignored. Refused: other digits, underscores, hex, more than 40
    characters, ``nan``/``inf`` and overflow to infinity when ``finite`` (the default), values
    outside ``[minimum, maximum]`` (NaN is never accepted with a bound). -0 is returned as 0.0.
    An int or float argument is checked the same way.
    """
    allowed = _range_text("a finite number" if finite else "a number", minimum, maximum)
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        if isinstance(text, int) and abs(text) > 10 ** 300:
            raise _error(f"{field}={shorten(text)} is out of range: {allowed}")
        value = float(text)
    elif isinstance(text, str):
        s = text.strip(_ASCII_WS)
        if len(s) > MAX_NUMBER_CHARS:
            raise _error(f"{field}={shorten(text, 40)} is too long: {allowed}")
        if _FLOAT_RE.fullmatch(s) or (not finite and _NONFINITE_RE.fullmatch(s)):
            value = float(s)
        else:
            raise _error(f"{field}={shorten(text)} is not a number (ASCII decimal notation only): {allowed}")
    else:
        raise _error(f"{field}={shorten(text)} is not a number: {allowed}")
    if finite and not math.isfinite(value):
        raise _error(f"{field}={shorten(text)} is not finite: {allowed}")
    if (minimum is not None or maximum is not None) and math.isnan(value):
        raise _error(f"{field}={shorten(text)} is not a number: {allowed}")
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise _error(f"{field}={shorten(text)} is out of range: {allowed}")
    return value + 0.0  # -0.0 -> 0.0


def _argparse_type(parse: Callable[[str], Any], name: str) -> Callable[[str], Any]:
    import argparse

    def convert(text: str):
        try:
            return parse(text)
        except ValueError as exc:  # ScenarioError: argparse only shows ArgumentTypeError's message
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = name
    return convert


def arg_int(field: str, minimum: int | None = None, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse ``type=`` callable: :func:`strict_int` with its one-line message shown by argparse.

    e.g. ``p.add_argument("--draws", type=arg_int("--draws", 1, MAX_DRAWS))``.
    """
    return _argparse_type(lambda t: strict_int(t, field, minimum, maximum), field.lstrip("-"))


def arg_float(field: str, finite: bool = True, minimum: float | None = None,
              maximum: float | None = None) -> Callable[[str], float]:
    """An argparse ``type=`` callable: :func:`strict_float` (e.g. ``--threshold``)."""
    return _argparse_type(lambda t: strict_float(t, field, finite, minimum, maximum), field.lstrip("-"))


# --------------------------------------------------------------------------- Dask address
_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)", re.ASCII)
_ADDRESS = re.compile(r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?(?:\[(?P<v6>[^\]]*)\]|(?P<host>[^:/\[\]]*))"
                      r":(?P<port>[^:/]*)", re.ASCII)
_SCHEMES = ("tcp", "tls")


def validate_scheduler_address(addr: Any) -> str:
    """``'local'``, or a Dask scheduler address normalised to ``SCHEME://HOST:PORT``.

    Accepted: ``local``; ``[tcp://|tls://]HOST:PORT`` where HOST is a DNS name (letters, digits,
    hyphens, dots; labels of at most 63 characters), an IPv4 address or a bracketed IPv6
    address (``[::1]``), and PORT is 1-65535 in ASCII digits. Refused with one line: other
    schemes (``foo://bar``), a missing or non-numeric port (``tcp://127.0.0.1:x``), paths,
    user-info, anything else. Nothing is connected to here.
    """
    allowed = "allowed: 'local' or tcp://HOST:PORT"
    if not isinstance(addr, str):
        raise _error(f"scheduler address must be text, got {type(addr).__name__}: {allowed}")
    s = addr.strip(_ASCII_WS)
    if s.lower() == "local":
        return "local"
    bad = f"scheduler address {shorten(addr)} is invalid"
    if len(s) > 300:
        raise _error(f"{bad} (too long): {allowed}")
    m = _ADDRESS.fullmatch(s)
    if not m:
        raise _error(f"{bad}: {allowed}")
    scheme = (m["scheme"] or "tcp").lower()
    if scheme not in _SCHEMES:
        raise _error(f"{bad}: scheme {shorten(m['scheme'], 20)} is not supported; {allowed}")
    port = m["port"]
    if not (re.fullmatch(r"[0-9]{1,5}", port, re.ASCII) and 1 <= int(port) <= 65535):
        raise _error(f"{bad}: the port must be a number from 1 to 65535")
    if m["v6"] is not None:
        try:
            host = f"[{ipaddress.IPv6Address(m['v6']).compressed}]"
        except ValueError:
            raise _error(f"{bad}: {shorten(m['v6'], 50)} is not an IPv6 address; {allowed}") from None
    else:
        host = m["host"]
        try:
            host = str(ipaddress.IPv4Address(host))
        except ValueError:
            labels = host[:-1].split(".") if host.endswith(".") else host.split(".")
            if (not host or len(host) > 253 or not all(_HOST_LABEL.fullmatch(x) for x in labels)
                    or labels[-1].isdigit()):
                raise _error(f"{bad}: the host must be a DNS name or an IP address; {allowed}") from None
    return f"{scheme}://{host}:{int(port)}"


# --------------------------------------------------------------------------- markdown
_MD_SPECIAL = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
_MD_BREAK = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape_markdown(text: Any) -> str:
    """``text`` for literal display inside (Streamlit) markdown: one line, no markup, no links.

    Every ASCII punctuation character (which includes ``\\ ` * _ [ ] ( ) ! # < > $ ~ | & :``) is
    backslash-escaped, as CommonMark allows, so no emphasis, link, image, HTML, entity, LaTeX
    (``$``), Streamlit colour directive (``:red[...]``), emoji shortcode or list/heading/table
    syntax can form; escaped ``:`` and ``.`` also keep bare URLs from being auto-linked. Control
    characters and line breaks become spaces; leading spaces become no-break spaces (four
    spaces would otherwise start a code block). Prefer ``st.text`` where possible.
    """
    s = text if isinstance(text, str) else str(text)
    s = _MD_BREAK.sub(" ", s)
    s = _SURROGATE.sub("\ufffd", s)
    stripped = s.lstrip(" ")
    s = "\u00a0" * (len(s) - len(stripped)) + stripped
    return _MD_SPECIAL.sub(r"\\\1", s)
