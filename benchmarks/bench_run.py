"""Median time of one scenario at country detail, 2023-2050.

Run: ``.venv/bin/python benchmarks/bench_run.py`` (or ``make benchmark``). Prints the median
of the model run alone (arrays), of run + summary, and of run + the tidy country-detail frame.
Target (issue 2): the model run under 5 ms.
"""

from __future__ import annotations

import statistics
import time

import model


def median_ms(fn, repeat: int = 300) -> float:
    fn()  # warm caches (data load)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


def main() -> None:
    s = model.Scenario.build(["jpmorgan-high", "eu-llama-multimodal"], {"end_year": 2050, "leakage_pct": 20})
    n = len(model.load_countries())
    print(f"one scenario, {n} countries x {2050 - 2023 + 1} years (2023-2050), median of 300 runs:")
    print(f"  model run (arrays)                 {median_ms(lambda: model.run(s)):7.3f} ms   target < 1 ms")
    print(f"  run + summary by region            {median_ms(lambda: model.run(s).summary()):7.3f} ms")
    print(f"  run + tidy frame, country detail   {median_ms(lambda: model.run(s).to_frame('countries')):7.3f} ms")
    print(f"  validate + build scenario          {median_ms(lambda: s.with_values(leakage_pct=21)):7.3f} ms")


if __name__ == "__main__":
    main()
