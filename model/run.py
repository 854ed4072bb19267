"""Running a scenario: data + parameters -> :class:`~model.result.Result`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np
import pandas as pd

from . import core
from .data import BASE_YEAR, GROWTH_YEARS, REGION_LAG_KEYS, REGIONS, load_countries
from .parameters import Scenario
from .result import Result, ResultSet

EXPOSURE_KEYS = {"AE": "exposure_advanced_pct", "EM": "exposure_emerging_pct", "LIC": "exposure_low_income_pct"}


@dataclass(frozen=True)
class CountryArrays:
    """The country table as arrays, prepared once per table."""

    iso3: np.ndarray
    region: np.ndarray
    region_index: np.ndarray  # index into REGIONS
    imf_group: np.ndarray
    gdp_2023_usd_bn: np.ndarray
    population: np.ndarray
    aipi: np.ndarray
    growth_pct: np.ndarray  # (n, len(GROWTH_YEARS))

    @classmethod
    def from_frame(cls, df: pd.DataFrame) -> "CountryArrays":
        """Arrays from a table with the columns of ``data/countries.csv``."""
        reg_pos = {r: i for i, r in enumerate(REGIONS)}
        return cls(
            iso3=df.iso3.to_numpy(),
            region=df.region.to_numpy(),
            region_index=df.region.map(reg_pos).to_numpy(),
            imf_group=df.imf_group.to_numpy(),
            gdp_2023_usd_bn=df.gdp_2023_usd_bn.to_numpy(dtype=float),
            population=df.population_2023.to_numpy(dtype=float),
            aipi=df.aipi.to_numpy(dtype=float),
            growth_pct=df[[f"growth_{y}_pct" for y in GROWTH_YEARS]].to_numpy(dtype=float),
        )


@lru_cache(maxsize=1)
def _default_arrays() -> CountryArrays:
    return CountryArrays.from_frame(load_countries())


def restricted_mask(group: str, arrays: CountryArrays) -> np.ndarray:
    """Boolean mask of the countries in a restricted group (a region name or ISO3 list)."""
    if group in REGIONS:
        return arrays.region == group
    codes = set(group.split(","))
    return np.isin(arrays.iso3, list(codes))


def _col(x, ndim: int):
    """A scalar stays a scalar; a per-draw array (d,) gets ``ndim`` trailing axes of length 1."""
    x = np.asarray(x, dtype=float)
    return x if x.ndim == 0 else x.reshape(x.shape + (1,) * ndim)


def evaluate(p, a: CountryArrays, years: np.ndarray, gdp: np.ndarray | None = None,
             aggregate: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The model equations for one parameter set or a batch of draws.

    ``p`` has the parameter attributes of :class:`~model.parameters.Parameters`. Each numeric
    attribute is a scalar (one run: outputs ``(n, T)``) or an array ``(d,)`` of draws (outputs
    ``(d, n, T)``); ``headline_mode``, ``restricted_group``, ``delay_indefinite``, ``end_year``
    and ``long_run_growth_pct`` are shared by all draws. See ``docs/model.md`` for the equations.

    With ``aggregate`` (a ``(R, n)`` 0/1 matrix of regions) only region totals are returned:
    ``open_gain``, ``gain`` and ``lost`` as ``(..., R, T)``. The restriction is computed on the
    restricted countries only, and the leakage transfer, proportional to open-access gains, is
    aggregated in closed form, so the batch path costs little more than the open-access gains.
    """
    if gdp is None:
        gdp = core.baseline_gdp(a.gdp_2023_usd_bn, a.growth_pct, GROWTH_YEARS, years, p.long_run_growth_pct)
    world_2023 = a.gdp_2023_usd_bn.sum()
    tfp = core.hulten_tfp_gain(np.asarray(p.exposed_task_share_pct) / 100, np.asarray(p.automated_share_pct) / 100,
                               np.asarray(p.labour_cost_saving_pct) / 100, np.asarray(p.labour_share_pct) / 100)
    if p.headline_mode == "usd":
        potential_world = np.asarray(p.headline_usd_bn, dtype=float)
    elif p.headline_mode == "pct_gdp":
        potential_world = np.asarray(p.headline_pct_gdp, dtype=float) / 100 * world_2023
    else:
        potential_world = tfp * np.asarray(p.gdp_tfp_multiplier) * world_2023
    is_group = {g: a.imf_group == g for g in EXPOSURE_KEYS}
    exposure = sum(_col(getattr(p, k), 1) / 100 * is_group[g] for g, k in EXPOSURE_KEYS.items())
    shares = core.allocation_shares(a.gdp_2023_usd_bn, exposure, a.aipi, _col(p.exposure_exponent, 1),
                                    _col(p.preparedness_exponent, 1))
    potential = shares * _col(potential_world, 1)  # (n,) or (d, n)

    region_lag = sum(_col(getattr(p, REGION_LAG_KEYS[r]), 1) * (a.region_index == i) for i, r in enumerate(REGIONS))
    lags = region_lag + _col(p.lag_low_income_extra_years, 1) * (a.imf_group == "LIC")
    midpoint = _col(p.frontier_midpoint_year, 1) + lags
    speed = _col(p.adoption_speed, 2)
    ceiling = _col(p.adoption_ceiling_pct, 2) / 100
    adoption = core.logistic_adoption(years, midpoint, speed, ceiling)
    growth = gdp / a.gdp_2023_usd_bn[:, None]  # (n, T)
    open_gain = potential[..., None] * growth * adoption

    # The restriction, on the restricted countries only (index R).
    restricted = restricted_mask(p.restricted_group, a)
    idx = np.flatnonzero(restricted)
    mid_r = midpoint[..., idx]
    value_r = potential[..., idx, None] * growth[idx]
    if p.delay_indefinite:
        adoption_delayed_r = 0.0
    else:
        shifted = years - _col(p.delay_years, 1)  # (T,) or (d, T)
        adoption_delayed_r = core.logistic_adoption(shifted[..., None, :] if shifted.ndim == 2 else shifted,
                                                    mid_r, speed, ceiling)
    levers_r = core.restriction_loss_levers(value_r, adoption[..., idx, :], adoption_delayed_r,
                                            np.ones(len(idx), dtype=bool), _col(p.restricted_share_pct, 2) / 100,
                                            _col(p.substitution_pct, 2) / 100, _col(p.compliance_drag_pct, 2) / 100)
    loss_r = levers_r["restricted_products"] + levers_r["substitution"] + levers_r["compliance_drag"]
    group_loss = loss_r.sum(axis=-2)  # (T,) or (d, T)
    leakage = _col(p.leakage_pct, 1) / 100

    if aggregate is not None:
        open_agg = np.einsum("rn,...nt->...rt", aggregate, open_gain, optimize=True)
        loss_agg = np.einsum("rn,...nt->...rt", aggregate[:, idx], loss_r, optimize=True)
        outside = ~restricted
        out_open = np.einsum("rn,...nt->...rt", aggregate[:, outside], open_gain[..., outside, :], optimize=True)
        out_total = open_gain[..., outside, :].sum(axis=-2)  # (T,) or (d, T)
        safe = np.where(out_total > 0, out_total, 1.0)
        factor = np.where(out_total > 0, leakage * group_loss / safe, 0.0)[..., None, :]
        transfer_agg = factor * out_open
        lost = loss_agg - transfer_agg
        return dict(open_gain=open_agg, gain=open_agg - lost, lost=lost, restricted=restricted)

    def scatter(x_r):
        full = np.zeros(np.broadcast_shapes(open_gain.shape))
        full[..., idx, :] = x_r
        return full

    levers = {k: scatter(v) for k, v in levers_r.items()}
    transfer = core.leakage_transfer(group_loss, open_gain, restricted, leakage)
    levers["leakage"] = -transfer
    loss = scatter(loss_r)
    return dict(gdp=gdp, potential=potential, adoption=adoption, open_gain=open_gain,
                gain=open_gain - loss + transfer, levers=levers, restricted=restricted, tfp_gain_pct=100 * tfp)


def run(scenario: Scenario, countries: pd.DataFrame | None = None) -> Result:
    """Run one scenario and return its :class:`~model.result.Result`.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario (see :meth:`Scenario.build`).
    countries : DataFrame, optional
        A country table with the columns of ``data/countries.csv``; the shipped table by default.

    Examples
    --------
    >>> r = run(Scenario.build(["jpmorgan-high"]))
    >>> round(r.summary().loc["World", "potential_gain_usd_bn"])
    10000
    """
    a = country_arrays(countries)
    p = scenario.params
    years = np.arange(BASE_YEAR, p.end_year + 1)
    out = evaluate(p, a, years)
    return Result(
        scenario=scenario,
        years=years,
        iso3=a.iso3,
        region=a.region,
        restricted=out["restricted"],
        population=a.population,
        potential=out["potential"],
        gdp=out["gdp"],
        open_gain=out["open_gain"],
        gain=out["gain"],
        adoption=out["adoption"],
        levers=out["levers"],
        tfp_gain_pct=float(out["tfp_gain_pct"]),
    )


def country_arrays(countries: pd.DataFrame | None = None) -> CountryArrays:
    """The shipped country table as arrays (cached), or the given table."""
    return _default_arrays() if countries is None else CountryArrays.from_frame(countries)


def compare(scenarios: Sequence[Scenario], countries: pd.DataFrame | None = None) -> ResultSet:
    """Run several scenarios and return them as one :class:`~model.result.ResultSet`.

    Examples
    --------
    >>> rs = compare([Scenario.build(["jpmorgan-low"]), Scenario.build(["jpmorgan-high"])])
    >>> float(rs.summary().loc[("jpmorgan-high", "World"), "potential_gain_usd_bn"].round())
    10000.0
    """
    return ResultSet([run(s, countries) for s in scenarios])
