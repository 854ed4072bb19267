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
    eu27: np.ndarray

    @classmethod
    def from_frame(cls, df: pd.DataFrame) -> "CountryArrays":
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
            eu27=df.eu27.to_numpy(dtype=bool),
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
    a = _default_arrays() if countries is None else CountryArrays.from_frame(countries)
    p = scenario.params
    years = np.arange(BASE_YEAR, p.end_year + 1)

    gdp = core.baseline_gdp(a.gdp_2023_usd_bn, a.growth_pct, GROWTH_YEARS, years, p.long_run_growth_pct)
    world_2023 = a.gdp_2023_usd_bn.sum()
    tfp = core.hulten_tfp_gain(p.exposed_task_share_pct / 100, p.automated_share_pct / 100,
                               p.labour_cost_saving_pct / 100, p.labour_share_pct / 100)
    potential_world = core.headline_potential(p.headline_mode, p.headline_usd_bn, p.headline_pct_gdp,
                                              100 * tfp * p.gdp_tfp_multiplier, world_2023)
    exposure_by_group = {g: getattr(p, k) / 100 for g, k in EXPOSURE_KEYS.items()}
    exposure = np.array([exposure_by_group[g] for g in a.imf_group])
    shares = core.allocation_shares(a.gdp_2023_usd_bn, exposure, a.aipi, p.exposure_exponent,
                                    p.preparedness_exponent)
    potential = shares * potential_world  # (n,)

    lags = np.array([getattr(p, REGION_LAG_KEYS[r]) for r in REGIONS])[a.region_index]
    lags = lags + np.where(a.imf_group == "LIC", p.lag_low_income_extra_years, 0.0)
    midpoint = p.frontier_midpoint_year + lags
    ceiling = p.adoption_ceiling_pct / 100
    adoption = core.logistic_adoption(years, midpoint, p.adoption_speed, ceiling)
    if p.delay_indefinite:
        adoption_delayed = np.zeros_like(adoption)
    else:
        adoption_delayed = core.logistic_adoption(years - p.delay_years, midpoint, p.adoption_speed, ceiling)

    value_scale = potential[:, None] * gdp / a.gdp_2023_usd_bn[:, None]
    open_gain = value_scale * adoption
    restricted = restricted_mask(p.restricted_group, a)
    levers = core.restriction_loss_levers(value_scale, adoption, adoption_delayed, restricted,
                                          p.restricted_share_pct / 100, p.substitution_pct / 100,
                                          p.compliance_drag_pct / 100)
    loss = levers["restricted_products"] + levers["substitution"] + levers["compliance_drag"]
    transfer = core.leakage_transfer(loss.sum(axis=0), open_gain, restricted, p.leakage_pct / 100)
    levers["leakage"] = -transfer
    gain = open_gain - loss + transfer

    return Result(
        scenario=scenario,
        years=years,
        iso3=a.iso3,
        region=a.region,
        restricted=restricted,
        population=a.population,
        potential=potential,
        gdp=gdp,
        open_gain=open_gain,
        gain=gain,
        adoption=adoption,
        levers=levers,
        tfp_gain_pct=100 * tfp,
    )


def compare(scenarios: Sequence[Scenario], countries: pd.DataFrame | None = None) -> ResultSet:
    """Run several scenarios and return them as one :class:`~model.result.ResultSet`.

    Examples
    --------
    >>> rs = compare([Scenario.build(["jpmorgan-low"]), Scenario.build(["jpmorgan-high"])])
    >>> rs.summary().loc[("jpmorgan-high", "World"), "potential_gain_usd_bn"].round()
    10000.0
    """
    return ResultSet([run(s, countries) for s in scenarios])
