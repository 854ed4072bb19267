"""Vega-Lite specifications of the Overview's four charts: plain, JSON-ready dicts.

The app draws its first screen with these (``st.vega_lite_chart``): on a first visit a browser has
drawn them about 0.6 s sooner than the same charts in plotly.js (3.1 s -> 2.5 s from the navigation's
start, ``benchmarks/bench_browser.py``; the plotly.js bundle alone is 4.7 MB to download and ~0.7 s
to evaluate). The plotly figures of
:mod:`model.figures` stay for the other tabs, the HTML report and the notebook API.

Each spec draws the table of the chart's ``*_data`` function in :mod:`model.figures` (the same
numbers as the chart's CSV download), with the same title, colours and labels as the plotly
figure. A spec is self-contained (its data inline, its title in ``title.text`` and in
``description``, the chart's accessible name; its notes in ``title.subtitle``), so it renders anywhere Vega-Lite 5 or 6 does (``altair.Chart.from_dict``,
vega-embed, JupyterLab); ``tests/test_vega.py`` validates each against Vega-Lite's JSON schema.

Units: money in billion US$ at 2023 prices (``billion USD_2023``), as in the tidy data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .data import REGIONS
from .figures import (LOSS_LEVERS, MONEY_AXIS, REGION_COLOURS, gains_by_region_data, group_paths_data,
                      group_paths_note, loss_by_year_data, title_of, waterfall_steps)
from .outputs import LEVERS

MONEY = MONEY_AXIS["title"]["text"]  # "billion US$ (2023 prices)"
#: Tooltip number format (d3-format) for money in billion US$.
MONEY_FORMAT = ",.2f"
#: The colours of the loss by year's net-loss line and of the waterfall's totals.
NET_LOSS_COLOUR, TOTAL_COLOUR = "#000000", "#0072B2"
#: Solid and dashed strokes (Vega-Lite ``strokeDash``): scenario vs open access, told apart by line style too.
SOLID, DASHED = [1, 0], [6, 4]


def _records(d: pd.DataFrame) -> list[dict]:
    """A table as JSON-ready records (numpy scalars become Python numbers; NaN becomes null)."""
    return [{k: (None if isinstance(v, float) and np.isnan(v) else v.item() if hasattr(v, "item") else v)
             for k, v in row.items()} for row in d.to_dict("records")]


def _spec(title: str, data: pd.DataFrame, notes: list[str] | None = None, height: int = 320, **body) -> dict:
    """A chart's spec: ``height`` in pixels includes the axes and the legend (the app fits the width).
    Legends go under the plot, one entry per row unless a chart asks for columns: a phone's width."""
    title_block = {"text": title, **({"subtitle": notes} if notes else {})}
    return {"title": title_block, "description": title, "data": {"values": _records(data)}, "height": height,
            "autosize": {"type": "fit", "contains": "padding"},
            "config": {"legend": {"orient": "bottom", "columns": 1, "labelLimit": 300}}, **body}


def _year_axis(kind: str = "quantitative") -> dict:
    """The x axis of years: whole numbers without a thousands separator."""
    axis = {"title": "year", "labelAngle": 0, "labelOverlap": "parity"}
    if kind == "quantitative":
        return {"field": "year", "type": "quantitative", "scale": {"zero": False, "nice": False}, "axis": {**axis, "format": "d"}}
    return {"field": "year", "type": "ordinal", "axis": axis}


def _money(field: str = "value", title: str = MONEY) -> dict:
    return {"field": field, "type": "quantitative", "title": title}


def _tooltip(*fields: tuple[str, str, str]) -> list[dict]:
    """Tooltip rows: (field, title, d3 format or "" for text)."""
    return [{"field": f, "title": t, **({"type": "quantitative", "format": fmt} if fmt else {"type": "nominal"})}
            for f, t, fmt in fields]


# ---------------------------------------------------------------- the loss, year by year
def loss_by_year(r) -> dict:
    """The restricted group's gain lost to restrictions each year (billion US$): stacked bars by lever
    (substitution recovers part: below zero) and the net loss as a black line with points.
    Data: :func:`model.figures.loss_by_year_data`."""
    d = loss_by_year_data(r)
    levers = [LEVERS[k] for k in LOSS_LEVERS if np.abs(d[LEVERS[k]].to_numpy()).max() > 0]
    long = d.melt(id_vars=["year"], value_vars=[*levers, "ai_gain_lost"], var_name="series", value_name="value")
    long["series"] = long["series"].replace({"ai_gain_lost": "net loss"})
    colours = {LEVERS[k]: c for k, c in LOSS_LEVERS.items()} | {"net loss": NET_LOSS_COLOUR}
    domain = [*levers, "net loss"]
    color = {"field": "series", "type": "nominal", "title": None, "sort": domain,
             "scale": {"domain": domain, "range": [colours[s] for s in domain]}}
    tooltip = _tooltip(("series", "what", ""), ("year", "year", "d"), ("value", "billion US$", MONEY_FORMAT))
    return _spec(title_of("loss_by_year", r), long, height=380, layer=[
        {"transform": [{"filter": {"field": "series", "oneOf": levers}}],
         "mark": {"type": "bar"},
         "encoding": {"x": _year_axis("ordinal"), "y": {**_money(), "stack": "zero"}, "color": color,
                      "tooltip": tooltip}},
        {"transform": [{"filter": {"field": "series", "equal": "net loss"}}],
         "mark": {"type": "line", "point": {"size": 30}, "strokeWidth": 2},
         "encoding": {"x": _year_axis("ordinal"), "y": _money(), "color": color, "tooltip": tooltip}},
    ])


# ---------------------------------------------------------------- restricted group
def group_paths(r) -> dict:
    """The restricted group's gain with open access (dashed) and with restrictions (solid), the gap
    between them (the loss) shaded. Data: :func:`model.figures.group_paths_data`."""
    d = group_paths_data(r).rename(columns={"ai_gain_open": "open access", "ai_gain": "with restrictions"})
    domain = ["with restrictions", "open access"]
    return _spec(title_of("group_paths", r), d[["year", *domain]], notes=[group_paths_note(group_paths_data(r))], layer=[
        {"mark": {"type": "area", "color": "#D55E00", "opacity": 0.25},
         "encoding": {"x": _year_axis(), "y": {"field": "open access", "type": "quantitative", "title": MONEY},
                      "y2": {"field": "with restrictions"}}},
        {"transform": [{"fold": domain, "as": ["case", "value"]}],
         "mark": {"type": "line", "strokeWidth": 3},
         "encoding": {"x": _year_axis(), "y": _money(),
                      "color": {"field": "case", "type": "nominal", "title": None, "sort": domain,
                                "scale": {"domain": domain, "range": ["#D55E00", "#0072B2"]}},
                      "strokeDash": {"field": "case", "type": "nominal", "title": None, "sort": domain,
                                     "scale": {"domain": domain, "range": [SOLID, DASHED]}},
                      "tooltip": _tooltip(("case", "gain", ""), ("year", "year", "d"),
                                          ("value", "billion US$", ",.0f"))}},
    ])


# ---------------------------------------------------------------- waterfall
def waterfall(r) -> dict:
    """Cumulative loss split by lever: each lever a step from the running total (red: lost, green:
    recovered), the group's and the World's loss as totals (blue), each bar labelled.
    Bars: :func:`model.figures.waterfall_steps`."""
    d = waterfall_steps(r)
    order = d.step.tolist()
    x = {"field": "step", "type": "nominal", "sort": order, "title": None,
         "axis": {"labelAngle": -30, "labelLimit": 150, "labelOverlap": False}}
    kinds = ["lost", "recovered", "total"]
    return _spec(title_of("waterfall", r), d, layer=[
        {"mark": {"type": "bar"},
         "encoding": {"x": x, "y": _money("start"), "y2": {"field": "end"},
                      "color": {"field": "kind", "type": "nominal", "legend": None,
                                "scale": {"domain": kinds, "range": ["#D55E00", "#009E73", TOTAL_COLOUR]}},
                      "tooltip": _tooltip(("step", "step", ""), ("value", "billion US$", ",.1f"))}},
        {"mark": {"type": "text", "dy": -7, "fontSize": 11},
         "encoding": {"x": x, "y": {"field": "top", "type": "quantitative"}, "text": {"field": "label"}}},
    ])


# ---------------------------------------------------------------- gains by region
def gains_by_region(r) -> dict:
    """Gain by region over time (billion US$): the scenario solid, open access dashed, a colour per
    region. Data: :func:`model.figures.gains_by_region_data`."""
    d = gains_by_region_data(r)
    d = d[d.region.isin(REGIONS)]  # the regions (a custom group and the euro area are in the table too)
    d = d.assign(case=d.variable.map({"ai_gain": "scenario", "ai_gain_open": "open access"}))[
        ["region", "year", "case", "value"]]
    regions = [x for x in REGIONS if x in set(d.region)]
    cases = ["scenario", "open access"]
    return _spec(title_of("gains_by_region", r), d, height=460, mark={"type": "line", "strokeWidth": 2}, encoding={
        "x": _year_axis(), "y": _money(),
        "color": {"field": "region", "type": "nominal", "title": None, "sort": regions,
                  "scale": {"domain": regions, "range": [REGION_COLOURS[x] for x in regions]},
                  "legend": {"columns": 2, "labelLimit": 140}},  # two columns fit a phone's width
        "strokeDash": {"field": "case", "type": "nominal", "title": None, "sort": cases,
                       "scale": {"domain": cases, "range": [SOLID, DASHED]}},
        "detail": {"field": "case"},
        "tooltip": _tooltip(("region", "region", ""), ("case", "line", ""), ("year", "year", "d"),
                            ("value", "billion US$", ",.0f")),
    })


#: The Overview's charts drawn with Vega-Lite: name (as in model.figures.CHARTS) -> spec function.
SPECS = {"loss_by_year": loss_by_year, "group_paths": group_paths, "waterfall": waterfall,
         "gains_by_region": gains_by_region}
