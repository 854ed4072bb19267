"""The result object: the numbers of one run and their tidy views.

A :class:`Result` holds the engine's :class:`~model.engine.Paths` (a batch of one draw) and
sums them through one :class:`~model.aggregation.Aggregation`; every output variable comes
from the registry in :mod:`model.outputs`. Exports live in :mod:`model.io`, the headline
sentence and key figures in :mod:`model.narrative`, figures in :mod:`model.figures`; the
methods of the same names here are thin shortcuts to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Iterable

import numpy as np
import pandas as pd

from . import core
from .aggregation import Aggregation
from .engine import LEVER_KEYS, CountryArrays, Paths
from .outputs import LEVERS, VARIABLES, compute
from .parameters import Scenario

TIDY_COLUMNS = ["scenario", "region", "year", "variable", "unit", "value"]


@dataclass(eq=False)
class Result:
    """The outcome of one scenario run: the engine's paths and their views.

    Country arrays (``gain``, ``open_gain``, ``adoption``, ``gdp``: ``(n_countries, n_years)``;
    ``potential``, ``population``: ``(n,)``; money in billion USD_2023) are views of
    :attr:`paths` with the draw axis dropped.
    """

    scenario: Scenario
    paths: Paths
    countries: CountryArrays
    _frames: dict = field(default_factory=dict, repr=False)

    def renamed(self, name: str) -> "Result":
        """A copy under another scenario name (the arrays are shared, not copied)."""
        return replace(self, scenario=self.scenario.renamed(name), _frames={})

    # ------------------------------------------------------------------ arrays
    @property
    def name(self) -> str:
        """The scenario's name (the ``scenario`` column of every output)."""
        return self.scenario.name

    @property
    def params(self):
        """The scenario's validated scenario-wide parameters."""
        return self.scenario.params

    years = property(lambda self: self.paths.years, doc="(T,) years")
    iso3 = property(lambda self: self.countries.iso3, doc="(n,) ISO3 codes")
    region = property(lambda self: self.countries.region, doc="(n,) model region of each country")
    population = property(lambda self: self.countries.population, doc="(n,) persons, 2023 (held constant)")
    restricted = property(lambda self: self.paths.group, doc="(n,) bool: the restricted (reporting) group")
    hit = property(lambda self: self.paths.hit, doc="(n,) bool: countries hit by a restriction")
    gdp = property(lambda self: self.paths.gdp, doc="(n, T) baseline GDP")
    potential = property(lambda self: self.paths.potential[0], doc="(n,) potential at full adoption")
    adoption = property(lambda self: self.paths.adoption[0], doc="(n, T) adoption share (0-1)")
    open_gain = property(lambda self: self.paths.open_gain[0], doc="(n, T) gain with open access")
    gain = property(lambda self: self.paths.gain[0], doc="(n, T) gain in the scenario")
    tfp_gain_pct = property(lambda self: float(self.paths.tfp_gain_pct[0]), doc="Hulten TFP gain implied, %")

    @cached_property
    def levers(self) -> dict[str, np.ndarray]:
        """The loss by lever, each ``(n, T)``; they add up to the World's loss."""
        return {k: self.paths.lever(k)[0] for k in LEVER_KEYS}

    # ------------------------------------------------------------------ aggregation
    @property
    def group_label(self) -> str:
        """Name of the restricted group as shown to users ('EU27', or 'ITA', 'DEU, FRA')."""
        return self.aggregation().group_label

    def aggregation(self, detail: str = "regions") -> Aggregation:
        """The :class:`~model.aggregation.Aggregation` of this run at ``detail``."""
        key = ("agg", detail)
        if key not in self._frames:
            from .anchors import reporting_rows

            self._frames[key] = Aggregation.build(self.iso3, self.region, self.params.restricted_group,
                                                  self.restricted, detail, extra=reporting_rows(self.params))
        return self._frames[key]

    def aggregate(self, array: np.ndarray, detail: str = "regions") -> pd.DataFrame | pd.Series:
        """Sum a country array over World, regions (and countries): rows = labels, columns = years."""
        agg = self.aggregation(detail)
        if np.ndim(array) == 1:
            return pd.Series(agg.sum_static(array), index=list(agg.labels))
        return pd.DataFrame(agg.sum(np.asarray(array)), index=list(agg.labels), columns=self.years)

    def _path_sum(self, name: str, detail: str) -> np.ndarray:
        agg = self.aggregation(detail)
        if name == "population":
            return agg.sum_static(self.population)[:, None]
        if name == "gdp":
            return agg.sum(self.gdp)
        return agg.sum(self.paths.path(name))[0]

    def _variables(self, detail: str) -> dict[str, np.ndarray]:
        key = ("vars", detail)
        if key not in self._frames:
            self._frames[key] = {k: np.broadcast_to(v, (len(self.aggregation(detail).labels), len(self.years)))
                                 for k, v in compute(lambda p: self._path_sum(p, detail)).items()}
        return self._frames[key]

    # ------------------------------------------------------------------ tidy views
    def to_frame(self, detail: str = "regions") -> pd.DataFrame:
        """Tidy frame with columns ``scenario, region, year, variable, unit, value``.

        ``detail="regions"`` gives World and the region groups; ``"countries"`` adds one
        row set per country (ISO3 code).
        """
        key = ("tidy", detail)
        if key not in self._frames:
            labels = self.aggregation(detail).labels
            variables = self._variables(detail)
            nr, nt, nv = len(labels), len(self.years), len(VARIABLES)
            values = np.stack([variables[v] for v in VARIABLES])  # (V, R, T)
            self._frames[key] = pd.DataFrame({
                "scenario": self.name,
                "region": np.tile(np.repeat(np.array(labels, dtype=object), nt), nv),
                "year": np.tile(self.years, nv * nr),
                "variable": np.repeat(np.array(list(VARIABLES), dtype=object), nr * nt),
                "unit": np.repeat(np.array([v.unit for v in VARIABLES.values()], dtype=object), nr * nt),
                "value": values.reshape(-1),
            })
        return self._frames[key].copy()

    @property
    def data(self) -> pd.DataFrame:
        """Tidy frame at region detail (World and region groups)."""
        return self.to_frame("regions")

    def to_wide(self, detail: str = "regions") -> pd.DataFrame:
        """Wide frame: one row per (scenario, region, variable, unit), one column per year."""
        df = self.to_frame(detail)
        wide = df.pivot_table(index=["scenario", "region", "variable", "unit"], columns="year",
                              values="value", sort=False)
        wide.columns.name = None
        return wide

    def series(self, variable: str, region: str = "World", detail: str = "regions") -> pd.Series:
        """One variable for one region as a Series indexed by year ('Restricted group': the group)."""
        if variable not in VARIABLES:
            raise KeyError(f"unknown variable {variable!r}; choose from {', '.join(VARIABLES)}")
        arr = self._variables(detail)[variable][self.aggregation(detail).row(region)]
        return pd.Series(arr, index=pd.Index(self.years, name="year"), name=variable)

    # ------------------------------------------------------------------ summaries
    def summary(self, detail: str = "regions") -> pd.DataFrame:
        """One row per region (and World): potential, end-year, cumulative and NPV figures.

        Money in billion USD_2023; ``*_pct`` in % of GDP; NPV discounted to 2023 at the
        scenario's discount rate; cumulative sums run over 2023 to the end year inclusive.
        """
        key = ("summary", detail)
        if key not in self._frames:
            agg = self.aggregation(detail)
            v = self._variables(detail)
            gdp0 = v["gdp_baseline"][:, 0]
            pot = agg.sum_static(self.potential)
            rate = self.params.discount_rate_pct / 100
            lost = v["ai_gain_lost"]
            self._frames[key] = pd.DataFrame({
                "region": list(agg.labels),
                "gdp_base_usd_bn": gdp0,
                "population_2023": agg.sum_static(self.population),
                "potential_gain_usd_bn": pot,
                "potential_gain_pct_gdp": 100 * pot / gdp0,
                "gain_end_year_usd_bn": v["ai_gain"][:, -1],
                "gain_end_year_pct": v["ai_gain_pct_gdp"][:, -1],
                "gain_open_end_year_usd_bn": v["ai_gain_open"][:, -1],
                "lost_end_year_usd_bn": lost[:, -1],
                "cumulative_gain_usd_bn": v["ai_gain"].sum(axis=1),
                "cumulative_gain_open_usd_bn": v["ai_gain_open"].sum(axis=1),
                "cumulative_lost_usd_bn": lost.sum(axis=1),
                "npv_gain_usd_bn": core.present_value(v["ai_gain"], self.years, rate),
                "npv_lost_usd_bn": core.present_value(lost, self.years, rate),
                "gain_per_capita_end_year_usd": v["ai_gain_per_capita"][:, -1],
            }).set_index("region")
        return self._frames[key].copy()

    def decomposition(self, cumulative: bool = True) -> pd.DataFrame:
        """The loss split by lever, for the restricted group and for the World.

        Returns a frame indexed by lever label with columns ``group`` and ``World`` (billion
        USD_2023, summed over the horizon when ``cumulative``) or, when not cumulative, a tidy
        frame ``(region, year, lever, value)`` with the group under its label. The group's levers
        add up exactly to its loss; adding ``leakage`` gives the World loss.
        """
        agg = self.aggregation()
        p = self.paths
        group = {k: agg.sum(p.levers[k], p.index)[0, agg.group_row] for k in LEVER_KEYS[:3]}
        world = {k: agg.sum(p.levers[k], p.index)[0, 0] for k in LEVER_KEYS[:3]}
        group["leakage"] = np.zeros(len(self.years))
        world["leakage"] = agg.sum(p.lever("leakage"))[0, 0]
        if cumulative:
            return pd.DataFrame({
                "lever": [LEVERS[k] for k in LEVERS],
                "group": [group[k].sum() for k in LEVERS],
                "World": [world[k].sum() for k in LEVERS],
            }).set_index("lever")
        rows = []
        for label, d in ((self.group_label, group), ("World", world)):
            for k in LEVERS:
                rows.append(pd.DataFrame({"region": label, "year": self.years, "lever": LEVERS[k], "value": d[k]}))
        return pd.concat(rows, ignore_index=True)

    def event_losses(self, cumulative: bool = False) -> pd.DataFrame:
        """What each restriction (event) cost the restricted group, billion USD_2023.

        Tidy, one row per restriction and year: ``scenario, event_id, event, region, year,
        restricted_products`` (the gross product loss), ``substitution`` (what alternatives and
        circumvention recovered, negative) and ``net``. With ``cumulative`` one row per
        restriction, summed over the horizon, with ``net_pct_gdp_2023`` (the cumulative net loss
        as % of the group's 2023 GDP). Together with the compliance drag (and, for the World,
        leakage) the parts add up exactly to the loss (:meth:`decomposition`).
        """
        agg = self.aggregation()
        p = self.paths
        frames = []
        for i, (r, parts) in enumerate(zip(self.scenario.restrictions, p.by_restriction)):
            gross = agg.sum(parts["restricted_products"], p.index)[0, agg.group_row]
            sub = agg.sum(parts["substitution"], p.index)[0, agg.group_row]
            frames.append(pd.DataFrame({"scenario": self.name, "event_id": r.event_id or f"restriction-{i + 1}",
                                        "event": r.label, "region": self.group_label, "year": self.years,
                                        "restricted_products": gross, "substitution": sub, "net": gross + sub}))
        df = pd.concat(frames, ignore_index=True)
        if not cumulative:
            return df
        out = df.groupby(["scenario", "event_id", "event", "region"], sort=False)[
            ["restricted_products", "substitution", "net"]].sum().reset_index()
        gdp0 = self._variables("regions")["gdp_baseline"][agg.group_row, 0]
        out["net_pct_gdp_2023"] = 100 * out["net"] / gdp0
        return out

    def restriction_losses(self) -> pd.DataFrame:
        """Each restriction's cumulative part of the group's loss (see :meth:`event_losses`)."""
        return self.event_losses(cumulative=True).rename(columns={"event": "restriction"})

    def group_summary(self) -> dict[str, float]:
        """Key figures of the restricted group: open and scenario gains, loss, shares."""
        v = self._variables("regions")
        g = self.aggregation().group_row
        gdp, gain, opn = v["gdp_baseline"][g], v["ai_gain"][g], v["ai_gain_open"][g]
        cum_open = opn.sum()
        return {
            "gain_end_year_usd_bn": gain[-1],
            "gain_open_end_year_usd_bn": opn[-1],
            "gain_end_year_pct": 100 * gain[-1] / gdp[-1],
            "cumulative_gain_usd_bn": gain.sum(),
            "cumulative_gain_open_usd_bn": cum_open,
            "cumulative_lost_usd_bn": cum_open - gain.sum(),
            "cumulative_lost_pct_of_open": 100 * (cum_open - gain.sum()) / cum_open if cum_open > 0 else 0.0,
            "lost_end_year_usd_bn": opn[-1] - gain[-1],
            "lost_end_year_pct_gdp": 100 * (opn[-1] - gain[-1]) / gdp[-1],
        }

    # ------------------------------------------------------------------ shortcuts
    def key_figures(self) -> list[tuple[str, str, str]]:
        """See :func:`model.narrative.key_figures`."""
        from .narrative import key_figures

        return key_figures(self)

    def headline(self) -> str:
        """See :func:`model.narrative.headline`."""
        from .narrative import headline

        return headline(self)

    def meta(self) -> pd.DataFrame:
        """See :func:`model.io.meta`."""
        from .io import meta

        return meta([self])

    def to_iamc(self, detail: str = "regions") -> pd.DataFrame:
        """See :func:`model.io.iamc_frame`."""
        from .io import iamc_frame

        return iamc_frame([self], detail)

    def to_csv(self, path=None, detail: str = "regions", format: str = "csv"):
        """See :func:`model.io.write_csv` (the text when no path)."""
        from .io import write_csv

        return write_csv([self], path, detail, format)

    def to_excel(self, path, detail: str = "regions") -> None:
        """See :func:`model.io.write_excel`."""
        from .io import write_excel

        write_excel([self], path, detail)

    @cached_property
    def plot(self):
        """Plotly figures built from this result (see :mod:`model.figures`)."""
        from .figures import ResultPlots

        return ResultPlots(self)


class ResultSet:
    """Several results side by side (e.g. from :func:`model.compare`), pandas-like.

    ``data`` concatenates the tidy frames; :meth:`summary` stacks the summaries with a
    ``(scenario, region)`` index; :meth:`delta` subtracts a reference scenario.
    """

    def __init__(self, results: Iterable[Result]):
        # Repeated names get a suffix so the tidy frame stays unambiguous; inputs are not changed.
        self.results: list[Result] = []
        seen: dict[str, int] = {}
        for r in results:
            k = seen.get(r.name, 0)
            seen[r.name] = k + 1
            self.results.append(r.renamed(f"{r.name} #{k + 1}") if k else r)

    def __len__(self) -> int:
        return len(self.results)

    def __getitem__(self, i: int) -> Result:
        return self.results[i]

    @property
    def names(self) -> list[str]:
        """Scenario names, in order."""
        return [r.name for r in self.results]

    def to_frame(self, detail: str = "regions") -> pd.DataFrame:
        """The tidy frames of all scenarios, concatenated."""
        return pd.concat([r.to_frame(detail) for r in self.results], ignore_index=True)

    @property
    def data(self) -> pd.DataFrame:
        """Tidy frame of all scenarios at region detail."""
        return self.to_frame("regions")

    def summary(self, detail: str = "regions") -> pd.DataFrame:
        """Summaries of all scenarios, indexed by (scenario, region)."""
        return pd.concat({r.name: r.summary(detail) for r in self.results}, names=["scenario", "region"])

    def delta(self, reference: int | str = 0, detail: str = "regions") -> pd.DataFrame:
        """Summary of every scenario minus the reference scenario's, per region."""
        ref = self.results[reference] if isinstance(reference, int) else \
            self.results[self.names.index(reference)]
        base = ref.summary(detail)
        return pd.concat({r.name: r.summary(detail) - base for r in self.results},
                         names=["scenario", "region"])

    def to_csv(self, path=None, detail: str = "regions", format: str = "csv"):
        """Tidy or IAMC CSV of all scenarios (see :func:`model.io.write_csv`)."""
        from .io import write_csv

        return write_csv(self.results, path, detail, format)

    def to_excel(self, path, detail: str = "regions") -> None:
        """Excel workbook of all scenarios (see :func:`model.io.write_excel`)."""
        from .io import write_excel

        write_excel(self.results, path, detail)

    @cached_property
    def plot(self):
        """Plotly figures comparing the scenarios."""
        from .figures import ResultSetPlots

        return ResultSetPlots(self)
