"""Figures of restriction events: the timeline of a group's events and what each one cost.

Built from plain dicts like :mod:`model.figures` (validated in full by the tests); every chart
has a data function giving the numbers it draws.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from .data import load_countries
from .figures import _figure
from .narrative import fmt_pct, fmt_usd_bn

KIND_COLOURS = {"outage": "#D55E00", "delay": "#E69F00", "withheld": "#0072B2"}
EXCLUDED_COLOUR = "#BBBBBB"


def group_codes(group: str) -> set[str]:
    """ISO3 codes of a restricted group (a region name or comma-separated codes)."""
    countries = load_countries()
    if group in set(countries.region):
        return set(countries.iso3[countries.region == group])
    return set(group.split(","))


def timeline_data(result, today: date | None = None) -> pd.DataFrame:
    """The events touching the restricted group (shipped and the scenario's own), with dates,
    kind, whether the scenario counts them, and the mechanism or the reason they are excluded."""
    from .events import events_touching

    today = today or date.today()
    in_scenario = {r.event_id for r in result.scenario.restrictions if r.event_id}
    rows = []
    for e in events_touching(group_codes(result.params.restricted_group)):
        rows.append({"id": e.id, "event": e.label, "kind": e.kind, "countries": e.countries,
                     "start": e.start_date, "end": e.effective_end, "open_end": e.effective_end is None,
                     "included": e.included, "in_scenario": e.id in in_scenario,
                     "note": e.mechanism_or_exclusion() if e.included else f"excluded: {e.exclusion_reason}"})
    shipped = {r["id"] for r in rows}
    for r in result.scenario.restrictions:  # custom events and hypothetical restrictions
        if r.kind != "legacy" and r.event_id not in shipped:
            rows.append({"id": r.event_id or r.label, "event": r.label, "kind": r.kind, "countries": r.group or "",
                         "start": r.start_date, "end": r.end_date, "open_end": r.end_date is None, "included": True,
                         "in_scenario": True, "note": "in this scenario (not in the shipped timeline)"})
    df = pd.DataFrame(rows, columns=["id", "event", "kind", "countries", "start", "end", "open_end", "included",
                                     "in_scenario", "note"])
    df["drawn_end"] = [e if e is not None else max(today, s) for s, e in zip(df.start, df.end)]
    return df.sort_values(["start", "id"]).reset_index(drop=True)


def events_timeline(result) -> "go.Figure":  # noqa: F821
    """A Gantt chart of the events: coloured by kind when the scenario counts them, grey otherwise
    (hover: the mechanism, or why an event is excluded); open-ended bars are drawn to today."""
    d = timeline_data(result)
    traces = []
    for label, sel, colour in [(f"{k} (in this scenario)", (d.kind == k) & d.in_scenario, c)
                               for k, c in KIND_COLOURS.items()] + [
            ("available, not in this scenario", d.included & ~d.in_scenario, "#9ecae1"),
            ("excluded from losses", ~d.included, EXCLUDED_COLOUR)]:
        part = d[sel]
        if part.empty:
            continue
        start = pd.to_datetime(part.start)
        width = (pd.to_datetime(part.drawn_end) - start).dt.total_seconds().to_numpy() * 1000
        width = np.maximum(width, 86_400_000.0 * 3)  # a few days at least, to be visible
        ends = ["open" if o else str(e) for e, o in zip(part.end, part.open_end)]
        traces.append(dict(type="bar", orientation="h", base=start.dt.strftime("%Y-%m-%d").tolist(), x=width.tolist(),
                           y=part.event.tolist(), name=label, marker=dict(color=colour),
                           customdata=np.column_stack([part.start.astype(str), ends, part.note]).tolist(),
                           hovertemplate="%{y}<br>%{customdata[0]} to %{customdata[1]}<br>%{customdata[2]}"
                                         "<extra></extra>"))
    height = max(320, 26 * len(d) + 140)
    return _figure(traces, dict(title=dict(text=f"Restriction events touching {result.group_label}"),
                                barmode="overlay", height=height, xaxis=dict(type="date", title=dict(text="date")),
                                yaxis=dict(autorange="reversed", automargin=True, title=dict(text="")),
                                margin=dict(l=20, r=20, t=60, b=50)))


def event_losses_data(result) -> pd.DataFrame:
    """What each restriction cost the group over the horizon: gross, recovered, net (US$ bn), % of 2023 GDP."""
    return result.event_losses(cumulative=True)


def event_losses_bars(result) -> "go.Figure":  # noqa: F821
    """Horizontal bars: each restriction's net cumulative cost to the group (largest first)."""
    d = event_losses_data(result).sort_values("net", ascending=True)
    end = int(result.years[-1])
    text = [f"{fmt_usd_bn(v)} ({fmt_pct(p)} of 2023 GDP)" for v, p in zip(d.net, d.net_pct_gdp_2023)]
    trace = dict(type="bar", orientation="h", x=d.net.tolist(), y=d.event.tolist(), text=text,
                 textposition="auto", marker=dict(color="#D55E00"),
                 customdata=np.column_stack([d.restricted_products, -d.substitution]).tolist(),
                 hovertemplate="%{y}<br>net %{x:,.2f} bn = gross %{customdata[0]:,.2f} bn"
                               " - recovered %{customdata[1]:,.2f} bn<extra></extra>")
    return _figure([trace], dict(title=dict(text=f"What each restriction cost {result.group_label}, 2023-{end}"),
                                 showlegend=False, height=max(300, 34 * len(d) + 140),
                                 xaxis=dict(title=dict(text="billion US$ (2023 prices), cumulative"),
                                            rangemode="tozero"),
                                 yaxis=dict(automargin=True), margin=dict(l=20, r=20, t=60, b=50)))


#: The event charts: name -> (title, figure function, data function).
EVENT_CHARTS = {
    "events_timeline": ("Restriction events", events_timeline, timeline_data),
    "event_losses": ("Cost by restriction", event_losses_bars, event_losses_data),
}
