"""Every CLI command under hostile and unlucky input: exit 0 or 2, never a traceback, one line on
stderr on failure, and no file created or changed when a command fails.

The commands run in-process (``model.cli.main``) in a scratch directory that holds an existing
output file; a table of reproductions from the hardening issue comes first, then a hypothesis
search over the argument grammar.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.cli import main

EXISTING = b"scenario,region\nkeep,me\n"


def invoke(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run the CLI in ``cwd``; return (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = main(args)
    finally:
        os.chdir(old)
    return rc, out.getvalue(), err.getvalue()


def snapshot(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in d.rglob("*") if p.is_file()}


def check_failure(args, workdir: Path, fragment: str | None = None) -> str:
    """The command fails with exit 2, one line on stderr, and the directory unchanged."""
    before = snapshot(workdir)
    rc, _, err = invoke(args, workdir)
    assert rc == 2, (args, rc, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert len(lines[0]) <= 420, len(lines[0])
    assert "Traceback" not in err
    assert snapshot(workdir) == before, "a failed command created or changed a file"
    if fragment:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def workdir(tmp_path):
    (tmp_path / "existing.csv").write_bytes(EXISTING)
    (tmp_path / "existing_meta.csv").write_bytes(EXISTING)
    return tmp_path


def write(workdir: Path, name: str, data: bytes | str) -> str:
    p = workdir / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return name


# ----------------------------------------------------------------------------- the reproductions
HOSTILE_FILES = {
    "deep.json": "[" * 100_000 + "]" * 100_000,
    "bigint.json": '{"parameters": {"end_year": ' + "9" * 5000 + "}}",
    "latin1.json": '{"name": "M\xfcnchen"}'.encode("latin-1"),
    "nan.json": '{"parameters": {"headline_usd_bn": NaN}}',
    "string_number.json": '{"parameters": {"end_year": "2050"}}',
    "string_bool.json": '{"parameters": {"delay_indefinite": "off"}}',
    "dupkey.json": '{"name": "a", "name": "b"}',
    "ctrl_name.json": json.dumps({"name": "bad\x07name"}),
    "long_name.json": json.dumps({"name": "x" * 1_000_000}),
    "huge.json": "{" + " " * 2_000_000 + "}",
}


@pytest.mark.parametrize("name", list(HOSTILE_FILES))
@pytest.mark.parametrize("command", ["summary", "run", "scenario", "report"])
def test_hostile_scenario_files_fail_cleanly(workdir, name, command):
    f = write(workdir, name, HOSTILE_FILES[name])
    args = [command, "--scenario", f] + (["--out", "existing.csv"] if command in ("run", "report") else [])
    before = snapshot(workdir)
    rc, _, err = invoke(args, workdir)
    assert rc == 2 and len(err.strip().splitlines()) == 1, err
    assert snapshot(workdir) == before


def test_fifo_and_devices_are_refused_without_blocking(workdir):
    os.mkfifo(workdir / "pipe.json")
    t = time.perf_counter()
    check_failure(["summary", "--scenario", "pipe.json"], workdir, "only regular files")
    check_failure(["summary", "--scenario", "/dev/zero"], workdir)
    check_failure(["summary", "--scenario", "."], workdir)
    check_failure(["summary", "--scenario", "missing.json"], workdir)
    assert time.perf_counter() - t < 5


@pytest.mark.parametrize("args, fragment", [
    (["uncertainty", "--draws", str(10**30)], "--draws"),
    (["uncertainty", "--draws", "0"], "--draws"),
    (["uncertainty", "--chunk-size", "10000000000"], "--chunk-size"),
    (["uncertainty", "--seed", "-1"], "--seed"),
    (["uncertainty", "--threshold", "nan"], "--threshold"),
    (["uncertainty", "--threshold", "inf"], "--threshold"),
    (["uncertainty", "--scheduler", "tcp://127.0.0.1:x"], "scheduler address"),
    (["uncertainty", "--scheduler", "foo://bar"], "scheduler address"),
    (["sensitivity", "--samples", "0"], "--samples"),
    (["sensitivity", "--samples", "-5"], "--samples"),
    (["sensitivity", "--samples", str(10**12)], "--samples"),
    (["report", "--out", "r.html", "--draws", str(10**9)], "--draws"),
    (["run", "--set", "end_year=٢٠٥٠"], "end_year"),
    (["run", "--set", "end_year=２０５０"], "end_year"),
    (["run", "--set", "end_year=2_050"], "end_year"),
    (["run", "--set", "headline_usd_bn=1e999"], "headline_usd_bn"),
    (["run", "--pre", "jpmorgan-high"], "unrecognized"),
    (["run", "--form", "iamc"], "unrecognized"),
    (["run", "--out", ""], "--out"),
    (["uncertainty", "--out", ""], "--out"),
    (["sensitivity", "--out", " "], "--out"),
    (["report", "--out", ""], "--out"),
    (["docs", "--out", ""], "--out"),
    (["run", "--name", "a\x00b"], "control character"),
    (["run", "--name", "x" * 1000], "too long"),
    (["run", "--name", "\udcff"], "control character"),
    (["run", "--preset", "jpmorgan-low", "--preset", "jpmorgan-high"], "two headline presets"),
    (["run", "--preset", "x" * 10_000], "unknown preset"),
    (["docs", "--out", "no/such/dir/parameters.md"], "cannot write"),
    (["run", "--out", "no/such/dir/r.csv"], "cannot write"),
    (["run", "--format", "xlsx", "--out", "no/such/dir/r.xlsx"], "cannot write"),
])
def test_bad_arguments_exit_2_with_one_line(workdir, args, fragment):
    line = check_failure(args, workdir, fragment)
    assert "x" * 100 not in line  # long values are quoted short


def test_sobol_on_a_scenario_with_no_loss_says_so(workdir):
    check_failure(["sensitivity", "--method", "sobol", "--samples", "8", "--preset", "jpmorgan-high"], workdir,
                  "does not vary")


@pytest.mark.parametrize("fail_at", ["write", "fsync", "replace"])
@pytest.mark.parametrize("args", [
    ["run", "--preset", "jpmorgan-high", "--out", "existing.csv"],
    ["run", "--preset", "jpmorgan-high", "--format", "iamc", "--out", "existing.csv"],
    ["run", "--preset", "jpmorgan-high", "--format", "xlsx", "--out", "existing.csv"],
    ["report", "--preset", "jpmorgan-high", "--draws", "0", "--out", "existing.csv"],
    ["uncertainty", "--preset", "jpmorgan-high", "--draws", "50", "--no-progress", "--out", "existing.csv"],
    ["docs", "--out", "existing.csv"],
], ids=lambda a: "-".join(a[:1] + a[-3:-2]) if isinstance(a, list) else a)
def test_a_full_disk_leaves_the_old_file_and_nothing_else(workdir, monkeypatch, args, fail_at):
    """Simulated ENOSPC at each step of the write: exit 2, the old file intact, no temporaries,
    and the message names the file that could not be written."""
    real = {"write": os.write, "fsync": os.fsync, "replace": os.replace}[fail_at]

    def boom(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, fail_at, boom)
    try:
        line = check_failure(args, workdir, "No space left on device")
    finally:
        monkeypatch.setattr(os, fail_at, real)
    assert "existing" in line


def test_formula_injection_is_neutralised_in_csv_and_excel(workdir):
    name = '=HYPERLINK("https://evil.example","click")'
    rc, _, err = invoke(["run", "--preset", "jpmorgan-high", "--name", name, "--out", "t.csv"], workdir)
    assert rc == 0, err
    import pandas as pd

    tidy = pd.read_csv(workdir / "t.csv")
    assert (tidy.scenario == "'" + name).all()
    rc, _, err = invoke(["run", "--preset", "jpmorgan-high", "--name", name, "--format", "iamc", "--out", "i.csv"],
                        workdir)
    assert rc == 0, err
    for f in ("i.csv", "i_meta.csv"):
        df = pd.read_csv(workdir / f)
        cells = [v for v in df.select_dtypes(exclude="number").to_numpy().ravel() if isinstance(v, str)]
        assert cells and not any(v[:1] in "=+-@" for v in cells), f
        assert "'" + name in set(df.iloc[:, 1]), f
    rc, _, err = invoke(["run", "--preset", "jpmorgan-high", "--name", name, "--format", "xlsx", "--out", "x.xlsx"],
                        workdir)
    assert rc == 0, err
    import openpyxl

    wb = openpyxl.load_workbook(workdir / "x.xlsx")
    formulas = [c.coordinate for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    numbers = [c.value for row in wb["tidy"].iter_rows(min_row=2, max_row=5) for c in row if c.column == 6]
    assert all(isinstance(v, float) for v in numbers)


def test_rounding_noise_never_prints_as_negative_zero(workdir):
    rc, out, _ = invoke(["run", "--preset", "jpmorgan-high", "--preset", "eu-meta-ai-delay", "--set",
                         "leakage_pct=30", "--detail", "countries"], workdir)
    assert rc == 0 and "-0.000000" not in out


def test_a_scenario_file_runs_its_presets(workdir):
    f = write(workdir, "s.json", json.dumps({"presets": ["jpmorgan-high"], "parameters": {}}))
    rc, out, err = invoke(["summary", "--scenario", f, "--json"], workdir)
    assert rc == 0, err
    assert json.loads(out)["summary"][0]["potential_gain_usd_bn"] == pytest.approx(10000.0)


def test_a_scheduler_that_does_not_speak_dask_times_out(workdir):
    """A TCP port that accepts connections and says nothing: exit 2 within the timeout, one line."""
    pytest.importorskip("dask.distributed")
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    port = srv.getsockname()[1]
    conns = []
    stop = threading.Event()

    def accept():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conns.append(srv.accept()[0])
            except OSError:
                pass

    th = threading.Thread(target=accept, daemon=True)
    th.start()
    try:
        t = time.perf_counter()
        check_failure(["uncertainty", "--preset", "jpmorgan-high", "--draws", "2000", "--chunk-size", "1000",
                       "--no-progress", "--scheduler", f"tcp://127.0.0.1:{port}", "--timeout", "2",
                       "--out", "u.csv"], workdir, f"127.0.0.1:{port}")
        assert time.perf_counter() - t < 30
    finally:
        stop.set()
        th.join()
        for c in conns:
            c.close()
        srv.close()


# ----------------------------------------------------------------------------- the grammar
COMMANDS = ["params", "presets", "run", "summary", "scenario", "uncertainty", "sensitivity", "report", "docs"]
TOKENS = st.sampled_from([
    "--preset", "jpmorgan-high", "eu-meta-ai-delay", "italy-chatgpt-ban", "nope", "--set", "end_year=2030",
    "end_year=abc", "substitution_pct=150", "delay_years=-1", "restricted_group=ITA", "restricted_group=Atlantis",
    "--name", "=cmd|' /C calc'!A0", "--json", "--detail", "countries", "regions", "--format", "iamc", "csv",
    "--draws", "1", "0", "-3", "--seed", "--samples", "2", "--method", "sobol", "tornado", "--threshold", "nan",
    "--out", "existing.csv", "", "--scenario", "missing.json", "--chunk-size", "--fix", "nope_key", "--", "-x",
    "--no-progress", "\x00", "٣", "--output", "world_cumulative_gain",
])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(command=st.sampled_from(COMMANDS), rest=st.lists(TOKENS, max_size=7))
def test_grammar_never_tracebacks(workdir, command, rest):
    args = [command, *rest]
    if command in ("uncertainty", "report"):  # keep each example quick
        args += ["--draws", "20"] if "--draws" not in rest else []
        args += ["--no-progress"] if command == "uncertainty" else []
    if command == "sensitivity" and "sobol" in rest:
        args += ["--samples", "2"]
    before = snapshot(workdir)
    rc, _, err = invoke(args, workdir)
    assert rc in (0, 2), (args, rc, err)
    if rc == 2:
        assert len(err.strip().splitlines()) == 1 and err.startswith("error: "), (args, err)
        assert snapshot(workdir) == before, args
