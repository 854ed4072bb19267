"""The result object: tidy data (scenario, region, year, variable, unit, value) and exports."""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from . import __version__, core
from .data import DATA_VINTAGE, REGIONS
from .parameters import PARAMETERS, Scenario

MODEL_NAME = f"genai-impact {__version__}"
MONEY = "billion USD_2023"
TIDY_COLUMNS = ["scenario", "region", "year", "variable", "unit", "value"]
IAMC_INDEX = ["Model", "Scenario", "Region", "Variable", "Unit"]

#: Output variables: key -> (unit, IAMC variable name, description).
VARIABLES: dict[str, tuple[str, str, str]] = {
    "gdp_baseline": (MONEY, "GDP|MER|Baseline", "GDP without generative AI"),
    "ai_gain_open": (MONEY, "AI Gain|Open Access", "Gain from generative AI with open access everywhere"),
    "ai_gain": (MONEY, "AI Gain|Scenario", "Gain from generative AI in the scenario"),
    "ai_gain_lost": (MONEY, "AI Gain|Lost", "Open-access gain minus scenario gain (negative: gained through leakage)"),
    "ai_gain_pct_gdp": ("%", "AI Gain Share of GDP|Scenario", "Scenario gain as % of baseline GDP"),
    "ai_gain_open_pct_gdp": ("%", "AI Gain Share of GDP|Open Access", "Open-access gain as % of baseline GDP"),
    "ai_gain_per_capita": ("USD_2023", "AI Gain per Capita|Scenario", "Scenario gain per person (2023 population)"),
}
LEVERS: dict[str, str] = {
    "restricted_products": "Restricted products (share x delay)",
    "substitution": "Substitution and circumvention",
    "compliance_drag": "Compliance drag",
    "leakage": "Leakage to other economies",
}


def fmt_usd_bn(x: float) -> str:
    """Money in billion US$ with three significant figures, e.g. '$412 bn', '$1.23 trillion', '-$73.2 bn'."""
    if x < 0:
        return "-" + fmt_usd_bn(-x)
    if abs(x) >= 1000:
        return f"${x / 1000:,.3g} trillion"
    if abs(x) >= 1:
        return f"${x:,.3g} bn".replace("e+02", "00")
    return f"${x:.2g} bn"


def fmt_pct(x: float) -> str:
    """A percentage without false precision: '0.42%', '6.6%', '12%'."""
    if x == 0:
        return "0%"
    if abs(x) < 1:
        return f"{x:.2g}%"
    return f"{x:.1f}%" if abs(x) < 10 else f"{x:.0f}%"


@dataclass(eq=False)
class Result:
    """The outcome of one scenario run. Holds country-level arrays; tidy views are built on demand.

    Attributes (arrays are ``(n_countries, n_years)`` unless stated; money in billion USD_2023)
    ----------
    scenario : Scenario
    years : array (T,)
    iso3, region : arrays (n,)
    restricted : bool array (n,)  countries in the restricted group
    population : array (n,)  persons, 2023 (held constant)
    potential : array (n,)  country potential at full adoption, 2023 base
    gdp : baseline GDP
    open_gain : gain under open access
    gain : gain in the scenario
    adoption : adoption share (0-1)
    levers : dict lever -> array, the loss by lever (adds up to the World loss)
    tfp_gain_pct : float  Hulten TFP gain implied by the task parameters, %
    """

    scenario: Scenario
    years: np.ndarray
    iso3: np.ndarray
    region: np.ndarray
    restricted: np.ndarray
    population: np.ndarray
    potential: np.ndarray
    gdp: np.ndarray
    open_gain: np.ndarray
    gain: np.ndarray
    adoption: np.ndarray
    levers: dict[str, np.ndarray]
    tfp_gain_pct: float = 0.0
    _frames: dict = field(default_factory=dict, repr=False)

    def renamed(self, name: str) -> "Result":
        """A copy under another scenario name (the arrays are shared, not copied)."""
        s = self.scenario
        return replace(self, scenario=Scenario(params=s.params, presets=s.presets, name=name, overrides=s.overrides),
                       _frames={})

    # ------------------------------------------------------------------ aggregation
    @property
    def name(self) -> str:
        """The scenario's name (the ``scenario`` column of every output)."""
        return self.scenario.name

    @property
    def params(self):
        """The scenario's validated parameters."""
        return self.scenario.params

    @property
    def group_label(self) -> str:
        """Name of the restricted group as shown to users ('EU27', or 'ITA', 'DEU, FRA')."""
        g = self.params.restricted_group
        return g if g in REGIONS else g.replace(",", ", ")

    def _labels_matrix(self, detail: str) -> tuple[list[str], np.ndarray]:
        if detail not in ("regions", "countries"):
            raise ValueError(f"detail={detail!r}: allowed 'regions' or 'countries'")
        key = ("agg", detail)
        if key not in self._frames:
            n = len(self.iso3)
            labels = ["World", *REGIONS]
            rows = [np.ones(n), *[(self.region == r).astype(float) for r in REGIONS]]
            if self.params.restricted_group not in REGIONS:
                labels.append(f"Restricted group: {self.group_label}")
                rows.append(self.restricted.astype(float))
            if detail == "countries":
                labels += list(self.iso3)
                rows.append(np.eye(n))
            self._frames[key] = (labels, np.vstack(rows))
        return self._frames[key]

    def aggregate(self, array: np.ndarray, detail: str = "regions") -> pd.DataFrame:
        """Sum a country array over World, regions (and countries): rows = labels, columns = years."""
        labels, m = self._labels_matrix(detail)
        out = m @ array
        if out.ndim == 1:
            return pd.Series(out, index=labels)
        return pd.DataFrame(out, index=labels, columns=self.years)

    def _variables(self, detail: str) -> dict[str, np.ndarray]:
        labels, m = self._labels_matrix(detail)
        gdp = m @ self.gdp
        gain = m @ self.gain
        opn = m @ self.open_gain
        pop = m @ self.population
        with np.errstate(divide="ignore", invalid="ignore"):
            per_cap = np.where(pop[:, None] > 0, gain * 1e9 / pop[:, None], 0.0)
        return {
            "gdp_baseline": gdp,
            "ai_gain_open": opn,
            "ai_gain": gain,
            "ai_gain_lost": opn - gain,
            "ai_gain_pct_gdp": 100 * gain / gdp,
            "ai_gain_open_pct_gdp": 100 * opn / gdp,
            "ai_gain_per_capita": per_cap,
        }

    # ------------------------------------------------------------------ tidy views
    def to_frame(self, detail: str = "regions") -> pd.DataFrame:
        """Tidy frame with columns ``scenario, region, year, variable, unit, value``.

        ``detail="regions"`` gives World and the region groups; ``"countries"`` adds one
        row set per country (ISO3 code).
        """
        key = ("tidy", detail)
        if key not in self._frames:
            labels, _ = self._labels_matrix(detail)
            variables = self._variables(detail)
            nr, nt = len(labels), len(self.years)
            values = np.stack([variables[v] for v in VARIABLES])  # (V, R, T)
            nv = len(VARIABLES)
            self._frames[key] = pd.DataFrame({
                "scenario": self.name,
                "region": np.tile(np.repeat(np.array(labels, dtype=object), nt), nv),
                "year": np.tile(self.years, nv * nr),
                "variable": np.repeat(np.array(list(VARIABLES), dtype=object), nr * nt),
                "unit": np.repeat(np.array([u for u, _, _ in VARIABLES.values()], dtype=object), nr * nt),
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
        """One variable for one region as a Series indexed by year."""
        if variable not in VARIABLES:
            raise KeyError(f"unknown variable {variable!r}; choose from {', '.join(VARIABLES)}")
        labels, _ = self._labels_matrix(detail)
        arr = self._variables(detail)[variable][labels.index(region)]
        return pd.Series(arr, index=pd.Index(self.years, name="year"), name=variable)

    # ------------------------------------------------------------------ summaries
    def summary(self, detail: str = "regions") -> pd.DataFrame:
        """One row per region (and World): potential, end-year, cumulative and NPV figures.

        Money in billion USD_2023; ``*_pct`` in % of GDP; NPV discounted to 2023 at the
        scenario's discount rate; cumulative sums run over 2023 to the end year inclusive.
        """
        key = ("summary", detail)
        if key not in self._frames:
            labels, m = self._labels_matrix(detail)
            v = self._variables(detail)
            gdp0 = m @ self.gdp[:, 0]
            pot = m @ self.potential
            rate = self.params.discount_rate_pct / 100
            lost = v["ai_gain_lost"]
            df = pd.DataFrame({
                "region": labels,
                "gdp_base_usd_bn": gdp0,
                "population_2023": m @ self.population,
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
            self._frames[key] = df
        return self._frames[key].copy()

    def decomposition(self, cumulative: bool = True) -> pd.DataFrame:
        """The loss split by lever, for the restricted group and for the World.

        Returns a frame indexed by lever with columns ``group`` and ``World`` (billion
        USD_2023, summed over the horizon when ``cumulative``) or, when not cumulative, a
        tidy frame ``(region, year, lever, value)``. The group's levers add up exactly to
        its loss; adding ``leakage`` gives the World loss.
        """
        group = {k: (v * self.restricted[:, None]).sum(axis=0) for k, v in self.levers.items()}
        world = {k: v.sum(axis=0) for k, v in self.levers.items()}
        group["leakage"] = np.zeros_like(group["leakage"])
        if cumulative:
            return pd.DataFrame({
                "lever": [LEVERS[k] for k in LEVERS],
                "group": [group[k].sum() for k in LEVERS],
                "World": [world[k].sum() for k in LEVERS],
            }).set_index("lever")
        rows = []
        for label, d in ((self.group_label, group), ("World", world)):
            for k in LEVERS:
                rows.append(pd.DataFrame({"region": label, "year": self.years, "lever": LEVERS[k],
                                          "value": d[k]}))
        return pd.concat(rows, ignore_index=True)

    def group_summary(self) -> dict[str, float]:
        """Key figures of the restricted group: open and scenario gains, loss, shares."""
        m = self.restricted.astype(float)
        gdp = m @ self.gdp
        gain, opn = m @ self.gain, m @ self.open_gain
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

    def key_figures(self) -> list[tuple[str, str, str]]:
        """The four key figures shown under the headline: (label, value, caption) each, formatted."""
        w = self.summary().loc["World"]
        g = self.group_summary()
        end, who = int(self.years[-1]), self.group_label
        return [
            (f"World gain in {end}", fmt_usd_bn(w["gain_end_year_usd_bn"]), f"{fmt_pct(w['gain_end_year_pct'])} of World GDP"),
            (f"{who} gain in {end}", fmt_usd_bn(g["gain_end_year_usd_bn"]), f"{fmt_pct(g['gain_end_year_pct'])} of {who} GDP"),
            (f"{who} loss from restrictions, 2023-{end}", fmt_usd_bn(g["cumulative_lost_usd_bn"]),
             f"{fmt_pct(g['cumulative_lost_pct_of_open'])} of its open-access gain"),
            (f"{who} loss in {end}", fmt_usd_bn(g["lost_end_year_usd_bn"]),
             f"{fmt_pct(g['lost_end_year_pct_gdp'])} of {who} GDP"),
        ]

    def headline(self) -> str:
        """One sentence stating the scenario's main result, computed from the run."""
        g = self.group_summary()
        w = self.summary().loc["World"]
        end = int(self.years[-1])
        who = f"the {self.group_label}" if self.group_label == "EU27" else self.group_label
        if g["cumulative_lost_usd_bn"] > 0:
            first = (f"With these assumptions {who} loses {fmt_usd_bn(g['cumulative_lost_usd_bn'])} of its "
                     f"generative-AI gain over 2023-{end}, {fmt_pct(g['cumulative_lost_pct_of_open'])} of what "
                     f"it would gain with open access.")
        else:
            first = (f"With these assumptions {who} loses nothing to access restrictions over 2023-{end}.")
        return (f"{first} The World gains {fmt_usd_bn(w['gain_end_year_usd_bn'])} in {end} "
                f"({fmt_pct(w['gain_end_year_pct'])} of GDP).")

    # ------------------------------------------------------------------ exports
    def meta(self) -> pd.DataFrame:
        """One row of scenario metadata: inputs, model version, data vintage (pyam ``meta``)."""
        row: dict[str, Any] = {"model": MODEL_NAME, "scenario": self.name,
                               "model_version": __version__, "data_vintage": DATA_VINTAGE,
                               "presets": " + ".join(self.scenario.presets)}
        row.update(self.scenario.values)
        return pd.DataFrame([row])

    def to_iamc(self, detail: str = "regions") -> pd.DataFrame:
        """IAMC wide frame: ``Model, Scenario, Region, Variable, Unit`` then one column per year."""
        wide = self.to_wide(detail).reset_index()
        wide.insert(0, "Model", MODEL_NAME)
        wide = wide.rename(columns={"scenario": "Scenario", "region": "Region", "unit": "Unit"})
        wide["Variable"] = wide.pop("variable").map({k: v[1] for k, v in VARIABLES.items()})
        return wide[IAMC_INDEX + list(self.years)]

    def to_csv(self, path: str | Path | None = None, detail: str = "regions", format: str = "csv") -> str | None:
        """Write tidy (``format="csv"``) or IAMC (``"iamc"``) CSV; return the text when no path.

        With a path and the IAMC format a sidecar ``<stem>_meta.csv`` carries the inputs,
        model version and data vintage.
        """
        return write_csv([self], path, detail, format)

    def to_excel(self, path: str | Path | io.BytesIO, detail: str = "regions") -> None:
        """Write an Excel workbook with IAMC ``data``, ``meta`` and ``tidy`` sheets (readable by pyam)."""
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
        """Tidy or IAMC CSV of all scenarios (see :meth:`Result.to_csv`)."""
        return write_csv(self.results, path, detail, format)

    def to_excel(self, path, detail: str = "regions") -> None:
        """Excel workbook of all scenarios (see :meth:`Result.to_excel`)."""
        write_excel(self.results, path, detail)

    @cached_property
    def plot(self):
        """Plotly figures comparing the scenarios."""
        from .figures import ResultSetPlots

        return ResultSetPlots(self)


def _iamc(results: Sequence[Result], detail: str) -> pd.DataFrame:
    return pd.concat([r.to_iamc(detail) for r in results], ignore_index=True)


def _meta(results: Sequence[Result]) -> pd.DataFrame:
    return pd.concat([r.meta() for r in results], ignore_index=True)


def write_csv(results: Sequence[Result], path=None, detail: str = "regions", format: str = "csv"):
    """Tidy or IAMC CSV of one or several results; the text when ``path`` is None."""
    if format == "csv":
        df = pd.concat([r.to_frame(detail) for r in results], ignore_index=True)
    elif format == "iamc":
        df = _iamc(results, detail)
    else:
        raise ValueError(f"format={format!r}: allowed 'csv' or 'iamc'")
    text = df.to_csv(index=False, float_format="%.6f", lineterminator="\n")
    if path is None:
        return text
    path = Path(path)
    path.write_text(text)
    if format == "iamc":
        _meta(results).to_csv(meta_sidecar(path), index=False, lineterminator="\n")
    return None


def meta_sidecar(path: str | Path) -> Path:
    """Where the metadata sidecar of an IAMC CSV goes: ``<stem>_meta.csv`` beside it."""
    path = Path(path)
    return path.with_name(path.stem + "_meta.csv")


def write_excel(results: Sequence[Result], path, detail: str = "regions") -> None:
    """Excel workbook: ``data`` (IAMC wide), ``meta`` (inputs, version, vintage), ``tidy``."""
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        _iamc(results, detail).to_excel(xw, sheet_name="data", index=False)
        _meta(results).to_excel(xw, sheet_name="meta", index=False)
        pd.concat([r.to_frame(detail) for r in results], ignore_index=True).to_excel(
            xw, sheet_name="tidy", index=False)


def parameter_table() -> pd.DataFrame:
    """Every declared parameter with label, unit, default, range and source."""
    return pd.DataFrame([
        {"key": s.key, "label": s.label, "group": s.group, "unit": s.unit, "default": str(s.default),
         "min": s.min, "max": s.max, "step": s.step, "choices": ", ".join(s.choices),
         "judgement": s.judgement, "help": s.help, "source": s.source}
        for s in PARAMETERS.values()
    ])

