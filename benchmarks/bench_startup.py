"""Start-up time of each CLI command, and which heavy libraries it loads.

Run: ``.venv/bin/python benchmarks/bench_startup.py``. Prints, per command, the median wall time of
``python -m model <command> ...`` over 5 fresh processes, and the heavy modules (scipy, SALib,
dask, plotly, openpyxl) each one imported. ``params``, ``presets``, ``scenario`` and ``summary``
should import none of them.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("scipy", "SALib", "dask", "distributed", "plotly", "openpyxl")
COMMANDS = {
    "params": ["params"],
    "presets": ["presets"],
    "scenario": ["scenario", "--preset", "jpmorgan-high"],
    "summary": ["summary", "--preset", "jpmorgan-high"],
    "run": ["run", "--preset", "jpmorgan-high"],
    "uncertainty": ["uncertainty", "--preset", "jpmorgan-high", "--draws", "100", "--no-progress"],
    "sensitivity": ["sensitivity", "--preset", "jpmorgan-high", "--preset", "eu-meta-ai-delay"],
}
PROBE = """
import sys, runpy, json, io, contextlib
heavy = set(json.loads(sys.argv[2]))
sys.argv = ["model", *json.loads(sys.argv[1])]
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        runpy.run_module("model", run_name="__main__")
    except SystemExit:
        pass
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & heavy)))
"""


def main() -> None:
    print("command        median of 5 (s)   heavy modules loaded")
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in COMMANDS.items():
            times = []
            for _ in range(5):
                t = time.perf_counter()
                out = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args), json.dumps(HEAVY)], cwd=tmp,
                                     capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})
                times.append(time.perf_counter() - t)
            heavy = json.loads(out.stdout.strip().splitlines()[-1]) if out.stdout.strip() else ["?"]
            print(f"{name:<14} {statistics.median(times):>10.2f}        {', '.join(heavy) or 'none'}")


if __name__ == "__main__":
    main()
