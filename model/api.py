"""The notebook API: run one scenario or compare several."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from .engine import run_paths
from .parameters import Scenario
from .result import Result, ResultSet


def run(scenario: Scenario, countries: pd.DataFrame | None = None) -> Result:
    """Run one scenario and return its :class:`~model.result.Result`.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario (see :meth:`Scenario.build`).
    countries : DataFrame, optional
        A country table with the columns of ``model/tables/countries.csv``; the shipped table by default.

    Examples
    --------
    >>> r = run(Scenario.build(["jpmorgan-high"]))
    >>> round(r.summary().loc["World", "potential_gain_usd_bn"])
    10000
    """
    paths, arrays = run_paths(scenario, countries)
    return Result(scenario=scenario, paths=paths, countries=arrays)


def compare(scenarios: Sequence[Scenario], countries: pd.DataFrame | None = None) -> ResultSet:
    """Run several scenarios and return them as one :class:`~model.result.ResultSet`.

    Examples
    --------
    >>> rs = compare([Scenario.build(["jpmorgan-low"]), Scenario.build(["jpmorgan-high"])])
    >>> float(rs.summary().loc[("jpmorgan-high", "World"), "potential_gain_usd_bn"].round())
    10000.0
    """
    return ResultSet([run(s, countries) for s in scenarios])
