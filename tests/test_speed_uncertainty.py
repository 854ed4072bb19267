"""The Monte Carlo's faster bookkeeping keeps its numbers: histogram counts, percentiles, and
results that depend neither on the threads nor on the sub-batch size. Behaviour only, never timings."""

import numpy as np
import pandas as pd
import pytest

import model
from model import uncertainty as U

SCENARIO = model.Scenario.build(["jpmorgan-high", "eu-meta-ai-delay"])


def reference_counts(values, edges):
    """The per-cell histogram counts as the earlier implementation built them (one bincount per chunk)."""
    out = {}
    for var, e in edges.items():
        v = values[var].reshape(values[var].shape[0], -1)
        lo, hi = e[:, 0], e[:, 1]
        width = np.where(hi > lo, hi - lo, 1.0)
        idx = np.floor((v - lo) / width * U.N_BINS).astype(np.int64) + 1
        idx = np.clip(idx, 0, U.N_BINS + 1)
        idx[:, hi <= lo] = 1
        cells = v.shape[1]
        flat = idx + (np.arange(cells) * (U.N_BINS + 2))[None, :]
        out[var] = np.bincount(flat.ravel(), minlength=cells * (U.N_BINS + 2)).reshape(cells, U.N_BINS + 2)
    return out


def counts(values, edges):
    entries = U._histograms(values, edges)
    out = {}
    for var, e in edges.items():
        out[var] = np.zeros((len(e), U.N_BINS + 2), dtype=np.int64)
        U._add_counts(out[var], entries[var])
    return out


def test_histogram_counts_match_the_bincount_reference():
    rng = np.random.default_rng(0)
    v = rng.normal(0.0, 1.0, (500, 3, 7))
    v[:, 0, 0] = 2.5  # a cell with no spread
    v[::7, 1, 2] = np.nan  # NaN: the underflow bin, as before
    v[::5, 2, 3] = -np.inf
    v[::3, 2, 4] = 40.0  # beyond the range: overflow
    v[1, 1, 1] = -40.0
    edges = U._pilot_edges({k: v[:100] for k in (*U.MC_VARIABLES, U.GROUP_CUMULATIVE)})
    edges = {k: edges[k] for k in list(U.MC_VARIABLES)[:1]}
    vals = {k: v for k in edges}
    with np.errstate(invalid="ignore"):
        want = reference_counts(vals, edges)
        got = counts(vals, edges)
    for k in edges:
        np.testing.assert_array_equal(got[k], want[k])
        assert got[k].sum() == v[:, :, :].size


def test_values_at_plus_infinity_count_as_overflow():
    v = np.zeros((4, 1, 2))
    v[:, 0, 1] = [0.0, 0.5, 2.0, np.inf]
    edges = {"x": np.array([[-1.0, 1.0], [0.0, 1.0]])}
    got = counts({"x": v}, edges)["x"]
    assert got[1, U.N_BINS + 1] == 2  # 2.0 and +inf are above the range


def reference_percentiles(hist, edges, qs):
    """The earlier bin search: for each cell, the number of cumulative counts below the target."""
    cells = hist.shape[0]
    cum = np.cumsum(hist, axis=1)
    n = cum[:, -1]
    lo, hi = edges[:, 0], edges[:, 1]
    width = (hi - lo) / U.N_BINS
    out = np.empty((len(qs), cells))
    for j, q in enumerate(qs):
        target = q / 100 * n
        b = (cum < target[:, None]).sum(axis=1)
        prev = np.where(b > 0, cum[np.arange(cells), np.maximum(b - 1, 0)], 0)
        inbin = hist[np.arange(cells), b]
        frac = np.where(inbin > 0, (target - prev) / np.maximum(inbin, 1), 0.5)
        val = lo + (b - 1 + frac) * width
        out[j] = np.where(hi > lo, np.clip(val, lo, hi), lo)
    return out


@pytest.mark.parametrize("draws", [1, 7, 100, 1000])
def test_percentile_search_matches_the_count(draws):
    rng = np.random.default_rng(draws)
    cells = 40
    hist = np.zeros((cells, U.N_BINS + 2), dtype=np.int64)
    for c in range(cells):  # clustered, spread, all in one bin, in the under- and overflow bins
        kind = c % 4
        bins = (rng.integers(1000, 1010, draws) if kind == 0 else rng.integers(0, U.N_BINS + 2, draws) if kind == 1
                else np.full(draws, 17) if kind == 2 else rng.choice([0, U.N_BINS + 1], draws))
        np.add.at(hist[c], bins, 1)
    edges = np.stack([rng.normal(0, 1, cells), rng.normal(3, 1, cells)], axis=1)
    edges[5] = [1.0, 1.0]  # no spread
    qs = (5, 25, 50, 75, 95)
    np.testing.assert_array_equal(U._percentiles_from_hist(hist, edges, qs), reference_percentiles(hist, edges, qs))


def test_results_do_not_depend_on_threads_or_sub_batches(monkeypatch):
    base = U.monte_carlo(SCENARIO, draws=700, seed=2, chunk_size=300)
    monkeypatch.setattr(U, "SUB_BATCH", 37)
    monkeypatch.setattr("os.cpu_count", lambda: 1)  # one thread, other slices
    other = U.monte_carlo(SCENARIO, draws=700, seed=2, chunk_size=300)
    pd.testing.assert_frame_equal(base.percentiles, other.percentiles)
    pd.testing.assert_frame_equal(base.mean, other.mean)
    np.testing.assert_array_equal(base.exceedance, other.exceedance)
    assert base.cumulative_loss_range == other.cumulative_loss_range


def test_evaluate_draws_on_threads_equals_one_thread():
    draws = U.sample(U.distributions(SCENARIO), 300, np.random.default_rng(3))
    one, two = U.evaluate_draws(SCENARIO, draws), U.evaluate_draws(SCENARIO, draws, threads=2)
    for k in one:
        np.testing.assert_array_equal(one[k], two[k])


def test_progress_counts_every_draw_once():
    seen = []
    U.monte_carlo(SCENARIO, draws=2500, seed=0, chunk_size=400, progress=seen.append)
    assert seen == [400] * 6 + [100]


def test_nothing_uncertain_still_runs():
    mc = U.monte_carlo(SCENARIO, draws=50, seed=0, chunk_size=20, dists=[])
    assert mc.draws == 50 and np.isfinite(mc.percentiles.value).all()
