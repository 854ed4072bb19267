"""Median time of the app's script rerun after a slider change (Streamlit AppTest, no browser).

Run: ``.venv/bin/python benchmarks/bench_app.py [--repeat 21]``. Moves the substitution slider back
and forth and reports the app's own script time, measured inside the script (``_script_ms``: from
the slider's callback until the key figures, every Overview chart, the slider and its box and the
link are sent; model call, figures, tables; not counting the 40 ms the script sleeps after the key
figures so that the browser draws them before the charts, ``app.FIGURES_FIRST_PAUSE_S``), then the
Overview's uncertainty range, which comes
last by design (``_range_ms``: its Monte Carlo when the scenario is new, a cache hit otherwise), and
the AppTest round trip. A slider move reruns only its fragments (the slider and its box, the link,
the main area); a preset change reruns the whole page (printed for comparison). The browser's own
drawing is not included. Target (issue): script time per slider rerun < 50 ms.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def line(name: str, values: list[float], note: str = "") -> None:
    print(f"  {name:<52} median {statistics.median(values):7.1f} ms   (min {min(values):.1f}, "
          f"max {max(values):.1f}){note}")


def main(repeat: int = 21) -> None:
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, at.exception
    script_new, script_seen, range_new, range_seen, wall = [], [], [], [], []
    values = [20.0 + i for i in range(repeat)]
    for v in values:  # each value is new: the model and the range's Monte Carlo run
        t = time.perf_counter()
        at.slider(key="sl_substitution_pct").set_value(v).run()
        wall.append(1000 * (time.perf_counter() - t))
        script_new.append(at.session_state["_script_ms"])
        range_new.append(at.session_state["_range_ms"])
    for v in values[-8:]:  # seen before: model run and Monte Carlo are cache hits (the MC cache holds 8)
        at.slider(key="sl_substitution_pct").set_value(v).run()
        script_seen.append(at.session_state["_script_ms"])
        range_seen.append(at.session_state["_range_ms"])
    assert not at.exception
    full = []
    at.run()  # the whole page again (AppTest keeps only the elements of the last fragment run)
    for i in range(repeat // 2 + 1):  # preset changes: whole-page runs
        at.selectbox(key="rp").set_value("eu-apple-intelligence-delay" if i % 2 == 0 else "eu-meta-ai-delay").run()
        full.append(at.session_state["_script_ms"])
    assert not at.exception
    print(f"app rerun after a slider change (Overview tab), {repeat} new values, then the last 8 again:")
    line("script time, new value (model runs)", script_new, "   target < 50 ms")
    line("script time, value seen before (cache hit)", script_seen)
    line("then the uncertainty range, new value (Monte Carlo)", range_new)
    line("then the uncertainty range, value seen before", range_seen)
    line("AppTest round trip incl. its polling (new value)", wall)
    line("whole-page run after a preset change (without range)", full)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=21)
    main(ap.parse_args().repeat)
