"""Median time of one scenario at country detail, 2023-2050.

Run: ``.venv/bin/python benchmarks/bench_run.py`` (or ``make benchmark``). Prints the median
of the model run alone (arrays, with its quartiles), of run + summary, and of run + the tidy
country-detail frame, and the machine's load average (1 minute). Target: the model run under 1 ms.
"""

from __future__ import annotations

import os
import statistics
import time

import model


def times_ms(fn, repeat: int = 300) -> list[float]:
    fn()  # warm caches (data load)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - t))
    return times


def median_ms(fn, repeat: int = 300) -> float:
    return statistics.median(times_ms(fn, repeat))


def main() -> None:
    s = model.Scenario.build(["jpmorgan-high", "eu-llama-multimodal"], {"end_year": 2050, "leakage_pct": 20})
    n = len(model.load_countries())
    print(f"one scenario, {n} countries x {2050 - 2023 + 1} years (2023-2050), median of 300 runs:")
    run = times_ms(lambda: model.run(s))
    q1, q2, q3 = statistics.quantiles(run, n=4)
    print(f"  model run (arrays)                 {q2:7.3f} ms   target < 1 ms   (quartiles {q1:.3f}-{q3:.3f} ms)")
    print(f"  run + summary by region            {median_ms(lambda: model.run(s).summary()):7.3f} ms")
    print(f"  run + tidy frame, country detail   {median_ms(lambda: model.run(s).to_frame('countries')):7.3f} ms")
    print(f"  validate + build scenario          {median_ms(lambda: s.with_values(leakage_pct=21)):7.3f} ms")
    print(f"  load average (1 minute) {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
