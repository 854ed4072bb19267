"""Plotly figures built from a :class:`~model.result.Result` (or a ResultSet).

Each chart has a ``*_data`` function returning the tidy table it draws, so every chart can
be shown with its data and downloaded as CSV. Colours are the Okabe-Ito colour-blind-safe
palette; open access vs scenario is told apart by line style as well as colour.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from .data import REGIONS
from .narrative import fmt_pct, fmt_usd_bn
from .outputs import LEVERS, SENSITIVITY_OUTPUTS, VARIABLES

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
REGION_COLOURS = dict(zip(REGIONS, ["#0072B2", "#D55E00", "#E69F00", "#56B4E9", "#CC79A7", "#009E73",
                                    "#000000", "#999999"]))
#: plotly.js looks for its world map here (``topojsonURL`` config); the app serves it locally.
TOPOJSON_NAME = "world_110m"
LAYOUT = dict(template=pio.templates["plotly_white"].to_plotly_json(), font=dict(size=13), margin=dict(l=60, r=20, t=60, b=50),
              legend=dict(orientation="h", yanchor="top", y=-0.15))


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """A figure from plain dicts, skipping plotly's per-property validation (it costs ~30x the
    build time). ``tests/test_figures.py`` re-validates every figure with full validation."""
    return go.Figure(data=traces, layout={**LAYOUT, **layout}, _validate=False)


MONEY_AXIS = dict(title=dict(text="billion US$ (2023 prices)"), rangemode="tozero")
YEAR_AXIS = dict(title=dict(text="year"))

#: The titles of the charts drawn both here (plotly) and in :mod:`model.vega` (Vega-Lite).
TITLES = {
    "gains_by_region": lambda r: "Generative-AI gain by region (solid: scenario, dashed: open access)",
    "loss_by_year": lambda r: f"{r.group_label}: generative-AI gain lost each year, by lever",
    "group_paths": lambda r: f"{r.group_label}: gain with open access vs with restrictions",
    "waterfall": lambda r: f"Cumulative loss {int(r.years[0])}-{int(r.years[-1])} by lever",
}


def title_of(name: str, r) -> str:
    """The title of chart ``name`` (a key of :data:`TITLES`) for result ``r``."""
    return TITLES[name](r)


# ---------------------------------------------------------------- gains by region
def gains_by_region_data(r) -> pd.DataFrame:
    """Tidy data of :func:`gains_by_region` (scenario and open-access gain by region)."""
    d = r.data
    return d[d.variable.isin(["ai_gain", "ai_gain_open"]) & (d.region != "World")].reset_index(drop=True)


def gains_by_region(r) -> go.Figure:
    """Gain by region over time: scenario (solid) vs open access (dashed)."""
    scen = r.aggregate(r.gain)
    opn = r.aggregate(r.open_gain)
    traces = []
    for region in REGIONS:
        c = REGION_COLOURS[region]
        for table, dash, suffix, legend in ((scen, "solid", "scenario", True), (opn, "dash", "open access", False)):
            traces.append(dict(type="scatter", mode="lines", x=r.years, y=table.loc[region].to_numpy(),
                               name=f"{region}", legendgroup=region, showlegend=legend,
                               line=dict(color=c, dash=dash, width=2),
                               hovertemplate=f"{region} ({suffix})<br>%{{x}}: $%{{y:,.0f}} bn<extra></extra>"))
    return _figure(traces, dict(title=dict(text=title_of("gains_by_region", r)),
                                yaxis=MONEY_AXIS, xaxis=YEAR_AXIS))


# ---------------------------------------------------------------- the loss, year by year
#: The group's levers in the yearly loss chart, with their colours (leakage is the World's, not the group's).
LOSS_LEVERS = {"restricted_products": "#D55E00", "substitution": "#009E73", "compliance_drag": "#CC79A7"}
#: The loss by year's net-loss line (its legend name) and its colour.
NET_LOSS, NET_LOSS_COLOUR = "Net loss", "#000000"
#: The waterfall's bar colours by kind of step (:func:`waterfall_steps`).
WATERFALL_COLOURS = {"lost": "#D55E00", "recovered": "#009E73", "total": "#0072B2"}
#: The waterfall's step for restrictions on economies outside the group.
OUTSIDE_STEP = "Restrictions outside {group}"


def loss_by_year_data(r) -> pd.DataFrame:
    """The restricted group's loss each year by lever (billion USD_2023): one column per lever and
    the total; the levers add up to the total (``Result.decomposition(cumulative=False)``)."""
    d = r.decomposition(cumulative=False)
    d = d[d.region == r.group_label].pivot(index="year", columns="lever", values="value")
    out = pd.DataFrame({"region": r.group_label, "year": r.years})
    for k in LOSS_LEVERS:
        out[LEVERS[k]] = d[LEVERS[k]].reindex(r.years).to_numpy()
    out["ai_gain_lost"] = r.series("ai_gain_lost", "Restricted group").to_numpy()
    return out


def loss_by_year(r) -> go.Figure:
    """The restricted group's gain lost to restrictions each year, stacked by lever (substitution
    recovers part: below zero), with the net loss as a line."""
    d = loss_by_year_data(r)
    x = d.year.to_numpy()
    traces = [dict(type="bar", x=x, y=d[LEVERS[k]].to_numpy(), name=LEVERS[k], marker=dict(color=c),
                   hovertemplate=f"{LEVERS[k]} %{{x}}: $%{{y:,.2f}} bn<extra></extra>")
              for k, c in LOSS_LEVERS.items() if np.abs(d[LEVERS[k]].to_numpy()).max() > 0]
    traces.append(dict(type="scatter", mode="lines+markers", x=x, y=d.ai_gain_lost.to_numpy(), name=NET_LOSS,
                       line=dict(color=NET_LOSS_COLOUR, width=2), marker=dict(size=5),
                       hovertemplate=f"{NET_LOSS} %{{x}}: $%{{y:,.2f}} bn<extra></extra>"))
    return _figure(traces, dict(title=dict(text=title_of("loss_by_year", r)),
                                barmode="relative", height=380, yaxis=dict(title=dict(text="billion US$ (2023 prices)")),
                                xaxis=YEAR_AXIS))


# ---------------------------------------------------------------- restricted group
def group_paths_data(r) -> pd.DataFrame:
    """The restricted group's open-access gain, scenario gain and loss by year."""
    return pd.DataFrame({"region": r.group_label, "year": r.years,
                         **{v: r.series(v, "Restricted group").to_numpy() for v in ("ai_gain_open", "ai_gain", "ai_gain_lost")}})


def group_paths_note(d: pd.DataFrame) -> str:
    """The gap between the group's paths in words, from :func:`group_paths_data`: the cumulative
    loss (billion US$) and its share of the open-access gain over the years."""
    gap = d.ai_gain_lost.sum()
    share = 100 * gap / d.ai_gain_open.sum() if d.ai_gain_open.sum() > 0 else 0.0
    overlap = "; at this scale the two lines overlap" if share < 1 else ""
    return (f"gap (the loss): {fmt_usd_bn(gap)} over {int(d.year.iloc[0])}-{int(d.year.iloc[-1])}, "
            f"{fmt_pct(share)} of the open-access gain{overlap}")


def group_paths(r) -> go.Figure:
    """The restricted group's open-access vs scenario gain, the gap shaded."""
    d = group_paths_data(r)
    traces = [
        dict(type="scatter", mode="lines", x=d.year.to_numpy(), y=d.ai_gain.to_numpy(), name="with restrictions",
             line=dict(color="#D55E00", width=3),
             hovertemplate="with restrictions %{x}: $%{y:,.0f} bn<extra></extra>"),
        dict(type="scatter", mode="lines", x=d.year.to_numpy(), y=d.ai_gain_open.to_numpy(),
             name="open access (shaded gap = loss)", line=dict(color="#0072B2", dash="dash", width=3),
             fill="tonexty", fillcolor="rgba(213,94,0,0.25)",
             hovertemplate="open access %{x}: $%{y:,.0f} bn<extra></extra>"),
    ]
    note = dict(text=group_paths_note(d), xref="paper", yref="paper", x=0, y=1.02,
                xanchor="left", yanchor="bottom", showarrow=False, font=dict(size=12, color="#555555"))
    return _figure(traces, dict(title=dict(text=title_of("group_paths", r)),
                                yaxis=MONEY_AXIS, xaxis=YEAR_AXIS, annotations=[note]))


# ---------------------------------------------------------------- waterfall
def decomposition_data(r) -> pd.DataFrame:
    """The cumulative loss by lever, for the restricted group and the World."""
    d = r.decomposition().reset_index()
    return d.rename(columns={"group": f"{r.group_label} (billion USD_2023, cumulative)",
                             "World": "World (billion USD_2023, cumulative)"})


def waterfall_steps(r) -> pd.DataFrame:
    """The waterfall's bars (billion US$, cumulative over the years): the group's levers, each a step
    from the running total; the group's loss (a total from zero); the loss from restrictions on
    economies outside the group (when a restriction reaches beyond it, e.g. the UK in the EU's record);
    the leakage to other economies; the World's loss (a total). Columns: ``step`` (label), ``value``
    (the step, or the total), ``start``/``end`` (where the bar is drawn), ``kind`` (lost, recovered or
    total), ``label`` (the value in words), ``top``. The steps add up to both totals."""
    d = r.decomposition()
    group_levers = [LEVERS[k] for k in ("restricted_products", "substitution", "compliance_drag")]
    rows, running = [], 0.0

    def step(name: str, v: float) -> None:
        nonlocal running
        rows.append((name, v, running, running + v, "recovered" if v < 0 else "lost"))
        running += v

    for k in group_levers:
        step(k, float(d.loc[k, "group"]))
    rows.append((f"{r.group_label} loss", running, 0.0, running, "total"))
    world_total = float(d["World"].sum())
    outside = float(d.loc[group_levers, "World"].sum() - d.loc[group_levers, "group"].sum())
    if abs(outside) > 1e-9 * max(1.0, abs(world_total)):
        step(OUTSIDE_STEP.format(group=r.group_label), outside)
    step(LEVERS["leakage"], float(d.loc[LEVERS["leakage"], "World"]))
    rows.append(("World loss", world_total, 0.0, world_total, "total"))
    out = pd.DataFrame(rows, columns=["step", "value", "start", "end", "kind"])
    out["label"] = [fmt_usd_bn(v) for v in out.value]
    out["top"] = out[["start", "end"]].max(axis=1)
    return out


def decomposition_waterfall(r) -> go.Figure:
    """Cumulative loss split by lever (:func:`waterfall_steps`); the bars add up to the group's and
    the World's loss."""
    s = waterfall_steps(r)
    total = s.kind == "total"
    trace = dict(type="waterfall", x=s.step.to_numpy(), y=np.where(total, 0.0, s.value.to_numpy()),
                 measure=np.where(total, "total", "relative"), text=s.label.to_numpy(), textposition="outside",
                 connector=dict(line=dict(color="#999999")),
                 increasing=dict(marker=dict(color=WATERFALL_COLOURS["lost"])),
                 decreasing=dict(marker=dict(color=WATERFALL_COLOURS["recovered"])),
                 totals=dict(marker=dict(color=WATERFALL_COLOURS["total"])),
                 hovertemplate="%{x}: $%{y:,.1f} bn<extra></extra>")
    return _figure([trace], dict(title=dict(text=title_of("waterfall", r)), showlegend=False,
                                 yaxis=dict(title=dict(text="billion US$ (2023 prices), cumulative"))))


# ---------------------------------------------------------------- map
def world_map_data(r, year: int | None = None) -> pd.DataFrame:
    """Each country's gain (US$ bn and % of GDP) in ``year`` (default: the end year), with its observed
    generative-AI usage (reference period), its exposure index and its AI preparedness."""
    year = int(r.years[-1]) if year is None else int(year)
    i = int(np.searchsorted(r.years, year))
    from .data import load_countries
    from .observations import country_observations

    names = load_countries().set_index("iso3")
    obs = country_observations(r.params).set_index("iso3")
    return pd.DataFrame({"iso3": r.iso3, "name": names.name.loc[r.iso3].to_numpy(), "year": year,
                         "ai_gain_pct_gdp": 100 * r.gain[:, i] / r.gdp[:, i],
                         "ai_gain_usd_bn": r.gain[:, i],
                         "usage_pct": obs.usage_pct.loc[r.iso3].to_numpy(),
                         "exposure_index": obs.exposure_index.loc[r.iso3].to_numpy(),
                         "aipi": names.aipi.loc[r.iso3].to_numpy()})


#: What the world map can show: layer -> (column of world_map_data, legend title, hover format, title).
MAP_LAYERS = {
    "gain": ("ai_gain_pct_gdp", "Gain, % of GDP", "%{z:.1f}% of GDP", "Generative-AI gain in {year}, % of GDP"),
    "usage": ("usage_pct", "Usage, % of people", "%{z:.1f}% use generative AI",
              "Observed generative-AI usage, share of the working-age population (Microsoft, {period})"),
    "exposure": ("exposure_index", "Exposure index", "exposure %{z:.3f}",
                 "Generative-AI exposure by occupation (ILO 2025, employment-weighted)"),
    "preparedness": ("aipi", "AI preparedness (0-1)", "AIPI %{z:.2f}", "IMF AI Preparedness Index 2023"),
}


def world_map(r, year: int | None = None, layer: str = "gain") -> go.Figure:
    """Choropleth by country (map drawn from local topojson), centred on Europe (longitude 12 E): the
    scenario gain as % of GDP, or (``layer``) observed usage, exposure or AI preparedness."""
    d = world_map_data(r, year)
    column, legend, hover, title = MAP_LAYERS[layer]
    trace = dict(type="choropleth", locations=d.iso3.to_numpy(), z=d[column].round(4).to_numpy(),
                 text=d.name.to_numpy(), locationmode="ISO-3", colorscale="Cividis", reversescale=True,
                 marker=dict(line=dict(color="white", width=0.3)), colorbar=dict(title=dict(text=legend), thickness=14),
                 hovertemplate=f"%{{text}}: {hover}<extra></extra>")
    geo = dict(showframe=False, showcoastlines=False, projection=dict(type="natural earth", rotation=dict(lon=12)),
               resolution=110,
               showcountries=True, countrycolor="white", showland=True, landcolor="#eeeeee")
    text = title.format(year=int(d.year.iloc[0]), period=r.params.usage_reference_period)
    return _figure([trace], dict(title=dict(text=text), geo=geo, margin=dict(l=0, r=0, t=50, b=0)))


# ---------------------------------------------------------------- per capita
def per_capita_data(r) -> pd.DataFrame:
    """Gain per person by region in the end year (US$, 2023 population)."""
    s = r.summary()
    return s[["gain_per_capita_end_year_usd"]].reset_index().assign(year=int(r.years[-1]))


def per_capita(r) -> go.Figure:
    """Bar chart of the gain per person by region in the end year."""
    d = per_capita_data(r)
    trace = dict(type="bar", orientation="h", x=d.gain_per_capita_end_year_usd.to_numpy(), y=d.region.to_numpy(),
                 marker=dict(color=[REGION_COLOURS.get(x, "#444444") for x in d.region]),
                 hovertemplate="%{y}: $%{x:,.0f} per person<extra></extra>")
    return _figure([trace], dict(title=dict(text=f"Gain per person in {int(r.years[-1])} (2023 population)"),
                                 yaxis=dict(autorange="reversed", automargin=True), showlegend=False,
                                 xaxis=dict(title=dict(text="US$ per person (2023 prices)")),
                                 margin=dict(l=10, r=20, t=60, b=50)))


# ---------------------------------------------------------------- compare
def compare_data(rs, variable: str = "ai_gain", region: str = "EU27") -> pd.DataFrame:
    """Tidy data of one variable and region across the scenarios of a ResultSet."""
    d = rs.data
    return d[(d.variable == variable) & (d.region == region)].reset_index(drop=True)


def compare_figure(rs, variable: str = "ai_gain", region: str = "EU27") -> go.Figure:
    """Several scenarios overlaid for one region and variable (colour and dash differ)."""
    dashes = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
    traces = []
    var = VARIABLES[variable]
    for i, res in enumerate(rs.results):
        y = res.series(variable, region).to_numpy()
        traces.append(dict(type="scatter", mode="lines", x=res.years, y=y, name=res.name,
                           line=dict(color=OKABE_ITO[(i + 4) % len(OKABE_ITO)], dash=dashes[i % len(dashes)],
                                     width=3)))
    return _figure(traces, dict(title=dict(text=f"{region}: {var.label.lower()}"),
                                yaxis=dict(title=dict(text=var.title)), xaxis=YEAR_AXIS))


class ResultPlots:
    """``result.plot.<chart>()`` accessor (pyam style)."""

    def __init__(self, result):
        self._r = result

    def gains_by_region(self) -> go.Figure:
        """See :func:`gains_by_region`."""
        return gains_by_region(self._r)

    def loss_by_year(self) -> go.Figure:
        """See :func:`loss_by_year`."""
        return loss_by_year(self._r)

    def group_paths(self) -> go.Figure:
        """See :func:`group_paths`."""
        return group_paths(self._r)

    def waterfall(self) -> go.Figure:
        """See :func:`decomposition_waterfall`."""
        return decomposition_waterfall(self._r)

    def map(self, year: int | None = None) -> go.Figure:
        """See :func:`world_map`."""
        return world_map(self._r, year)

    def per_capita(self) -> go.Figure:
        """See :func:`per_capita`."""
        return per_capita(self._r)


class ResultSetPlots:
    """``result_set.plot.<chart>()`` accessor."""

    def __init__(self, rs):
        self._rs = rs

    def compare(self, variable: str = "ai_gain", region: str = "EU27") -> go.Figure:
        """See :func:`compare_figure`."""
        return compare_figure(self._rs, variable, region)


#: Every chart: name -> (title, figure function, data function).
CHARTS = {
    "loss_by_year": ("Loss each year, by lever", loss_by_year, loss_by_year_data),
    "gains_by_region": ("Gains by region", gains_by_region, gains_by_region_data),
    "group_paths": ("Restricted group: open vs restricted", group_paths, group_paths_data),
    "waterfall": ("Loss by lever", decomposition_waterfall, decomposition_data),
    "map": ("World map", world_map, world_map_data),
    "per_capita": ("Gain per person", per_capita, per_capita_data),
}


# ---------------------------------------------------------------- uncertainty
def fan_chart(mc, variable: str = "ai_gain", region: str = "World") -> go.Figure:
    """Nested percentile bands (P5-P95, P25-P75) with the median line and the central run."""
    b = mc.band(variable, region)
    x = b.index.to_numpy()
    central = mc.central
    label = mc.group_label if region in ("Restricted group", mc.group_region) else region
    central_y = central.series(variable, region).to_numpy()
    blue = "0,114,178"
    traces = [
        dict(type="scatter", x=x, y=b["P95"].to_numpy(), mode="lines", line=dict(width=0), showlegend=False,
             hoverinfo="skip"),
        dict(type="scatter", x=x, y=b["P5"].to_numpy(), mode="lines", line=dict(width=0), fill="tonexty",
             fillcolor=f"rgba({blue},0.18)", name="5th-95th percentile"),
        dict(type="scatter", x=x, y=b["P75"].to_numpy(), mode="lines", line=dict(width=0), showlegend=False,
             hoverinfo="skip"),
        dict(type="scatter", x=x, y=b["P25"].to_numpy(), mode="lines", line=dict(width=0), fill="tonexty",
             fillcolor=f"rgba({blue},0.40)", name="25th-75th percentile"),
        dict(type="scatter", x=x, y=b["P50"].to_numpy(), mode="lines", line=dict(color=f"rgb({blue})", width=3),
             name="median"),
        dict(type="scatter", x=x, y=central_y, mode="lines", line=dict(color="#D55E00", width=2, dash="dash"),
             name="central run"),
    ]
    return _figure(traces, dict(title=dict(text=f"{label}: {VARIABLES[variable].label.lower()}, {mc.draws:,} draws"),
                                yaxis=MONEY_AXIS,
                                xaxis=YEAR_AXIS))


def tornado_chart(df: pd.DataFrame, top: int = 12) -> go.Figure:
    """Horizontal bars from the central output to the output at each parameter's low and high."""
    d = df.head(top).iloc[::-1]
    central = float(d.central.iloc[0]) if len(d) else 0.0
    labels = d["label"].to_numpy() if "label" in d else d.parameter.to_numpy()
    lows = d.output_at_low.to_numpy() - central
    highs = d.output_at_high.to_numpy() - central
    traces = [
        dict(type="bar", orientation="h", y=labels, x=lows, base=central, name="parameter at its low",
             marker=dict(color="#56B4E9"), customdata=d.low_value.to_numpy(),
             hovertemplate="%{y} = %{customdata:.3g}: %{x:+,.1f}<extra></extra>"),
        dict(type="bar", orientation="h", y=labels, x=highs, base=central, name="parameter at its high",
             marker=dict(color="#D55E00", pattern=dict(shape="/")), customdata=d.high_value.to_numpy(),
             hovertemplate="%{y} = %{customdata:.3g}: %{x:+,.1f}<extra></extra>"),
    ]
    out = df.output.iloc[0] if "output" in df and len(df) else "output"
    what = SENSITIVITY_OUTPUTS.get(out, out).split(",")[0]
    title = f"What moves the {what}: each parameter at its low and high (central {central:,.1f})"
    return _figure(traces, dict(title=dict(text=title[:1].upper() + title[1:]), barmode="overlay",
                                xaxis=dict(title=dict(text="billion US$ (2023 prices)")),
                                yaxis=dict(automargin=True), margin=dict(l=10, r=20, t=60, b=50)))
