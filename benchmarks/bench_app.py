"""Median time of the app's script rerun after a slider change (Streamlit AppTest, no browser).

Run: ``.venv/bin/python benchmarks/bench_app.py``. Moves the substitution slider back and forth
and reports the app's own script time (``_script_ms``, measured inside the script: model call,
figures, tables) and the AppTest round trip; the browser's own drawing is not included. Target (issue 3): well under 200 ms.
"""

from __future__ import annotations

import logging
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def main(repeat: int = 21) -> None:
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, at.exception
    script_new, script_seen, wall = [], [], []
    values = [20.0 + i for i in range(repeat)]
    for v in values:  # each value is new: the model runs
        t = time.perf_counter()
        at.slider(key="sl_substitution_pct").set_value(v).run()
        wall.append(time.perf_counter() - t)
        script_new.append(at.session_state["_script_ms"])
    for v in values:  # values seen before: the model call is a cache hit
        at.slider(key="sl_substitution_pct").set_value(v).run()
        script_seen.append(at.session_state["_script_ms"])
    assert not at.exception
    print(f"app rerun after a slider change (Overview tab), median of {repeat}:")
    print(f"  script time, new value (model runs)        {statistics.median(script_new):7.1f} ms"
          "   target < 50 ms")
    print(f"  script time, value seen before (cache hit) {statistics.median(script_seen):7.1f} ms")
    print(f"  AppTest round trip incl. its polling       {1000 * statistics.median(wall):7.1f} ms")


if __name__ == "__main__":
    main()
