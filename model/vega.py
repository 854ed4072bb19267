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
from .figures import (LOSS_LEVERS, MONEY_AXIS, NET_LOSS, NET_LOSS_COLOUR, OUTSIDE_STEP, REGION_COLOURS,
                      WATERFALL_COLOURS, gains_by_region_data, group_paths_data, group_paths_note, loss_by_year_data,
                      title_of, waterfall_steps)
from .outputs import LEVERS

MONEY = MONEY_AXIS["title"]["text"]  # "billion US$ (2023 prices)"
#: Tooltip number format (d3-format) for money in billion US$.
MONEY_FORMAT = ",.2f"
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


def _hover_points(x: dict, y: dict, tooltip: list[dict], **encoding) -> dict:
    """A layer of invisible points, one per data point, that carry the tooltip: a line alone shows
    its tooltip only when the pointer is on its 2-pixel stroke."""
    return {"mark": {"type": "point", "opacity": 0, "size": 300},
            "encoding": {"x": x, "y": y, "tooltip": tooltip, **encoding}}


def _no_loss(r) -> str:
    return f"no restriction reaches {r.group_label} in this scenario: the loss is zero every year"


# ---------------------------------------------------------------- the loss, year by year
def loss_by_year(r, narrow: bool = False) -> dict:
    """The restricted group's gain lost to restrictions each year (billion US$): stacked bars by lever
    (substitution recovers part: below zero) and the net loss as a black line with points.
    Data: :func:`model.figures.loss_by_year_data`. ``narrow``: laid out for a phone's width."""
    d = loss_by_year_data(r)
    levers = [LEVERS[k] for k in LOSS_LEVERS if np.abs(d[LEVERS[k]].to_numpy()).max() > 0]
    long = d.melt(id_vars=["year"], value_vars=[*levers, "ai_gain_lost"], var_name="series", value_name="value")
    long["series"] = long["series"].replace({"ai_gain_lost": NET_LOSS})
    colours = {LEVERS[k]: c for k, c in LOSS_LEVERS.items()} | {NET_LOSS: NET_LOSS_COLOUR}
    domain = [*levers, NET_LOSS]
    color = {"field": "series", "type": "nominal", "title": None, "sort": domain,
             "scale": {"domain": domain, "range": [colours[s] for s in domain]}}
    tooltip = _tooltip(("series", "lever", ""), ("year", "year", "d"), ("value", "billion US$", MONEY_FORMAT))
    y = _money()
    if not np.abs(long.value.to_numpy()).max() > 0:  # a flat zero: an axis from 0 to 1, and why
        notes, y = [_no_loss(r)], {**y, "scale": {"domain": [0, 1]}}
    elif levers:
        notes = ["bars: the gain restricted (up) and what substitution and circumvention recover (down); "
                 "the black line is the net loss, their sum"]
    else:
        notes = None
    return _spec(title_of("loss_by_year", r), long, notes=notes, height=380, layer=[
        {"transform": [{"filter": {"field": "series", "oneOf": levers}}],
         "mark": {"type": "bar"},
         "encoding": {"x": _year_axis("ordinal"), "y": {**y, "stack": "zero"}, "color": color,
                      "tooltip": tooltip}},
        {"transform": [{"filter": {"field": "series", "equal": NET_LOSS}}],
         "mark": {"type": "line", "point": {"size": 30}, "strokeWidth": 2},
         "encoding": {"x": _year_axis("ordinal"), "y": y, "color": color, "tooltip": tooltip}},
    ])


# ---------------------------------------------------------------- restricted group
def group_paths(r, narrow: bool = False) -> dict:
    """The restricted group's gain with open access (dashed) and with restrictions (solid), the gap
    between them (the loss) shaded; one tooltip per year with both gains and the gap.
    Data: :func:`model.figures.group_paths_data`. ``narrow``: laid out for a phone's width."""
    data = group_paths_data(r)
    d = data.rename(columns={"ai_gain_open": "open access", "ai_gain": "with restrictions", "ai_gain_lost": "gap"})
    domain = ["with restrictions", "open access"]
    x = _year_axis()
    return _spec(title_of("group_paths", r), d[["year", *domain, "gap"]], notes=[group_paths_note(data)], layer=[
        {"mark": {"type": "area", "color": "#D55E00", "opacity": 0.25},
         "encoding": {"x": x, "y": {"field": "open access", "type": "quantitative", "title": MONEY},
                      "y2": {"field": "with restrictions"}}},
        {"transform": [{"fold": domain, "as": ["case", "value"]}],
         "mark": {"type": "line", "strokeWidth": 3},
         "encoding": {"x": x, "y": _money(),
                      "color": {"field": "case", "type": "nominal", "title": None, "sort": domain,
                                "scale": {"domain": domain, "range": ["#D55E00", "#0072B2"]}},
                      "strokeDash": {"field": "case", "type": "nominal", "title": None, "sort": domain,
                                     "scale": {"domain": domain, "range": [SOLID, DASHED]}}}},
        _hover_points(x, {"field": "open access", "type": "quantitative"}, _tooltip(
            ("year", "year", "d"), ("open access", "open access, billion US$", ",.1f"),
            ("with restrictions", "with restrictions, billion US$", ",.1f"), ("gap", "gap (the loss), billion US$", ",.3f"))),
    ])


# ---------------------------------------------------------------- waterfall
def waterfall(r, narrow: bool = False) -> dict:
    """Cumulative loss split by lever, as horizontal bars (the steps' names read in full): each lever
    a step from the running total (red: lost, green: recovered), the group's and the World's loss as
    totals (blue), each bar labelled at its end. Bars: :func:`model.figures.waterfall_steps`.
    ``narrow``: laid out for a phone's width (shorter step names)."""
    d = waterfall_steps(r)
    if narrow:  # short names: a phone has ~120 px for them
        short = {LEVERS["restricted_products"]: "Restricted products", LEVERS["substitution"]: "Substitution",
                 LEVERS["leakage"]: "Leakage", OUTSIDE_STEP.format(group=r.group_label): f"Outside {r.group_label}"}
        d["step"] = d.step.replace(short)
    order = d.step.tolist()
    y = {"field": "step", "type": "nominal", "sort": order, "title": None,
         "axis": {"labelLimit": 120 if narrow else 180}}
    lo, hi = min(0.0, float(d[["start", "end"]].min().min())), float(d.top.max())
    zero = not hi - lo > 0
    # room on the right for the labels at the bars' ends
    x = {**_money("start", f"{MONEY}, cumulative"), "scale": {"domain": [lo, 1.0 if zero else hi + (0.4 if narrow else 0.25) * (hi - lo)]}}
    return _spec(title_of("waterfall", r), d, notes=[_no_loss(r)] if zero else None, height=300, layer=[
        {"mark": {"type": "bar"},
         "encoding": {"y": y, "x": x, "x2": {"field": "end"},
                      "color": {"field": "kind", "type": "nominal", "legend": None,
                                "scale": {"domain": list(WATERFALL_COLOURS), "range": list(WATERFALL_COLOURS.values())}},
                      "tooltip": _tooltip(("step", "step", ""), ("label", "cumulative, US$", ""))}},
        {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11},
         "encoding": {"y": y, "x": {"field": "top", "type": "quantitative"}, "text": {"field": "label"}}},
    ])


# ---------------------------------------------------------------- gains by region
def gains_by_region(r, narrow: bool = False) -> dict:
    """Gain by region over time (billion US$): the scenario solid, open access dashed (the title says
    so; no second legend), a colour per region. Data: :func:`model.figures.gains_by_region_data`.
    ``narrow``: laid out for a phone's width (the legend in one column)."""
    d = gains_by_region_data(r)
    d = d[d.region.isin(REGIONS)]  # the regions (a custom group and the euro area are in the table too)
    d = d.assign(case=d.variable.map({"ai_gain": "scenario", "ai_gain_open": "open access"}))[
        ["region", "year", "case", "value"]]
    regions = [x for x in REGIONS if x in set(d.region)]
    cases = ["scenario", "open access"]
    x = _year_axis()
    color = {"field": "region", "type": "nominal", "title": None, "sort": regions,
             "scale": {"domain": regions, "range": [REGION_COLOURS[x] for x in regions]},
             "legend": {"columns": 1 if narrow else 3, "labelLimit": 300}}
    tooltip = _tooltip(("region", "region", ""), ("case", "line", ""), ("year", "year", "d"),
                       ("value", "billion US$", ",.0f"))
    return _spec(title_of("gains_by_region", r), d, height=520 if narrow else 440, layer=[
        {"mark": {"type": "line", "strokeWidth": 2},
         "encoding": {"x": x, "y": _money(), "color": color,
                      "strokeDash": {"field": "case", "type": "nominal", "title": None, "sort": cases, "legend": None,
                                     "scale": {"domain": cases, "range": [SOLID, DASHED]}},
                      "detail": {"field": "case"}}},
        _hover_points(x, _money(), tooltip, color={**color, "legend": None}),
    ])


#: The Overview's charts drawn with Vega-Lite: name (as in model.figures.CHARTS) -> spec function.
SPECS = {"loss_by_year": loss_by_year, "group_paths": group_paths, "waterfall": waterfall,
         "gains_by_region": gains_by_region}
