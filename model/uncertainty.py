"""Uncertainty and sensitivity: vectorised Monte Carlo, fan charts, tornado and Sobol indices.

Each uncertain parameter declares a distribution in ``parameters.toml`` (``dist``, ``dist_low``,
``dist_mode``, ``dist_high``, ``dist_sd``, ``dist_note``). Draws are evaluated by the one engine,
:func:`model.engine.evaluate`, over a ``(draws, countries, years)`` array, in chunks so that memory
stays bounded; percentiles are read from per-cell histograms merged across chunks, so any number
of draws needs the same memory. The same chunks run in-process or on a ``dask.distributed``
cluster, with identical results for the same seed and chunking.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .aggregation import Aggregation
from .data import BASE_YEAR
from .engine import batch_inputs, country_arrays, evaluate
from .outputs import MC_VARIABLES, SENSITIVITY_OUTPUTS, VARIABLES
from .parameters import PARAMETERS, ParameterSpec, Scenario, ScenarioError, unused_keys

PERCENTILES = (5, 25, 50, 75, 95)
#: The restricted group's loss summed over the years, one value per draw: its percentiles are kept too.
GROUP_CUMULATIVE = "group_cumulative_lost"
#: Largest draw x country x year block evaluated at once (bounds memory: ~0.16 GB per float64 array).
MAX_CHUNK_CELLS = 20_000_000
#: Most draws a Monte Carlo accepts (documented in the README and the CLI).
MAX_DRAWS = 10_000_000
N_BINS = 4096


# ----------------------------------------------------------------------------- distributions
@dataclass(frozen=True)
class Distribution:
    """A parameter's distribution around the scenario's value.

    Bounds are declared absolute, or as factors or offsets of the scenario's value
    (``dist_scale``); they are widened to include the value and clipped to the parameter's
    range. ``uniform``: U(low, high); ``triangular``: mode at the scenario value;
    ``truncnorm``: mean at the scenario value, standard deviation ``sd``.
    """

    key: str
    kind: str
    low: float
    high: float
    centre: float
    sd: float | None = None

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF: uniforms in [0, 1) -> values."""
        if self.high <= self.low:
            return np.full_like(u, self.low, dtype=float)
        if self.kind == "uniform":
            return self.low + u * (self.high - self.low)
        from scipy import stats  # loaded only when a Monte Carlo runs

        if self.kind == "triangular":
            c = (self.centre - self.low) / (self.high - self.low)
            return stats.triang.ppf(u, c, loc=self.low, scale=self.high - self.low)
        if self.kind == "truncnorm":
            sd = self.sd or (self.high - self.low) / 4
            a, b = (self.low - self.centre) / sd, (self.high - self.centre) / sd
            return stats.truncnorm.ppf(u, a, b, loc=self.centre, scale=sd)
        raise ValueError(f"unknown distribution {self.kind!r} for {self.key}")


def relevant(spec: ParameterSpec, scenario: Scenario) -> bool:
    """Whether a parameter affects this scenario (its declared ``applies_when``)."""
    return spec.key not in unused_keys(scenario)


def distributions(scenario: Scenario, keys: Iterable[str] | None = None,
                  fixed: Iterable[str] = ()) -> list[Distribution]:
    """The uncertain parameters of a scenario with their distributions (declaration order).

    ``keys`` restricts the set (default: every parameter that declares a distribution and
    affects the scenario); ``fixed`` holds parameters at the scenario's value.
    """
    fixed = set(fixed)
    chosen = list(keys) if keys is not None else None
    factors = event_factors(scenario)
    for k in list(chosen or []) + list(fixed):
        if k in factors:
            continue
        if k not in PARAMETERS:
            raise ScenarioError(f"unknown parameter {k!r}; list them with `python -m model params`")
        if chosen is not None and k in chosen and not PARAMETERS[k].dist:
            raise ScenarioError(f"{k} has no declared distribution")
    out = []
    unused = unused_keys(scenario)
    if not any(r.kind == "legacy" or r.share_range_pct is None for r in scenario.restrictions):
        unused.add("restricted_share_pct")  # every restriction is drawn through its event's range
    if not any(r.kind == "legacy" or r.substitution_range_pct is None for r in scenario.restrictions):
        unused.add("substitution_pct")
    for spec in PARAMETERS.values():
        if not spec.dist or spec.key in fixed or (chosen is not None and spec.key not in chosen):
            continue
        if chosen is None and spec.key in unused:
            continue
        v = float(scenario.values[spec.key])
        if spec.dist_scale == "factor":
            lo, hi = v * spec.dist_low, v * spec.dist_high
        elif spec.dist_scale == "offset":
            lo, hi = v + spec.dist_low, v + spec.dist_high
        else:
            lo, hi = spec.dist_low, spec.dist_high
        lo, hi = min(lo, v), max(hi, v)
        lo, hi = max(lo, spec.min), min(hi, spec.max)
        out.append(Distribution(spec.key, spec.dist, lo, hi, v, spec.dist_sd))
    for key in factors:  # events' common factors: a quantile, uniform on [0, 1]; NaN is the central value
        if key in fixed or (chosen is not None and key not in chosen):
            continue
        out.append(Distribution(key, "uniform", 0.0, 1.0, float("nan")))
    return out


#: Vendors (the events' common factors) as they write their names.
VENDOR_NAMES = {"openai": "OpenAI", "xai": "xAI"}


def vendor_name(factor: str) -> str:
    """An event family's common factor (a vendor key, e.g. ``meta``) in words (``Meta``)."""
    return VENDOR_NAMES.get(factor, factor.replace("-", " ").replace("_", " ").title())


def event_factors(scenario: Scenario) -> dict[str, str]:
    """The events' common factors of a scenario: Monte Carlo key -> plain label."""
    out: dict[str, str] = {}
    for r in scenario.restrictions:
        if r.kind == "legacy" or not r.common_factor:
            continue
        if r.share_range_pct is not None and r.share_range_pct[0] < r.share_range_pct[1]:
            out[f"event_share[{r.common_factor}]"] = f"Value tied to {vendor_name(r.common_factor)}'s restricted products"
        if r.substitution_range_pct is not None and r.substitution_range_pct[0] < r.substitution_range_pct[1]:
            out[f"event_substitution[{r.common_factor}]"] = f"Substitution for {vendor_name(r.common_factor)}'s products"
    return out


def collapsed(dists: Sequence[Distribution]) -> list[Distribution]:
    """The same parameters with every distribution collapsed to the scenario value."""
    return [Distribution(d.key, d.kind, d.centre, d.centre, d.centre) for d in dists]


def sample(dists: Sequence[Distribution], n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """``n`` independent draws of each parameter (inverse-CDF of uniform random numbers)."""
    u = rng.random((n, len(dists)))
    return {d.key: d.ppf(u[:, j]) for j, d in enumerate(dists)}


# ----------------------------------------------------------------------------- batch evaluation
@dataclass(frozen=True)
class _Setup:
    """Everything a chunk needs, picklable for Dask workers."""

    scenario: Scenario
    dists: tuple[Distribution, ...]
    seed: int
    chunk_size: int
    draws: int

    def chunk_bounds(self, i: int) -> tuple[int, int]:
        start = i * self.chunk_size
        return start, min(self.draws, start + self.chunk_size)

    @property
    def n_chunks(self) -> int:
        return -(-self.draws // self.chunk_size)


@lru_cache(maxsize=8)
def aggregation_for(group: str) -> Aggregation:
    """The region-level aggregation (World, regions, the restricted group) of the shipped table."""
    a = country_arrays()
    return Aggregation.build(a.iso3, a.region, group, a.mask(group), "regions")


#: Draws evaluated per engine call inside a chunk (the (d, n, T) arrays are about 4 MB each, kept
#: in a workspace per thread). 128 measured fastest here again with two threads (48-334 tried: 192-256
#: within the noise, below 96 slower: more engine calls, hence more hand-offs of the GIL).
SUB_BATCH = 128

_LOCAL = threading.local()  # each pool thread's engine workspace (arrays reused from batch to batch)


def _pool(threads: int):
    """A thread pool whose threads each keep an engine workspace (freed with the pool's threads)."""
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(threads, thread_name_prefix="monte-carlo", initializer=_new_workspace)


def _new_workspace() -> None:
    _LOCAL.workspace = {}


def _batch_inputs(scenario: Scenario, draws: Mapping[str, np.ndarray]) -> tuple[Any, list, int]:
    """The engine's inputs for a whole batch of draws (:func:`model.engine.batch_inputs`) and its size."""
    params, restrictions = batch_inputs(scenario, draws)
    d = _batch_size(draws)
    if not draws:  # keep the batch shape even with nothing uncertain
        params.adoption_speed = np.full(d, float(params.adoption_speed))
    return params, restrictions, d


def _cut(ns: SimpleNamespace, start: int, d: int) -> SimpleNamespace:
    """The inputs of draws ``start:start + SUB_BATCH``: each array of draws ``(d,)`` sliced."""
    return SimpleNamespace(**{k: v[start:start + SUB_BATCH] if isinstance(v, np.ndarray) and v.shape == (d,) else v
                              for k, v in vars(ns).items()})


def _sub_batch(scenario: Scenario, inputs: tuple[Any, list, int], start: int, out: dict[str, np.ndarray],
               workspace: dict | None = None) -> None:
    """The Monte Carlo variables of draws ``start:start + SUB_BATCH`` of a batch, written into
    their rows of ``out`` (each variable from sums to regions of the engine's paths)."""
    agg = aggregation_for(scenario.params.restricted_group)
    params, restrictions, d = inputs
    params, restrictions = _cut(params, start, d), [_cut(r, start, d) for r in restrictions]
    years = np.arange(BASE_YEAR, int(params.end_year) + 1)
    ws = workspace if workspace is not None else getattr(_LOCAL, "workspace", None)
    sums = evaluate(params, restrictions, country_arrays(), years, workspace=ws).summed(agg.matrix, _PATHS_NEEDED)
    for k in MC_VARIABLES:
        out[k][start:start + SUB_BATCH] = VARIABLES[k].value(sums)  # sums, or the growth of sums


#: The country paths the Monte Carlo variables sum.
_PATHS_NEEDED = tuple(dict.fromkeys(p for k in MC_VARIABLES for p in VARIABLES[k].paths))


def _batch_size(draws: Mapping[str, np.ndarray]) -> int:
    return len(next(iter(draws.values()))) if draws else 1


def _batch_arrays(scenario: Scenario, inputs: tuple[Any, list, int]) -> dict[str, np.ndarray]:
    """Empty ``(d, R, T)`` arrays for a batch's Monte Carlo variables."""
    shape = (inputs[2], len(aggregation_for(scenario.params.restricted_group).labels),
             int(inputs[0].end_year) - BASE_YEAR + 1)
    return {k: np.empty(shape) for k in MC_VARIABLES}


def _submit_batch(scenario: Scenario, draws: Mapping[str, np.ndarray], pool) -> tuple[dict, list]:
    """A batch of draws as sub-batches on ``pool``: the arrays they fill and their futures."""
    inputs = _batch_inputs(scenario, draws)
    out = _batch_arrays(scenario, inputs)
    return out, [pool.submit(_sub_batch, scenario, inputs, start, out) for start in range(0, inputs[2], SUB_BATCH)]


def _finish(scenario: Scenario, submitted: tuple[dict, list]) -> dict[str, np.ndarray]:
    """A submitted batch's values once its sub-batches are done, with ``group_cumulative_lost``."""
    out, futures = submitted
    for f in futures:
        f.result()
    return _with_group_total(scenario, out)


def _with_group_total(scenario: Scenario, out: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    out["group_cumulative_lost"] = out["ai_gain_lost"][:, aggregation_for(scenario.params.restricted_group).group_row,
                                                       :].sum(axis=1)
    return out


def evaluate_draws(scenario: Scenario, draws: Mapping[str, np.ndarray], threads: int = 1) -> dict[str, np.ndarray]:
    """Evaluate the model for a batch of draws through the one engine; sum to regions.

    Returns each Monte Carlo variable of the output registry as ``(d, R, T)`` (rows: the
    labels of :func:`aggregation_for`: World, the regions, then the restricted group when it
    is not a region) and ``group_cumulative_lost`` ``(d,)``. The batch is evaluated in slices
    of :data:`SUB_BATCH` draws, on ``threads`` threads (the results do not depend on either).
    """
    d = _batch_size(draws)
    if threads > 1 and d > SUB_BATCH:
        with _pool(threads) as pool:
            return _finish(scenario, _submit_batch(scenario, draws, pool))
    inputs = _batch_inputs(scenario, draws)
    out = _batch_arrays(scenario, inputs)
    ws: dict = {}  # reused by this call's sub-batches
    for start in range(0, d, SUB_BATCH):
        _sub_batch(scenario, inputs, start, out, ws)
    return _with_group_total(scenario, out)


def _chunk_draws(setup: _Setup, i: int) -> dict[str, np.ndarray]:
    start, stop = setup.chunk_bounds(i)
    return sample(setup.dists, stop - start, np.random.default_rng([setup.seed, i]))


def _chunk_values(setup: _Setup, i: int, threads: int = 1) -> dict[str, np.ndarray]:
    return evaluate_draws(setup.scenario, _chunk_draws(setup, i), threads=threads)


def _histograms(values: dict[str, np.ndarray], edges: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per-cell histogram entries: for each variable, the flat bin of every value, ``(cells * d,)``.

    Cell ``c``'s bins are ``c * (N_BINS + 2) + [0, N_BINS + 1]`` (bin 0 and ``N_BINS + 1``: under-
    and overflow); :func:`_add_counts` adds them to counts of shape ``(cells, N_BINS + 2)``.
    """
    out = {}
    for var, e in edges.items():
        v = values[var].reshape(values[var].shape[0], -1)  # (d, cells)
        lo, hi = e[:, 0, None], e[:, 1, None]
        width = np.where(hi > lo, hi - lo, 1.0)
        x = np.subtract(v.T, lo, out=np.empty(v.shape[::-1]))  # (cells, d): a cell's entries together
        x /= width
        x *= N_BINS
        np.floor(x, out=x)  # the bin - 1, clipped to the under- and overflow bins (NaN: underflow)
        np.fmax(x, -1.0, out=x)
        np.fmin(x, float(N_BINS), out=x)
        flat = (hi <= lo)[:, 0]
        if flat.any():
            x[flat] = 0.0  # a cell with no spread: every draw in the first bin
        x += np.arange(1.0, v.shape[1] * (N_BINS + 2), N_BINS + 2)[:, None]  # + 1 + the cell's offset
        out[var] = x.astype(np.intp).ravel()
    return out


def _add_counts(counts: np.ndarray, entries: np.ndarray) -> None:
    """Add histogram entries (flat bins from :func:`_histograms`) to ``counts`` ``(cells, N_BINS + 2)``."""
    np.add.at(counts.reshape(-1), entries, 1)


def _chunk_stats(setup: _Setup, i: int, edges: dict[str, np.ndarray], thresholds: np.ndarray) -> dict:
    """One chunk's contribution: histogram entries, exceedance counts, sums (all additive)."""
    return _stats(_chunk_values(setup, i), edges, thresholds)


def _stats(vals: dict[str, np.ndarray], edges: dict[str, np.ndarray], thresholds: np.ndarray) -> dict:
    hist = _histograms(vals, edges)
    g = vals["group_cumulative_lost"]
    return {"hist": hist, "exceed": (g[:, None] > thresholds[None, :]).sum(axis=0),
            "sum": {k: vals[k].sum(axis=0) for k in MC_VARIABLES}, "n": len(g),
            "g_min": g.min(), "g_max": g.max(), "g_sum": g.sum()}


def _totals(part: dict, edges: dict[str, np.ndarray]) -> dict:
    """The running totals started from the first chunk's statistics (histogram counts from its entries)."""
    total = dict(part)
    total["hist"] = {}
    for k, e in edges.items():
        total["hist"][k] = np.zeros((len(e), N_BINS + 2), dtype=np.int64)
        _add_counts(total["hist"][k], part["hist"][k])
    total["sum"] = {k: v.copy() for k, v in part["sum"].items()}
    return total


def _pilot_edges(vals: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Histogram range per cell from the first chunk, widened by half its span on each side."""
    edges = {}
    for var in (*MC_VARIABLES, GROUP_CUMULATIVE):
        v = vals[var].reshape(vals[var].shape[0], -1)
        lo, hi = v.min(axis=0), v.max(axis=0)
        pad = 0.5 * (hi - lo)
        edges[var] = np.stack([lo - pad, hi + pad], axis=1)
    return edges


def _merge_into(total: dict, part: dict) -> None:
    """Add one chunk's statistics into the running total (in place; chunk order is kept)."""
    for k in total["hist"]:
        _add_counts(total["hist"][k], part["hist"][k])
    for k in total["sum"]:
        total["sum"][k] += part["sum"][k]
    total["exceed"] += part["exceed"]
    total["n"] += part["n"]
    total["g_min"] = min(total["g_min"], part["g_min"])
    total["g_max"] = max(total["g_max"], part["g_max"])
    total["g_sum"] += part["g_sum"]


def _percentiles_from_hist(hist: np.ndarray, edges: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """Percentiles per cell from histogram counts (linear within a bin). Returns (len(qs), cells)."""
    cells = hist.shape[0]
    cum = np.cumsum(hist, axis=1)
    n = cum[:, -1]
    lo, hi = edges[:, 0], edges[:, 1]
    width = (hi - lo) / N_BINS
    out = np.empty((len(qs), cells))
    # Rows made one increasing sequence (row c shifted by c * step), so one search finds every
    # cell's bin: b = #(cum[c] < target[c]) = #(cum[c] < ceil(target[c])) for integer counts.
    step = int(n.max()) + 1
    shift = np.arange(cells, dtype=np.int64) * step
    rows = (cum + shift[:, None]).ravel()
    first = np.arange(cells, dtype=np.int64) * hist.shape[1]  # each row's position in ``rows``
    for j, q in enumerate(qs):
        target = q / 100 * n
        b = np.searchsorted(rows, np.ceil(target).astype(np.int64) + shift, side="left") - first
        prev = np.where(b > 0, cum[np.arange(cells), np.maximum(b - 1, 0)], 0)
        inbin = hist[np.arange(cells), b]
        frac = np.where(inbin > 0, (target - prev) / np.maximum(inbin, 1), 0.5)
        val = lo + (b - 1 + frac) * width
        out[j] = np.where(hi > lo, np.clip(val, lo, hi), lo)
    return out


# ----------------------------------------------------------------------------- Monte Carlo
@dataclass
class MonteCarloResult:
    """Percentiles per region and year, exceedance probabilities, and the central run."""

    scenario: Scenario
    draws: int
    seed: int
    chunk_size: int
    distributions: list[Distribution]
    percentiles: pd.DataFrame  # tidy: scenario, region, year, variable, unit, percentile, value
    mean: pd.DataFrame
    central: Any  # model.Result
    thresholds: np.ndarray
    exceedance: np.ndarray  # P(group cumulative loss > threshold)
    group_label: str
    cumulative_loss_range: tuple[float, float] = (0.0, 0.0)
    #: Percentiles (:data:`PERCENTILES`) of the group's cumulative loss, billion USD_2023: {5: ..., 95: ...}.
    cumulative_loss_percentiles: dict[int, float] | None = None

    def cumulative_loss_interval(self, low: int = 5, high: int = 95) -> tuple[float, float, float]:
        """The group's cumulative loss over the horizon: (P``low``, median, P``high``), billion USD_2023."""
        q = self.cumulative_loss_percentiles or {}
        missing = [k for k in (low, 50, high) if k not in q]
        if missing:
            raise KeyError(f"no percentile {missing} of the cumulative loss; kept: {sorted(q)}")
        return q[low], q[50], q[high]

    def band(self, variable: str, region: str) -> pd.DataFrame:
        """Percentiles of one variable and region: rows = years, columns = P5 ... P95."""
        if region == "Restricted group":
            region = self.group_region
        d = self.percentiles
        d = d[(d.variable == variable) & (d.region == region)]
        return d.pivot(index="year", columns="percentile", values="value")

    @property
    def group_region(self) -> str:
        """The ``region`` label of the restricted group's rows ('EU27', 'Restricted group: ITA')."""
        agg = aggregation_for(self.scenario.params.restricted_group)
        return agg.labels[agg.group_row]

    def probability(self, threshold_usd_bn: float | None = None) -> float:
        """P(group cumulative loss > threshold); the default threshold is the central run's loss."""
        if threshold_usd_bn is None:
            return float(self.exceedance[0])
        i = np.flatnonzero(np.isclose(self.thresholds, threshold_usd_bn))
        if not len(i):
            raise KeyError(f"no exceedance computed for {threshold_usd_bn}; pass it in thresholds=")
        return float(self.exceedance[i[0]])

    def probability_statement(self) -> str:
        """'P(<group> cumulative loss 2023-<end> > $X) = p%' with X the central run's loss."""
        end = int(self.central.years[-1])
        x = self.thresholds[0]
        from .narrative import fmt_usd_bn

        p = 100 * self.exceedance[0]
        p_txt = "<1" if 0 < p < 1 else (">99" if 99 < p < 100 else f"{p:.0f}")
        return (f"P({self.group_label} cumulative loss 2023-{end} > {fmt_usd_bn(x)}) = {p_txt}% "
                f"over {self.draws:,} draws (seed {self.seed}); {fmt_usd_bn(x)} is the central run's loss.")

    def to_frame(self) -> pd.DataFrame:
        """Tidy percentiles: scenario, region, year, variable, unit, percentile, value."""
        return self.percentiles.copy()

    def to_csv(self, path=None) -> str | None:
        """The tidy percentiles as CSV (the text when no path)."""
        from .io import csv_text
        from .safeio import atomic_write

        text = csv_text(self.percentiles)
        if path is None:
            return text
        atomic_write(path, text.encode("utf-8"))
        return None

    def fan_chart(self, variable: str = "ai_gain", region: str = "World"):
        """See :func:`model.figures.fan_chart`."""
        from .figures import fan_chart

        return fan_chart(self, variable, region)


def monte_carlo(scenario: Scenario, draws: int = 1000, seed: int = 0, chunk_size: int = 1000,
                scheduler: str | None = None, keys: Iterable[str] | None = None, fixed: Iterable[str] = (),
                dists: Sequence[Distribution] | None = None, thresholds: Sequence[float] = (),
                progress: Callable[[int], None] | None = None, timeout_s: float = 10.0) -> MonteCarloResult:
    """Monte Carlo over the scenario's uncertain parameters.

    Draws are evaluated in chunks of ``chunk_size`` over a ``(draws, countries, years)`` array
    (no Python loop over draws or countries). Chunk ``i`` uses ``numpy.random.default_rng([seed,
    i])``, so results depend only on ``seed`` and ``chunk_size``, wherever chunks run. Percentiles
    P5/P25/P50/P75/P95 come from per-cell histograms with 4096 bins over a range set by the first
    chunk (widened by half its span each side), so memory is bounded for any number of draws;
    the resolution is 1/8192 of that range. With ``scheduler`` (``"local"`` for a
    ``dask.distributed.LocalCluster``, or a scheduler address) the chunks run on Dask workers.

    ``thresholds``: losses (billion USD_2023) for P(group cumulative loss > X); the central
    run's loss is always the first.
    """
    from .api import run

    if not (1 <= draws <= MAX_DRAWS) or chunk_size < 1:
        raise ScenarioError(f"draws={draws} and chunk_size={chunk_size}: allowed 1 to {MAX_DRAWS:,} draws, "
                            "chunks of at least 1")
    cells = min(chunk_size, draws) * len(country_arrays().iso3) * (scenario.params.end_year - BASE_YEAR + 1)
    if cells > MAX_CHUNK_CELLS:
        raise ScenarioError(f"chunk_size={chunk_size} is too large for this horizon: at most "
                            f"{MAX_CHUNK_CELLS * chunk_size // cells:,} draws at once")
    dists = list(dists) if dists is not None else distributions(scenario, keys, fixed)
    central = run(scenario)
    central_loss = central.group_summary()["cumulative_lost_usd_bn"]
    thr = np.array([central_loss, *thresholds], dtype=float)
    setup = _Setup(scenario=scenario, dists=tuple(dists), seed=int(seed), chunk_size=int(chunk_size),
                   draws=int(draws))
    import os

    threads = min(4, os.cpu_count() or 1)
    pool = _pool(threads) if threads > 1 else None
    try:
        # Chunks are evaluated in order; the first sets the histogram ranges. Only the statistics
        # wait for it: the next chunks' sub-batches are already running meanwhile.
        stream = _values_in_order(setup, range(1 if scheduler else setup.n_chunks), pool)
        pilot_vals = next(stream)
        edges = _pilot_edges(pilot_vals)
        total = _totals(_stats(pilot_vals, edges, thr), edges)
        del pilot_vals
        if progress:
            progress(total["n"])
        if scheduler:
            _run_on_dask(setup, range(1, setup.n_chunks), edges, thr, scheduler, total, progress, timeout_s=timeout_s)
        for vals in stream:
            part = _stats(vals, edges, thr)
            _merge_into(total, part)
            if progress:
                progress(part["n"])
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return _assemble(scenario, setup, dists, central, edges, total, thr)


def _values_in_order(setup: _Setup, chunks: Iterable[int], pool=None, ahead: int = 2):
    """Each chunk's Monte Carlo values (:func:`evaluate_draws`), in chunk order.

    With a ``pool``, the sub-batches of the next ``ahead`` chunks are on its threads (numpy
    releases the GIL in its array loops) while the caller turns a finished chunk into statistics,
    so the threads stay busy to the last sub-batch; results never depend on timing.
    """
    if pool is None:
        for i in chunks:
            yield _chunk_values(setup, i)
        return
    pending: list = []
    for i in chunks:
        pending.append(_submit_batch(setup.scenario, _chunk_draws(setup, i), pool))
        if len(pending) > ahead:
            yield _finish(setup.scenario, pending.pop(0))
    while pending:
        yield _finish(setup.scenario, pending.pop(0))


def _connect_with_deadline(client_cls, address: str, timeout_s: float):
    """``Client(address)``, given up after ``timeout_s`` seconds whatever the peer does.

    Dask's own ``timeout`` covers the TCP connection but not a peer that accepts it and then
    says nothing; the connection is therefore made on a daemon thread that is abandoned when the
    deadline passes.
    """
    import threading

    box: dict = {}

    def connect():
        try:
            box["client"] = client_cls(address, timeout=timeout_s)
        except BaseException as exc:  # reported below, on the caller's thread
            box["error"] = exc

    th = threading.Thread(target=connect, name="dask-connect", daemon=True)
    th.start()
    th.join(timeout_s + 2.0)
    if th.is_alive():
        raise ScenarioError(f"cannot reach the Dask scheduler {address} within {timeout_s:g} s: it accepted the "
                            "connection but did not answer as a Dask scheduler")
    if "error" in box:
        raise box["error"]
    return box["client"]


def _run_on_dask(setup, chunks, edges, thr, scheduler, total, progress, window: int = 8, timeout_s: float = 10.0):
    """Run chunks on Dask workers, at most ``window`` in flight, merged in chunk order.

    Connecting to a scheduler address waits at most ``timeout_s`` seconds; any failure to
    connect is a one-line :class:`ScenarioError` naming the address.
    """
    from dask.distributed import Client, LocalCluster

    from .safeio import validate_scheduler_address

    scheduler = validate_scheduler_address(scheduler)
    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster, timeout=timeout_s)
        else:
            client = _connect_with_deadline(Client, scheduler, timeout_s)
    except ScenarioError:
        raise
    except Exception as exc:  # OSError, TimeoutError, CommClosedError... all mean "cannot connect"
        if cluster is not None:
            cluster.close()
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise ScenarioError(f"cannot reach the Dask scheduler {scheduler} within {timeout_s:g} s: {reason}") from None
    try:
        fut_setup = client.scatter(setup, broadcast=True)
        fut_edges = client.scatter(edges, broadcast=True)
        pending: list = []
        for i in chunks:
            pending.append(client.submit(_chunk_stats, fut_setup, i, fut_edges, thr, pure=False))
            if len(pending) >= window:
                _collect(pending.pop(0), total, progress)
        for fut in pending:
            _collect(fut, total, progress)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _collect(fut, total, progress) -> None:
    part = fut.result()
    fut.release()
    _merge_into(total, part)
    if progress:
        progress(part["n"])


def _assemble(scenario, setup, dists, central, edges, total, thr) -> MonteCarloResult:
    years = central.years
    labels = aggregation_for(scenario.params.restricted_group).labels
    nv, nr, nt, nq = len(MC_VARIABLES), len(labels), len(years), len(PERCENTILES)
    # (V, R, P, T) percentiles and (V, R, T) means, laid out variable > region > percentile > year.
    pct = np.stack([_percentiles_from_hist(total["hist"][v], edges[v], PERCENTILES).reshape(nq, nr, nt)
                    .transpose(1, 0, 2) for v in MC_VARIABLES])
    mean = np.stack([total["sum"][v] / total["n"] for v in MC_VARIABLES])
    obj = lambda xs: np.array(list(xs), dtype=object)  # noqa: E731
    percentiles = pd.DataFrame({
        "scenario": scenario.name,
        "region": np.tile(np.repeat(obj(labels), nq * nt), nv),
        "year": np.tile(years, nv * nr * nq),
        "variable": np.repeat(obj(MC_VARIABLES), nr * nq * nt),
        "unit": np.repeat(obj(VARIABLES[v].unit for v in MC_VARIABLES), nr * nq * nt),
        "percentile": np.tile(np.repeat(obj(f"P{q}" for q in PERCENTILES), nt), nv * nr),
        "value": pct.reshape(-1),
    })
    means = pd.DataFrame({"region": np.tile(np.repeat(obj(labels), nt), nv), "year": np.tile(years, nv * nr),
                          "variable": np.repeat(obj(MC_VARIABLES), nr * nt), "value": mean.reshape(-1)})
    return MonteCarloResult(
        scenario=scenario, draws=setup.draws, seed=setup.seed, chunk_size=setup.chunk_size, distributions=list(dists),
        percentiles=percentiles, mean=means, central=central,
        thresholds=thr, exceedance=total["exceed"] / total["n"], group_label=central.group_label,
        cumulative_loss_range=(float(total["g_min"]), float(total["g_max"])),
        cumulative_loss_percentiles=dict(zip(PERCENTILES, _percentiles_from_hist(
            total["hist"][GROUP_CUMULATIVE], edges[GROUP_CUMULATIVE], PERCENTILES)[:, 0].tolist())))


# ----------------------------------------------------------------------------- sensitivity
def tornado(evaluate_fn: Callable[[dict[str, np.ndarray]], np.ndarray], central: Mapping[str, float],
            bounds: Mapping[str, tuple[float, float]]) -> pd.DataFrame:
    """One-at-a-time sensitivity: each parameter at its low and its high, the rest central.

    ``evaluate_fn`` maps a dict of equal-length arrays (one entry per parameter) to an array of
    outputs. Returns one row per parameter with ``low_value``, ``high_value``, the outputs
    ``output_at_low``/``output_at_high``, ``central`` and ``swing`` = |high - low| output, sorted
    by swing (largest first).
    """
    keys = list(bounds)
    k = len(keys)
    batch = {key: np.full(2 * k + 1, float(central[key])) for key in keys}
    for j, key in enumerate(keys):
        batch[key][2 * j] = bounds[key][0]
        batch[key][2 * j + 1] = bounds[key][1]
    y = np.asarray(evaluate_fn(batch), dtype=float)
    df = pd.DataFrame({"parameter": keys, "low_value": [bounds[x][0] for x in keys],
                       "high_value": [bounds[x][1] for x in keys], "output_at_low": y[0:2 * k:2],
                       "output_at_high": y[1:2 * k:2], "central": y[-1]})
    df["swing"] = (df.output_at_high - df.output_at_low).abs()
    return df.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


def sobol(evaluate_fn: Callable[[dict[str, np.ndarray]], np.ndarray], dists: Sequence[Distribution],
          n: int = 1024, seed: int = 0, chunk_size: int = 2000) -> pd.DataFrame:
    """Global Sobol indices (first order S1 and total ST, with 95 % confidence intervals) via SALib.

    Saltelli/Sobol' sequence sampling of uniforms (``SALib.sample.sobol``, ``n`` base samples,
    ``n * (2k + 2)`` model evaluations), mapped through each parameter's inverse CDF, evaluated
    in chunks, analysed with ``SALib.analyze.sobol``.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": len(dists), "names": [d.key for d in dists], "bounds": [[0.0, 1.0]] * len(dists)}
    u = sobol_sample.sample(problem, n, calc_second_order=True, seed=seed)
    u = np.clip(u, 1e-12, 1 - 1e-12)
    y = np.empty(len(u))
    for start in range(0, len(u), chunk_size):
        part = u[start:start + chunk_size]
        y[start:start + chunk_size] = evaluate_fn({d.key: d.ppf(part[:, j]) for j, d in enumerate(dists)})
    if not np.all(np.isfinite(y)) or np.ptp(y) <= 1e-12 * max(1.0, float(np.abs(y).max())):
        raise ScenarioError("the chosen output does not vary with the uncertain parameters in this scenario "
                            "(e.g. no restriction loses anything): Sobol indices are undefined")
    si = sobol_analyze.analyze(problem, y, calc_second_order=True, seed=seed)
    df = pd.DataFrame({"parameter": problem["names"], "S1": si["S1"], "S1_conf": si["S1_conf"],
                       "ST": si["ST"], "ST_conf": si["ST_conf"]})
    return df.sort_values("ST", ascending=False, kind="stable").reset_index(drop=True)




def scenario_function(scenario: Scenario, output: str = "group_cumulative_lost"):
    """A function of parameter draws returning one output per draw, for tornado and Sobol."""
    if output not in SENSITIVITY_OUTPUTS:
        raise ScenarioError(f"output={output!r} is invalid: allowed {', '.join(SENSITIVITY_OUTPUTS)}")
    def f(draws: dict[str, np.ndarray]) -> np.ndarray:
        v = evaluate_draws(scenario, draws)
        if output == "group_cumulative_lost":
            return v["group_cumulative_lost"]
        if output == "world_cumulative_gain":
            return v["ai_gain"][:, 0, :].sum(axis=1)
        return v["ai_gain"][:, -1, :].sum(axis=1)

    return f


def sensitivity(scenario: Scenario, method: str = "tornado", output: str = "group_cumulative_lost",
                n: int = 512, seed: int = 0, keys: Iterable[str] | None = None) -> pd.DataFrame:
    """Tornado (low/high = each distribution's bounds) or Sobol indices for a scenario's output."""
    dists = distributions(scenario, keys)
    if not dists:
        raise ScenarioError("no uncertain parameter affects this scenario")
    f = scenario_function(scenario, output)
    if method == "tornado":
        central = {**scenario.values, **{d.key: d.centre for d in dists if d.key not in PARAMETERS}}  # NaN: own central
        df = tornado(f, central, {d.key: (d.low, d.high) for d in dists})
    elif method == "sobol":
        df = sobol(f, dists, n=n, seed=seed)
    else:
        raise ScenarioError(f"method={method!r} is invalid: allowed tornado, sobol")
    df.insert(0, "output", output)
    df.insert(0, "scenario", scenario.name)
    labels = event_factors(scenario)
    df["label"] = [PARAMETERS[k].label if k in PARAMETERS else labels[k] for k in df.parameter]
    return df
