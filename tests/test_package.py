"""The package installs as a wheel and runs from anywhere; its modules import without a circle."""

import ast
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

MODEL = ROOT / "model"


def _imports_of(path: Path) -> set[str]:
    """The model modules a module imports at module level (``from .x import``, ``from . import x``)."""
    out = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                out.add(node.module.split(".")[0])
            else:
                out.update(a.name for a in node.names)
    return out - {"__init__"}


def test_no_import_circle_among_model_modules():
    graph = {p.stem: _imports_of(p) for p in MODEL.glob("*.py") if p.stem not in ("__init__", "__main__")}
    graph = {k: {m for m in v if m in graph} for k, v in graph.items()}
    seen, stack = set(), []

    def visit(node):
        if node in stack:
            raise AssertionError("import circle: " + " -> ".join(stack[stack.index(node):] + [node]))
        if node in seen:
            return
        stack.append(node)
        for nxt in graph[node]:
            visit(nxt)
        stack.pop()
        seen.add(node)

    for n in graph:
        visit(n)
    assert "engine" in graph and "figures" not in graph["result"]


LIGHT_COMMANDS = [["params"], ["presets"], ["scenario", "--preset", "jpmorgan-high"],
                  ["summary", "--preset", "jpmorgan-high", "--preset", "eu-meta-ai-delay"]]
HEAVY = ["scipy", "SALib", "dask", "distributed", "plotly", "openpyxl", "streamlit"]


@pytest.mark.parametrize("args", LIGHT_COMMANDS, ids=lambda a: a[0])
def test_light_commands_import_no_heavy_library(args, tmp_path):
    """A fresh interpreter (sys.modules is process-wide, so this needs its own process)."""
    code = ("import sys, io, contextlib\nfrom model.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n    rc = main(sys.argv[1:])\n"
            f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})\n"
            "print(rc, heavy)")
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT)}, timeout=120)
    assert out.stdout.strip() == "0 []", out.stdout + out.stderr


def test_wheel_installs_and_its_cli_runs_from_another_directory(tmp_path):
    """Build the wheel, install it (no deps) into a venv that sees .venv's site-packages, run the
    console script from an empty directory: the shipped tables and the map travel in the wheel."""
    import shutil

    src = tmp_path / "src"  # build from a copy: setuptools writes build/ beside the sources
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "model", src / "model", ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels),
                    str(src)], check=True, capture_output=True, timeout=300)
    wheel = next(wheels.glob("genai_impact-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("model/tables/countries.csv", "model/assets/world_110m.json", "model/parameters.toml",
                   "model/presets.toml", "model/outputs.toml", "model/tables/events.csv"):
        assert needed in names, needed
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(env_dir)
    site = next((env_dir / "lib").glob("python3*/site-packages"))
    # reuse the project's dependencies, not its source tree
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (site / "deps.pth").write_text("\n".join(deps) + "\n")
    py = env_dir / "bin" / "python"
    subprocess.run([py, "-m", "pip", "--version"], capture_output=True)  # no pip needed: install by unzip
    zipfile.ZipFile(wheel).extractall(site)
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    code = ("import model, sys; assert 'site-packages' in model.__file__, model.__file__;"
            "from model.cli import main; sys.exit(main(['summary', '--preset', 'jpmorgan-high', '--json']))")
    out = subprocess.run([py, "-c", code], cwd=empty, capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert '"potential_gain_usd_bn":10000.0' in out.stdout.replace(" ", "")
    report = empty / "r.html"
    out = subprocess.run([py, "-c", "import sys; from model.cli import main; sys.exit(main(sys.argv[1:]))",
                          "report", "--preset", "jpmorgan-high", "--draws", "0", "--out", str(report)],
                         cwd=empty, capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert "PlotlyGeoAssets" in report.read_text()
