"""The engine: composes the equations of :mod:`model.core` over a batch of draws.

There is one evaluation path. A single run is a batch of one draw; the Monte Carlo, the
tornado and the Sobol analyses pass arrays of draws. :func:`evaluate` returns :class:`Paths`,
a documented dataclass of country-level paths whose shapes do not depend on the arguments.
The equations are written out in ``docs/model.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from . import core
from .data import BASE_YEAR, GROWTH_YEARS, IMF_GROUPS, REGIONS, load_countries
from .outputs import LEVERS
from .anchors import ANCHORS, aggregate_mask
from .parameters import RESTRICTION_KEYS, dimension_values

#: Years on which a time-path headline is computed (wide enough for any lag shift).
HEADLINE_GRID = np.arange(BASE_YEAR - 60, BASE_YEAR + 241)

#: The levers of the loss decomposition, in display order (labels in :data:`model.outputs.LEVERS`).
LEVER_KEYS = tuple(LEVERS)
#: The levers :func:`model.core.restriction_loss_levers` computes on the restricted countries
#: (leakage is the recipients' side).
PATH_LEVERS = ("restricted_products", "substitution", "compliance_drag")


@dataclass(frozen=True)
class CountryArrays:
    """The country table as arrays, prepared once per table (``n`` countries)."""

    iso3: np.ndarray  # (n,) str
    region: np.ndarray  # (n,) str, one of REGIONS
    region_index: np.ndarray  # (n,) int, position in REGIONS
    imf_group: np.ndarray  # (n,) str, AE / EM / LIC
    imf_index: np.ndarray  # (n,) int, position in IMF_GROUPS
    gdp_2023_usd_bn: np.ndarray  # (n,) billion USD_2023
    population: np.ndarray  # (n,) persons, 2023
    aipi: np.ndarray  # (n,) IMF AI Preparedness Index, 0-1
    growth_pct: np.ndarray  # (n, len(GROWTH_YEARS)) real growth, %/year
    exposure_ilo: np.ndarray  # (n,) ILO occupation-based generative-AI exposure index (relative)
    frame: pd.DataFrame = field(repr=False, compare=False, default=None)  # the table itself
    _masks: dict = field(repr=False, compare=False, default_factory=dict)  # group -> mask, computed once

    @classmethod
    def from_frame(cls, df: pd.DataFrame) -> "CountryArrays":
        """Arrays from a table with the columns of ``model/tables/countries.csv``."""
        from .observations import load_exposure_ilo

        reg_pos = {r: i for i, r in enumerate(REGIONS)}
        imf_pos = {g: i for i, g in enumerate(IMF_GROUPS)}
        ilo = load_exposure_ilo().set_index("iso3").exposure_index
        exposure = df.iso3.map(ilo).to_numpy(dtype=float)
        exposure = np.where(np.isfinite(exposure), exposure, np.nanmean(exposure))
        return cls(
            iso3=df.iso3.to_numpy(),
            region=df.region.to_numpy(),
            region_index=df.region.map(reg_pos).to_numpy(),
            imf_group=df.imf_group.to_numpy(),
            imf_index=df.imf_group.map(imf_pos).to_numpy(),
            gdp_2023_usd_bn=df.gdp_2023_usd_bn.to_numpy(dtype=float),
            population=df.population_2023.to_numpy(dtype=float),
            aipi=df.aipi.to_numpy(dtype=float),
            growth_pct=df[[f"growth_{y}_pct" for y in GROWTH_YEARS]].to_numpy(dtype=float),
            exposure_ilo=exposure,
            frame=df,
        )

    def mask(self, group: str) -> np.ndarray:
        """Boolean mask of a country group (a region name, the World, a reporting aggregate such as
        the Euro area, or comma-separated ISO3 codes); computed once per group, read-only."""
        out = self._masks.get(group)
        if out is None:
            if group in REGIONS:
                out = self.region == group
            elif group in ANCHORS:
                out = aggregate_mask(group, self.iso3, self.region)
            else:
                out = np.isin(self.iso3, group.split(","))
            out.setflags(write=False)
            self._masks[group] = out
        return out


@lru_cache(maxsize=1)
def _default_arrays() -> CountryArrays:
    return CountryArrays.from_frame(load_countries())


def country_arrays(countries: pd.DataFrame | None = None) -> CountryArrays:
    """The shipped country table as arrays (cached), or the given table."""
    return _default_arrays() if countries is None else CountryArrays.from_frame(countries)


@lru_cache(maxsize=32)
def _observed_lags_cached(reference_iso3: str, reference_period: str, usage_source: str) -> np.ndarray:
    return _observed_lags(_default_arrays(), reference_iso3, reference_period, usage_source)


def _observed_lags(a: CountryArrays, reference_iso3: str, reference_period: str, usage_source: str) -> np.ndarray:
    from .observations import observed_lag_table

    out = observed_lag_table(a.frame, reference_iso3, reference_period, usage_source).lag_years.to_numpy(dtype=float)
    out.setflags(write=False)
    return out


def usage_lags(a: CountryArrays, reference_iso3: str, reference_period: str,
               usage_source: str = "msft-usage") -> np.ndarray:
    """Each country's lag behind the reference economy from observed usage, weight 1, years ``(n,)``
    (:func:`model.observations.observed_lag_table`; cached for the shipped table)."""
    if a is _default_arrays():
        return _observed_lags_cached(reference_iso3, reference_period, usage_source)
    return _observed_lags(a, reference_iso3, reference_period, usage_source)


@lru_cache(maxsize=16)
def _baseline_cached(long_run_growth_pct: float, end_year: int) -> np.ndarray:
    a = _default_arrays()
    years = np.arange(BASE_YEAR, end_year + 1)
    out = core.baseline_gdp(a.gdp_2023_usd_bn, a.growth_pct, GROWTH_YEARS, years, long_run_growth_pct)
    out.setflags(write=False)
    return out


def baseline(a: CountryArrays, long_run_growth_pct: float, end_year: int) -> np.ndarray:
    """Baseline GDP ``(n, T)``, billion USD_2023 (cached for the shipped table)."""
    if a is _default_arrays():
        return _baseline_cached(float(long_run_growth_pct), int(end_year))
    years = np.arange(BASE_YEAR, end_year + 1)
    return core.baseline_gdp(a.gdp_2023_usd_bn, a.growth_pct, GROWTH_YEARS, years, long_run_growth_pct)


@dataclass(frozen=True)
class Paths:
    """Country-level paths of one evaluation: a batch of ``d`` draws (one run: ``d = 1``).

    Money in billion USD_2023. ``n`` countries, ``T`` years, ``m`` = the countries in ``index``
    (hit by a restriction or in the restricted group: where the group's levers can be non-zero).
    The scenario gain and the loss are derived from the stored fields (``gain`` and ``lost``
    are computed on first use; :meth:`summed` aggregates them without building them).

    Attributes
    ----------
    years : (T,) int
    gdp : (n, T)  baseline GDP (shared by all draws)
    potential : (d, n)  each country's gain at full adoption on the 2023 base
    adoption : (d, n, T)  share of the potential reached under open access (0-1)
    open_gain : (d, n, T)  gain with open access everywhere
    group : (n,) bool  the restricted (reporting) group, which bears the compliance drag
    hit : (n,) bool  countries hit by at least one restriction
    recipients : (n,) bool  countries that receive leakage (neither hit nor in the group)
    index : (m,) int  positions of ``hit | group``
    loss : (d, m, T)  the loss of the countries in ``index`` before leakage
    levers : dict lever -> (d, m, T)  ``loss`` by lever (restricted products, substitution,
        compliance drag); they add up to ``loss``
    by_restriction : tuple of dict -> (d, m, T)  each restriction's ``restricted_products`` and
        ``substitution`` parts (they add up to the levers of those names)
    leakage_factor : (d, T)  leakage received per unit of a recipient's open-access gain
    tfp_gain_pct : (d,)  Hulten TFP gain implied by the task parameters, %
    """

    years: np.ndarray
    gdp: np.ndarray
    potential: np.ndarray
    adoption: np.ndarray
    open_gain: np.ndarray
    group: np.ndarray
    hit: np.ndarray
    recipients: np.ndarray
    index: np.ndarray
    loss: np.ndarray
    levers: dict[str, np.ndarray]
    by_restriction: tuple[dict[str, np.ndarray], ...]
    leakage_factor: np.ndarray
    tfp_gain_pct: np.ndarray
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def draws(self) -> int:
        """Number of draws ``d``."""
        return self.open_gain.shape[0]

    @property
    def lost(self) -> np.ndarray:
        """Open-access gain minus scenario gain ``(d, n, T)`` (negative where leakage is received).

        .. math:: L_i = \\ell_i - f\\,G^o_i\\,1(i \\in \\mathcal{U})

        with :math:`\\ell_i` the ``loss`` of country :math:`i` in ``index`` (0 elsewhere).
        """
        if "lost" not in self._cache:
            out = self.lever("leakage")
            out[:, self.index] += self.loss
            self._cache["lost"] = out
        return self._cache["lost"]

    @property
    def gain(self) -> np.ndarray:
        """Gain in the scenario ``(d, n, T)``: open-access gain minus :attr:`lost`."""
        if "gain" not in self._cache:
            self._cache["gain"] = self.open_gain - self.lost
        return self._cache["gain"]

    def path(self, name: str) -> np.ndarray:
        """A country-level path by name (``gdp``, ``open_gain``, ``gain``, ``lost``, ...), ``(d, n, T)``
        (``gdp``: ``(n, T)``); the names the output registry (:mod:`model.outputs`) sums."""
        if name.startswith("_") or not isinstance(getattr(type(self), name, None), property) \
                and name not in ("gdp", "open_gain", "adoption"):
            raise KeyError(f"no country path {name!r}")
        return getattr(self, name)

    def lever(self, name: str) -> np.ndarray:
        """One lever of the loss at full size ``(d, n, T)`` (``leakage`` is negative on recipients)."""
        if name == "leakage":
            return -self.leakage_factor[:, None, :] * (self.open_gain * self.recipients[:, None])
        out = np.zeros_like(self.open_gain)
        out[:, self.index] = self.levers[name]
        return out

    def summed(self, matrix: np.ndarray, names) -> dict[str, np.ndarray]:
        """Sums over countries of the named paths, ``(d, R, T)`` each, for a ``(R, n)`` weight matrix.

        Uses linearity, so ``gain`` and ``lost`` are summed without being built:
        :math:`M L = M_{\\cdot,\\mathrm{index}}\\,\\ell - f\\,(M \\circ 1_{\\mathcal{U}})\\,G^o`.
        """
        names = list(names)
        m = matrix.astype(self.open_gain.dtype, copy=False)
        out: dict[str, np.ndarray] = {}
        if "gdp" in names:
            out["gdp"] = np.broadcast_to(matrix @ self.gdp, (self.draws, len(matrix), self.gdp.shape[1]))
        if {"open_gain", "gain", "lost"} & set(names):
            both = np.matmul(np.vstack([m, m * self.recipients]), self.open_gain)  # one pass over open_gain
            opn, rec = both[:, : len(m)], both[:, len(m):]
            lost = np.matmul(m[:, self.index], self.loss) - self.leakage_factor[:, None, :] * rec
            out.update(open_gain=opn, lost=lost, gain=opn - lost)
        for name in names:  # any other path: summed as it is
            if name not in out:
                out[name] = np.matmul(m, self.path(name))
        return {k: out[k] for k in names}


def _as_draws(x: Any, d: int, dtype) -> np.ndarray:
    """A scalar or ``(d,)`` parameter as a ``(d,)`` array."""
    a = np.asarray(x, dtype=dtype)
    if a.shape == (d,):
        return a
    return np.full(d, a, dtype=a.dtype) if a.ndim == 0 else np.broadcast_to(a, (d,))


def batch_size(params: Any, restrictions: Sequence[Any] = ()) -> int:
    """The number of draws in a batch: the length of any array-valued parameter (1 if none)."""
    sizes = {np.size(v) for obj in (params, *restrictions) for v in vars(obj).values()
             if isinstance(v, np.ndarray) and v.ndim == 1}
    if len(sizes) > 1:
        raise ValueError(f"parameter arrays of different lengths {sorted(sizes)}")
    return sizes.pop() if sizes else 1


def _buffer(workspace: dict, name: str, shape: tuple, dtype) -> np.ndarray:
    """An array from ``workspace`` for reuse (a new one if the shape or type differs)."""
    buf = workspace.get(name)
    if buf is None or buf.shape != shape or buf.dtype != dtype:
        buf = workspace[name] = np.empty(shape, dtype)
    return buf


def evaluate(params: Any, restrictions: Sequence[Any], a: CountryArrays, years: np.ndarray,
             dtype=np.float64, workspace: dict | None = None) -> Paths:
    """The model equations for a batch of draws; see ``docs/model.md``.

    Parameters
    ----------
    params : object with the scenario-wide parameter attributes (a validated ``Parameters``
        or a namespace); each numeric attribute is a scalar or an array ``(d,)`` of draws.
        ``headline_mode``, ``restricted_group``, ``end_year`` and ``long_run_growth_pct`` are
        shared by all draws.
    restrictions : sequence of objects with the restriction attributes (``group``: None for the
        scenario's restricted group; the levers scalars or ``(d,)`` arrays; ``delay_indefinite``
        shared by all draws).
    a : CountryArrays
    years : (T,) int, from the base year
    dtype : float64 for single runs; the Monte Carlo may pass float32.
    workspace : dict, optional
        Arrays kept between calls: the batch's ``(d, n, T)`` and ``(d, m, T)`` arrays are written
        into them instead of into new memory (the Monte Carlo keeps one per thread; a fresh
        allocation of a few megabytes costs page faults on every batch). The returned paths then
        share these arrays: they hold until the next call with the same workspace.
    """
    ws = {} if workspace is None else workspace
    buf = lambda name, shape, kind=dtype: _buffer(ws, name, shape, kind)  # noqa: E731
    d = batch_size(params, restrictions)
    col = lambda x: _as_draws(x, d, dtype)[:, None]  # noqa: E731  (d, 1)
    gdp = baseline(a, params.long_run_growth_pct, int(years[-1]))
    world_2023 = a.gdp_2023_usd_bn.sum()

    # Headline and allocation (one dispatcher for the level modes, one for the time-path modes).
    mode = params.headline_mode
    anchor_name = getattr(params, "headline_anchor", "World")
    anchor = a.mask(anchor_name) if anchor_name in ANCHORS else aggregate_mask(anchor_name, a.iso3, a.region)
    tfp = core.hulten_tfp_gain(np.asarray(params.exposed_task_share_pct) / 100,
                               np.asarray(params.automated_share_pct) / 100,
                               np.asarray(params.labour_cost_saving_pct) / 100,
                               np.asarray(params.labour_share_pct) / 100)
    if getattr(params, "exposure_source", "imf-groups") == "ilo-occupations":
        exposure = np.broadcast_to(a.exposure_ilo, (d, len(a.iso3)))  # relative: the allocation is normalised
    else:
        exposure = np.stack([_as_draws(v, d, np.float64) for v in dimension_values(params, "exposure_pct")], axis=1)
        exposure = exposure[:, a.imf_index] / 100  # (d, n)
    shares = core.allocation_shares(a.gdp_2023_usd_bn, exposure, a.aipi,
                                    _as_draws(params.exposure_exponent, d, np.float64)[:, None],
                                    _as_draws(params.preparedness_exponent, d, np.float64)[:, None])

    # Adoption lags: one per country and draw.
    if getattr(params, "adoption_calibration", "region-lags") == "observed":
        lags = _as_draws(params.usage_lag_weight, d, np.float64)[:, None] \
            * usage_lags(a, params.usage_reference_iso3, params.usage_reference_period,
                         getattr(params, "usage_source", "msft-usage"))[None, :]
    else:
        lags = np.stack([_as_draws(v, d, np.float64) for v in dimension_values(params, "adoption_lag_years")], axis=1)
        lags = lags[:, a.region_index] + _as_draws(params.lag_low_income_extra_years, d, np.float64)[:, None] \
            * (a.imf_group == "LIC")
    midpoint = _as_draws(params.frontier_midpoint_year, d, np.float64)[:, None] + lags  # (d, n)
    speed = col(params.adoption_speed)[:, :, None]  # (d, 1, 1)
    ceiling = col(params.adoption_ceiling_pct)[:, :, None] / 100
    t = years.astype(dtype)
    growth = (gdp / a.gdp_2023_usd_bn[:, None]).astype(dtype)  # (n, T)
    full = (d, len(a.iso3), len(years))
    path_mode = mode in core.HEADLINE_PATH_MODES
    if path_mode:
        # The anchor's level path replaces "potential x adoption" (docs/model.md, section 2b).
        level = core.headline_path(mode, params, HEADLINE_GRID)  # (d or 1, G)
        intensity = shares / a.gdp_2023_usd_bn  # z_i up to a common factor
        uplift, kappa, _ = core.anchored_path_uplift(level, HEADLINE_GRID, years, intensity, lags, anchor, gdp)
        final = np.broadcast_to(level[:, -1], (d,))[:, None]  # H at full adoption (the path's last level)
        potential = kappa * final * a.gdp_2023_usd_bn  # (d, n)
        scale = kappa * final
        safe = np.where(scale > 0, scale, 1.0)[:, :, None]
        adoption = np.where(scale[:, :, None] > 0, uplift / safe, 0.0).astype(dtype)
    else:
        anchor_gdp = a.gdp_2023_usd_bn[anchor].sum()
        potential_world = _as_draws(core.headline_potential(mode, params, anchor_gdp), d, np.float64)
        if anchor_name != "World":  # the stated figure is the anchor's potential
            # An anchor holding (almost) none of the allocation weight cannot carry the headline:
            # below one millionth, nothing is anchored (the potential is 0) rather than blown up.
            held = shares[:, anchor].sum(axis=1)
            ok = held > 1e-6
            potential_world = np.where(ok, potential_world / np.where(ok, held, 1.0), 0.0)
        potential = shares * potential_world[:, None]  # (d, n) float64
        shared = _shared_columns(midpoint)
        if shared is None:
            adoption = core.logistic_adoption(t, midpoint.astype(dtype), speed, ceiling,
                                              out=buf("adoption", full))  # (d, n, T)
        else:  # countries with the same midpoint in every draw share one curve
            first, inverse = shared
            curves = core.logistic_adoption(t, midpoint[:, first].astype(dtype), speed, ceiling)
            adoption = np.take(curves, inverse, axis=1, out=buf("adoption", full), mode="clip")
    pot = potential.astype(dtype)
    open_gain = np.multiply(adoption, pot[:, :, None], out=buf("open_gain", full, adoption.dtype))
    open_gain *= growth  # (d, n, T): V A with V = P Y(t)/Y(2023)

    # Restrictions: computed on the countries they hit and the group (index m).
    group = a.mask(params.restricted_group)
    masks = [group if r.group is None else a.mask(r.group) for r in restrictions]
    hit = np.logical_or.reduce(masks) if masks else np.zeros_like(group)
    index = np.flatnonzero(hit | group)
    part = (d, len(index), len(years))
    open_m = np.take(open_gain, index, axis=1, out=buf("open_m", part, open_gain.dtype), mode="clip")
    value_m = np.multiply(pot[:, index, None], growth[index], out=buf("value_m", part))
    adoption_m = None
    gaps, subs = [], []
    windows = event_windows(restrictions, params)
    mid_m = midpoint[:, index].astype(dtype)
    for k, (r, mask, window) in enumerate(zip(restrictions, masks, windows)):
        on = mask[index].astype(dtype)[:, None]  # (m, 1)
        share = col(r.restricted_share_pct)[:, :, None] / 100
        if getattr(r, "kind", "legacy") == "legacy":
            if adoption_m is None:
                adoption_m = np.take(adoption, index, axis=1, out=buf("adoption_m", part, adoption.dtype), mode="clip")
            if r.delay_indefinite:
                delayed = 0.0
            else:
                shifted = t[None, :] - col(r.delay_years)  # (d, T)
                if path_mode:  # a path may dip (the anchor is matched year by year): a delay never adds value
                    delayed = np.minimum(_shifted(adoption_m, years, shifted), adoption_m)
                else:
                    delayed = _per_column(lambda mid, out=None: core.logistic_adoption(
                        shifted[:, None, :], mid, speed, ceiling, out=out), mid_m, buf(f"gap{k}", part))  # then the gap
            gap = core.restriction_gap(value_m, adoption_m, delayed, share,
                                       out=delayed if isinstance(delayed, np.ndarray) else None)
        else:
            kappa = col(params.catch_up_speed)[:, :, None]
            exposure = _per_column(lambda mid, out=None: core.event_exposure(
                r.kind, window[0], window[1], years, mid, speed, ceiling, kappa, out=out),
                mid_m, buf("exposure", part, np.float64))
            gap = np.multiply(value_m, share, out=buf(f"gap{k}", part, np.result_type(value_m, share)))
            gap = np.multiply(gap, exposure, out=gap if np.result_type(gap, exposure) == gap.dtype else None)
        gap *= on
        gaps.append(gap)
        subs.append(col(r.substitution_pct)[:, :, None] / 100)
    drag_years = core.active_fraction(years, float(params.compliance_drag_start_year)).astype(dtype)
    drag = col(params.compliance_drag_pct)[:, :, None] / 100 * group[index].astype(dtype)[:, None]
    drag = np.multiply(drag, drag_years, out=buf("drag", part, np.result_type(drag, drag_years)))
    levers, per = core.restriction_loss_levers(open_m, gaps, subs, drag,
                                               out={k: buf(k, part, np.float64) for k in PATH_LEVERS})
    rp, sub = levers["restricted_products"], levers["substitution"]
    loss_m = np.add(rp, sub, out=buf("loss", part, np.result_type(rp, sub)))
    loss_m = np.add(loss_m, levers["compliance_drag"], out=loss_m
                    if np.result_type(loss_m, levers["compliance_drag"]) == loss_m.dtype else None)

    # Leakage: a share of the group's and hit countries' loss moves to the recipients.
    recipients = ~(hit | group)
    recipients_open = np.matmul(recipients.astype(dtype), open_gain)  # (d, T), one pass
    f = core.leakage_factor(loss_m.sum(axis=1), recipients_open, col(params.leakage_pct) / 100)
    return Paths(years=years, gdp=gdp, potential=potential, adoption=adoption, open_gain=open_gain, group=group,
                 hit=hit, recipients=recipients, index=index, loss=loss_m, levers=levers, by_restriction=tuple(per),
                 leakage_factor=f, tfp_gain_pct=_as_draws(100 * tfp, d, np.float64))


#: Fewest draw x country values for which :func:`_shared_columns` looks for shared columns (below,
#: a single run for instance, the search costs more than it saves).
SHARE_FROM = 2000


def _shared_columns(x: np.ndarray, most: float = 0.8) -> tuple[np.ndarray, np.ndarray] | None:
    """Countries whose values ``x`` ``(d, n)`` are the same (bit for bit) in every draw.

    Returns ``(first, inverse)``: the first column of each distinct one and every column's
    position among them (``x[:, first][:, inverse]`` is ``x``), or None when more than ``most``
    of the columns are distinct (sharing would then save less than the copy costs) or ``x`` is
    small (fewer than :data:`SHARE_FROM` values).
    """
    if x.size < SHARE_FROM:
        return None
    x = np.ascontiguousarray(x)
    _, first, inverse = np.unique(x[0], return_index=True, return_inverse=True)  # by the first draw, then
    if len(first) > most * x.shape[1]:
        return None
    bits = x.view(np.dtype(f"u{x.itemsize}"))
    if not np.array_equal(bits[:, first[inverse]], bits):  # checked bit for bit on every draw
        rows = np.ascontiguousarray(x.T)
        keys = rows.view(np.dtype((np.void, rows.shape[1] * rows.itemsize)))[:, 0]
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        if len(first) > most * x.shape[1]:
            return None
    return first, inverse.reshape(-1)


def _per_column(fn, midpoint: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``fn(midpoint, out=out)`` ``(d, m, T)``, computed once per distinct midpoint column: a
    country's curve depends on its midpoint alone, so countries sharing one share the curve."""
    shared = _shared_columns(midpoint)
    if shared is None:
        return fn(midpoint, out=out)
    first, inverse = shared
    return np.take(fn(midpoint[:, first]), inverse, axis=1, out=out, mode="clip")


def _shifted(adoption: np.ndarray, years: np.ndarray, at: np.ndarray) -> np.ndarray:
    """``adoption`` ``(d, m, T)`` at the times ``at`` ``(d, T)``, linear between years, 0 before the first."""
    T = adoption.shape[-1]
    if T < 2:
        return np.where(at[:, None, :] >= years[0], adoption, 0.0)
    x = at - years[0]
    before = x < 0
    x = np.clip(x, 0.0, T - 1.0)
    i = np.minimum(np.floor(x).astype(int), T - 2)
    f = (x - i)[:, None, :]
    d, m = adoption.shape[0], adoption.shape[1]
    ii = np.broadcast_to(i[:, None, :], (d, m, T))
    lo = np.take_along_axis(adoption, ii, axis=2)
    hi = np.take_along_axis(adoption, ii + 1, axis=2)
    return np.where(before[:, None, :], 0.0, lo + (hi - lo) * f).astype(adoption.dtype)


def decimal_year(d) -> float:
    """A date as a decimal year: ``year + (day of year - 1) / days in the year``."""
    import datetime as _dt

    start = _dt.date(d.year, 1, 1).toordinal()
    return d.year + (d.toordinal() - start) / (_dt.date(d.year + 1, 1, 1).toordinal() - start)


def event_windows(restrictions: Sequence[Any], params: Any) -> list[tuple[float, float | None]]:
    """The period ``[start, end)`` (decimal years; end None: open) each dated restriction covers.

    A restriction withheld until further notice ends at ``withheld_end_year``. Within one product
    family hitting the same countries, a later restriction supersedes an earlier one from its
    start (successive versions of one product: their shares do not add). Legacy restrictions
    get ``(base year, None)``.
    """
    out: list[tuple[float, float | None]] = []
    for r in restrictions:
        if getattr(r, "kind", "legacy") == "legacy":
            out.append((float(BASE_YEAR), None))
            continue
        end = decimal_year(r.end_date) if r.end_date is not None else None
        if r.kind == "withheld":
            cap = float(params.withheld_end_year)
            end = cap if end is None else min(end, cap)
        out.append((decimal_year(r.start_date), end))
    for i, r in enumerate(restrictions):
        if getattr(r, "kind", "legacy") == "legacy" or not r.family:
            continue
        for j, later in enumerate(restrictions):
            if (j != i and getattr(later, "kind", "legacy") != "legacy" and later.family == r.family
                    and later.group == r.group and out[j][0] > out[i][0]):
                start, end = out[i]
                out[i] = (start, out[j][0] if end is None else min(end, out[j][0]))
    return [(s_, None if e is None else max(s_, e)) for s_, e in out]


def run_paths(scenario, countries: pd.DataFrame | None = None) -> tuple[Paths, CountryArrays]:
    """Evaluate one scenario (a batch of one draw)."""
    a = country_arrays(countries)
    years = np.arange(BASE_YEAR, scenario.params.end_year + 1)
    return evaluate(scenario.params, scenario.restrictions, a, years), a


#: Monte Carlo keys of events' common factors: ``event_share[<factor>]``, ``event_substitution[<factor>]``.
EVENT_KEY = __import__("re").compile(r"event_(share|substitution)\[(.+)\]")


def triangular_ppf(u, low, mode, high):
    """Inverse CDF of the triangular distribution on ``[low, high]`` with mode ``mode``."""
    u = np.asarray(u, dtype=float)
    if high <= low:
        return np.full_like(u, low)
    c = (mode - low) / (high - low)
    return np.where(u < c, low + np.sqrt(u * (high - low) * (mode - low)),
                    high - np.sqrt((1 - u) * (high - low) * (high - mode)))


def batch_inputs(scenario, draws: Mapping[str, np.ndarray]) -> tuple[SimpleNamespace, list[SimpleNamespace]]:
    """The scenario's parameters with some replaced by arrays of draws.

    A drawn scenario-wide key replaces the scenario's value. A drawn restriction key is read
    relative to the first restriction's value, per the key's declared ``dist_scale``: a factor
    multiplies each restriction's own value, an offset is added to it, an absolute draw replaces it
    (events with their own ranges excepted). A drawn event key ``event_share[F]`` or
    ``event_substitution[F]`` is a quantile (0-1; NaN: the central value) applied to every event of
    common factor ``F`` through its own triangular distribution (low, central, high): events of
    one family or vendor move together.
    """
    from .parameters import PARAMETERS

    params = SimpleNamespace(**scenario.params.model_dump())
    restrictions = [SimpleNamespace(**r.model_dump()) for r in scenario.restrictions]
    first = scenario.restrictions[0]
    for k, v in draws.items():
        v = np.asarray(v, dtype=float)
        ev = EVENT_KEY.fullmatch(k)
        if ev:  # a common factor's quantile: each of its events at that quantile of its own range
            field, factor = ev.group(1), ev.group(2)
            lever, rng = (("restricted_share_pct", "share_range_pct") if field == "share"
                          else ("substitution_pct", "substitution_range_pct"))
            for r in restrictions:
                if r.kind != "legacy" and r.common_factor == factor and getattr(r, rng) is not None:
                    lo, hi = getattr(r, rng)
                    mode = float(getattr(r, lever))
                    setattr(r, lever, np.where(np.isnan(v), mode, triangular_ppf(np.nan_to_num(v, nan=0.5), lo,
                                                                                   mode, hi)))
            continue
        if k not in RESTRICTION_KEYS:
            setattr(params, k, v)
            continue
        spec, ref = PARAMETERS[k], float(getattr(first, k))
        for r in restrictions:
            if r.kind != "legacy" and (r.share_range_pct if k == "restricted_share_pct" else
                                       r.substitution_range_pct if k == "substitution_pct" else None) is not None:
                continue  # an event with its own range is drawn through its common factor
            own = float(getattr(r, k))
            if spec.dist_scale == "factor":
                val = own * (v / ref) if ref else np.full_like(v, own)
            elif spec.dist_scale == "offset":
                val = own + (v - ref)
            else:
                val = v
            setattr(r, k, np.clip(val, spec.min, spec.max))
    return params, restrictions
