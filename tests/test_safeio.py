"""The hardening primitives of model/safeio.py (issue 9).

Every user-facing failure must be a one-line ScenarioError; writes are all-or-nothing;
text never becomes a formula; input is bounded. Write failures are simulated by
monkeypatching ``os.write`` / ``os.fsync`` / ``os.replace`` (and, where the platform allows,
by a real ``RLIMIT_FSIZE``), since filling a disk is not possible everywhere.
"""

from __future__ import annotations

import argparse
import errno
import html
import io
import json
import math
import os
import re
import signal
import stat
import threading
import time
import unicodedata
import zipfile

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from model import safeio
from model.parameters import ScenarioError

DANGEROUS = "=+-@\t\r"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FILE_FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_one_line(exc: BaseException, limit: int = 200) -> str:
    msg = str(exc)
    assert type(exc) is ScenarioError, f"{type(exc).__name__}: {msg}"
    assert msg and "\n" not in msg and "\r" not in msg, repr(msg)
    assert msg.isprintable(), repr(msg)
    assert len(msg) <= limit, f"{len(msg)} characters: {msg}"
    return msg


def fails(fn, *args, **kwargs) -> str:
    """The one-line message of the ScenarioError that ``fn(*args)`` must raise."""
    with pytest.raises(ScenarioError) as info:
        fn(*args, **kwargs)
    return assert_one_line(info.value)


def returns_or_one_line(fn, *args, **kwargs):
    """Call ``fn``: it may return, or raise a one-line ScenarioError -- nothing else."""
    try:
        return fn(*args, **kwargs)
    except ScenarioError as exc:
        assert_one_line(exc)
        return None


def fd_path(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


# ============================================================================ atomic writes
@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_atomic_write_new_file_gets_umask_permissions(tmp_path):
    old = os.umask(0o027)
    try:
        safeio.atomic_write(tmp_path / "out.csv", b"a,b\n1,2\n")
    finally:
        os.umask(old)
    out = tmp_path / "out.csv"
    assert out.read_bytes() == b"a,b\n1,2\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640  # not mkstemp's 0600
    assert os.listdir(tmp_path) == ["out.csv"]


def test_atomic_write_replaces_and_keeps_existing_permissions(tmp_path, umask_022):
    out = tmp_path / "out.csv"
    out.write_bytes(b"old")
    out.chmod(0o604)
    safeio.atomic_write(str(out), b"new contents")
    assert out.read_bytes() == b"new contents"
    assert stat.S_IMODE(out.stat().st_mode) == 0o604
    assert os.listdir(tmp_path) == ["out.csv"]


def _enospc_write(monkeypatch, directory, match: str = ""):
    """os.write writes half of the first chunk into files under ``directory``, then fails with ENOSPC."""
    real_write = os.write
    calls = {"n": 0}

    def fake_write(fd, data):
        path = fd_path(fd)
        if path.startswith(str(directory)) and match in os.path.basename(path):
            calls["n"] += 1
            if calls["n"] == 1 and len(data) > 1:
                return real_write(fd, bytes(data[: len(data) // 2]))  # a truncated temporary
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", fake_write)
    return calls


def test_atomic_write_disk_full_leaves_old_file_and_no_temporary(tmp_path, monkeypatch):
    out = tmp_path / "result.csv"
    out.write_bytes(b"the previous results\n")
    calls = _enospc_write(monkeypatch, tmp_path)
    msg = fails(safeio.atomic_write, out, b"x" * 10_000)
    assert calls["n"] >= 2  # the failure really happened inside the write loop
    assert "result.csv" in msg and os.strerror(errno.ENOSPC) in msg
    assert out.read_bytes() == b"the previous results\n"
    assert os.listdir(tmp_path) == ["result.csv"]


def test_atomic_write_disk_full_creates_nothing(tmp_path, monkeypatch):
    _enospc_write(monkeypatch, tmp_path)
    fails(safeio.atomic_write, tmp_path / "new.xlsx", b"y" * 5000)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("exc", [OSError(errno.EIO, "Input/output error"), MemoryError(), KeyboardInterrupt()])
def test_atomic_write_failure_in_fsync(tmp_path, monkeypatch, exc):
    out = tmp_path / "report.html"
    out.write_text("old report")

    def fake_fsync(fd):
        raise exc

    monkeypatch.setattr(os, "fsync", fake_fsync)
    msg = fails(safeio.atomic_write, out, b"<html>new</html>")
    assert "report.html" in msg
    assert out.read_text() == "old report"
    assert os.listdir(tmp_path) == ["report.html"]


def test_atomic_write_real_file_size_limit(tmp_path):
    """``ulimit -f``: the kernel refuses the write with EFBIG (Python ignores SIGXFSZ)."""
    resource = pytest.importorskip("resource")
    if not hasattr(signal, "SIGXFSZ") or signal.getsignal(signal.SIGXFSZ) != signal.SIG_IGN:
        pytest.skip("SIGXFSZ is not ignored in this process")
    out = tmp_path / "big.csv"
    out.write_bytes(b"small old file")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, hard))
    try:
        with pytest.raises(ScenarioError) as info:
            safeio.atomic_write(out, b"z" * (1 << 20))
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    msg = assert_one_line(info.value)
    assert "big.csv" in msg and os.strerror(errno.EFBIG) in msg
    assert out.read_bytes() == b"small old file"
    assert os.listdir(tmp_path) == ["big.csv"]


def test_atomic_write_many_second_failure_renames_none(tmp_path, monkeypatch):
    main, meta = tmp_path / "out.csv", tmp_path / "out_meta.csv"
    main.write_text("old main")
    meta.write_text("old meta")
    _enospc_write(monkeypatch, tmp_path, match="out_meta.csv")
    msg = fails(safeio.atomic_write_many, {main: b"new main" * 100, meta: b"new meta" * 100})
    assert "out_meta.csv" in msg  # names the file that failed, not the other one
    assert main.read_text() == "old main" and meta.read_text() == "old meta"
    assert sorted(os.listdir(tmp_path)) == ["out.csv", "out_meta.csv"]


def test_atomic_write_many_second_failure_creates_none(tmp_path, monkeypatch):
    _enospc_write(monkeypatch, tmp_path, match="b.csv")
    fails(safeio.atomic_write_many, {tmp_path / "a.csv": b"1" * 100, tmp_path / "b.csv": b"2" * 100})
    assert os.listdir(tmp_path) == []


def test_atomic_write_many_rename_failure_rolls_back(tmp_path, monkeypatch):
    """The first rename succeeded, the second fails: the first target gets its old file back."""
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text("old first")
    real_replace = os.replace

    def fake_replace(src, dst, *a, **k):
        if os.fspath(dst).endswith("second.csv"):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", fake_replace)
    msg = fails(safeio.atomic_write_many, {first: b"new first", second: b"new second"})
    assert "second.csv" in msg
    assert first.read_text() == "old first"
    assert os.listdir(tmp_path) == ["first.csv"]


def test_atomic_write_many_success(tmp_path):
    safeio.atomic_write_many({tmp_path / "a.csv": b"A", str(tmp_path / "a_meta.csv"): b"M"})
    assert (tmp_path / "a.csv").read_bytes() == b"A" and (tmp_path / "a_meta.csv").read_bytes() == b"M"
    assert sorted(os.listdir(tmp_path)) == ["a.csv", "a_meta.csv"]


def test_atomic_write_refusals(tmp_path):
    assert "empty" in fails(safeio.atomic_write, "", b"x")
    assert "empty" in fails(safeio.atomic_write, "  ", b"x")
    fails(safeio.atomic_write, "a\x00b", b"x")
    assert "directory" in fails(safeio.atomic_write, tmp_path, b"x")
    missing = fails(safeio.atomic_write, tmp_path / "no" / "such" / "out.csv", b"x")
    assert "out.csv" in missing and os.strerror(errno.ENOENT) in missing
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert "regular" in fails(safeio.atomic_write, fifo, b"x")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    fails(safeio.atomic_write_many, {tmp_path / "x.csv": b"1", str(tmp_path / "x.csv"): b"2"})
    assert sorted(os.listdir(tmp_path)) == ["fifo"]


def test_atomic_write_follows_symlink(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    safeio.atomic_write(link, b"new")
    assert link.is_symlink() and real.read_text() == "new"


@FILE_FUZZ
@given(name=st.text(min_size=0, max_size=40))
def test_fuzz_atomic_write_path(tmp_path_factory, name):
    assume(".." not in name.split("/"))
    base = tmp_path_factory.mktemp("aw")
    path = f"{base}/{name}"
    if returns_or_one_line(safeio.atomic_write, path, b"data") is not None:
        raise AssertionError("atomic_write returns None")
    if os.path.isfile(path) and not os.path.isdir(path):
        assert open(path, "rb").read() == b"data"
    leftovers = [os.path.join(d, f) for d, _, files in os.walk(base) for f in files if f.endswith((".tmp", ".bak"))]
    assert [f for f in leftovers if f != os.path.normpath(path)] == []  # the target itself may be named '.tmp'


# ============================================================================ CSV injection
@given(st.text())
def test_safe_cell_property(text):
    out = safeio.safe_cell(text)
    if text[:1] and text[0] in DANGEROUS:
        assert out == "'" + text
    elif text[:1] not in ("\uff1d", "\uff0b", "\uff0d", "\uff20"):
        assert out == text  # safe strings unchanged
    assert not (out[:1] and out[0] in DANGEROUS)


def test_safe_cell_examples():
    assert safeio.safe_cell('=HYPERLINK("https://evil.example","x")') == '\'=HYPERLINK("https://evil.example","x")'
    assert safeio.safe_cell("-2+3") == "'-2+3"
    assert safeio.safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safeio.safe_cell("\tx") == "'\tx"
    assert safeio.safe_cell("EU27") == "EU27" and safeio.safe_cell("") == ""
    assert safeio.safe_cell(-1.5) == -1.5 and safeio.safe_cell(None) is None


def test_neutralise_frame():
    df = pd.DataFrame({
        "scenario": ["=1+1", "-2", "ok", None],
        "value": [-1.5, 2.0, -0.0, np.nan],
        "year": [2023, 2024, 2025, 2026],
        "=evil": ["+x", "@y", "z", "w"],
        2030: [1, -2, 3, -4],
    })
    df["label"] = pd.Series(["-neg", "pos", "=f", "x"], dtype="string")
    df["cat"] = pd.Categorical(["=c", "d", "=c", "d"])
    before = df.copy()
    out = safeio.neutralise_frame(df)
    pd.testing.assert_frame_equal(df, before)  # input untouched
    assert list(out["scenario"])[:3] == ["'=1+1", "'-2", "ok"] and out["scenario"].iloc[3] is None
    assert list(out["'=evil"]) == ["'+x", "'@y", "z", "w"]
    assert list(out["label"]) == ["'-neg", "pos", "'=f", "x"] and out["label"].dtype == "string"
    assert list(out["cat"]) == ["'=c", "d", "'=c", "d"]
    for col in ("value", "year", 2030):  # numbers stay numbers, negative ones included
        assert out[col].dtype == df[col].dtype
        pd.testing.assert_series_equal(out[col], df[col])
    text = out.to_csv(index=False)
    import csv

    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if cell[:1] in set(DANGEROUS):
                assert re.fullmatch(r"-\d+(\.\d+)?", cell), cell  # only genuine negative numbers


# ============================================================================ Excel
EVIL = '=HYPERLINK("https://evil.example/login","Session expired")'


def _frame():
    return pd.DataFrame({
        "Scenario": [EVIL, "@SUM(1+1)", "+1", "-1+2", "plain"],
        "Region": ["World", "EU27", "=A1", "x", "y"],
        2023: [-1.5, 0.0, 1e12, np.nan, 7.0],
        2024: [1, -2, 3, 4, 5],
        "flag": [True, False, True, False, True],
    })


def _cells(data: bytes):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    return wb, [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]


def test_excel_text_is_never_a_formula():
    data = safeio.write_excel_safely({"data": _frame(), "meta": pd.DataFrame({"name": [EVIL]})})
    wb, cells = _cells(data)
    assert wb.sheetnames == ["data", "meta"]
    assert [c for c in cells if c.data_type == "f"] == []
    evil = [c for c in cells if c.value == EVIL]
    assert len(evil) == 2 and all(c.data_type == "s" for c in evil)
    ws = wb["data"]
    assert [c.value for c in ws[1]] == ["Scenario", "Region", 2023, 2024, "flag"]  # years stay numbers
    assert ws["C2"].value == -1.5 and ws["C2"].data_type == "n"
    assert ws["D3"].value == -2 and ws["D3"].data_type == "n"
    assert ws["C5"].value is None  # NaN -> empty
    assert ws["E2"].value is True
    assert ws["B4"].value == "=A1" and ws["B4"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name)
                assert b"<f>" not in xml and b"<f " not in xml and b":f>" not in xml
    back = pd.read_excel(io.BytesIO(data), sheet_name="data")
    assert list(back["Scenario"]) == list(_frame()["Scenario"])
    assert back[2024].tolist() == [1, -2, 3, 4, 5]


def test_excel_neutralise_option():
    wb, cells = _cells(safeio.write_excel_safely({"s": _frame()}, neutralise=True))
    assert wb["s"]["A2"].value == "'" + EVIL and wb["s"]["C2"].value == -1.5


def test_excel_needs_no_temporary_files(monkeypatch):
    """openpyxl's temporary-file OSError cannot happen: nothing is written to disk."""
    import tempfile

    import openpyxl.worksheet._writer as wsw

    def no_temp(*a, **k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(wsw, "create_temporary_file", no_temp)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", no_temp)
    monkeypatch.setattr(tempfile, "mkstemp", no_temp)
    data = safeio.write_excel_safely({"data": _frame()})
    assert pd.read_excel(io.BytesIO(data)).shape == (5, 5)


@pytest.mark.parametrize("bad", ["a\x00b", "bell\x07", "\ud800", "x" * 40_000])
def test_excel_refuses_text_excel_cannot_hold(bad):
    fails(safeio.write_excel_safely, {"data": pd.DataFrame({"name": ["ok", bad]})})


def test_excel_refuses_bad_sheet_names():
    fails(safeio.write_excel_safely, {"a/b": pd.DataFrame({"x": [1]})})
    fails(safeio.write_excel_safely, {"x" * 32: pd.DataFrame({"x": [1]})})
    fails(safeio.write_excel_safely, {})


# ============================================================================ reading files
def _in_thread(fn, timeout=5.0):
    box = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            box["error"] = exc

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), "blocked"
    return box


def test_read_user_file_fifo_returns_quickly(tmp_path):
    fifo = tmp_path / "scenario.json"
    os.mkfifo(fifo)
    start = time.monotonic()
    box = _in_thread(lambda: safeio.read_user_file(fifo))
    assert time.monotonic() - start < 2
    assert "FIFO" in assert_one_line(box["error"])


def test_read_user_file_fifo_swapped_in_after_the_check(tmp_path, monkeypatch):
    """Even if the stat check is fooled, O_NONBLOCK + fstat keep a FIFO from blocking."""
    fifo, regular = tmp_path / "fifo", tmp_path / "regular"
    os.mkfifo(fifo)
    regular.write_text("{}")
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: real_stat(regular) if os.fspath(p) == str(fifo)
                        else real_stat(p, *a, **k))
    box = _in_thread(lambda: safeio.read_user_file(str(fifo)))
    assert "FIFO" in assert_one_line(box["error"])


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_read_user_file_device():
    box = _in_thread(lambda: safeio.read_user_file("/dev/zero"))
    assert "device" in assert_one_line(box["error"])


def test_read_user_file_size_limit(tmp_path):
    p = tmp_path / "big.json"
    p.write_bytes(b" " * 1001)
    assert "too large" in fails(safeio.read_user_file, p, max_bytes=1000)
    p.write_bytes(b" " * 1000)
    assert safeio.read_user_file(p, max_bytes=1000) == " " * 1000
    p.write_bytes(b"x" * (safeio.MAX_FILE_BYTES + 1))
    assert "1,000,000" in fails(safeio.read_user_file, p)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="no procfs")
def test_read_user_file_reads_at_most_the_limit(monkeypatch):
    """procfs reports size 0 for files with content: the read itself must be bounded."""
    assert os.stat("/proc/self/status").st_size == 0
    real_read, got = os.read, []

    def counting_read(fd, n):
        data = real_read(fd, n)
        got.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counting_read)
    assert "too large" in fails(safeio.read_user_file, "/proc/self/status", max_bytes=10)
    assert 10 < sum(got) <= 11


def test_read_user_file_encoding(tmp_path):
    p = tmp_path / "latin.json"
    p.write_bytes('{"name": "Zürich"}'.encode("latin-1"))
    msg = fails(safeio.read_user_file, p)
    assert "UTF-8" in msg and "latin.json" in msg
    p.write_bytes('\ufeff{"name": "Zürich"}'.encode("utf-8"))  # a byte-order mark is dropped
    assert safeio.read_user_file(p) == '{"name": "Zürich"}'


def test_read_user_file_other_failures(tmp_path):
    assert os.strerror(errno.ENOENT) in fails(safeio.read_user_file, tmp_path / "missing.json")
    assert "directory" in fails(safeio.read_user_file, tmp_path)
    assert "empty" in fails(safeio.read_user_file, "")
    fails(safeio.read_user_file, "a\x00b")
    fails(safeio.read_user_file, 3)  # not a file descriptor
    msg = fails(safeio.read_user_file, tmp_path / ("x" * 5000), what="events file")
    assert msg.startswith("cannot read events file")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_read_user_file_permission(tmp_path):
    p = tmp_path / "secret.json"
    p.write_text("{}")
    p.chmod(0)
    assert os.strerror(errno.EACCES) in fails(safeio.read_user_file, p)


@FILE_FUZZ
@given(name=st.text(max_size=40))
def test_fuzz_read_user_file(tmp_path_factory, name):
    base = tmp_path_factory.mktemp("ru")
    (base / "f").write_text("{}")
    result = returns_or_one_line(safeio.read_user_file, f"{base}/{name}")
    assert result is None or isinstance(result, str)


# ============================================================================ JSON
@pytest.mark.parametrize("text", ["[" * 100_000, '{"a":' * 100_000, "[" * 50_000 + "]" * 50_000,
                                  '{"x": ' + "[{" * 20 + "1" + "}]" * 20 + "}"])
def test_json_too_deep_is_one_line_not_recursion_error(text):
    start = time.monotonic()
    assert "nested too deeply" in fails(safeio.load_json_bounded, text)
    assert time.monotonic() - start < 2


def test_json_depth_boundary_and_strings():
    assert safeio.load_json_bounded("[" * 32 + "]" * 32) is not None
    fails(safeio.load_json_bounded, "[" * 33 + "]" * 33)
    tricky = {"a": "[[[[" * 100 + '\\"' + "{" * 100, "b": '"[['}
    assert safeio.load_json_bounded(json.dumps(tricky)) == tricky
    assert safeio.load_json_bounded("[[1]]", max_depth=2) == [[1]]
    fails(safeio.load_json_bounded, "[[[1]]]", max_depth=2)


def test_json_big_integers():
    msg = fails(safeio.load_json_bounded, '{"draws": ' + "9" * 5000 + "}")
    assert "5000 digits" in msg
    fails(safeio.load_json_bounded, "-" + "1" * 31)
    assert safeio.load_json_bounded("1" * 30) == int("1" * 30)
    assert safeio.load_json_bounded("-" + "1" * 30) == -int("1" * 30)
    # a limit above Python's own int-string limit still gives one line, never a ValueError
    returns_or_one_line(safeio.load_json_bounded, "1" * 6000, max_int_digits=10_000)


@pytest.mark.parametrize("text", ['{"a": NaN}', "[Infinity]", "-Infinity", "1e999", "[-1e400]"])
def test_json_non_finite(text):
    assert "finite" in fails(safeio.load_json_bounded, text)


@pytest.mark.parametrize("text", ['{"a": 1, "a": 2}', '{"x": {"k": 1, "k": 1}}', '"\\ud800"', '{"\\udfff": 1}',
                                  "", "{", "[1,]", "{'a': 1}", "\x00", "nul", b"\xff\xfe"])
def test_json_other_failures(text):
    fails(safeio.load_json_bounded, text, what="scenario file")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10 ** 29, 10 ** 29)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=["Cs"])),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(st.characters(exclude_categories=["Cs"]), max_size=5), inner, max_size=4),
    max_leaves=20,
)


@FUZZ
@given(JSON_VALUES)
def test_json_round_trip(value):
    assert safeio.load_json_bounded(json.dumps(value)) == value


@FUZZ
@given(st.text() | st.text(alphabet='[]{}":,0123456789-eE.nulrtfasINaIy \\'))
def test_fuzz_json(text):
    returns_or_one_line(safeio.load_json_bounded, text, max_depth=5, max_int_digits=10)


# ============================================================================ names, messages
@pytest.mark.parametrize("bad", ["a\x00b", "tab\there", "new\nline", "del\x7f", "c1\x85", "\ud800lone",
                                 "line\u2028sep", "rtl\u202eoverride", "x" * 201, "", 5, None, b"bytes"])
def test_check_name_refuses(bad):
    msg = fails(safeio.check_name, bad, field="--name")
    assert msg.startswith("--name")


def test_check_name_accepts_and_names_value():
    for good in ["EU AI Act – high (2025)", "Ünïcode 名前 😀 family 👨‍👩‍👧", "x" * 200, "=HYPERLINK(1)"]:
        assert safeio.check_name(good) == good
    msg = fails(safeio.check_name, "bad\x01name" + "y" * 10_000, field="scenario name", max_len=20_000)
    assert "'bad\\x01name" in msg and "scenario name" in msg


@FUZZ
@given(st.text(max_size=300))
def test_fuzz_check_name(text):
    out = returns_or_one_line(safeio.check_name, text)
    if out is not None:
        assert out == text and 1 <= len(text) <= 200
        assert not [c for c in text if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp")]


class _BadRepr:
    def __repr__(self):
        raise RuntimeError("no")


@FUZZ
@given(st.one_of(st.text(), st.binary(), st.integers(), st.floats(), st.none()))
def test_shorten(value):
    s = safeio.shorten(value)
    assert len(s) <= 80 and "\n" not in s and s.isprintable()


def test_shorten_special():
    assert safeio.shorten(10 ** 5000).startswith("<integer")  # repr would raise ValueError
    assert safeio.shorten(_BadRepr()) == "<_BadRepr>"
    assert safeio.shorten("abc") == "'abc'"
    long = safeio.shorten("z" * 10_000)
    assert long.startswith("'zzz") and long.endswith("...") and len(long) == 80


# ============================================================================ numbers
def test_format_number_negative_zero():
    assert safeio.format_number(-1e-9, ".6f") == "0.000000"
    assert safeio.format_number(-0.0, ".6f") == "0.000000"
    assert safeio.format_number(-4e-7, "%.6f") == "0.000000"
    assert safeio.format_number(np.float64(-1e-12), ".2f") == "0.00"
    assert safeio.format_number(-0.0, "g") == "0"
    assert safeio.format_number(-1e-9, "8.2f") == "    0.00"
    assert safeio.format_number(-1.5, ".6f") == "-1.500000"
    assert safeio.format_number(-6e-7, ".6f") == "-0.000001"
    assert safeio.format_number(-1e-9, ".3g") == "-1e-09"
    assert safeio.format_number(float("-inf"), ".2f") == "-inf"
    assert safeio.format_number(-3, "d") == "-3"


@FUZZ
@given(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([".6f", "%.6f", ".2f", ".3g", ".1e", "%g"]))
def test_format_number_property(x, fmt):
    s = safeio.format_number(x, fmt)
    plain = fmt % x if fmt.startswith("%") else format(x, fmt)
    assert float(s) == float(plain)
    if s.startswith("-"):
        assert float(s) != 0


# ============================================================================ strict numbers
@pytest.mark.parametrize("bad", ["٣", "１２", "1_0", "-1", "1.0", "0x10", "", " ", "1e3", "nan", "inf", "+",
                                 "1 2", "12\x00", "9" * 41, "²"])
def test_strict_int_refuses(bad):
    msg = fails(safeio.strict_int, bad, "--seed", 0, None)
    assert msg.startswith("--seed")


def test_strict_int_accepts_and_ranges():
    assert safeio.strict_int("12", "--draws", 1, safeio.MAX_DRAWS) == 12
    assert safeio.strict_int(" 12\n", "--draws", 1, safeio.MAX_DRAWS) == 12
    assert safeio.strict_int("+7", "--seed", 0) == 7
    assert safeio.strict_int("10000000", "--draws", 1, safeio.MAX_DRAWS) == 10_000_000
    msg = fails(safeio.strict_int, "10000001", "--draws", 1, safeio.MAX_DRAWS)
    assert "1 to 10000000" in msg
    fails(safeio.strict_int, str(10 ** 30), "--draws", 1, safeio.MAX_DRAWS)
    assert "at least 1" in fails(safeio.strict_int, "0", "--samples", 1)
    fails(safeio.strict_int, True, "--seed", 0)


@FUZZ
@given(st.text(max_size=50))
def test_fuzz_strict_int(text):
    v = returns_or_one_line(safeio.strict_int, text, "--chunk-size", 1, 1_000_000)
    if v is not None:
        assert 1 <= v <= 1_000_000
        assert re.fullmatch(r"[ \t\n\r\f\v]*\+?[0-9]+[ \t\n\r\f\v]*", text)


@given(st.integers(0, 10 ** 12))
def test_strict_int_round_trip(n):
    assert safeio.strict_int(str(n), "--seed", 0) == n


@pytest.mark.parametrize("bad", ["nan", "NaN", "inf", "-Infinity", "1e999", "٣", "1_0", "0x1p3", "", "1,5", "--1"])
def test_strict_float_refuses(bad):
    assert fails(safeio.strict_float, bad, "--threshold").startswith("--threshold")


def test_strict_float_accepts():
    assert safeio.strict_float("1.5e3", "--threshold") == 1500.0
    assert safeio.strict_float(".5", "x") == 0.5 and safeio.strict_float("5.", "x") == 5.0
    z = safeio.strict_float("-0", "x")
    assert z == 0 and math.copysign(1, z) == 1
    assert math.isinf(safeio.strict_float("inf", "x", finite=False))
    fails(safeio.strict_float, "nan", "x", finite=False, minimum=0)
    fails(safeio.strict_float, "-1", "x", minimum=0)
    fails(safeio.strict_float, float("nan"), "x")


@FUZZ
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_strict_float_round_trip(x):
    assert safeio.strict_float(repr(x), "x") == x


@FUZZ
@given(st.text(max_size=50))
def test_fuzz_strict_float(text):
    v = returns_or_one_line(safeio.strict_float, text, "--threshold")
    if v is not None:
        assert math.isfinite(v) and text.isascii()


def test_argparse_types_show_the_message():
    class P(argparse.ArgumentParser):
        def error(self, message):
            raise ScenarioError(message)

    p = P(prog="x")
    p.add_argument("--seed", type=safeio.arg_int("--seed", 0))
    p.add_argument("--threshold", type=safeio.arg_float("--threshold"))
    assert p.parse_args(["--seed", "3", "--threshold", "2.5"]).seed == 3
    with pytest.raises(ScenarioError, match="out of range"):
        p.parse_args(["--seed=-1"])
    with pytest.raises(ScenarioError, match="not a number"):
        p.parse_args(["--threshold", "nan"])


# ============================================================================ scheduler address
@pytest.mark.parametrize("addr, expected", [
    ("local", "local"), (" LOCAL ", "local"), ("tcp://127.0.0.1:8786", "tcp://127.0.0.1:8786"),
    ("127.0.0.1:8786", "tcp://127.0.0.1:8786"), ("scheduler.example.org:1", "tcp://scheduler.example.org:1"),
    ("tcp://[::1]:8786", "tcp://[::1]:8786"), ("tls://host-1:65535", "tls://host-1:65535"),
])
def test_scheduler_address_accepts(addr, expected):
    assert safeio.validate_scheduler_address(addr) == expected


@pytest.mark.parametrize("addr", ["tcp://127.0.0.1:x", "foo://bar", "foo://bar:1", "tcp://127.0.0.1", "host:0",
                                  "host:65536", "host:-1", "host:٣", "tcp://h:1/path", "user@h:1", "-h:1",
                                  "a..b:1", "1.2.3.999:1", "[::g]:1", "h:1:2", "", "tcp://:1", "x" * 500 + ":1", 8786])
def test_scheduler_address_refuses(addr):
    assert "scheduler address" in fails(safeio.validate_scheduler_address, addr)


@FUZZ
@given(st.text(max_size=60) | st.from_regex(r"(tcp://)?[a-z0-9.\[\]:-]{0,20}:[0-9a-z]{0,6}", fullmatch=True))
def test_fuzz_scheduler_address(text):
    out = returns_or_one_line(safeio.validate_scheduler_address, text)
    if out is not None and out != "local":
        port = int(out.rsplit(":", 1)[1])
        assert 1 <= port <= 65535 and out.isascii()


# ============================================================================ markdown
HOSTILE_MARKDOWN = [
    "[Session expired - log in again](https://evil.example/login)",
    "![x](https://evil.example/pixel.png)",
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "**bold** _it_ `code` ~~s~~",
    "# heading", "    indented code", "1. list", "- item", "> quote", "| a | b |", "$x^2$", "&lt;b&gt;",
    "[x]: https://evil.example", "<https://evil.example>", "a\\*b", "line1\n\n# line2", ":red[colour]",
]


def _render(text: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark").render(text)


def _visible(rendered: str) -> str:
    body = rendered.strip()
    if body.startswith("<p>") and body.endswith("</p>"):
        body = body[3:-4]
    return html.unescape(body)


def _expected(text: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", " ", text)


def _norm(s: str) -> str:
    return " ".join(s.replace("\u00a0", " ").split())


@pytest.mark.parametrize("text", HOSTILE_MARKDOWN)
def test_escape_markdown_renders_literally(text):
    out = _render(safeio.escape_markdown(text))
    assert not re.search(r"<(?!/?p>)", out), out  # no tag but the paragraph
    assert _norm(_visible(out)) == _norm(_expected(text))


@FUZZ
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=60))
def test_escape_markdown_property(text):
    escaped = safeio.escape_markdown(text)
    assert "\n" not in escaped and "\r" not in escaped
    out = _render(escaped)
    assert not re.search(r"<(?!/?p>)", out), out
    assert _norm(_visible(out)) == _norm(_expected(text))


# ============================================================================ every function, any text
@FUZZ
@given(st.text(max_size=120))
def test_fuzz_every_text_function(text):
    assert isinstance(safeio.safe_cell(text), str)
    assert isinstance(safeio.escape_markdown(text), str)
    s = safeio.shorten(text)
    assert len(s) <= 80 and s.isprintable()
    for fn, args in [(safeio.check_name, ()), (safeio.strict_int, ("--draws", 1, safeio.MAX_DRAWS)),
                     (safeio.strict_float, ("--threshold",)), (safeio.validate_scheduler_address, ()),
                     (safeio.load_json_bounded, ())]:
        returns_or_one_line(fn, text, *args)
