"""Median time of the app's script rerun after a slider change (Streamlit AppTest, no browser).

Run: ``.venv/bin/python benchmarks/bench_app.py``. Moves the access-delay slider back and forth
and times each ``AppTest.run()``: the whole script (model call, figures, tables, downloads)
without the browser's own drawing. Target (issue 3): well under 200 ms.
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
    times_new, times_seen = [], []
    values = [0.25 + 0.05 * i for i in range(repeat)]
    for v in values:  # each value is new: the model runs
        t = time.perf_counter()
        at.slider(key="sl_delay_years").set_value(v).run()
        times_new.append(time.perf_counter() - t)
    for v in values:  # values seen before: the model call is a cache hit
        t = time.perf_counter()
        at.slider(key="sl_delay_years").set_value(v).run()
        times_seen.append(time.perf_counter() - t)
    assert not at.exception
    print(f"app rerun after a slider change, median of {repeat} (AppTest, whole script):")
    print(f"  new value (model runs)        {1000 * statistics.median(times_new):7.1f} ms   target well under 200 ms")
    print(f"  value seen before (cache hit) {1000 * statistics.median(times_seen):7.1f} ms")


if __name__ == "__main__":
    main()
